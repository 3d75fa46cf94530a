//! The typed values templates get: the site, a page, its notes, backlinks and table of contents,
//! the sources page, link-preview data. Serialized into tera contexts by [`super::Renderer`].

use std::collections::BTreeMap;

use serde::Serialize;

use crate::graph::resolve::{PageId, SiteGraph};
use crate::page::markdown::Heading;
use crate::project::config::Config;

#[derive(Serialize, Clone)]
pub(crate) struct NavItem<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub path: &'a str,
    pub number: String,
}

#[derive(Serialize)]
pub(crate) struct TocItem<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub level: u8,
    pub children: Vec<TocItem<'a>>,
}

#[derive(Serialize)]
pub(crate) struct BackRef {
    /// Serialized as its id (`ref-3-1`, `cite-2`).
    pub id: crate::data::cite_syntax::Anchor,
    pub label: std::borrow::Cow<'static, str>,
    pub locator: Option<String>,
    /// One of several back-links of its note or reference (labelled a, b, c…).
    pub several: bool,
}

#[derive(Serialize)]
pub(crate) struct NoteView<'a> {
    pub number: usize,
    pub id: String,
    /// The words of its back-links' label, the catalogue's `back_to_reference` with the number.
    pub back_label: String,
    pub html: String,
    pub source_key: Option<&'a str>,
    pub backrefs: Vec<BackRef>,
}

/// One entry of a page's References list (in-text styles): `number` for numeric styles, and a
/// back-link to each citation of it on the page.
#[derive(Serialize)]
pub(crate) struct ReferenceView<'a> {
    pub id: String,
    pub number: Option<usize>,
    pub html: &'a str,
    pub backrefs: Vec<BackRef>,
}

#[derive(Serialize)]
pub(crate) struct BacklinkView<'a> {
    pub title: &'a str,
    pub href: String,
    pub heading: Option<&'a str>,
}

#[derive(Serialize)]
pub(crate) struct PageView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub path: &'a str,
    pub permalink: String,
    pub date: Option<String>,
    pub updated: Option<String>,
    /// Machine-readable forms, for `<time datetime>`.
    pub date_iso: Option<String>,
    pub updated_iso: Option<String>,
    pub authors: &'a [String],
    pub tags: &'a [String],
    pub extra: &'a toml::Table,
    pub content: String,
    pub toc: Vec<TocItem<'a>>,
    pub word_count: usize,
    pub reading_time: usize,
    pub notes: Vec<NoteView<'a>>,
    /// In-text styles: the sources the page cites, as its References list.
    pub references: Vec<ReferenceView<'a>>,
    pub backlinks: Vec<BacklinkView<'a>>,
    pub children: Vec<NavItem<'a>>,
    pub ancestors: Vec<NavItem<'a>>,
    pub is_home: bool,
    pub is_section: bool,
    pub number: String,
}

/// The spots on one page that cite a source: (page title, page path, note number, uses): markers
/// `ref-{note}-1` to `ref-{note}-{uses}`, labelled from the context's `letters`. A tuple of short
/// values, not a map: a large site's sources page lists tens of thousands of them, and rendering
/// it was a build's peak memory.
pub(crate) type CitedAt<'a> = (&'a str, &'a str, Spots<'a>);

/// A citing page's spots, serialized as a list of their ids (`ref-3-1`).
pub(crate) struct Spots<'a>(pub &'a [(PageId, crate::data::cite_syntax::Anchor)]);

impl Spots<'_> {
    /// How many spots.
    pub(crate) fn count(&self) -> usize {
        self.0.len()
    }
}

impl Serialize for Spots<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|(_, a)| a))
    }
}

#[derive(Serialize)]
pub(crate) struct SiteView<'a> {
    pub config: &'a Config,
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    pub base_url: String,
    pub sections: Vec<NavItem<'a>>,
    pub has_sources: bool,
    pub sources_path: &'static str,
    /// The page of updates and corrections, where a page has some.
    pub updates_path: Option<&'static str>,
    /// What a link to a page ends in after its folder: `index.html` with `file_links`, or
    /// nothing.
    pub page_index: &'static str,
    /// Original → content-hashed names of CSS and JS files.
    pub assets: &'a BTreeMap<String, String>,
    pub feed_path: Option<&'static str>,
    /// The favicon's path from the site root, and its MIME type.
    pub favicon: String,
    pub favicon_type: &'static str,
}

/// What link previews (Open Graph, Twitter cards) and canonical links say of one output page.
#[derive(Serialize)]
pub(crate) struct SeoView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub url: Option<String>,
    pub kind: &'static str,
    pub image: Option<String>,
    /// Its width and height, where its header could be read.
    pub image_size: Option<(usize, usize)>,
    pub image_alt: &'a str,
}

pub(crate) fn nested_toc(headings: &[Heading]) -> Vec<TocItem<'_>> {
    fn place<'a>(into: &mut Vec<TocItem<'a>>, h: &'a Heading) {
        match into.last_mut() {
            Some(last) if h.level > last.level => place(&mut last.children, h),
            _ => into.push(TocItem {
                id: &h.id,
                title: &h.title,
                level: h.level,
                children: Vec::new(),
            }),
        }
    }
    let mut out = Vec::new();
    for h in headings.iter().filter(|h| h.level >= 2) {
        place(&mut out, h);
    }
    out
}

pub(crate) fn backref_label(i: usize) -> String {
    let letters = b"abcdefghijklmnopqrstuvwxyz";
    let mut n = i;
    let mut s = Vec::new();
    loop {
        s.push(letters[n % 26]);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// A front matter date in words, as the site's language writes dates (and its citations do).
pub(crate) fn format_date(d: &toml::value::Datetime, words: &crate::data::cite::DateFormat) -> String {
    match d.date {
        Some(date) => words.format(date.year, date.month, date.day),
        None => d.to_string(),
    }
}

/// A page's section number in reading order ("1", "2", "2.1", ...); the home page has none.
/// Computed when a page is rendered rather than for the whole site up front.
pub(crate) fn number(g: &SiteGraph, id: PageId) -> String {
    let mut places = Vec::new();
    let mut at = g.page(id);
    while let Some(parent) = at.parent {
        places.push(at.place);
        at = g.page(parent);
    }
    let mut out = String::new();
    for (i, place) in places.iter().rev().enumerate() {
        if i > 0 {
            out.push('.');
        }
        out.push_str(&place.to_string());
    }
    out
}

/// Sections shown in full up to this many; beyond it, a window of [`SECTION_WINDOW`].
pub(crate) const SECTIONS_SHOWN: usize = 15;
/// How many top-level sections the sections list shows around the current one on a large site.
pub(crate) const SECTION_WINDOW: usize = 11;

/// The range of `total` top-level sections that the sections list shows around `at`.
pub(super) fn section_window(total: usize, at: Option<usize>) -> std::ops::Range<usize> {
    if total <= SECTIONS_SHOWN {
        return 0..total;
    }
    let at = at.unwrap_or(0);
    let start = at.saturating_sub(SECTION_WINDOW / 2).min(total - SECTION_WINDOW);
    start..start + SECTION_WINDOW
}
