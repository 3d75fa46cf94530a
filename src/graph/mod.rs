//! The site resolved from its pages: output paths, sections, reading order, links and
//! backlinks, and which outputs an edit affects.

pub mod affected;
mod data_index;
pub(crate) mod resolve;

use std::collections::HashMap;

/// The pages of the default edition that an edition links to without having them (they are not
/// translated): a link to one leads to the default edition's page, marked with its language.
#[derive(Debug, Clone, Default)]
pub struct Elsewhere {
    /// Each such page's folder, from the edition's root (`../prices/`), by its path under
    /// content/.
    pub pages: HashMap<String, String>,
    /// The default edition's language.
    pub language: String,
}

/// How links are written: what ends a link to a page's folder (`index.html`, or nothing), and
/// where the pages of the default edition that this one lacks are.
#[derive(Debug, Clone, Copy)]
pub struct Addressing<'a> {
    /// [`resolve::SiteGraph`]'s `index_file`.
    pub index_file: &'static str,
    /// See [`Elsewhere`] (None for the default edition).
    pub elsewhere: Option<&'a Elsewhere>,
}
