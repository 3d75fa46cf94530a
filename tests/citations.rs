//! Citations and footnotes: numbering, reuse, notes both ways, the sources page, and every
//! sources error with its location.

use crate::harness::*;

const SOURCES: &str = r#"[rbc]
type = "article"
title = "Darmanin interview"
outlet = "RBC"
date = 2024-05-20
url = "https://example.org/rbc"

[boula]
title = "Conference report"
author = "Doe, Jane"
"#;

fn cited() -> Site {
    Site::new()
        .file("content/sources.toml", SOURCES)
        .file(
            "content/a.md",
            &page("A", "", "One[^fn] claim [@rbc]. Two [@boula; @rbc, p. 12]. `[@code]` and \\[@escaped].\n\n[^fn]: A plain footnote."),
        )
        .file("content/b.md", &page("B", "", "Again [@rbc]."))
}

/// [`cited`] with one note per source (Wikipedia's model).
fn cited_per_source() -> Site {
    cited().file("kagu.toml", &format!("{CONFIG}one_note_per_source = true\n"))
}

/// In a note style each citation is a note of its own, numbered with the footnotes.
#[test]
fn each_citation_is_a_note_numbered_with_the_footnotes() {
    let s = cited().build_ok();
    let a = s.html("a/index.html");
    assert_eq!(texts(&a, ".content sup.note-ref a"), ["[1]", "[2]", "[3]"]);
    assert_eq!(
        attrs(&a, ".content sup.note-ref", "id"),
        ["ref-1-1", "ref-2-1", "ref-3-1"]
    );
    assert_eq!(attrs(&a, ".notes li", "id"), ["note-1", "note-2", "note-3"]);
    assert_eq!(
        words(&a, ".notes .note-body"),
        [
            "A plain footnote.",
            "“Darmanin Interview,” RBC, May 20, 2024, https://example.org/rbc.",
            "Jane Doe, “Conference Report”; RBC, Darmanin Interview, 12.",
        ]
    );
    assert_eq!(attrs(&a, "#note-3 .backrefs a", "href"), ["#ref-3-1"]);
}

#[test]
fn citations_and_footnotes_share_one_numbered_sequence() {
    let s = cited_per_source().build_ok();
    let a = s.html("a/index.html");
    assert_eq!(texts(&a, ".content sup.note-ref a"), ["[1]", "[2]", "[3]", "[2]"]);
    assert_eq!(
        attrs(&a, ".content sup.note-ref", "id"),
        ["ref-1-1", "ref-2-1", "ref-3-1", "ref-2-2"]
    );
    assert_eq!(
        attrs(&a, ".content sup.note-ref a", "href"),
        ["#note-1", "#note-2", "#note-3", "#note-2"]
    );
    assert_eq!(attrs(&a, ".notes li", "id"), ["note-1", "note-2", "note-3"]);
    let html = s.read("a/index.html");
    assert!(html.contains("<code>[@code]</code>"), "code spans are left alone");
    assert!(html.contains("[@escaped]"), "escaped brackets stay text");
}

#[test]
fn each_note_links_back_to_every_spot_that_cites_it() {
    let s = cited_per_source().build_ok();
    let a = s.html("a/index.html");
    assert_eq!(attrs(&a, "#note-2 .backrefs a", "href"), ["#ref-2-1", "#ref-2-2"]);
    assert_eq!(texts(&a, "#note-2 .backrefs a"), ["a", "b"]);
    assert_eq!(texts(&a, "#note-2 .locator"), ["(p. 12)"]);
    assert_eq!(attrs(&a, "#note-1 .backrefs a", "href"), ["#ref-1-1"]);
    assert_eq!(texts(&a, "#note-1 .note-body"), ["A plain footnote."]);
    let note2 = texts(&a, "#note-2 .note-body").join("");
    assert!(
        note2.contains("Darmanin Interview") || note2.contains("Darmanin interview"),
        "{note2}"
    );
    assert!(note2.contains("RBC"), "{note2}");
    assert_eq!(attrs(&a, ".content sup.note-ref a", "role")[0], "doc-noteref");
}

#[test]
fn the_sources_page_lists_every_source_with_links_to_each_citing_spot() {
    let s = cited().build_ok();
    let src = s.html("sources/index.html");
    assert_eq!(attrs(&src, "ol.sources > li", "id").len(), 2);
    let rbc = attrs(&src, "#source-rbc .cited-at a", "href");
    assert_eq!(rbc, ["../a/#ref-2-1", "../a/#ref-3-1", "../b/#ref-1-1"]);
    assert!(texts(&src, "#source-rbc .source-entry")[0].contains("https://example.org/rbc"));
}

#[test]
fn an_uncited_source_is_a_warning() {
    let s = cited().file(
        "content/sources.toml",
        &format!("{SOURCES}\n[lonely]\ntitle = \"Nobody cites me\"\n"),
    );
    let r = s.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .starts_with("warning[W001]: source `lonely` is never cited\n   ┌─ content/sources.toml:12:2\n"),
        "{}",
        r.stderr
    );
    assert_eq!(s.kagu(&["check", "--deny-warnings"]).code, 1);
}

#[test]
fn unknown_citation_key_suggests_a_known_one() {
    let s = cited().file("content/c.md", &page("C", "", "Claim [@rbcc]."));
    fails_with(
        &s,
        r#"error[E030]: unknown citation key `@rbcc`
  ┌─ content/c.md:5:7
  │
5 │ Claim [@rbcc].
  │       ^^^^^^^
  │
  = hint: did you mean `@rbc`?"#,
    );
}

#[test]
fn malformed_citation() {
    let s = cited().file("content/c.md", &page("C", "", "Claim [@rbc p. 4]."));
    fails_with(
        &s,
        r#"error[E034]: malformed citation `[@rbc p. 4]`: unexpected `p. 4` after `@rbc`; put a `,` before a locator
  ┌─ content/c.md:5:7
  │
5 │ Claim [@rbc p. 4].
  │       ^^^^^^^^^^^
  │
  = hint: write citations as [@key], [@key, p. 12] or [@a; @b]; write \[@ for a literal bracket"#,
    );
}

#[test]
fn source_without_title_and_bad_urls() {
    let s = cited().file(
        "content/sources.toml",
        &format!("{SOURCES}\n[untitled]\nauthor = \"X\"\n\n[ftp]\ntitle = \"F\"\nurl = \"ftp://example.org/f\"\n\n[junk]\ntitle = \"J\"\nurl = \"not a url\"\n"),
    );
    fails_with(
        &s,
        r#"error[E032]: source `untitled` has no `title`
   ┌─ content/sources.toml:12:2
   │
12 │ [untitled]
   │  ^^^^^^^^
   │
   = hint: add `title = "…"` to the source

error[E033]: `ftp://example.org/f` is not a usable URL: the scheme `ftp` is not http or https
   ┌─ content/sources.toml:17:1
   │
17 │ url = "ftp://example.org/f"
   │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^
   │
   = hint: use a full http:// or https:// address

error[E033]: `not a url` is not a usable URL: relative URL without a base
   ┌─ content/sources.toml:21:1
   │
21 │ url = "not a url"
   │ ^^^^^^^^^^^^^^^^^
   │
   = hint: use a full http:// or https:// address"#,
    );
}

#[test]
fn unknown_source_field_suggests_the_right_one() {
    let s = cited().file(
        "content/sources.toml",
        &format!("{SOURCES}\n[x]\ntitle = \"X\"\noutlett = \"Y\"\n"),
    );
    let r = s.build();
    assert_eq!(r.code, 1);
    let d = diagnostics(&r);
    assert!(
        d.starts_with("error[E002]: unknown key `outlett` in a source\n   ┌─ content/sources.toml:14:1\n"),
        "{d}"
    );
    assert!(d.contains("= hint: did you mean `outlet`?"), "{d}");
}

#[test]
fn duplicate_key_across_toml_and_biblatex() {
    let s = cited()
        .file("kagu.toml", &format!("{CONFIG}bibliography = [\"refs.bib\"]\n"))
        .file("refs.bib", "@article{rbc,\n  title = {Again},\n  author = {Doe, John},\n  journal = {J},\n  year = {2020},\n}\n\n@book{fresh,\n  title = {A Book},\n  author = {Roe, Rita},\n  year = {2021},\n}\n")
        .file("content/c.md", &page("C", "", "[@fresh]"));
    fails_with(
        &s,
        r#"error[E031]: source `rbc` is defined twice (first in content/sources.toml)
  ┌─ refs.bib:1:10
  │
1 │ @article{rbc,
  │          ^^^
  │
  = hint: give each source a unique key"#,
    );
}

#[test]
fn biblatex_sources_are_cited_like_toml_ones() {
    let s = cited()
        .file("kagu.toml", &format!("{CONFIG}bibliography = [\"refs.bib\"]\n"))
        .file(
            "refs.bib",
            "@book{fresh,\n  title = {A Book},\n  author = {Roe, Rita},\n  year = {2021},\n}\n",
        )
        .file("content/c.md", &page("C", "", "[@fresh]"))
        .build_ok();
    let c = s.html("c/index.html");
    assert!(texts(&c, "#note-1 .note-body")[0].contains("A Book"));
}

#[test]
fn unknown_style_is_an_error() {
    let s = cited().file(
        "kagu.toml",
        &format!("{CONFIG}citation_style = \"chicago-note\"\n"),
    );
    let r = s.build();
    assert_eq!(r.code, 1);
    assert!(
        diagnostics(&r)
            .starts_with("error[E036]: unknown citation style `chicago-note`\n  ┌─ kagu.toml:3:1\n"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("did you mean `chicago-notes`?"), "{}", r.stderr);
}

/// A `.csl` file that cannot be used says why, at `citation_style`.
#[test]
fn an_unusable_style_file_is_a_located_error_saying_why() {
    let dependent = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<style xmlns=\"http://purl.org/net/xbiblio/csl\" version=\"1.0\">\n\
        <info><title>A journal</title><id>https://example.org/j</id>\n\
        <link href=\"http://www.zotero.org/styles/apa\" rel=\"independent-parent\"/>\n\
        <updated>2024-01-01T00:00:00+00:00</updated></info></style>\n";
    for (file, contents, why) in [
        (
            "styles/missing.csl",
            None,
            "No such file or directory (os error 2)",
        ),
        (
            "../outside.csl",
            None,
            "the path must be inside the project, relative to kagu.toml",
        ),
        (
            "styles/journal.csl",
            Some(dependent),
            "it is a dependent style; use its parent, http://www.zotero.org/styles/apa",
        ),
        (
            "styles/broken.csl",
            Some("<style xmlns=\"http://purl.org/net/xbiblio/csl\" class=\"note\"><info><title>x</title></info></style>\n"),
            "it is not CSL that kagu can read: missing field `id` (in `info`)",
        ),
    ] {
        let mut s = cited().file("kagu.toml", &format!("{CONFIG}citation_style = \"{file}\"\n"));
        if let Some(c) = contents {
            s = s.file(file, c);
        }
        let caret = "^".repeat(file.len() + 19);
        fails_with(
            &s,
            &format!(
                "error[E038]: cannot use the citation style file `{file}`: {why}
  ┌─ kagu.toml:3:1
  │
3 │ citation_style = \"{file}\"
  │ {caret}
  │
  = hint: give the path of an independent CSL style file, relative to kagu.toml, or a bundled style's name"
            ),
        );
    }
}

#[test]
fn the_bundled_explainer_cites_its_sources() {
    let (out, r) = build_bundled();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("warning["), "every source is cited");
    let read =
        |p: &str| scraper::Html::parse_document(&std::fs::read_to_string(out.path().join(p)).expect("page"));
    let alleg = read("allegations/index.html");
    let notes = texts(&alleg, ".notes .note-body").join("\n");
    assert!(notes.contains("RBC") && notes.contains("Vedomosti"), "{notes}");
    // Hajizadeh's remarks have no source the article names: their note is the article's.
    let responses = read("responses/index.html");
    assert!(texts(&responses, ".notes .note-body")
        .join("")
        .contains("[The news article this explainer is based on"));
    assert_eq!(
        attrs(&read("sources/index.html"), "ol.sources > li", "id").len(),
        4
    );
}

#[test]
fn an_archived_copy_and_the_writers_note_follow_the_entry_escaped() {
    let s = Site::new()
        .file("content/a.md", &page("A", "", "Claim.[@r]"))
        .file(
            "content/sources.toml",
            "[r]\ntype = \"report\"\ntitle = \"Annual Report\"\ninstitution = \"Court of Auditors\"\ndate = 2023\n\
             url = \"https://example.org/report\"\narchive_url = \"https://web.archive.org/web/2024/https://example.org/report?a=1&b=2\"\n\
             note = \"Quoted from the <French> edition\"\n",
        )
        .build_ok();
    let doc = s.html("a/index.html");
    assert_eq!(
        texts(&doc, ".notes .note-body"),
        ["Annual Report (Court of Auditors, 2023), https://example.org/report. Archived copy. Quoted from the <French> edition."]
    );
    assert_eq!(
        texts(&s.html("sources/index.html"), "#source-r .source-entry"),
        ["Annual Report. Court of Auditors, 2023. https://example.org/report. Archived copy. Quoted from the <French> edition."]
    );
    assert_eq!(
        attrs(&doc, ".notes .note-body a.archived", "href"),
        ["https://web.archive.org/web/2024/https://example.org/report?a=1&b=2"]
    );
    assert!(s
        .read("a/index.html")
        .contains("Quoted from the &lt;French&gt; edition."));
    assert_eq!(
        texts(&s.html("sources/index.html"), "#source-r a.archived"),
        ["Archived copy"]
    );
}

#[test]
fn a_bad_doi_or_isbn_is_a_located_error_naming_the_field() {
    let s = Site::new()
        .file("content/a.md", &page("A", "", "One.[@j] Two.[@b]"))
        .file(
            "content/sources.toml",
            "[j]\ntitle = \"J\"\ndoi = \"5509/2021\"\n\n[b]\ntitle = \"B\"\nisbn = \"12-34\"\n",
        );
    fails_with(
        &s,
        "error[E003]: bad value for `doi`: `5509/2021` is not a DOI: write it as `10.1234/abcd`
  ┌─ content/sources.toml:3:1
  │
3 │ doi = \"5509/2021\"
  │ ^^^^^^^^^^^^^^^^^

error[E003]: bad value for `isbn`: `12-34` is not an ISBN: write its 10 or 13 digits, hyphens allowed
  ┌─ content/sources.toml:7:1
  │
7 │ isbn = \"12-34\"
  │ ^^^^^^^^^^^^^^",
    );
}

/// BibLaTeX fields that hayagriva's reading left where CSL styles do not look (a report's or
/// thesis's institution, a thesis's type, a collection's book title and editors).
#[test]
fn biblatex_reports_theses_and_chapters_keep_their_institution_type_and_book() {
    let bib = "@report{rep,\n title = {Annual Report on the Territory},\n author = {Carter, Ana},\n\
               institution = {Court of Auditors},\n location = {Paris},\n date = {2023},\n}\n\
               @thesis{th,\n title = {Voting Rolls and Belonging},\n author = {Kanak, Marie},\n\
               institution = {University of New Caledonia},\n type = {phdthesis},\n date = {2022},\n}\n\
               @incollection{ch,\n title = {The Nouméa Accord},\n author = {Ruiz, Tomas},\n\
               booktitle = {Decolonization in the Pacific},\n editor = {Lee, Kim},\n\
               publisher = {Pacific Institute},\n pages = {17--40},\n date = {2019},\n}\n";
    let s = Site::new()
        .file("kagu.toml", &format!("{CONFIG}bibliography = [\"refs.bib\"]\n"))
        .file("refs.bib", bib)
        .file("content/a.md", &page("A", "", "One.[@rep] Two.[@th] Three.[@ch]"))
        .build_ok();
    assert_eq!(
        words(&s.html("a/index.html"), ".notes .note-body"),
        [
            "Ana Carter, Annual Report on the Territory (Court of Auditors, 2023).",
            "Marie Kanak, “Voting Rolls and Belonging” (PhD thesis, University of New Caledonia, 2022).",
            "Tomas Ruiz, “The Nouméa Accord,” in Decolonization in the Pacific, ed. Kim Lee (Pacific Institute, 2019).",
        ]
    );
    assert_eq!(
        words(&s.html("sources/index.html"), ".sources .source-entry"),
        [
            "Carter, Ana. Annual Report on the Territory. Court of Auditors, 2023.",
            "Kanak, Marie. “Voting Rolls and Belonging.” PhD thesis, University of New Caledonia, 2022.",
            "Ruiz, Tomas. “The Nouméa Accord.” In Decolonization in the Pacific, edited by Kim Lee. Pacific Institute, 2019.",
        ]
    );
}

/// The sources page lists the sources as the style orders its bibliography, and numbers them
/// only where the style is numeric.
#[test]
fn the_sources_page_follows_the_styles_order_and_numbers_only_numeric_styles() {
    let sources = "[zed]\ntitle = \"Zed\"\nauthor = \"Zimmer, Zoe\"\ndate = 2020\n\n\
                   [abe]\ntitle = \"Abe\"\nauthor = \"Abel, Ann\"\ndate = 2021\n\n\
                   [mid]\ntitle = \"Mid\"\nauthor = \"Miller, Max\"\ndate = 2019\n";
    for (style, order, numbered) in [
        ("chicago-notes", ["source-abe", "source-mid", "source-zed"], false),
        ("apa", ["source-abe", "source-mid", "source-zed"], false),
        ("ieee", ["source-zed", "source-abe", "source-mid"], true),
    ] {
        let s = Site::new()
            .file("kagu.toml", &format!("{CONFIG}citation_style = \"{style}\"\n"))
            .file(
                "content/a.md",
                &page("A", "", "One.[@zed] Two.[@abe] Three.[@mid]"),
            )
            .file("content/sources.toml", sources)
            .build_ok();
        let doc = s.html("sources/index.html");
        assert_eq!(attrs(&doc, "ol.sources > li", "id"), order, "{style}");
        assert_eq!(
            select(&doc, "ol.sources.unnumbered").is_empty(),
            numbered,
            "{style}"
        );
    }
}

/// Pandoc's prefixes, locators with words after them, and `-@key` all become notes: nothing is
/// left as literal `[@` text, and what the writer added is shown with the note.
#[test]
fn pandoc_prefixes_and_suppressed_authors_become_notes() {
    let s = Site::one_note_per_source()
        .file(
            "content/a.md",
            &page(
                "A",
                "",
                "One [see @rbc, p. 3; also @boula]. Two [-@rbc]. Three [@rbc, pp. 33-35 and passim]. \
                 Mail me@example.org [as always].",
            ),
        )
        .file("content/sources.toml", SOURCES)
        .build_ok();
    let html = s.read("a/index.html");
    assert!(
        !html.contains("[see") && !html.contains("[-@") && !html.contains("@rbc"),
        "{html}"
    );
    let doc = s.html("a/index.html");
    assert_eq!(
        attrs(&doc, "sup.note-ref a", "aria-label"),
        [
            "Source note 1, see, p. 3",
            "Source note 2, also",
            "Source note 1",
            "Source note 1, pp. 33-35 and passim"
        ]
    );
    assert_eq!(
        texts(&doc, "#note-1 .locator"),
        ["(see, p. 3)", "(pp. 33-35 and passim)"]
    );
    assert!(
        html.contains("Mail me@example.org [as always]."),
        "an address is not a citation"
    );
}

#[test]
fn a_prefix_without_a_key_is_a_located_error() {
    let s = Site::new()
        .file(
            "content/a.md",
            &page("A", "", "Claim [see @rbc; and also]. Other.[@boula]"),
        )
        .file("content/sources.toml", SOURCES);
    // Only the cause: `rbc` is not also reported as never cited.
    fails_with(
        &s,
        "error[E034]: malformed citation `[see @rbc; and also]`: `and also` has no `@key`
  ┌─ content/a.md:5:7
  │
5 │ Claim [see @rbc; and also]. Other.[@boula]
  │       ^^^^^^^^^^^^^^^^^^^^
  │
  = hint: write citations as [@key], [@key, p. 12] or [@a; @b]; write \\[@ for a literal bracket",
    );
}

const BOOKS: &str = r#"[carter]
type = "book"
title = "Currents of the Southern Shelf"
authors = ["Carter, Rosa", "Lindqvist, Tomas", "Okafor, Ngozi"]
publisher = "Harbour Press"
place = "Cape Town"
date = 2009

[mbeki]
type = "book"
title = "Islands in the Balance"
author = "Mbeki, Thandi"
publisher = "Harbour Press"
date = 2015
"#;

/// A site whose page `a/` has `body`, citing [`BOOKS`], with these lines added to kagu.toml;
/// built.
fn books(config: &str, body: &str) -> Site {
    Site::new()
        .file("kagu.toml", &format!("{CONFIG}{config}"))
        .file("content/sources.toml", BOOKS)
        .file("content/a.md", &page("A", "", body))
        .build_ok()
}

/// A page citing one source three times in a note style: a full note, then the short form, then
/// ibid where the style uses it, each with its locator, in the Notes list and as sidenotes.
#[test]
fn a_note_style_prints_full_then_short_notes_with_their_locators() {
    let body = "First [@carter, p. 17]. Other [@mbeki]. Again [@carter, pp. 20-22]. Same [@carter, pp. 20-22]. \
                Then [see @mbeki, chap. 2; also @carter]. Quiet [-@mbeki, p. 4]. Words [@carter, p. 5 and passim]. Next [@carter, p. 9].";
    for (style, notes) in [
        (
            "chicago-notes",
            [
                "Rosa Carter et al., Currents of the Southern Shelf (Harbour Press, 2009), 17.",
                "Thandi Mbeki, Islands in the Balance (Harbour Press, 2015).",
                "Carter et al., Currents of the Southern Shelf, 20–22.",
                "Carter et al., Currents of the Southern Shelf, 20–22.",
                "See Mbeki, Islands in the Balance, chap. 2; also Carter et al., Currents of the Southern Shelf.",
                "Islands in the Balance, 4.",
                "Carter et al., Currents of the Southern Shelf, 5 and passim.",
                "Carter et al., Currents of the Southern Shelf, 9.",
            ],
        ),
        (
            // A style file of the project's own (tests/fixtures/csl), with ibid.
            "ibid-notes.csl",
            [
                "Rosa Carter, Tomas Lindqvist, and Ngozi Okafor, Currents of the Southern Shelf, Harbour Press, 2009, 17.",
                "Thandi Mbeki, Islands in the Balance, Harbour Press, 2015.",
                "Carter, Lindqvist, and Okafor, Currents of the Southern Shelf, 20–22.",
                "Ibid.",
                "See Mbeki, Islands in the Balance, chap. 2; also Carter, Lindqvist, and Okafor, Currents of the Southern Shelf.",
                "Islands in the Balance, 4.",
                "Carter, Lindqvist, and Okafor, Currents of the Southern Shelf, 5 and passim.",
                "Ibid., 9.",
            ],
        ),
    ] {
        let csl = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/csl/ibid-notes.csl"))
            .expect("the test style");
        let s = Site::new()
            .file("kagu.toml", &format!("{CONFIG}citation_style = \"{style}\"\n"))
            .file("ibid-notes.csl", &csl)
            .file("content/sources.toml", BOOKS)
            .file("content/a.md", &page("A", "", body))
            .build_ok();
        let doc = s.html("a/index.html");
        let notes: Vec<&str> = notes.into_iter().filter(|n| !n.is_empty()).collect();
        assert_eq!(words(&doc, ".notes .note-body"), notes, "{style}");
        // Each marker's sidenote is its note, whole.
        let sidenotes: Vec<String> = words(&doc, ".content .sidenote")
            .iter()
            .map(|t| t.split_once(' ').map_or(t.clone(), |(_, rest)| rest.to_string()))
            .collect();
        assert_eq!(sidenotes, notes, "{style}");
    }
}

/// An author-date style prints citations in the text, each linking to its entry in the page's
/// References list, which links back to each citation (a, b, c).
#[test]
fn an_author_date_style_cites_in_the_text_and_lists_references() {
    let body = "First [@carter, p. 17]. Other [@mbeki].[^n] Again [see @carter, pp. 20-22]. Quiet [-@mbeki, p. 4].\n\n[^n]: A footnote stays a note.";
    let s = books("citation_style = \"apa\"\n", body);
    let doc = s.html("a/index.html");
    assert_eq!(
        words(&doc, ".content a.citation"),
        [
            "(Carter et al., 2009, p. 17)",
            "(Mbeki, 2015)",
            "(see Carter et al., 2009, pp. 20–22)",
            "(2015, p. 4)"
        ]
    );
    assert_eq!(
        attrs(&doc, ".content a.citation", "href"),
        ["#bib-carter", "#bib-mbeki", "#bib-carter", "#bib-mbeki"]
    );
    assert_eq!(words(&doc, ".content p")[0], "First (Carter et al., 2009, p. 17). Other (Mbeki, 2015).[1]1 A footnote stays a note. Again (see Carter et al., 2009, pp. 20–22). Quiet (2015, p. 4).");
    assert_eq!(words(&doc, ".notes .note-body"), ["A footnote stays a note."]);
    assert_eq!(attrs(&doc, ".references li", "id"), ["bib-carter", "bib-mbeki"]);
    assert_eq!(
        words(&doc, ".references .source-entry"),
        [
            "Carter, R., Lindqvist, T., & Okafor, N. (2009). Currents of the Southern Shelf. Harbour Press.",
            "Mbeki, T. (2015). Islands in the Balance. Harbour Press."
        ]
    );
    assert_eq!(
        attrs(&doc, "#bib-carter .backrefs a", "href"),
        ["#cite-1", "#cite-3"]
    );
    assert_eq!(texts(&doc, "#bib-carter .backrefs a"), ["a", "b"]);
    assert_eq!(
        attrs(&doc, ".content a.citation", "id"),
        ["cite-1", "cite-2", "cite-3", "cite-4"]
    );
    // The sources page links to each citing spot.
    let src = s.html("sources/index.html");
    assert_eq!(
        attrs(&src, "#source-carter .cited-at a", "href"),
        ["../a/#cite-1", "../a/#cite-3"]
    );
}

/// A numeric style numbers the sources as the page first cites them, `[1, p. 32]`, and numbers
/// its References list the same way.
#[test]
fn a_numeric_style_numbers_sources_by_first_citation_on_the_page() {
    let body = "One [@mbeki, p. 32]. Two [@carter]. Three [@mbeki].";
    let s = books("citation_style = \"ieee\"\n", body);
    let doc = s.html("a/index.html");
    assert_eq!(words(&doc, ".content a.citation"), ["[1, p. 32]", "[2]", "[1]"]);
    assert_eq!(attrs(&doc, ".references li", "id"), ["bib-mbeki", "bib-carter"]);
    assert!(select(&doc, ".references ol.unnumbered").is_empty());
    assert_eq!(texts(&doc, "#bib-mbeki .backrefs a"), ["a", "b"]);
}

/// `one_note_per_source` gives any style Wikipedia's model: one numbered note per source.
#[test]
fn one_note_per_source_gives_any_style_numbered_notes() {
    let s = books(
        "citation_style = \"apa\"\none_note_per_source = true\n",
        "One [@mbeki, p. 3]. Two [@carter]. Three [@mbeki].",
    );
    let doc = s.html("a/index.html");
    assert!(select(&doc, ".content a.citation").is_empty());
    assert_eq!(texts(&doc, ".content sup.note-ref a"), ["[1]", "[2]", "[1]"]);
    assert_eq!(
        words(&doc, ".notes .note-body"),
        [
            "Mbeki, T. (2015). Islands in the Balance. Harbour Press.",
            "Carter, R., Lindqvist, T., & Okafor, N. (2009). Currents of the Southern Shelf. Harbour Press."
        ]
    );
}

/// Pandoc's narrative citation, `@key` in the sentence: in a note style the author is named in
/// the text and the note leaves it out; in an author-date style the citation is prose. An
/// address, an escaped `\@` and a link's text are not citations; an unknown key is an error.
#[test]
fn narrative_citations_name_the_author_in_the_sentence() {
    let body = "As @carter argues, and @carter [p. 33] adds. Mail me@example.org or \\@handle and \
                [a link @carter](https://x.org).";
    let notes = books("", body);
    let html = notes.read("a/index.html");
    for expected in [
        "As Rosa Carter et al.<sup class=\"note-ref\" id=\"ref-1-1\">",
        "and Carter et al.<sup class=\"note-ref\" id=\"ref-2-1\">",
        "me@example.org or @handle and <a href=\"https://x.org\">a link @carter</a>.",
    ] {
        assert!(html.contains(expected), "no `{expected}` in:\n{html}");
    }
    assert!(!html.contains("[p. 33]"), "the locator is read, not printed");
    assert_eq!(
        words(&notes.html("a/index.html"), ".notes .note-body"),
        [
            "Currents of the Southern Shelf (Harbour Press, 2009).",
            "Currents of the Southern Shelf, 33."
        ]
    );
    let apa = books("citation_style = \"apa\"\n", body);
    assert_eq!(
        words(&apa.html("a/index.html"), ".content a.citation"),
        ["Carter et al. (2009)", "Carter et al. (2009, p. 33)"]
    );
    let unknown = Site::new().file("content/sources.toml", BOOKS).file(
        "content/a.md",
        &page("A", "", "As @mbeki and @nobody say.[@carter]"),
    );
    fails_with(
        &unknown,
        "error[E030]: unknown citation key `@nobody`
  ┌─ content/a.md:5:15
  │
5 │ As @mbeki and @nobody say.[@carter]
  │               ^^^^^^^
  │
  = hint: add the source to content/sources.toml, or write \\@ for an @ that cites nothing",
    );
}

/// #32: a title in brackets describes an item that has none: every style prints it as written,
/// in its brackets, never title-cased, quoted or in italics; a real title is untouched.
#[test]
fn a_bracketed_title_reads_as_a_description_in_every_style() {
    let sources = "[remarks]\ntitle = \"[Remarks by the spokesperson on France's allegations; no outlet is named]\"\n\n\
                   [bbc]\ntype = \"report\"\ntitle = \"[Report by the BBC on the riots]\"\n\n\
                   [real]\ntype = \"article\"\ntitle = \"The riots in the capital\"\noutlet = \"Le Monde\"\n";
    for style in ["chicago-notes", "apa", "ieee", "mla"] {
        let s = Site::new()
            .file("kagu.toml", &format!("{CONFIG}citation_style = \"{style}\"\n"))
            .file("content/sources.toml", sources)
            .file(
                "content/a.md",
                &page("A", "", "One.[@remarks] Two.[@bbc] Three.[@real]"),
            )
            .build_ok();
        let doc = s.html("sources/index.html");
        let entries = texts(&doc, ".sources li");
        let html = s.read("sources/index.html");
        for d in [
            "[Remarks by the spokesperson on France's allegations; no outlet is named]",
            "[Report by the BBC on the riots]",
        ] {
            assert!(
                entries.iter().any(|e| e.contains(d)),
                "{style}: {d} not as written in {entries:?}"
            );
            for wrapped in [format!("“{d}"), format!("‘{d}"), format!("\"{d}")] {
                assert!(
                    !entries.iter().any(|e| e.contains(&wrapped)),
                    "{style}: quoted: {entries:?}"
                );
            }
        }
        assert!(!html.contains("<i>["), "{style}: a description in italics");
        assert!(
            entries
                .iter()
                .any(|e| e.contains("riots in the capital") || e.contains("Riots in the Capital")),
            "{style}: {entries:?}"
        );
        assert!(
            !entries
                .iter()
                .any(|e| e.contains('\u{E010}') || e.contains('\u{E011}')),
            "{style}"
        );
    }
}

/// #32 item 9: what a copy desk would notice. Words with a capital inside keep their case in
/// Chicago's title case (PortWatch, el-Mandeb, RBC), as citeproc-js keeps them; a report's
/// institution is printed beside its publisher; and in an author-date style a citation after
/// the full stop is W013 (before it, and in a note style, it is not).
#[test]
fn proper_nouns_institutions_and_citations_after_the_stop() {
    let sources =
        "[pw]\ntype = \"report\"\ntitle = \"The PortWatch data on Bab el-Mandeb, as RBC reports\"\n\
                   author = \"Doe, Jane\"\ndate = 2024\npublisher = \"IMF\"\ninstitution = \"World Bank\"\n";
    let body = "Shipping fell [@pw]. It rose again.[@pw] \"Quoted.\"[@pw]";
    let notes = Site::new()
        .file("content/sources.toml", sources)
        .file("content/a.md", &page("A", "", body))
        .build_ok();
    let entry = texts(&notes.html("sources/index.html"), ".sources li").join(" ");
    assert!(
        entry.contains("The PortWatch Data on Bab el-Mandeb, as RBC Reports"),
        "{entry}"
    );
    assert!(entry.contains("World Bank; IMF"), "{entry}");

    let apa = Site::new()
        .file("kagu.toml", &format!("{CONFIG}citation_style = \"apa\"\n"))
        .file("content/sources.toml", sources)
        .file("content/a.md", &page("A", "", body));
    let r = apa.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        diagnostics(&r),
        "warning[W013]: this citation follows the sentence's `.`: the style prints it after the sentence it supports
  ┌─ content/a.md:5:36
  │
5 │ Shipping fell [@pw]. It rose again.[@pw] \"Quoted.\"[@pw]
  │                                    ^^^^^
  │
  = hint: put it before the `.`: `claim [@key].` reads right in every style (a note style moves its note after the `.`)

warning[W013]: this citation follows the sentence's `.`: the style prints it after the sentence it supports
  ┌─ content/a.md:5:51
  │
5 │ Shipping fell [@pw]. It rose again.[@pw] \"Quoted.\"[@pw]
  │                                                   ^^^^^
  │
  = hint: put it before the `.`: `claim [@key].` reads right in every style (a note style moves its note after the `.`)"
    );
    let entry = texts(&apa.html("sources/index.html"), ".sources li").join(" ");
    assert!(
        entry.contains("The PortWatch data on Bab el-Mandeb, as RBC reports"),
        "{entry}"
    );
}

/// #33: `archived = true` (the live copy is gone): the entry links the archived copy and says
/// the original address as text; without an `archive_url` it is an error at the key.
#[test]
fn an_archived_source_links_its_archived_copy_first() {
    let sources = "[k]\ntitle = \"The report\"\ntype = \"report\"\nurl = \"https://example.org/gone\"\n\
                   archive_url = \"https://web.archive.org/web/2024/https://example.org/gone\"\narchived = true\n";
    let s = Site::new()
        .file("content/sources.toml", sources)
        .file("content/a.md", &page("A", "", "Claim [@k]."))
        .build_ok();
    let doc = s.html("sources/index.html");
    let links = attrs(&doc, ".sources li a[href^='http']", "href");
    assert_eq!(
        links,
        ["https://web.archive.org/web/2024/https://example.org/gone"]
    );
    assert!(texts(&doc, ".sources li .gone")
        .join("")
        .contains("Original address, no longer available: https://example.org/gone."));
    let note = texts(&s.html("a/index.html"), ".notes li").join(" ");
    assert!(note.contains("web.archive.org"), "{note}");

    let none = Site::new()
        .file(
            "content/sources.toml",
            "[k]\ntitle = \"K\"\nurl = \"https://example.org/gone\"\narchived = true\n",
        )
        .file("content/a.md", &page("A", "", "Claim [@k]."));
    fails_with(
        &none,
        "error[E077]: `archived = true` says the live copy is gone, but the source has no `archive_url` for its notes to link
  ┌─ content/sources.toml:4:1
  │
4 │ archived = true
  │ ^^^^^^^^^^^^^^^
  │
  = hint: add its `archive_url` (from the Wayback Machine, say), or remove `archived = true`",
    );
}
