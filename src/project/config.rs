//! `kagu.toml`: the site's configuration.

use serde::{Deserialize, Serialize};

use crate::base::address::BaseUrl;
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
    pub base_url: BaseUrl,
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
    /// The link-preview picture of every page that names none of its own: a path from the
    /// site's folder to a file under static/.
    pub image: Option<String>,
    /// What that picture shows.
    #[serde(default)]
    pub image_alt: String,
    /// Links name each page's `index.html` (`../prices/index.html`), so that the site can be
    /// read from the file system; by default they end at the folder (`../prices/`).
    #[serde(default)]
    pub file_links: bool,
    /// How `kagu check --external` asks for the site's web addresses.
    #[serde(default)]
    pub external: External,
    /// The readers' search: an index of every page in `pagefind/` and a search field in the
    /// default theme's header (`false`: neither).
    #[serde(default = "default_search")]
    pub search: bool,
    /// How many entries the Atom feed lists, newest first (its pages and their updates).
    #[serde(default = "default_feed_limit")]
    pub feed_limit: Limit<{ usize::MAX }>,
    /// How many addresses one sitemap file lists (the protocol allows 50,000); a site with more
    /// gets a sitemap index, `sitemap.xml`, that names files of at most this many.
    #[serde(default = "default_sitemap_limit")]
    pub sitemap_limit: Limit<SITEMAP_MAX>,
    /// The site's other editions, by language (`[languages.fr]`): `language` is the default
    /// one's, published at the root; each of these is published under its own folder.
    #[serde(default)]
    pub languages: std::collections::BTreeMap<String, EditionConfig>,
    #[serde(default)]
    /// Anything else the site's templates read, as `config.extra`.
    pub extra: toml::Table,
}

/// The sitemap protocol's limit of addresses in one file.
pub const SITEMAP_MAX: usize = 50_000;

/// A count from 1 to `MAX`, read as a whole number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(try_from = "i64", into = "usize")]
pub struct Limit<const MAX: usize>(usize);

impl<const MAX: usize> Limit<MAX> {
    /// The count.
    pub fn get(self) -> usize {
        self.0
    }
}

impl<const MAX: usize> TryFrom<i64> for Limit<MAX> {
    type Error = String;
    fn try_from(n: i64) -> Result<Self, String> {
        match usize::try_from(n) {
            Ok(n) if (1..=MAX).contains(&n) => Ok(Limit(n)),
            _ if MAX == usize::MAX => Err(format!("{n} is not a count: write a whole number from 1 up")),
            _ => Err(format!(
                "{n} is out of range: write a whole number from 1 to {MAX}"
            )),
        }
    }
}

impl<const MAX: usize> From<Limit<MAX>> for usize {
    fn from(l: Limit<MAX>) -> usize {
        l.0
    }
}

/// `[external]` in kagu.toml: how `kagu check --external` asks.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct External {
    /// Hosts (`example.org`) or the starts of addresses (`https://example.org/private/`) not
    /// asked for.
    pub skip: Vec<String>,
    /// Seconds to wait for an answer.
    pub timeout: u64,
    /// Requests at once to one host.
    pub per_host: usize,
    /// Milliseconds between two requests to one host.
    pub delay_ms: u64,
    /// How long an answer is kept in the cache, in hours (0: never kept).
    pub cache_hours: u64,
}

/// `[languages.LANG]` in kagu.toml: one more edition of the site.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct EditionConfig {
    /// The edition's name for the site (default: the site's `title`).
    pub title: String,
    /// The edition's sentence about the site (default: the site's `description`).
    pub description: String,
    /// The folder it is published under (default: the language, `fr/`).
    pub path: Option<String>,
    /// The language's name in that language, for the language switcher (default: kagu's
    /// name for it, or its tag).
    pub name: Option<String>,
}

impl Default for External {
    fn default() -> Self {
        External {
            skip: Vec::new(),
            timeout: 10,
            per_host: 2,
            delay_ms: 200,
            cache_hours: 24,
        }
    }
}

impl Config {
    /// kagu.toml's `image`, as its output path (its path under static/), if it is under static/.
    pub fn card_image_output(&self) -> Option<&str> {
        self.image.as_deref()?.strip_prefix("static/")
    }
}

/// The feed's entries when kagu.toml says nothing: a feed reader shows the newest few dozen.
fn default_feed_limit() -> Limit<{ usize::MAX }> {
    Limit(50)
}
fn default_sitemap_limit() -> Limit<SITEMAP_MAX> {
    Limit(SITEMAP_MAX)
}
fn default_search() -> bool {
    true
}
fn default_max_page_mb() -> u64 {
    256
}
fn default_max_page_seconds() -> u64 {
    30
}

fn default_base_url() -> BaseUrl {
    BaseUrl::from("/".to_string())
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
}
