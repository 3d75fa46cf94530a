//! What the site becomes: rendered pages and feeds, the theme, static assets, and the one gate
//! through which the output folder is written.

pub mod assets;
pub(crate) mod feeds;
pub(crate) mod folder;
pub(crate) mod render;
pub(crate) mod search;
pub mod theme;
pub(crate) mod write;
