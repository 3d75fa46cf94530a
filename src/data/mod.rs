//! The site's data, read before any page: sources and citations (with the scans that guard the
//! parsers of `.bib` and `.csl` files), the timeline and the glossary.

pub(crate) mod bibscan;
pub mod cite;
pub mod cite_syntax;
pub(crate) mod claims;
pub(crate) mod cslscan;
pub(crate) mod glossary;
#[cfg(test)]
mod scan_props;
pub(crate) mod timeline;

use std::collections::BTreeMap;

use crate::base::diag::{Diagnostics, FileId, Files};

/// The site's data files: each is read before the pages, shown by a block of its name
/// (`{{ timeline() }}`), published as JSON, and re-read when it is edited. The driver, the
/// watcher and the dev server go through [`DataKind::ALL`]; a new data file is a variant here
/// (with its field of [`SiteData`]), its module, its block in the page's pass
/// (`page::markdown::blocks`) and its JSON (`output::render::outputs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DataKind {
    /// content/timeline.toml: dated events.
    Timeline,
    /// content/glossary.toml: people, organisations, places and terms.
    Glossary,
    /// content/claims.toml: who claims what, and who answers (after the glossary, whose keys
    /// it names).
    Claims,
}

/// What a page's parse reads of the site's data files.
#[derive(Debug, Default)]
pub(crate) struct SiteData {
    pub timeline: timeline::Timeline,
    pub glossary: glossary::Glossary,
    pub claims: claims::Claims,
    /// How the site's language writes a date: the timeline's dates, as the pages' are written.
    pub dates: cite::DateFormat,
}

/// What an edit of a data file changed, for choosing the pages to parse again: a page is
/// affected when `every_page`, when it shows the file's block and `every_block`, or when it
/// shows or mentions one of `items` (event ids, entry keys).
#[derive(Debug, Default)]
pub(crate) struct DataEdit {
    pub every_page: bool,
    pub every_block: bool,
    pub items: Vec<String>,
}

impl DataKind {
    /// Every data file, in the order they are read.
    pub const ALL: [DataKind; 3] = [DataKind::Timeline, DataKind::Glossary, DataKind::Claims];

    /// Its path in the project.
    pub fn path(self) -> &'static str {
        match self {
            DataKind::Timeline => "content/timeline.toml",
            DataKind::Glossary => "content/glossary.toml",
            DataKind::Claims => "content/claims.toml",
        }
    }

    /// The name of the block that shows it: `{{ name() }}` on a line of its own.
    pub fn block(self) -> &'static str {
        match self {
            DataKind::Timeline => "timeline",
            DataKind::Glossary => "glossary",
            DataKind::Claims => "claims",
        }
    }

    /// The JSON file it is published as, and what that file is (for a clash's message).
    pub fn json(self) -> (&'static str, &'static str) {
        match self {
            DataKind::Timeline => ("timeline.json", "the timeline's data"),
            DataKind::Glossary => ("glossary.json", "the glossary's data"),
            DataKind::Claims => ("claims.json", "the claims' data"),
        }
    }

    /// The paths of every data file.
    pub fn paths() -> Vec<&'static str> {
        Self::ALL.iter().map(|k| k.path()).collect()
    }

    /// The data file at `path` (relative to the project).
    pub fn at(path: &str) -> Option<DataKind> {
        Self::ALL.into_iter().find(|k| k.path() == path)
    }

    /// Reads its file (`file`, None when the site has none) into `data`, its problems into
    /// `diags`.
    pub(crate) fn load(
        self,
        data: &mut SiteData,
        files: &Files,
        file: Option<FileId>,
        diags: &mut Diagnostics,
    ) {
        match self {
            DataKind::Timeline => data.timeline = timeline::load(files, file, diags),
            DataKind::Glossary => data.glossary = glossary::load(files, file, diags),
            DataKind::Claims => data.claims = claims::load(files, file, &data.glossary, diags),
        }
    }

    /// Does it publish anything (a JSON file) for `data`?
    pub(crate) fn has_items(self, data: &SiteData) -> bool {
        match self {
            DataKind::Timeline => !data.timeline.events.is_empty(),
            DataKind::Glossary => !data.glossary.entries.is_empty(),
            DataKind::Claims => !data.claims.claims.is_empty(),
        }
    }

    /// What changed from `before` to `after`: for the timeline, the events whose text changed,
    /// and every block when events came, went, or changed date or tags; for the glossary, the
    /// entries that changed and every block, and every page when names, aliases or entries
    /// changed (mentions are found by name).
    pub(crate) fn edit(self, before: &SiteData, after: &SiteData) -> DataEdit {
        match self {
            DataKind::Timeline => {
                let (old, new) = (&before.timeline.events, &after.timeline.events);
                let key = |e: &timeline::Event| (e.id.clone(), e.date, e.tags.clone());
                DataEdit {
                    every_page: false,
                    every_block: new.iter().map(key).ne(old.iter().map(key)),
                    items: new
                        .iter()
                        .filter(|e| !old.contains(e))
                        .map(|e| e.id.clone())
                        .collect(),
                }
            }
            DataKind::Glossary => {
                let (old, new) = (&before.glossary.entries, &after.glossary.entries);
                let names = |e: &glossary::Entry| (e.key.clone(), e.name.clone(), e.aliases.clone());
                DataEdit {
                    every_page: new.iter().map(names).ne(old.iter().map(names)),
                    every_block: true,
                    items: new
                        .iter()
                        .filter(|e| !old.contains(e))
                        .map(|e| e.key.clone())
                        .collect(),
                }
            }
            // Claims are shown by their blocks, which show every claim's responses; a page that
            // links to a claim shows its card.
            DataKind::Claims => {
                let (old, new) = (&before.claims.claims, &after.claims.claims);
                let changed = |a: &[claims::Statement], b: &[claims::Statement]| {
                    a.iter()
                        .filter(|c| !b.contains(c))
                        .map(|c| c.id.clone())
                        .collect::<Vec<_>>()
                };
                DataEdit {
                    every_page: false,
                    every_block: old != new || before.claims.responses != after.claims.responses,
                    items: [changed(new, old), changed(old, new)].concat(),
                }
            }
        }
    }

    /// Takes its part of `data` out, leaving the empty one (to compare after a reload).
    pub(crate) fn take(self, data: &mut SiteData) -> SiteData {
        let mut taken = SiteData::default();
        match self {
            DataKind::Timeline => std::mem::swap(&mut taken.timeline, &mut data.timeline),
            DataKind::Glossary => std::mem::swap(&mut taken.glossary, &mut data.glossary),
            DataKind::Claims => std::mem::swap(&mut taken.claims, &mut data.claims),
        }
        taken
    }
}

/// Each data file's problems, by kind, kept between reloads of the others.
pub(crate) type DataDiagnostics = BTreeMap<DataKind, Vec<crate::base::diag::Diagnostic>>;
