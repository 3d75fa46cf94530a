//! Updates and corrections: `[[updates]]` in a page's front matter, shown at its top newest first
//! (the earlier ones folded), the page of updates, Atom entries, JSON-LD `dateModified` and
//! `correction`, and the located errors.

use crate::harness::*;

/// Written out of order; one cites, one links to another page.
const UPDATES: &str = r#"date = 2024-05-01
authors = ["Jane Doe"]

[[updates]]
date = 2024-05-10
kind = "clarification"
text = "We made clear who *said* it."

[[updates]]
date = 2024-05-20
kind = "correction"
text = "An earlier version misstated the date of [the vote](b.md).[@rbc]"

[[updates]]
date = 2024-05-02
kind = "update"
text = "First update."

[[updates]]
date = 2024-05-12
kind = "update"
text = "Added the May figures."
"#;

fn site() -> Site {
    Site::new()
        .file("content/sources.toml", RBC_SOURCE)
        .file("content/a.md", &page("A", UPDATES, "A claim.[@rbc]\n"))
        .file("content/b.md", &page("B", "date = 2024-04-01\n", "Text.\n"))
}

#[test]
fn updates_are_at_the_top_of_the_page_newest_first_the_earlier_ones_folded() {
    let s = site().build_ok();
    let doc = s.html("a/index.html");
    // The updates open the page's content, before its own text.
    let first = select(&doc, ".content > *")[0];
    assert_eq!(first.value().attr("class"), Some("updates"));
    assert_eq!(first.value().attr("aria-label"), Some("Updates and corrections"));
    assert_eq!(
        words(&doc, ".updates .update-label"),
        [
            "Correction · May 20, 2024",
            "Update · May 12, 2024",
            "Clarification · May 10, 2024",
            "Update · May 2, 2024"
        ]
    );
    assert_eq!(
        attrs(&doc, ".updates .update", "id"),
        [
            "update-2024-05-20",
            "update-2024-05-12",
            "update-2024-05-10",
            "update-2024-05-02"
        ]
    );
    assert_eq!(
        attrs(&doc, ".updates time", "datetime"),
        ["2024-05-20", "2024-05-12", "2024-05-10", "2024-05-02"]
    );
    // Past the newest three, folded.
    assert_eq!(words(&doc, ".updates details summary"), ["Earlier updates (1)"]);
    assert_eq!(
        attrs(&doc, ".updates details .update", "id"),
        ["update-2024-05-02"]
    );
    // The text is Markdown: emphasis, a checked link relative to the page, a note of the page.
    assert_eq!(texts(&doc, "#update-2024-05-10 .update-text em"), ["said"]);
    assert_eq!(
        attrs(&doc, "#update-2024-05-20 .update-text a[href^=\"../\"]", "href"),
        ["../b/"]
    );
    assert_eq!(attrs(&doc, ".content sup.note-ref", "id"), ["ref-1-1", "ref-2-1"]);
    // The page's `updated` date is the newest update's.
    assert_eq!(
        attrs(&doc, ".meta time", "datetime"),
        ["2024-05-01", "2024-05-20"]
    );
    // B is "Referenced in" A's correction.
    let b = s.html("b/index.html");
    assert_eq!(attrs(&b, ".backlinks a", "href"), ["../a/#update-2024-05-20"]);
    assert_eq!(words(&b, ".backlinks a"), ["A › Correction · May 20, 2024"]);
}

#[test]
fn a_page_with_three_updates_or_fewer_folds_none() {
    let s = Site::new()
        .file(
            "content/a.md",
            &page(
                "A",
                "[[updates]]\ndate = 2024-05-10\nkind = \"update\"\ntext = \"New.\"\n",
                "Text.\n",
            ),
        )
        .build_ok();
    let doc = s.html("a/index.html");
    assert_eq!(words(&doc, ".updates .update-label"), ["Update · May 10, 2024"]);
    assert!(select(&doc, ".updates details").is_empty());
    // Without a `date`, the page's updated date is the update's.
    assert_eq!(attrs(&doc, ".meta time", "datetime"), ["2024-05-10"]);
}

#[test]
fn the_page_of_updates_lists_every_update_newest_first_and_every_page_links_it() {
    let s = site()
        .file(
            "content/b.md",
            &page(
                "B",
                "date = 2024-04-01\n\n[[updates]]\ndate = 2024-05-15\nkind = \"correction\"\ntext = \"Fixed a *name*.\"\n",
                "Text.\n",
            ),
        )
        .build_ok();
    let doc = s.html("updates/index.html");
    assert_eq!(words(&doc, "h1"), ["Updates and corrections"]);
    assert_eq!(
        words(&doc, ".updates-page .update-label"),
        [
            "Correction · May 20, 2024 · A",
            "Correction · May 15, 2024 · B",
            "Update · May 12, 2024 · A",
            "Clarification · May 10, 2024 · A",
            "Update · May 2, 2024 · A"
        ]
    );
    assert_eq!(
        attrs(&doc, ".updates-page .update-label a", "href")[..2],
        ["../a/#update-2024-05-20", "../b/#update-2024-05-15"]
    );
    assert_eq!(words(&doc, ".updates-page .update-text")[1], "Fixed a name.");
    for p in [
        "index.html",
        "a/index.html",
        "sources/index.html",
        "updates/index.html",
    ] {
        let d = s.html(p);
        let href = attrs(&d, ".site-footer a", "href");
        assert_eq!(href.len(), 1, "{p}");
        assert!(href[0].ends_with("updates/"), "{p}: {href:?}");
    }
    assert!(s
        .read("sitemap.xml")
        .contains("<loc>https://example.org/sub/updates/</loc>"));
    // A site without updates has no such page and no link.
    let none = Site::new()
        .file("content/b.md", &page("B", "", "Text.\n"))
        .build_ok();
    assert!(!none.public().join("updates").exists());
    assert!(select(&none.html("b/index.html"), ".site-footer a").is_empty());
}

#[test]
fn each_update_is_an_atom_entry_and_corrections_are_in_json_ld() {
    let s = site().build_ok();
    let feed = atom_entries(&s.read("atom.xml"));
    let url = "https://example.org/sub/";
    assert_eq!(
        feed[..3],
        [
            (
                "A".to_string(),
                format!("{url}a/"),
                "2024-05-20T00:00:00Z".to_string()
            ),
            (
                "Correction: A".to_string(),
                format!("{url}a/#update-2024-05-20"),
                "2024-05-20T00:00:00Z".to_string()
            ),
            (
                "Update: A".to_string(),
                format!("{url}a/#update-2024-05-12"),
                "2024-05-12T00:00:00Z".to_string()
            ),
        ]
    );
    assert_eq!(feed.len(), 6);
    let doc = s.html("a/index.html");
    let ld: Vec<serde_json::Value> = select(&doc, "script[type=\"application/ld+json\"]")
        .iter()
        .map(|e| serde_json::from_str(&e.inner_html()).expect("JSON-LD"))
        .collect();
    assert_eq!(ld.len(), 1);
    assert_eq!(ld[0]["@context"], "https://schema.org");
    let article = &ld[0]["@graph"][0];
    assert_eq!(article["@type"], "Article");
    assert_eq!(article["dateModified"], "2024-05-20");
    assert_eq!(
        article["correction"],
        serde_json::json!([{
            "@type": "CorrectionComment",
            "datePublished": "2024-05-20",
            "text": "An earlier version misstated the date of the vote."
        }])
    );
}

/// Each Atom entry's title, link and updated time, read as XML in the Atom namespace.
fn atom_entries(xml: &str) -> Vec<(String, String, String)> {
    use quick_xml::events::Event;
    use quick_xml::name::{Namespace, ResolveResult};
    const ATOM: &[u8] = b"http://www.w3.org/2005/Atom";
    let mut reader = quick_xml::NsReader::from_str(xml);
    let (mut out, mut in_entry, mut field) = (Vec::new(), false, None::<String>);
    let mut entry = (String::new(), String::new(), String::new());
    loop {
        match reader.read_resolved_event().expect("well-formed XML") {
            (ResolveResult::Bound(Namespace(ns)), Event::Start(e)) => {
                assert_eq!(ns, ATOM);
                let name = String::from_utf8(e.local_name().as_ref().to_vec()).unwrap();
                in_entry |= name == "entry";
                field = Some(name);
            }
            (ResolveResult::Bound(Namespace(ns)), Event::Empty(e))
                if in_entry && e.local_name().as_ref() == b"link" =>
            {
                assert_eq!(ns, ATOM);
                let href = e.try_get_attribute(b"href").unwrap().unwrap();
                entry.1 = String::from_utf8(href.value.into_owned()).unwrap();
            }
            (_, Event::Text(t)) if in_entry => match field.as_deref() {
                Some("title") => entry.0 = t.decode().unwrap().into_owned(),
                Some("updated") => entry.2 = t.decode().unwrap().into_owned(),
                _ => {}
            },
            (_, Event::End(e)) if e.local_name().as_ref() == b"entry" => {
                out.push(std::mem::take(&mut entry));
                in_entry = false;
            }
            (_, Event::End(_)) => field = None,
            (_, Event::Eof) => return out,
            _ => {}
        }
    }
}

#[test]
fn bad_updates_are_errors_where_they_are_written() {
    let s = Site::new().file(
        "content/a.md",
        &page(
            "A",
            "date = 2024-05-01\n\n[[updates]]\ndate = 2024-04-20\nkind = \"corection\"\ntext = \"x\"\n\n[[updates]]\ndate = 2999-01-01\nkind = \"update\"\n\n[[updates]]\ntext = \"y\"\n",
            "Body.\n",
        ),
    );
    fails_with(
        &s,
        r#"error[E079]: this `[[updates]]` entry is dated 2024-04-20, before the page's `date`
  ┌─ content/a.md:6:8
  │
6 │ date = 2024-04-20
  │        ^^^^^^^^^^
  │
  = hint: a change comes after the page it changes: fix this date, or the page's `date`

error[E079]: this `[[updates]]` entry has the kind `corection`, which is none of `correction`, `update`, `clarification`
  ┌─ content/a.md:7:8
  │
7 │ kind = "corection"
  │        ^^^^^^^^^^^
  │
  = hint: did you mean `correction`?

error[E079]: this `[[updates]]` entry has no `text`
   ┌─ content/a.md:10:1
   │
10 │ [[updates]]
   │ ^^^^^^^^^^^
   │
   = hint: say what changed, e.g. `text = "An earlier version misstated the date."`

error[E079]: this `[[updates]]` entry is dated 2999-01-01, in the future
   ┌─ content/a.md:11:8
   │
11 │ date = 2999-01-01
   │        ^^^^^^^^^^
   │
   = hint: date it the day the change is published

error[E079]: this `[[updates]]` entry has no `kind`
   ┌─ content/a.md:14:1
   │
14 │ [[updates]]
   │ ^^^^^^^^^^^
   │
   = hint: give it `kind = "correction"`, `"update"` or `"clarification"`

error[E079]: this `[[updates]]` entry has no `date`
   ┌─ content/a.md:14:1
   │
14 │ [[updates]]
   │ ^^^^^^^^^^^
   │
   = hint: give it the day the change was published, e.g. `date = 2024-05-20`"#,
    );
}

#[test]
fn labels_are_in_the_site_language() {
    let s = Site::new()
        .file("kagu.toml", &format!("{CONFIG}language = \"fr\"\n"))
        .file(
            "content/a.md",
            &page(
                "A",
                "[[updates]]\ndate = 2024-05-20\nkind = \"correction\"\ntext = \"Corrigé.\"\n",
                "Texte.\n",
            ),
        )
        .build_ok();
    let doc = s.html("a/index.html");
    assert_eq!(
        words(&doc, ".updates .update-label"),
        ["Correction · 20 mai 2024"]
    );
    assert_eq!(
        words(&s.html("updates/index.html"), "h1"),
        ["Mises à jour et corrections"]
    );
}

#[test]
fn an_update_dated_with_a_time_of_day_only_is_an_error() {
    let s = Site::new().file(
        "content/a.md",
        &page(
            "A",
            "[[updates]]\ndate = 12:30:00\nkind = \"update\"\ntext = \"New.\"\n",
            "Body.\n",
        ),
    );
    fails_with(
        &s,
        r#"error[E079]: this `[[updates]]` entry has a time of day for its `date`, without the day
  ┌─ content/a.md:4:8
  │
4 │ date = 12:30:00
  │        ^^^^^^^^
  │
  = hint: write the day, e.g. `date = 2024-05-20`"#,
    );
}
