//! kagu: a static explainer-site generator. The modules follow the build's stages:
//! [`load`] → [`parse`] → [`resolve`] (with [`cite`]) → [`render`] (with [`theme`]) → [`write`],
//! driven by [`build`]; [`diag`] collects and prints every problem.

pub mod assets;
pub mod build;
pub mod cite;
pub mod citeproc;
pub mod cli;
pub mod config;
pub mod diag;
pub mod feeds;
pub mod files;
pub mod init;
pub mod load;
pub mod new;
pub mod output;
pub mod parse;
pub mod render;
pub mod resolve;
pub mod serve;
pub mod site;
pub mod theme;
pub mod write;
