//! Output safety: kagu writes only inside its own output folder, replaces only a folder it
//! made, never follows a link to delete, keeps every output path inside, reports collisions,
//! escapes writers' data, survives any bytes, and cleans up after interrupted builds.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::harness::*;

/// Every file under `dir` with its bytes (links as their target), to prove nothing changed.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.expect("walk");
        let rel = e.path().strip_prefix(dir).expect("prefix").display().to_string();
        if e.path_is_symlink() {
            let t = std::fs::read_link(e.path()).expect("link");
            out.insert(rel, format!("-> {}", t.display()).into_bytes());
        } else if e.file_type().is_file() {
            out.insert(rel, std::fs::read(e.path()).expect("read"));
        } else {
            out.insert(rel + "/", Vec::new());
        }
    }
    out
}

fn build_to(s: &Site, out: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["build", "--output-dir", out.to_str().expect("utf-8 path")];
    args.extend(extra);
    s.kagu(&args)
}

fn site_with_page() -> Site {
    Site::new().file("content/a.md", &page("A", "", "Text."))
}

#[test]
fn output_dir_at_the_project_root_is_refused_and_nothing_is_touched() {
    let s = site_with_page();
    let before = snapshot(s.root());
    let r = build_to(&s, s.root(), &["--force"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        diagnostics(&r),
        format!(
            "error[E050]: refusing to write the site to `{}`: it is the project folder itself\n = hint: give the site an output folder of its own, e.g. `--output-dir public`",
            s.root().display()
        )
    );
    assert!(r
        .stderr
        .ends_with("build failed: 1 error(s), 0 warning(s); nothing was written\n"));
    assert_eq!(snapshot(s.root()), before);
}

#[test]
fn output_dirs_that_hold_the_project_or_sit_in_its_folders_are_refused() {
    let s = site_with_page().file("static/x.txt", "x");
    let parent = s.root().parent().expect("parent").to_path_buf();
    let before = snapshot(s.root());
    for (out, reason) in [
        (parent, "holds the project folder"),
        (
            s.root().join("content/out"),
            "is inside the project's content/ folder",
        ),
        (s.root().join("static"), "is inside the project's static/ folder"),
        (s.root().join("public/.."), "is the project folder itself"),
    ] {
        let r = build_to(&s, &out, &["--force"]);
        assert_eq!(r.code, 1, "{}", out.display());
        assert!(
            diagnostics(&r).contains(&format!("it {reason}")),
            "{}: {}",
            out.display(),
            r.stderr
        );
    }
    assert_eq!(snapshot(s.root()), before);
}

#[test]
fn dot_and_dot_dot_are_refused() {
    let s = site_with_page();
    for out in [".", "..", "./", "../.."] {
        let r = Command::new(env!("CARGO_BIN_EXE_kagu"))
            .args(["build", "--root", ".", "--output-dir", out])
            .current_dir(s.root())
            .env("NO_COLOR", "1")
            .output()
            .expect("run");
        assert_eq!(r.status.code(), Some(1), "{out}");
        let err = String::from_utf8_lossy(&r.stderr);
        assert!(
            err.contains(&format!(
                "refusing to write the site to `{out}`: it names the current folder or a folder above it"
            )),
            "{err}"
        );
    }
    assert!(s.root().join("content/a.md").is_file());
}

#[test]
fn a_symlinked_output_folder_is_never_followed() {
    let s = site_with_page();
    let elsewhere = tempfile::tempdir().expect("temp");
    std::fs::write(elsewhere.path().join("precious.txt"), "keep me").expect("write");
    std::os::unix::fs::symlink(elsewhere.path(), s.public()).expect("symlink");
    let before = snapshot(elsewhere.path());
    let r = s.build();
    assert_eq!(r.code, 1);
    assert_eq!(
        diagnostics(&r),
        format!(
            "error[E052]: refusing to write the site to `{}`: it is a symbolic link (to `{}`), and kagu never writes or deletes through one\n = hint: remove the link, or pass the folder it points to with --output-dir",
            s.public().display(),
            elsewhere.path().display()
        )
    );
    assert_eq!(snapshot(elsewhere.path()), before);
    assert!(s.public().is_symlink());
}

#[test]
fn a_folder_kagu_did_not_make_is_replaced_only_with_force() {
    let s = site_with_page();
    let out = tempfile::tempdir().expect("temp");
    let target = out.path().join("site");
    std::fs::create_dir_all(target.join("deep")).expect("mkdir");
    std::fs::write(target.join("notes.txt"), "mine").expect("write");
    std::fs::write(target.join("deep/x"), "mine").expect("write");
    let r = build_to(&s, &target, &[]);
    assert_eq!(r.code, 1);
    assert_eq!(
        diagnostics(&r),
        format!(
            "error[E051]: refusing to replace `{}`: it is not empty (`deep`, `notes.txt`) and kagu did not make it (no .kagu-output file)\n = hint: choose an empty or new folder with --output-dir, or pass --force to replace this one",
            target.display()
        )
    );
    assert_eq!(
        std::fs::read_to_string(target.join("notes.txt")).expect("kept"),
        "mine"
    );
    // With --force it is replaced; from then on it carries kagu's marker and needs no flag.
    assert_eq!(build_to(&s, &target, &["--force"]).code, 0);
    assert!(!target.join("notes.txt").exists());
    assert!(target.join(".kagu-output").is_file());
    assert_eq!(build_to(&s, &target, &[]).code, 0);
    // An empty folder needs nothing either.
    let empty = out.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    assert_eq!(build_to(&s, &empty, &[]).code, 0);
}

#[test]
fn an_empty_slug_is_a_located_error() {
    let s = Site::new().file("content/a.md", &page("A", "slug = \"\"\n", "Text."));
    fails_with(
        &s,
        r#"error[E024]: `slug` value `` cannot be a path in the site: it is empty
  ┌─ content/a.md:3:1
  │
3 │ slug = ""
  │ ^^^^^^^^^
  │
  = hint: write the slug as one name of letters, digits and hyphens, e.g. `slug = "history"`"#,
    );
}

#[test]
fn a_dot_dot_slug_is_a_located_error() {
    let s = Site::new().file("content/a.md", &page("A", "slug = \"..\"\n", "Text."));
    fails_with(
        &s,
        r#"error[E024]: `slug` value `..` cannot be a path in the site: it names the current folder or the one above it
  ┌─ content/a.md:3:1
  │
3 │ slug = ".."
  │ ^^^^^^^^^^^
  │
  = hint: write the slug as one name of letters, digits and hyphens, e.g. `slug = "history"`"#,
    );
}

#[test]
fn aliases_that_climb_out_are_located_errors_and_nothing_is_written_outside() {
    let s = Site::new().file(
        "content/a.md",
        &page("A", "aliases = [\"ok/\", \"../../x\", \"x/../../y\"]\n", "Text."),
    );
    let outside = s.root().parent().expect("parent").join("x");
    fails_with(
        &s,
        r#"error[E024]: `aliases` value `../../x` cannot be a path in the site: it climbs out with `..`
  ┌─ content/a.md:3:19
  │
3 │ aliases = ["ok/", "../../x", "x/../../y"]
  │                   ^^^^^^^^^
  │
  = hint: write each alias as a path inside the site, e.g. `aliases = ["old/history/"]`

error[E024]: `aliases` value `x/../../y` cannot be a path in the site: it climbs out with `..`
  ┌─ content/a.md:3:30
  │
3 │ aliases = ["ok/", "../../x", "x/../../y"]
  │                              ^^^^^^^^^^^
  │
  = hint: write each alias as a path inside the site, e.g. `aliases = ["old/history/"]`"#,
    );
    assert!(!outside.exists());
    assert!(!s.public().exists());
}

#[test]
fn an_absolute_alias_is_a_path_from_the_site_root_and_stays_inside() {
    let name = format!("kagu-alias-{}", std::process::id());
    let s = Site::new()
        .file(
            "content/a.md",
            &page("A", &format!("aliases = [\"/tmp/{name}/\"]\n"), "Text."),
        )
        .build_ok();
    assert!(s.public().join(format!("tmp/{name}/index.html")).is_file());
    assert!(!Path::new("/tmp").join(&name).exists());
}

#[test]
fn a_file_name_without_letters_needs_a_slug() {
    let s = Site::new()
        .file("content/!!!.md", &page("Bangs", "", "Text."))
        .file("content/???/_index.md", &page("Q", "", "Text."))
        .file("content/???/b.md", &page("B", "", "Text."));
    fails_with(
        &s,
        r#"error[E025]: the file name `!!!.md` has no letters or digits to make a URL from
  ┌─ content/!!!.md:1:1
  │
1 │ +++
  │ ^^^
  │
  = hint: set `slug = "…"` in its front matter

error[E025]: the folder name `???/` has no letters or digits to make a URL from
  ┌─ content/???/_index.md:1:1
  │
1 │ +++
  │ ^^^
  │
  = hint: set `slug = "…"` in the folder's _index.md, or rename the folder"#,
    );
    // The slugs fix both.
    let s = s
        .file("content/!!!.md", &page("Bangs", "slug = \"bangs\"\n", "Text."))
        .file(
            "content/???/_index.md",
            &page("Q", "slug = \"questions\"\n", "Text."),
        )
        .build_ok();
    assert!(s.public().join("bangs/index.html").is_file());
    assert!(s.public().join("questions/b/index.html").is_file());
}

#[test]
fn a_page_and_a_generated_file_on_one_path_are_an_error() {
    let s = Site::new()
        .file("content/sources.toml", "[k]\ntitle = \"K\"\n")
        .file("content/a.md", &page("A", "slug = \"sources\"\n", "Cited [@k]."))
        .file("content/b.md", &page("B", "", "Text."))
        .file("static/b/index.html", "<p>static</p>")
        .file("static/sitemap.xml", "<urlset/>")
        .file("static/robots.txt", "User-agent: *\n");
    fails_with(
        &s,
        r#"error[E021]: `sitemap.xml` would be written by both static/sitemap.xml and the sitemap
 = hint: rename or remove one of them

error[E020]: this page would write `/sources/`, which the sources page writes too
  ┌─ content/a.md:1:1
  │
1 │ +++
  │ ^^^
  │
  = hint: give one of the pages another `slug` in its front matter

error[E020]: this page would write `/b/`, which static/b/index.html writes too
  ┌─ content/b.md:1:1
  │
1 │ +++
  │ ^^^
  │
  = hint: give one of the pages another `slug` in its front matter"#,
    );
}

#[test]
fn the_sites_robots_txt_replaces_kagus() {
    let s = site_with_page()
        .file("static/robots.txt", "User-agent: *\nDisallow: /\n")
        .build_ok();
    assert_eq!(s.read("robots.txt"), "User-agent: *\nDisallow: /\n");
}

#[test]
fn writers_data_is_escaped_everywhere_it_is_shown() {
    const X: &str = "<script>alert(1)</script>";
    let s = Site::empty()
        .file(
            "kagu.toml",
            &format!("title = \"T {X}\"\ndescription = \"D {X}\"\nbase_url = \"https://example.org/\"\nauthors = [\"Au {X}\"]\n"),
        )
        .file(
            "content/_index.md",
            &format!(
                "+++\ntitle = \"Home {X}\"\ndescription = \"Desc {X}\"\n[extra]\nimage = \"i{X}.png\"\n[extra.at_a_glance]\n\"Label {X}\" = \"Value {X}\"\n+++\n\nSee [A](a.md).\n"
            ),
        )
        .file(
            "content/a.md",
            &format!(
                "+++\ntitle = \"A {X}\"\ndescription = \"Ad {X}\"\ndate = 2024-05-01\nauthors = [\"W {X}\"]\ntags = [\"t {X}\"]\naliases = [\"old\"]\n+++\n\n## H\n\nCited [@k, p. {X}].[^n]\n\n[^n]: Note.\n"
            ),
        )
        .file(
            "content/sources.toml",
            &format!(
                "[k]\ntitle = \"Src {X}\"\nauthor = \"Au {X}\"\npublisher = \"Pub {X}\"\nnote = \"Note {X}\"\nurl = \"https://example.org/?q=<script>\"\n"
            ),
        )
        .build_ok();
    let mut checked = 0;
    for e in walkdir::WalkDir::new(s.public()) {
        let e = e.expect("walk");
        // The search index is binary (compressed): the search test checks its excerpts.
        let index = e.path().components().any(|c| c.as_os_str() == "pagefind");
        if e.file_type().is_file() && e.path().extension().is_none_or(|x| x != "js") && !index {
            let text = std::fs::read_to_string(e.path()).expect("read");
            assert!(!text.contains("<script>alert"), "{}:\n{text}", e.path().display());
            checked += 1;
        }
    }
    assert!(checked >= 8, "{checked}");
    // The text is still there, escaped.
    assert!(
        s.read("a/index.html")
            .contains("A &lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || s.read("a/index.html")
                .contains("A &lt;script&gt;alert(1)&lt;/script&gt;")
    );
    assert!(s.read("sources/index.html").contains("Src &lt;script&gt;"));
}

#[test]
fn a_nul_byte_is_a_located_error_not_a_panic() {
    let s = Site::new().file(
        "content/a.md",
        "+++\ntitle = \"A\"\n+++\n\nText \0 more.\n\n<div>\0</div>\n",
    );
    fails_with(
        &s,
        "error[E008]: the file holds a NUL byte\n  ┌─ content/a.md:5:6\n  │\n5 │ Text   more.\n  │      ^\n  │\n  = hint: remove it: a NUL byte has no place in text (is this a binary file saved as .md?)",
    );
}

#[test]
fn nul_bytes_in_front_matter_sources_and_config_are_errors() {
    for (file, text) in [
        ("content/a.md", "+++\ntitle = \"A\0\"\n+++\n"),
        ("content/sources.toml", "[k]\ntitle = \"K\0\"\n"),
        ("kagu.toml", "title = \"T\0\"\n"),
    ] {
        let s = site_with_page().file(file, text);
        let r = s.build();
        assert_eq!(r.code, 1, "{file}: {}", r.stderr);
        assert!(r.stderr.contains(&format!("┌─ {file}:")), "{file}: {}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    }
}

#[test]
fn a_file_that_is_not_utf8_is_a_located_error() {
    let s = Site::new();
    std::fs::write(
        s.root().join("content/a.md"),
        b"+++\ntitle = \"A\"\n+++\n\nok \xff\xfe bad\n",
    )
    .expect("write");
    let r = s.build();
    assert_eq!(r.code, 1);
    assert!(
        diagnostics(&r).starts_with("error[E009]: the file is not valid UTF-8\n  ┌─ content/a.md:5:4\n"),
        "{}",
        r.stderr
    );
}

#[test]
fn headings_named_like_the_themes_ids_get_other_ids() {
    let s = Site::new()
        .file(
            "content/a.md",
            &page("A", "", "## Main\n\n## Note 1\n\nCited.[^x]\n\n[^x]: A note.\n"),
        )
        .build_ok();
    let doc = s.html("a/index.html");
    assert_eq!(select(&doc, "#main").len(), 1);
    assert_eq!(select(&doc, "#main")[0].value().name(), "main");
    assert_eq!(attrs(&doc, "h2#main-1", "id"), ["main-1"]);
    assert_eq!(attrs(&doc, "h2#note-1-1", "id"), ["note-1-1"]);
    assert_eq!(select(&doc, "#note-1").len(), 1);
    assert_eq!(select(&doc, "#note-1")[0].value().name(), "li");
    assert_eq!(
        attrs(&doc, "a.skip-link, a[href='#main']", "href")
            .first()
            .map(String::as_str),
        Some("#main")
    );
}

#[test]
fn leftovers_of_killed_builds_are_removed_by_the_next() {
    let s = site_with_page().build_ok();
    let parent = s.root().to_path_buf();
    for name in [".public.kagu-staging-99999", ".public.kagu-old-12345"] {
        std::fs::create_dir_all(parent.join(name).join("x")).expect("mkdir");
        std::fs::write(parent.join(name).join("x/index.html"), "old").expect("write");
    }
    std::fs::create_dir_all(parent.join(".public.kagu-staging-notapid")).expect("mkdir");
    let _s = s.build_ok();
    assert!(!parent.join(".public.kagu-staging-99999").exists());
    assert!(!parent.join(".public.kagu-old-12345").exists());
    // Only what kagu names so.
    assert!(parent.join(".public.kagu-staging-notapid").exists());
}

#[test]
fn concurrent_builds_into_one_folder_both_succeed_and_leave_nothing_behind() {
    let s = Site::new();
    let mut s = s;
    for i in 0..200 {
        s = s.file(
            &format!("content/p{i}.md"),
            &page(&format!("P{i}"), "", "Text [home](_index.md)."),
        );
    }
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_kagu"))
            .args(["build", "--root"])
            .arg(s.root())
            .env("NO_COLOR", "1")
            .spawn()
            .expect("spawn")
    };
    let children: Vec<_> = (0..3).map(|_| spawn()).collect();
    for mut c in children {
        assert!(c.wait().expect("wait").success());
    }
    let left: Vec<String> = std::fs::read_dir(s.root())
        .expect("read")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("kagu-staging") || n.contains("kagu-old"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    assert!(s.public().join("p199/index.html").is_file());
}

#[test]
fn init_never_overwrites_and_refuses_a_site_inside_content() {
    let dir = tempfile::tempdir().expect("temp");
    let site = dir.path().join("s");
    std::fs::create_dir_all(&site).expect("mkdir");
    std::fs::write(site.join(".gitignore"), "mine\n").expect("write");
    let init = |d: &Path| {
        Command::new(env!("CARGO_BIN_EXE_kagu"))
            .arg("init")
            .arg(d)
            .output()
            .expect("run")
    };
    let r = init(&site);
    assert_eq!(r.status.code(), Some(1), "{}", String::from_utf8_lossy(&r.stdout));
    assert_eq!(
        String::from_utf8_lossy(&r.stderr),
        format!("error: {} already has a .gitignore; kagu init writes only new files: move it away or choose another folder\n", site.display())
    );
    assert_eq!(
        std::fs::read_to_string(site.join(".gitignore")).expect("kept"),
        "mine\n"
    );
    std::fs::remove_file(site.join(".gitignore")).expect("rm");
    assert!(init(&site).status.success());
    let inner = site.join("content/nested");
    let r = init(&inner);
    assert_eq!(r.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&r.stderr),
        format!(
            "error: {} is inside the content/ folder of the site in {}; choose a folder outside it\n",
            inner.display(),
            site.display()
        )
    );
    assert!(!inner.exists());
}

#[test]
fn theme_and_bibliography_paths_that_leave_the_project_are_errors() {
    let s = site_with_page().file(
        "kagu.toml",
        "title = \"T\"\ntheme = \"../../etc\"\nbibliography = [\"../outside.bib\", \"/etc/passwd\"]\n",
    );
    fails_with(
        &s,
        r#"error[E027]: `theme` value `../../etc` leaves the project folder
  ┌─ kagu.toml:2:1
  │
2 │ theme = "../../etc"
  │ ^^^^^^^^^^^^^^^^^^^
  │
  = hint: name a folder under themes/, e.g. `theme = "default"`

error[E027]: `bibliography` value `../outside.bib` leaves the project folder
  ┌─ kagu.toml:3:1
  │
3 │ bibliography = ["../outside.bib", "/etc/passwd"]
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  │
  = hint: keep bibliography files inside the project folder, e.g. `bibliography = ["refs/sources.bib"]`

error[E027]: `bibliography` value `/etc/passwd` leaves the project folder
  ┌─ kagu.toml:3:1
  │
3 │ bibliography = ["../outside.bib", "/etc/passwd"]
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  │
  = hint: keep bibliography files inside the project folder, e.g. `bibliography = ["refs/sources.bib"]`"#,
    );
}

/// Permissions bind only an unprivileged user: as root (CI), the unreadable cases cannot be
/// made, and the test says so instead of passing for nothing.
fn can_make_unreadable(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let p = dir.join(".probe");
    std::fs::write(&p, "x").expect("write");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let readable = std::fs::read(&p).is_ok();
    let _ = std::fs::remove_file(&p);
    !readable
}

#[test]
fn unreadable_files_and_folders_are_errors_not_skipped() {
    use std::os::unix::fs::PermissionsExt;
    let s = site_with_page().file("content/sub/b.md", &page("B", "", "x"));
    if !can_make_unreadable(s.root()) {
        eprintln!("skipped: running with privileges that read any file");
        return;
    }
    let mode = |p: &str, m: u32| {
        std::fs::set_permissions(s.root().join(p), std::fs::Permissions::from_mode(m)).expect("chmod");
    };
    mode("content/sub", 0o000);
    mode("kagu.toml", 0o000);
    let r = s.build();
    mode("content/sub", 0o755);
    mode("kagu.toml", 0o644);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("site config `") && r.stderr.contains("kagu.toml` cannot be read"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("content/sub` cannot be read"), "{}", r.stderr);
}

#[test]
fn a_template_that_grows_without_bound_is_stopped_at_its_limit() {
    let grows = "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{{ page.title }} {% endfor %}{% endfor %}";
    let s = site_with_page()
        .file("kagu.toml", &format!("{CONFIG}max_page_mb = 1\n"))
        .file("templates/page.html", grows);
    fails_with(
        &s,
        &format!(
            r#"error[E013]: template `page.html` was stopped: the page grew past 1 MB (`max_page_mb` in kagu.toml)
  ┌─ templates/page.html:1:1
  │
1 │ {grows}
  │ ^
  │
  = hint: look for a loop in the template that never ends or keeps growing"#
        ),
    );
    let s = s.file("kagu.toml", &format!("{CONFIG}max_page_seconds = 1\n"));
    let r = s.build();
    assert_eq!(r.code, 1);
    assert!(
        diagnostics(&r).starts_with("error[E013]: template `page.html` was stopped: the page took longer than 1 s (`max_page_seconds` in kagu.toml)"),
        "{}",
        r.stderr
    );
}

#[test]
fn twenty_thousand_citations_in_one_paragraph_are_all_parsed() {
    let mut para = String::new();
    for i in 0..20_000 {
        para.push_str(&format!("Claim {i} [@s{}]. ", i % 10));
    }
    let sources: String = (0..10).map(|i| format!("[s{i}]\ntitle = \"S{i}\"\n\n")).collect();
    let s = Site::new()
        .file("content/sources.toml", &sources)
        .file("content/a.md", &page("A", "", &para))
        .build_ok();
    let html = s.read("a/index.html");
    assert!(!html.contains("[@"), "a citation was left as text");
    assert_eq!(select(&s.html("a/index.html"), "sup[id^='ref-']").len(), 20_000);
}

#[test]
fn the_sections_list_shows_a_bounded_window_on_a_large_site() {
    let mut s = Site::new();
    for i in 0..40 {
        s = s.file(
            &format!("content/s{i:02}/_index.md"),
            &page(&format!("Section {i}"), &format!("weight = {i}\n"), "Text."),
        );
    }
    let s = s.build_ok();
    let doc = s.html("s20/index.html");
    let items = texts(&doc, ".reading-path ol li:not(.unnumbered)");
    assert_eq!(items.len(), 11, "{items:?}");
    assert_eq!(items.first().map(String::as_str), Some("Section 15"));
    assert_eq!(items.last().map(String::as_str), Some("Section 25"));
    assert_eq!(attrs(&doc, ".reading-path ol", "start"), ["16"]);
    assert_eq!(texts(&doc, ".reading-path .all-sections a"), ["All 40 sections"]);
    assert_eq!(
        attrs(&doc, ".reading-path .all-sections a", "href"),
        ["../#sections-heading"]
    );
    // Every page's size stays the same however many sections there are.
    let first = s.read("s00/index.html").len();
    let last = s.read("s39/index.html").len();
    assert!(first.abs_diff(last) < 200, "{first} vs {last}");
}

#[test]
fn suggestions_on_a_large_site_come_from_the_index() {
    let mut s = Site::new();
    for i in 0..600 {
        s = s.file(
            &format!("content/part-{}/page-{i:04}.md", i % 3),
            &page(&format!("P{i}"), "", "Text."),
        );
    }
    let s = s.file("content/a.md", &page("A", "", "See [x](part-1/pgae-0301.md)."));
    fails_with(
        &s,
        r#"error[E040]: broken link: `part-1/pgae-0301.md` does not exist
  ┌─ content/a.md:5:5
  │
5 │ See [x](part-1/pgae-0301.md).
  │     ^^^^^^^^^^^^^^^^^^^^^^^^
  │
  = hint: did you mean `part-1/page-0301.md`?"#,
    );
}

#[test]
fn many_errors_on_one_long_line_show_a_window_of_it_each() {
    let line: String = (0..300).map(|i| format!("[x{i}](missing-{i}.md) ")).collect();
    let s = Site::new().file("content/a.md", &page("A", "", &line));
    let r = s.build();
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr.matches("error[E040]").count(), 300);
    let longest = r.stderr.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(longest < 160, "a line of {longest} characters");
    assert!(r.stderr.contains(
        "  ┌─ content/a.md:5:6658\n  │\n5 │ …ssing-296.md) [x297](missing-297.md) [x298](missing-298.md) [x299](missing-299.md) \n  │                                                              ^^^^^^^^^^^^^^^^^^^^^^\n"
    ), "{}", &r.stderr[r.stderr.len() - 600..]);
}

/// The inode, link count and modification time of an output file.
fn inode(s: &Site, rel: &str) -> (u64, u64, std::time::SystemTime) {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::symlink_metadata(s.public().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    (m.ino(), m.nlink(), m.modified().expect("time"))
}

/// A site of two pages, `a` and `b`, with these texts; built.
fn two_pages(a: &str, b: &str) -> Site {
    Site::new()
        .file("content/a.md", &page("A", "", a))
        .file("content/b.md", &page("B", "", b))
        .build_ok()
}

#[test]
fn a_file_the_rebuild_did_not_change_is_the_same_file_and_a_changed_one_is_new() {
    let s = two_pages("First text.", "Old words.");
    let (a, b) = (inode(&s, "a/index.html"), inode(&s, "b/index.html"));
    let s = s.file("content/b.md", &page("B", "", "New words.")).build_ok();
    // Linked to the old site's file, which is gone: one link, the same inode and time.
    assert_eq!(inode(&s, "a/index.html"), (a.0, 1, a.2));
    assert_ne!(inode(&s, "b/index.html").0, b.0);
    assert!(s.read("b/index.html").contains("New words."));
    assert!(!s.read("b/index.html").contains("Old words."));
}

#[test]
fn a_live_file_that_is_a_link_or_has_other_names_is_written_afresh() {
    let s = two_pages("Text of a.", "Text of b.");
    let elsewhere = tempfile::tempdir().expect("temp");
    // a's page becomes a link to a file outside with the very bytes kagu makes; b's page gets a
    // second name outside. Neither may end up shared with the new site.
    let outside = elsewhere.path().join("a.html");
    std::fs::write(&outside, s.read("a/index.html")).expect("write");
    std::fs::remove_file(s.public().join("a/index.html")).expect("remove");
    std::os::unix::fs::symlink(&outside, s.public().join("a/index.html")).expect("symlink");
    let shared = elsewhere.path().join("b.html");
    std::fs::hard_link(s.public().join("b/index.html"), &shared).expect("link");
    let before = snapshot(elsewhere.path());
    let s = s.build_ok();
    assert!(!s.public().join("a/index.html").is_symlink());
    assert!(s.read("a/index.html").contains("Text of a."));
    use std::os::unix::fs::MetadataExt;
    let shared_ino = std::fs::metadata(&shared).expect("shared").ino();
    assert_ne!(inode(&s, "b/index.html").0, shared_ino);
    assert_eq!(inode(&s, "b/index.html").1, 1);
    assert!(s.read("b/index.html").contains("Text of b."));
    assert_eq!(snapshot(elsewhere.path()), before);
}

/// The inode of a folder: the same after a rebuild that changed it in place.
fn folder_inode(dir: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(dir).expect("folder").ino()
}

/// The site built afresh into a folder of its own: what an in-place rebuild must equal.
fn fresh_build(s: &Site) -> BTreeMap<String, Vec<u8>> {
    let fresh = tempfile::tempdir().expect("temp");
    let out = fresh.path().join("out");
    let r = build_to(s, &out, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    snapshot(&out)
}

/// Nothing beside the output folder but what the project had: no staging or old folder.
fn nothing_beside(s: &Site) {
    let left: Vec<String> = std::fs::read_dir(s.root())
        .expect("read")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".kagu-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_small_rebuild_changes_the_live_folder_in_place_and_removes_what_the_site_lost() {
    let s = two_pages("Text of a.", "Text of b.")
        .file("static/keep.txt", "the same\n")
        .file("static/notes", "a file\n")
        .build_ok();
    let (folder, keep) = (folder_inode(&s.public()), inode(&s, "keep.txt"));
    std::fs::write(s.public().join("stray.txt"), "put here by hand\n").expect("write");
    std::fs::create_dir_all(s.public().join("empty/inner")).expect("mkdir");
    // Page b goes, and `notes` turns from a file into a folder.
    let s = s
        .remove("content/b.md")
        .remove("static/notes")
        .file("static/notes/n.txt", "now a folder\n")
        .build_ok();
    assert_eq!(folder_inode(&s.public()), folder);
    assert_eq!(inode(&s, "keep.txt"), keep);
    assert!(!s.public().join("b").exists());
    assert!(!s.public().join("stray.txt").exists());
    assert!(!s.public().join("empty").exists());
    assert_eq!(s.read("notes/n.txt"), "now a folder\n");
    assert_eq!(snapshot(&s.public()), fresh_build(&s));
    // And back: the folder turns into a file again.
    std::fs::remove_dir_all(s.root().join("static/notes")).expect("remove");
    let s = s.file("static/notes", "a file again\n").build_ok();
    assert_eq!(folder_inode(&s.public()), folder);
    assert_eq!(s.read("notes"), "a file again\n");
    assert_eq!(snapshot(&s.public()), fresh_build(&s));
    nothing_beside(&s);
}

#[test]
fn a_live_folder_that_is_a_link_is_replaced_and_its_unchanged_pages_stay() {
    let s = two_pages("Text of a.", "Text of b.");
    let elsewhere = tempfile::tempdir().expect("temp");
    // a's page folder becomes a link to a folder outside holding the very page kagu makes.
    let outside = elsewhere.path().join("a");
    std::fs::rename(s.public().join("a"), &outside).expect("move");
    std::os::unix::fs::symlink(&outside, s.public().join("a")).expect("symlink");
    let before = snapshot(elsewhere.path());
    // Page a is the same; b changes, so the rebuild is a small one.
    let s = s
        .file("content/b.md", &page("B", "", "New text of b."))
        .build_ok();
    assert!(!s.public().join("a").is_symlink());
    assert!(s.read("a/index.html").contains("Text of a."));
    assert!(s.read("b/index.html").contains("New text of b."));
    assert_eq!(snapshot(elsewhere.path()), before);
    assert_eq!(snapshot(&s.public()), fresh_build(&s));
}

#[test]
fn a_large_static_file_is_kept_when_unchanged_and_written_when_any_slice_changes() {
    let big: String = (0..200_000u32)
        .map(|i| char::from(b'a' + u8::try_from(i % 26).expect("small")))
        .collect();
    let s = two_pages("Text of a.", "Text of b.")
        .file("static/big.txt", &big)
        .build_ok();
    let before = inode(&s, "big.txt");
    let s = s
        .file("content/b.md", &page("B", "", "New text of b."))
        .build_ok();
    assert_eq!(inode(&s, "big.txt"), before);
    // The same length, one byte other far past the first slice compared.
    let mut changed = big.clone();
    changed.replace_range(150_000..150_001, "Z");
    let s = s.file("static/big.txt", &changed).build_ok();
    assert_ne!(inode(&s, "big.txt").0, before.0);
    assert_eq!(s.read("big.txt"), changed);
}

#[test]
fn a_rebuild_that_changes_hundreds_of_files_swaps_in_a_whole_new_folder() {
    let mut s = Site::new().file("static/keep.txt", "the same\n");
    for i in 0..300 {
        s = s.file(&format!("content/p{i}.md"), &page(&format!("P{i}"), "", "Text."));
    }
    let s = s.build_ok();
    let (folder, keep) = (folder_inode(&s.public()), inode(&s, "keep.txt"));
    // The site's title is on every page.
    let s = s
        .file("kagu.toml", &CONFIG.replace("Test site", "Renamed site"))
        .build_ok();
    assert_ne!(folder_inode(&s.public()), folder);
    // The file that did not change is the same file, linked into the new folder.
    assert_eq!(inode(&s, "keep.txt"), keep);
    assert!(s.read("p299/index.html").contains("Renamed site"));
    assert_eq!(snapshot(&s.public()), fresh_build(&s));
    nothing_beside(&s);
}

/// One edit of a small site: a page's text, a page that comes or goes, a static file that turns
/// into a folder or back.
#[derive(Debug, Clone)]
enum Edit {
    Text(usize, String),
    Remove(usize),
    Static(usize, bool),
}

fn edit() -> impl proptest::strategy::Strategy<Value = Edit> {
    use proptest::prelude::*;
    prop_oneof![
        (0..6usize, "[a-z ]{0,12}").prop_map(|(i, t)| Edit::Text(i, t)),
        (0..6usize).prop_map(Edit::Remove),
        (0..3usize, any::<bool>()).prop_map(|(i, folder)| Edit::Static(i, folder)),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 8,
        failure_persistence: None,
        ..proptest::prelude::ProptestConfig::default()
    })]

    /// However the site changes between builds, the rebuilt folder is what a fresh build makes.
    #[test]
    fn a_rebuilt_folder_equals_a_fresh_build(edits in proptest::collection::vec(edit(), 1..4)) {
        let mut s = two_pages("Text of a.", "Text of b.");
        for e in edits {
            s = match e {
                Edit::Text(i, t) => s.file(&format!("content/p{i}.md"), &page(&format!("P{i}"), "", &t)),
                Edit::Remove(i) if s.root().join(format!("content/p{i}.md")).exists() => {
                    s.remove(&format!("content/p{i}.md"))
                }
                Edit::Remove(_) => s,
                Edit::Static(i, folder) => {
                    let _ = std::fs::remove_dir_all(s.root().join(format!("static/s{i}")));
                    let _ = std::fs::remove_file(s.root().join(format!("static/s{i}")));
                    match folder {
                        true => s.file(&format!("static/s{i}/f.txt"), "in a folder\n"),
                        false => s.file(&format!("static/s{i}"), "a file\n"),
                    }
                }
            };
            s = s.build_ok();
            proptest::prop_assert_eq!(snapshot(&s.public()), fresh_build(&s));
        }
    }
}
