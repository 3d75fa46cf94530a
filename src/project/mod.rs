//! What is on disk and what kagu.toml says: the project's settings and the files it holds.

pub mod config;
pub mod edition;
pub(crate) mod load;
pub mod options;
