//! `kagu.toml`: the site's configuration.

use serde::{Deserialize, Serialize};

use crate::base::diag::{Diagnostic, FileId};
use crate::base::files::CONFIG_FILE;
use crate::base::tomldoc::TomlDoc;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
/// kagu.toml, as read (every key is documented in the guide's site page, docs/content/site.md).
pub struct Config {
    #[serde(default)]
    /// The site's name (default: the home page's title).
    pub title: String,
    #[serde(default)]
    /// A sentence about the site, for link previews and the feed.
    pub description: String,
    #[serde(default = "default_base_url")]
    /// The address the site will have.
    pub base_url: String,
    #[serde(default = "default_language")]
    /// The site's language (BCP 47): `lang`, dates and the citation style's locale.
    pub language: String,
    #[serde(default)]
    /// Who wrote it (the feed's authors).
    pub authors: Vec<String>,
    #[serde(default = "default_theme")]
    /// The theme under themes/ (or the built-in default).
    pub theme: String,
    /// Extra bibliography files (TOML or BibLaTeX), relative to the site root.
    #[serde(default)]
    pub bibliography: Vec<String>,
    /// CSL style for citations: a bundled style's name, or a `.csl` file's path.
    #[serde(default = "default_style")]
    pub citation_style: String,
    /// One numbered note per source on each page, every citation of it a marker to that
    /// note (Wikipedia's model), whatever the style's class.
    #[serde(default)]
    pub one_note_per_source: bool,
    /// A page whose template writes more than this many megabytes is stopped (E013).
    #[serde(default = "default_max_page_mb")]
    pub max_page_mb: u64,
    /// A page whose template is still writing after this many seconds is stopped (E013).
    #[serde(default = "default_max_page_seconds")]
    pub max_page_seconds: u64,
    #[serde(default)]
    /// Anything else the site's templates read, as `config.extra`.
    pub extra: toml::Table,
}

fn default_max_page_mb() -> u64 {
    256
}
fn default_max_page_seconds() -> u64 {
    30
}

fn default_base_url() -> String {
    "/".into()
}
fn default_language() -> String {
    "en".into()
}
/// The built-in theme's name.
pub fn default_theme() -> String {
    "default".into()
}
/// The citation style when kagu.toml names none.
pub fn default_style() -> String {
    "chicago-notes".into()
}

impl Config {
    /// Reads kagu.toml's text (for the defaults; the site's file is read key by key in load).
    pub fn parse(text: &str, file: FileId) -> Result<Config, Diagnostic> {
        TomlDoc {
            text,
            file,
            offset: 0,
            what: CONFIG_FILE,
        }
        .deserialize()
    }

    /// The config with every good key kept: each unknown key and bad value is reported, and the
    /// rest still loads (the defaults where nothing could be read).
    pub fn parse_recovering(text: &str, file: FileId) -> (Config, Vec<Diagnostic>) {
        let (config, diags) = TomlDoc {
            text,
            file,
            offset: 0,
            what: CONFIG_FILE,
        }
        .deserialize_recovering::<Config>();
        (
            config.unwrap_or_else(|| Config::parse("", file).expect("the empty config is valid")),
            diags,
        )
    }

    /// The path part of base_url, always starting and ending with `/` (for the 404 page, which
    /// hosts serve at any depth and so cannot use relative links).
    pub fn base_path(&self) -> String {
        let after_scheme = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |x| x.1);
        let path = match (self.base_url.contains("://"), after_scheme.find('/')) {
            (true, Some(i)) => &after_scheme[i..],
            (true, None) => "/",
            (false, _) => after_scheme,
        };
        let trimmed = path.trim_matches('/');
        if trimmed.is_empty() {
            "/".into()
        } else {
            format!("/{trimmed}/")
        }
    }

    /// Is base_url a full address (`https://…`)? Sitemaps, feeds and canonical links need one.
    pub fn base_url_is_absolute(&self) -> bool {
        self.base_url.contains("://")
    }

    /// base_url with exactly one trailing slash.
    pub fn base_url_slash(&self) -> String {
        format!("{}/", self.base_url.trim_end_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_base(url: &str) -> Config {
        let mut c = Config::parse("", FileId(0)).expect("empty config is valid");
        c.base_url = url.into();
        c
    }

    #[test]
    fn base_path_comes_from_the_url() {
        assert_eq!(
            with_base("https://example.org/explainer").base_path(),
            "/explainer/"
        );
        assert_eq!(with_base("https://example.org").base_path(), "/");
        assert_eq!(with_base("/").base_path(), "/");
        assert_eq!(with_base("/sub/").base_path(), "/sub/");
    }
}
