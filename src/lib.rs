//! kagu: a static explainer-site generator. The modules follow the build's stages:
//! [`load`] → [`parse`] → [`resolve`] (with [`cite`]) → [`render`] (with [`theme`]) → [`write`],
//! driven by [`build`]; [`diag`] collects and prints every problem.

pub mod assets;
pub(crate) mod bibscan;
pub mod build;
pub mod cite;
pub mod citeproc;
pub mod cli;
pub mod config;
pub(crate) mod cslscan;
pub mod diag;
pub(crate) mod feeds;
pub mod files;
pub(crate) mod glossary;
pub mod guard;
pub(crate) mod init;
pub(crate) mod load;
pub(crate) mod loops;
pub(crate) mod new;
pub(crate) mod output;
pub mod parse;
pub(crate) mod render;
pub(crate) mod resolve;
pub mod serve;
pub mod site;
pub mod theme;
pub(crate) mod timeline;
pub(crate) mod write;
