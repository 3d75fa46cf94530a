//! The site resolved from its pages: output paths, sections, reading order, links and
//! backlinks, and which outputs an edit affects.

pub mod affected;
pub(crate) mod resolve;
