//! Editions side by side: a site in several languages. kagu.toml's `language` is the default
//! edition's, published at the root; each `[languages.LANG]` table adds an edition published
//! under its folder (`fr/`). A page's translation is a file beside it, `name.LANG.md`
//! (`_index.LANG.md`), and a data file's is `timeline.LANG.toml`. Each edition is its own site
//! for the stages after this one: [`narrow`] makes an edition's [`SourceSet`] of the project's,
//! where each translation stands in for its original under the original's name, so that links,
//! reading order and data keys resolve within the edition as they do in the default one.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::base::diag::{Diagnostic, Diagnostics, Kind};
use crate::base::paths::ContentPath;
use crate::project::load::{read_data, ContentFile, SourceSet};

/// One edition of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edition {
    /// Its language (BCP 47), as kagu.toml writes it.
    pub language: String,
    /// Its folder under the output folder, ending in `/` ("" for the default edition).
    pub prefix: String,
}

/// Every edition of a site, the default one first, and which pages each has.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Editions {
    /// The default edition, then the others in kagu.toml's order (by language).
    pub all: Vec<Edition>,
    /// The languages each page is published in, by its original's path under content/.
    pub pages: BTreeMap<ContentPath, BTreeSet<String>>,
}

impl Editions {
    /// The site's editions, as kagu.toml declares them and the content folder holds them (its
    /// `[languages]` checked first: see [`problems`]).
    pub fn of(set: &SourceSet) -> Arc<Editions> {
        let mut all = vec![Edition {
            language: set.config.language.clone(),
            prefix: String::new(),
        }];
        for (language, e) in &set.config.languages {
            let path = e.path.clone().unwrap_or_else(|| language.clone());
            all.push(Edition {
                language: language.clone(),
                prefix: format!("{}/", path.trim_matches('/')),
            });
        }
        let mut pages: BTreeMap<ContentPath, BTreeSet<String>> = BTreeMap::new();
        for c in &set.content {
            let (original, language) = match translation_of(c.rel.as_str(), &all[1..]) {
                Some((original, e)) => (original, e.language.clone()),
                None => (c.rel.to_string(), all[0].language.clone()),
            };
            pages.entry(original.into()).or_default().insert(language);
        }
        Arc::new(Editions { all, pages })
    }

    /// More than one edition.
    pub fn several(&self) -> bool {
        self.all.len() > 1
    }

    /// The edition of a language.
    pub fn get(&self, language: &str) -> Option<&Edition> {
        self.all.iter().find(|e| e.language == language)
    }

    /// A page's path under content/ names a translation (`name.fr.md`, for an edition `fr`).
    pub fn is_translation(&self, rel: &str) -> bool {
        self.translation(rel).is_some()
    }

    /// The original's path and the edition of a translation's path (`name.fr.md`).
    pub fn translation(&self, rel: &str) -> Option<(String, &Edition)> {
        translation_of(rel, &self.all[1..])
    }

    /// The editions a page is published in, the default one first.
    pub fn of_page<'e>(&'e self, rel: &str) -> impl Iterator<Item = &'e Edition> + 'e {
        let langs = self.pages.get(rel);
        self.all
            .iter()
            .filter(move |e| langs.is_some_and(|l| l.contains(&e.language)))
    }
}

/// `name.LANG.md` of an edition: the original's path (`name.md`) and the edition.
fn translation_of<'e>(rel: &str, others: &'e [Edition]) -> Option<(String, &'e Edition)> {
    let stem = rel.strip_suffix(".md")?;
    let (name, language) = stem.rsplit_once('.')?;
    let e = others.iter().find(|e| e.language == language)?;
    Some((format!("{name}.md"), e))
}

/// What kagu.toml's `[languages]` says that no edition can be made of: the default language
/// declared again, a language that is no language tag, a folder that is not one plain name or
/// that two editions share. Each is located at its table.
pub fn problems(set: &SourceSet) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut folders = BTreeSet::new();
    for (language, e) in &set.config.languages {
        let path = e.path.as_deref().unwrap_or(language).trim_matches('/');
        let reason = if *language == set.config.language {
            Some("it is the site's `language`, the default edition, published at the root")
        } else if !is_language_tag(language) {
            Some("it is not a language tag (`fr`, `pt-BR`)")
        } else if path.is_empty()
            || !path
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            Some("its `path` must be one folder name of letters, digits, `-` and `_`")
        } else if !folders.insert(path.to_string()) {
            Some("its folder is another edition's")
        } else {
            None
        };
        if let Some(reason) = reason {
            let kind = Kind::BadEdition {
                language: language.clone(),
                reason,
            };
            out.push(match set.config_file {
                Some(id) => {
                    let text = set.files.text(id);
                    Diagnostic::at(kind, id, table_span(text, language))
                }
                None => Diagnostic::global(kind),
            });
        }
    }
    out
}

/// Where kagu.toml declares an edition: its `[languages.LANG]` header, or the `languages` key.
fn table_span(text: &str, language: &str) -> std::ops::Range<usize> {
    let headers = [
        format!("[languages.{language}]"),
        format!("[languages.\"{language}\"]"),
    ];
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if headers.iter().any(|h| h == t) {
            let start = pos + (line.len() - line.trim_start().len());
            return start..start + t.len();
        }
        pos += line.len();
    }
    crate::base::tomldoc::key_span(text, &(0..text.len()), "languages")
}

/// A BCP 47 tag as far as a site needs: letters, then parts of letters and digits after `-`.
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or_default();
    (2..=8).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// The pages of the default edition that `edition` has no translation of, by path under
/// content/ (drafts too: a draft is a page someone will publish).
pub fn untranslated(editions: &Editions, edition: &Edition) -> Vec<String> {
    let default = &editions.all[0].language;
    editions
        .pages
        .iter()
        .filter(|(_, l)| l.contains(default) && !l.contains(&edition.language))
        .map(|(rel, _)| rel.to_string())
        .collect()
}

/// Makes the project's files into one edition's: for the default edition the translations are
/// left out; for another, only its translations are kept, each under its original's name, its
/// data files stand in for the default ones where it has them, and kagu.toml's title,
/// description, language and address become the edition's.
pub fn narrow(set: &mut SourceSet, editions: &Editions, edition: &Edition, diags: &mut Diagnostics) {
    let others = &editions.all[1..];
    if edition.prefix.is_empty() {
        set.content
            .retain(|c| translation_of(c.rel.as_str(), others).is_none());
        return;
    }
    let content = std::mem::take(&mut set.content);
    set.content = content
        .into_iter()
        .filter_map(|c| match translation_of(c.rel.as_str(), others) {
            Some((original, e)) if e == edition => Some(ContentFile {
                file: c.file,
                rel: original.into(),
            }),
            _ => None,
        })
        .collect();
    let paths: Vec<&'static str> = set.data.keys().copied().collect();
    for path in paths {
        let Some(stem) = path.strip_suffix(".toml") else {
            continue;
        };
        let translated = format!("{stem}.{}.toml", edition.language);
        if set.root.join(&translated).is_file() {
            let id = read_data(&set.root, &translated, &mut set.files, diags);
            set.data.insert(path, id);
        }
    }
    let config = &mut set.config;
    if let Some(e) = config.languages.get(&edition.language) {
        if !e.title.is_empty() {
            config.title = e.title.clone();
        }
        if !e.description.is_empty() {
            config.description = e.description.clone();
        }
    }
    config.language = edition.language.clone();
    config.base_url = format!("{}{}", config.base_url.with_slash(), edition.prefix).into();
}
