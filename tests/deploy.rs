//! Output that deploys anywhere: reproducible bytes, subpaths, feeds, link previews, hashed and
//! minified assets, quiet non-terminal output.

use std::path::Path;
use std::process::Command;

use crate::harness::*;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/full");

fn build_fixture(out: &Path, extra: &[&str], env: &[(&str, &str)]) -> Run {
    let r = Command::new(env!("CARGO_BIN_EXE_kagu"))
        .args(["build", "--root", FIXTURE, "--output-dir"])
        .arg(out)
        .args(extra)
        .envs(env.iter().copied())
        .env("NO_COLOR", "1")
        .output()
        .expect("run kagu");
    Run::from(r)
}

#[test]
fn two_builds_are_byte_identical_whatever_the_thread_count() {
    let tmp = tempfile::tempdir().expect("temp");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert_eq!(build_fixture(&a, &[], &[]).code, 0);
    assert_eq!(build_fixture(&b, &[], &[("RAYON_NUM_THREADS", "1")]).code, 0);
    let (ta, tb) = (tree(&a), tree(&b));
    assert!(ta.len() > 10);
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (path, bytes) in &ta {
        assert!(tb[path] == *bytes, "{path} differs between builds");
    }
    let (_, r) = build_bundled();
    assert_eq!(r.code, 0);
}

fn file_for(base: &url::Url, public: &Path, target: &url::Url) -> Option<std::path::PathBuf> {
    let rel = target.path().strip_prefix(base.path())?;
    let rel = percent_encoding::percent_decode_str(rel)
        .decode_utf8_lossy()
        .into_owned();
    let p = public.join(&rel);
    Some(if rel.is_empty() || rel.ends_with('/') {
        p.join("index.html")
    } else {
        p
    })
}

#[test]
fn every_internal_link_asset_feed_and_redirect_works_under_a_subpath() {
    let tmp = tempfile::tempdir().expect("temp");
    let public = tmp.path().join("public");
    assert_eq!(build_fixture(&public, &[], &[]).code, 0);
    let base = url::Url::parse("https://example.org/explainer/").expect("url");
    let mut checked = 0;
    for (path, bytes) in tree(&public) {
        if !path.ends_with(".html") {
            continue;
        }
        let page_url = base.join(&path).expect("page url");
        let doc = scraper::Html::parse_document(&String::from_utf8_lossy(&bytes));
        let mut refs: Vec<String> = Vec::new();
        for (css, attr) in [
            ("a", "href"),
            ("link", "href"),
            ("script", "src"),
            ("meta[property='og:url']", "content"),
            ("meta[property='og:image']", "content"),
        ] {
            refs.extend(attrs(&doc, css, attr));
        }
        for refresh in attrs(&doc, "meta[http-equiv=refresh]", "content") {
            refs.push(refresh.split_once("url=").expect("refresh url").1.to_string());
        }
        for r in refs {
            let target = page_url.join(&r).expect("joinable");
            if target.host_str() != Some("example.org") || target.path() == "/report" {
                continue;
            }
            if path == "404.html" {
                assert!(
                    target.path().starts_with("/explainer/"),
                    "404 page link {r} leaves the subpath"
                );
            }
            let file =
                file_for(&base, &public, &target).unwrap_or_else(|| panic!("{path}: {r} leaves the subpath"));
            assert!(file.is_file(), "{path}: {r} -> {} does not exist", file.display());
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
}

#[test]
fn the_atom_feed_lists_dated_pages_newest_first_with_absolute_links() {
    let tmp = tempfile::tempdir().expect("temp");
    assert_eq!(build_fixture(tmp.path(), &[], &[]).code, 0);
    let feed = std::fs::read_to_string(tmp.path().join("atom.xml")).expect("feed");
    let titles: Vec<&str> = feed
        .split("<entry>")
        .skip(1)
        .map(|e| {
            e.split("<title>")
                .nth(1)
                .and_then(|t| t.split("</title>").next())
                .expect("title")
        })
        .collect();
    assert_eq!(titles, ["Deep page", "A part", "First page"]);
    assert!(feed.contains("<updated>2024-06-01T10:30:00Z</updated>"));
    assert!(feed.contains("<link href=\"https://example.org/explainer/first/\"/>"));
    let home =
        scraper::Html::parse_document(&std::fs::read_to_string(tmp.path().join("index.html")).expect("home"));
    assert_eq!(
        attrs(&home, "link[rel=alternate][type='application/atom+xml']", "href"),
        ["https://example.org/explainer/atom.xml"]
    );
}

#[test]
fn pages_carry_canonical_and_link_preview_meta() {
    let tmp = tempfile::tempdir().expect("temp");
    assert_eq!(build_fixture(tmp.path(), &[], &[]).code, 0);
    let first = scraper::Html::parse_document(
        &std::fs::read_to_string(tmp.path().join("first/index.html")).expect("page"),
    );
    let meta = |p: &str| {
        attrs(
            &first,
            &format!("meta[property='{p}'], meta[name='{p}']"),
            "content",
        )
    };
    assert_eq!(
        attrs(&first, "link[rel=canonical]", "href"),
        ["https://example.org/explainer/first/"]
    );
    assert_eq!(meta("og:url"), ["https://example.org/explainer/first/"]);
    assert_eq!(meta("og:title"), ["First page"]);
    assert_eq!(meta("og:description"), ["Dated, with notes."]);
    assert_eq!(meta("og:type"), ["article"]);
    assert_eq!(meta("og:image"), ["https://example.org/explainer/img/card.png"]);
    assert_eq!(meta("twitter:card"), ["summary_large_image"]);
    assert_eq!(attrs(&first, "time", "datetime"), ["2024-04-01"]);
    // #32: the picture's size, read from its header, and what it shows.
    assert_eq!(
        (meta("og:image:width"), meta("og:image:height")),
        (vec!["1200".into()], vec!["630".into()])
    );
    assert_eq!(meta("og:image:alt"), ["A blue card with the explainer's title"]);
    assert_eq!(meta("twitter:image:alt"), meta("og:image:alt"));
    // A page without a picture of its own, and the sources page, show the site's (kagu.toml).
    for other in ["part/index.html", "sources/index.html"] {
        let doc =
            scraper::Html::parse_document(&std::fs::read_to_string(tmp.path().join(other)).expect("page"));
        let meta = |p: &str| {
            attrs(
                &doc,
                &format!("meta[property='{p}'], meta[name='{p}']"),
                "content",
            )
        };
        assert_eq!(
            meta("og:image"),
            ["https://example.org/explainer/img/site.png"],
            "{other}"
        );
        assert_eq!(
            (meta("og:image:width"), meta("og:image:height")),
            (vec!["600".into()], vec!["315".into()])
        );
        assert_eq!(meta("og:image:alt"), ["The explainer's yellow banner"]);
        assert_eq!(meta("twitter:card"), ["summary_large_image"]);
    }
}

#[test]
fn css_and_js_are_linked_by_content_hash() {
    let tmp = tempfile::tempdir().expect("temp");
    assert_eq!(build_fixture(tmp.path(), &[], &[]).code, 0);
    let page = scraper::Html::parse_document(
        &std::fs::read_to_string(tmp.path().join("first/index.html")).expect("page"),
    );
    let css = attrs(&page, "link[rel=stylesheet]", "href");
    assert_eq!(css.len(), 1);
    let name = css[0].trim_start_matches("../");
    let bytes = std::fs::read(tmp.path().join(name)).expect("css");
    assert_eq!(name, kagu::output::assets::hashed_name("kagu.css", &bytes));
    assert_eq!(bytes, std::fs::read(tmp.path().join("kagu.css")).expect("css"));
}

#[test]
#[cfg(feature = "minify")]
fn minify_shrinks_everything_and_keeps_the_structure() {
    let tmp = tempfile::tempdir().expect("temp");
    let (plain, min) = (tmp.path().join("plain"), tmp.path().join("min"));
    assert_eq!(build_fixture(&plain, &[], &[]).code, 0);
    assert_eq!(build_fixture(&min, &["--minify"], &[]).code, 0);
    let size = |root: &Path, f: &str| std::fs::metadata(root.join(f)).expect(f).len();
    for f in ["first/index.html", "kagu.css", "kagu.js", "css/extra.css"] {
        assert!(
            size(&min, f) < size(&plain, f),
            "{f} is not smaller when minified"
        );
    }
    let read = |root: &Path| {
        scraper::Html::parse_document(&std::fs::read_to_string(root.join("first/index.html")).expect("page"))
    };
    let (page, minified) = (read(&plain), read(&min));
    assert_eq!(texts(&minified, ".content h2").len(), 2);
    assert_eq!(
        attrs(&minified, ".notes li", "id"),
        attrs(&page, ".notes li", "id")
    );
}

/// Without the `minify` feature, `--minify` is refused before anything is read or written.
#[test]
#[cfg(not(feature = "minify"))]
fn minify_without_the_feature_is_one_error_and_writes_nothing() {
    let tmp = tempfile::tempdir().expect("temp");
    let out = tmp.path().join("out");
    let r = build_fixture(&out, &["--minify"], &[]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "error[E014]: --minify is not available: this kagu was built without the `minify` feature\n \
         = hint: leave out --minify (hosts compress pages anyway), or use a release binary of kagu, or build kagu with `--features minify`\n\n\
         build failed: 1 error(s), 0 warning(s); nothing was written\n"
    );
    assert!(!out.exists());
}

#[test]
fn output_is_plain_when_not_a_terminal() {
    let tmp = tempfile::tempdir().expect("temp");
    let r = build_fixture(tmp.path(), &[], &[]);
    assert!(!r.stderr.contains('\u{1b}'), "escape codes in {:?}", r.stderr);
    assert!(
        r.stderr
            .starts_with("build: 4 pages, 2 sources, 7 internal links checked, 0 warning(s) in "),
        "{}",
        r.stderr
    );
}
