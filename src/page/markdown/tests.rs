//! Unit tests of the Markdown pass.

use super::*;

/// A page parsed alone with the default theme's blocks (test code may use every layer).
fn parse(md: &str, file: FileId, offset: usize, mode: CiteMode) -> (ParsedMarkdown, Vec<Diagnostic>) {
    super::parse(md, file, offset, mode, &crate::output::theme::builtin_blocks())
}

fn html(md: &str) -> String {
    parse(md, FileId(0), 0, CiteMode::Notes).0.body.render(
        |h| match h {
            LinkHole::Page(i) => format!("LINK{}", i.index()),
            LinkHole::File(j) => format!("FILE{}", j.index()),
            LinkHole::Size(_) | LinkHole::Language(_) => String::new(),
        },
        |_| String::new(),
    )
}

#[test]
fn words_are_counted_as_split_whitespace_counts_them() {
    for text in [
        "",
        "  ",
        "one",
        " two words ",
        "tab\tand\nnewline\x0bvertical\x0cfeed\r",
        "non-ASCII caf\u{e9}\u{a0}and\u{2003}spaces",
        "ends with space ",
    ] {
        assert_eq!(count_words(text), text.split_whitespace().count(), "{text:?}");
    }
}

proptest::proptest! {
    /// Any text, of any length (the count runs 255 bytes at a time), counts as `split_whitespace`.
    #[test]
    fn any_text_counts_as_split_whitespace_counts_it(
        text in "([ \t\n\x0b\x0c\r]{0,3}[a-z.]{0,9}){0,120}( caf\u{e9}\u{a0})?",
    ) {
        proptest::prop_assert_eq!(count_words(&text), text.split_whitespace().count());
    }
}

#[test]
fn heading_ids_follow_githubs_slugger() {
    for (title, id) in [
        ("Hello, World!", "hello-world"),
        ("Élysée Palace", "élysée-palace"),
        ("快速上手", "快速上手"),
        ("Москва и Баку", "москва-и-баку"),
        ("🚀 Features", "-features"),
        ("What's new in 2.0?", "whats-new-in-20"),
        ("snake_case and kebab-case", "snake_case-and-kebab-case"),
    ] {
        assert_eq!(github_slug(title), id, "{title}");
    }
    let (p, _) = parse(
        "## 🚀 Features\n\n## 快速上手\n\n## Features\n",
        FileId(0),
        0,
        CiteMode::Notes,
    );
    let ids: Vec<_> = p.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["-features", "快速上手", "features"]);
}

#[test]
fn headings_get_unique_ids_and_self_links() {
    let (p, _) = parse(
        "# Hello\n\n## Hello\n\n## Custom {#mine}\n",
        FileId(0),
        0,
        CiteMode::Notes,
    );
    let ids: Vec<_> = p.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["hello", "hello-1", "mine"]);
    let (p, _) = parse(
        "# Main\n\n## Note 1\n\n## Ref 1 2\n\n## Notes heading\n",
        FileId(0),
        0,
        CiteMode::Notes,
    );
    let ids: Vec<_> = p.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["main-1", "note-1-1", "ref-1-2-1", "notes-heading-1"]);
    assert!(
        html("## Hi there\n").contains("<h2 id=\"hi-there\">Hi there <a class=\"anchor\" href=\"#hi-there\"")
    );
}

#[test]
fn internal_links_become_holes_and_external_stay() {
    let (p, _) = parse(
        "[a](b.md#x) [c](https://e.org/d.md)",
        FileId(0),
        10,
        CiteMode::Notes,
    );
    assert_eq!(p.links.len(), 1);
    assert_eq!(p.links[0].path, "b.md");
    assert_eq!(p.links[0].fragment.as_deref(), Some("x"));
    assert_eq!(p.links[0].span, 10..21);
    let out = html("[a](b.md) [c](https://e.org/)");
    assert!(out.contains("<a href=\"LINK0\">a</a>"), "{out}");
    assert!(out.contains("href=\"https://e.org/\""));
}

/// A hole other than a sidenote, as the tests below write it.
fn shown(m: Mark) -> String {
    match m {
        Mark::Sidenote { number, .. } => format!("<side {number}>"),
        Mark::Cite(g) => format!("<cite {}>", g.index()),
        Mark::Author(g) => format!("<author {}>", g.index()),
        Mark::Mentions(e) => format!("<mentions {}>", e.index()),
        Mark::TermOpen(t) => format!("<term {}>", t.index()),
        Mark::TermClose(t) => format!("</term {}>", t.index()),
        Mark::Listed(l) => format!("<listed {}>", l.index()),
        Mark::ClaimOpen(c) => format!("<claim {}>", c.index()),
        Mark::ClaimClose(c) => format!("</claim {}>", c.index()),
        Mark::Linked(c) => format!("<linked {}>", c.index()),
        Mark::Ld(l) => format!("<ld {}>", l.index()),
    }
}

#[test]
fn citations_and_footnotes_share_one_sequence() {
    let md = "A[^n] b [@x] c [@y; @x, p. 3].\n\n[^n]: Note.\n";
    let side = |m: Mark| match m {
        Mark::Sidenote { number, occurrence } => format!("<side {number}.{occurrence}>"),
        other => shown(other),
    };
    // One note per source (Wikipedia's model): repeats are markers to one note.
    let (p, d) = parse(md, FileId(0), 0, CiteMode::NotePerSource);
    assert!(d.is_empty(), "{d:?}");
    let numbers: Vec<_> = p.notes.iter().map(|n| (n.number, n.uses.len())).collect();
    assert_eq!(numbers, [(1, 1), (2, 2), (3, 1)]);
    assert_eq!(p.notes[1].uses, [None, Some("p. 3".to_string())]);
    let out = p.body.render(|_| String::new(), side);
    assert!(out.contains("</sup><side 2.2>"), "{out}");
    assert!(out.contains("id=\"ref-2-2\""), "{out}");
    // A note style: each citation is a note of its own, numbered with the footnotes.
    let (p, _) = parse(md, FileId(0), 0, CiteMode::Notes);
    let kinds: Vec<_> = p
        .notes
        .iter()
        .map(|n| match &n.kind {
            NoteKind::Citation { group } => format!("{} cites group {}", n.number, group.index()),
            NoteKind::Footnote { label, .. } => format!("{} footnote {label}", n.number),
            NoteKind::Source { key } => format!("{} source {key}", n.number),
        })
        .collect();
    assert_eq!(kinds, ["1 footnote n", "2 cites group 0", "3 cites group 1"]);
    let anchors: Vec<_> = p.cites().map(|c| (c.key, c.anchor.to_string())).collect();
    assert_eq!(
        anchors,
        [
            ("x", "ref-2-1".to_string()),
            ("y", "ref-3-1".to_string()),
            ("x", "ref-3-1".to_string())
        ]
    );
    // An in-text style: citations stay in the text (punctuation after them too); footnotes
    // alone are numbered.
    let (p, _) = parse(md, FileId(0), 0, CiteMode::InText { numeric: false });
    assert_eq!(p.notes.len(), 1);
    let out = p.body.render(|_| String::new(), side);
    assert!(out.contains("b <cite 0> c <cite 1>."), "{out}");
    let anchors: Vec<_> = p.cites().map(|c| c.anchor.to_string()).collect();
    assert_eq!(anchors, ["cite-1", "cite-2", "cite-2"]);
}

#[test]
fn narrative_citations_take_their_bracketed_locator() {
    let side = shown;
    let md = "As @a [p. 33] says, @b [and more] too; \\@c and `@d` not.";
    let (p, d) = parse(md, FileId(0), 0, CiteMode::InText { numeric: false });
    assert!(d.is_empty(), "{d:?}");
    let cites: Vec<_> = p.cites().map(|c| (c.key, c.span.clone())).collect();
    assert_eq!(cites, [("a", 3..13), ("b", 20..22)]);
    let locators: Vec<_> = p
        .citations
        .iter()
        .map(|g| g.items[0].locator.as_deref())
        .collect();
    assert_eq!(locators, [Some("p. 33"), None]);
    let out = p.body.render(|_| String::new(), side);
    assert!(
        out.contains("As <cite 0> says, <cite 1> [and more] too; @c and <code>@d</code>"),
        "{out}"
    );
    // An escape inside a key ends the text there: the `@` stays text, nothing panics.
    let (p, d) = parse("Say @\\_é [p. 3] then.", FileId(0), 0, CiteMode::Notes);
    assert!(p.citations.is_empty() && d.is_empty(), "{d:?}");
    let (p, _) = parse(md, FileId(0), 0, CiteMode::Notes);
    let out = p.body.render(|_| String::new(), side);
    assert!(out.contains("As <author 0><sup"), "{out}");
    assert!(out.contains("</sup><side 1> says,"), "{out}");
}

#[test]
fn code_and_escapes_are_not_citations() {
    let (p, _) = parse(
        "`[@x]` and \\[@y] and\n\n    [@z]\n",
        FileId(0),
        0,
        CiteMode::Notes,
    );
    assert!(p.citations.is_empty());
}
