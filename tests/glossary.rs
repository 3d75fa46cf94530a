//! The glossary: entries from content/glossary.toml, the first mention of each on a page linked
//! to its card (never in headings, links, code, block quotes or quotations), forced and
//! suppressed links, the page that lists it, JSON-LD and glossary.json, and its mistakes.

use crate::harness::*;

const ENTRIES: &str = r#"[darmanin]
kind = "person"
name = "Gérald Darmanin"
aliases = ["Darmanin"]
description = "France's interior minister.[@rbc]"
page = "a.md"

[majlis]
kind = "organisation"
name = "Milli Majlis"
description = "Azerbaijan's parliament."

[nc]
kind = "place"
name = "New Caledonia"
description = "A French overseas territory."
"#;

fn site(body: &str) -> Site {
    Site::new()
        .file("content/sources.toml", RBC_SOURCE)
        .file("content/glossary.toml", ENTRIES)
        .file("content/who.md", &page("Who", "", "{{ glossary() }}\n"))
        .file("content/a.md", &page("A", "", body))
}

/// Each linked mention on the page: (its text, the entry it links).
fn linked(s: &Site, rel: &str) -> Vec<(String, String)> {
    let doc = s.html(rel);
    select(&doc, "a.term")
        .iter()
        .map(|a| {
            (
                a.text().collect::<String>(),
                a.value().attr("data-term").unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_first_mention_on_a_page_links_to_its_entry_once() {
    let s = site(
        "## Darmanin in a heading\n\nDarmanin spoke; Darmanin again. The Milli Majlis met. \
         New Caledonia, new caledonia, New Caledonians.\n",
    )
    .build_ok();
    assert_eq!(
        linked(&s, "a/index.html"),
        [
            ("Darmanin".to_string(), "darmanin".to_string()),
            ("Milli Majlis".to_string(), "majlis".to_string()),
            ("New Caledonia".to_string(), "nc".to_string())
        ]
    );
    let doc = s.html("a/index.html");
    assert_eq!(
        attrs(&doc, "a.term", "href"),
        ["../who/#term-darmanin", "../who/#term-majlis", "../who/#term-nc"]
    );
    // Each link is followed by its card, which the theme shows as a popover.
    assert_eq!(
        words(&doc, ".term-card"),
        [
            "Gérald Darmanin France’s interior minister.",
            "Milli Majlis Azerbaijan’s parliament.",
            "New Caledonia A French overseas territory."
        ]
    );
    assert!(
        select(&doc, "h2 a.term").is_empty(),
        "a heading's words are not linked"
    );
}

#[test]
fn words_in_links_code_block_quotes_and_quotations_stay_plain() {
    let s = site(
        "[Darmanin's page](who.md), `Darmanin`, and:\n\n> Darmanin said so.\n\n\
         He said “Darmanin is right”, then the Milli Majlis answered.\n\n```\nDarmanin\n```\n",
    )
    .build_ok();
    assert_eq!(
        linked(&s, "a/index.html"),
        [("Milli Majlis".to_string(), "majlis".to_string())]
    );
}

#[test]
fn a_link_can_force_or_suppress_a_mention() {
    let s =
        site("[The minister](glossary:darmanin) spoke. [Darmanin](glossary:none) too, and later Darmanin.\n")
            .build_ok();
    // The forced link is the page's mention: later ones stay plain.
    assert_eq!(
        linked(&s, "a/index.html"),
        [("The minister".to_string(), "darmanin".to_string())]
    );
}

#[test]
fn the_glossary_page_lists_entries_by_kind_with_what_mentions_them() {
    // Darmanin twice on one page (his name, then a forced link): the page is named once.
    let s = site("Darmanin and New Caledonia. [The minister](glossary:darmanin).\n").build_ok();
    let doc = s.html("who/index.html");
    assert_eq!(
        words(&doc, "h2.glossary-kind"),
        ["People", "Organisations", "Places"]
    );
    assert_eq!(
        words(&doc, ".glossary dt"),
        ["Gérald Darmanin", "Milli Majlis", "New Caledonia"]
    );
    assert_eq!(
        attrs(&doc, ".glossary dt", "id"),
        ["term-darmanin", "term-majlis", "term-nc"]
    );
    assert_eq!(words(&doc, ".term-aliases"), ["Also: Darmanin"]);
    assert_eq!(attrs(&doc, ".term-page a", "href"), ["../a/"]);
    assert_eq!(
        words(&doc, ".term-mentions"),
        ["Mentioned on A.", "Mentioned on A."]
    );
    // The description's citation is a note of the glossary's page.
    assert_eq!(attrs(&doc, ".glossary sup.note-ref", "id"), ["ref-1-1"]);
    let ld: serde_json::Value =
        serde_json::from_str(&select(&doc, "script[type=\"application/ld+json\"]")[0].inner_html())
            .expect("JSON-LD");
    let types: Vec<&str> = ld["@graph"]
        .as_array()
        .expect("graph")
        .iter()
        .map(|e| e["@type"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(types, ["Person", "Organization", "Place"]);
    assert_eq!(ld["@graph"][0]["alternateName"], serde_json::json!(["Darmanin"]));
    let data: serde_json::Value = serde_json::from_str(&s.read("glossary.json")).expect("glossary.json");
    assert_eq!(data["entries"][0]["key"], "darmanin");
    assert_eq!(data["entries"][0]["listed_on"], "who/#term-darmanin");
    assert_eq!(data["entries"][0]["mentioned_on"], serde_json::json!(["a/"]));
}

#[test]
fn an_entry_no_page_mentions_is_a_warning() {
    let r = site("Darmanin and New Caledonia.\n").build();
    assert_eq!(r.code, 0);
    assert_eq!(
        diagnostics(&r),
        r#"warning[W007]: glossary entry `majlis` is mentioned on no page
  ┌─ content/glossary.toml:8:2
  │
8 │ [majlis]
  │  ^^^^^^
  │
  = hint: mention it on a page (by its name or an alias), or remove it"#
    );
}

#[test]
fn glossary_mistakes_are_located_with_suggestions() {
    let s = Site::new()
        .file(
            "content/glossary.toml",
            "[a]\nkind = \"persn\"\nname = \"A\"\n\n[b]\nkind = \"place\"\n\n[kanak]\nkind = \"term\"\nname = \"Kanak\"\n",
        )
        .file("content/a.md", &page("A", "", "Kanak and [x](glossary:kanaks).\n"));
    fails_with(
        &s,
        r#"error[E067]: no page lists the glossary, so the words it explains cannot link to it
  ┌─ content/glossary.toml:1:1
  │
1 │ [a]
  │ ^
  │
  = hint: write `{{ glossary() }}` on the page that lists the entries

error[E064]: `persn` is not a kind of glossary entry
  ┌─ content/glossary.toml:2:1
  │
2 │ kind = "persn"
  │ ^^^^^^^^^^^^^^
  │
  = hint: did you mean `person`?

error[E065]: glossary entry `b` has no name
  ┌─ content/glossary.toml:5:2
  │
5 │ [b]
  │  ^
  │
  = hint: give every entry a `kind` and a `name`

error[E066]: the glossary has no entry `kanaks`
  ┌─ content/a.md:5:11
  │
5 │ Kanak and [x](glossary:kanaks).
  │           ^^^^^^^^^^^^^^^^^^^^
  │
  = hint: did you mean `glossary:kanak`?"#,
    );
}

#[test]
fn an_entry_without_a_kind_and_glossary_blocks_that_list_nothing_are_errors() {
    let s = Site::new()
        .file("content/glossary.toml", "[a]\nname = \"A\"\n")
        .file(
            "content/a.md",
            &page("A", "", "{{ glossary() }}\n\n{{ glossary(kind = \"person\") }}\n"),
        );
    fails_with(
        &s,
        r#"error[E065]: glossary entry `a` has no kind
  ┌─ content/glossary.toml:1:2
  │
1 │ [a]
  │  ^
  │
  = hint: give every entry a `kind` and a `name`

error[E067]: content/glossary.toml has no entries to list
  ┌─ content/a.md:5:1
  │
5 │ {{ glossary() }}
  │ ^^^^^^^^^^^^^^^^
  │
  = hint: write `{{ glossary() }}` on the page that lists the entries

error[E067]: a glossary block takes nothing between its brackets, not `kind = "person"`
  ┌─ content/a.md:7:1
  │
7 │ {{ glossary(kind = "person") }}
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  │
  = hint: write `{{ glossary() }}` on the page that lists the entries"#,
    );
}

#[test]
fn a_glossary_block_without_a_glossary_file_says_so() {
    let s = Site::new().file("content/a.md", &page("A", "", "{{ glossary() }}\n"));
    fails_with(
        &s,
        r#"error[E067]: the site has no content/glossary.toml to list
  ┌─ content/a.md:5:1
  │
5 │ {{ glossary() }}
  │ ^^^^^^^^^^^^^^^^
  │
  = hint: write `{{ glossary() }}` on the page that lists the entries"#,
    );
}

#[test]
fn a_mention_on_the_page_that_lists_its_entry_links_to_the_anchor_alone() {
    let s = Site::new()
        .file("content/sources.toml", RBC_SOURCE)
        .file("content/glossary.toml", ENTRIES)
        .file(
            "content/who.md",
            &page("Who", "", "New Caledonia, first.\n\n{{ glossary() }}\n"),
        )
        .file("content/a.md", &page("A", "", "Darmanin and the Milli Majlis.\n"))
        .build_ok();
    let doc = s.html("who/index.html");
    assert_eq!(attrs(&doc, "a.term[data-term=\"nc\"]", "href"), ["#term-nc"]);
}
