//! The site's page of updates and corrections (`updates/`): every page's `[[updates]]` (see
//! [`crate::page::updates`]), newest first, each with its kind, date and page, linked to where
//! the page shows it.

use serde::Serialize;

use super::*;
use crate::page::updates::Update;

/// Where the page of updates is written, from the edition's root.
pub(crate) const UPDATES_PATH: &str = "updates/";

/// One update as the page of updates lists it.
#[derive(Serialize)]
struct UpdateView<'a> {
    /// `correction`, `update` or `clarification`.
    kind: &'a str,
    /// The kind in the site's language ("Correction").
    label: String,
    date: String,
    datetime: String,
    /// The updated page's title.
    page: &'a str,
    /// The update on its page, from the site's root (`prices/#update-2024-05-20`).
    href: String,
    /// Its text without markup (its notes and links are the page's).
    text: String,
}

impl<'a> Renderer<'a> {
    /// Does any page have updates?
    pub(crate) fn has_updates(&self) -> bool {
        self.graph.pages.iter().any(|p| !p.parsed.meta.updates.is_empty())
    }

    /// Every update of the site with its page, newest first (one day's in reading order).
    pub(crate) fn all_updates(&self) -> Vec<(PageId, &'a Update)> {
        let graph: &'a SiteGraph = self.graph;
        let mut all: Vec<(PageId, &'a Update)> = graph
            .order
            .iter()
            .flat_map(|&id| graph.page(id).parsed.meta.updates.iter().map(move |u| (id, u)))
            .collect();
        all.sort_by_key(|(_, u)| std::cmp::Reverse(u.day()));
        all
    }

    /// The page of updates.
    pub(super) fn render_updates(&self) -> Result<Vec<u8>, Diagnostic> {
        let words = &self.theme.blocks;
        let updates: Vec<UpdateView<'_>> = self
            .all_updates()
            .into_iter()
            .map(|(id, u)| {
                let page = self.graph.page(id);
                UpdateView {
                    kind: &u.kind,
                    label: words.word(&u.word_key()).to_string(),
                    date: u
                        .date
                        .as_ref()
                        .map(|d| format_date(d, &self.bib.dates))
                        .unwrap_or_default(),
                    datetime: u.iso(),
                    page: page.parsed.meta.title(),
                    href: format!("{}{}#{}", page.path, self.graph.index_file, u.id),
                    text: crate::page::markdown::plain_text(&u.text),
                }
            })
            .collect();
        let (mut ctx, chrome) =
            self.base_context(root_prefix(UPDATES_PATH), UPDATES_PATH, (UPDATES_PATH, true))?;
        let size = chrome + updates.iter().map(|u| u.text.len() + 256).sum::<usize>();
        ctx.insert("updates", &updates);
        ctx.insert(
            "seo",
            &self.seo(
                words.word("updates_label"),
                "",
                Some(UPDATES_PATH),
                "website",
                None,
            ),
        );
        self.render("updates.html", &ctx, size)
    }
}
