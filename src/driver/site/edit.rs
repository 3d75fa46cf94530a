//! What a batch of changes touches, as the driver sorts it before loading and rendering.

use std::collections::BTreeSet;

use crate::data::DataKind;

/// How much of the site an edit renders.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scope {
    /// What the edit's pages, templates and inputs affect.
    #[default]
    Affected,
    /// Everything: the first run, kagu.toml, or a folder under content/.
    Everything,
}

/// A site-wide input an edit changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Input {
    /// A sources file.
    Sources,
    /// A static file.
    Statics,
    /// A data file: its content is in the pages that show or mention it.
    Data(DataKind),
}

/// What a browser showing the site does after an edit.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reload {
    /// Reloads the page.
    #[default]
    Page,
    /// Only stylesheets changed: it swaps them.
    Styles,
}

/// What a batch of changes touches, as [`Site::rebuild`] sorts it.
#[derive(Debug, Default)]
pub(super) struct Edit {
    pub(super) scope: Scope,
    /// Content files edited, added or removed (paths under content/).
    pub(super) pages: BTreeSet<String>,
    pub(super) templates: BTreeSet<String>,
    pub(super) inputs: BTreeSet<Input>,
    pub(super) reload: Reload,
}

impl Edit {
    /// Is everything rendered?
    pub(super) fn everything(&self) -> bool {
        self.scope == Scope::Everything
    }

    /// Did `input` change?
    pub(super) fn has(&self, input: Input) -> bool {
        self.inputs.contains(&input)
    }

    /// The data files that changed.
    pub(super) fn data(&self) -> BTreeSet<DataKind> {
        self.inputs
            .iter()
            .filter_map(|i| match i {
                Input::Data(kind) => Some(*kind),
                _ => None,
            })
            .collect()
    }

    /// This edit and an earlier one that was never rendered, as one.
    pub(super) fn merge(&mut self, earlier: Edit) {
        let nothing = !earlier.everything()
            && earlier.pages.is_empty()
            && earlier.templates.is_empty()
            && earlier.inputs.is_empty();
        if nothing {
            return;
        }
        if earlier.reload == Reload::Page {
            self.reload = Reload::Page;
        }
        if earlier.everything() {
            self.scope = Scope::Everything;
        }
        self.pages.extend(earlier.pages);
        self.templates.extend(earlier.templates);
        self.inputs.extend(earlier.inputs);
    }
}
