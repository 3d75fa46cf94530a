//! Property tests: any bytes in content, front matter, citations, links, sources and config
//! give a clean result or located errors, never a panic. `PROPTEST_CASES` sets how many cases
//! each runs (64 by default here; CI can run more, see CONTRIBUTING.md).

use std::path::Path;

use kagu::base::diag::Severity;
use kagu::driver::build::build;
use kagu::driver::site::Destination;
use kagu::project::options::BuildOptions;
use proptest::prelude::*;

/// Markdown and TOML fragments that meet kagu's parsers where they branch.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("[@".to_string()),
        Just("[@k]".to_string()),
        Just("[@k, p. 3]".to_string()),
        Just("[see @k; @j]".to_string()),
        Just("[-@k]".to_string()),
        Just("@".to_string()),
        Just("]".to_string()),
        Just("[".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("[x](b.md)".to_string()),
        Just("[x](b.md#h)".to_string()),
        Just("[x](../".to_string()),
        Just("[x](#".to_string()),
        Just("[^n]".to_string()),
        Just("[^n]: ".to_string()),
        Just("\n\n".to_string()),
        Just("\n".to_string()),
        Just("# ".to_string()),
        Just("## H {#id}".to_string()),
        Just("`".to_string()),
        Just("```\n".to_string()),
        Just("> ".to_string()),
        Just("- ".to_string()),
        Just("| a | b |\n|---|---|\n".to_string()),
        Just("<div>".to_string()),
        Just("</div>".to_string()),
        Just("![i](p.png)".to_string()),
        Just("![a](p.png \"t [@k]. Map: x\")\n\n".to_string()),
        Just("> [!NOTE] Tïtle\n".to_string()),
        Just("> [!WARNING]\n".to_string()),
        Just("[v](https://e.org/x \"embed\")".to_string()),
        Just("[f](b.pdf)".to_string()),
        Just("[r](/b/)".to_string()),
        Just("+++".to_string()),
        Just("\0".to_string()),
        Just("\u{FFFD}".to_string()),
        Just("é字🚀".to_string()),
        Just("\\".to_string()),
        Just("\"".to_string()),
        Just("=".to_string()),
        "[a-z ]{0,8}",
        any::<char>().prop_map(String::from),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(token(), 0..40).prop_map(|t| t.concat())
}

/// A front matter: known keys with values that may be wrong, and sometimes a stray line.
fn front_matter() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        Just("\"T\"".to_string()),
        Just("\"\"".to_string()),
        Just("1".to_string()),
        Just("2024-05-13".to_string()),
        Just("\"2024-13-45\"".to_string()),
        Just("[\"a\", \"../b\"]".to_string()),
        Just("[\"/x/\"]".to_string()),
        Just("\"..\"".to_string()),
        Just("{ a = 1 }".to_string()),
        text().prop_map(|t| format!("{t:?}")),
        text(),
    ];
    let key = prop_oneof![
        Just("title"),
        Just("description"),
        Just("weight"),
        Just("date"),
        Just("slug"),
        Just("aliases"),
        Just("tags"),
        Just("template"),
        Just("draft"),
        Just("extra"),
        Just("titel"),
    ];
    prop::collection::vec((key, value), 0..6).prop_map(|kv| {
        let mut s = String::from("title = \"P\"\n");
        for (k, v) in kv {
            s.push_str(&format!("{k} = {v}\n"));
        }
        s
    })
}

/// Builds (as a check: nothing written) and asserts the run ends cleanly: every diagnostic
/// about a file is located inside it.
fn check_site(dir: &Path) -> Result<(), TestCaseError> {
    let opts = BuildOptions {
        root: dir.to_path_buf(),
        ..BuildOptions::default()
    };
    let (r, files) = build(&opts, Destination::Check, &|_, _| {});
    for d in r.diagnostics.items() {
        let v = d.view(&files);
        if d.severity() == Severity::Error {
            prop_assert!(v.file.is_some(), "unlocated error: {}", d.message());
        }
        if let Some(f) = d.file {
            prop_assert!(
                d.span.end <= files.text(f).len().max(1),
                "span {:?} past the end of {}",
                d.span,
                files.path(f)
            );
        }
    }
    Ok(())
}

fn write(dir: &Path, rel: &str, bytes: &[u8]) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, bytes).expect("write");
}

fn base_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp");
    write(dir.path(), "kagu.toml", b"title = \"T\"\n");
    write(
        dir.path(),
        "content/_index.md",
        b"+++\ntitle = \"Home\"\n+++\n\nHome.\n",
    );
    write(
        dir.path(),
        "content/b.md",
        b"+++\ntitle = \"B\"\n+++\n\n## H\n\nCites [@k] and [@j].\n",
    );
    write(
        dir.path(),
        "content/sources.toml",
        b"[k]\ntitle = \"K\"\n\n[j]\ntitle = \"J\"\n",
    );
    dir
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(64),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_page_builds_or_fails_located(front in front_matter(), body in text()) {
        let dir = base_site();
        write(dir.path(), "content/a.md", format!("+++\n{front}+++\n\n{body}\n").as_bytes());
        check_site(dir.path())?;
    }

    #[test]
    fn any_bytes_in_a_page_are_handled(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let dir = base_site();
        let mut page = b"+++\ntitle = \"A\"\n+++\n\n".to_vec();
        page.extend(&bytes);
        write(dir.path(), "content/a.md", &page);
        check_site(dir.path())?;
    }

    #[test]
    fn any_citation_text_is_a_citation_or_a_located_error(inner in "[-@a-z0-9é ,;.:\\[\\]{}()]{0,30}") {
        let dir = base_site();
        write(dir.path(), "content/a.md", format!("+++\ntitle = \"A\"\n+++\n\nText [{inner}] more [@k].\n").as_bytes());
        check_site(dir.path())?;
    }

    /// Pandoc's forms (prefix, `-@`, locator, words after it, punctuation after the brackets)
    /// all become a note: nothing is left as literal text, and the punctuation precedes the marker.
    #[test]
    fn every_pandoc_citation_form_becomes_a_note(
        prefix in "(see |also |cf\\. |)",
        dash in "-?",
        locator in "(, p\\. [0-9]{1,3}|, chap\\. [0-9]|, pp\\. [0-9]-[0-9]{2} and passim|)",
        second in "(; @j|; also @j|)",
        punct in "[.,;:!?]?",
    ) {
        let dir = base_site();
        let body = format!("Claim [{prefix}{dash}@k{locator}{second}]{punct} Next.");
        write(dir.path(), "content/a.md", format!("+++\ntitle = \"A\"\n+++\n\n{body}\n").as_bytes());
        let out = dir.path().join("public");
        let opts = BuildOptions { root: dir.path().to_path_buf(), ..BuildOptions::default() };
        let (r, _) = build(&opts, Destination::Replace(&out), &|_, _| {});
        prop_assert!(!r.diagnostics.has_errors(), "{body}: {:?}", r.diagnostics.items().iter().map(kagu::base::diag::Diagnostic::message).collect::<Vec<_>>());
        let html = std::fs::read_to_string(out.join("a/index.html")).expect("page");
        let start = html.find("Claim").expect("the text");
        let text = &html[start..start + html[start..].find("</p>").expect("paragraph end")];
        for literal in ["[see", "[also", "[cf", "[-", "[@", "@k", "@j"] {
            prop_assert!(!text.contains(literal), "{body} left `{literal}`: {text}");
        }
        prop_assert!(text.starts_with(&format!("Claim{punct}<sup class=\"note-ref\"")), "{body}: {text}");
    }

    /// Text with `@`, brackets, backslashes and backticks, in a note, an author-date and a
    /// numeric style and with one note per source: narrative and bracketed citations are found
    /// or the text is kept; never a panic, every error located, and a page is written whole.
    #[test]
    fn any_text_with_at_signs_renders_in_every_citation_mode(
        text in "[@kjx a-z0-9é_.,;\\[\\]\\\\`-]{0,40}",
        style in "(chicago-notes|apa|ieee)",
        per_source in proptest::bool::ANY,
    ) {
        let dir = base_site();
        write(dir.path(), "kagu.toml", format!("title = \"T\"\ncitation_style = \"{style}\"\none_note_per_source = {per_source}\n").as_bytes());
        write(dir.path(), "content/a.md", format!("+++\ntitle = \"A\"\n+++\n\nSay {text} then [@k].\n").as_bytes());
        check_site(dir.path())?;
        let out = dir.path().join("public");
        let opts = BuildOptions { root: dir.path().to_path_buf(), ..BuildOptions::default() };
        let (r, _) = build(&opts, Destination::Replace(&out), &|_, _| {});
        if !r.diagnostics.has_errors() {
            let html = std::fs::read_to_string(out.join("a/index.html")).expect("page");
            prop_assert!(html.trim_end().ends_with("</html>"), "{text}: a page cut short");
            prop_assert!(!html.contains('\0'), "{text}: a hole left in the page");
        }
    }

    #[test]
    fn any_link_target_resolves_or_fails_located(target in "[a-z./#_%-]{0,20}") {
        let dir = base_site();
        write(dir.path(), "content/sub/a.md", format!("+++\ntitle = \"A\"\n+++\n\n[x]({target}) and <{target}>.\n").as_bytes());
        check_site(dir.path())?;
    }

    #[test]
    fn any_sources_and_config_are_handled(sources in text(), config_text in front_matter()) {
        let dir = base_site();
        write(dir.path(), "content/sources.toml", format!("[k]\ntitle = \"K\"\n{sources}\n").as_bytes());
        write(dir.path(), "kagu.toml", config_text.as_bytes());
        check_site(dir.path())?;
    }
}
