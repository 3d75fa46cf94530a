//! The wording of every diagnostic: what [`Kind`] says went wrong.

use std::fmt;

use super::Kind;

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Kind::TomlSyntax { what, message } => write!(f, "invalid TOML in {what}: {message}"),
            Kind::UnknownKey { key, table, .. } => write!(f, "unknown key `{key}` in {table}"),
            Kind::BadValue { key, message } => write!(f, "bad value for `{key}`: {message}"),
            Kind::MissingTitle => write!(f, "the front matter has no `title`"),
            Kind::NoFrontMatter => write!(f, "the file does not start with `+++` front matter"),
            Kind::UnclosedFrontMatter => write!(f, "the front matter is never closed"),
            Kind::BadDate { key, message } => write!(f, "`{key}` is not a valid date: {message}"),
            Kind::TemplateSyntax { message } => write!(f, "template syntax error: {message}"),
            Kind::TemplateRender { template, message } => {
                write!(f, "error rendering template `{template}`: {message}")
            }
            Kind::MissingTemplate { name, .. } => write!(f, "template `{name}` does not exist"),
            Kind::FolderOnFile { url, other } => {
                write!(f, "this page would make the folder `{url}` where {other} is written")
            }
            Kind::DuplicateUrl { url, other } => {
                write!(f, "this page would write `{url}`, which {other} writes too")
            }
            Kind::MissingFile { what, path } => write!(f, "{what} `{path}` does not exist"),
            Kind::Io { path, message } => write!(f, "I/O error on `{path}`: {message}"),
            Kind::UnknownCitation { key, .. } => write!(f, "unknown citation key `@{key}`"),
            Kind::DuplicateSource { key, first } => {
                write!(f, "source `{key}` is defined twice (first in {first})")
            }
            Kind::MissingSourceTitle { key } => write!(f, "source `{key}` has no `title`"),
            Kind::BadUrl { url, message } => write!(f, "`{url}` is not a usable URL: {message}"),
            Kind::MalformedCitation { text, message } => {
                write!(f, "malformed citation `[{text}]`: {message}")
            }
            Kind::BadBibliography { message } => write!(f, "cannot read bibliography: {message}"),
            Kind::BibliographyLoop { message } => {
                write!(f, "cannot follow the bibliography's references: {message}")
            }
            Kind::UnknownStyle { name, .. } => write!(f, "unknown citation style `{name}`"),
            Kind::BadStyleFile { path, message } => write!(f, "cannot use the citation style file `{path}`: {message}"),
            Kind::BrokenLink { target, .. } => write!(f, "broken link: `{target}` does not exist"),
            Kind::BrokenAnchor { target, anchor, .. } if target.is_empty() => {
                write!(f, "broken link: this page has no heading `#{anchor}`")
            }
            Kind::BrokenAnchor { target, anchor, .. } => {
                write!(f, "broken link: `{target}` has no heading `#{anchor}`")
            }
            Kind::HiddenLink { target } => write!(
                f,
                "broken link: `{target}` names a hidden or backup file, which kagu does not read"
            ),
            Kind::UncitedSource { key } => write!(f, "source `{key}` is never cited"),
            Kind::NulByte => write!(f, "the file holds a NUL byte"),
            Kind::WrongFileType {
                what,
                path,
                found,
                expected,
            } => write!(f, "the {what} `{path}` is {found}, not {expected}"),
            Kind::Skipped { path, found } => write!(f, "`{path}` is skipped: it is {found}"),
            Kind::BlockTemplate { block, problem } => {
                write!(f, "the block template `{}` {problem}", block.def().template)
            }
            Kind::UnknownWord { key, .. } => write!(f, "the theme has no string `{key}`"),
            Kind::DuplicateHeadingId { id } => write!(f, "the id `{id}` is already used on this page"),
            Kind::UnknownCallout { name, .. } => {
                write!(f, "`[!{name}]` is not a kind of callout; it would be printed as a quotation")
            }
            Kind::NotUtf8 => write!(f, "the file is not valid UTF-8"),
            Kind::TemplateLimit { template, limit } => {
                write!(f, "template `{template}` was stopped: {limit}")
            }
            Kind::OutputClash { path, first, second } => {
                write!(f, "`{path}` would be written by both {first} and {second}")
            }
            Kind::BadPath { key, value, problem } => {
                write!(f, "`{key}` value `{value}` cannot be a path in the site: {problem}")
            }
            Kind::EmptyUrl { name, folder } => write!(
                f,
                "the {} name `{name}` has no letters or digits to make a URL from",
                if *folder { "folder" } else { "file" }
            ),
            Kind::Unreadable { what, path, message } => {
                write!(f, "{what} `{path}` cannot be read: {message}")
            }
            Kind::OutsideProject { key, value } => {
                write!(f, "`{key}` value `{value}` leaves the project folder")
            }
            Kind::UnsafeOutput { path, reason } => {
                write!(f, "refusing to write the site to `{path}`: it {reason}")
            }
            Kind::ForeignOutput { path, found } => write!(
                f,
                "refusing to replace `{path}`: it is not empty ({found}) and kagu did not make it (no .kagu-output file)"
            ),
            Kind::Internal { message } => write!(f, "kagu failed while rebuilding: {message}"),
            Kind::MinifyUnavailable => write!(f, "--minify is not available: this kagu was built without the `minify` feature"),
            Kind::UnknownSourceType { name, .. } => write!(f, "unknown source type `{name}`"),
            Kind::UndefinedFootnote { label } => write!(f, "footnote `[^{label}]` has no definition"),
            Kind::UnusedFootnote { label } => write!(f, "footnote `[^{label}]` is defined but never referenced"),
            Kind::RootLink { target, .. } => {
                write!(f, "link `{target}` starts at the site root")
            }
            Kind::MalformedPageLink { target, .. } => {
                write!(f, "broken link: `{target}` is not a Markdown file's path")
            }
            Kind::MissingFileLink { target, .. } => {
                write!(f, "broken link: `{target}` is not a file under content/ or static/")
            }
            Kind::DraftLink { target } => write!(f, "`{target}` is a draft, left out of this build"),
            Kind::UnknownTheme { name, .. } => write!(f, "theme `{name}` does not exist"),
            Kind::UnusedTags { pages } => write!(
                f,
                "tags are set on {pages} page(s), but no template shows them"
            ),
            Kind::YamlFrontMatter { .. } => write!(f, "the front matter is YAML (`---`), not TOML"),
            Kind::MissingAlt => write!(f, "the image has no alt text"),
            Kind::ChangedWhileBuilding { path } => {
                write!(f, "`{path}` changed while kagu was reading the site")
            }
            Kind::PlaceholderBaseUrl { url } => write!(
                f,
                "base_url `{url}` is a placeholder: canonical links, link previews, the sitemap and the feed point at it"
            ),
            Kind::RelativeBaseUrl { url } => write!(
                f,
                "base_url `{url}` is not a full address, so the sitemap, the Atom feed, canonical links and link-preview URLs are left out"
            ),
            Kind::MarkupInPlainText { key, found } => {
                write!(f, "`{key}` holds {found}, but front matter values are plain text")
            }
            Kind::SymlinkOutput { path, target } => write!(
                f,
                "refusing to write the site to `{path}`: it is a symbolic link (to `{target}`), and kagu never writes or deletes through one"
            ),
            _ => self.content_message(f),
        }
    }
}

impl Kind {
    /// What is wrong in a data file or a page's links and citations (the rest of the
    /// [`fmt::Display`] text).
    fn content_message(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Kind::UnknownLocatorLabel { label, locator, .. } => write!(
                f,
                "`{label}` is not a locator label: \"{locator}\" would be printed after the citation as written"
            ),
            Kind::MistypedScheme { scheme, .. } => {
                write!(f, "`{scheme}:` is not a scheme a browser opens; the link would lead nowhere")
            }
            Kind::NoSourcesPage => write!(
                f,
                "a link to sources.toml goes to the sources page, and the site has none: it has no source"
            ),
            Kind::CardImageFormat { image } => {
                write!(f, "`{image}` cannot be a link-preview picture: previews show no such format")
            }
            Kind::ArchivedWithoutCopy => write!(
                f,
                "`archived = true` says the live copy is gone, but the source has no `archive_url` for its notes to link"
            ),
            Kind::NoWords { language } => write!(
                f,
                "the theme has no words in `{language}`: its pages' own words (Contents, Notes, …) are shown in English"
            ),
            Kind::Untranslated { language, pages } => match pages.len() {
                1 => write!(f, "1 page is not translated into {language}: content/{}", pages[0]),
                n => write!(f, "{n} pages are not translated into {language}"),
            },
            Kind::BadEdition { language, .. } => write!(f, "`[languages.{language}]` cannot be an edition"),
            Kind::BadUpdate { problem, .. } => write!(f, "this `[[updates]]` entry {problem}"),
            Kind::BadClaim { problem, .. } => write!(f, "{problem}"),
            Kind::MissingWord { key, language } => {
                write!(f, "no `{key}` in `{language}`: the English string is shown")
            }
            Kind::ExternalBroken { url, what, .. } => write!(f, "`{url}` does not work: {what}"),
            Kind::ExternalMoved { url, .. } => write!(f, "`{url}` has moved for good (a permanent redirect)"),
            Kind::CitationAfterStop { stop } => write!(
                f,
                "this citation follows the sentence's `{stop}`: the style prints it after the sentence it supports"
            ),
            Kind::CardImageAlt { image } => {
                write!(f, "the link-preview picture `{image}` has no `image_alt`")
            }
            Kind::MissingCardImage { image, .. } => {
                write!(f, "`image` `{image}` is not a file under static/")
            }
            Kind::BadEventDate { problem } => write!(f, "this event's date cannot be read: {problem}"),
            Kind::MissingEventField { field } => write!(f, "this event has no {field}"),
            Kind::DuplicateEventId { id } => write!(f, "another event has the id `{id}`"),
            Kind::BadTimelineBlock { problem } => write!(f, "this timeline block shows nothing: {problem}"),
            Kind::NotAnEntryType { name, .. } => write!(f, "`{name}` is not a kind of glossary entry"),
            Kind::MissingEntryField { key, field } => write!(f, "glossary entry `{key}` has no {field}"),
            Kind::UnknownGlossaryEntry { key, .. } => write!(f, "the glossary has no entry `{key}`"),
            Kind::BadGlossaryBlock { problem } => write!(f, "{problem}"),
            Kind::UnmentionedEntry { key } => write!(f, "glossary entry `{key}` is mentioned on no page"),
            _ => write!(f, "{self:?}"),
        }
    }
}
