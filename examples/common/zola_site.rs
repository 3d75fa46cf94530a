//! The same corpus as a Zola site (`gen_corpus --zola DIR`), for bench/zola.sh: the same pages,
//! words, headings, tables and links (as Zola's `@/` links, which it checks as kagu does), each
//! citation written as the footnote a Zola writer would type by hand (the source's title,
//! outlet, date and address), heading anchors as kagu gives them, and templates that show what
//! kagu's theme shows of a page: its head, breadcrumbs, title, description, reading time,
//! table of contents, text, notes and the previous and next page.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const CONFIG: &str = r#"base_url = "https://example.org"
title = "Synthetic corpus"
compile_sass = false
build_search_index = false
generate_feeds = false

[markdown]
bottom_footnotes = true
"#;

const PAGE: &str = r##"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ page.title }} · {{ config.title }}</title>
<meta name="description" content="{{ page.description }}">
<link rel="canonical" href="{{ page.permalink }}">
<link rel="stylesheet" href="{{ get_url(path='style.css') }}">
</head>
<body>
<header><a href="{{ config.base_url }}">{{ config.title }}</a></header>
<main>
{% set section = get_section(path=page.ancestors | last, metadata_only=true) %}
<nav aria-label="Breadcrumbs"><a href="{{ config.base_url }}">{{ config.title }}</a> › <a href="{{ section.permalink }}">{{ section.title }}</a></nav>
<article>
<h1>{{ page.title }}</h1>
<p>{{ page.description }}</p>
<p>{{ page.reading_time }} min read</p>
{% if page.toc %}<nav aria-label="On this page"><ol>{% for h in page.toc %}<li><a href="#{{ h.id }}">{{ h.title }}</a></li>{% endfor %}</ol></nav>{% endif %}
{{ page.content | safe }}
</article>
<nav>{% if page.lower %}<a href="{{ page.lower.permalink }}">{{ page.lower.title }}</a>{% endif %} {% if page.higher %}<a href="{{ page.higher.permalink }}">{{ page.higher.title }}</a>{% endif %}</nav>
</main>
</body>
</html>
"##;

const SECTION: &str = r##"<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ section.title }} · {{ config.title }}</title>
<link rel="stylesheet" href="{{ get_url(path='style.css') }}"></head>
<body><main><h1>{{ section.title }}</h1>{{ section.content | safe }}
<ol>{% for p in section.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a></li>{% endfor %}</ol>
<ol>{% for s in section.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}<li><a href="{{ sub.permalink }}">{{ sub.title }}</a></li>{% endfor %}</ol>
</main></body></html>
"##;

/// Where the Zola site goes, and its content folder made.
pub(crate) fn start(dir: &Path) -> std::io::Result<PathBuf> {
    let content = dir.join("content");
    for sub in ["templates", "static"] {
        std::fs::create_dir_all(dir.join(sub))?;
    }
    std::fs::create_dir_all(&content)?;
    std::fs::write(dir.join("config.toml"), CONFIG)?;
    std::fs::write(dir.join("templates/page.html"), PAGE)?;
    std::fs::write(dir.join("templates/section.html"), SECTION)?;
    std::fs::write(dir.join("templates/index.html"), SECTION)?;
    std::fs::write(
        dir.join("static/style.css"),
        "body { max-width: 40rem; margin: auto; }\n",
    )?;
    std::fs::write(
        content.join("_index.md"),
        "+++\ntitle = \"Synthetic corpus\"\nsort_by = \"weight\"\n+++\n\nGenerated.\n",
    )?;
    Ok(content)
}

/// A section's `_index.md`, sorted by weight as kagu's reading order is, anchors as kagu's.
pub(crate) fn section_index(sec: usize) -> String {
    format!(
        "+++\ntitle = \"Section {sec}\"\nweight = {sec}\nsort_by = \"weight\"\ninsert_anchor_links = \"right\"\n+++\n\nSection {sec}.\n"
    )
}

/// A kagu page's Markdown as Zola takes it: `[@srcN]` becomes a footnote with the source's
/// reference, and links to `.md` files become `@/` links from the content folder.
pub(crate) fn page(md: &str, sec: usize) -> String {
    let mut out = String::with_capacity(md.len() + 2048);
    let mut notes = String::new();
    let mut rest = md;
    let mut n = 0;
    while let Some(at) = rest.find("[@src") {
        out.push_str(&rest[..at]);
        let end = rest[at..].find(']').map_or(rest.len(), |e| at + e);
        let s: usize = rest[at + 5..end].parse().unwrap_or(0);
        n += 1;
        write!(out, "[^c{n}]").ok();
        writeln!(
            notes,
            "[^c{n}]: “Source number {s},” *Outlet {s}*, January {}, 2024, <https://example.org/source/{s}>.",
            s % 28 + 1
        )
        .ok();
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    let out = out
        .replace("](../s", "](@/s")
        .replace("](p", &format!("](@/s{sec:03}/p"));
    format!("{out}{notes}")
}
