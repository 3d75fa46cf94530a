//! The dev server's incremental rebuilds against a fresh build: after every edit of a scripted
//! sequence (prose, title, heading, link, citation, source, template, static file, new and
//! removed pages and folders, kagu.toml), the folder `kagu serve` keeps up to date holds exactly
//! the files a fresh build of the same project writes, byte for byte; after an edit that breaks
//! the site, exactly the last good site.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use kagu::driver::serve::watch;
use kagu::driver::site::{Destination, Flavour, Site as Project};
use kagu::project::options::BuildOptions;

use crate::harness::{page, tree_but, Site, CONFIG};

/// The first difference between two trees, said as a reader would look for it.
fn difference(incremental: &BTreeMap<String, Vec<u8>>, fresh: &BTreeMap<String, Vec<u8>>) -> Option<String> {
    let a: BTreeSet<&String> = incremental.keys().collect();
    let b: BTreeSet<&String> = fresh.keys().collect();
    if a != b {
        let extra: Vec<_> = a.difference(&b).collect();
        let missing: Vec<_> = b.difference(&a).collect();
        return Some(format!(
            "files only after the edit: {extra:?}; files only in a fresh build: {missing:?}"
        ));
    }
    incremental.iter().find(|(k, v)| fresh[*k] != **v).map(|(k, v)| {
        let (x, y) = (String::from_utf8_lossy(v), String::from_utf8_lossy(&fresh[k]));
        let at = x
            .bytes()
            .zip(y.bytes())
            .position(|(p, q)| p != q)
            .unwrap_or(x.len().min(y.len()));
        let near = |s: &str| {
            s.get(at.saturating_sub(80)..(at + 80).min(s.len()))
                .unwrap_or("")
                .to_string()
        };
        format!(
            "{k} differs at byte {at}:\n  after the edit: …{}…\n  fresh build:    …{}…",
            near(&x),
            near(&y)
        )
    })
}

struct Session {
    site: Site,
    dev: Project,
    out: tempfile::TempDir,
}

impl Session {
    fn start(site: Site) -> Session {
        let out = tempfile::tempdir().expect("temp");
        let mut dev = Project::load(options(site.root()), Flavour::Preview);
        dev.build(Destination::Live(out.path()), &|_, _| {});
        Session { site, dev, out }
    }

    /// Writes (or with None removes) files, lets the dev site apply what the watcher would
    /// report, and compares its output with a fresh build's.
    fn edit(&mut self, what: &str, files: &[(&str, Option<&str>)]) {
        let root = self.site.root().to_path_buf();
        let mut paths: Vec<PathBuf> = Vec::new();
        for (rel, text) in files {
            let p = root.join(rel);
            let parent = p.parent().expect("parent").to_path_buf();
            let new_folder = !parent.exists();
            match text {
                Some(t) => {
                    std::fs::create_dir_all(&parent).expect("mkdir");
                    std::fs::write(&p, t).expect("write");
                }
                None if p.is_dir() => std::fs::remove_dir_all(&p).expect("remove folder"),
                None => std::fs::remove_file(&p).expect("remove"),
            }
            paths.push(p.clone());
            // A new folder is reported as a folder, as the watcher sees it.
            if new_folder {
                paths.push(parent);
            }
        }
        let before = pages_tree(self.out.path());
        let config = self.dev.config().clone();
        let changes = watch::changes(
            &root,
            &paths,
            &config.theme,
            &config.bibliography,
            &config.citation_style,
        );
        self.dev
            .apply(&changes, Destination::Live(self.out.path()), &|_, _| {});
        let fresh_out = tempfile::tempdir().expect("temp");
        let mut fresh = Project::load(options(&root), Flavour::Preview);
        fresh.build(Destination::Live(fresh_out.path()), &|_, _| {});
        // The problems shown are a fresh build's too: none stale, none missing.
        let (now, want) = (problems(&self.dev), problems(&fresh));
        assert_eq!(
            now, want,
            "after {what}: the dev server reports other problems than a fresh build"
        );
        let fresh_tree = pages_tree(fresh_out.path());
        // An edit that makes the site fail leaves the last good site in place, as served.
        let expected = if fresh_tree.is_empty() { before } else { fresh_tree };
        if let Some(d) = difference(&pages_tree(self.out.path()), &expected) {
            panic!("after {what}: {d}");
        }
    }
}

/// The live folder's files but its search index, which the dev server makes on another thread
/// once edits pause (tests/search.rs checks that it follows edits); its folders are not read,
/// as that thread may be replacing their files.
fn pages_tree(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    tree_but(dir, "pagefind")
}

/// Each problem a site reports, as the overlay shows it.
fn problems(site: &Project) -> Vec<String> {
    site.report()
        .diagnostics
        .items()
        .iter()
        .map(|d| {
            let v = d.view(site.files());
            format!(
                "{} {:?}:{:?}:{:?} {}",
                v.code, v.file, v.line, v.column, v.message
            )
        })
        .collect()
}

fn options(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        ..BuildOptions::default()
    }
}

const SOURCES: &str =
    "[rbc]\ntitle = \"Darmanin interview\"\ntype = \"article\"\noutlet = \"RBC\"\ndate = 2024-05-20\n\n\
                       [doe]\ntitle = \"Conference report\"\nauthor = \"Doe, Jane\"\n";

/// Page One of the scripted site, with `body`.
fn one(body: &str) -> String {
    page("One", "weight = 1\n", body)
}

/// Page Two of the scripted site once renamed, with `body`.
fn two(body: &str) -> String {
    page("Two renamed", "weight = 2\n", body)
}

const C_FRONT: &str = "aliases = [\"old/c/\"]\ndescription = \"Shown beside the link.\"\n";

#[test]
fn every_incremental_rebuild_equals_a_fresh_build() {
    let site = Site::new()
        .file("content/sources.toml", SOURCES)
        .file(
            "content/one.md",
            &page(
                "One",
                "weight = 1\n",
                "## First\n\nClaim [@rbc]. See [two](two.md#second).\n",
            ),
        )
        .file(
            "content/two.md",
            &page(
                "Two",
                "weight = 2\n",
                "## Second\n\nAnother [@doe, p. 3].[^n]\n\n[^n]: A note.\n",
            ),
        )
        .file(
            "content/part/_index.md",
            &page("Part", "weight = 3\n", "Intro.\n"),
        )
        .file("content/part/a.md", &page("A", "", "Leaf [@rbc; @doe].\n"));
    let mut s = Session::start(site);
    s.edit(
        "a prose edit",
        &[(
            "content/one.md",
            Some(&one(
                "## First\n\nClaim [@rbc]. See [two](two.md#second). More prose.\n",
            )),
        )],
    );
    s.edit(
        "a title edit",
        &[(
            "content/two.md",
            Some(&page(
                "Two renamed",
                "weight = 2\n",
                "## Second\n\nAnother [@doe, p. 3].[^n]\n\n[^n]: A note.\n",
            )),
        )],
    );
    s.edit(
        "a heading edit that breaks a link",
        &[(
            "content/two.md",
            Some(&page(
                "Two renamed",
                "weight = 2\n",
                "## Latter\n\nAnother [@doe, p. 3].[^n]\n\n[^n]: A note.\n",
            )),
        )],
    );
    s.edit(
        "the link fixed",
        &[(
            "content/one.md",
            Some(&one(
                "## First\n\nClaim [@rbc]. See [two](two.md#latter). More prose.\n",
            )),
        )],
    );
    s.edit(
        "a citation added",
        &[(
            "content/one.md",
            Some(&one(
                "## First\n\nClaim [@rbc]. Also [see @doe, p. 9]. See [two](two.md#latter).\n",
            )),
        )],
    );
    s.edit(
        "a heading renamed, keeping the id a link names",
        &[(
            "content/two.md",
            Some(&two(
                "## Latter part {#latter}\n\nAnother [@doe, p. 3].[^n]\n\n[^n]: A note.\n",
            )),
        )],
    );
    s.edit(
        "the heading a link sits under renamed (the linked page names it)",
        &[(
            "content/one.md",
            Some(&one(
                "## Opening\n\nClaim [@rbc]. Also [see @doe, p. 9]. See [two](two.md#latter).\n",
            )),
        )],
    );
    s.edit(
        "a heading added above the link",
        &[(
            "content/one.md",
            Some(&one(
                "## Opening\n\nClaim [@rbc]. Also [see @doe, p. 9].\n\n## Read on\n\nSee [two](two.md#latter).\n",
            )),
        )],
    );
    s.edit(
        "a citation removed",
        &[("content/part/a.md", Some(&page("A", "", "Leaf [@rbc].\n")))],
    );
    s.edit(
        "a source edited",
        &[(
            "content/sources.toml",
            Some(&SOURCES.replace("Conference report", "Conference proceedings")),
        )],
    );
    template_front_matter_and_file_edits(&mut s);
    update_edits(&mut s);
    claim_edits(&mut s);
    data_file_and_config_edits(&mut s);
}

/// claims.toml made with a page that shows it, a claim edited, a page linking to it (its card,
/// where the link leads, the claim's list of pages that link to it), a response added, both
/// removed.
fn claim_edits(s: &mut Session) {
    let claim = "[[claim]]\nid = \"c\"\nby = \"Someone\"\ndate = \"2024-05\"\ntext = \"It is so.[@rbc]\"\n";
    s.edit(
        "claims.toml and a page that shows it",
        &[
            ("content/claims.toml", Some(claim)),
            (
                "content/said.md",
                Some(&page("Said", "weight = 9\n", "{{ claims() }}\n")),
            ),
        ],
    );
    s.edit(
        "a claim edited",
        &[(
            "content/claims.toml",
            Some(&claim.replace("It is so.", "It is not so.")),
        )],
    );
    let link = |body: &str| Some(page("Linker", "weight = 10\n", body));
    s.edit(
        "a page links to a claim",
        &[("content/linker.md", link("See [it](claim:c).\n").as_deref())],
    );
    s.edit(
        "the linked claim edited (its card)",
        &[(
            "content/claims.toml",
            Some(&claim.replace("It is so.", "It is quite so.")),
        )],
    );
    let early = |body: &str| Some(page("Early", "weight = 8\n", body));
    s.edit(
        "an earlier page",
        &[("content/early.md", early("Not yet.\n").as_deref())],
    );
    s.edit(
        "the earlier page shows the claim (the link leads there)",
        &[("content/early.md", early("{{ claims() }}\n").as_deref())],
    );
    s.edit("the earlier page removed", &[("content/early.md", None)]);
    s.edit(
        "the link removed",
        &[("content/linker.md", link("No link.\n").as_deref())],
    );
    s.edit("the linking page removed", &[("content/linker.md", None)]);
    let answered = format!("{claim}\n[[response]]\nid = \"r\"\nto = \"c\"\nby = \"Another\"\ndate = \"2024-06\"\ntext = \"No.[@doe]\"\n");
    s.edit("a response added", &[("content/claims.toml", Some(&answered))]);
    s.edit(
        "claims removed",
        &[("content/claims.toml", None), ("content/said.md", None)],
    );
}

/// A page's first update (every page's footer then links the page of updates), a second one,
/// one edited, then all gone.
fn update_edits(s: &mut Session) {
    let updated = |updates: &str| page("One", &format!("weight = 1\n{updates}"), "Text.[@rbc]\n");
    // No link and no citation: the page's links stay the same, so it is rendered in place.
    let first = "[[updates]]\ndate = 2024-05-20\nkind = \"correction\"\ntext = \"Fixed.\"\n";
    s.edit("a first update", &[("content/one.md", Some(&updated(first)))]);
    let second = format!(
        "{first}\n[[updates]]\ndate = 2024-05-21\nkind = \"update\"\ntext = \"More [two](two.md).[@doe]\"\n"
    );
    s.edit("a second update", &[("content/one.md", Some(&updated(&second)))]);
    let edited = second.replace("More [two]", "Much more [two]");
    assert_ne!(edited, second);
    s.edit(
        "an update's text edited",
        &[("content/one.md", Some(&updated(&edited)))],
    );
    s.edit("the updates removed", &[("content/one.md", Some(&updated("")))]);
}

/// The script's second part: templates, dated and listed pages, aliases, folders and files.
fn template_front_matter_and_file_edits(s: &mut Session) {
    s.edit("a template added", &[("templates/page.html", Some("{% extends \"base.html\" %}{% block content %}<main id=\"main\">custom {{ page.title }}{{ page.content | safe }}</main>{% endblock content %}"))]);
    let news = |title: &str, extra: &str| {
        page(
            title,
            &format!("weight = 5\ndate = 2024-05-01\ndescription = \"In the feed.\"\n{extra}"),
            "Dated [@rbc].\n",
        )
    };
    s.edit(
        "a dated page added",
        &[("content/news.md", Some(&news("News", "")))],
    );
    s.edit(
        "a dated page's title edited",
        &[("content/news.md", Some(&news("News, renamed", "")))],
    );
    s.edit(
        "an alias added",
        &[(
            "content/news.md",
            Some(&news("News, renamed", "aliases = [\"old/news/\"]\n")),
        )],
    );
    s.edit(
        "the alias removed",
        &[("content/news.md", Some(&news("News, renamed", "")))],
    );
    let dated = |title: &str| {
        page(
            title,
            "date = 2024-06-01\ndescription = \"Also in the feed.\"\n",
            "Nested and dated.\n",
        )
    };
    s.edit(
        "a dated page in a section",
        &[("content/part/dated.md", Some(&dated("Dated")))],
    );
    s.edit(
        "its title edited (the feed shows it)",
        &[("content/part/dated.md", Some(&dated("Dated, renamed")))],
    );
    // Front matter that only the page and the pages showing its title show: the dev server
    // re-renders those, the feed, the sitemap and the page's redirects.
    s.edit(
        "a nested page linking out, with an alias",
        &[(
            "content/part/c.md",
            Some(&page(
                "C",
                "weight = 9
aliases = [\"old/c/\"]\n",
                "Links [two](../two.md) [@doe].\n",
            )),
        )],
    );
    s.edit(
        "its title edited (its redirect, neighbours, the page it links to and the sources page show it)",
        &[(
            "content/part/c.md",
            Some(&page(
                "C, renamed",
                "weight = 9\naliases = [\"old/c/\"]\n",
                "Links [two](../two.md) [@doe].\n",
            )),
        )],
    );
    s.edit(
        "its description edited",
        &[(
            "content/part/c.md",
            Some(&page(
                "C, renamed",
                "weight = 9\naliases = [\"old/c/\"]\ndescription = \"Shown beside the link.\"\n",
                "Links [two](../two.md) [@doe].\n",
            )),
        )],
    );
    s.edit(
        "its weight edited, keeping its place",
        &[(
            "content/part/c.md",
            Some(&page(
                "C, renamed",
                "weight = 8\naliases = [\"old/c/\"]\ndescription = \"Shown beside the link.\"\n",
                "Links [two](../two.md) [@doe].\n",
            )),
        )],
    );
    s.edit(
        "its weight removed, moving it after a page without one",
        &[(
            "content/part/c.md",
            Some(&page("C, renamed", C_FRONT, "Links [two](../two.md) [@doe].\n")),
        )],
    );
    s.edit(
        "a title that sorts it elsewhere among equal weights",
        &[("content/part/a.md", Some(&page("Zed", "", "Leaf [@rbc].\n")))],
    );
    // A PNG header is all kagu reads of an image (its size).
    let png = "\u{89}PNG\r\n\u{1a}\n\0\0\0\rIHDR\0\0\0\u{1}\0\0\0\u{1}\u{8}\u{6}\0\0\0";
    s.edit(
        "a warning made (an image without alt text)",
        &[
            ("content/part/pic.png", Some(png)),
            (
                "content/part/a.md",
                Some(&page("Zed", "", "Leaf [@rbc]. ![](pic.png)\n")),
            ),
        ],
    );
    s.edit(
        "the warning fixed in a prose edit",
        &[(
            "content/part/a.md",
            Some(&page("Zed", "", "Leaf [@rbc]. ![A dot](pic.png)\n")),
        )],
    );
}

/// The script's last part: timeline and glossary edits of every kind, statics, removals and
/// kagu.toml.
fn data_file_and_config_edits(s: &mut Session) {
    let events = |title: &str, cite: &str| {
        format!(
            "[[event]]\ndate = \"2024-05\"\ntitle = \"{title}\"\ndescription = \"Reform.[@{cite}]\"\n\n[[event]]\ndate = \"1853\"\ntitle = \"Annexation\"\n"
        )
    };
    s.edit(
        "a page with a timeline block, before the timeline exists (an error)",
        &[(
            "content/part/when.md",
            Some(&page("When", "", "Dates.[@doe]\n\n{{ timeline() }}\n")),
        )],
    );
    s.edit(
        "the timeline added",
        &[("content/timeline.toml", Some(&events("Reform", "rbc")))],
    );
    s.edit(
        "a page linking to an event",
        &[(
            "content/part/c.md",
            Some(&page(
                "C, renamed",
                C_FRONT,
                "Links [two](../two.md) [@doe] and [the reform](when.md#event-2024-05-reform).\n",
            )),
        )],
    );
    s.edit(
        "an event retitled (its anchor moves: the link breaks)",
        &[("content/timeline.toml", Some(&events("Riots", "rbc")))],
    );
    s.edit(
        "an event's id kept, its citation changed",
        &[("content/timeline.toml", Some(&events("Reform", "doe")))],
    );
    s.edit(
        "only an event's description changed (its pages alone are parsed again)",
        &[("content/timeline.toml", Some(&events("Reform", "rbc")))],
    );
    s.edit("the timeline removed", &[("content/timeline.toml", None)]);
    s.edit(
        "the block removed",
        &[("content/part/when.md", Some(&page("When", "", "Dates.[@doe]\n")))],
    );
    s.edit(
        "the link to the event removed",
        &[(
            "content/part/c.md",
            Some(&page("C, renamed", C_FRONT, "Links [two](../two.md) [@doe].\n")),
        )],
    );
    let glossary = |name: &str, description: &str| {
        format!(
            "[two]\nkind = \"term\"\nname = \"{name}\"\ndescription = \"{description}\"\n\n[leaf]\nkind = \"term\"\nname = \"Leaf\"\n"
        )
    };
    s.edit(
        "a glossary and the page that lists it",
        &[
            (
                "content/glossary.toml",
                Some(&glossary("Another", "A word.[@doe]")),
            ),
            (
                "content/part/who.md",
                Some(&page("Who", "", "{{ glossary() }}\n")),
            ),
        ],
    );
    s.edit(
        "an entry's description edited (its mentions' cards change)",
        &[(
            "content/glossary.toml",
            Some(&glossary("Another", "A word, edited.[@rbc]")),
        )],
    );
    s.edit(
        "an entry renamed (mentions move)",
        &[(
            "content/glossary.toml",
            Some(&glossary("Claim", "A word, edited.[@rbc]")),
        )],
    );
    s.edit(
        "a forced link to an entry",
        &[(
            "content/two.md",
            Some(&two(
                "## Latter part {#latter}\n\nAnother [@doe, p. 3].[^n] [That](glossary:two).\n\n[^n]: A note.\n",
            )),
        )],
    );
    s.edit("the glossary removed", &[("content/glossary.toml", None)]);
    s.edit("its page removed", &[("content/part/who.md", None)]);
    s.edit(
        "the forced link removed",
        &[(
            "content/two.md",
            Some(&two(
                "## Latter part {#latter}\n\nAnother [@doe, p. 3].[^n]\n\n[^n]: A note.\n",
            )),
        )],
    );
    s.edit("a static file added", &[("static/notes.txt", Some("plain"))]);
    s.edit(
        "a stylesheet added",
        &[("static/extra.css", Some("body { color: black; }"))],
    );
    // #32: the theme links `custom.css` only while it exists; every page follows it.
    s.edit(
        "custom.css created",
        &[("static/custom.css", Some("h1 { color: teal; }"))],
    );
    s.edit("custom.css deleted", &[("static/custom.css", None)]);
    s.edit(
        "a page added",
        &[(
            "content/three.md",
            Some(&page(
                "Three",
                "weight = 4\n",
                "Cites [@rbc, chap. 2]; links [one](one.md).\n",
            )),
        )],
    );
    s.edit(
        "a page in a new folder",
        &[("content/fresh/b.md", Some(&page("B", "", "New folder [@doe].\n")))],
    );
    s.edit("a page removed", &[("content/three.md", None)]);
    s.edit("a folder removed", &[("content/fresh", None)]);
    s.edit("the template removed", &[("templates/page.html", None)]);
    theme_edits(s);
    edition_edits(s);
    s.edit(
        "kagu.toml edited",
        &[("kagu.toml", Some(&format!("{CONFIG}citation_style = \"apa\"\n")))],
    );
    s.edit(
        "a prose edit in an author-date style",
        &[(
            "content/part/a.md",
            Some(&page("A", "", "Leaf [@rbc], edited.\n")),
        )],
    );
}

/// The dev server's file store does not grow as templates are edited: each reload takes the
/// place of the last one's entries.
#[test]
fn template_reloads_do_not_grow_the_file_store() {
    let site = Site::new().file("content/one.md", &page("One", "", "Text.\n"));
    let mut s = Session::start(site);
    let template = |n: usize| {
        format!("{{% extends \"base.html\" %}}{{% block content %}}<main id=\"main\">v{n} {{{{ page.title }}}}</main>{{% endblock content %}}")
    };
    s.edit("a template added", &[("templates/page.html", Some(&template(0)))]);
    let after_first = s.dev.files().len();
    for n in 1..=5 {
        s.edit(
            "a template edited",
            &[("templates/page.html", Some(&template(n)))],
        );
    }
    assert_eq!(s.dev.files().len(), after_first);
    let html = std::fs::read_to_string(s.out.path().join("one/index.html")).expect("page");
    assert!(html.contains("v5 One"), "{html}");
}

/// A French edition declared, translated, edited and dropped.
fn edition_edits(s: &mut Session) {
    s.edit(
        "a French home page before the edition is declared",
        &[(
            "content/_index.fr.md",
            Some(&page("Accueil", "", "Lire [un](one.md).\n")),
        )],
    );
    let french = format!("{CONFIG}[languages.fr]\ntitle = \"Essai\"\n");
    s.edit("the French edition declared", &[("kagu.toml", Some(&french))]);
    s.edit(
        "a page translated",
        &[(
            "content/one.fr.md",
            Some(&page("Un", "weight = 1\n", "Texte.[@doe]\n")),
        )],
    );
    s.edit(
        "the translation edited",
        &[(
            "content/one.fr.md",
            Some(&page("Un", "weight = 1\n", "Autre texte.[@rbc]\n")),
        )],
    );
    s.edit(
        "the original edited",
        &[(
            "content/one.md",
            Some(&one("Text edited for both editions.[@doe]\n")),
        )],
    );
    s.edit(
        "a French word overridden",
        &[("i18n/fr.toml", Some("notes = \"Notes de bas de page\"\n"))],
    );
    s.edit(
        "a French timeline",
        &[(
            "content/timeline.fr.toml",
            Some("[[event]]\ndate = \"2024-05\"\ntitle = \"Réforme\"\n"),
        )],
    );
    s.edit("the translation removed", &[("content/one.fr.md", None)]);
    s.edit(
        "the edition dropped",
        &[("kagu.toml", Some(CONFIG)), ("content/_index.fr.md", None)],
    );
    s.edit(
        "the French files removed",
        &[("i18n/fr.toml", None), ("content/timeline.fr.toml", None)],
    );
}

/// Edits of the theme that every page's blocks show: a block template, the words.
fn theme_edits(s: &mut Session) {
    s.edit(
        "a block template added",
        &[(
            "templates/blocks/heading.html",
            Some("<h{{ level }} id=\"{{ id }}\">{{ content }}</h{{ level }}>\n"),
        )],
    );
    s.edit(
        "a word overridden",
        &[("i18n/en.toml", Some("notes = \"Footnotes\"\n"))],
    );
    s.edit(
        "a word unknown",
        &[("i18n/en.toml", Some("notse = \"Footnotes\"\n"))],
    );
    s.edit("the words removed", &[("i18n/en.toml", None)]);
    s.edit(
        "the block template removed",
        &[("templates/blocks/heading.html", None)],
    );
    s.edit(
        "a block template added while the theme is broken",
        &[
            ("templates/base.html", Some("{% block content %}")),
            (
                "templates/blocks/heading.html",
                Some("<h{{ level }} id=\"{{ id }}\" class=\"mine\">{{ content }}</h{{ level }}>\n"),
            ),
        ],
    );
    s.edit("the theme mended", &[("templates/base.html", None)]);
    s.edit(
        "the block template removed again",
        &[("templates/blocks/heading.html", None)],
    );
}

/// A source cited on more than ten pages has its own list of them (`sources/rbc/`): a title edit
/// of one renames it there, and a page that stops citing it leaves the list.
#[test]
fn a_source_list_follows_its_pages_titles_and_citations() {
    let cite = |n: usize, title: &str| page(title, &format!("weight = {n}\n"), "A figure.[@rbc]\n");
    let mut site = Site::new().file("content/sources.toml", SOURCES);
    for n in 0..12 {
        site = site.file(&format!("content/p{n:02}.md"), &cite(n, &format!("Page {n}")));
    }
    let mut s = Session::start(site);
    assert!(s.out.path().join("sources/rbc/index.html").is_file());
    s.edit("a title edit", &[("content/p05.md", Some(&cite(5, "Page five")))]);
    let list = std::fs::read_to_string(s.out.path().join("sources/rbc/index.html")).expect("list");
    assert!(list.contains(">Page five</a>"), "{list}");
    s.edit(
        "a citation goes",
        &[(
            "content/p07.md",
            Some(&page("Page 7", "weight = 7\n", "No figure.\n")),
        )],
    );
    s.edit(
        "another goes, and the source has no list",
        &[(
            "content/p08.md",
            Some(&page("Page 8", "weight = 8\n", "No figure.\n")),
        )],
    );
    assert!(!s.out.path().join("sources/rbc").exists());
}
