//! Outputs that do not grow without bound: the sitemap splits into parts under a sitemap index
//! past `sitemap_limit` addresses, the feed lists `feed_limit` entries, and the sources page
//! lists the pages that cite each source, not every spot.

use crate::harness::*;

const SITEMAP_NS: &[u8] = b"http://www.sitemaps.org/schemas/sitemap/0.9";

/// The root element's name and every `<loc>` of a sitemap or sitemap index, read with their
/// namespace.
fn locs(xml: &str) -> (String, Vec<String>) {
    use quick_xml::events::Event;
    use quick_xml::name::{Namespace, ResolveResult};
    let mut reader = quick_xml::NsReader::from_str(xml);
    let (mut root, mut out, mut in_loc) = (None, Vec::new(), false);
    loop {
        match reader.read_resolved_event().expect("well-formed XML") {
            (ResolveResult::Bound(Namespace(ns)), Event::Start(e)) => {
                assert_eq!(ns, SITEMAP_NS);
                let name = String::from_utf8(e.local_name().as_ref().to_vec()).unwrap();
                in_loc = name == "loc";
                root.get_or_insert(name);
            }
            (_, Event::Text(t)) if in_loc => {
                out.push(t.decode().unwrap().into_owned());
                in_loc = false;
            }
            (_, Event::Eof) => return (root.expect("a root element"), out),
            _ => {}
        }
    }
}

/// A site of `n` pages, with one source cited on each.
fn pages(n: usize, config: &str) -> Site {
    let mut s = Site::new()
        .file("kagu.toml", &format!("{CONFIG}{config}"))
        .file("content/sources.toml", RBC_SOURCE);
    for i in 0..n {
        s = s.file(
            &format!("content/p{i:02}.md"),
            &page(
                &format!("Page {i}"),
                &format!("weight = {i}\ndate = 2024-01-01T10:{i:02}:00Z\n"),
                "A figure.[@rbc]",
            ),
        );
    }
    s
}

#[test]
fn a_sitemap_past_its_limit_becomes_an_index_of_parts_that_list_every_address_once() {
    let whole = pages(6, "").build_ok();
    let (root, all) = locs(&whole.read("sitemap.xml"));
    assert_eq!(root, "urlset");
    // The home page, six pages and the sources page.
    assert_eq!(all.len(), 8, "{all:?}");
    assert!(!whole.public().join("sitemap1.xml").exists());

    let split = pages(6, "sitemap_limit = 3\n").build_ok();
    let (root, parts) = locs(&split.read("sitemap.xml"));
    assert_eq!(root, "sitemapindex");
    assert_eq!(
        parts,
        [1, 2, 3].map(|n| format!("https://example.org/sub/sitemap{n}.xml"))
    );
    let mut listed = Vec::new();
    for n in 1..=3 {
        let (root, urls) = locs(&split.read(&format!("sitemap{n}.xml")));
        assert_eq!(root, "urlset");
        assert!(!urls.is_empty() && urls.len() <= 3, "part {n}: {urls:?}");
        listed.extend(urls);
    }
    assert_eq!(listed, all, "the parts list every address once, in order");
    assert!(!split.public().join("sitemap4.xml").exists());
    // robots.txt names the index.
    assert!(split
        .read("robots.txt")
        .contains("Sitemap: https://example.org/sub/sitemap.xml\n"));
}

#[test]
fn a_sitemap_limit_outside_the_protocol_is_an_error_at_its_value() {
    for (value, why) in [
        (
            "50001",
            "50001 is out of range: write a whole number from 1 to 50000",
        ),
        ("0", "0 is out of range: write a whole number from 1 to 50000"),
    ] {
        let s = pages(1, &format!("sitemap_limit = {value}\n"));
        fails_with(
            &s,
            &format!(
                "error[E003]: bad value for `sitemap_limit`: {why}\n  ┌─ kagu.toml:3:17\n  │\n3 │ sitemap_limit = {value}\n  │                 {}",
                "^".repeat(value.len())
            ),
        );
    }
    fails_with(
        &pages(1, "feed_limit = -2\n"),
        "error[E003]: bad value for `feed_limit`: -2 is not a count: write a whole number from 1 up\n  ┌─ kagu.toml:3:14\n  │\n3 │ feed_limit = -2\n  │              ^^",
    );
}

/// The titles of the feed's entries, in order.
fn feed_titles(s: &Site) -> Vec<String> {
    let xml = s.read("atom.xml");
    xml.split("<entry>")
        .skip(1)
        .map(|e| {
            let start = e.find("<title>").expect("a title") + "<title>".len();
            e[start..start + e[start..].find("</title>").unwrap()].to_string()
        })
        .collect()
}

#[test]
fn the_feed_lists_the_newest_entries_up_to_its_limit() {
    let s = pages(5, "feed_limit = 2\n").build_ok();
    assert_eq!(feed_titles(&s), ["Page 4", "Page 3"]);
    // By default, 50: 55 dated pages give the 50 newest.
    let s = pages(55, "").build_ok();
    let titles = feed_titles(&s);
    assert_eq!(titles.len(), 50);
    assert_eq!(titles.first().map(String::as_str), Some("Page 54"));
    assert_eq!(titles.last().map(String::as_str), Some("Page 5"));
}

#[test]
fn the_sources_page_lists_ten_citing_pages_and_links_a_page_of_all_of_them() {
    let s = pages(12, "").build_ok();
    let sources = s.html("sources/index.html");
    let cited = words(&sources, "#source-rbc .cited-at");
    assert_eq!(
        cited,
        [format!(
            "Cited in: {} and 2 more (every page that cites it)",
            (0..10)
                .map(|i| format!("Page {i} (a)"))
                .collect::<Vec<_>>()
                .join("; ")
        )]
    );
    let links = attrs(&sources, "#source-rbc .cited-at > a", "href");
    assert_eq!(links.len(), 11, "{links:?}");
    assert_eq!(links[9], "../p09/#ref-1-1");
    assert_eq!(links[10], "../sources/rbc/");
    let all = s.html("sources/rbc/index.html");
    assert_eq!(texts(&all, "h1"), ["Pages that cite a source"]);
    let spots = attrs(&all, ".cited-pages a", "href");
    assert_eq!(spots.len(), 12);
    assert_eq!(spots[11], "../../p11/#ref-1-1");
    assert_eq!(
        attrs(&all, ".all-sources a", "href"),
        ["../../sources/#source-rbc"]
    );
    // A source cited on ten pages or fewer has no page of its own.
    let s = pages(10, "").build_ok();
    assert!(!s.public().join("sources/rbc").exists());
    let links = attrs(&s.html("sources/index.html"), "#source-rbc .cited-at > a", "href");
    assert_eq!(links.len(), 10);
    assert!(!words(&s.html("sources/index.html"), ".cited-at")[0].contains("more"));
}
