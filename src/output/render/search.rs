//! What the readers' search reads of each rendered page: its text, not its chrome.

use super::*;
use crate::output::search::SearchDoc;

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
}
