//! Splits a content file into its `+++` TOML front matter and its Markdown body, and reads the
//! front matter into [`FrontMatter`].

use serde::{Deserialize, Serialize};

use std::ops::Range;

use crate::base::diag::{Diagnostic, FileId, Kind};
use crate::base::paths::safe_rel;
use crate::base::tomldoc::{key_span, TomlDoc};

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Option<String>,
    #[serde(default)]
    pub description: String,
    pub weight: Option<i64>,
    pub date: Option<toml::value::Datetime>,
    pub updated: Option<toml::value::Datetime>,
    #[serde(default)]
    pub draft: bool,
    pub slug: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub authors: Vec<String>,
    pub template: Option<String>,
    /// The page's link-preview picture, relative to its file (as a Markdown image is).
    pub image: Option<String>,
    /// What the picture shows, for readers who cannot see it.
    #[serde(default)]
    pub image_alt: String,
    /// `false` leaves the page out of the readers' search.
    pub search: Option<bool>,
    /// Corrections, updates and clarifications since the page was published (see
    /// [`super::updates`]): checked, newest first.
    #[serde(default)]
    pub(crate) updates: Vec<super::updates::Update>,
    #[serde(default)]
    pub extra: toml::Table,
}

impl FrontMatter {
    /// Do both put the page at the same place, with the same files and checks: equal but for
    /// what only the page itself, its neighbours' links, the feed and the sitemap show (title,
    /// description, dates, weight, authors, `extra`)?
    pub fn same_place(&self, other: &FrontMatter) -> bool {
        self.draft == other.draft
            && self.slug == other.slug
            && self.aliases == other.aliases
            && self.tags == other.tags
            && self.template == other.template
    }
}

/// A content file cut in two; offsets are byte offsets in the whole file.
pub struct Split<'a> {
    pub front: &'a str,
    pub front_offset: usize,
    pub body: &'a str,
    pub body_offset: usize,
}

const FENCE: &str = "+++";

pub(crate) fn split(text: &str, file: FileId) -> Result<Split<'_>, Diagnostic> {
    let start = text.strip_prefix('\u{feff}').map_or(0, |_| 3);
    let first_line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    if text[start..first_line_end].trim_end() == "---" {
        return Err(Diagnostic::at(
            Kind::YamlFrontMatter {
                toml: yaml_as_toml(&text[first_line_end.min(text.len())..]),
            },
            file,
            start..first_line_end,
        ));
    }
    if text[start..first_line_end].trim_end() != FENCE {
        return Err(Diagnostic::at(Kind::NoFrontMatter, file, start..first_line_end));
    }
    let front_offset = (first_line_end + 1).min(text.len());
    let mut pos = front_offset;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if text[pos..end].trim_end() == FENCE {
            let body_offset = (end + 1).min(text.len());
            return Ok(Split {
                front: &text[front_offset..pos],
                front_offset,
                body: &text[body_offset..],
                body_offset,
            });
        }
        pos = end + 1;
    }
    Err(Diagnostic::at(
        Kind::UnclosedFrontMatter,
        file,
        start..first_line_end,
    ))
}

/// The simple `key: value` lines of a YAML front matter (up to its closing `---`) written as
/// TOML, for the hint: strings quoted, numbers, booleans and dates as they are.
fn yaml_as_toml(rest: &str) -> String {
    let mut out = Vec::new();
    for line in rest.lines().skip_while(|l| l.trim().is_empty()) {
        if line.trim_end() == "---" {
            break;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let (key, value) = (key.trim(), value.trim().trim_matches(|c| c == '"' || c == '\''));
        if key.is_empty() || key.starts_with('-') || line.starts_with(' ') {
            continue;
        }
        let bare = value.parse::<f64>().is_ok()
            || value == "true"
            || value == "false"
            || value.parse::<toml::value::Datetime>().is_ok()
            || value.starts_with('[');
        out.push(if bare {
            format!("{key} = {value}")
        } else {
            format!("{key} = \"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
        });
    }
    format!("+++\n{}\n+++", out.join("\n"))
}

impl FrontMatter {
    /// Reads the front matter, keeping every field that can be read: each bad one is reported
    /// and left out; without a usable `title` the page is called by its file name (`stem`).
    pub fn parse(split: &Split<'_>, file: FileId, stem: &str) -> (FrontMatter, Vec<Diagnostic>) {
        let doc = TomlDoc {
            text: split.front,
            file,
            offset: split.front_offset,
            what: "front matter",
        };
        let (fm, mut diags) = doc.deserialize_recovering::<FrontMatter>();
        let readable = fm.is_some();
        let mut fm = fm.unwrap_or_default();
        // `date = 12:30:00` is TOML, a time of day: a page's date needs the day.
        for (key, value) in [("date", &mut fm.date), ("updated", &mut fm.updated)] {
            if value.as_ref().is_some_and(|d| d.date.is_none()) {
                let span = key_span(split.front, &(0..split.front.len()), key);
                let at = split.front_offset + span.start..split.front_offset + span.end;
                diags.push(Diagnostic::at(
                    Kind::BadDate {
                        key: key.to_string(),
                        message: format!(
                            "`{}` is a time of day, without a date",
                            value.take().map(|d| d.to_string()).unwrap_or_default()
                        ),
                    },
                    file,
                    at,
                ));
            }
        }
        // A title that was there but bad has been reported already.
        let title_reported = diags
            .iter()
            .any(|d| matches!(&d.kind, Kind::BadValue { key, .. } if key == "title"));
        if fm.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
            if readable && !title_reported {
                let fence = split.front_offset.saturating_sub(4);
                diags.push(Diagnostic::at(Kind::MissingTitle, file, fence..fence + 3));
            }
            fm.title = Some(stem.to_string());
        }
        (fm, diags)
    }

    /// Values shown as plain text (title, description, `extra` tables such as
    /// `[extra.at_a_glance]`) must not hold citations or Markdown: they would be shown as typed.
    pub fn check_plain_text(&self, text: &str, front: &Range<usize>, file: FileId) -> Vec<Diagnostic> {
        fn found(v: &str) -> Option<&'static str> {
            if v.contains("[@") {
                Some("a citation")
            } else if v.contains("](") {
                Some("a Markdown link")
            } else if v.contains("**") || v.contains("__") {
                Some("Markdown emphasis")
            } else if v.contains('`') {
                Some("Markdown code")
            } else {
                None
            }
        }
        fn walk(t: &toml::Table, out: &mut Vec<(String, &'static str)>) {
            for (k, v) in t {
                match v {
                    toml::Value::String(s) => out.extend(found(s).map(|f| (k.clone(), f))),
                    toml::Value::Table(inner) => walk(inner, out),
                    _ => {}
                }
            }
        }
        let mut bad: Vec<(String, &'static str)> = Vec::new();
        for (k, v) in [
            ("title", self.title()),
            ("description", self.description.as_str()),
        ] {
            bad.extend(found(v).map(|f| (k.to_string(), f)));
        }
        walk(&self.extra, &mut bad);
        bad.into_iter()
            .map(|(key, found)| {
                let span = key_span(text, front, &key);
                let span = if span == *front {
                    key_span(text, front, &format!("\"{key}\""))
                } else {
                    span
                };
                Diagnostic::at(Kind::MarkupInPlainText { key, found }, file, span)
            })
            .collect()
    }

    /// Front matter with only a title: for a page whose own could not be read.
    pub fn titled(title: &str) -> FrontMatter {
        FrontMatter {
            title: Some(title.to_string()),
            ..FrontMatter::default()
        }
    }

    /// Checks `slug` and `aliases`, which become output paths: a bad one is reported at its
    /// key and dropped, so the page keeps the URL its file name gives (and links to it still
    /// resolve). `front` is the front matter's byte range in `text`.
    pub fn check_paths(&mut self, text: &str, front: &Range<usize>, file: FileId) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        if let Some(slug) = &self.slug {
            if let Err(problem) = check_slug(slug) {
                diags.push(Diagnostic::at(
                    Kind::BadPath {
                        key: "slug",
                        value: slug.clone(),
                        problem,
                    },
                    file,
                    key_span(text, front, "slug"),
                ));
                self.slug = None;
            }
        }
        let aliases_line = key_span(text, front, "aliases");
        self.aliases.retain(|alias| match check_alias(alias) {
            Ok(()) => true,
            Err(problem) => {
                let quoted = format!("\"{alias}\"");
                let span = text[aliases_line.start..front.end]
                    .find(&quoted)
                    .map_or(aliases_line.clone(), |i| {
                        aliases_line.start + i..aliases_line.start + i + quoted.len()
                    });
                diags.push(Diagnostic::at(
                    Kind::BadPath {
                        key: "aliases",
                        value: alias.clone(),
                        problem,
                    },
                    file,
                    span,
                ));
                false
            }
        });
        diags
    }

    pub fn title(&self) -> &str {
        self.title.as_deref().unwrap_or_default()
    }
}

/// A slug is one folder name: not empty, no `/`, not `.` or `..`, and with letters or digits.
fn check_slug(slug: &str) -> Result<(), &'static str> {
    let s = slug.trim();
    if s.is_empty() {
        return Err("it is empty");
    }
    if s.contains(['/', '\\']) {
        return Err("a slug is one folder name, without `/`");
    }
    if s == "." || s == ".." {
        return Err("it names the current folder or the one above it");
    }
    if slug::slugify(s).is_empty() {
        return Err("it has no letters or digits to make a URL from");
    }
    Ok(())
}

/// An alias is a path from the site root (a leading `/` is allowed) that stays inside it.
fn check_alias(alias: &str) -> Result<(), &'static str> {
    if alias.contains("://") || alias.starts_with("//") {
        return Err("it is a full URL; write the path only");
    }
    let trimmed = alias.trim_matches('/');
    if trimmed.is_empty() {
        return Err("it is the site root, which is the home page's");
    }
    safe_rel(trimmed)
        .map(|_| ())
        .map_err(crate::base::paths::PathProblem::describe)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_finds_both_fences_and_offsets() {
        let text = "+++\ntitle = \"A\"\n+++\nbody\n";
        let s = split(text, FileId(0)).expect("valid");
        assert_eq!(s.front, "title = \"A\"\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(&text[s.body_offset..], "body\n");
    }

    #[test]
    fn slugs_and_aliases_that_leave_the_site_are_refused() {
        for bad in ["", " ", "..", ".", "a/b", "!!!"] {
            assert!(check_slug(bad).is_err(), "{bad:?}");
        }
        assert!(check_slug("history").is_ok());
        for bad in [
            "../../x",
            "x/../y",
            "/",
            "",
            "a//b",
            "https://e.org/x",
            "//host/x",
            "a\\..\\b",
        ] {
            assert!(check_alias(bad).is_err(), "{bad:?}");
        }
        for good in ["/old/", "old/path", "/tmp/x"] {
            assert!(check_alias(good).is_ok(), "{good:?}");
        }
    }

    #[test]
    fn unclosed_and_missing_front_matter_are_errors() {
        assert_eq!(
            split("+++\ntitle = 1\n", FileId(0)).err().map(|d| d.kind),
            Some(Kind::UnclosedFrontMatter)
        );
        assert_eq!(
            split("# hi\n", FileId(0)).err().map(|d| d.kind),
            Some(Kind::NoFrontMatter)
        );
    }
}
