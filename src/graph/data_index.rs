//! Where each item of a data file is shown and which pages mention it, gathered once for the
//! whole site: a large site has many mentions, each asking where its item is.

use std::collections::HashMap;

use super::resolve::{Page, PageId};
use crate::page::markdown::{ParsedMarkdown, Shown};

#[derive(Debug, Default)]
pub(super) struct DataIndex {
    /// Each item's first showing in reading order: the page and its anchor there.
    shown: HashMap<String, (PageId, String)>,
    /// The pages that mention each item, in reading order, once each.
    mentions: HashMap<String, Vec<PageId>>,
}

impl DataIndex {
    /// The index of what `of` gives for each page: the items it shows (glossary entries a
    /// block lists, claims a block shows) and the keys it mentions (words the glossary
    /// explains, claims it links to).
    pub(super) fn of<'p, M>(
        pages: &'p [Page],
        order: &[PageId],
        of: impl Fn(&'p ParsedMarkdown) -> (&'p [Shown], M),
    ) -> DataIndex
    where
        M: Iterator<Item = &'p String>,
    {
        let mut index = DataIndex::default();
        for &id in order {
            let (shown, mentioned) = of(&pages[id.0].parsed.md);
            for s in shown {
                index
                    .shown
                    .entry(s.key.clone())
                    .or_insert_with(|| (id, s.anchor.clone()));
            }
            for key in mentioned {
                let pages = index.mentions.entry(key.clone()).or_default();
                // A page that mentions an item twice (a forced link and its name) counts once.
                if pages.last() != Some(&id) {
                    pages.push(id);
                }
            }
        }
        index
    }

    /// Where `key` is first shown, and its anchor there.
    pub(super) fn first(&self, key: &str) -> Option<(PageId, &str)> {
        self.shown.get(key).map(|(id, anchor)| (*id, anchor.as_str()))
    }

    /// The pages that mention `key`, in reading order.
    pub(super) fn mentioning(&self, key: &str) -> &[PageId] {
        self.mentions.get(key).map_or(&[], Vec::as_slice)
    }
}
