//! What a run is asked to do beyond kagu.toml: the command line's options for a build.

use std::path::PathBuf;

/// What a build is asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The project folder (holding kagu.toml).
    pub root: PathBuf,
    /// Replaces `base_url` of kagu.toml.
    pub base_url: Option<String>,
    /// Include pages marked `draft = true`.
    pub drafts: bool,
    /// Minify HTML, CSS and JS.
    pub minify: bool,
    /// Replace the output folder even when kagu did not make it (never the project itself).
    pub force: bool,
    /// Check the site's web addresses too (`kagu check --external`): the only run that makes
    /// a request.
    pub external: bool,
}
