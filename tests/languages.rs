//! The theme in the site's language: French, German and Spanish catalogues complete, a site's
//! own strings over them, and a language the theme has no words in said once, or key by key.

use std::collections::BTreeMap;

use crate::harness::*;

fn catalogue(lang: &str) -> BTreeMap<String, String> {
    let path = format!("{}/themes/default/i18n/{lang}.toml", env!("CARGO_MANIFEST_DIR"));
    toml::from_str(&std::fs::read_to_string(path).expect("catalogue")).expect("TOML")
}

/// A site that shows most of the theme's words: notes, a glossary, a timeline, a callout, an
/// embed, sources with an archived copy, sections and a 404 page.
fn site(language: &str) -> Site {
    Site::new()
        .file("kagu.toml", &format!("{CONFIG}language = \"{language}\"\n"))
        .file(
            "content/sources.toml",
            "[k]\ntitle = \"Rapport\"\nurl = \"https://example.org/r\"\narchive_url = \"https://web.archive.org/r\"\n",
        )
        .file("content/glossary.toml", "[nc]\nname = \"Nouvelle-Calédonie\"\nkind = \"place\"\ndescription = \"Un territoire.\"\n")
        .file("content/timeline.toml", "[[event]]\ndate = \"2024-05\"\ntitle = \"Réforme\"\n")
        .file(
            "content/a.md",
            &page(
                "Un",
                "weight = 1\ndate = 2024-05-13\nupdated = 2024-05-20\nauthors = [\"Marie Dupont\"]\n",
                "## Début\n\nTexte sur la Nouvelle-Calédonie [@k].[^n]\n\n> [!NOTE]\n> Attention.\n\n\
                 [Vidéo](https://video.example.org/1 \"embed\")\n\n{{ timeline() }}\n\n[^n]: Une note.\n",
            ),
        )
        .file("content/b.md", &page("Deux", "weight = 2\n", "Voir [un](a.md#début).\n"))
        .file("content/qui.md", &page("Qui", "weight = 3\n", "{{ glossary() }}\n"))
}

/// Every reader-visible text of a page: its text, and the attributes a reader meets (labels,
/// and the words the script shows).
fn visible(doc: &scraper::Html) -> String {
    let mut out: Vec<String> = doc.root_element().text().map(str::to_string).collect();
    for e in select(doc, "*") {
        for (name, value) in e.value().attrs() {
            if name == "aria-label" || name.starts_with("data-popover") || name.ends_with("-theme") {
                out.push(value.to_string());
            }
        }
    }
    out.join("\n")
}

#[test]
fn a_french_site_shows_no_english_word_of_the_theme() {
    let s = site("fr").build_ok();
    let (en, fr) = (catalogue("en"), catalogue("fr"));
    for page in [
        "a/index.html",
        "b/index.html",
        "qui/index.html",
        "sources/index.html",
        "404.html",
    ] {
        let doc = s.html(page);
        assert_eq!(attrs(&doc, "html", "lang"), ["fr"], "{page}");
        let text = visible(&doc);
        for (key, english) in &en {
            let plain = english.split('{').next().unwrap_or_default().trim();
            // A word both languages write ("Notes", "Sources", "Important") proves nothing.
            if plain.len() < 4 || fr.values().any(|f| f.contains(plain)) {
                continue;
            }
            assert!(!text.contains(plain), "{page}: `{key}` is in English: {plain:?}");
        }
    }
    let a = s.html("a/index.html");
    assert_eq!(words(&a, ".skip-link"), ["Aller au contenu"]);
    assert_eq!(words(&a, "#notes-heading"), ["Notes"]);
    assert_eq!(texts(&a, ".timeline .event-date"), ["mai 2024"]);
    let meta = words(&a, ".meta").join(" ");
    assert!(
        meta.starts_with("Par Marie Dupont · 13 mai 2024 · mis à jour le 20 mai 2024 ·"),
        "{meta}"
    );
    assert!(
        words(&a, "footer").join(" ").ends_with("· fait avec kagu"),
        "{:?}",
        words(&a, "footer")
    );
    assert_eq!(words(&a, ".callout-title"), ["Remarque"]);
    let sources = s.html("sources/index.html");
    assert_eq!(texts(&sources, ".sources a.archived"), ["Copie archivée"]);
    assert!(texts(&sources, ".cited-at")
        .join("")
        .starts_with("Citée dans\u{a0}:"));
}

#[test]
fn german_and_spanish_are_complete_and_a_site_overrides_a_string() {
    let en = catalogue("en");
    for lang in ["fr", "de", "es"] {
        let other = catalogue(lang);
        assert_eq!(
            other.keys().collect::<Vec<_>>(),
            en.keys().collect::<Vec<_>>(),
            "{lang}"
        );
        let s = site(lang).build_ok();
        assert_eq!(attrs(&s.html("a/index.html"), "html", "lang"), [lang]);
        assert_eq!(
            words(&s.html("a/index.html"), ".skip-link"),
            [other["skip_to_content"].as_str()]
        );
    }
    let s = site("de")
        .file("i18n/de.toml", "notes = \"Fußnoten\"\n")
        .build_ok();
    let a = s.html("a/index.html");
    assert_eq!(words(&a, "#notes-heading"), ["Fußnoten"]);
    assert_eq!(words(&a, ".skip-link"), ["Zum Inhalt springen"]);
    // `de-CH` reads German's words.
    let s = site("de-CH").build_ok();
    assert_eq!(
        words(&s.html("a/index.html"), ".skip-link"),
        ["Zum Inhalt springen"]
    );
}

#[test]
fn a_language_the_theme_has_no_words_in_is_said_once_or_key_by_key() {
    let r = site("it").build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        diagnostics(&r),
        "warning[W015]: the theme has no words in `it`: its pages' own words (Contents, Notes, …) are shown in English
 = hint: write i18n/it.toml with the theme's strings in that language (the keys of its i18n/en.toml)"
    );
    let en = catalogue("en");
    let all_but_one: String = en
        .keys()
        .filter(|k| *k != "notes")
        .map(|k| format!("{k} = \"x\"\n"))
        .collect();
    let r = site("it").file("i18n/it.toml", &all_but_one).build();
    assert_eq!(
        diagnostics(&r),
        "warning[W016]: no `notes` in `it`: the English string is shown
  ┌─ i18n/it.toml:1:1
  │
1 │ all_sections = \"x\"
  │ ^
  │
  = hint: add `notes = \"…\"` to this file"
    );
}
