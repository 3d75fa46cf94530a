//! The user's guide (`docs/`) is a kagu site that builds without a warning, and it lists what
//! kagu has: every error code, template, key, source field and type, and citation style, with
//! style examples that are what kagu prints.

use std::collections::BTreeSet;
use std::path::Path;

use crate::harness::{diagnostics, kagu, page, words, Site, CONFIG, HOME};

fn guide(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs/content")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The text of a guide section, from its heading to the next `## `.
fn section<'a>(text: &'a str, heading: &str) -> &'a str {
    let start = text
        .find(&format!("\n## {heading}"))
        .unwrap_or_else(|| panic!("no section `{heading}`"));
    let rest = &text[start + 1..];
    &rest[..rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3)]
}

/// The first cell (between backticks, brackets dropped) of each table row of a section.
fn table_keys(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split_once('`'))
        .map(|(k, _)| k.trim_matches(['[', ']']).to_string())
        .collect()
}

#[test]
fn the_guide_builds_with_no_warning_and_no_error() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let docs = docs.to_str().expect("utf-8 path");
    let r = kagu(&["check", "--deny-warnings", "--root", docs]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("0 warning(s)"), "{}", r.stderr);
    let out = tempfile::tempdir().expect("temp");
    let out_dir = out.path().to_str().expect("utf-8 path");
    let r = kagu(&["build", "--root", docs, "--output-dir", out_dir]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for p in [
        "getting-started",
        "writing",
        "citations",
        "site",
        "commands",
        "deploying",
        "errors",
    ] {
        assert!(out.path().join(p).join("index.html").is_file(), "{p}");
    }
}

/// Every code `Kind::code` can return, read from its source.
fn codes_in_source() -> BTreeSet<String> {
    let src = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/base/diag.rs"))
        .expect("diag.rs");
    src.split("=> \"")
        .skip(1)
        .filter_map(|s| s.get(..4))
        .filter(|c| (c.starts_with('E') || c.starts_with('W')) && c[1..].bytes().all(|b| b.is_ascii_digit()))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_error_code_is_explained_once_in_order() {
    let codes = codes_in_source();
    assert!(codes.len() > 40, "{codes:?}");
    let errors = guide("errors.md");
    let documented: Vec<String> = errors
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .filter_map(|l| l.rsplit_once("{#"))
        .map(|(_, id)| id.trim_end_matches('}').to_uppercase())
        .collect();
    let unique: BTreeSet<String> = documented.iter().cloned().collect();
    assert_eq!(
        unique.len(),
        documented.len(),
        "a code explained twice: {documented:?}"
    );
    assert_eq!(unique, codes, "the guide's codes differ from diag.rs's");
    let mut sorted = documented.clone();
    sorted.sort_by_key(|c| (c.starts_with('W'), c.clone()));
    assert_eq!(documented, sorted, "errors first, then warnings, each by number");
}

#[test]
fn every_template_of_the_theme_is_in_the_template_table() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    let names = |dir: &Path, prefix: &str| -> BTreeSet<String> {
        std::fs::read_dir(dir)
            .expect("templates")
            .map(|e| e.expect("entry"))
            .filter(|e| e.path().is_file())
            .map(|e| format!("{prefix}{}", e.file_name().to_string_lossy()))
            .collect()
    };
    let site = guide("site.md");
    assert_eq!(table_keys(section(&site, "Templates")), names(&dir, ""));
    assert_eq!(
        table_keys(section(&site, "Blocks")),
        names(&dir.join("blocks"), "blocks/")
    );
}

/// The keys kagu accepts in a table, from the hint of an unknown-key error there.
fn valid_keys(site: Site) -> BTreeSet<String> {
    let r = site.kagu(&["check"]);
    let d = diagnostics(&r);
    let list = d
        .lines()
        .find_map(|l| l.trim().strip_prefix("= hint: valid keys are: "))
        .unwrap_or_else(|| panic!("no list of valid keys in:\n{d}"));
    list.split(", ").map(str::to_string).collect()
}

#[test]
fn every_key_of_kagu_toml_front_matter_and_sources_is_documented() {
    let config = valid_keys(Site::new().file("kagu.toml", &format!("{CONFIG}zzzz = 1\n")));
    assert_eq!(table_keys(section(&guide("site.md"), "kagu.toml")), config);

    let front = valid_keys(Site::new().file("content/a.md", &page("A", "zzzz = 1\n", "Text.")));
    assert_eq!(table_keys(section(&guide("writing.md"), "Front matter")), front);

    let sources = valid_keys(
        Site::new()
            .file("content/a.md", &page("A", "", "Text.[@s]"))
            .file("content/sources.toml", "[s]\ntitle = \"T\"\nzzzz = 1\n"),
    );
    let citations = guide("citations.md");
    assert_eq!(table_keys(section(&citations, "Sources")), sources);
    let types = section(&citations, "Sources")
        .lines()
        .find(|l| l.starts_with("| `type`"))
        .expect("the type row");
    for t in kagu::data::cite::SOURCE_TYPES {
        assert!(
            types.contains(&format!("`{t}`")),
            "source type {t} is not in the guide"
        );
    }
}

/// The `n`th (from 1) TOML code block of a guide section.
fn toml_block(section: &str, n: usize) -> Option<&str> {
    section
        .split("```toml\n")
        .nth(n)
        .and_then(|s| s.split("```").next())
}

/// Text of an HTML fragment, whitespace normalised.
fn plain(html: &str) -> String {
    let text: String = scraper::Html::parse_fragment(html)
        .root_element()
        .text()
        .collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What kagu prints for the guide's example source in `style`: the citation
/// `[@carter-2009, p. 12]` (its note, or its text in the sentence) and the source's entry.
fn example(source: &str, style: &str) -> (String, String) {
    let mut files = kagu::base::files::Files::default();
    let file = files.add("content/sources.toml", source);
    let mut diags = kagu::base::diag::Diagnostics::default();
    let name = style;
    let style = kagu::data::cite::style(name, std::path::Path::new("."), None, &files).expect(name);
    let bib = kagu::data::cite::load(
        &files,
        &[(file, "content/sources.toml".to_string())],
        Some(style),
        "en",
        &kagu::output::theme::builtin_blocks(),
        &mut diags,
    );
    assert_eq!(diags.into_items().len(), 0, "{name}");
    let entry = plain(&bib.get("carter-2009").expect("the example source").html);
    let cite = kagu::data::cite_syntax::parse_citation("@carter-2009, p. 12").expect("a citation");
    let html = bib
        .engine
        .as_ref()
        .expect("a style")
        .render_page(&[cite.as_slice()])
        .remove(0)
        .html;
    // A note style's citation is a note, which the engine opens with a capital.
    (plain(&html), entry)
}

/// Every bundled style is in the guide's table, under its names, with the note kagu prints for
/// the guide's example source; the table is also checked against a real build for one style.
#[test]
fn every_bundled_citation_style_is_in_the_guide_with_the_note_it_prints() {
    let citations = guide("citations.md");
    let styles = section(&citations, "Citation styles");
    let source = toml_block(styles, 1).expect("the example source");
    let expected: Vec<String> = kagu::data::cite::styles()
        .map(|(title, names)| {
            let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            let (cite, entry) = example(source, names[0].trim_matches('`'));
            // As Markdown: `<https://…>` would become a link and lose its brackets.
            let md = |t: String| {
                t.replace('<', "\\<")
                    .replace('|', "\\|")
                    .replace('*', "\\*")
                    .replace('_', "\\_")
            };
            format!(
                "| {title} | {} | {} | {} |",
                names.join(", "),
                md(cite),
                md(entry)
            )
        })
        .collect();
    let rows: Vec<&str> = styles
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| style |") && !l.starts_with("| ---"))
        .collect();
    assert!(
        rows == expected,
        "the guide's style table differs from what kagu prints; the table should read:\n{}",
        expected.join("\n")
    );
    // What the library prints is what a build prints.
    let site = Site::new()
        .file("kagu.toml", &format!("{CONFIG}citation_style = \"apa\"\n"))
        .file("content/_index.md", HOME)
        .file(
            "content/a.md",
            &page("A", "", "The committee met [@carter-2009, p. 12]."),
        )
        .file("content/sources.toml", source)
        .build_ok();
    let doc = site.html("a/index.html");
    let (cite, entry) = example(source, "apa");
    assert_eq!(words(&doc, ".content a.citation"), [cite]);
    assert_eq!(words(&doc, ".references .source-entry"), [entry]);
}

/// The guide's journal article, thesis and chapter print on the sources page as the guide says
/// (chicago-notes).
#[test]
fn the_guides_source_examples_print_as_it_says() {
    let citations = guide("citations.md");
    let sources = section(&citations, "Sources");
    let toml = toml_block(sources, 2).expect("the second example");
    let expected: Vec<String> = sources
        .lines()
        .filter_map(|l| l.strip_prefix("- "))
        .map(|l| l.replace('*', ""))
        .collect();
    let keys: Vec<&str> = toml
        .lines()
        .filter_map(|l| l.strip_prefix('[').and_then(|l| l.strip_suffix(']')))
        .collect();
    assert_eq!(keys.len(), expected.len(), "{keys:?} {expected:?}");
    let body: String = keys.iter().map(|k| format!("Claim.[@{k}] ")).collect();
    let site = Site::new()
        .file("content/a.md", &page("A", "", &body))
        .file("content/sources.toml", toml)
        .build_ok();
    let doc = site.html("sources/index.html");
    assert_eq!(words(&doc, ".sources .source-entry"), expected);
}

/// #32: the deploy recipes work with any kagu, a release program or one built with the README's
/// `cargo install` line (which has no `minify` feature, so `--minify` would stop it, E014); the
/// README links the releases page.
#[test]
fn the_deploy_recipes_work_with_a_kagu_built_without_features() {
    let recipes = guide("deploying.md");
    let builds: Vec<&str> = recipes.lines().filter(|l| l.contains("kagu build")).collect();
    assert!(builds.len() >= 5, "{builds:?}");
    for line in builds.iter().filter(|l| l.contains("--minify")) {
        assert!(
            !line.contains("--base-url"),
            "a recipe's build line needs the minify feature: {line}"
        );
    }
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).expect("README");
    assert!(readme.contains("[the releases page](https://github.com/kagu-ssg/kagu/releases/latest)"));
}
