//! The writer's toolkit: figures with captions and credits, callouts, click-to-load embeds,
//! favicon, custom CSS and extra head markup.

use crate::harness::*;

/// A PNG of `w` × `h` pixels (header and one IDAT; imagesize reads only the header).
fn png(w: u32, h: u32) -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    v.extend(w.to_be_bytes());
    v.extend(h.to_be_bytes());
    v.extend([8, 2, 0, 0, 0, 0, 0, 0, 0]);
    v
}

fn site_with_map() -> Site {
    let s = Site::new();
    std::fs::write(s.root().join("content/map.png"), png(640, 480)).expect("png");
    s
}

#[test]
fn a_lone_image_is_a_figure_with_caption_credit_size_and_lazy_loading() {
    let s = site_with_map()
        .file(
            "content/a.md",
            &page("A", "", "Intro.\n\n![A map of the territory](map.png \"Where it lies. Map: kagu example.\")\n\nText with ![inline](map.png) image.\n\n![Second](map.png)\n"),
        )
        .file("content/b.md", &page("B", "", "See [the map](a.md#fig-a-map-of-the-territory)."))
        .build_ok();
    let doc = s.html("a/index.html");
    let figs = select(&doc, "main figure");
    assert_eq!(figs.len(), 2);
    assert_eq!(
        attrs(&doc, "main figure", "id"),
        ["fig-a-map-of-the-territory", "fig-second"]
    );
    assert_eq!(
        texts(&doc, "main figure figcaption"),
        ["Where it lies. Map: kagu example."]
    );
    assert_eq!(texts(&doc, "main figcaption .credit"), ["Map: kagu example."]);
    assert_eq!(attrs(&doc, "main figure img", "width"), ["640", "640"]);
    assert_eq!(attrs(&doc, "main figure img", "height"), ["480", "480"]);
    // The first image loads at once; the ones after it when they come near.
    assert_eq!(
        attrs(&doc, "main img[loading='lazy']", "alt"),
        ["inline", "Second"]
    );
    assert_eq!(attrs(&doc, "main img[decoding='async']", "alt").len(), 3);
    // The caption is not repeated as a tooltip; an image inside text stays inline.
    assert!(attrs(&doc, "main figure img", "title").is_empty());
    assert_eq!(select(&doc, "main p img").len(), 1);
    assert_eq!(
        attrs(&s.html("b/index.html"), "main .content a", "href"),
        ["../a/#fig-a-map-of-the-territory"]
    );
}

#[test]
fn an_image_without_alt_text_is_a_warning() {
    let s = site_with_map().file("content/a.md", &page("A", "", "![](map.png)"));
    let r = s.build();
    assert_eq!(r.code, 0);
    assert_eq!(
        diagnostics(&r),
        r#"warning[W004]: the image has no alt text
  ┌─ content/a.md:5:1
  │
5 │ ![](map.png)
  │ ^^^^^^^^^^^^
  │
  = hint: describe the image between the brackets, `![A chart of prices since 2020](prices.png)`, for readers who cannot see it"#
    );
}

#[test]
fn a_link_to_a_missing_figure_is_an_error() {
    let s = site_with_map()
        .file("content/a.md", &page("A", "", "![A map](map.png)"))
        .file("content/b.md", &page("B", "", "[x](a.md#fig-map)"));
    let r = s.build();
    assert_eq!(r.code, 1);
    assert!(
        diagnostics(&r).starts_with("error[E041]: broken link: `a.md` has no heading `#fig-map`"),
        "{}",
        r.stderr
    );
}

#[test]
fn every_callout_kind_is_an_accessible_titled_box() {
    let s = Site::one_page("> [!NOTE]\n> A note.\n\n> [!TIP]\n> A tip.\n\n> [!IMPORTANT]\n> Important.\n\n> [!WARNING]\n> Careful.\n\n> [!CAUTION]\n> Danger.\n\n> [!NOTE] What we don't know\n> The station.\n\n> Just a quote.\n");
    let doc = s.html("a/index.html");
    assert_eq!(
        attrs(&doc, "main aside.callout", "class"),
        [
            "callout callout-note",
            "callout callout-tip",
            "callout callout-important",
            "callout callout-warning",
            "callout callout-caution",
            "callout callout-note"
        ]
    );
    assert_eq!(attrs(&doc, "main aside.callout", "role"), ["note"; 6]);
    assert_eq!(
        texts(&doc, "main .callout-title"),
        [
            "Note",
            "Tip",
            "Important",
            "Warning",
            "Caution",
            "What we don't know"
        ]
    );
    assert_eq!(
        texts(&doc, "main aside.callout > p:not(.callout-title)")[5],
        "The station."
    );
    assert_eq!(texts(&doc, "main blockquote"), ["Just a quote."]);
}

#[test]
fn an_embed_is_a_placeholder_that_names_its_provider_and_requests_nothing() {
    let s = Site::one_page("[A video of the protests](https://video.example.org/embed/42 \"embed\")\n");
    let doc = s.html("a/index.html");
    assert_eq!(
        attrs(&doc, "main figure.embed", "data-embed"),
        ["https://video.example.org/embed/42"]
    );
    assert_eq!(
        texts(&doc, "main .embed .embed-what"),
        ["A video of the protests"]
    );
    assert_eq!(
        texts(&doc, "main .embed button[hidden]"),
        ["Load it from video.example.org"]
    );
    assert_eq!(
        attrs(&doc, "main .embed a", "href"),
        ["https://video.example.org/embed/42"]
    );
    // No element of the page loads anything from the provider by itself.
    let html = s.read("a/index.html");
    assert!(!html.contains("<iframe"));
    assert!(select(&doc, "[src^='https://video.example.org']").is_empty());
}

#[test]
fn favicon_custom_css_and_extra_head() {
    // The theme's favicon by default, linked from every page.
    let s = Site::new().file("content/a.md", &page("A", "", "x")).build_ok();
    let icon = attrs(&s.html("a/index.html"), "link[rel=icon]", "href");
    assert_eq!(icon.len(), 1);
    assert!(
        icon[0].starts_with("../favicon.") && icon[0].ends_with(".svg"),
        "{icon:?}"
    );
    assert!(s.public().join("a").join(&icon[0]).canonicalize().is_ok());
    assert!(s.public().join("favicon.svg").is_file());
    // The site's own favicon, custom.css (hashed, after the theme's) and extra_head.
    let s = s
        .file("static/favicon.png", "png")
        .file("static/custom.css", "body { color: teal; }")
        .file(
            "templates/extra_head.html",
            "<meta name=\"x-site\" content=\"{{ seo.title }}\">",
        )
        .build_ok();
    let doc = s.html("a/index.html");
    assert_eq!(attrs(&doc, "link[rel=icon]", "href"), ["../favicon.png"]);
    assert_eq!(attrs(&doc, "link[rel=icon]", "type"), ["image/png"]);
    let sheets = attrs(&doc, "link[rel=stylesheet]", "href");
    assert_eq!(sheets.len(), 2);
    assert!(
        sheets[0].starts_with("../kagu.") && sheets[1].starts_with("../custom."),
        "{sheets:?}"
    );
    assert_eq!(s.read(&sheets[1][3..]), "body { color: teal; }");
    assert_eq!(attrs(&doc, "meta[name=x-site]", "content"), ["A"]);
}

#[test]
fn a_relative_base_url_leaves_out_what_needs_a_full_address_with_one_warning() {
    let s = Site::empty()
        .file("kagu.toml", "title = \"T\"\nbase_url = \"/\"\n")
        .file(
            "content/_index.md",
            &page(
                "Home",
                "date = 2024-05-01\nimage = \"card.gif\"\nimage_alt = \"A dot\"\n",
                "x",
            ),
        )
        .file("content/card.gif", "GIF89a\u{1}\u{0}\u{1}\u{0}")
        .file("content/a.md", &page("A", "date = 2024-05-02\n", "x"));
    let r = s.build();
    assert_eq!(r.code, 0);
    assert_eq!(
        diagnostics(&r),
        "warning[W005]: base_url `/` is not a full address, so the sitemap, the Atom feed, canonical links and link-preview URLs are left out\n = hint: set `base_url` in kagu.toml to the address the site will have, e.g. `base_url = \"https://example.org/explainer/\"` (or pass --base-url)"
    );
    assert!(!s.public().join("sitemap.xml").exists());
    assert!(!s.public().join("atom.xml").exists());
    assert_eq!(s.read("robots.txt"), "User-agent: *\nAllow: /\n");
    let home = s.html("index.html");
    assert!(select(
        &home,
        "link[rel=canonical], meta[property='og:url'], meta[property='og:image']"
    )
    .is_empty());
    // --base-url supplies the address: everything is back, with no warning.
    let r = s.kagu(&["build", "--base-url", "https://example.org/x/"]);
    assert_eq!((r.code, diagnostics(&r)), (0, String::new()));
    assert!(s
        .read("robots.txt")
        .contains("Sitemap: https://example.org/x/sitemap.xml"));
    assert!(s.public().join("sitemap.xml").is_file());
    let home = s.html("index.html");
    assert_eq!(
        attrs(&home, "meta[property='og:image']", "content"),
        ["https://example.org/x/card.gif"]
    );
}

#[test]
fn init_writes_a_full_placeholder_address_a_static_folder_and_says_what_next() {
    let dir = tempfile::tempdir().expect("temp");
    let site = dir.path().join("s");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kagu"))
        .arg("init")
        .arg(&site)
        .output()
        .expect("run");
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!(
            "created a new explainer in {0}\nnext: set base_url in {0}/kagu.toml to the address the site will have, then preview it with `kagu serve --root {0}`\n",
            site.display()
        )
    );
    assert!(site.join("static").is_dir());
    let config = std::fs::read_to_string(site.join("kagu.toml")).expect("config");
    assert!(
        config.contains("base_url = \"https://example.org/my-explainer/\""),
        "{config}"
    );
    // It builds, and says that its address is still the placeholder until it is changed.
    let check = || {
        crate::harness::Run::from(
            std::process::Command::new(env!("CARGO_BIN_EXE_kagu"))
                .args(["check", "--deny-warnings", "--root"])
                .arg(&site)
                .env("NO_COLOR", "1")
                .output()
                .expect("run"),
        )
    };
    let r = check();
    assert_eq!(r.code, 1);
    assert_eq!(
        crate::harness::diagnostics(&r),
        "warning[W010]: base_url `https://example.org/my-explainer/` is a placeholder: canonical links, link previews, the sitemap and the feed point at it
  ┌─ kagu.toml:4:1
  │
4 │ base_url = \"https://example.org/my-explainer/\"
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  │
  = hint: set `base_url` to the address the site will be published at (or pass --base-url)"
    );
    std::fs::write(
        site.join("kagu.toml"),
        config.replace(
            "https://example.org/my-explainer/",
            "https://news.example.net/explainer/",
        ),
    )
    .expect("write");
    let r = check();
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Given on the command line, it is said of no line.
    let r = crate::harness::Run::from(
        std::process::Command::new(env!("CARGO_BIN_EXE_kagu"))
            .args([
                "check",
                "--base-url",
                "https://example.org/my-explainer",
                "--root",
            ])
            .arg(&site)
            .env("NO_COLOR", "1")
            .output()
            .expect("run"),
    );
    assert_eq!(
        crate::harness::diagnostics(&r),
        "warning[W010]: base_url `https://example.org/my-explainer` is a placeholder: canonical links, link previews, the sitemap and the feed point at it
 = hint: set `base_url` to the address the site will be published at (or pass --base-url)"
    );
}

#[test]
fn kagu_new_makes_a_page_or_section_after_its_siblings() {
    let s = Site::new()
        .file(
            "content/background/_index.md",
            &page("Background", "weight = 2\n", "x"),
        )
        .file("content/background/a.md", &page("A", "weight = 4\n", "x"))
        .file("content/other/_index.md", &page("Other", "weight = 7\n", "x"));
    let new = |path: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_kagu"))
            .args(["new", "--root"])
            .arg(s.root())
            .arg(path)
            .output()
            .expect("run");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stdout, _) = new("background/first-steps.md");
    assert_eq!(code, Some(0));
    assert_eq!(
        stdout,
        format!(
            "created {}; with `kagu serve` running it is at http://127.0.0.1:1111/background/first-steps/\n",
            s.root().join("content/background/first-steps.md").display()
        )
    );
    assert_eq!(
        std::fs::read_to_string(s.root().join("content/background/first-steps.md")).expect("page"),
        "+++\ntitle = \"First steps\"\ndescription = \"\"\nweight = 5\n+++\n\n"
    );
    let (code, _, _) = new("history/");
    assert_eq!(code, Some(0));
    assert_eq!(
        std::fs::read_to_string(s.root().join("content/history/_index.md")).expect("section"),
        "+++\ntitle = \"History\"\ndescription = \"\"\nweight = 8\n+++\n\n"
    );
    // Never over a file; never outside content/.
    let (code, _, stderr) = new("background/first-steps.md");
    assert_eq!(code, Some(1));
    assert!(stderr.ends_with("first-steps.md already exists\n"), "{stderr}");
    let (code, _, stderr) = new("../escape.md");
    assert_eq!(
        (code, stderr.as_str()),
        (
            Some(1),
            "error: `../escape.md` cannot be a page's path: it climbs out with `..`\n"
        )
    );
    let _ = s.build_ok();
}

#[test]
fn a_caption_is_markdown_and_may_cite() {
    let s = site_with_map()
        .file("content/sources.toml", "[k]\ntitle = \"K\"\n")
        .file(
            "content/a.md",
            &page("A", "", "![A map](map.png \"The *territory* as reported [@k]. Map: kagu example.\")\n\nCited again [@k]."),
        )
        .build_ok();
    let doc = s.html("a/index.html");
    assert_eq!(select(&doc, "main figcaption em").len(), 1);
    assert_eq!(attrs(&doc, "main figcaption sup.note-ref", "id"), ["ref-1-1"]);
    assert_eq!(texts(&doc, "main figcaption .credit"), ["Map: kagu example."]);
    // The caption's citation is the page's first: the citation after it is note 2.
    assert_eq!(attrs(&doc, "main .content p sup.note-ref", "id"), ["ref-2-1"]);
    assert!(texts(&doc, ".notes #note-1 .note-body")[0].contains('K'));
}
