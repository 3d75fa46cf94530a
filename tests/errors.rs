//! Every error path of `kagu build`: exact message, location, caret, hint; all errors of a run
//! together; exit code 1; the previous output left as it was.

use crate::harness::*;

#[test]
fn unknown_config_key_suggests_the_right_one() {
    let s = Site::new().file("kagu.toml", "titel = \"x\"\n");
    fails_with(
        &s,
        r#"error[E002]: unknown key `titel` in kagu.toml
  ┌─ kagu.toml:1:1
  │
1 │ titel = "x"
  │ ^^^^^
  │
  = hint: did you mean `title`?"#,
    );
}

#[test]
fn toml_syntax_error_in_front_matter() {
    let s = Site::new().file("content/b.md", "+++\ntitle = \"B\n+++\n");
    fails_with(
        &s,
        r#"error[E001]: invalid TOML in front matter: invalid basic string, expected `"`
  ┌─ content/b.md:2:11
  │
2 │ title = "B
  │           ^
  │
  = hint: fix the TOML syntax at the marked spot"#,
    );
}

#[test]
fn missing_title() {
    let s = Site::new().file("content/c.md", "+++\ndescription = \"no title\"\n+++\n");
    fails_with(
        &s,
        r#"error[E004]: the front matter has no `title`
  ┌─ content/c.md:1:1
  │
1 │ +++
  │ ^^^
  │
  = hint: add a line `title = "…"` to the front matter"#,
    );
}

#[test]
fn unknown_front_matter_key() {
    let s = Site::new().file("content/d.md", "+++\ntitle = \"D\"\ntempalte = \"x\"\n+++\n");
    fails_with(
        &s,
        r#"error[E002]: unknown key `tempalte` in front matter
  ┌─ content/d.md:3:1
  │
3 │ tempalte = "x"
  │ ^^^^^^^^
  │
  = hint: did you mean `template`?"#,
    );
}

#[test]
fn bad_dates_quoted_and_impossible() {
    let s = Site::new()
        .file("content/a.md", "+++\ntitle = \"A\"\ndate = \"yesterday\"\n+++\n")
        .file("content/g.md", "+++\ntitle = \"G\"\ndate = 2024-13-01\n+++\n");
    fails_with(
        &s,
        r#"error[E007]: `date` is not a valid date: expected a TOML date such as 2024-05-13
  ┌─ content/a.md:3:8
  │
3 │ date = "yesterday"
  │        ^^^^^^^^^^^
  │
  = hint: write a TOML date without quotes, e.g. `date = 2024-05-13`

error[E007]: `date` is not a valid date: invalid date, expected month between 01 and 12
  ┌─ content/g.md:3:8
  │
3 │ date = 2024-13-01
  │        ^^^^^^^^^^
  │
  = hint: write a TOML date without quotes, e.g. `date = 2024-05-13`"#,
    );
}

#[test]
fn no_or_unclosed_front_matter() {
    let s = Site::new()
        .file("content/f.md", "no front matter\n")
        .file("content/u.md", "+++\ntitle = \"U\"\n");
    fails_with(
        &s,
        r#"error[E005]: the file does not start with `+++` front matter
  ┌─ content/f.md:1:1
  │
1 │ no front matter
  │ ^^^^^^^^^^^^^^^
  │
  = hint: start the file with a `+++` line, then `title = "…"`, then another `+++` line

error[E006]: the front matter is never closed
  ┌─ content/u.md:1:1
  │
1 │ +++
  │ ^^^
  │
  = hint: close the front matter with a line holding only `+++`"#,
    );
}

#[test]
fn template_syntax_error() {
    let s = Site::new().file(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}{{ page.title }\n{% endblock content %}\n",
    );
    fails_with(
        &s,
        r#"error[E010]: template syntax error: Found `}` but expected }}.
  ┌─ templates/page.html:2:34
  │
2 │ {% block content %}{{ page.title }
  │                                  ^
  │
  = hint: fix the template at the marked spot"#,
    );
}

#[test]
fn template_render_error() {
    let s = Site::new()
        .file(
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block content %}{{ page.nope.x }}\n{% endblock content %}\n",
        )
        .file("content/a.md", &page("A", "", ""))
        .file("content/b.md", &page("B", "", ""));
    let r = s.build();
    assert_eq!(r.code, 1);
    let d = diagnostics(&r);
    assert!(
        d.starts_with("error[E011]: error rendering template `page.html`: Field `nope` is not defined."),
        "{d}"
    );
    assert!(d.contains("  ┌─ templates/page.html:2:28\n"), "{d}");
    assert_eq!(
        d.matches("error[E011]").count(),
        1,
        "the same template error is reported once: {d}"
    );
}

#[test]
fn a_render_error_in_the_cached_sections_list_is_located_and_reported_once() {
    let s = Site::new()
        .file(
            "templates/reading_path.html",
            "<nav>\n{% for s in site.sections %}{{ s.nope.x }}{% endfor %}</nav>\n",
        )
        .file("content/a.md", &page("A", "", ""))
        .file("content/b/_index.md", &page("B", "", ""))
        .file("content/b/c.md", &page("C", "", ""));
    let before = s.build();
    assert_eq!(before.code, 1);
    let d = diagnostics(&before);
    assert!(
        d.starts_with(
            "error[E011]: error rendering template `reading_path.html`: Field `nope` is not defined."
        ),
        "{d}"
    );
    assert!(d.contains("  ┌─ templates/reading_path.html:2:"), "{d}");
    assert_eq!(d.matches("error[E011]").count(), 1, "{d}");
    assert!(!s.public().exists(), "a failed build writes no site");
}

#[test]
fn missing_template() {
    let s = Site::new().file(
        "content/e.md",
        "+++\ntitle = \"E\"\ntemplate = \"nope.html\"\n+++\n",
    );
    fails_with(
        &s,
        r#"error[E012]: template `nope.html` does not exist
  ┌─ content/e.md:3:1
  │
3 │ template = "nope.html"
  │ ^^^^^^^^^^^^^^^^^^^^^^
  │
  = hint: add it to templates/, or use one of: 404.html, alias.html, base.html, index.html, page.html, section.html, source.html, sources.html, updates.html"#,
    );
}

#[test]
fn two_pages_writing_the_same_url() {
    let s = Site::new()
        .file("content/a.md", &page("A", "", ""))
        .file("content/b.md", &page("B", "slug = \"a\"\n", ""));
    fails_with(
        &s,
        r#"error[E020]: this page would write `/a/`, which content/a.md writes too
  ┌─ content/b.md:1:1
  │
1 │ +++
  │ ^^^
  │
  = hint: give one of the pages another `slug` in its front matter"#,
    );
}

#[test]
fn missing_config_and_content() {
    let s = Site::empty();
    let r = s.build();
    assert_eq!(r.code, 1);
    let d = diagnostics(&r);
    assert!(d.contains("error[E022]: site config `"), "{d}");
    assert!(d.contains("kagu.toml` does not exist"), "{d}");
    assert!(d.contains("error[E022]: content folder `"), "{d}");
    // The missing folder is the one cause: not also a missing home page in it.
    assert!(!d.contains("home page"), "{d}");
    assert_eq!(d.matches("error[").count(), 2, "{d}");
}

#[test]
fn all_errors_of_a_run_are_reported_together() {
    let s = Site::new()
        .file("kagu.toml", "titel = 1\n")
        .file("content/a.md", "+++\ntitle = \"A\"\ndate = \"x\"\n+++\n")
        .file("content/b.md", "+++\n+++\n");
    let r = s.build();
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr.matches("error[").count(), 3, "{}", r.stderr);
    assert!(
        r.stderr
            .ends_with("build failed: 3 error(s), 0 warning(s); nothing was written\n"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_failed_build_leaves_the_previous_output_as_it_was() {
    let s = Site::new()
        .file("content/a.md", &page("A", "", "first version"))
        .build_ok();
    let before = s.read("a/index.html");
    let s = s
        .file(
            "content/a.md",
            "+++\ntitle = \"A\"\nbad = 1\n+++\nsecond version\n",
        )
        .file("content/new.md", &page("New", "", ""));
    assert_eq!(s.build().code, 1);
    assert_eq!(s.read("a/index.html"), before);
    assert!(!s.public().join("new").exists());
    let leftovers: Vec<_> = std::fs::read_dir(s.root())
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("kagu-"))
        .collect();
    assert!(leftovers.is_empty(), "staging folders left behind: {leftovers:?}");
}

#[test]
fn a_successful_build_replaces_stale_files() {
    let s = Site::new().file("content/a.md", &page("A", "", "")).build_ok();
    let s = s.remove("content/a.md").build_ok();
    assert!(!s.public().join("a").exists());
}

#[test]
fn json_and_github_message_formats() {
    let s = Site::new().file("content/d.md", "+++\ntitle = \"D\"\ntempalte = \"x\"\n+++\n");
    let json = s.kagu(&["build", "--message-format", "json"]);
    assert_eq!(json.code, 1);
    // JSON lines on stdout (for tools), the summary on stderr, in every format (#32).
    assert_eq!(
        json.stderr,
        "build failed: 1 error(s), 0 warning(s); nothing was written\n"
    );
    let v: serde_json::Value =
        serde_json::from_str(json.stdout.lines().next().expect("a line")).expect("json");
    assert_eq!(v["code"], "E002");
    assert_eq!(v["severity"], "error");
    assert_eq!(v["file"], "content/d.md");
    assert_eq!(v["line"], 3);
    assert_eq!(v["column"], 1);
    assert_eq!(v["hint"], "did you mean `template`?");
    let gh = s.kagu(&["build", "--message-format", "github"]);
    assert_eq!(
        gh.stderr,
        "build failed: 1 error(s), 0 warning(s); nothing was written\n"
    );
    assert_eq!(
        gh.stdout.trim(),
        "::error file=content/d.md,line=3,col=1::unknown key `tempalte` in front matter [E002] (hint: did you mean `template`?)"
    );
    // Property values escape `,` and `:`, messages `%` and newlines, as the Actions runner reads them.
    let s = Site::new().file(
        "content/a,b:c.md",
        "+++
title = \"D\"\ntempalte = \"x\"\n+++\n",
    );
    let gh = s.kagu(&["build", "--message-format", "github"]);
    assert!(
        gh.stdout
            .contains("::error file=content/a%2Cb%3Ac.md,line=3,col=1::unknown key"),
        "{}",
        gh.stdout
    );
}

#[test]
fn a_check_that_warnings_fail_says_it_failed() {
    let s = Site::new()
        .file("content/a.md", &page("A", "", "![](pic.png)"))
        .file("content/pic.png", "x");
    let r = s.kagu(&["check", "--deny-warnings", "--message-format", "json"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("\"code\":\"W004\""), "{}", r.stdout);
    assert_eq!(
        r.stderr,
        "check failed: 0 error(s), 1 warning(s), and --deny-warnings makes warnings fail\n"
    );
    let r = s.kagu(&["check"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stderr.lines().last().is_some_and(
            |l| l.starts_with("check: 2 pages, 0 sources, 0 internal links checked, 1 warning(s) in ")
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn check_validates_and_writes_nothing() {
    let s = Site::new().file("content/a.md", &page("A", "", "[x](missing.md)"));
    let r = s.kagu(&["check"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("error[E040]"), "{}", r.stderr);
    let s = s.file("content/a.md", &page("A", "", "fine"));
    assert_eq!(s.kagu(&["check"]).code, 0);
    assert!(!s.public().exists());
}

#[test]
fn a_value_of_the_wrong_type_and_no_false_missing_home() {
    let s = Site::new().file(
        "content/_index.md",
        "+++\ntitle = \"H\"\nweight = \"heavy\"\n+++\n",
    );
    fails_with(
        &s,
        r#"error[E003]: bad value for `weight`: invalid type: string "heavy", expected i64
  ┌─ content/_index.md:3:10
  │
3 │ weight = "heavy"
  │          ^^^^^^^"#,
    );
}

#[test]
fn unreadable_biblatex() {
    let s = Site::new()
        .file("kagu.toml", &format!("{CONFIG}bibliography = [\"r.bib\"]\n"))
        .file("r.bib", "@book{x,\n  title = {A\n");
    let r = s.build();
    assert_eq!(r.code, 1);
    let d = diagnostics(&r);
    assert!(
        d.starts_with("error[E035]: cannot read bibliography: biblatex parse error: unexpected end of file"),
        "{d}"
    );
    assert!(d.contains("  ┌─ r.bib:3:1\n"), "{d}");
}

#[test]
fn every_broken_template_is_reported_not_just_the_first() {
    let s = Site::new()
        .file(
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block content %}{{ page.title }\n{% endblock content %}\n",
        )
        .file("templates/section.html", "{% if %}\n");
    let r = s.build();
    assert_eq!(r.code, 1);
    let d = diagnostics(&r);
    assert_eq!(d.matches("error[E010]").count(), 2, "{d}");
    assert!(
        d.contains("templates/page.html:2:34") && d.contains("templates/section.html:1:"),
        "{d}"
    );
}

/// A page saved again after kagu read it: its problems are still shown, every one of them, with
/// a warning that their places are in a text that is gone (W006).
#[test]
fn a_page_changed_while_the_site_is_read_is_said_to_have_changed() {
    use kagu::driver::site::{Destination, Flavour, Site as Project};
    let original = page("A", "", "Some text first, then [a broken link](nowhere.md).\n");
    let s = Site::new().file("content/a.md", &original);
    let opts = kagu::project::options::BuildOptions {
        root: s.root().to_path_buf(),
        ..Default::default()
    };
    let mut site = Project::load(opts, Flavour::Publish);
    // Saved again with other text: the broken link's place falls inside a character.
    let at = original.find("[a broken").expect("link");
    let new = format!(
        "{}{}",
        if at.is_multiple_of(2) { "x" } else { "" },
        "é".repeat(200)
    );
    std::fs::write(s.root().join("content/a.md"), new).expect("write");
    site.build(Destination::Check, &|_, _| {});
    let report = site.report();
    let mut out = codespan_reporting::term::termcolor::Buffer::no_color();
    kagu::base::diag::emit(
        &mut out,
        site.files(),
        &report.diagnostics,
        kagu::base::diag::MessageFormat::Human,
    )
    .expect("emit");
    let text = String::from_utf8_lossy(out.as_slice()).to_string();
    assert!(
        text.contains("error[E040]: broken link: `nowhere.md` does not exist"),
        "{text}"
    );
    assert!(
        text.contains(
            "warning[W006]: `content/a.md` changed while kagu was reading the site\n  ┌─ content/a.md:1:1"
        ),
        "{text}"
    );
    assert!(
        text.contains("= hint: build again: the places shown for this file's problems may be off"),
        "{text}"
    );
}
