//! The site's data, read before any page: sources and citations (with the scans that guard the
//! parsers of `.bib` and `.csl` files), the timeline and the glossary.

pub(crate) mod bibscan;
pub mod cite;
pub mod cite_syntax;
pub(crate) mod cslscan;
pub(crate) mod glossary;
#[cfg(test)]
mod scan_props;
pub(crate) mod timeline;
