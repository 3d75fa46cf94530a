//! `kagu build` on good input: output layout, ordering, navigation, templates, drafts, init.

use crate::harness::*;

fn three_sections() -> Site {
    Site::new()
        .file(
            "content/b.md",
            &page(
                "Bravo",
                "weight = 2\ndescription = \"Second.\"\n",
                "## Part one\n\nText.\n\n## Part two\n\nMore.",
            ),
        )
        .file(
            "content/a.md",
            &page("Alpha", "weight = 1\ndescription = \"First.\"\n", "Alpha text."),
        )
        .file(
            "content/c/_index.md",
            &page("Charlie", "weight = 3\n", "A section."),
        )
        .file("content/c/inner.md", &page("Inner", "", "Inner page."))
}

#[test]
fn pages_get_pretty_urls_and_the_site_files_exist() {
    let s = three_sections().build_ok();
    for f in [
        "index.html",
        "a/index.html",
        "b/index.html",
        "c/index.html",
        "c/inner/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "kagu.css",
        "kagu.js",
    ] {
        assert!(s.public().join(f).is_file(), "{f} missing");
    }
    let sitemap = s.read("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/sub/c/inner/</loc>"),
        "{sitemap}"
    );
    assert!(s
        .read("robots.txt")
        .contains("Sitemap: https://example.org/sub/sitemap.xml"));
}

#[test]
fn home_lists_sections_in_reading_order_with_descriptions() {
    let s = three_sections().build_ok();
    let home = s.html("index.html");
    assert_eq!(
        texts(&home, ".section-cards li strong"),
        ["Alpha", "Bravo", "Charlie"]
    );
    assert_eq!(texts(&home, ".section-cards li p"), ["First.", "Second."]);
    assert_eq!(attrs(&home, ".section-cards li a", "href"), ["a/", "b/", "c/"]);
}

#[test]
fn prev_and_next_follow_the_reading_order_depth_first() {
    let s = three_sections().build_ok();
    let c = s.html("c/index.html");
    assert_eq!(attrs(&c, "a[rel=prev]", "href"), ["../b/"]);
    assert_eq!(attrs(&c, "a[rel=next]", "href"), ["../c/inner/"]);
    let inner = s.html("c/inner/index.html");
    assert_eq!(attrs(&inner, "a[rel=prev]", "href"), ["../../c/"]);
    assert!(select(&inner, "a[rel=next]").is_empty());
    assert_eq!(texts(&inner, ".breadcrumbs li"), ["Home", "Charlie", "Inner"]);
}

#[test]
fn ordering_falls_back_to_date_then_title() {
    let s = Site::new()
        .file("content/z.md", &page("Zulu", "date = 2024-01-01\n", ""))
        .file("content/y.md", &page("Yankee", "date = 2023-01-01\n", ""))
        .file("content/b.md", &page("Beta", "", ""))
        .file("content/a.md", &page("Alpha", "", ""))
        .build_ok();
    assert_eq!(
        texts(&s.html("index.html"), ".section-cards li strong"),
        ["Alpha", "Beta", "Yankee", "Zulu"]
    );
}

#[test]
fn headings_get_ids_self_links_and_a_table_of_contents() {
    let s = three_sections().build_ok();
    let b = s.html("b/index.html");
    assert_eq!(attrs(&b, ".content h2", "id"), ["part-one", "part-two"]);
    assert_eq!(
        attrs(&b, ".content h2 a.anchor", "href"),
        ["#part-one", "#part-two"]
    );
    assert_eq!(attrs(&b, ".toc a", "href"), ["#part-one", "#part-two"]);
    assert_eq!(texts(&b, ".meta"), ["1 min read"]);
}

#[test]
fn markdown_extensions_are_on() {
    let body = "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~ \"quoted\"\n\n## Custom {#mine}\n";
    let s = Site::new().file("content/x.md", &page("X", "", body)).build_ok();
    let x = s.html("x/index.html");
    assert_eq!(texts(&x, ".content td"), ["1", "2"]);
    assert_eq!(texts(&x, ".content del"), ["gone"]);
    assert!(s.read("x/index.html").contains("“quoted”"));
    assert_eq!(attrs(&x, ".content h2", "id"), ["mine"]);
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let s = Site::new()
        .file("content/d.md", &page("Draft", "draft = true\n", ""))
        .build_ok();
    assert!(!s.public().join("d/index.html").exists());
    let r = s.kagu(&["build", "--drafts"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(s.public().join("d/index.html").exists());
}

#[test]
fn slugs_and_aliases() {
    let s = Site::new()
        .file(
            "content/long name.md",
            &page("Named", "slug = \"short\"\naliases = [\"old/path\"]\n", ""),
        )
        .build_ok();
    assert!(s.public().join("short/index.html").is_file());
    let alias = s.html("old/path/index.html");
    assert_eq!(
        attrs(&alias, "meta[http-equiv=refresh]", "content"),
        ["0; url=../../short/"]
    );
    assert_eq!(
        attrs(&alias, "link[rel=canonical]", "href"),
        ["https://example.org/sub/short/"]
    );
}

#[test]
fn site_templates_override_the_theme_and_static_files_are_copied() {
    let s = Site::new()
        .file(
            "templates/page.html",
            "<p id=\"custom\">{{ page.title }} / {{ site.title }} / {{ page.word_count }}</p>",
        )
        .file("static/img/logo.svg", "<svg/>")
        .file("content/p.md", &page("P", "", "one two three"))
        .build_ok();
    assert_eq!(texts(&s.html("p/index.html"), "#custom"), ["P / Test site / 3"]);
    assert_eq!(s.read("img/logo.svg"), "<svg/>");
}

#[test]
fn a_page_can_pick_its_template() {
    let s = Site::new()
        .file("templates/special.html", "special: {{ page.title }}")
        .file("content/p.md", &page("P", "template = \"special.html\"\n", ""))
        .build_ok();
    assert_eq!(s.read("p/index.html"), "special: P");
}

#[test]
fn extra_config_reaches_templates() {
    let s = Site::new()
        .file("kagu.toml", &format!("{CONFIG}[extra]\nmotto = \"hello\"\n"))
        .file("templates/page.html", "{{ site.config.extra.motto }}")
        .file("content/p.md", &page("P", "", ""))
        .build_ok();
    assert_eq!(s.read("p/index.html"), "hello");
}

#[test]
fn output_dir_and_base_url_can_be_set() {
    let s = Site::new().file("content/p.md", &page("P", "", ""));
    let out = s.root().join("elsewhere");
    let r = s.kagu(&[
        "build",
        "--output-dir",
        out.to_str().expect("utf-8"),
        "--base-url",
        "https://preview.example/x/",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let p = std::fs::read_to_string(out.join("p/index.html")).expect("page");
    assert!(
        p.contains("<link rel=\"canonical\" href=\"https://preview.example/x/p/\">"),
        "{p}"
    );
}

#[test]
fn the_reading_path_marks_where_the_reader_is_from_every_depth() {
    let s = three_sections()
        .file("content/c/more.md", &page("More", "", "More text."))
        .build_ok();
    // (page, its link to Charlie's section, the section marked current, the link marked as this page)
    let cases = [
        ("index.html", "c/", vec![], vec![]),
        ("a/index.html", "../c/", vec!["Alpha"], vec!["Alpha"]),
        ("c/index.html", "../c/", vec!["Charlie"], vec!["Charlie"]),
        ("c/inner/index.html", "../../c/", vec!["Charlie"], vec![]),
        ("c/more/index.html", "../../c/", vec!["Charlie"], vec![]),
    ];
    for (file, charlie, current, this_page) in cases {
        let doc = s.html(file);
        let hrefs = attrs(&doc, "nav.reading-path li a", "href");
        assert!(hrefs.contains(&charlie.to_string()), "{file}: {hrefs:?}");
        assert_eq!(texts(&doc, "nav.reading-path li.current > a"), current, "{file}");
        assert_eq!(
            texts(&doc, "nav.reading-path a[aria-current=page]"),
            this_page,
            "{file}"
        );
    }
    let nf = s.html("404.html");
    assert!(attrs(&nf, "nav.reading-path a", "href").contains(&"/sub/c/".to_string()));
}

#[test]
fn not_found_page_uses_the_base_path() {
    let s = Site::new().build_ok();
    let nf = s.html("404.html");
    let css = attrs(&nf, "link[rel=stylesheet]", "href");
    assert!(
        css.len() == 1 && css[0].starts_with("/sub/kagu.") && css[0].ends_with(".css"),
        "{css:?}"
    );
    assert!(attrs(&nf, "a", "href").contains(&"/sub/".to_string()));
}

#[test]
fn init_scaffolds_a_site_that_builds() {
    let s = Site::empty();
    let dir = s.root().join("new");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kagu"))
        .args(["init", dir.to_str().expect("utf-8")])
        .output()
        .expect("run");
    assert!(out.status.success());
    for f in ["kagu.toml", "content/_index.md", "content/sources.toml"] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    assert!(dir.join("templates").is_dir());
    let built = std::process::Command::new(env!("CARGO_BIN_EXE_kagu"))
        .args(["build", "--root", dir.to_str().expect("utf-8")])
        .output()
        .expect("run");
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    assert!(dir.join("public/first-section/index.html").is_file());
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_kagu"))
        .args(["init", dir.to_str().expect("utf-8")])
        .output()
        .expect("run");
    assert_eq!(again.status.code(), Some(1));
}

#[test]
fn the_bundled_explainer_builds() {
    let (out, r) = build_bundled();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let home =
        scraper::Html::parse_document(&std::fs::read_to_string(out.path().join("index.html")).expect("home"));
    let sections = texts(&home, ".section-cards li strong");
    assert!(sections.len() >= 4, "{sections:?}");
    assert_eq!(sections[0], "What is New Caledonia?");
    assert_eq!(texts(&home, ".at-a-glance dd").len(), 4);
    assert!(out.path().join("sources/index.html").is_file());
}

#[test]
fn version_and_help() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kagu"))
        .arg("--version")
        .output()
        .expect("run");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("kagu {}", env!("CARGO_PKG_VERSION"))
    );
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_kagu"))
        .arg("--help")
        .output()
        .expect("run");
    let help = String::from_utf8_lossy(&help.stdout);
    for cmd in ["build", "check", "init"] {
        assert!(help.contains(cmd), "{help}");
    }
}
