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
        [
            "../b/index.html#deep",
            "../c/index.html",
            "https://example.com/x.md",
            "#start"
        ]
    );
    let c = s.html("c/index.html");
    assert_eq!(attrs(&c, ".content p a", "href"), ["../a/index.html"]);
}

#[test]
fn backlinks_name_the_linking_page_and_heading() {
    let s = linked().build_ok();
    let b = s.html("b/index.html");
    assert_eq!(texts(&b, ".backlinks li a"), ["Alpha › Start"]);
    assert_eq!(attrs(&b, ".backlinks li a", "href"), ["../a/index.html#start"]);
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
            let path = href.split('#').next().expect("path");
            assert!(dir.join(path).is_file(), "{file}: {href} does not resolve");
        }
    }
}
