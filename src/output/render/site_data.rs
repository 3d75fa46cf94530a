//! The site's data in a page: a glossary mention's link and card, the pages that mention an
//! entry or link to an event.

use super::*;

impl<'a> Renderer<'a> {
    /// A mention's link to its glossary entry (a plain span where no page lists the glossary,
    /// which [`Self::checks`] reports).
    pub(super) fn term_open(&self, id: PageId, term: TermId) -> String {
        let Some(key) = self.graph.terms_of(id).get(term.index()) else {
            return String::new();
        };
        match self.graph.glossary_entry(key) {
            Some((page, anchor)) => format!(
                "<a class=\"term\" href=\"{}\" data-term=\"{}\">",
                html_attr_escape(&rel_href(
                    self.graph.url_of(id),
                    self.graph.url_of(page),
                    Some(anchor)
                )),
                html_attr_escape(key)
            ),
            None => "<span class=\"term\">".into(),
        }
    }

    /// The end of a mention's link, and the card a popover shows: the entry's name and its
    /// description as text (its citations are on the glossary's page).
    pub(super) fn term_close(&self, id: PageId, term: TermId) -> String {
        let key = self.graph.terms_of(id).get(term.index());
        let card = key.and_then(|k| self.cards().get(k.as_str()));
        match (card, key.and_then(|k| self.graph.glossary_entry(k))) {
            (Some(card), Some(_)) => format!("</a>{card}"),
            (_, Some(_)) => "</a>".into(),
            _ => "</span>".into(),
        }
    }

    /// Each glossary entry's card, made once: its name and its description as text.
    pub(super) fn cards(&self) -> &HashMap<&'a str, String> {
        self.cards.get_or_init(|| {
            self.data
                .glossary
                .entries
                .iter()
                .map(|e| {
                    (
                        e.key.as_str(),
                        format!(
                            "<span class=\"term-card\" hidden><strong>{}</strong> {}</span>",
                            html_attr_escape(&e.name),
                            html_attr_escape(&crate::page::markdown::plain_text(&e.description))
                        ),
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
        self.page_list("term-mentions", "Mentioned on", id, &pages)
    }

    /// `<p class="…">Label <a>page</a>, <a>page</a>.</p>`, or nothing for no pages; at most
    /// [`LISTED_PAGES`] pages, then how many more (a page's size must not grow with the site).
    pub(super) fn page_list(&self, class: &str, label: &str, here: PageId, pages: &[PageId]) -> String {
        if pages.is_empty() {
            return String::new();
        }
        let from = self.graph.url_of(here);
        let mut links: Vec<String> = pages
            .iter()
            .take(LISTED_PAGES)
            .map(|&f| {
                format!(
                    "<a href=\"{}\">{}</a>",
                    html_attr_escape(&rel_href(from, self.graph.url_of(f), None)),
                    html_attr_escape(self.graph.meta(f).title())
                )
            })
            .collect();
        if pages.len() > LISTED_PAGES {
            links.push(format!("and {} more", pages.len() - LISTED_PAGES));
        }
        format!("<p class=\"{class}\">{label} {}.</p>\n", links.join(", "))
    }

    /// The pages that link to a timeline event shown on page `id`, as a line under it.
    pub(super) fn mentions(&self, id: PageId, event: EventId) -> String {
        let Some(shown) = self.graph.events_of(id).get(event.index()) else {
            return String::new();
        };
        let from = self.graph.linking_to(id, &shown.anchor);
        self.page_list("event-mentions", "Mentioned in", id, &from)
    }
}
