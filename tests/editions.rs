//! Editions side by side: an English site with a French edition under fr/, its translations
//! beside their originals, the alternates both ways, the switcher, the sitemap's alternates, a
//! page not translated yet, and the mistakes of `[languages]`.

use std::collections::BTreeMap;

use crate::harness::*;

const BASE: &str = "https://example.org/sub/";

/// English pages a (translated), b (not) and the home page (translated); a timeline in each
/// language; one source.
fn site() -> Site {
    Site::new()
        .file(
            "kagu.toml",
            &format!("{CONFIG}language = \"en\"\n\n[languages.fr]\ntitle = \"Site d'essai\"\n"),
        )
        .file("content/_index.fr.md", &page("Accueil", "", "Lire [a](a.md).\n"))
        .file(
            "content/sources.toml",
            "[k]\ntitle = \"Report\"\nurl = \"https://example.org/r\"\n",
        )
        .file(
            "content/timeline.toml",
            "[[event]]\ndate = \"2024-05\"\ntitle = \"Reform\"\n",
        )
        .file(
            "content/timeline.fr.toml",
            "[[event]]\ndate = \"2024-05\"\ntitle = \"Réforme\"\n",
        )
        .file(
            "content/a.md",
            &page(
                "A",
                "weight = 1\n",
                "## Start\n\nText [@k]. See [b](b.md#end).\n\n{{ timeline() }}\n",
            ),
        )
        .file(
            "content/a.fr.md",
            &page(
                "Un",
                "weight = 1\n",
                "## Début\n\nTexte [@k]. Voir [b](b.md#end).\n\n{{ timeline() }}\n",
            ),
        )
        .file(
            "content/b.md",
            &page("B", "weight = 2\n", "## End\n\nBack to [a](a.md).\n"),
        )
}

/// Each `hreflang` alternate of a page: language → address.
fn alternates(doc: &scraper::Html) -> BTreeMap<String, String> {
    select(doc, "link[rel=alternate][hreflang]")
        .into_iter()
        .map(|e| {
            let v = e.value();
            (
                v.attr("hreflang").unwrap().to_string(),
                v.attr("href").unwrap().to_string(),
            )
        })
        .collect()
}

/// The output file an address of the site names.
fn file_of(url: &str) -> String {
    let path = url
        .strip_prefix(BASE)
        .unwrap_or_else(|| panic!("{url} is not the site's"));
    format!("{path}index.html")
}

#[test]
fn an_edition_is_a_site_under_its_folder_linked_both_ways() {
    let s = site().build();
    assert_eq!(
        diagnostics(&s),
        "warning[W017]: 1 page is not translated into fr: content/b.md
 = hint: translate each as a file beside it (content/b.fr.md), or leave it: readers of `fr` are led to the original; `--message-format json` lists them all"
    );
    let s = site().build_ok();
    let fr = s.html("fr/a/index.html");
    assert_eq!(attrs(&fr, "html", "lang"), ["fr"]);
    assert_eq!(words(&fr, ".skip-link"), ["Aller au contenu"]);
    assert_eq!(texts(&fr, ".timeline .event-date"), ["mai 2024"]);
    assert_eq!(
        words(&fr, ".timeline h3, .timeline .event-title").concat(),
        "Réforme"
    );
    assert_eq!(words(&fr, ".site-title"), ["Site d'essai"]);
    // Its own sources page, notes and navigation; the English page it lacks is left out.
    assert_eq!(attrs(&fr, ".note-ref a, a.note-ref", "href").len(), 1);
    assert!(s.public().join("fr/sources/index.html").is_file());
    assert!(!s.public().join("fr/b").exists());
    assert_eq!(
        words(&s.html("fr/index.html"), ".reading-path a"),
        ["Un", "Sources"]
    );
    // A link to the page the edition lacks leads to the English one, marked as English.
    let to_b = select(&fr, "main a[href*='b/']");
    assert_eq!(to_b.len(), 1);
    assert_eq!(to_b[0].value().attr("href"), Some("../../b/#end"));
    assert_eq!(to_b[0].value().attr("hreflang"), Some("en"));
    // The theme's files are the root's, shared.
    for href in attrs(&fr, "link[rel=stylesheet]", "href") {
        assert!(href.starts_with("../../"), "{href}");
        assert!(s.public().join("fr/a").join(&href).is_file(), "{href}");
    }
    assert!(!std::fs::read_dir(s.public().join("fr")).unwrap().any(|e| e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .ends_with(".css")));

    // Alternates: reciprocal, each leading to a page of the site, x-default the English one.
    for (page, expected) in [
        ("a/index.html", ["a/", "fr/a/"]),
        ("fr/a/index.html", ["a/", "fr/a/"]),
        ("index.html", ["", "fr/"]),
        ("fr/index.html", ["", "fr/"]),
    ] {
        let alt = alternates(&s.html(page));
        let want: BTreeMap<String, String> = [
            ("en", expected[0]),
            ("fr", expected[1]),
            ("x-default", expected[0]),
        ]
        .into_iter()
        .map(|(l, p)| (l.to_string(), format!("{BASE}{p}")))
        .collect();
        assert_eq!(alt, want, "{page}");
        for url in alt.values() {
            let other = alternates(&s.html(&file_of(url)));
            assert!(
                other.values().any(|u| file_of(u) == page),
                "{url} does not link {page} back"
            );
        }
    }
    // A page with no translation has no alternates, and its switcher leads to the edition's home.
    let b = s.html("b/index.html");
    assert!(alternates(&b).is_empty());
    assert_eq!(attrs(&b, ".editions a", "href"), ["../fr/"]);
    assert_eq!(
        attrs(&s.html("a/index.html"), ".editions a", "href"),
        ["../fr/a/"]
    );
    assert_eq!(attrs(&fr, ".editions a", "href"), ["../../a/"]);
    assert_eq!(words(&fr, ".editions a"), ["English"]);
    assert_eq!(attrs(&fr, ".editions a", "hreflang"), ["en"]);
    assert_eq!(
        s.read("robots.txt"),
        format!("User-agent: *\nAllow: /\nSitemap: {BASE}sitemap.xml\nSitemap: {BASE}fr/sitemap.xml\n")
    );
}

/// Every `<url>` of a sitemap with its `xhtml:link` alternates, read with their namespaces.
fn sitemap_alternates(xml: &str) -> BTreeMap<String, Vec<(String, String)>> {
    use quick_xml::events::Event;
    use quick_xml::name::{Namespace, ResolveResult};
    const SITEMAP: &[u8] = b"http://www.sitemaps.org/schemas/sitemap/0.9";
    const XHTML: &[u8] = b"http://www.w3.org/1999/xhtml";
    let mut reader = quick_xml::NsReader::from_str(xml);
    let (mut out, mut loc, mut in_loc) = (BTreeMap::new(), String::new(), false);
    loop {
        match reader.read_resolved_event().expect("well-formed XML") {
            (ResolveResult::Bound(Namespace(ns)), Event::Start(e)) if e.local_name().as_ref() == b"loc" => {
                assert_eq!(ns, SITEMAP);
                in_loc = true;
            }
            (_, Event::Text(t)) if in_loc => {
                loc = t.decode().unwrap().into_owned();
                in_loc = false;
                out.insert(loc.clone(), Vec::new());
            }
            (ResolveResult::Bound(Namespace(ns)), Event::Empty(e)) if e.local_name().as_ref() == b"link" => {
                assert_eq!(ns, XHTML);
                let attr = |name: &[u8]| {
                    let a = e.try_get_attribute(name).unwrap().unwrap();
                    String::from_utf8(a.value.into_owned()).unwrap()
                };
                assert_eq!(attr(b"rel"), "alternate");
                out.get_mut(&loc)
                    .unwrap()
                    .push((attr(b"hreflang"), attr(b"href")));
            }
            (_, Event::Eof) => return out,
            _ => {}
        }
    }
}

#[test]
fn the_sitemaps_give_each_page_its_alternates() {
    let s = site().build_ok();
    let en = sitemap_alternates(&s.read("sitemap.xml"));
    let fr = sitemap_alternates(&s.read("fr/sitemap.xml"));
    let a = vec![
        ("en".to_string(), format!("{BASE}a/")),
        ("fr".to_string(), format!("{BASE}fr/a/")),
        ("x-default".to_string(), format!("{BASE}a/")),
    ];
    assert_eq!(en[&format!("{BASE}a/")], a);
    assert_eq!(fr[&format!("{BASE}fr/a/")], a);
    assert_eq!(en[&format!("{BASE}b/")], Vec::new());
    assert!(!fr.contains_key(&format!("{BASE}fr/b/")));
    assert_eq!(fr[&format!("{BASE}fr/sources/")].len(), 3);
}

#[test]
fn untranslated_pages_are_listed_in_json_and_check_can_deny_them() {
    let s = site();
    let r = s.kagu(&["check", "--message-format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let line = r
        .stdout
        .lines()
        .find(|l| l.contains("W017"))
        .unwrap_or_else(|| panic!("{}", r.stdout));
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    assert_eq!(v["pages"], serde_json::json!(["content/b.md"]));
    let r = s.kagu(&["check", "--deny-warnings"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let s = s.file(
        "content/b.fr.md",
        &page("Bé", "weight = 2\n", "## End\n\nRetour.\n"),
    );
    assert_eq!(diagnostics(&s.build()), "");
    let b = s.html("fr/a/index.html");
    assert_eq!(attrs(&b, "main p a[href*='b/']", "href"), ["../b/#end"]);
    assert!(attrs(&b, "main p a[href*='b/']", "hreflang").is_empty());
}

#[test]
fn static_files_and_the_preview_picture_are_the_roots() {
    let s = site()
        .file(
            "kagu.toml",
            &format!(
                "{CONFIG}language = \"en\"\nimage = \"static/img/card.png\"\nimage_alt = \"A map\"\n\n[languages.fr]\n"
            ),
        )
        .file(
            "content/a.fr.md",
            &page("Un", "weight = 1\n", "Texte [@k], [le rapport](../static/report.txt).\n\n{{ timeline() }}\n"),
        )
        .file("static/report.txt", "report\n");
    let card = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/full/static/img/card.png"
    ))
    .unwrap();
    std::fs::create_dir_all(s.root().join("static/img")).unwrap();
    std::fs::write(s.root().join("static/img/card.png"), card).unwrap();
    let s = s.build_ok();
    let fr = s.html("fr/a/index.html");
    assert_eq!(attrs(&fr, "main p a[href$='.txt']", "href"), ["../../report.txt"]);
    assert!(s.public().join("report.txt").is_file());
    assert!(!s.public().join("fr/report.txt").exists());
    assert_eq!(
        attrs(&fr, "meta[property='og:image']", "content"),
        [format!("{BASE}img/card.png")]
    );
}

#[test]
fn a_failed_edition_leaves_the_last_good_site() {
    let s = site().build_ok();
    let before = tree(&s.public());
    let s = s.remove("content/_index.fr.md");
    let r = s.build();
    assert_eq!(r.code, 1);
    assert_eq!(
        diagnostics(&r),
        "warning[W017]: 2 pages are not translated into fr
 = hint: translate each as a file beside it (content/_index.fr.md), or leave it: readers of `fr` are led to the original; `--message-format json` lists them all

error[E022]: home page `content/_index.fr.md` does not exist"
    );
    assert_eq!(tree(&s.public()), before);
}

#[test]
fn a_languages_table_that_cannot_be_an_edition_is_located() {
    let s = Site::new().file(
        "kagu.toml",
        &format!("{CONFIG}language = \"en\"\n[languages.en]\ntitle = \"Again\"\n"),
    );
    fails_with(
        &s,
        "error[E078]: `[languages.en]` cannot be an edition
  ┌─ kagu.toml:4:1
  │
4 │ [languages.en]
  │ ^^^^^^^^^^^^^^
  │
  = hint: change the table's name or its `path`: it is the site's `language`, the default edition, published at the root",
    );
    let s = Site::new().file("kagu.toml", &format!("{CONFIG}[languages.fr]\npath = \"a/b\"\n"));
    let r = s.build();
    assert_eq!(r.code, 1);
    assert!(
        diagnostics(&r).ends_with("= hint: change the table's name or its `path`: its `path` must be one folder name of letters, digits, `-` and `_`"),
        "{}",
        r.stderr
    );
}
