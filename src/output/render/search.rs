//! What the readers' search reads of each rendered page: its text, not its chrome.

use super::outputs::{clash, Owner};
use super::*;
use crate::output::search::{SearchDoc, SEARCH_DIR};

impl Renderer<'_> {
    /// Gathers page `id`'s text for the search index (its `article` as rendered), unless the
    /// site has no search or the page says `search = false`.
    pub(super) fn search_page(&self, id: PageId, article: &str) {
        let page = self.graph.page(id);
        let meta = &page.parsed.meta;
        if !self.options.search || meta.search == Some(false) {
            return;
        }
        let md = &page.parsed.md;
        let kind = if !md.listed.is_empty() {
            "glossary"
        } else if !md.events.is_empty() {
            "timeline"
        } else if !md.claims.is_empty() {
            "claims"
        } else if page.parsed.is_section {
            "section"
        } else {
            "page"
        };
        let title = meta.title.as_deref().unwrap_or_default();
        let doc = SearchDoc::new(&page.path, kind, title, &meta.description, article);
        self.search_docs.push(doc);
    }

    /// Gathers the sources page's text for the search index: each source's entry (in `order`),
    /// not the lists of where it is cited.
    pub(super) fn search_sources(&self, order: &[usize]) {
        if !self.options.search {
            return;
        }
        let mut list = String::from("<ol>");
        for s in order.iter().filter_map(|&i| self.bib.sources.get(i)) {
            let id = format!("source-{}", slug::slugify(&s.key));
            list.push_str(&format!("<li id=\"{id}\">{}</li>", without_links(&s.html)));
        }
        list.push_str("</ol>");
        let title = self.theme.blocks.word("sources_title");
        let doc = SearchDoc::new(SOURCES_PATH, "sources", title, "", &list);
        self.search_docs.push(doc);
    }

    /// Files of the site where the search index goes (a static file under `static/pagefind/`,
    /// a page at `/pagefind/`): each an error, as two files on one path are.
    pub(super) fn search_clashes(&self) -> Vec<Diagnostic> {
        if !self.options.search {
            return Vec::new();
        }
        let index = Owner::Generated("the search index");
        let pages = self.graph.ids().map(|id| self.graph.page(id)).map(|p| {
            let path = format!("{}index.html", p.path);
            (path, Owner::Page(p.parsed.file))
        });
        let files = self
            .claims(false)
            .into_iter()
            .map(|(path, _, owner)| (path, owner));
        let mut out: Vec<Diagnostic> = Vec::new();
        let mut seen = Vec::new();
        for (path, owner) in pages.chain(files).filter(|(p, _)| p.starts_with(SEARCH_DIR)) {
            // One static file is written twice (as it is, and under its hashed name): once.
            let who = owner.describe();
            if !seen.contains(&who) || matches!(owner, Owner::Page(_)) {
                out.push(clash(&path, &owner, &index));
                seen.push(who);
            }
        }
        out
    }
}
