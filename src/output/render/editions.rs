//! A page's other editions (see [`crate::project::edition`]): the links a reader switches
//! language with, the `hreflang` alternates of its head and of the sitemap, and the files the
//! editions share (the theme's assets and the static files, written once, at the root).

use std::sync::Arc;

use serde::Serialize;

use super::Renderer;
use crate::graph::resolve::root_prefix;
use crate::project::edition::{Edition, Editions};

/// What a renderer knows of the site's editions.
#[derive(Debug, Clone)]
pub(crate) struct EditionInfo {
    pub editions: Arc<Editions>,
    /// The edition being rendered.
    pub current: Edition,
    /// The site root's address (base_url with its slash): each edition's is this and its
    /// folder.
    pub root_url: String,
}

/// One edition of a page, as templates get it (`editions`): the current one too, with
/// `current`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EditionLink {
    /// Its language (for `hreflang` and `lang`).
    pub language: String,
    /// The language's name in that language ("Français").
    pub name: String,
    /// The page in that edition from this page, or that edition's home when it has no
    /// translation of the page.
    pub href: String,
    /// The page's full address in that edition (None where the edition does not have it).
    pub url: Option<String>,
    /// This is the edition being read.
    pub current: bool,
    /// The site's default edition (`x-default`).
    pub default: bool,
}

/// A language's name in that language, for the languages kagu has words in (others by their
/// tag, unless kagu.toml's `[languages.LANG] name` says).
fn autonym(language: &str) -> &str {
    match language.split('-').next().unwrap_or(language) {
        "en" => "English",
        "fr" => "Français",
        "de" => "Deutsch",
        "es" => "Español",
        "it" => "Italiano",
        "pt" => "Português",
        "nl" => "Nederlands",
        _ => language,
    }
}

impl Renderer<'_> {
    /// The editions of the output at `path` (a page's folder, or a generated page's), whose
    /// page under content/ is `rel` (None for the sources and 404 pages, which every edition
    /// has). Empty for a site of one edition.
    pub(super) fn editions_of(&self, path: &str, rel: Option<&str>) -> Vec<EditionLink> {
        let Some(info) = &self.options.edition else {
            return Vec::new();
        };
        // From this output up to the site's root: to the edition's root, then out of its folder.
        let up = format!("{}{}", root_prefix(path), root_prefix(&info.current.prefix));
        let languages = &self.config.languages;
        // Alternates only where the page has another edition.
        let alternates = rel.is_none_or(|rel| info.editions.of_page(rel).nth(1).is_some());
        info.editions
            .all
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let has = rel.is_none_or(|rel| info.editions.of_page(rel).any(|o| o == e));
                let name = languages
                    .get(&e.language)
                    .and_then(|c| c.name.clone())
                    .unwrap_or_else(|| autonym(&e.language).to_string());
                let folder = if has { path } else { "" };
                let mut href = format!("{up}{}{folder}{}", e.prefix, self.graph.index_file);
                if href.is_empty() {
                    href.push_str("./");
                }
                EditionLink {
                    language: e.language.clone(),
                    name,
                    href,
                    url: (has && alternates).then(|| format!("{}{}{path}", info.root_url, e.prefix)),
                    current: *e == info.current,
                    default: i == 0,
                }
            })
            .collect()
    }

    /// The site's values for templates (`site`), serialized once. An edition other than the
    /// default one shares the root's theme assets and favicon, one folder up.
    pub(super) fn site_value(&self) -> tera::Value {
        let site = self.site();
        let Some(info) = self
            .options
            .edition
            .as_ref()
            .filter(|i| !i.current.prefix.is_empty())
        else {
            return tera::Value::from_serializable(&site);
        };
        let up = root_prefix(&info.current.prefix);
        let mut json = serde_json::to_value(&site).unwrap_or_default();
        let shared = |v: &mut serde_json::Value| {
            if let Some(s) = v.as_str() {
                *v = serde_json::Value::from(format!("{up}{s}"));
            }
        };
        if let Some(assets) = json.get_mut("assets").and_then(|a| a.as_object_mut()) {
            assets.values_mut().for_each(shared);
        }
        if let Some(f) = json.get_mut("favicon") {
            shared(f);
        }
        tera::Value::from_serializable(&json)
    }

    /// Whether this renderer writes the files the editions share (theme assets, static files,
    /// robots.txt): only the default edition does.
    pub(crate) fn is_default_edition(&self) -> bool {
        self.options
            .edition
            .as_ref()
            .is_none_or(|i| i.current.prefix.is_empty())
    }
}

impl Renderer<'_> {
    /// The `hreflang` alternates of the output at `path` (see [`Self::editions_of`]): each
    /// edition that has it, and `x-default` for the default one's. Empty for one edition.
    pub(super) fn alternates(&self, path: &str, rel: Option<&str>) -> Vec<(String, String)> {
        let links = self.editions_of(path, rel);
        let mut out: Vec<(String, String)> = links
            .iter()
            .filter_map(|e| Some((e.language.clone(), e.url.clone()?)))
            .collect();
        if let Some(url) = links.iter().find(|e| e.default).and_then(|e| e.url.clone()) {
            out.push(("x-default".into(), url));
        }
        out
    }

    /// Every edition's sitemap, for robots.txt (the default edition's only, for one edition).
    pub(super) fn sitemaps(&self) -> Vec<String> {
        let Some(mine) = crate::output::feeds::robots_sitemap(self.config) else {
            return Vec::new();
        };
        match &self.options.edition {
            Some(info) => info
                .editions
                .all
                .iter()
                .map(|e| format!("{}{}sitemap.xml", info.root_url, e.prefix))
                .collect(),
            None => vec![mine],
        }
    }
}

impl Renderer<'_> {
    /// Whether an output file is one the editions share (a static file or a theme asset, which
    /// only the default edition writes).
    fn shared(&self, out: &str) -> bool {
        !self.is_default_edition()
            && (self.assets.files.contains_key(out)
                || self.assets.copies.iter().any(|c| c.rel.as_str() == out))
    }

    /// The way from this edition's root to a file's folder: up out of the edition's folder for
    /// a shared file, nothing otherwise.
    pub(super) fn shared_prefix(&self, out: &str) -> String {
        match &self.options.edition {
            Some(info) if self.shared(out) => root_prefix(&info.current.prefix),
            _ => String::new(),
        }
    }

    /// The full address a file's path is under: the site's root for a shared file, this
    /// edition's otherwise.
    pub(super) fn file_base(&self, out: &str) -> String {
        match &self.options.edition {
            Some(info) if self.shared(out) => info.root_url.clone(),
            _ => self.config.base_url.with_slash(),
        }
    }
}
