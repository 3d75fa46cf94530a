//! The machine-read files of a site: sitemap.xml, robots.txt and the Atom feed. All URLs are
//! absolute, from base_url; no build time is written, so output is reproducible.

use crate::graph::resolve::{PageId, SiteGraph};
use crate::project::config::Config;

pub(crate) const FEED_PATH: &str = "atom.xml";

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
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

pub(crate) fn sitemap(graph: &SiteGraph, config: &Config, extra_paths: &[&str]) -> String {
    let base = config.base_url.with_slash();
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for &id in &graph.order {
        let p = graph.page(id);
        s.push_str(&format!(
            "  <url><loc>{}</loc>",
            xml_escape(&format!("{base}{}", p.path))
        ));
        if let Some(d) = p.parsed.meta.updated.or(p.parsed.meta.date).and_then(|d| d.date) {
            s.push_str(&format!("<lastmod>{d}</lastmod>"));
        }
        s.push_str("</url>\n");
    }
    for path in extra_paths {
        s.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            xml_escape(&format!("{base}{path}"))
        ));
    }
    s.push_str("</urlset>\n");
    s
}

/// robots.txt: everything allowed, and the sitemap's absolute address when there is one.
pub(crate) fn robots(config: &Config) -> String {
    if config.base_url.is_absolute() {
        format!(
            "User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n",
            config.base_url.with_slash()
        )
    } else {
        "User-agent: *\nAllow: /\n".into()
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

/// The Atom feed of dated pages, or None when no page has a date or base_url is not absolute.
pub(crate) fn atom(graph: &SiteGraph, config: &Config, site_title: &str) -> Option<String> {
    if !config.base_url.is_absolute() {
        return None; // entry ids and links must be absolute
    }
    let ids = dated(graph);
    let first = ids.first()?;
    let base = config.base_url.with_slash();
    let newest = {
        let m = &graph.page(*first).parsed.meta;
        rfc3339(&m.updated.or(m.date)?)
    };
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <link href=\"{base}\"/>\n  <link rel=\"self\" href=\"{base}{FEED_PATH}\"/>\n  <id>{base}</id>\n  <updated>{newest}</updated>\n",
        xml_escape(&config.language),
        xml_escape(site_title),
    );
    for author in &config.authors {
        s.push_str(&format!(
            "  <author><name>{}</name></author>\n",
            xml_escape(author)
        ));
    }
    if config.authors.is_empty() {
        s.push_str(&format!(
            "  <author><name>{}</name></author>\n",
            xml_escape(site_title)
        ));
    }
    for id in ids {
        let p = graph.page(id);
        let m = &p.parsed.meta;
        let url = xml_escape(&format!("{base}{}", p.path));
        let (Some(date), Some(updated)) = (m.date, m.updated.or(m.date)) else {
            continue;
        };
        s.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <link href=\"{url}\"/>\n    <id>{url}</id>\n    <published>{}</published>\n    <updated>{}</updated>\n",
            xml_escape(m.title()),
            rfc3339(&date),
            rfc3339(&updated)
        ));
        for author in &m.authors {
            s.push_str(&format!(
                "    <author><name>{}</name></author>\n",
                xml_escape(author)
            ));
        }
        if !m.description.is_empty() {
            s.push_str(&format!(
                "    <summary>{}</summary>\n",
                xml_escape(&m.description)
            ));
        }
        s.push_str("  </entry>\n");
    }
    s.push_str("</feed>\n");
    Some(s)
}
