//! The site's data in a page: a glossary mention's link and card, the pages that mention an
//! entry or link to an event.

use super::*;
use crate::base::markup::Block;

impl<'a> Renderer<'a> {
    /// A mention's link to its glossary entry (a plain span where no page lists the glossary,
    /// which [`Self::checks`] reports).
    pub(super) fn term_open(&self, id: PageId, term: TermId) -> String {
        let Some(key) = self.graph.terms_of(id).get(term.index()) else {
            return String::new();
        };
        let href = self.graph.glossary_entry(key).map(|(page, anchor)| {
            self.graph
                .href(self.graph.url_of(id), self.graph.url_of(page), Some(anchor))
        });
        let values = [href.as_deref().unwrap_or_default(), key.as_str()];
        self.theme
            .blocks
            .render(Block::TermOpen, usize::from(href.is_some()), &values)
    }

    /// The end of a mention's link, and the card a popover shows: the entry's name and its
    /// description as text (its citations are on the glossary's page).
    pub(super) fn term_close(&self, id: PageId, term: TermId) -> String {
        let key = self.graph.terms_of(id).get(term.index());
        let card = key.and_then(|k| self.cards().get(k.as_str()));
        let linked = key.and_then(|k| self.graph.glossary_entry(k)).is_some();
        let values = [card.map_or("", String::as_str)];
        self.theme
            .blocks
            .render(Block::TermClose, usize::from(linked), &values)
    }

    /// Each glossary entry's card, made once: its name and its description as text.
    pub(super) fn cards(&self) -> &HashMap<&'a str, String> {
        self.cards.get_or_init(|| {
            self.data
                .glossary
                .entries
                .iter()
                .map(|e| {
                    let description = crate::page::markdown::plain_text(&e.description);
                    let values = [e.name.as_str(), &description];
                    (
                        e.key.as_str(),
                        self.theme.blocks.render(Block::TermCard, 0, &values),
                    )
                })
                .collect()
        })
    }

    /// The pages that mention a glossary entry listed on page `id`, as a line under it.
    pub(super) fn mentioned_on(&self, id: PageId, listed: ListedId) -> String {
        let Some(shown) = self.graph.listed_of(id).get(listed.index()) else {
            return String::new();
        };
        let pages: Vec<PageId> = self
            .graph
            .mentioning(&shown.key)
            .iter()
            .copied()
            .filter(|&p| p != id)
            .collect();
        self.page_list("term-mentions", "mentioned_on", id, &pages)
    }

    /// "Mentioned on page, page.": the line of the pages that mention an entry or link to an
    /// event (the catalogue's word `label`), or nothing for no pages; at most [`LISTED_PAGES`]
    /// pages, then how many more (a page's size must not grow with the site).
    pub(super) fn page_list(&self, class: &str, label: &str, here: PageId, pages: &[PageId]) -> String {
        if pages.is_empty() {
            return String::new();
        }
        let blocks = &self.theme.blocks;
        let from = self.graph.url_of(here);
        let links: Vec<String> = pages
            .iter()
            .take(LISTED_PAGES)
            .map(|&f| {
                let href = self.graph.href(from, self.graph.url_of(f), None);
                blocks.render(Block::MentionLink, 0, &[&href, self.graph.meta(f).title()])
            })
            .collect();
        let links = links.join(blocks.word("list_separator"));
        let more = pages.len().saturating_sub(LISTED_PAGES);
        let values = [class, blocks.word(label), &links, &more.to_string()];
        blocks.render(Block::Mentions, usize::from(more > 0), &values)
    }

    /// The pages that link to a timeline event shown on page `id`, as a line under it.
    pub(super) fn mentions(&self, id: PageId, event: EventId) -> String {
        let Some(shown) = self.graph.events_of(id).get(event.index()) else {
            return String::new();
        };
        let from = self.graph.linking_to(id, &shown.anchor);
        self.page_list("event-mentions", "mentioned_in", id, &from)
    }
}
