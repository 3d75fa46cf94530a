//! Diagnostics: every user-facing problem, its stable code, its wording, and the one place that
//! prints them (human, json or GitHub Actions annotations).

use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::term::{self, termcolor::WriteColor};
use serde::Serialize;

pub use crate::base::files::{FileId, Files};

mod emit;
mod message;

pub use emit::{emit, DiagnosticView, MessageFormat};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
/// How bad a problem is.
pub enum Severity {
    /// The build fails.
    Error,
    /// The build goes on; `kagu check --deny-warnings` fails.
    Warning,
}

/// What went wrong. The wording of every diagnostic lives in this enum's `Display` (diag/message.rs), its code in
/// [`Kind::code`] and its hint in [`Kind::hint`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    TomlSyntax {
        what: &'static str,
        message: String,
    },
    UnknownKey {
        key: String,
        table: &'static str,
        suggestion: Option<String>,
        valid: Vec<String>,
    },
    BadValue {
        key: String,
        message: String,
    },
    MissingTitle,
    NoFrontMatter,
    UnclosedFrontMatter,
    BadDate {
        key: String,
        message: String,
    },
    TemplateSyntax {
        message: String,
    },
    TemplateRender {
        template: String,
        message: String,
    },
    MissingTemplate {
        name: String,
        available: Vec<String>,
    },
    DuplicateUrl {
        url: String,
        other: String,
    },
    FolderOnFile {
        url: String,
        other: String,
    },
    MissingFile {
        what: &'static str,
        path: String,
    },
    Io {
        path: String,
        message: String,
    },
    UnknownCitation {
        key: String,
        suggestion: Option<String>,
    },
    DuplicateSource {
        key: String,
        first: String,
    },
    MissingSourceTitle {
        key: String,
    },
    BadUrl {
        url: String,
        message: String,
    },
    MalformedCitation {
        text: String,
        message: String,
    },
    BadBibliography {
        message: String,
    },
    BibliographyLoop {
        message: String,
    },
    UnknownStyle {
        name: String,
        suggestion: Option<String>,
    },
    BadStyleFile {
        path: String,
        message: String,
    },
    BrokenLink {
        target: String,
        suggestion: Option<String>,
    },
    HiddenLink {
        target: String,
    },
    BrokenAnchor {
        target: String,
        anchor: String,
        hint: AnchorHint,
    },
    UncitedSource {
        key: String,
    },
    NulByte,
    NotUtf8,
    OutputClash {
        path: String,
        first: String,
        second: String,
    },
    BadPath {
        key: &'static str,
        value: String,
        problem: &'static str,
    },
    EmptyUrl {
        name: String,
        folder: bool,
    },
    Unreadable {
        what: &'static str,
        path: String,
        message: String,
    },
    WrongFileType {
        what: &'static str,
        path: String,
        found: &'static str,
        expected: &'static str,
    },
    Skipped {
        path: String,
        found: &'static str,
    },
    OutsideProject {
        key: &'static str,
        value: String,
    },
    TemplateLimit {
        template: String,
        limit: String,
    },
    UnsafeOutput {
        path: String,
        reason: String,
    },
    ForeignOutput {
        path: String,
        found: String,
    },
    SymlinkOutput {
        path: String,
        target: String,
    },
    Internal {
        message: String,
    },
    MinifyUnavailable,
    /// A block template that does more with its values than place them.
    BlockTemplate {
        block: crate::base::markup::Block,
        problem: &'static str,
    },
    /// A block quote marked as a callout of a kind there is none of (`> [!INFO]`).
    UnknownCallout {
        name: String,
        suggestion: Option<String>,
    },
    /// A citation's locator with a label that is none of CSL's (`[@k, pg. 4]`).
    UnknownLocatorLabel {
        label: String,
        locator: String,
        suggestion: Option<String>,
    },
    /// A link to sources.toml (the sources page) on a site that cites no source.
    NoSourcesPage,
    /// `archived = true` on a source with no `archive_url`.
    ArchivedWithoutCopy,
    /// A web address that does not work (`kagu check --external`).
    ExternalBroken {
        url: String,
        /// What happened ("it answers 404 Not Found").
        what: String,
        archive: Archive,
    },
    /// A web address that redirects permanently.
    ExternalMoved {
        url: String,
        to: String,
    },
    /// A citation written after a sentence's full stop, in a style that prints it in the text.
    CitationAfterStop {
        stop: char,
    },
    /// A link-preview picture in a format previews do not show (`card.svg`).
    CardImageFormat {
        image: String,
    },
    /// A link-preview picture without `image_alt`.
    CardImageAlt {
        image: String,
    },
    /// kagu.toml's `image` is not a file under static/.
    MissingCardImage {
        image: String,
        suggestion: Option<String>,
    },
    /// A link whose scheme is a typo of a known one (`htps://`).
    MistypedScheme {
        scheme: String,
        suggestion: String,
    },
    /// A heading's `{#id}` that the page (or the theme) already uses.
    DuplicateHeadingId {
        id: String,
    },
    /// The site's language is none the theme has words in, and the site gives none.
    NoWords {
        language: String,
    },
    /// A string the site's catalogue for a language the theme has no words in leaves out.
    MissingWord {
        key: String,
        language: String,
    },
    /// Pages of the default edition that an edition has no translation of.
    Untranslated {
        language: String,
        pages: Vec<String>,
    },
    /// A page's `[[updates]]` entry (E079) or a claim or response of claims.toml (E080) that
    /// cannot be shown: what is wrong, and how to fix it.
    BadUpdate {
        problem: String,
        hint: String,
    },
    BadClaim {
        problem: String,
        hint: String,
    },
    /// A `[languages.LANG]` table of kagu.toml that no edition can be made of.
    BadEdition {
        language: String,
        reason: &'static str,
    },
    /// A key of a site's or theme's catalogue of words that the theme does not have.
    UnknownWord {
        key: String,
        suggestion: Option<String>,
    },
    UnknownSourceType {
        name: String,
        suggestion: Option<String>,
        /// The types a source may have, listed in the hint.
        known: &'static [&'static str],
    },
    UndefinedFootnote {
        label: String,
    },
    UnusedFootnote {
        label: String,
    },
    RootLink {
        target: String,
        fixed: Option<String>,
    },
    MalformedPageLink {
        target: String,
        fixed: String,
    },
    MissingFileLink {
        target: String,
        suggestion: Option<String>,
    },
    DraftLink {
        target: String,
    },
    UnknownTheme {
        name: String,
        available: Vec<String>,
    },
    UnusedTags {
        pages: usize,
    },
    MarkupInPlainText {
        key: String,
        found: &'static str,
    },
    YamlFrontMatter {
        toml: String,
    },
    MissingAlt,
    RelativeBaseUrl {
        url: String,
    },
    /// `base_url` is still a documentation address, as `kagu init` writes it.
    PlaceholderBaseUrl {
        url: String,
    },
    /// A file changed after it was read: its problems' places are in the text that was read.
    ChangedWhileBuilding {
        path: String,
    },
    BadEventDate {
        problem: String,
    },
    MissingEventField {
        field: &'static str,
    },
    DuplicateEventId {
        id: String,
    },
    BadTimelineBlock {
        problem: String,
    },
    NotAnEntryType {
        name: String,
        suggestion: Option<String>,
        /// The kinds an entry may have, listed in the hint.
        known: &'static [&'static str],
    },
    MissingEntryField {
        key: String,
        field: &'static str,
    },
    UnknownGlossaryEntry {
        key: String,
        suggestion: Option<String>,
    },
    BadGlossaryBlock {
        problem: String,
    },
    UnmentionedEntry {
        key: String,
    },
}

impl Kind {
    /// Stable code, explained in the guide (docs/content/errors.md).
    pub(crate) fn code(&self) -> &'static str {
        match self {
            Kind::TomlSyntax { .. } => "E001",
            Kind::UnknownKey { .. } => "E002",
            Kind::BadValue { .. } => "E003",
            Kind::MissingTitle => "E004",
            Kind::NoFrontMatter => "E005",
            Kind::UnclosedFrontMatter => "E006",
            Kind::BadDate { .. } => "E007",
            Kind::TemplateSyntax { .. } => "E010",
            Kind::TemplateRender { .. } => "E011",
            Kind::MissingTemplate { .. } => "E012",
            Kind::DuplicateUrl { .. } | Kind::FolderOnFile { .. } => "E020",
            Kind::MissingFile { .. } => "E022",
            Kind::Io { .. } => "E023",
            Kind::UnknownCitation { .. } => "E030",
            Kind::DuplicateSource { .. } => "E031",
            Kind::MissingSourceTitle { .. } => "E032",
            Kind::BadUrl { .. } => "E033",
            Kind::MalformedCitation { .. } => "E034",
            Kind::BadBibliography { .. } => "E035",
            Kind::BibliographyLoop { .. } => "E068",
            Kind::UnknownStyle { .. } => "E036",
            Kind::BadStyleFile { .. } => "E038",
            Kind::BrokenLink { .. } => "E040",
            Kind::BrokenAnchor { .. } => "E041",
            Kind::HiddenLink { .. } => "E048",
            Kind::UncitedSource { .. } => "W001",
            Kind::NulByte => "E008",
            Kind::NotUtf8 => "E009",
            Kind::TemplateLimit { .. } => "E013",
            Kind::OutputClash { .. } => "E021",
            Kind::BadPath { .. } => "E024",
            Kind::EmptyUrl { .. } => "E025",
            Kind::Unreadable { .. } => "E026",
            Kind::WrongFileType { .. } => "E069",
            Kind::Skipped { .. } => "W008",
            Kind::BlockTemplate { .. } => "E070",
            Kind::DuplicateHeadingId { .. } => "E049",
            Kind::UnknownCallout { .. } => "E071",
            Kind::UnknownWord { .. } => "W009",
            Kind::NoWords { .. } => "W015",
            Kind::MissingWord { .. } => "W016",
            Kind::Untranslated { .. } => "W017",
            Kind::BadEdition { .. } => "E078",
            Kind::BadUpdate { .. } => "E079",
            Kind::BadClaim { .. } => "E080",
            Kind::UnknownLocatorLabel { .. } => "W011",
            Kind::MistypedScheme { .. } => "E072",
            Kind::NoSourcesPage => "E073",
            Kind::CardImageFormat { .. } => "E074",
            Kind::MissingCardImage { .. } => "E075",
            Kind::CardImageAlt { .. } => "W012",
            Kind::CitationAfterStop { .. } => "W013",
            Kind::ExternalBroken { .. } => "E076",
            Kind::ArchivedWithoutCopy => "E077",
            Kind::ExternalMoved { .. } => "W014",
            Kind::OutsideProject { .. } => "E027",
            Kind::UnsafeOutput { .. } => "E050",
            Kind::ForeignOutput { .. } => "E051",
            Kind::SymlinkOutput { .. } => "E052",
            Kind::Internal { .. } => "E090",
            Kind::MinifyUnavailable => "E014",
            Kind::UnknownSourceType { .. } => "E037",
            Kind::UndefinedFootnote { .. } => "E042",
            Kind::RootLink { .. } => "E043",
            Kind::MalformedPageLink { .. } => "E044",
            Kind::MissingFileLink { .. } => "E045",
            Kind::DraftLink { .. } => "E046",
            Kind::MarkupInPlainText { .. } => "E047",
            Kind::UnknownTheme { .. } => "E028",
            Kind::UnusedFootnote { .. } => "W002",
            Kind::UnusedTags { .. } => "W003",
            Kind::YamlFrontMatter { .. } => "E005",
            Kind::MissingAlt => "W004",
            Kind::RelativeBaseUrl { .. } => "W005",
            Kind::PlaceholderBaseUrl { .. } => "W010",
            Kind::ChangedWhileBuilding { .. } => "W006",
            Kind::BadEventDate { .. } => "E060",
            Kind::MissingEventField { .. } => "E061",
            Kind::DuplicateEventId { .. } => "E062",
            Kind::BadTimelineBlock { .. } => "E063",
            Kind::NotAnEntryType { .. } => "E064",
            Kind::MissingEntryField { .. } => "E065",
            Kind::UnknownGlossaryEntry { .. } => "E066",
            Kind::BadGlossaryBlock { .. } => "E067",
            Kind::UnmentionedEntry { .. } => "W007",
        }
    }

    pub(crate) fn severity(&self) -> Severity {
        if self.code().starts_with('W') {
            Severity::Warning
        } else {
            Severity::Error
        }
    }

    /// How to fix it.
    pub(crate) fn hint(&self) -> Option<String> {
        Some(match self {
            Kind::TomlSyntax { .. } => "fix the TOML syntax at the marked spot".into(),
            Kind::UnknownKey {
                suggestion: Some(s), ..
            } => format!("did you mean `{s}`?"),
            Kind::UnknownKey { valid, .. } => format!("valid keys are: {}", valid.join(", ")),
            Kind::BadValue { .. } => return None,
            Kind::MissingTitle => "add a line `title = \"…\"` to the front matter".into(),
            Kind::NoFrontMatter => {
                "start the file with a `+++` line, then `title = \"…\"`, then another `+++` line".into()
            }
            Kind::UnclosedFrontMatter => "close the front matter with a line holding only `+++`".into(),
            Kind::BadDate { key, .. } => {
                format!("write a TOML date without quotes, e.g. `{key} = 2024-05-13`")
            }
            Kind::TemplateSyntax { .. } | Kind::TemplateRender { .. } => {
                "fix the template at the marked spot".into()
            }
            Kind::MissingTemplate { available, .. } if available.is_empty() => "add it to templates/".into(),
            Kind::MissingTemplate { available, .. } => {
                format!("add it to templates/, or use one of: {}", available.join(", "))
            }
            Kind::DuplicateUrl { .. } => "give one of the pages another `slug` in its front matter".into(),
            Kind::FolderOnFile { .. } => {
                "remove that alias (or change the page's `slug`): a folder cannot be made where a file is written".into()
            }
            Kind::MissingFile {
                what: "bibliography file",
                ..
            } => "create the file, or remove it from `bibliography` in kagu.toml".into(),
            Kind::MissingFile { .. } | Kind::Io { .. } => return None,
            Kind::UnknownCitation {
                suggestion: Some(s), ..
            } => format!("did you mean `@{s}`?"),
            Kind::UnknownCitation { .. } => {
                "add the source to content/sources.toml, or write \\@ for an @ that cites nothing".into()
            }
            Kind::DuplicateSource { .. } => "give each source a unique key".into(),
            Kind::MissingSourceTitle { .. } => "add `title = \"…\"` to the source".into(),
            Kind::BadUrl { .. } => "use a full http:// or https:// address".into(),
            Kind::MalformedCitation { .. } => {
                "write citations as [@key], [@key, p. 12] or [@a; @b]; write \\[@ for a literal bracket"
                    .into()
            }
            Kind::BadBibliography { .. } => "fix the entry at the marked spot".into(),
            Kind::BibliographyLoop { .. } => {
                "change the `crossref`, `xdata` or `@string` that leads back, or nest the braces less deep".into()
            }
            Kind::UnknownStyle {
                suggestion: Some(s), ..
            } => format!("did you mean `{s}`?"),
            Kind::UnknownStyle { .. } => "use a CSL style name such as `chicago-notes` or `apa`".into(),
            Kind::BadStyleFile { .. } => {
                "give the path of an independent CSL style file, relative to kagu.toml, or a bundled style's name".into()
            }
            Kind::BrokenLink {
                suggestion: Some(s), ..
            } => format!("did you mean `{s}`?"),
            Kind::BrokenLink { .. } => "link to a .md file under content/, relative to this file".into(),
            Kind::BrokenAnchor {
                hint: AnchorHint::Closest(s),
                ..
            } => format!("did you mean `#{s}`?"),
            Kind::BrokenAnchor {
                hint: AnchorHint::Ids(ids),
                ..
            } => format!("its headings' ids are: {ids}"),
            Kind::BrokenAnchor {
                hint: AnchorHint::Page(page),
                ..
            } => format!("`#` starts a heading's id; to link to the page, write `{page}`"),
            Kind::BrokenAnchor { .. } => "link to a heading id of the target page".into(),
            Kind::HiddenLink { .. } => {
                "rename the file so that its name does not start with `.` or `#` nor end like an editor's backup (`~`, `.bak`, `.tmp`), and link to the new name".into()
            }
            Kind::UncitedSource { .. } => "cite it with [@key] or remove it".into(),
            Kind::NulByte => "remove it: a NUL byte has no place in text (is this a binary file saved as .md?)".into(),
            Kind::NotUtf8 => "save the file as UTF-8".into(),
            Kind::TemplateLimit { .. } => {
                "look for a loop in the template that never ends or keeps growing".into()
            }
            Kind::OutputClash { .. } => "rename or remove one of them".into(),
            Kind::BadPath { key: "slug", .. } => {
                "write the slug as one name of letters, digits and hyphens, e.g. `slug = \"history\"`".into()
            }
            Kind::BadPath { .. } => {
                "write each alias as a path inside the site, e.g. `aliases = [\"old/history/\"]`".into()
            }
            Kind::EmptyUrl { folder: true, .. } => {
                "set `slug = \"…\"` in the folder's _index.md, or rename the folder".into()
            }
            Kind::EmptyUrl { .. } => "set `slug = \"…\"` in its front matter".into(),
            Kind::Unreadable { .. } => "check the file's permissions".into(),
            Kind::WrongFileType { expected, .. } => format!("put {expected} in its place"),
            Kind::Skipped { .. } => {
                "kagu reads only regular files and folders inside the project: put the file itself there, or move it out".into()
            }
            Kind::OutsideProject { key: "theme", .. } => {
                "name a folder under themes/, e.g. `theme = \"default\"`".into()
            }
            Kind::OutsideProject { .. } => {
                "keep bibliography files inside the project folder, e.g. `bibliography = [\"refs/sources.bib\"]`".into()
            }
            Kind::UnsafeOutput { .. } => {
                "give the site an output folder of its own, e.g. `--output-dir public`".into()
            }
            Kind::ForeignOutput { .. } => {
                "choose an empty or new folder with --output-dir, or pass --force to replace this one".into()
            }
            Kind::SymlinkOutput { .. } => {
                "remove the link, or pass the folder it points to with --output-dir".into()
            }
            Kind::UnknownSourceType {
                suggestion: Some(s), ..
            } => format!("did you mean `{s}`?"),
            Kind::BlockTemplate { block, .. } => format!(
                "a block template places its values ({}) as they are or escaped, and may test only its flags ({}); kagu makes it once, not for every block",
                list_or_none(&block.def().slots.iter().map(|s| s.name()).collect::<Vec<_>>()),
                list_or_none(block.def().flags)
            ),
            Kind::DuplicateHeadingId { id } => format!(
                "give this heading an id of its own, e.g. `{{#{id}-2}}`: a link to `#{id}` goes to the first"
            ),
            Kind::UnknownCallout { suggestion: Some(s), .. } => format!("did you mean `[!{s}]`?"),
            Kind::UnknownCallout { .. } => {
                "a callout is `[!NOTE]`, `[!TIP]`, `[!IMPORTANT]`, `[!WARNING]` or `[!CAUTION]`".into()
            }
            Kind::UnknownWord { suggestion: Some(s), .. } => format!("did you mean `{s}`?"),
            Kind::UnknownWord { .. } => {
                "the theme's strings are listed in its i18n/en.toml (the default theme's in the guide's theme page)".into()
            }
            Kind::UnknownSourceType { known, .. } => format!("use one of: {}", known.join(", ")),
            _ => return self.content_hint(),
        })
    }

    /// How to fix a mistake in a page or a data file (the rest of [`Kind::hint`]).
    fn content_hint(&self) -> Option<String> {
        Some(match self {
            Kind::UnknownLocatorLabel {
                label,
                locator,
                suggestion: Some(s),
            } => format!("did you mean `{}`?", locator.replacen(label.as_str(), s, 1)),
            Kind::UnknownLocatorLabel { .. } => {
                "a locator's label is one of CSL's: `p.`, `chap.`, `sec.`, `para.`, `fig.`, `vol.`, … (the guide's citations page lists them)".into()
            }
            Kind::MistypedScheme { scheme, suggestion } => {
                format!("write `{suggestion}:` for `{scheme}:`")
            }
            Kind::NoSourcesPage => "add a source to content/sources.toml, or remove the link".into(),
            Kind::ExternalBroken { archive, .. } => match archive {
                Archive::Works => "the live copy is gone; the archived copy works: cite it (make `archive_url` the `url`), or set `archived = true`".into(),
                Archive::Fails => "its archived copy does not work either: find where it moved, or another copy".into(),
                Archive::None => "the source has no archived copy: find where it moved, and add an `archive_url` (from the Wayback Machine, say)".into(),
                Archive::NotASource => "fix the address, or remove the link".into(),
            },
            Kind::ExternalMoved { to, .. } => format!("write the new address, `{to}`"),
            Kind::NoWords { language } => format!(
                "write i18n/{language}.toml with the theme's strings in that language (the keys of its i18n/en.toml)"
            ),
            Kind::MissingWord { key, .. } => format!("add `{key} = \"…\"` to this file"),
            Kind::Untranslated { language, pages } => format!(
                "translate each as a file beside it ({}), or leave it: readers of `{language}` are led to the original; `--message-format json` lists them all",
                pages[0]
                    .strip_suffix(".md")
                    .map_or(String::new(), |stem| format!("content/{stem}.{language}.md"))
            ),
            Kind::BadEdition { reason, .. } => format!("change the table's name or its `path`: {reason}"),
            Kind::BadUpdate { hint, .. } | Kind::BadClaim { hint, .. } => hint.clone(),
            Kind::ArchivedWithoutCopy => {
                "add its `archive_url` (from the Wayback Machine, say), or remove `archived = true`".into()
            }
            Kind::CitationAfterStop { stop } => format!(
                "put it before the `{stop}`: `claim [@key]{stop}` reads right in every style (a note style moves its note after the `{stop}`)"
            ),
            Kind::CardImageFormat { .. } => {
                "use a PNG, JPEG, GIF or WebP picture, best 1200 × 630 pixels".into()
            }
            Kind::CardImageAlt { .. } => {
                "say what it shows beside it: `image_alt = \"A map of the islands\"`".into()
            }
            Kind::MissingCardImage { suggestion: Some(s), .. } => format!("did you mean `{s}`?"),
            Kind::MissingCardImage { .. } => {
                "put the picture in static/ and write its path from the site's folder: `image = \"static/card.png\"`".into()
            }
            Kind::UndefinedFootnote { label } => {
                format!("add a line `[^{label}]: …` with the note's text, or remove the marker")
            }
            Kind::UnusedFootnote { label } => format!("refer to it with `[^{label}]` in the text, or remove it"),
            Kind::RootLink { fixed: Some(f), .. } => {
                format!("write the link relative to this file, `{f}`, so it works under any subpath")
            }
            Kind::RootLink { .. } => "write the link relative to this file, so it works under any subpath".into(),
            Kind::MalformedPageLink { fixed, .. } => format!("link to the Markdown file itself: `{fixed}`"),
            Kind::MissingFileLink {
                suggestion: Some(s), ..
            } => format!("did you mean `{s}`?"),
            Kind::MissingFileLink { .. } => {
                "put the file beside the page under content/, or in static/ and link to it as `../static/…`".into()
            }
            Kind::DraftLink { .. } => "build with --drafts, or publish the page (remove `draft = true`)".into(),
            Kind::UnknownTheme { available, .. } => format!(
                "use one of: {}",
                available.join(", ")
            ),
            Kind::UnusedTags { .. } => {
                "no template shows tags yet: remove them, or show `page.tags` in a template of your own".into()
            }
            Kind::RelativeBaseUrl { .. } => {
                "set `base_url` in kagu.toml to the address the site will have, e.g. `base_url = \"https://example.org/explainer/\"` (or pass --base-url)".into()
            }
            Kind::ChangedWhileBuilding { .. } => {
                "build again: the places shown for this file's problems may be off".into()
            }
            Kind::PlaceholderBaseUrl { .. } => {
                "set `base_url` to the address the site will be published at (or pass --base-url)".into()
            }
            Kind::BadEventDate { .. } => {
                "write a date as YYYY, YYYY-MM or YYYY-MM-DD, a range as 2018/2021, a rough date as `c. 1850`".into()
            }
            Kind::MissingEventField { .. } => "give every [[event]] a `date` and a `title`".into(),
            Kind::DuplicateEventId { .. } => "give one of the events another `id`".into(),
            Kind::NotAnEntryType { suggestion: Some(s), .. } => format!("did you mean `{s}`?"),
            Kind::NotAnEntryType { known, .. } => format!("use one of: {}", known.join(", ")),
            Kind::MissingEntryField { .. } => "give every entry a `kind` and a `name`".into(),
            Kind::UnknownGlossaryEntry { suggestion: Some(s), .. } => format!("did you mean `glossary:{s}`?"),
            Kind::UnknownGlossaryEntry { .. } => {
                "name a key of content/glossary.toml, or write `glossary:none` for plain text".into()
            }
            Kind::BadGlossaryBlock { .. } => "write `{{ glossary() }}` on the page that lists the entries".into(),
            Kind::UnmentionedEntry { .. } => {
                "mention it on a page (by its name or an alias), or remove it".into()
            }
            Kind::BadTimelineBlock { .. } => {
                "write `{{ timeline() }}` for every event, or `{{ timeline(tags = [\"a tag\"]) }}` for some".into()
            }
            Kind::MissingAlt => {
                "describe the image between the brackets, `![A chart of prices since 2020](prices.png)`, for readers who cannot see it".into()
            }
            Kind::YamlFrontMatter { toml } => {
                format!("kagu reads TOML front matter between `+++` lines; here it is as TOML:\n{toml}")
            }
            Kind::MarkupInPlainText { .. } => {
                "front matter values are plain text: write the claim and its citation in the page body".into()
            }
            Kind::MinifyUnavailable => {
                "leave out --minify (hosts compress pages anyway), or use a release binary of kagu, or build kagu with `--features minify`".into()
            }
            Kind::Internal { .. } => {
                "this is a bug in kagu, please report it; the next edit rebuilds the whole site".into()
            }
            _ => return None,
        })
    }
}

/// `a`, `b` and `c` as a list for a hint, or "none".
fn list_or_none(items: &[&str]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items
            .iter()
            .map(|i| format!("`{i}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Of a broken web address: is it a source's, and does the source's archived copy work?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Archive {
    /// Not a source's `url`.
    NotASource,
    /// A source with no `archive_url`.
    None,
    /// Its `archive_url` works.
    Works,
    /// Its `archive_url` fails too.
    Fails,
}

/// What a missing heading's hint offers.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum AnchorHint {
    /// The closest id.
    Closest(String),
    /// The target page's ids, written out (`#one, #two`), when it has few.
    Ids(String),
    /// The fragment names a page (`#lead.md`): the link that was meant.
    Page(String),
    None,
}

/// One problem, located by file and byte range.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub(crate) kind: Kind,
    /// The file it is in (None for a problem of the whole site).
    pub file: Option<FileId>,
    /// Where in the file, in bytes.
    pub span: Range<usize>,
}

impl Diagnostic {
    /// Error or warning.
    pub fn severity(&self) -> Severity {
        self.kind.severity()
    }

    /// Its stable code (`E040`, `W001`), the key of its entry in the guide's error index.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// What is wrong, in one sentence.
    pub fn message(&self) -> String {
        self.kind.to_string()
    }

    /// What is wrong with a file read for parsing, located in it.
    pub(crate) fn of_flaw(flaw: crate::base::files::Flaw, file: FileId, files: &Files) -> Self {
        use crate::base::files::Flaw;
        match flaw {
            Flaw::NotUtf8(at) => Self::at(Kind::NotUtf8, file, at..at + 1),
            Flaw::NulByte(at) => Self::at(Kind::NulByte, file, at..at + 1),
            Flaw::Unreadable(message) => Self::global(Kind::Unreadable {
                what: "file",
                path: files.path(file).to_string(),
                message,
            }),
        }
    }

    pub(crate) fn at(kind: Kind, file: FileId, span: Range<usize>) -> Self {
        Diagnostic {
            kind,
            file: Some(file),
            span,
        }
    }
    pub(crate) fn global(kind: Kind) -> Self {
        Diagnostic {
            kind,
            file: None,
            span: 0..0,
        }
    }
}

/// Collects every diagnostic of a run, so that one run reports them all.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Adds one.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }
    /// Adds it unless the same one (file, place and kind) is there; says whether it was added.
    pub fn push_once(&mut self, d: Diagnostic) -> bool {
        let known = self
            .items
            .iter()
            .any(|e| e.file == d.file && e.span == d.span && e.kind == d.kind);
        if !known {
            self.items.push(d);
        }
        !known
    }
    /// Adds these.
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }
    /// Is any an error?
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.kind.severity() == Severity::Error)
    }
    /// How many are errors.
    pub fn errors(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.kind.severity() == Severity::Error)
            .count()
    }
    /// How many are warnings.
    pub fn warnings(&self) -> usize {
        self.items.len() - self.errors()
    }
    /// Every one, in order.
    pub fn into_items(self) -> Vec<Diagnostic> {
        self.items
    }
    /// Every one, in order.
    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }
    /// Sorts by file, then position, so output order does not depend on thread scheduling.
    /// Root causes come first: the site's config, then its sources, then templates, then
    /// pages (a mistake in kagu.toml or a source explains what the pages show).
    pub fn sort(&mut self, files: &Files) {
        fn rank(path: &str) -> u8 {
            if path == crate::base::files::CONFIG_FILE {
                1
            } else if path.starts_with("templates/") || path.starts_with("themes/") {
                3
            } else if path.starts_with("content/") && path.ends_with(".md") {
                4
            } else {
                2
            }
        }
        self.items.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                let path = d.file.map(|f| files.path(f).to_string());
                (path.as_deref().map_or(0, rank), path, d.span.start)
            };
            key(a).cmp(&key(b))
        });
    }
}

/// The closest candidate to `word`, if any is close enough to be a useful suggestion.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    candidates
        .into_iter()
        .map(|c| (strsim::normalized_damerau_levenshtein(word, c), c))
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.to_string())
}

/// Candidates compared one by one up to this many; above it, through an index.
const LINEAR_SUGGESTIONS: usize = 500;

/// Suggestions from a fixed set of words, for many misses: on a small set each miss is compared
/// with every word ([`did_you_mean`]); on a large one only with the words an index of one-letter
/// deletions finds (those within about two edits), so 9,000 misses against 3,000 pages cost
/// 9,000 look-ups, not 27 million comparisons. The index is built on the first miss.
pub(crate) struct Suggester<'a> {
    words: Vec<&'a str>,
    index: std::sync::OnceLock<std::collections::HashMap<String, Vec<u32>>>,
}

impl<'a> Suggester<'a> {
    pub(crate) fn new(words: impl IntoIterator<Item = &'a str>) -> Self {
        Suggester {
            words: words.into_iter().collect(),
            index: std::sync::OnceLock::new(),
        }
    }

    /// `word` and every string made by deleting one of its characters.
    fn deletions(word: &str) -> impl Iterator<Item = String> + '_ {
        std::iter::once(word.to_string()).chain(
            word.char_indices()
                .map(move |(i, c)| format!("{}{}", &word[..i], &word[i + c.len_utf8()..])),
        )
    }

    pub(crate) fn suggest(&self, word: &str) -> Option<String> {
        if self.words.len() <= LINEAR_SUGGESTIONS {
            return did_you_mean(word, self.words.iter().copied());
        }
        let index = self.index.get_or_init(|| {
            let mut index: std::collections::HashMap<String, Vec<u32>> = std::collections::HashMap::new();
            for (i, w) in self.words.iter().enumerate() {
                for d in Self::deletions(w) {
                    let ids = index.entry(d).or_default();
                    if ids.last() != Some(&(i as u32)) {
                        ids.push(i as u32);
                    }
                }
            }
            index
        });
        let mut found: Vec<u32> = Self::deletions(word)
            .filter_map(|d| index.get(&d))
            .flatten()
            .copied()
            .collect();
        found.sort_unstable();
        found.dedup();
        did_you_mean(word, found.iter().map(|&i| self.words[i as usize]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_finds_what_the_linear_scan_finds_for_close_words() {
        let names: Vec<String> = (0..2000)
            .map(|i| format!("section-{}/page-{i:04}.md", i % 7))
            .collect();
        let big = Suggester::new(names.iter().map(String::as_str));
        for (typo, want) in [
            ("section-3/pgae-0010.md", "section-3/page-0010.md"),
            ("sction-3/page-0010.md", "section-3/page-0010.md"),
            ("section-3/page-00100.md", "section-3/page-0010.md"),
            ("section-2/page-0023.md", "section-2/page-0023.md"),
        ] {
            assert_eq!(big.suggest(typo).as_deref(), Some(want), "{typo}");
        }
        let small = Suggester::new(["title", "date"]);
        assert_eq!(small.suggest("titel").as_deref(), Some("title"));
        assert_eq!(small.suggest("zzz"), None);
    }

    #[test]
    fn suggestions_pick_the_closest_and_skip_far_ones() {
        assert_eq!(did_you_mean("titel", ["title", "date"]), Some("title".into()));
        assert_eq!(did_you_mean("zzz", ["title", "date"]), None);
    }
}
