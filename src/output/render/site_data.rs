//! The site's data in a page: a glossary mention's link and card, the pages that mention an
//! entry or link to an event.

use super::*;
use crate::base::markup::Block;
use crate::data::claims::name_of;
use crate::page::markdown::{ClaimId, ClaimRefId, LdId};

/// The cards a popover shows: each glossary entry's (by key) and each claim's (by id).
pub(crate) struct Cards<'a> {
    terms: HashMap<&'a str, String>,
    claims: HashMap<&'a str, String>,
}

impl<'a> Renderer<'a> {
    /// A mention's link to its glossary entry (a plain span where no page lists the glossary,
    /// which [`Self::checks`] reports).
    pub(super) fn term_open(&self, id: PageId, term: TermId) -> String {
        let Some(key) = self.graph.terms_of(id).get(term.index()) else {
            return String::new();
        };
        let href = self
            .graph
            .glossary_entry(key)
            .map(|(page, anchor)| self.graph.anchor_href(id, page, anchor));
        let values = [href.as_deref().unwrap_or_default(), key.as_str()];
        self.theme
            .blocks
            .render(Block::TermOpen, usize::from(href.is_some()), &values)
    }

    /// The end of a mention's link, and the card a popover shows: the entry's name and its
    /// description as text (its citations are on the glossary's page).
    pub(super) fn term_close(&self, id: PageId, term: TermId) -> String {
        let key = self.graph.terms_of(id).get(term.index());
        let card = key.and_then(|k| self.cards().terms.get(k.as_str()));
        let linked = key.and_then(|k| self.graph.glossary_entry(k)).is_some();
        let values = [card.map_or("", String::as_str)];
        self.theme
            .blocks
            .render(Block::TermClose, usize::from(linked), &values)
    }

    /// Each glossary entry's and claim's card, made once.
    pub(super) fn cards(&self) -> &Cards<'a> {
        self.cards.get_or_init(|| {
            let blocks = &self.theme.blocks;
            let glossary = &self.data.glossary;
            let terms = glossary
                .entries
                .iter()
                .map(|e| {
                    let description = crate::page::markdown::plain_text(&e.description);
                    let values = [e.name.as_str(), &description];
                    (e.key.as_str(), blocks.render(Block::TermCard, 0, &values))
                })
                .collect();
            let claims = self
                .data
                .claims
                .claims
                .iter()
                .map(|c| {
                    let against = c.against.as_deref().map_or("", |a| name_of(a, glossary));
                    let date = c
                        .date
                        .map_or_else(String::new, |d| d.written(&self.data.dates, blocks.word("circa")));
                    let text = crate::page::markdown::plain_text(&c.text);
                    let by = name_of(&c.by, glossary);
                    let values = [by, &date, blocks.word("claim_about"), against, &text];
                    let flags = usize::from(c.quote)
                        | usize::from(!against.is_empty()) << 1
                        | usize::from(c.date.is_some()) << 2;
                    (c.id.as_str(), blocks.render(Block::ClaimCard, flags, &values))
                })
                .collect();
            Cards { terms, claims }
        })
    }

    /// A link to a claim: to where a block shows it (a plain span where none does, which
    /// [`Self::checks`] reports).
    pub(super) fn claim_open(&self, id: PageId, claim: ClaimRefId) -> String {
        let Some(c) = self.graph.claim_refs_of(id).get(claim.index()) else {
            return String::new();
        };
        let href = self
            .graph
            .claim_shown(&c.id)
            .map(|(page, anchor)| self.graph.anchor_href(id, page, anchor));
        let values = [href.as_deref().unwrap_or_default(), c.id.as_str()];
        self.theme
            .blocks
            .render(Block::ClaimOpen, usize::from(href.is_some()), &values)
    }

    /// The end of a link to a claim, and the card its popover shows.
    pub(super) fn claim_close(&self, id: PageId, claim: ClaimRefId) -> String {
        let key = self
            .graph
            .claim_refs_of(id)
            .get(claim.index())
            .map(|c| c.id.as_str());
        let card = key.and_then(|k| self.cards().claims.get(k));
        let linked = key.and_then(|k| self.graph.claim_shown(k)).is_some();
        let values = [card.map_or("", String::as_str)];
        self.theme
            .blocks
            .render(Block::ClaimClose, usize::from(linked), &values)
    }

    /// JSON-LD whose items name the sources they cite (`appearance`, by key): each as a
    /// `CreativeWork` at the source's URL, and the field left out where none has one.
    pub(super) fn cited_ld(&self, id: PageId, ld: LdId) -> String {
        let Some(serde_json::Value::Array(graph)) = self.graph.page(id).parsed.md.ld.get(ld.index()) else {
            return String::new();
        };
        let mut graph = graph.clone();
        for item in graph.iter_mut().filter_map(serde_json::Value::as_object_mut) {
            let Some(serde_json::Value::Array(keys)) = item.remove("appearance") else {
                continue;
            };
            let works: Vec<serde_json::Value> = keys
                .iter()
                .filter_map(|k| self.bib.get(k.as_str()?)?.url.as_deref())
                .map(|url| serde_json::json!({ "@type": "CreativeWork", "url": url }))
                .collect();
            if !works.is_empty() {
                item.insert("appearance".into(), serde_json::Value::Array(works));
            }
        }
        let text = crate::page::markdown::json_ld(&graph);
        self.theme.blocks.render(Block::JsonLd, 0, &[&text])
    }

    /// Each link to a claim that no page shows (it would lead nowhere), once per page at its
    /// first link.
    pub(super) fn unshown_claims(&self) -> Vec<Diagnostic> {
        self.graph
            .ids()
            .flat_map(|id| self.graph.claim_refs_of(id))
            .filter(|c| self.graph.claim_shown(&c.id).is_none())
            .map(|c| {
                let problem = format!("`claim:{}` links to a claim that no page shows", c.id);
                let hint =
                    "show it with a `{{ claims() }}` block on a page, or link to a page instead".into();
                Diagnostic::at(Kind::BadClaim { problem, hint }, c.file, c.span.clone())
            })
            .collect()
    }

    /// The pages that link to a claim shown on page `id`, as a line under it.
    pub(super) fn claim_linked(&self, id: PageId, claim: ClaimId) -> String {
        let shown = self.graph.claims_of(id).get(claim.index());
        let pages = shown.map_or(&[][..], |s| self.graph.linking_claim(&s.key));
        self.others_list("claim-mentions", id, pages)
    }

    /// The pages that mention a glossary entry listed on page `id`, as a line under it.
    pub(super) fn mentioned_on(&self, id: PageId, listed: ListedId) -> String {
        let shown = self.graph.listed_of(id).get(listed.index());
        let pages = shown.map_or(&[][..], |s| self.graph.mentioning(&s.key));
        self.others_list("term-mentions", id, pages)
    }

    /// "Mentioned on …" of `pages` but page `id` itself.
    fn others_list(&self, class: &str, id: PageId, pages: &[PageId]) -> String {
        let others: Vec<PageId> = pages.iter().copied().filter(|&p| p != id).collect();
        self.page_list(class, "mentioned_on", id, &others)
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
