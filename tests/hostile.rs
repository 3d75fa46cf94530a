//! Hostile files (#27): bibliographies and styles that loop or nest without end, addresses a
//! browser would run, and files that are not what they seem. Each case crashed, hung, leaked
//! or lost data before; each is now a located error or handled.

use crate::harness::{attrs, diagnostics, fails_with, page, Site, CONFIG};
use crate::serve::Server;

fn citing(bib: &str) -> Site {
    Site::new()
        .file("kagu.toml", &format!("{CONFIG}bibliography = [\"refs.bib\"]\n"))
        .file("refs.bib", bib)
        .file("content/a.md", &page("A", "", "A claim [@a]."))
}

#[test]
fn a_crossref_loop_is_a_located_error_not_a_stack_overflow() {
    let s = citing("@book{a, title = {A}, author = {Doe, Jane}, year = {2020}, crossref = {b}}\n@book{b, title = {B}, crossref = {a}}\n");
    fails_with(
        &s,
        "error[E068]: cannot follow the bibliography's references: entries refer to each other in a loop: a → b → a
  ┌─ refs.bib:1:7
  │
1 │ @book{a, title = {A}, author = {Doe, Jane}, year = {2020}, crossref = {b}}
  │       ^
  │
  = hint: change the `crossref`, `xdata` or `@string` that leads back, or nest the braces less deep",
    );
}

#[test]
fn a_crossref_to_itself_and_a_self_referring_string_are_located_errors() {
    let s = citing("@string{foo = foo # \"x\"}\n@book{a, title = foo, author = {Doe, Jane}, year = {2020}, crossref = {a}}\n");
    fails_with(
        &s,
        "error[E068]: cannot follow the bibliography's references: the @string `foo` refers to itself
  ┌─ refs.bib:1:9
  │
1 │ @string{foo = foo # \"x\"}
  │         ^^^
  │
  = hint: change the `crossref`, `xdata` or `@string` that leads back, or nest the braces less deep

error[E068]: cannot follow the bibliography's references: the entry `a` refers to itself
  ┌─ refs.bib:2:7
  │
2 │ @book{a, title = foo, author = {Doe, Jane}, year = {2020}, crossref = {a}}
  │       ^
  │
  = hint: change the `crossref`, `xdata` or `@string` that leads back, or nest the braces less deep",
    );
}

#[test]
fn a_crossref_chain_that_ends_is_followed() {
    let s = citing("@inbook{a, title = {A}, author = {Doe, Jane}, crossref = {b}}\n@book{b, title = {The Book}, year = {2020}, crossref = {c}}\n@book{c, publisher = {P}}\n").build_ok();
    let a = s.read("a/index.html");
    assert!(a.contains("The Book"), "{a}");
}

#[test]
fn a_javascript_url_in_a_bib_file_is_refused_and_never_linked() {
    let s =
        citing("@book{a, title = {A}, author = {Doe, Jane}, year = {2020}, url = {javascript:alert(1)}}\n");
    fails_with(
        &s,
        "error[E033]: `javascript:alert(1)` is not a usable URL: the scheme `javascript` is not http or https
  ┌─ refs.bib:1:65
  │
1 │ @book{a, title = {A}, author = {Doe, Jane}, year = {2020}, url = {javascript:alert(1)}}
  │                                                                 ^^^^^^^^^^^^^^^^^^^^^^
  │
  = hint: use a full http:// or https:// address",
    );
    // Checked, not built: the check's own output holds no such link either.
    let out = tempfile::tempdir().expect("temp");
    let r = s.kagu(&["build", "--output-dir", out.path().to_str().expect("utf-8")]);
    assert_eq!(r.code, 1);
    assert!(!out.path().join("a/index.html").exists());
}

#[test]
fn a_bib_url_that_passes_the_check_is_linked() {
    let s =
        citing("@book{a, title = {A}, author = {Doe, Jane}, year = {2020}, url = {https://example.org/a}}\n")
            .build_ok();
    let doc = s.html("sources/index.html");
    assert!(attrs(&doc, "a", "href").contains(&"https://example.org/a".to_string()));
}

fn styled(csl: &str) -> Site {
    Site::new()
        .file("kagu.toml", &format!("{CONFIG}citation_style = \"s.csl\"\n"))
        .file("s.csl", csl)
        .file(
            "content/sources.toml",
            "[a]\ntype = \"book\"\ntitle = \"A\"\nauthor = \"Doe, Jane\"\ndate = 2020\n",
        )
        .file("content/a.md", &page("A", "", "A claim [@a]."))
}

const STYLE_HEAD: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<style xmlns=\"http://purl.org/net/xbiblio/csl\" class=\"note\" version=\"1.0\">\n<info><title>T</title><id>t</id><updated>2026-01-01T00:00:00+00:00</updated></info>\n";

fn style_error(message: &str) -> String {
    format!(
        "error[E038]: cannot use the citation style file `s.csl`: {message}
  ┌─ kagu.toml:3:1
  │
3 │ citation_style = \"s.csl\"
  │ ^^^^^^^^^^^^^^^^^^^^^^^^
  │
  = hint: give the path of an independent CSL style file, relative to kagu.toml, or a bundled style's name"
    )
}

#[test]
fn a_csl_macro_that_calls_itself_is_an_error_at_its_line() {
    let s = styled(&format!("{STYLE_HEAD}<macro name=\"title\">\n<choose><if variable=\"title\"><text macro=\"title\"/></if></choose>\n</macro>\n<citation><layout><text macro=\"title\"/></layout></citation>\n</style>\n"));
    fails_with(&s, &style_error("the macro `title` refers to itself (line 4)"));
}

#[test]
fn twenty_thousand_nested_csl_groups_are_an_error_not_a_crash() {
    let s = styled(&format!(
        "{STYLE_HEAD}<citation><layout>{}<text variable=\"title\"/>{}</layout></citation>\n</style>\n",
        "<group>".repeat(20_000),
        "</group>".repeat(20_000)
    ));
    fails_with(&s, &style_error("its elements nest more than 64 deep (line 4)"));
}

#[test]
fn a_style_nested_just_within_the_limits_renders() {
    let s = styled(&format!(
        "{STYLE_HEAD}<citation><layout>{}<text variable=\"title\"/>{}</layout></citation>\n</style>\n",
        "<group>".repeat(60),
        "</group>".repeat(60)
    ))
    .build_ok();
    let r = s.kagu(&["check"]);
    assert_eq!(diagnostics(&r), "");
}

fn mkfifo(path: &std::path::Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo");
    assert!(ok.success());
}

const SKIPPED_HINT: &str =
    "kagu reads only regular files and folders inside the project: put the file itself there, or move it out";

#[test]
fn a_named_pipe_and_a_linked_page_under_content_are_skipped_with_a_warning() {
    let s = Site::new().file("content/a.md", &page("A", "", "Text."));
    mkfifo(&s.root().join("content/pipe.md"));
    let outside = tempfile::tempdir().expect("temp");
    std::fs::write(outside.path().join("x.md"), page("X", "", "Outside.")).expect("write");
    std::os::unix::fs::symlink(outside.path().join("x.md"), s.root().join("content/x.md")).expect("link");
    let r = s.kagu(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        diagnostics(&r),
        format!("warning[W008]: `content/pipe.md` is skipped: it is a named pipe\n = hint: {SKIPPED_HINT}\n\nwarning[W008]: `content/x.md` is skipped: it is a symbolic link\n = hint: {SKIPPED_HINT}")
    );
    assert_eq!(s.kagu(&["check", "--deny-warnings"]).code, 1);
}

#[test]
fn a_named_pipe_in_place_of_sources_toml_is_one_error() {
    let s = Site::new().file("content/a.md", &page("A", "", "Text."));
    mkfifo(&s.root().join("content/sources.toml"));
    fails_with(
        &s,
        "error[E069]: the bibliography file `content/sources.toml` is a named pipe, not a regular file\n = hint: put a regular file in its place",
    );
}

#[test]
fn a_content_that_is_a_file_is_said_to_be_a_file() {
    let s = Site::new().remove("content/_index.md");
    std::fs::remove_dir(s.root().join("content")).expect("rmdir");
    let s = s.file("content", "not a folder\n");
    let r = s.build();
    assert_eq!(r.code, 1);
    let content = s.root().join("content");
    assert_eq!(
        diagnostics(&r),
        format!(
            "error[E069]: the content folder `{}` is a file, not a folder\n = hint: put a folder in its place",
            content.display()
        )
    );
}

#[test]
fn bytes_that_are_not_utf8_in_any_toml_file_are_located() {
    let s = Site::new()
        .file("content/a.md", &page("A", "", "Text."))
        .file("content/sources.toml", "[a]\ntitle = \"caf\u{1}\"\n")
        .file(
            "content/timeline.toml",
            "[[event]]\ndate = 2020\ntitle = \"\u{1}\"\n",
        )
        .file("kagu.toml", &format!("{CONFIG}description = \"\u{1}\"\n"));
    for (rel, bad) in [
        ("content/sources.toml", "[a]\ntitle = \"caf\u{1}\"\n"),
        (
            "content/timeline.toml",
            "[[event]]\ndate = 2020\ntitle = \"\u{1}\"\n",
        ),
        ("kagu.toml", &format!("{CONFIG}description = \"\u{1}\"\n")),
    ] {
        let bytes: Vec<u8> = bad.bytes().map(|b| if b == 1 { 0xff } else { b }).collect();
        std::fs::write(s.root().join(rel), bytes).expect("write");
    }
    let r = s.build();
    assert_eq!(r.code, 1);
    let d = diagnostics(&r);
    for at in [
        "kagu.toml:3:16",
        "content/sources.toml:2:13",
        "content/timeline.toml:3:10",
    ] {
        assert!(
            d.contains(&format!("error[E009]: the file is not valid UTF-8\n  ┌─ {at}\n")),
            "{at}:\n{d}"
        );
    }
    assert_eq!(d.matches("error[").count(), 3, "{d}");
}

/// Waits (up to ten seconds) until the dev server has printed `text`.
fn said(srv: &Server, text: &str) {
    let start = std::time::Instant::now();
    while !srv.stderr().contains(text) {
        assert!(
            start.elapsed().as_secs() < 10,
            "never said {text:?}:\n{}",
            srv.stderr()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Waits (up to fifteen seconds) until the dev server's first error has this code.
fn shows(srv: &Server, code: &str) {
    let start = std::time::Instant::now();
    while srv.status()["errors"][0]["code"] != code {
        assert!(
            start.elapsed().as_secs() < 15,
            "never showed {code}:\n{}",
            srv.stderr()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn a_named_pipe_saved_under_content_never_blocks_the_dev_server() {
    let s = Site::new().file("content/a.md", &page("A", "", "First text."));
    let srv = Server::start(&s, &["--port", "0"]);
    mkfifo(&s.root().join("content/pipe.md"));
    let s = s.file("content/a.md", &page("A", "", "Edited text."));
    srv.wait_for("/a/", "an edit after the pipe", |r| {
        r.body.contains("Edited text.")
    });
    // The pipe's own event may come in a later batch than the edit's: waited for, not raced.
    said(
        &srv,
        "warning[W008]: `content/pipe.md` is skipped: it is a named pipe",
    );
    // A pipe in place of the sources file is an error; the next edit that fixes it rebuilds.
    mkfifo(&s.root().join("content/sources.toml"));
    said(
        &srv,
        "error[E069]: the bibliography file `content/sources.toml` is a named pipe, not a regular file",
    );
    assert_eq!(srv.status()["errors"][0]["code"], "E069");
    std::fs::remove_file(s.root().join("content/sources.toml")).expect("rm");
    let _s = s.file("content/a.md", &page("A", "", "Fixed text."));
    srv.wait_for("/a/", "an edit after the fix", |r| r.body.contains("Fixed text."));
}

/// Every file under `dir`, by path, with its bytes.
fn snapshot(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    crate::harness::tree(dir)
}

#[test]
fn force_never_removes_a_repository_nor_what_the_build_reads() {
    let s = citing("@book{a, title = {A}, author = {Doe, Jane}, year = {2020}}\n")
        .file("kagu.toml", &format!("{CONFIG}bibliography = [\"refs/a.bib\"]\n"))
        .file(
            "refs/a.bib",
            "@book{a, title = {A}, author = {Doe, Jane}, year = {2020}}\n",
        )
        .file(".git/HEAD", "ref: refs/heads/main\n")
        .file("other/.svn/entries", "12\n");
    let before = snapshot(s.root());
    for (out, reason) in [
        (".git", "is inside a version-control folder (`.git`)"),
        (".git/objects", "is inside a version-control folder (`.git`)"),
        ("other", "holds a version-control folder (`.svn`)"),
        ("refs", "holds `refs/a.bib`, which this build reads"),
    ] {
        let path = s.root().join(out);
        let r = s.kagu(&["build", "--force", "--output-dir", path.to_str().expect("utf-8")]);
        assert_eq!(r.code, 1, "{out}: {}", r.stderr);
        assert_eq!(
            diagnostics(&r),
            format!(
                "error[E050]: refusing to write the site to `{}`: it {reason}\n = hint: give the site an output folder of its own, e.g. `--output-dir public`",
                path.display()
            ),
            "{out}"
        );
    }
    assert_eq!(snapshot(s.root()), before);
    // A style file is read too.
    let s = s
        .file(
            "kagu.toml",
            &format!("{CONFIG}citation_style = \"styles/s.csl\"\n"),
        )
        .file("styles/s.csl", "<style/>");
    let path = s.root().join("styles");
    let r = s.kagu(&["build", "--force", "--output-dir", path.to_str().expect("utf-8")]);
    assert!(
        diagnostics(&r).contains("it holds `styles/s.csl`, which this build reads"),
        "{}",
        r.stderr
    );
    assert!(path.join("s.csl").is_file());
}

/// Runs `kagu ARGS` and returns its exit code and what it wrote to stderr.
fn run(args: &[&std::ffi::OsStr]) -> (Option<i32>, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kagu"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn init_refuses_a_dangling_link_before_writing_anything_and_a_file_path() {
    let dir = tempfile::tempdir().expect("temp");
    let site = dir.path().join("s");
    std::fs::create_dir_all(&site).expect("mkdir");
    std::os::unix::fs::symlink(dir.path().join("nowhere"), site.join(".gitignore")).expect("link");
    let (code, stderr) = run(&["init".as_ref(), site.as_os_str()]);
    assert_eq!(code, Some(1));
    assert_eq!(
        stderr,
        format!("error: {} already has a .gitignore; kagu init writes only new files: move it away or choose another folder\n", site.display())
    );
    assert!(!site.join("kagu.toml").exists() && !site.join("content").exists());
    assert!(!dir.path().join("nowhere").exists());
    let file = dir.path().join("f");
    std::fs::write(&file, "x").expect("write");
    let (code, stderr) = run(&["init".as_ref(), file.as_os_str()]);
    assert_eq!(code, Some(1));
    assert_eq!(
        stderr,
        format!(
            "error: {} is a file; kagu init makes a site in a folder: name a new or empty folder\n",
            file.display()
        )
    );
}

#[test]
fn new_refuses_a_missing_site_and_a_folder_that_is_a_link() {
    let dir = tempfile::tempdir().expect("temp");
    let missing = dir.path().join("nonexistent");
    let (code, stderr) = run(&[
        "new".as_ref(),
        "x.md".as_ref(),
        "--root".as_ref(),
        missing.as_os_str(),
    ]);
    assert_eq!(code, Some(1));
    assert_eq!(
        stderr,
        format!("error: {} holds no site (no kagu.toml): make one with `kagu init`, or give the site's folder with --root\n", missing.display())
    );
    assert!(!missing.exists());
    let s = Site::new();
    let outside = tempfile::tempdir().expect("temp");
    std::os::unix::fs::symlink(outside.path(), s.root().join("content/ln")).expect("link");
    let (code, stderr) = run(&[
        "new".as_ref(),
        "ln/x.md".as_ref(),
        "--root".as_ref(),
        s.root().as_os_str(),
    ]);
    assert_eq!(code, Some(1));
    assert_eq!(
        stderr,
        format!(
            "error: {} is a link: kagu writes pages only inside content/ itself; make it a folder\n",
            s.root().join("content/ln").display()
        )
    );
    assert_eq!(std::fs::read_dir(outside.path()).expect("ls").count(), 0);
}

#[test]
fn man_never_writes_through_a_link() {
    let dir = tempfile::tempdir().expect("temp");
    let target = dir.path().join("target.txt");
    std::fs::write(&target, "mine\n").expect("write");
    let pages = dir.path().join("man1");
    std::fs::create_dir_all(&pages).expect("mkdir");
    std::os::unix::fs::symlink(&target, pages.join("kagu.1")).expect("link");
    let (code, stderr) = run(&["man".as_ref(), pages.as_os_str()]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("kagu.1 is not a regular file (a link or a folder); kagu does not write through it"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&target).expect("read"), "mine\n");
    // Nothing half-written is left beside the link.
    assert_eq!(std::fs::read_dir(&pages).expect("ls").count(), 1);
}

#[test]
fn a_root_absolute_image_is_checked_like_a_link() {
    let s = Site::new().file("content/a.md", &page("A", "", "![p](/etc/passwd)"));
    fails_with(
        &s,
        "error[E043]: link `/etc/passwd` starts at the site root
  ┌─ content/a.md:5:1
  │
5 │ ![p](/etc/passwd)
  │ ^^^^^^^^^^^^^^^^^
  │
  = hint: write the link relative to this file, so it works under any subpath",
    );
}

#[test]
fn an_alias_on_a_generated_file_is_located_at_its_page() {
    let s = Site::new().file("content/a.md", &page("A", "aliases = [\"404.html\"]\n", "Text."));
    fails_with(
        &s,
        "error[E020]: this page would make the folder `/404.html/` where the 404 page is written
  ┌─ content/a.md:1:1
  │
1 │ +++
  │ ^^^
  │
  = hint: remove that alias (or change the page's `slug`): a folder cannot be made where a file is written",
    );
}

#[test]
fn a_missing_extends_or_include_names_the_templates_there_are_at_its_place() {
    let names = "404.html, alias.html, article.html, base.html, extra_head.html, index.html, page.html, prev_next.html, reading_path.html, section.html, source.html, sources.html, toc.html, updates.html";
    for (text, line) in [
        ("{% extends \"nope.html\" %}", "1 │ {% extends \"nope.html\" %}"),
        ("{% include \"nope.html\" %}", "1 │ {% include \"nope.html\" %}"),
    ] {
        let s = Site::new().file("templates/page.html", text);
        fails_with(
            &s,
            &format!(
                "error[E012]: template `nope.html` does not exist
  ┌─ templates/page.html:1:12
  │
{line}
  │            ^^^^^^^^^^^
  │
  = hint: add it to templates/, or use one of: {names}"
            ),
        );
    }
}

#[test]
fn a_time_without_a_date_is_not_a_date() {
    let s = Site::new().file("content/a.md", &page("A", "date = 12:30:00\n", "Text."));
    fails_with(
        &s,
        "error[E007]: `date` is not a valid date: `12:30:00` is a time of day, without a date
  ┌─ content/a.md:3:1
  │
3 │ date = 12:30:00
  │ ^^^^^^^^^^^^^^^
  │
  = hint: write a TOML date without quotes, e.g. `date = 2024-05-13`",
    );
}

#[test]
fn odd_link_targets_get_messages_that_say_what_is_wrong() {
    let s = Site::new()
        .file("content/lead.md", &page("Lead", "", "Text."))
        .file("content/per%cent.md", &page("Per cent", "", "Text."))
        .file("content/....md", &page("Dots", "slug = \"dots\"\n", "Text."))
        .file(
            "content/a.md",
            &page("A", "", "[x](#lead.md) [y](per%cent.md) [z](....md)"),
        );
    fails_with(
        &s,
        "error[E041]: broken link: this page has no heading `#lead.md`
  ┌─ content/a.md:5:1
  │
5 │ [x](#lead.md) [y](per%cent.md) [z](....md)
  │ ^^^^^^^^^^^^^
  │
  = hint: `#` starts a heading's id; to link to the page, write `lead.md`

error[E048]: broken link: `....md` names a hidden or backup file, which kagu does not read
  ┌─ content/a.md:5:32
  │
5 │ [x](#lead.md) [y](per%cent.md) [z](....md)
  │                                ^^^^^^^^^^^
  │
  = hint: rename the file so that its name does not start with `.` or `#` nor end like an editor's backup (`~`, `.bak`, `.tmp`), and link to the new name",
    );
}

const DOUBLING: &str = "{% set_global s = \"x\" %}{% for i in range(end=60) %}{% set_global s = s ~ s %}{% endfor %}{{ s | length }}";
const SPINNING: &str =
    "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% set x = j %}{% endfor %}{% endfor %}";
const STOPPED_HINT: &str = " = hint: look for a loop in the template that never ends or keeps growing";

#[test]
fn a_template_that_computes_without_writing_is_stopped_in_memory_and_time() {
    for (template, config, limit) in [
        (
            DOUBLING,
            "max_page_mb = 64\n",
            "it held more than 256 MB while it ran (four times `max_page_mb` in kagu.toml, and at least 256)",
        ),
        (
            DOUBLING,
            "max_page_mb = 100\n",
            "it held more than 400 MB while it ran (four times `max_page_mb` in kagu.toml, and at least 256)",
        ),
        (
            SPINNING,
            "max_page_seconds = 1\n",
            "the page took longer than 1 s (`max_page_seconds` in kagu.toml)",
        ),
    ] {
        let s = Site::new()
            .file("kagu.toml", &format!("{CONFIG}{config}"))
            .file("content/a.md", &page("A", "", "Text."))
            .file("templates/page.html", template);
        let started = std::time::Instant::now();
        let r = s.build();
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert_eq!(
            diagnostics(&r),
            format!("error[E013]: template `page.html` was stopped: {limit}\n{STOPPED_HINT}")
        );
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
        assert!(!s.public().exists());
    }
}

#[test]
fn the_dev_server_survives_a_template_that_never_ends() {
    let s = Site::new()
        .file("kagu.toml", &format!("{CONFIG}max_page_seconds = 1\n"))
        .file("content/a.md", &page("A", "", "Text."))
        .file("templates/page.html", SPINNING);
    let srv = Server::start(&s, &["--port", "0"]);
    let status = srv.status();
    assert_eq!(status["errors"][0]["code"], "E013", "{status}");
    assert_eq!(
        status["errors"][0]["message"],
        "template `page.html` was stopped: the page took longer than 1 s (`max_page_seconds` in kagu.toml)"
    );
    // The next edit (the template fixed) rebuilds on fresh threads, and again after that.
    let s = s.file("templates/page.html", "<p>{{ page.title }} fixed</p>");
    srv.wait_for("/a/", "the fixed template", |r| r.body.contains("A fixed"));
    let s = s.file("templates/page.html", DOUBLING);
    shows(&srv, "E013");
    let _s = s.file("templates/page.html", "<p>{{ page.title }} again</p>");
    srv.wait_for("/a/", "fixed again", |r| r.body.contains("A again"));
}

#[test]
fn a_looping_bibliography_saved_while_serving_is_reported_and_the_server_goes_on() {
    let s = citing("@book{a, title = {First}, author = {Doe, Jane}, year = {2020}}\n");
    let srv = Server::start(&s, &["--port", "0"]);
    srv.wait_for("/a/", "the first build", |r| r.body.contains("First"));
    let s = s.file(
        "refs.bib",
        "@book{a, title = {A}, author = {Doe, Jane}, year = {2020}, crossref = {b}}\n@book{b, title = {B}, crossref = {a}}\n",
    );
    shows(&srv, "E068");
    assert_eq!(srv.get("/a/").status, 200);
    let _s = s.file(
        "refs.bib",
        "@book{a, title = {Second}, author = {Doe, Jane}, year = {2020}}\n",
    );
    srv.wait_for("/a/", "the fixed bibliography", |r| r.body.contains("Second"));
}

/// A citation is rendered with the entries it could collide with; in a note style that tells
/// cites apart only where they print the same (Chicago, MLA), that is one author's works of one
/// short title, so a group of thousands of one author's works costs nothing per citation. The
/// works that do collide are still told apart.
#[test]
fn works_of_one_author_are_told_apart_only_where_their_notes_collide() {
    let s = citing(
        "@book{a, title = {Report}, author = {Doe, Jane}, year = {2020}, publisher = {P}}
@book{b, title = {Report}, author = {Doe, John}, year = {2021}, publisher = {P}}
@book{c, title = {Other}, author = {Doe, Robert}, year = {2019}, publisher = {P}}
",
    )
    .file(
        "content/a.md",
        &page("A", "", "A [@a]. B [@b]. C [@c]. A [@a]. B [@b]. C [@c]."),
    )
    .build_ok();
    let doc = s.html("a/index.html");
    assert_eq!(
        crate::harness::words(&doc, ".notes .note-body"),
        [
            "Jane Doe, Report (P, 2020).",
            "John Doe, Report (P, 2021).",
            "Robert Doe, Other (P, 2019).",
            "Jane Doe, Report.",
            "John Doe, Report.",
            "Doe, Other.",
        ]
    );
}

/// A bibliography over 2,000 sources in an author-date style was formatted from one citation of
/// them all, and the engine grouped its items: entries lost their initials ("Fam0. (2019)") and
/// year suffixes came out of order. Such a style is now always formatted source by source.
#[test]
fn a_large_author_date_bibliography_keeps_its_initials() {
    let mut bib = String::new();
    for i in 0..2100 {
        bib.push_str(&format!(
            "@book{{k{i}, title = {{Report {}}}, author = {{Fam{}, {}}}, year = {{{}}}, publisher = {{P}}}}\n",
            i % 7,
            i % 100,
            ["Jane", "John", "Ana", "Li", "Robert"][(i / 100) % 5],
            2018 + (i / 500) % 3
        ));
    }
    let s = citing(&bib)
        .file(
            "kagu.toml",
            &format!("{CONFIG}bibliography = [\"refs.bib\"]\ncitation_style = \"apa\"\n"),
        )
        .file("content/a.md", &page("A", "", "A claim [@k0]."))
        .build_ok();
    let entries = crate::harness::words(&s.html("sources/index.html"), ".source-entry");
    assert_eq!(entries.len(), 2100);
    // "Fam12, J. (2019a)…", never "Fam12. (2019)…".
    let without: Vec<&String> = entries
        .iter()
        .filter(|e| !e.split_once(' ').is_some_and(|(family, _)| family.ends_with(',')))
        .collect();
    assert!(
        without.is_empty(),
        "{} entries without initials, e.g. {:?}",
        without.len(),
        without.first()
    );
}

#[test]
fn a_pipe_as_kagu_toml_and_a_template_that_is_not_utf8_are_reported_where_they_are() {
    let s = Site::new()
        .file("content/a.md", &page("A", "", "Text."))
        .file("templates/page.html", "");
    std::fs::write(s.root().join("templates/page.html"), b"<p>caf\xff</p>").expect("write");
    std::fs::remove_file(s.root().join("kagu.toml")).expect("rm");
    mkfifo(&s.root().join("kagu.toml"));
    let r = s.build();
    assert_eq!(r.code, 1);
    assert_eq!(
        diagnostics(&r),
        format!(
            "error[E069]: the site config `{}` is a named pipe, not a regular file
 = hint: put a regular file in its place

error[E009]: the file is not valid UTF-8
  ┌─ templates/page.html:1:7
  │
1 │ <p>caf�</p>
  │       ^
  │
  = hint: save the file as UTF-8",
            s.root().join("kagu.toml").display()
        )
    );
}
