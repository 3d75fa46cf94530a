//! Planning a run: which files an edit makes, of the site a graph describes.

use super::*;
use crate::graph::affected::{affected, is_page_template};

/// The files to make, and (when the edit may change which files the site has) every file the
/// site has now.
pub(super) struct Plan {
    pub(super) files: OutputSet,
    pub(super) now: Option<HashSet<String>>,
}

impl Site {
    /// The files an edit changes, of the site `graph` describes.
    pub(super) fn plan(&self, edit: &Edit, graph: &SiteGraph, renderer: &Renderer<'_>) -> Plan {
        let everything = edit.everything()
            || self.graph.is_none()
            || edit.templates.iter().any(|t| !is_page_template(t, graph));
        let (pages, sources_page) = match (&self.graph, everything) {
            (Some(old), false) => {
                affected(old, graph, &edit.pages, &edit.templates, edit.has(Input::Sources))
            }
            _ => (graph.ids().collect(), true),
        };
        // Every page's footer links the page of updates while a page has some.
        let updated = |g: &SiteGraph| g.pages.iter().any(|p| !p.parsed.meta.updates.is_empty());
        let everything = everything
            || pages.len() == graph.pages.len()
            || self
                .graph
                .as_ref()
                .is_some_and(|old| updated(old) != updated(graph));
        // An edited page's front matter (title, date, description, aliases) shows in the feed,
        // the sitemap and the redirects too, and a static file or the sources page may have gone:
        // then every file the site has now is listed (for what to remove), and of those the edit
        // touches the affected pages, the sources page if it changed, the static files if they
        // did, and the redirects and generated files (feed, sitemap, robots.txt, 404 page), which
        // cost little. Otherwise (links, headings, page templates) the site's files are the same.
        fn meta<'g>(g: &'g SiteGraph, rel: &str) -> Option<&'g crate::page::frontmatter::FrontMatter> {
            g.find(rel).map(|id| &g.page(id).parsed.meta)
        }
        type Shown = crate::page::markdown::Shown;
        fn terms<'g>(g: &'g SiteGraph, rel: &str) -> Option<(&'g [String], &'g [Shown], &'g [Shown])> {
            g.find(rel)
                .map(|id| (g.terms_of(id), g.claims_of(id), g.events_of(id)))
        }
        // Front matter shows in the feed, the sitemap and redirects; mentions in glossary.json,
        // where claims and events are shown in claims.json and timeline.json; citations in the
        // sources' lists.
        // The sources a page cites: a source's own list of citing pages comes and goes with them.
        fn cited<'g>(g: &'g SiteGraph, rel: &str) -> Option<BTreeSet<&'g str>> {
            g.find(rel).map(|id| g.cites_of(id).map(|c| c.key).collect())
        }
        let listings_changed = self.graph.as_ref().is_none_or(|old| {
            edit.pages.iter().any(|rel| {
                meta(old, rel) != meta(graph, rel)
                    || terms(old, rel) != terms(graph, rel)
                    || cited(old, rel) != cited(graph, rel)
            })
        });
        let whole = everything || !edit.inputs.is_empty() || listings_changed;
        let mut files = if whole {
            renderer.plan()
        } else {
            OutputSet::default()
        };
        let now: Option<HashSet<String>> = whole.then(|| files.files.keys().cloned().collect());
        if !everything && whole {
            let statics_named: HashSet<&str> = self
                .assets
                .files
                .keys()
                .map(String::as_str)
                .chain(self.assets.copies.iter().map(|f| f.rel.as_str()))
                .collect();
            files.files.retain(|path, output| match output {
                Output::Page(id) => pages.contains(id),
                Output::Sources(_) => sources_page,
                Output::Bytes(_) | Output::Copy(_) if statics_named.contains(path.as_str()) => {
                    edit.has(Input::Statics) && (edit.reload == Reload::Page || path.ends_with(".css"))
                }
                Output::Bytes(_)
                | Output::Copy(_)
                | Output::Alias(..)
                | Output::Updates
                | Output::NotFound
                | Output::Listing(_) => true,
            });
        } else if !whole {
            for &id in &pages {
                files
                    .files
                    .insert(format!("{}index.html", graph.page(id).path), Output::Page(id));
            }
            if sources_page {
                files.files.extend(renderer.source_outputs(&|_| true));
            }
        }
        files.first = edit.pages.iter().filter_map(|rel| graph.find(rel)).collect();
        Plan { files, now }
    }
}
