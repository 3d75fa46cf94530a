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
}
