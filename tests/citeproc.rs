//! kagu's citations against Pandoc's citeproc, the reference implementation: one document of
//! 42 citations over 16 sources of 14 BibLaTeX entry types, with locators of every kind,
//! prefixes, suffixes, a suppressed author, repeats and several items in one citation,
//! rendered by both with the same CSL file in four styles. Runs where pandoc and Debian's CSL
//! styles are installed (`.ci/run` installs them); elsewhere it says so and passes.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use scraper::Html;

use crate::harness::{select, Site};

const STYLES_DIR: &str = "/usr/share/citation-style-language/styles";

/// The text of an element, whitespace normalised.
fn text(e: scraper::ElementRef<'_>) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// What one renderer printed: each note or in-text citation in order, and each bibliography
/// entry by source key.
#[derive(Debug, Default)]
struct Printed {
    citations: Vec<String>,
    entries: BTreeMap<String, String>,
}

fn pandoc(dir: &Path, csl: &Path) -> Option<Printed> {
    let out = Command::new("pandoc")
        .current_dir(dir)
        .args(["doc.md", "--citeproc", "--bibliography", "refs.bib", "--csl"])
        .arg(csl)
        .args(["-t", "html", "--wrap=none"])
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "pandoc: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc = Html::parse_fragment(&String::from_utf8_lossy(&out.stdout));
    let mut p = Printed::default();
    let notes = select(&doc, "section.footnotes li");
    p.citations = if notes.is_empty() {
        select(&doc, "span.citation").into_iter().map(text).collect()
    } else {
        notes
            .into_iter()
            .map(|n| text(n).trim_end_matches("↩︎").trim().to_string())
            .collect()
    };
    for e in select(&doc, "div.csl-entry") {
        let key = e
            .value()
            .attr("id")
            .unwrap_or_default()
            .trim_start_matches("ref-")
            .to_string();
        // A numeric style's number is in the margin; kagu's list numbers the entries itself.
        let t = text(e);
        let t = match t.strip_prefix('[').and_then(|r| r.split_once("] ")) {
            Some((n, rest)) if n.bytes().all(|b| b.is_ascii_digit()) => rest.to_string(),
            _ => t,
        };
        p.entries.insert(key, t);
    }
    Some(p)
}

fn kagu(dir: &Path, csl: &Path) -> Printed {
    let body = std::fs::read_to_string(dir.join("doc.md")).expect("doc");
    let site = Site::empty()
        .file(
            "kagu.toml",
            "title = \"CSL\"\nbase_url = \"https://example.org/\"\nbibliography = [\"refs.bib\"]\ncitation_style = \"style.csl\"\n",
        )
        .file("refs.bib", &std::fs::read_to_string(dir.join("refs.bib")).expect("bib"))
        .file("style.csl", &std::fs::read_to_string(csl).expect("csl"))
        .file("content/_index.md", &format!("+++\ntitle = \"Doc\"\n+++\n{body}"));
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.html("index.html");
    let mut p = Printed::default();
    let notes = select(&page, "section.notes li .note-body");
    p.citations = if notes.is_empty() {
        select(&page, "a.citation").into_iter().map(text).collect()
    } else {
        notes.into_iter().map(text).collect()
    };
    // In-text styles list the page's sources under it; note styles, on the sources page.
    let (doc, css, prefix) = if select(&page, ".references li").is_empty() {
        (site.html("sources/index.html"), ".sources li", "source-")
    } else {
        (page, ".references li", "bib-")
    };
    for li in select(&doc, css) {
        let key = li
            .value()
            .attr("id")
            .unwrap_or_default()
            .trim_start_matches(prefix)
            .to_string();
        let entry = li
            .select(&scraper::Selector::parse(".source-entry").expect("css"))
            .next()
            .map(text)
            .unwrap_or_default();
        p.entries.insert(key, entry);
    }
    p
}

#[test]
fn citations_match_pandoc_citeproc() {
    let styles = [
        "chicago-fullnote-bibliography",
        "chicago-fullnote-bibliography-with-ibid",
        "apa",
        "ieee",
        "modern-language-association",
    ];
    if Command::new("pandoc").arg("--version").output().is_err() || !Path::new(STYLES_DIR).exists() {
        eprintln!("skipped: needs pandoc and Debian's citation-style-language-styles (apt-get install pandoc citation-style-language-styles)");
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/csl");
    let (mut same, mut total) = (0, 0);
    let mut report = String::new();
    for style in styles {
        let csl = Path::new(STYLES_DIR).join(format!("{style}.csl"));
        let Some(want) = pandoc(&dir, &csl) else { return };
        let got = kagu(&dir, &csl);
        assert_eq!(
            got.citations.len(),
            want.citations.len(),
            "{style}: {:#?} vs {:#?}",
            got.citations,
            want.citations
        );
        let (mut s, mut t) = (0, 0);
        for (i, (g, w)) in got.citations.iter().zip(&want.citations).enumerate() {
            t += 1;
            if g == w {
                s += 1;
            } else {
                report.push_str(&format!(
                    "{style} citation {}:\n  kagu:   {g}\n  pandoc: {w}\n",
                    i + 1
                ));
            }
        }
        for (key, w) in &want.entries {
            t += 1;
            let g = got.entries.get(key).map_or("(missing)", String::as_str);
            if g == w {
                s += 1;
            } else {
                report.push_str(&format!("{style} entry {key}:\n  kagu:   {g}\n  pandoc: {w}\n"));
            }
        }
        eprintln!("{style}: {s} of {t} identical");
        same += s;
        total += t;
    }
    eprintln!("{report}");
    eprintln!(
        "all styles: {same} of {total} identical ({:.1} %)",
        100.0 * same as f64 / total as f64
    );
    assert!(
        same * 10 >= total * 9,
        "fewer than 90 % identical: {same} of {total}"
    );
}
