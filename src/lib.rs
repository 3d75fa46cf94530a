//! kagu: a static explainer-site generator. Its folders are layers, each importing only from
//! itself and the layers below it (`tests/layers.rs` holds it so):
//! [`base`] (files, diagnostics, TOML and text helpers) → [`project`] (kagu.toml and what is on
//! disk) → [`data`] (sources and citations, timeline, glossary) → [`page`] (one page parsed
//! alone) → [`graph`] (the site resolved, what an edit affects) → [`output`] (render, feeds,
//! theme, assets, writing) → [`driver`] (the site, build, serve, the command line).

pub mod base;
pub mod data;
pub mod driver;
pub mod graph;
pub mod output;
pub mod page;
pub mod project;
