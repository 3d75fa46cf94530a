//! What a reader sees in the HTML, whatever the screen (the browser tests measure the rest):
//! a sidenote for every note marker with its locator, markers against the word before them, one
//! date format per page, the small-screen menu naming the current section, the home page's
//! "Next" after its section cards.

use crate::harness::*;

const SOURCES: &str = "[rbc]\ntype = \"article\"\ntitle = \"Darmanin interview\"\noutlet = \"RBC\"\n\
date = 2024-05-20\nurl = \"https://example.org/rbc\"\n";

/// A built site whose one page, `a/`, has this body and cites `rbc`.
fn citing(body: &str) -> Site {
    Site::new()
        .file("content/a.md", &page("A", "", body))
        .file("content/sources.toml", SOURCES)
        .build_ok()
}

#[test]
fn every_marker_has_a_sidenote_with_its_own_locator_and_out_of_the_tab_order() {
    // A note style: each citation is its note, and its sidenote says it whole.
    let site = citing("First.[@rbc] Again.[@rbc, p. 12] A note.[^n]\n\n[^n]: Short.");
    let doc = site.html("a/index.html");
    assert_eq!(
        words(&doc, ".sidenote"),
        [
            "1 “Darmanin Interview,” RBC, May 20, 2024, https://example.org/rbc.",
            "2 RBC, Darmanin Interview, 12.",
            "3 Short.",
        ]
    );
    assert_eq!(attrs(&doc, ".sidenote", "aria-hidden"), ["true", "true", "true"]);
    // One note per source: a repeat marker's sidenote gives its own locator first.
    let site = Site::one_note_per_source()
        .file(
            "content/a.md",
            &page(
                "A",
                "",
                "First.[@rbc] Again.[@rbc, p. 12] A note.[^n]\n\n[^n]: Short.",
            ),
        )
        .file("content/sources.toml", SOURCES)
        .build_ok();
    let doc = site.html("a/index.html");
    // Each marker is followed by its own sidenote.
    let pairs: Vec<(String, String)> = select(&doc, "sup.note-ref")
        .iter()
        .map(|sup| {
            let side = sup
                .next_siblings()
                .find_map(scraper::ElementRef::wrap)
                .expect("an element after the marker");
            (
                sup.value().attr("id").unwrap_or_default().to_string(),
                side.value().attr("class").unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        pairs,
        [
            ("ref-1-1".to_string(), "sidenote".to_string()),
            ("ref-1-2".to_string(), "sidenote sidenote-repeat".to_string()),
            ("ref-2-1".to_string(), "sidenote".to_string()),
        ]
    );
    assert_eq!(
        words(&doc, ".sidenote"),
        [
            "1 RBC. Darmanin Interview. May 20, 2024. https://example.org/rbc.",
            "1 (p. 12) RBC. Darmanin Interview. May 20, 2024. https://example.org/rbc.",
            "2 Short.",
        ]
    );
    assert_eq!(attrs(&doc, ".sidenote a", "tabindex"), ["-1", "-1"]);
    assert_eq!(attrs(&doc, ".sidenote", "aria-hidden"), ["true", "true", "true"]);
}

#[test]
fn a_marker_sits_against_the_word_before_it_and_after_its_punctuation() {
    let site = citing("A claim [@rbc]. Another claim\n[@rbc, p. 2] and *emphasis* [^n], then two [@rbc][^n]!\n\n[^n]: Note.");
    let html = site.read("a/index.html");
    for expected in [
        "A claim.<sup class=\"note-ref\" id=\"ref-1-1\">",
        "Another claim<sup class=\"note-ref\" id=\"ref-2-1\">",
        "<em>emphasis</em>,<sup class=\"note-ref\" id=\"ref-3-1\">",
        // Punctuation after two markers goes before both.
        "then two!<sup class=\"note-ref\" id=\"ref-4-1\">",
    ] {
        assert!(html.contains(expected), "no `{expected}` in:\n{html}");
    }
    assert!(html.contains("</sup><span class=\"sidenote sidenote-repeat\""));
}

#[test]
fn a_page_shows_its_dates_as_its_citations_do_in_the_sites_language() {
    for (language, page_date, note) in [
        (
            "en",
            "June 2, 2024",
            "“Darmanin Interview,” RBC, May 20, 2024, https://example.org/rbc.",
        ),
        (
            "fr",
            "2 juin 2024",
            "« Darmanin interview », RBC, 20 mai 2024, https://example.org/rbc.",
        ),
    ] {
        let site = Site::new()
            .file("kagu.toml", &format!("{CONFIG}language = \"{language}\"\n"))
            .file("content/a.md", &page("A", "date = 2024-06-02\n", "Claim.[@rbc]"))
            .file("content/sources.toml", SOURCES)
            .build_ok();
        let doc = site.html("a/index.html");
        assert_eq!(words(&doc, ".meta time"), [page_date], "{language}");
        assert_eq!(words(&doc, "#note-1 .note-body"), [note], "{language}");
    }
}

#[test]
fn the_menu_names_the_current_section_and_holds_the_sections_and_the_contents() {
    let site = Site::new()
        .file(
            "content/a.md",
            &page("Alpha", "weight = 1\n", "## One\n\nText.\n\n## Two\n\nText."),
        )
        .file("content/b/_index.md", &page("Beta", "weight = 2\n", "Text."))
        .file("content/b/c.md", &page("Gamma", "", "Text."))
        .build_ok();
    for (file, current) in [("a/index.html", "1. Alpha"), ("b/c/index.html", "2. Beta")] {
        let doc = site.html(file);
        assert_eq!(
            words(&doc, "details.site-menu > summary .menu-current"),
            [current],
            "{file}"
        );
        assert_eq!(
            select(&doc, "details.site-menu > .sidebar > nav.reading-path").len(),
            1
        );
        // Closed in the HTML: without JavaScript a phone gets the article first.
        assert_eq!(attrs(&doc, "details.site-menu", "open"), Vec::<String>::new());
    }
    let a = site.html("a/index.html");
    assert_eq!(words(&a, "details.site-menu nav.toc a"), ["One", "Two"]);
    let home = site.html("index.html");
    assert_eq!(select(&home, "details.site-menu .menu-current").len(), 0);
}

#[test]
fn the_home_pages_next_link_comes_after_its_section_cards() {
    let site = Site::new()
        .file("content/a.md", &page("Alpha", "weight = 1\n", "Text."))
        .build_ok();
    let home = site.read("index.html");
    let cards = home.find("class=\"section-cards\"").expect("cards");
    let next = home.find("class=\"prev-next\"").expect("prev-next");
    assert!(cards < next, "the Next link comes before the cards");
    assert!(!home[..home.find("</article>").expect("article")].contains("prev-next"));
}
