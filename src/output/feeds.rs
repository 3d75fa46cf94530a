//! The machine-read files of a site: sitemap.xml, robots.txt and the Atom feed, rendered
//! through the theme's templates of the same names (a site can override each) from the views
//! made here. All URLs are absolute, from base_url; no build time is written, so output is
//! reproducible.

use serde::Serialize;

use crate::base::markup::Blocks;
use crate::graph::resolve::{PageId, SiteGraph};
use crate::project::config::Config;

pub(crate) const FEED_PATH: &str = "atom.xml";

/// The machine-read files, each rendered by the template of its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Listing {
    /// `sitemap.xml`: the addresses, or the index of the sitemap's parts when they are more
    /// than `sitemap_limit` (`sitemap_index.xml` renders it then).
    Sitemap,
    /// `sitemapN.xml`: the Nth `sitemap_limit` addresses (from 1), when there is an index.
    SitemapPart(usize),
    Feed,
    Robots,
}

impl Listing {
    /// Its output path.
    pub(crate) fn path(self) -> String {
        match self {
            Listing::SitemapPart(n) => format!("sitemap{n}.xml"),
            _ => self.template().to_string(),
        }
    }

    /// The template that renders it (the sitemap's index has its own, `sitemap_index.xml`).
    pub(crate) fn template(self) -> &'static str {
        match self {
            Listing::Sitemap | Listing::SitemapPart(_) => "sitemap.xml",
            Listing::Feed => FEED_PATH,
            Listing::Robots => "robots.txt",
        }
    }

    /// What it is, for a clash's message.
    pub(crate) fn what(self) -> &'static str {
        match self {
            Listing::Sitemap => "the sitemap",
            Listing::SitemapPart(_) => "a part of the sitemap",
            Listing::Feed => "the Atom feed",
            Listing::Robots => "robots.txt",
        }
    }
}

/// One address of the sitemap.
#[derive(Serialize)]
pub(crate) struct SitemapUrl {
    loc: String,
    lastmod: Option<String>,
    /// Its folder under the edition's root.
    #[serde(skip)]
    pub path: String,
    /// Its page's path under content/ (None for a generated page).
    #[serde(skip)]
    pub rel: Option<String>,
    /// The same page in each edition (`hreflang`, address), itself included, when the site
    /// has several.
    pub alternates: Vec<(String, String)>,
}

/// How many parts the sitemap has (1 when `sitemap.xml` lists the addresses itself).
pub(crate) fn sitemap_parts(graph: &SiteGraph, config: &Config, extra_paths: &[&str]) -> usize {
    (graph.order.len() + extra_paths.len())
        .div_ceil(config.sitemap_limit.get())
        .max(1)
}

/// The addresses of the sitemap's part `part` (from 0; all of them for one part): every page in
/// reading order, then the generated pages, `sitemap_limit` a part.
pub(crate) fn sitemap(
    graph: &SiteGraph,
    config: &Config,
    extra_paths: &[&str],
    part: usize,
) -> Vec<SitemapUrl> {
    let limit = config.sitemap_limit.get();
    let base = config.base_url.with_slash();
    // The part's slice of pages, then of generated pages, chosen before any address is made.
    let (start, end) = (part * limit, (part + 1) * limit);
    let (n, m) = (graph.order.len(), extra_paths.len());
    let pages = graph.order[start.min(n)..end.min(n)].iter().map(|&id| {
        let p = graph.page(id);
        SitemapUrl {
            loc: format!("{base}{}", p.path),
            path: p.path.to_string(),
            rel: Some(p.parsed.rel.to_string()),
            alternates: Vec::new(),
            lastmod: p
                .parsed
                .meta
                .updated
                .or(p.parsed.meta.date)
                .and_then(|d| d.date)
                .map(|d| d.to_string()),
        }
    });
    let extra = extra_paths[start.saturating_sub(n).min(m)..end.saturating_sub(n).min(m)]
        .iter()
        .map(|path| SitemapUrl {
            loc: format!("{base}{path}"),
            lastmod: None,
            path: path.to_string(),
            rel: None,
            alternates: Vec::new(),
        });
    pages.chain(extra).collect()
}

/// The sitemap's absolute address for robots.txt, when base_url is a full address.
pub(crate) fn robots_sitemap(config: &Config) -> Option<String> {
    config
        .base_url
        .is_absolute()
        .then(|| format!("{}sitemap.xml", config.base_url.with_slash()))
}

/// The Atom feed, as its template gets it.
#[derive(Debug, Serialize)]
pub(crate) struct Feed {
    language: String,
    title: String,
    base: String,
    path: &'static str,
    updated: String,
    /// The site's authors, or its title when it names none.
    authors: Vec<String>,
    entries: Vec<FeedEntry>,
}

/// One dated page in the feed.
#[derive(Debug, Serialize)]
struct FeedEntry {
    title: String,
    url: String,
    published: String,
    updated: String,
    authors: Vec<String>,
    summary: String,
}

/// An RFC 3339 timestamp for a TOML date or datetime.
fn rfc3339(d: &toml::value::Datetime) -> String {
    match (d.date, d.time) {
        (Some(date), None) => format!("{date}T00:00:00Z"),
        (Some(date), Some(time)) => {
            let offset = d.offset.map_or("Z".to_string(), |o| o.to_string());
            format!(
                "{date}T{:02}:{:02}:{:02}{offset}",
                time.hour, time.minute, time.second
            )
        }
        _ => d.to_string(),
    }
}

/// Dated pages, newest first (then by title).
pub(crate) fn dated(graph: &SiteGraph) -> Vec<PageId> {
    let mut ids: Vec<PageId> = graph
        .order
        .iter()
        .copied()
        .filter(|&id| graph.page(id).parsed.meta.date.is_some())
        .collect();
    ids.sort_by(|a, b| {
        let (pa, pb) = (&graph.page(*a).parsed.meta, &graph.page(*b).parsed.meta);
        let key = |m: &crate::page::frontmatter::FrontMatter| m.updated.or(m.date).map(|d| d.to_string());
        key(pb).cmp(&key(pa)).then_with(|| pa.title().cmp(pb.title()))
    });
    ids
}

/// The Atom feed of dated pages and of their updates (each an entry of its own, labelled by
/// its kind in `words`), newest first; None when no page has a date or base_url is not
/// absolute.
pub(crate) fn atom(graph: &SiteGraph, config: &Config, site_title: &str, words: &Blocks) -> Option<Feed> {
    if !config.base_url.is_absolute() {
        return None; // entry ids and links must be absolute
    }
    let ids = dated(graph);
    let first = ids.first()?;
    let base = config.base_url.with_slash();
    let updated = {
        let m = &graph.page(*first).parsed.meta;
        rfc3339(&m.updated.or(m.date)?)
    };
    let mut entries: Vec<FeedEntry> = ids
        .iter()
        .filter_map(|&id| {
            let p = graph.page(id);
            let m = &p.parsed.meta;
            let (date, updated) = (m.date?, m.updated.or(m.date)?);
            Some(FeedEntry {
                title: m.title().to_string(),
                url: format!("{base}{}", p.path),
                published: rfc3339(&date),
                updated: rfc3339(&updated),
                authors: m.authors.clone(),
                summary: m.description.clone(),
            })
        })
        .collect();
    for &id in &ids {
        let p = graph.page(id);
        let m = &p.parsed.meta;
        entries.extend(m.updates.iter().filter_map(|u| {
            let date = rfc3339(&u.date?);
            Some(FeedEntry {
                title: format!("{}: {}", words.word(&u.word_key()), m.title()),
                url: format!("{base}{}#{}", p.path, u.id),
                published: date.clone(),
                updated: date,
                authors: m.authors.clone(),
                summary: crate::page::markdown::plain_text(&u.text),
            })
        }));
    }
    // Newest first; an update is dated as its page's `updated` is, so it sorts beside it.
    entries.sort_by(|a, b| b.updated.cmp(&a.updated));
    entries.truncate(config.feed_limit.get());
    let authors = if config.authors.is_empty() {
        vec![site_title.to_string()]
    } else {
        config.authors.clone()
    };
    Some(Feed {
        language: config.language.clone(),
        title: site_title.to_string(),
        base,
        path: FEED_PATH,
        updated,
        authors,
        entries,
    })
}
