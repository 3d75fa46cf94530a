//! Cross-links by Markdown path: rewriting, anchors, errors with suggestions, backlinks.

use crate::harness::*;

fn linked() -> Site {
    Site::new()
        .file("content/a.md", &page("Alpha", "weight = 1\n", "## Start\n\nSee [bravo](b.md#deep) and [charlie](c/_index.md) and [out](https://example.com/x.md) and [self](#start)."))
        .file("content/b.md", &page("Bravo", "weight = 2\n", "## Deep {#deep}\n\nBack to [alpha](a.md)."))
        .file("content/c/_index.md", &page("Charlie", "weight = 3\n", "Up to [alpha](../a.md)."))
}

#[test]
fn links_are_rewritten_relative_to_the_page() {
    let s = linked().build_ok();
    let a = s.html("a/index.html");
    assert_eq!(
        attrs(&a, ".content p a", "href"),
        ["../b/#deep", "../c/", "https://example.com/x.md", "#start"]
    );
    let c = s.html("c/index.html");
    assert_eq!(attrs(&c, ".content p a", "href"), ["../a/"]);
}

/// #32: links end at the page's folder, the address a reader copies (the canonical one); the
/// home page's link to itself is `./`. `file_links = true` names each `index.html`, for a site
/// read from the file system, everywhere a link to a page is written.
#[test]
fn links_end_at_the_folder_unless_the_site_is_read_from_files() {
    let s = linked()
        .file("content/sources.toml", "[k]\ntitle = \"K\"\n")
        .file(
            "content/b.md",
            &page(
                "Bravo",
                "weight = 2\n",
                "## Deep {#deep}\n\nBack to [alpha](a.md).[@k] [All](sources.toml)",
            ),
        );
    let s = s.build_ok();
    let home = s.html("index.html");
    assert_eq!(attrs(&home, "a.site-title", "href"), ["./"]);
    assert_eq!(
        attrs(&home, "nav.reading-path li a", "href"),
        ["a/", "b/", "c/", "sources/"]
    );
    let b = s.html("b/index.html");
    assert_eq!(
        attrs(&b, ".content p a:not([href^='#'])", "href"),
        ["../a/", "../sources/"]
    );
    assert_eq!(attrs(&b, "a.site-title", "href"), ["../"]);

    let s = s
        .file("kagu.toml", &format!("{CONFIG}file_links = true\n"))
        .build_ok();
    let home = s.html("index.html");
    assert_eq!(attrs(&home, "a.site-title", "href"), ["index.html"]);
    assert_eq!(
        attrs(&home, "nav.reading-path li a", "href"),
        [
            "a/index.html",
            "b/index.html",
            "c/index.html",
            "sources/index.html"
        ]
    );
    let b = s.html("b/index.html");
    assert_eq!(
        attrs(&b, ".content p a:not([href^='#'])", "href"),
        ["../a/index.html", "../sources/index.html"]
    );
    assert_eq!(attrs(&b, "a[rel=prev]", "href"), ["../a/index.html"]);
    let sources = s.html("sources/index.html");
    assert_eq!(
        attrs(&sources, ".cited-at a", "href"),
        ["../b/index.html#ref-1-1"]
    );
}

#[test]
fn backlinks_name_the_linking_page_and_heading() {
    let s = linked().build_ok();
    let b = s.html("b/index.html");
    assert_eq!(texts(&b, ".backlinks li a"), ["Alpha › Start"]);
    assert_eq!(attrs(&b, ".backlinks li a", "href"), ["../a/#start"]);
    let a = s.html("a/index.html");
    let mut from = texts(&a, ".backlinks li a");
    from.sort();
    assert_eq!(from, ["Bravo › Deep", "Charlie"]);
}

#[test]
fn broken_link_suggests_the_closest_file() {
    let s = linked().file("content/d.md", &page("D", "", "Go to [b](bb.md)."));
    let r = s.build();
    assert_eq!(r.code, 1);
    assert_eq!(
        diagnostics(&r),
        r#"error[E040]: broken link: `bb.md` does not exist
  ┌─ content/d.md:5:7
  │
5 │ Go to [b](bb.md).
  │       ^^^^^^^^^^
  │
  = hint: did you mean `b.md`?"#
    );
}

#[test]
fn broken_anchor_suggests_the_closest_heading() {
    let s = linked().file("content/d.md", &page("D", "", "Go to [b](b.md#dep)."));
    let r = s.build();
    assert_eq!(r.code, 1);
    assert_eq!(
        diagnostics(&r),
        r#"error[E041]: broken link: `b.md` has no heading `#dep`
  ┌─ content/d.md:5:7
  │
5 │ Go to [b](b.md#dep).
  │       ^^^^^^^^^^^^^
  │
  = hint: did you mean `#deep`?"#
    );
}

#[test]
fn broken_links_in_several_files_are_all_reported() {
    let s = linked()
        .file("content/d.md", &page("D", "", "[x](nowhere.md)"))
        .file("content/c/e.md", &page("E", "", "[x](../zzz.md) [y](#nope)"));
    let r = s.build();
    assert_eq!(r.stderr.matches("error[E04").count(), 3, "{}", r.stderr);
    assert!(r.stderr.contains("content/c/e.md:5:16"), "{}", r.stderr);
}

#[test]
fn links_into_a_subpath_site_still_resolve() {
    let s = linked().build_ok();
    for (file, doc) in [
        ("a/index.html", s.html("a/index.html")),
        ("c/index.html", s.html("c/index.html")),
    ] {
        let dir = s.public().join(file).parent().expect("dir").to_path_buf();
        for href in attrs(&doc, "a", "href") {
            if href.starts_with("http") || href.starts_with('#') {
                continue;
            }
            // A link to a page ends at its folder, which the host serves as its index.html.
            let path = href.split('#').next().expect("path");
            let path = if path.ends_with('/') {
                format!("{path}index.html")
            } else {
                path.to_string()
            };
            assert!(dir.join(path).is_file(), "{file}: {href} does not resolve");
        }
    }
}
