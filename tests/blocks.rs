//! The blocks kagu writes into pages come from the theme's templates under `templates/blocks/`,
//! and the words from its catalogue: a site overrides either, one file or one string at a time.

use crate::harness::{attrs, diagnostics, fails_with, page, texts, words, Site};

const EVENTS: &str = "[[event]]\nid = \"votes\"\ndate = \"2024-05\"\ntitle = \"The vote\"\ndescription = \"Deputies *voted*.\"\n\n[[event]]\ndate = \"1853\"\ntitle = \"Annexation\"\n";

fn site() -> Site {
    Site::new().file("content/timeline.toml", EVENTS).file(
        "content/a.md",
        &page(
            "A",
            "",
            "## What happened\n\nA claim.[^n]\n\n{{ timeline() }}\n\n[^n]: A note.\n",
        ),
    )
}

#[test]
fn the_default_blocks_and_words() {
    let s = site().build_ok();
    let doc = s.html("a/index.html");
    assert_eq!(
        words(&doc, "ol.timeline li.event .event-title"),
        ["Annexation", "The vote"]
    );
    assert_eq!(texts(&doc, "#event-votes time"), ["May 2024"]);
    assert_eq!(
        attrs(&doc, "h2#what-happened a.anchor", "aria-label"),
        ["Link to this section: What happened"]
    );
    assert_eq!(words(&doc, "#notes-heading"), ["Notes"]);
    assert_eq!(attrs(&doc, "sup.note-ref a", "aria-label"), ["Note 1"]);
}

#[test]
fn a_site_restyles_the_timeline_and_renames_words() {
    let s = site()
        .file(
            "templates/blocks/timeline_event.html",
            "<li class=\"moment\" id=\"{{ id }}\"><h3>{{ title }}</h3><time>{{ date }}</time>{% if described %}<div class=\"said\">{{ description }}</div>{% endif %}{{ mentions }}</li>\n",
        )
        .file(
            "i18n/en.toml",
            "link_to_section = \"Permalink: {title}\"\nnotes = \"Footnotes\"\n",
        )
        .build_ok();
    let doc = s.html("a/index.html");
    assert_eq!(
        words(&doc, "ol.timeline li.moment h3"),
        ["Annexation", "The vote"]
    );
    assert_eq!(texts(&doc, "li#event-votes .said em"), ["voted"]);
    assert_eq!(texts(&doc, "li#event-votes time"), ["May 2024"]);
    assert!(words(&doc, "li.event").is_empty());
    assert_eq!(
        attrs(&doc, "h2#what-happened a.anchor", "aria-label"),
        ["Permalink: What happened"]
    );
    assert_eq!(words(&doc, "#notes-heading"), ["Footnotes"]);
    // The strings it leaves alone are the theme's.
    assert_eq!(attrs(&doc, "sup.note-ref a", "aria-label"), ["Note 1"]);
    assert_eq!(words(&doc, ".skip-link"), ["Skip to content"]);
}

#[test]
fn a_block_template_that_tests_a_value_is_refused_at_it() {
    let s = site().file(
        "templates/blocks/note_ref.html",
        "<sup>{% if label %}[{{ label }}]{% endif %}</sup>",
    );
    fails_with(
        &s,
        "error[E070]: the block template `blocks/note_ref.html` tests or changes a value
  ┌─ templates/blocks/note_ref.html:1:1
  │
1 │ <sup>{% if label %}[{{ label }}]{% endif %}</sup>
  │ ^
  │
  = hint: a block template places its values (`number`, `occurrence`, `label`) as they are or escaped, and may test only its flags (none); kagu makes it once, not for every block",
    );
}

#[test]
fn a_block_template_that_places_its_content_twice_is_refused() {
    let s = site().file(
        "templates/blocks/callout.html",
        "<aside>{{ content }}{{ content }}</aside>",
    );
    let r = s.build();
    assert_eq!(r.code, 1);
    assert!(
        diagnostics(&r).starts_with(
            "error[E070]: the block template `blocks/callout.html` places a content more than once, or out of order"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn an_unknown_word_is_a_warning_at_its_key() {
    let s = site().file("i18n/en.toml", "notse = \"Footnotes\"\n");
    let r = s.kagu(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        diagnostics(&r),
        "warning[W009]: the theme has no string `notse`
  ┌─ i18n/en.toml:1:1
  │
1 │ notse = \"Footnotes\"
  │ ^^^^^
  │
  = hint: did you mean `notes`?"
    );
}

#[test]
fn a_word_that_is_no_string_is_an_error_at_its_value() {
    let s = site().file("i18n/en.toml", "notes = 3\n");
    fails_with(
        &s,
        "error[E003]: bad value for `notes`: expected a string
  ┌─ i18n/en.toml:1:9
  │
1 │ notes = 3
  │         ^",
    );
}

#[test]
fn a_block_template_that_names_no_value_is_a_render_error_at_it() {
    let s = site().file("templates/blocks/embed.html", "<p>{{ adress }}</p>\n");
    fails_with(
        &s,
        "error[E011]: error rendering template `blocks/embed.html`: Variable `adress` is not defined. Available variables: host, label, t, url
  ┌─ templates/blocks/embed.html:1:7
  │
1 │ <p>{{ adress }}</p>
  │       ^^^^^^
  │
  = hint: fix the template at the marked spot",
    );
}
