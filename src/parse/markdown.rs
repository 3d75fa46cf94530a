//! Markdown to HTML in one pulldown-cmark pass. The pass records what later stages must check
//! or fill in: headings (for ids, anchors and the table of contents), internal links (as
//! holes filled once every page exists), citations and footnotes (numbered in one
//! sequence per page, in order of first appearance).

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{BrokenLink, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::citeproc::CiteMode;
use crate::diag::{Diagnostic, FileId, Kind};
use crate::glossary::Glossary;
pub(crate) use crate::parse::cite_syntax::Anchor;
use crate::parse::cite_syntax::{keys_named, narrative_keys, parse_citation, split_locator, Citation};
use crate::timeline::Timeline;

/// HTML with holes for what is known only after every page is parsed: internal link targets and
/// the sidenotes beside note markers. One string and a list of typed holes with their positions,
/// so a large site holds one allocation per page body.
#[derive(Debug, Clone, Default)]
pub struct Fragment {
    html: String,
    holes: Vec<(usize, Hole)>,
}

#[derive(Debug, Clone, Copy)]
enum Hole {
    /// The href of a link to a page.
    Link(LinkId),
    /// The href of a link or image to a file.
    File(FileRefId),
    /// The `width` and `height` attributes of an image.
    Size(FileRefId),
    /// What goes beside a note marker, or an in-text citation.
    Mark(Mark),
}

/// Typed handles for what a page's parse records, each its place in its list of
/// [`ParsedMarkdown`]: a hole, a note or a resolved target names one of these, never a bare index.
macro_rules! handle {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(u32);

        impl $name {
            /// The handle of the `i`th item.
            pub fn new(i: usize) -> Self {
                Self(u32::try_from(i).unwrap_or(u32::MAX))
            }
            /// Its place in its list.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}

handle! {
    /// A link to a page: [`ParsedMarkdown::links`].
    LinkId;
    /// A link or image to a file: [`ParsedMarkdown::files`].
    FileRefId;
    /// A citation (one bracketed or narrative group): [`ParsedMarkdown::citations`].
    CiteId;
    /// A timeline event shown on the page: [`ParsedMarkdown::events`].
    EventId;
    /// A mention of a glossary entry: [`ParsedMarkdown::terms`].
    TermId;
    /// A glossary entry listed by a block: [`ParsedMarkdown::listed`].
    ListedId;
}

/// What the parse pass writes: Markdown events, and holes where the HTML waits for what only
/// later stages know.
#[derive(Debug)]
enum Piece<'a> {
    Md(Event<'a>),
    Hole(Hole),
}

/// A spot in a page that the renderer fills with citation markup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// A sidenote beside a note marker: the note's number, and which use of the note it is.
    Sidenote { number: usize, occurrence: usize },
    /// An in-text citation.
    Cite(CiteId),
    /// A narrative citation's author, in the text before its note marker (note styles).
    Author(CiteId),
    /// The pages that link to a timeline event shown here.
    Mentions(EventId),
    /// The opening tag of a mention's link to its glossary entry.
    TermOpen(TermId),
    /// The closing tag of a mention's link, and its card.
    TermClose(TermId),
    /// The pages that mention a glossary entry listed here.
    Listed(ListedId),
}

/// pulldown-cmark's HTML writer writing into a string that the pieces' iterator reads the
/// length of: each hole's position is the length written when the iterator reaches it.
struct SharedWriter<'s>(&'s std::cell::RefCell<String>);

impl std::fmt::Write for SharedWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.borrow_mut().push_str(s);
        Ok(())
    }
}

impl Fragment {
    /// Writes `pieces` after what the fragment holds: events as HTML (pulldown-cmark's writer),
    /// holes at the place they come in. The writer writes each event before it asks for the
    /// next, so the length written when a hole is reached is the hole's place.
    fn append<'a>(&mut self, pieces: impl IntoIterator<Item = Piece<'a>>) {
        let html = std::cell::RefCell::new(std::mem::take(&mut self.html));
        let holes = &mut self.holes;
        let events = pieces.into_iter().filter_map(|p| match p {
            Piece::Md(e) => Some(e),
            Piece::Hole(h) => {
                holes.push((html.borrow().len(), h));
                None
            }
        });
        // Writing into a String cannot fail.
        let _ = pulldown_cmark::html::write_html_fmt(SharedWriter(&html), events);
        self.html = html.into_inner();
    }

    /// Gives back spare capacity (a page is kept for the whole build).
    fn shrink(&mut self) {
        self.html.shrink_to_fit();
        self.holes.shrink_to_fit();
    }

    /// Joins the fragment, asking `href` for each link's target and `mark` for the markup
    /// beside each note marker and for each in-text citation.
    pub fn render(&self, href: impl Fn(LinkHole) -> String, mark: impl Fn(Mark) -> String) -> String {
        let mut out = String::with_capacity(self.html.len() + 64 * self.holes.len());
        let mut at = 0;
        for &(pos, hole) in &self.holes {
            out.push_str(&self.html[at..pos]);
            match hole {
                Hole::Link(i) => out.push_str(&html_attr_escape(&href(LinkHole::Page(i)))),
                Hole::File(j) => out.push_str(&html_attr_escape(&href(LinkHole::File(j)))),
                // Attributes kagu writes itself (numbers): not escaped.
                Hole::Size(j) => out.push_str(&href(LinkHole::Size(j))),
                Hole::Mark(m) => out.push_str(&mark(m)),
            }
            at = pos;
        }
        out.push_str(&self.html[at..]);
        out
    }
}

/// Ids the default theme gives its own elements on a page: a heading must not take one.
pub(crate) const THEME_IDS: [&str; 7] = [
    "main",
    "glance-heading",
    "in-this-section",
    "notes-heading",
    "references-heading",
    "backlinks-heading",
    "sections-heading",
];

/// Is `id` one of [`THEME_IDS`], a note's (`note-3`), a note back-link's (`ref-3-1`), an in-text
/// citation's (`cite-3`) or a References entry's (`bib-…`)?
pub(crate) fn is_theme_id(id: &str) -> bool {
    let numbers = |rest: &str, parts: usize| {
        let p: Vec<&str> = rest.split('-').collect();
        p.len() == parts
            && p.iter()
                .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    THEME_IDS.contains(&id)
        || id.strip_prefix("note-").is_some_and(|r| numbers(r, 1))
        || id.strip_prefix("ref-").is_some_and(|r| numbers(r, 2))
        || id.strip_prefix("cite-").is_some_and(|r| numbers(r, 1))
        || id.starts_with("bib-")
}

/// `s` escaped for HTML text and attribute values (`&`, `<`, `>`, `"`): the one escaper for
/// the HTML that kagu assembles itself (templates escape through tera).
pub(crate) fn html_attr_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, s);
    out
}

#[derive(Debug, Clone, Serialize)]
pub struct Heading {
    /// Byte offset of the heading in its file (for "linked from" headings).
    #[serde(skip)]
    pub pos: usize,
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// Which link an href hole asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkHole {
    /// The href of a link to a page.
    Page(LinkId),
    /// The href of a link or image to a file.
    File(FileRefId),
    /// ` width="…" height="…"` of an image (or nothing).
    Size(FileRefId),
}

/// A link or image to a file that is not a page (`map.png`, `../static/report.pdf`), as written:
/// `path` relative to the page's file.
#[derive(Debug, Clone)]
pub(crate) struct FileRef {
    pub path: String,
    pub fragment: Option<String>,
    /// The file it is written in (the page's, or content/timeline.toml for an event).
    pub file: FileId,
    pub span: Range<usize>,
}

/// A link that starts at the site root (`/allegations/`): it breaks under a subpath, so it is
/// reported with the relative path to write instead.
#[derive(Debug, Clone)]
pub(crate) struct RootLink {
    pub path: String,
    /// The file it is written in (the page's, or content/timeline.toml for an event).
    pub file: FileId,
    pub span: Range<usize>,
}

/// An internal link as written: `path` relative to the page's file (empty for `#anchor` links).
#[derive(Debug, Clone)]
pub(crate) struct LinkRef {
    pub path: String,
    pub fragment: Option<String>,
    /// The file it is written in (the page's, or content/timeline.toml for an event).
    pub file: FileId,
    pub span: Range<usize>,
}

/// One citation (`[see @a, p. 3; @b]`), in reading order.
#[derive(Debug, Clone)]
pub struct CiteGroup {
    pub items: Vec<Citation>,
    /// The file it is written in (the page's, or content/timeline.toml for an event).
    pub file: FileId,
    pub span: Range<usize>,
}

/// A timeline event or glossary entry as a page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shown {
    /// The event's id (`event-…`) or the entry's key.
    pub key: String,
    /// Its anchor on the page: the same, unless a heading took that id first.
    pub anchor: String,
}

/// One spot that cites a source: an item of a [`CiteGroup`].
#[derive(Debug, Clone, Copy)]
pub struct CiteUse<'a> {
    pub key: &'a str,
    /// The file the citation is written in.
    pub file: FileId,
    pub span: &'a Range<usize>,
    pub anchor: Anchor,
}

#[derive(Debug, Clone)]
pub enum NoteKind {
    Footnote {
        label: String,
        body: Fragment,
    },
    /// One source's note ([`CiteMode::NotePerSource`]): its entry, each marker's locator.
    Source {
        key: String,
    },
    /// A citation as a note of its own (note styles).
    Citation {
        group: CiteId,
    },
}

/// One entry of the page's Notes list. `uses` holds, per marker in order, the locator it gave
/// (a footnote's or one source's note; a citation's note has its one marker).
#[derive(Debug, Clone)]
pub struct Note {
    pub number: usize,
    pub kind: NoteKind,
    /// Empty for a [`NoteKind::Citation`], whose one marker's locator is in its text.
    pub uses: Vec<Option<String>>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct ParsedMarkdown {
    pub body: Fragment,
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
    pub files: Vec<FileRef>,
    pub root_links: Vec<RootLink>,
    /// Ids of the page's figures (`fig-…`) and timeline events (`event-…`), which links may
    /// point to like headings.
    pub anchor_ids: Vec<String>,
    /// The timeline events the page shows, in order.
    pub events: Vec<Shown>,
    /// How many `{{ timeline() }}` blocks the page has (shown or not): an edit of the timeline
    /// parses it again.
    pub timeline_blocks: usize,
    /// The glossary entries the page mentions (by key), each once, in order.
    pub terms: Vec<String>,
    /// The glossary entries its `{{ glossary() }}` blocks list.
    pub listed: Vec<Shown>,
    /// How many `{{ glossary() }}` blocks it has.
    pub glossary_blocks: usize,
    pub citations: Vec<CiteGroup>,
    pub notes: Vec<Note>,
    /// Keys named in citations that could not be read (reported there): not "never cited".
    pub keys_in_malformed: Vec<String>,
    pub word_count: usize,
}

impl ParsedMarkdown {
    /// Every spot that cites a source, in reading order.
    pub(crate) fn cites(&self) -> impl Iterator<Item = CiteUse<'_>> {
        self.citations.iter().flat_map(|g| {
            g.items.iter().map(move |c| CiteUse {
                key: &c.key,
                file: g.file,
                span: &g.span,
                anchor: c.anchor,
            })
        })
    }
}

pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// The kinds of GitHub's alerts, as kagu names their callouts.
fn callout_name(kind: pulldown_cmark::BlockQuoteKind) -> (&'static str, &'static str) {
    use pulldown_cmark::BlockQuoteKind as K;
    match kind {
        K::Note => ("note", "Note"),
        K::Tip => ("tip", "Tip"),
        K::Important => ("important", "Important"),
        K::Warning => ("warning", "Warning"),
        K::Caution => ("caution", "Caution"),
    }
}

/// Custom callout titles (`> [!NOTE] What we don't know`): pulldown-cmark takes an alert only
/// when its marker ends the line, so each title is blanked out (byte for byte, so every offset
/// stays true) and kept by the byte where its line starts.
fn take_callout_titles(body: &str) -> (std::borrow::Cow<'_, str>, HashMap<usize, String>) {
    let mut titles = HashMap::new();
    let mut out: Option<Vec<u8>> = None;
    let mut pos = 0;
    for line in body.split_inclusive('\n') {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix('>') {
            let rest = rest.trim_start();
            let upper = rest.get(..12).unwrap_or(rest).to_ascii_uppercase();
            for kind in ["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"] {
                let marker = format!("[!{kind}]");
                if upper.starts_with(&marker) {
                    let after = &rest[marker.len()..];
                    let title = after.trim();
                    if !title.is_empty() && after.starts_with([' ', '\t']) {
                        let start = pos + (line.len() - after.len());
                        let end = pos + line.trim_end().len();
                        let bytes = out.get_or_insert_with(|| body.as_bytes().to_vec());
                        bytes[start..end].fill(b' ');
                        // Keyed by the `>`, where the block quote's events start.
                        titles.insert(pos + (line.len() - t.len()), title.to_string());
                    }
                }
            }
        }
        pos += line.len();
    }
    match out {
        // Only ASCII spaces replaced whole lines' tails, so the bytes are still UTF-8.
        Some(bytes) => (
            std::borrow::Cow::Owned(
                String::from_utf8(bytes)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            ),
            titles,
        ),
        None => (std::borrow::Cow::Borrowed(body), titles),
    }
}

const CITE_DEST: &str = "kagu-cite:";

/// What a link destination points at.
#[derive(Debug, PartialEq, Eq)]
enum Dest {
    /// Another page's Markdown file, or an anchor on this page.
    Page,
    /// Another site, a mail address, or anything with a scheme: left as it is.
    External,
    /// A path from the site root.
    Root,
    /// A `.md` path with something after it (`page.md/`, `page.md?x`): the fixed path.
    MalformedPage(String),
    /// A file that is not a page, relative to this page's file.
    File,
}

fn classify_dest(dest: &str) -> Dest {
    if dest.starts_with('#') {
        return Dest::Page;
    }
    let has_scheme = dest.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty() && !s.contains('/') && s.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if dest.is_empty() || has_scheme || dest.starts_with("//") {
        return Dest::External;
    }
    if dest.starts_with('/') {
        return Dest::Root;
    }
    let path = dest.split('#').next().unwrap_or_default();
    if path.ends_with(".md") {
        return Dest::Page;
    }
    if let Some(i) = path.find(".md/").or_else(|| path.find(".md?")) {
        return Dest::MalformedPage(path[..i + 3].to_string());
    }
    Dest::File
}

/// `dest` cut into its path and fragment.
fn path_and_fragment(dest: &str) -> (String, Option<String>) {
    match dest.split_once('#') {
        Some((p, f)) => (p.to_string(), Some(f.to_string())),
        None => (dest.to_string(), None),
    }
}

#[derive(Default)]
struct HeadingCapture<'a> {
    level: u8,
    pos: usize,
    id: Option<String>,
    classes: Vec<String>,
    events: Vec<Piece<'a>>,
    text: String,
}

struct State<'a> {
    mode: CiteMode,
    file: FileId,
    offset: usize,
    src: &'a str,
    out: ParsedMarkdown,
    diags: Vec<Diagnostic>,
    main: Vec<Piece<'a>>,
    footnote: Option<(String, Vec<Piece<'a>>)>,
    heading: Option<HeadingCapture<'a>>,
    footnote_bodies: HashMap<String, Fragment>,
    note_of: HashMap<(bool, String), usize>,
    ids: HashMap<String, usize>,
    skip_link_depth: usize,
    /// Inside how many links: their text holds no narrative citation.
    link_depth: usize,
    /// Source text up to here was read as a narrative citation's locator: not text.
    skip_until: usize,
    /// Right after note markers: (which sink, its length then, where the first of the markers
    /// is), so punctuation that follows can move before them.
    after_markers: Option<((bool, bool), usize, usize)>,
    /// Each footnote definition's label and where it is, to find those never referenced.
    definitions: Vec<(String, Range<usize>)>,
    /// An image to a local file being read: its hole, title and alt text so far.
    image: Option<(FileRefId, String, String)>,
    /// Byte ranges (in the body) of code spans and blocks, where `[^x]` is text.
    code: Vec<Range<usize>>,
    /// Custom callout titles, by the byte offset of their block quote.
    callout_titles: HashMap<usize, String>,
    /// Images written so far (the first loads at once, the rest lazily).
    images: usize,
    /// The site's timeline, for `{{ timeline() }}` blocks.
    timeline: &'a Timeline,
    /// The page's folder under content/ ("" at the top).
    dir: &'a str,
    /// Reading an event's description: its links are relative to content/, not the page.
    in_event: bool,
    /// Every place in the text being read is shown here (an event description written with
    /// escapes, whose places in the file are not its places in the text).
    fixed_span: Option<Range<usize>>,
    /// The site's glossary, whose entries' first mentions link to their cards.
    glossary: &'a Glossary,
    /// Which entries the page has mentioned already, and how many it has not.
    mentioned: Vec<bool>,
    unmentioned: usize,
    /// Inside how many block quotes (not callouts): quoted words are not linked.
    quote_depth: usize,
    /// Inside a quotation (between “ and ”) in the current paragraph.
    in_quotes: bool,
    /// Inside a `[text](glossary:key)` link: the mention it makes (None for `glossary:none`).
    term_link: Option<Option<TermId>>,
}

impl<'a> State<'a> {
    fn sink(&mut self) -> &mut Vec<Piece<'a>> {
        if let Some(h) = &mut self.heading {
            &mut h.events
        } else if let Some((_, evs)) = &mut self.footnote {
            evs
        } else {
            &mut self.main
        }
    }

    fn html(&mut self, s: String) {
        self.push(Event::InlineHtml(CowStr::from(s)));
    }

    fn push(&mut self, e: Event<'a>) {
        self.sink().push(Piece::Md(e));
    }

    fn hole(&mut self, h: Hole) {
        self.sink().push(Piece::Hole(h));
    }

    fn span(&self, r: &Range<usize>) -> Range<usize> {
        if let Some(fixed) = &self.fixed_span {
            return fixed.clone();
        }
        self.offset + r.start..self.offset + r.end
    }

    /// Number of the note for this footnote label or source key, adding it on first use; then
    /// records one more use and returns (number, occurrence).
    fn note(&mut self, is_source: bool, name: &str, locator: Option<String>) -> (usize, usize) {
        let existing = if is_source && self.mode == CiteMode::Notes {
            // Each citation is a note of its own: `name` is its index in `citations`.
            let number = self.out.notes.len() + 1;
            self.out.notes.push(Note {
                number,
                kind: NoteKind::Citation {
                    group: CiteId::new(name.parse().unwrap_or_default()),
                },
                // Its one use is implied (see [`Note::uses`]): no allocation a citation.
                uses: Vec::new(),
            });
            return (number, 1);
        } else {
            self.note_of.get(&(is_source, name.to_string()))
        };
        let idx = match existing {
            Some(&i) => i,
            None => {
                let number = self.out.notes.len() + 1;
                let kind = if is_source {
                    NoteKind::Source {
                        key: name.to_string(),
                    }
                } else {
                    NoteKind::Footnote {
                        label: name.to_string(),
                        body: Fragment::default(),
                    }
                };
                self.out.notes.push(Note {
                    number,
                    kind,
                    uses: Vec::new(),
                });
                self.note_of.insert((is_source, name.to_string()), number - 1);
                number - 1
            }
        };
        let note = &mut self.out.notes[idx];
        note.uses.push(locator);
        (note.number, note.uses.len())
    }

    fn marker(&mut self, number: usize, occurrence: usize, label: &str) {
        // The marker sits against the word or punctuation before it: `claim [@k]` → `claim¹`.
        let sink = self.sink();
        while let Some(last) = sink.last_mut() {
            match last {
                Piece::Md(Event::SoftBreak) => {
                    sink.pop();
                }
                Piece::Md(Event::Text(t)) if t.ends_with([' ', '\t']) => {
                    let kept = t.trim_end_matches([' ', '\t']).to_string();
                    if kept.is_empty() {
                        sink.pop();
                    } else {
                        *t = CowStr::from(kept);
                        break;
                    }
                }
                _ => break,
            }
        }
        let place = self.sink_place();
        let at = self.sink().len();
        let first = match self.after_markers {
            Some((p, len, first)) if p == place && len == at => first,
            _ => at,
        };
        self.html(format!(
            "<sup class=\"note-ref\" id=\"ref-{number}-{occurrence}\"><a href=\"#note-{number}\" \
             role=\"doc-noteref\" aria-label=\"{}\">[{number}]</a></sup>",
            html_attr_escape(label)
        ));
        self.hole(Hole::Mark(Mark::Sidenote { number, occurrence }));
        self.after_markers = Some((place, self.sink().len(), first));
    }

    /// Which of [`Self::sink`]'s buffers events go to: (in a heading, in a footnote).
    fn sink_place(&self) -> (bool, bool) {
        (self.heading.is_some(), self.footnote.is_some())
    }

    /// Punctuation right after note markers goes before them, as Pandoc places notes:
    /// `seabed [@k].` → `seabed.¹`. Returns the text that is left.
    fn punctuation_before_markers(&mut self, t: CowStr<'a>) -> CowStr<'a> {
        let Some((place, len, first)) = self.after_markers.take() else {
            return t;
        };
        let n = t.len() - t.trim_start_matches(['.', ',', ';', ':', '!', '?']).len();
        if place != self.sink_place() || self.sink().len() != len || n == 0 {
            return t;
        }
        self.sink()
            .insert(first, Piece::Md(Event::Text(CowStr::from(t[..n].to_string()))));
        CowStr::from(t[n..].to_string())
    }

    fn unique_id(&mut self, wanted: String) -> String {
        let base = if wanted.is_empty() {
            "section".to_string()
        } else {
            wanted
        };
        // The theme's own ids (skip link target, notes, their back-links) are taken already.
        let n = self
            .ids
            .entry(base.clone())
            .or_insert_with(|| usize::from(is_theme_id(&base)));
        *n += 1;
        if *n == 1 {
            base
        } else {
            let id = format!("{base}-{}", *n - 1);
            self.ids.insert(id.clone(), 1);
            id
        }
    }

    fn citation(&mut self, range: &Range<usize>) {
        let raw = &self.src[range.clone()];
        let inner = raw.trim_start_matches('[').trim_end_matches(']');
        match parse_citation(inner) {
            Ok(items) => {
                let span = self.span(range);
                self.cite_group(items, span);
            }
            Err(message) => {
                self.out.keys_in_malformed.extend(keys_named(inner));
                self.diags.push(Diagnostic::at(
                    Kind::MalformedCitation {
                        text: inner.to_string(),
                        message,
                    },
                    self.file,
                    self.span(range),
                ));
                self.html(html_attr_escape(raw));
            }
        }
    }

    /// One citation of the page (bracketed, or narrative), as the mode makes it: a note marker,
    /// or a hole for the in-text citation.
    fn cite_group(&mut self, mut items: Vec<Citation>, span: Range<usize>) {
        let group = CiteId::new(self.out.citations.len());
        let narrative = items.first().is_some_and(|c| c.narrative);
        if narrative && !self.mode.in_text() {
            // The author in the sentence, the note after it: "Carter says¹".
            self.hole(Hole::Mark(Mark::Author(group)));
        }
        match self.mode {
            CiteMode::InText { .. } => {
                let anchor = Anchor::Cite(group.0.saturating_add(1));
                items.iter_mut().for_each(|c| c.anchor = anchor);
                self.hole(Hole::Mark(Mark::Cite(group)));
            }
            CiteMode::Notes => {
                let (n, k) = self.note(true, &group.index().to_string(), None);
                items.iter_mut().for_each(|c| c.anchor = Anchor::note(n, k));
                self.marker(n, k, &format!("Note {n}"));
            }
            CiteMode::NotePerSource => {
                for c in &mut items {
                    // What the reader is told about this spot besides the source: `see, p. 3`.
                    let locator = match (&c.prefix, &c.locator) {
                        (Some(p), Some(l)) => Some(format!("{p}, {l}")),
                        (p, l) => p.clone().or(l.clone()),
                    };
                    let (n, k) = self.note(true, &c.key, locator.clone());
                    let label = match &locator {
                        Some(l) => format!("Source note {n}, {l}"),
                        None => format!("Source note {n}"),
                    };
                    self.marker(n, k, &label);
                    c.anchor = Anchor::note(n, k);
                }
            }
        }
        // A page holds thousands: no spare capacity (a Vec grown by push holds four).
        items.shrink_to_fit();
        let file = self.file;
        self.out.citations.push(CiteGroup { items, file, span });
    }

    /// Text that may hold narrative citations (`@carter says`, `@carter [p. 33] says`): each
    /// becomes a citation; an `@` escaped in the source (`\@`) stays text.
    fn text_with_narrative(&mut self, t: CowStr<'a>, range: &Range<usize>) {
        let found = narrative_keys(&t);
        let source = &self.src[range.clone()];
        // The text's `@`s are the source's, in order, unless an entity wrote one: then none is
        // taken for a citation.
        let at_in_source: Vec<usize> = source.match_indices('@').map(|(i, _)| i).collect();
        if found.is_empty() || at_in_source.len() != t.matches('@').count() {
            self.text_out(t, false);
            return;
        }
        let at_index = |i: usize| t[..i].matches('@').count();
        let mut from = 0;
        for (i, key) in found {
            let at = at_in_source[at_index(i)];
            if i < from || self.src[..range.start + at].ends_with('\\') {
                continue;
            }
            let end = i + 1 + key.len();
            // A locator in brackets right after the key, `@carter [p. 33]`: read from the
            // source, as the text events end at the bracket; the events that hold it are dropped.
            let key_end = range.start + at + 1 + key.len();
            let mut locator = None;
            // (`get`: an escape inside the key shifts the source, so this may not be a char
            // boundary; then there is no locator to read.)
            if let Some(inner) = self
                .src
                .get(key_end..)
                .and_then(|r| r.strip_prefix(" ["))
                .and_then(|r| r.split_once(']'))
                .map(|(l, _)| l)
                .filter(|l| !l.contains(['[', '\n']) && split_locator(l).0.is_some())
            {
                locator = Some(inner.to_string());
                self.skip_until = key_end + 2 + inner.len() + 1;
            }
            if i > from {
                self.text_out(CowStr::from(t[from..i].to_string()), false);
            }
            let start = range.start + at;
            let span = self.span(&(start..self.skip_until.max(key_end)));
            let citation = Citation {
                key: key.to_string(),
                prefix: None,
                locator,
                suppress_author: false,
                narrative: true,
                anchor: Anchor::Cite(0),
            };
            self.cite_group(vec![citation], span);
            from = end;
        }
        let rest = self.unskipped(&t[from..], range.end);
        if !rest.is_empty() {
            self.text_out(CowStr::from(rest.to_string()), false);
        }
    }

    /// What is left of text ending at source offset `end` once the source up to
    /// [`State::skip_until`] (a narrative citation's bracketed locator) is taken out.
    fn unskipped<'t>(&self, text: &'t str, end: usize) -> &'t str {
        let skipped = self.skip_until.saturating_sub(end - text.len().min(end));
        text.get(skipped.min(text.len())..).unwrap_or("")
    }

    fn event(&mut self, ev: Event<'a>, range: Range<usize>) {
        if let Some((_, _, alt)) = &mut self.image {
            match ev {
                Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                Event::End(TagEnd::Image) => {
                    if let Some((j, title, alt)) = self.image.take() {
                        let title = if title.is_empty() {
                            String::new()
                        } else {
                            format!(" title=\"{}\"", html_attr_escape(&title))
                        };
                        if alt.trim().is_empty() {
                            let span = self.out.files[j.index()].span.clone();
                            self.diags.push(Diagnostic::at(Kind::MissingAlt, self.file, span));
                        }
                        // The first image may be on the first screen; the others load when near.
                        let lazy = if self.images > 0 { " loading=\"lazy\"" } else { "" };
                        self.images += 1;
                        self.html("<img src=\"".into());
                        self.hole(Hole::File(j));
                        self.html("\"".into());
                        self.hole(Hole::Size(j));
                        self.html(format!(
                            " alt=\"{}\"{title}{lazy} decoding=\"async\">",
                            html_attr_escape(&alt)
                        ));
                    }
                }
                _ => {}
            }
            return;
        }
        if matches!(
            ev,
            Event::Code(_) | Event::Start(Tag::CodeBlock(_)) | Event::Html(_) | Event::InlineHtml(_)
        ) {
            self.code.push(range.clone());
        }
        if self.skip_link_depth > 0 {
            match ev {
                Event::Start(Tag::Link { .. }) => self.skip_link_depth += 1,
                Event::End(TagEnd::Link) => self.skip_link_depth -= 1,
                _ => {}
            }
            return;
        }
        match &ev {
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.as_ref() != CITE_DEST => {
                self.link_depth += 1;
            }
            Event::End(TagEnd::Link) => self.link_depth = self.link_depth.saturating_sub(1),
            Event::Start(Tag::BlockQuote(None)) => self.quote_depth += 1,
            Event::End(TagEnd::BlockQuote(None)) => self.quote_depth = self.quote_depth.saturating_sub(1),
            Event::End(TagEnd::Paragraph) => self.in_quotes = false,
            _ => {}
        }
        match ev {
            Event::Start(Tag::Link { ref dest_url, .. }) if dest_url.starts_with("glossary:") => {
                self.glossary_link(&dest_url["glossary:".len()..], &range);
            }
            Event::End(TagEnd::Link) if self.term_link.is_some() => {
                if let Some(Some(t)) = self.term_link.take() {
                    self.hole(Hole::Mark(Mark::TermClose(t)));
                }
            }
            Event::Start(Tag::Link {
                link_type: LinkType::ShortcutUnknown,
                ref dest_url,
                ..
            }) if dest_url.as_ref() == CITE_DEST => {
                self.citation(&range);
                self.skip_link_depth = 1;
            }
            Event::Start(Tag::Image {
                ref dest_url,
                ref title,
                ..
            }) if classify_dest(dest_url) == Dest::File => {
                let j = self.file_ref(dest_url, self.span(&range));
                self.image = Some((j, title.to_string(), String::new()));
            }
            // `![p](/etc/passwd)`: a path from the site's root is checked as a link's is (E043),
            // with the relative path that works under any subpath.
            Event::Start(Tag::Image { ref dest_url, .. }) if classify_dest(dest_url) == Dest::Root => {
                self.out.root_links.push(RootLink {
                    file: self.file,
                    path: dest_url.to_string(),
                    span: self.span(&range),
                });
                self.push(ev);
            }
            Event::Start(Tag::Link {
                ref dest_url,
                ref title,
                ..
            }) if !matches!(classify_dest(dest_url), Dest::External) => {
                let span = self.span(&range);
                let title = if title.is_empty() {
                    String::new()
                } else {
                    format!(" title=\"{}\"", html_attr_escape(title))
                };
                match classify_dest(dest_url) {
                    Dest::Page => {
                        self.page_link(dest_url, self.file, span, self.in_event);
                        self.html(format!("\"{title}>"));
                    }
                    Dest::File => {
                        let j = self.file_ref(dest_url, span);
                        self.html("<a href=\"".into());
                        self.hole(Hole::File(j));
                        self.html(format!("\"{title}>"));
                    }
                    Dest::Root => {
                        self.out.root_links.push(RootLink {
                            file: self.file,
                            path: dest_url.to_string(),
                            span,
                        });
                        self.html(format!("<a href=\"{}\"{title}>", html_attr_escape(dest_url)));
                    }
                    Dest::MalformedPage(fixed) => {
                        self.diags.push(Diagnostic::at(
                            Kind::MalformedPageLink {
                                target: dest_url.to_string(),
                                fixed,
                            },
                            self.file,
                            span,
                        ));
                        self.html(format!("<a href=\"{}\"{title}>", html_attr_escape(dest_url)));
                    }
                    Dest::External => {}
                }
            }
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                self.heading = Some(HeadingCapture {
                    level: heading_level(level),
                    pos: self.span(&range).start,
                    id: id.map(|i| i.to_string()),
                    classes: classes.iter().map(std::string::ToString::to_string).collect(),
                    ..Default::default()
                });
            }
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, name) = callout_name(kind);
                let title = self
                    .callout_titles
                    .get(&range.start)
                    .cloned()
                    .unwrap_or_else(|| name.to_string());
                self.block(format!(
                    "<aside class=\"callout callout-{class}\" role=\"note\" aria-label=\"{0}\">\n<p class=\"callout-title\">{0}</p>\n",
                    html_attr_escape(&title)
                ));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                self.block("</aside>\n");
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let at = self.span(&range);
                let head = label.len() + 4;
                self.definitions
                    .push((label.to_string(), at.start..(at.start + head).min(at.end)));
                self.footnote = Some((label.to_string(), Vec::new()));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((label, pieces)) = self.footnote.take() {
                    let mut body = Fragment::default();
                    body.append(pieces);
                    body.shrink();
                    self.footnote_bodies.insert(label, body);
                }
            }
            Event::FootnoteReference(label) => {
                let (n, k) = self.note(false, &label, None);
                self.marker(n, k, &format!("Note {n}"));
            }
            Event::Text(t) if range.start < self.skip_until => {
                let rest = self.unskipped(&t, range.end).to_string();
                if !rest.is_empty() {
                    self.event(Event::Text(CowStr::from(rest)), self.skip_until..range.end);
                }
            }
            Event::Text(t) => {
                if let Some(h) = &mut self.heading {
                    h.text.push_str(&t);
                }
                if self.footnote.is_none() {
                    self.out.word_count += count_words(&t);
                }
                let t = self.punctuation_before_markers(t);
                let in_code = self
                    .code
                    .last()
                    .is_some_and(|c| c.start <= range.start && range.end <= c.end);
                if t.contains('@') && self.link_depth == 0 && self.heading.is_none() && !in_code {
                    self.text_with_narrative(t, &range);
                } else if !t.is_empty() {
                    self.text_out(t, in_code);
                }
            }
            Event::Code(t) => {
                if let Some(h) = &mut self.heading {
                    h.text.push_str(&t);
                }
                self.push(Event::Code(t));
            }
            other => self.push(other),
        }
    }

    /// A paragraph holding only an image: a figure, captioned by the image's title. A caption
    /// whose last sentence starts with `Photo:`, `Map:`, `Illustration:`, `Chart:` or `Credit:`
    /// shows that sentence as the credit line.
    fn figure(&mut self, image: Vec<(Event<'a>, Range<usize>)>) {
        let image_range = image[0].1.clone();
        let (title, alt) = match &image[0].0 {
            Event::Start(Tag::Image { title, .. }) => {
                let alt: String = image
                    .iter()
                    .filter_map(|(e, _)| match e {
                        Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                (title.to_string(), alt)
            }
            _ => (String::new(), String::new()),
        };
        let slug = github_slug(&alt);
        let id = self.unique_id(if slug.is_empty() {
            "figure".into()
        } else {
            format!("fig-{slug}")
        });
        self.out.anchor_ids.push(id.clone());
        self.block(format!("<figure id=\"{}\">\n", html_attr_escape(&id)));
        for (e, r) in image {
            // The caption shows the title: the image itself does not repeat it.
            let e = match e {
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    id,
                    ..
                }) => Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title: CowStr::from(""),
                    id,
                }),
                other => other,
            };
            self.event(e, r);
        }
        if !title.is_empty() {
            let (caption, credit) = split_credit(&title);
            self.block("\n<figcaption>");
            // The caption is Markdown: parsed where it stands in the source, so its citations
            // are numbered and located like any other (a title written with escapes, which
            // does not stand there as it reads, is shown as plain text).
            let at = (!caption.is_empty())
                .then(|| self.src[image_range.clone()].find(caption))
                .flatten();
            match at {
                Some(at) => {
                    let base = image_range.start + at;
                    let parser =
                        Parser::new_with_broken_link_callback(caption, options(), Some(cite_callback));
                    for (ev, r) in parser.into_offset_iter() {
                        if !matches!(ev, Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)) {
                            self.event(ev.into_static(), base + r.start..base + r.end);
                        }
                    }
                }
                None => self.html(html_attr_escape(caption)),
            }
            if let Some(c) = credit {
                self.html(format!(" <span class=\"credit\">{}</span>", html_attr_escape(c)));
            }
            self.block("</figcaption>");
        }
        self.block("\n</figure>\n");
    }

    /// Records a link to a page, written in `file` (relative to content/ when `from_content`),
    /// and writes `<a href="` with the hole for its target; the caller closes the tag.
    fn page_link(&mut self, dest: &str, file: FileId, span: Range<usize>, from_content: bool) {
        let (path, fragment) = path_and_fragment(dest);
        let idx = LinkId::new(self.out.links.len());
        let path = self.page_relative(path, from_content);
        self.out.links.push(LinkRef {
            path,
            fragment,
            file,
            span,
        });
        self.html("<a href=\"".into());
        self.hole(Hole::Link(idx));
    }

    /// Block-level HTML that kagu writes itself.
    fn block(&mut self, html: impl Into<CowStr<'a>>) {
        self.push(Event::Html(html.into()));
    }

    /// The span of a block paragraph's own text, without the line break that ends it.
    fn block_span(&self, range: &Range<usize>) -> Range<usize> {
        let text = &self.src[range.clone()];
        let start = range.start + (text.len() - text.trim_start().len());
        self.span(&(start..range.start + text.trim_end().len()))
    }

    /// An anchor for a timeline event or glossary entry shown on the page: unique among its ids,
    /// and one that links may point to like a heading's.
    fn anchor(&mut self, key: &str, wanted: String) -> Shown {
        let anchor = self.unique_id(wanted);
        self.out.anchor_ids.push(anchor.clone());
        Shown {
            key: key.to_string(),
            anchor,
        }
    }

    /// Records a link or image to a file.
    fn file_ref(&mut self, dest_url: &str, span: Range<usize>) -> FileRefId {
        let (path, fragment) = path_and_fragment(dest_url);
        let j = FileRefId::new(self.out.files.len());
        let (path, file) = (self.page_relative(path, self.in_event), self.file);
        self.out.files.push(FileRef {
            path,
            fragment,
            file,
            span,
        });
        j
    }

    /// Text, with the first mention of each glossary entry on the page linked to its card: not
    /// in headings, links, code, notes, block quotes or quotations, nor in the timeline's and
    /// glossary's own descriptions.
    fn text_out(&mut self, t: CowStr<'a>, in_code: bool) {
        let linkable = self.unmentioned > 0
            && self.heading.is_none()
            && self.link_depth == 0
            && !in_code
            && self.footnote.is_none()
            && !self.in_event
            && self.quote_depth == 0;
        if !linkable {
            self.push(Event::Text(t));
            return;
        }
        let quotes = t.contains(['“', '”']);
        let mut inside = self.in_quotes;
        let mut seen = 0;
        let mut from = 0;
        for m in self.glossary.mentions(&t) {
            if self.mentioned[m.entry] {
                continue;
            }
            if quotes {
                inside = quoted_after(&t[seen..m.range.start], inside);
                seen = m.range.start;
            }
            if inside {
                continue;
            }
            self.mentioned[m.entry] = true;
            self.unmentioned -= 1;
            if m.range.start > from {
                self.push(Event::Text(CowStr::from(t[from..m.range.start].to_string())));
            }
            let k = self.mention(m.entry);
            self.hole(Hole::Mark(Mark::TermOpen(k)));
            self.push(Event::Text(CowStr::from(t[m.range.clone()].to_string())));
            self.hole(Hole::Mark(Mark::TermClose(k)));
            from = m.range.end;
        }
        if quotes {
            self.in_quotes = quoted_after(&t[seen..], inside);
        }
        if from == 0 {
            self.push(Event::Text(t));
        } else if from < t.len() {
            self.push(Event::Text(CowStr::from(t[from..].to_string())));
        }
    }

    /// Records a mention of glossary entry `entry` on the page.
    fn mention(&mut self, entry: usize) -> TermId {
        let k = TermId::new(self.out.terms.len());
        self.out.terms.push(self.glossary.entries[entry].key.clone());
        k
    }

    /// `[text](glossary:key)`: `text` links to the entry's card whether or not it is named
    /// there (the writer's choice of words); `glossary:none` keeps text that would be linked
    /// plain.
    fn glossary_link(&mut self, key: &str, range: &Range<usize>) {
        if key == "none" {
            self.term_link = Some(None);
            return;
        }
        match self.glossary.get(key) {
            Some(entry) => {
                if !std::mem::replace(&mut self.mentioned[entry], true) {
                    self.unmentioned -= 1;
                }
                let k = self.mention(entry);
                self.hole(Hole::Mark(Mark::TermOpen(k)));
                self.term_link = Some(Some(k));
            }
            None => {
                self.diags.push(Diagnostic::at(
                    Kind::UnknownGlossaryEntry {
                        key: key.to_string(),
                        suggestion: self.glossary.suggest(key),
                    },
                    self.file,
                    self.span(range),
                ));
                self.term_link = Some(None);
            }
        }
    }

    /// A `{{ glossary() }}` block: every entry, grouped by kind (people, organisations, places,
    /// terms), each with its name, aliases, description (Markdown read here, so its citations
    /// are notes of this page), its page, and the pages that mention it; and the entries as
    /// schema.org JSON-LD.
    fn glossary_block(&mut self, call: &str, range: &Range<usize>) {
        self.out.glossary_blocks += 1;
        let at = self.block_span(range);
        let glossary = self.glossary;
        let problem = if !call.is_empty() {
            Some(format!(
                "a glossary block takes nothing between its brackets, not `{call}`"
            ))
        } else if glossary.file.is_none() {
            Some("the site has no content/glossary.toml to list".to_string())
        } else if glossary.entries.is_empty() {
            Some("content/glossary.toml has no entries to list".to_string())
        } else {
            None
        };
        let (Some(file), None) = (glossary.file, problem.clone()) else {
            self.diags.push(Diagnostic::at(
                Kind::BadGlossaryBlock {
                    problem: problem.unwrap_or_default(),
                },
                self.file,
                at,
            ));
            return;
        };
        let mut order: Vec<&'a crate::glossary::Entry> = glossary.entries.iter().collect();
        order.sort_by_key(|e| e.kind);
        let mut ld = Vec::new();
        let mut group = None;
        for e in order {
            if group != Some(e.kind) {
                if group.is_some() {
                    self.block("</dl>\n");
                }
                group = Some(e.kind);
                self.block(format!(
                    "<h2 class=\"glossary-kind\">{}</h2>\n<dl class=\"glossary\">\n",
                    e.kind.group()
                ));
            }
            let shown = self.anchor(&e.key, format!("term-{}", github_slug(&e.key)));
            let id = shown.anchor.clone();
            let listed = ListedId::new(self.out.listed.len());
            self.out.listed.push(shown);
            self.block(format!(
                "<dt id=\"{}\">{}</dt>\n<dd>\n",
                html_attr_escape(&id),
                html_attr_escape(&e.name)
            ));
            if !e.description.trim().is_empty() {
                self.read_elsewhere(file, &e.description_at, &e.description);
            }
            if !e.aliases.is_empty() {
                self.block(format!(
                    "<p class=\"term-aliases\">Also: {}</p>\n",
                    html_attr_escape(&e.aliases.join(", "))
                ));
            }
            if let Some((page, span)) = &e.page {
                self.block("<p class=\"term-page\">");
                self.page_link(page, file, span.clone(), true);
                self.html("\">More in the explainer</a></p>\n".into());
            }
            self.hole(Hole::Mark(Mark::Listed(listed)));
            self.block("</dd>\n");
            let mut item = serde_json::json!({
                "@type": e.kind.schema(),
                "@id": format!("#{id}"),
                "name": e.name,
                "description": plain_text(&e.description),
            });
            if !e.aliases.is_empty() {
                item["alternateName"] = serde_json::json!(e.aliases);
            }
            ld.push(item);
        }
        self.block("</dl>\n");
        self.json_ld(&ld);
    }

    /// JSON-LD of these schema.org items, in a script element.
    fn json_ld(&mut self, graph: &[serde_json::Value]) {
        let ld = serde_json::json!({ "@context": "https://schema.org", "@graph": graph });
        // `<` written as `\u003c`, so no text of the data can end the script element.
        let ld = serde_json::to_string(&ld)
            .unwrap_or_default()
            .replace('<', "\\u003c");
        self.block(format!("<script type=\"application/ld+json\">{ld}</script>\n"));
    }

    /// A link's path as the page's links are written: relative to the page's folder. An event's
    /// description is written relative to content/, where timeline.toml is.
    fn page_relative(&self, path: String, from_content: bool) -> String {
        if from_content && !path.is_empty() {
            crate::resolve::rebase("", self.dir, &path).unwrap_or(path)
        } else {
            path
        }
    }

    /// A `{{ timeline(…) }}` block: the events it asks for as an ordered list, each with its
    /// date, title and description (Markdown read here, so its citations are notes of this page
    /// and its links are checked), a hole for the pages that link to it, and the events as
    /// schema.org `Event`s in JSON-LD.
    fn timeline_block(&mut self, call: &str, range: &Range<usize>) {
        self.out.timeline_blocks += 1;
        let at = self.block_span(range);
        let fail = |st: &mut Self, problem: String| {
            st.diags.push(Diagnostic::at(
                Kind::BadTimelineBlock { problem },
                st.file,
                at.clone(),
            ));
        };
        let tags = match timeline_tags(call) {
            Ok(tags) => tags,
            Err(problem) => return fail(self, problem),
        };
        let timeline = self.timeline;
        let Some(file) = timeline.file else {
            return fail(self, "the site has no content/timeline.toml to show".into());
        };
        let events = timeline.select(&tags);
        if events.is_empty() {
            let problem = if tags.is_empty() {
                "content/timeline.toml has no events to show".into()
            } else {
                let known = timeline.tags();
                format!(
                    "no event has the tag{} {}; {}",
                    if tags.len() == 1 { "" } else { "s" },
                    tags.iter()
                        .map(|t| format!("`{t}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    if known.is_empty() {
                        "no event has tags".to_string()
                    } else {
                        format!("the events' tags are: {}", known.join(", "))
                    }
                )
            };
            return fail(self, problem);
        }
        self.block("<ol class=\"timeline\">\n");
        let mut graph = Vec::new();
        for e in events {
            let anchor = self.anchor(&e.id, e.id.clone());
            let id = anchor.anchor.clone();
            let shown = EventId::new(self.out.events.len());
            self.out.events.push(anchor);
            self.block(format!(
                "<li class=\"event\" id=\"{}\">\n<p class=\"event-date\"><time datetime=\"{}\">{}</time></p>\n<p class=\"event-title\">{}</p>\n",
                html_attr_escape(&id),
                e.date.datetime(),
                html_attr_escape(&e.date.words()),
                html_attr_escape(&e.title)
            ));
            if !e.description.trim().is_empty() {
                self.block("<div class=\"event-text\">\n");
                self.read_elsewhere(file, &e.description_at, &e.description);
                self.block("</div>\n");
            }
            self.hole(Hole::Mark(Mark::Mentions(shown)));
            self.block("</li>\n");
            let mut item = serde_json::json!({
                "@type": "Event",
                "@id": format!("#{id}"),
                "name": e.title,
                "startDate": e.date.start.iso(),
                "description": plain_text(&e.description),
            });
            if let Some(end) = e.date.end {
                item["endDate"] = serde_json::Value::String(end.iso());
            }
            graph.push(item);
        }
        self.block("</ol>\n");
        let ld = serde_json::json!({ "@context": "https://schema.org", "@graph": graph });
        // `<` written as `\u003c`, so no text of the data can end the script element.
        let ld = serde_json::to_string(&ld)
            .unwrap_or_default()
            .replace('<', "\\u003c");
        self.block(format!("<script type=\"application/ld+json\">{ld}</script>\n"));
    }

    /// Markdown written in another file (an event's or a glossary entry's description), read
    /// in this page's pass from where it stands there (so its problems are located there, and
    /// its links are relative to content/).
    fn read_elsewhere(&mut self, file: FileId, at: &crate::timeline::DescriptionAt, text: &'a str) {
        use crate::timeline::DescriptionAt;
        let saved = (
            self.file,
            self.offset,
            self.src,
            std::mem::take(&mut self.code),
            self.skip_until,
            self.fixed_span.take(),
        );
        self.file = file;
        self.skip_until = 0;
        self.in_event = true;
        match at {
            DescriptionAt::Exact(at) => self.offset = *at,
            DescriptionAt::Value(span) => {
                self.offset = span.start;
                self.fixed_span = Some(span.clone());
            }
        }
        self.src = text;
        let parser = Parser::new_with_broken_link_callback(text, options(), Some(cite_callback));
        for (ev, r) in parser.into_offset_iter() {
            self.event(ev, r);
        }
        self.in_event = false;
        (
            self.file,
            self.offset,
            self.src,
            self.code,
            self.skip_until,
            self.fixed_span,
        ) = saved;
    }

    /// A click-to-load embed: a box naming the provider, a button (shown by the script)
    /// that puts the provider's frame in its place, and a plain link to the original. Nothing is
    /// requested from the provider until the reader asks.
    fn embed(&mut self, url: &str, label: &str) {
        let host = url::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default();
        let (url, label, host) = (
            html_attr_escape(url),
            html_attr_escape(label),
            html_attr_escape(&host),
        );
        self.block(format!(
            "<figure class=\"embed\" data-embed=\"{url}\" data-title=\"{label}\">\n<p class=\"embed-what\">{label}</p>\n<p><button type=\"button\" class=\"embed-load\" hidden>Load it from {host}</button> <a href=\"{url}\">Open it on {host}</a></p>\n<figcaption>Shown from {host} only if you load it: loading it sends {host} a request.</figcaption>\n</figure>\n"
        ));
    }

    fn end_heading(&mut self) {
        let Some(h) = self.heading.take() else { return };
        let title = h.text.trim().to_string();
        let id = self.unique_id(h.id.unwrap_or_else(|| github_slug(&title)));
        let class = if h.classes.is_empty() {
            String::new()
        } else {
            format!(" class=\"{}\"", html_attr_escape(&h.classes.join(" ")))
        };
        let level = h.level;
        let sink = self.sink();
        sink.push(Piece::Md(Event::Html(CowStr::from(format!(
            "<h{level} id=\"{}\"{class}>",
            html_attr_escape(&id)
        )))));
        sink.extend(h.events);
        sink.push(Piece::Md(Event::Html(CowStr::from(format!(
            " <a class=\"anchor\" href=\"#{0}\" aria-label=\"Link to this section: {1}\">#</a></h{level}>\n",
            html_attr_escape(&id),
            html_attr_escape(&title)
        )))));
        self.out.headings.push(Heading {
            pos: h.pos,
            level,
            id,
            title,
        });
    }
}

/// A caption and its credit line: the last sentence when it starts with a credit word (after a
/// full stop, or after a citation or parenthesis that closes the sentence before it).
fn split_credit(caption: &str) -> (&str, Option<&str>) {
    const WORDS: [&str; 5] = ["Photo:", "Map:", "Illustration:", "Chart:", "Credit:"];
    if WORDS.iter().any(|w| caption.starts_with(w)) {
        return ("", Some(caption));
    }
    let at = WORDS
        .iter()
        .flat_map(|w| {
            let needle = format!(" {w}");
            caption
                .match_indices(needle.as_str())
                .map(|(i, _)| i)
                .collect::<Vec<_>>()
        })
        .filter(|&i| caption[..i].trim_end().ends_with(['.', ']', ')']))
        .max();
    match at {
        Some(i) => (&caption[..i], Some(&caption[i + 1..])),
        None => (caption, None),
    }
}

/// A paragraph holding only a link titled "embed" to an http(s) address: (address, link text).
fn lone_embed(para: &[(Event<'_>, Range<usize>)]) -> Option<(String, String)> {
    let inner: Vec<&Event<'_>> = para[1..para.len().saturating_sub(1)]
        .iter()
        .map(|(e, _)| e)
        .filter(|e| !matches!(e, Event::SoftBreak) && !matches!(e, Event::Text(t) if t.trim().is_empty()))
        .collect();
    let (Event::Start(Tag::Link { dest_url, title, .. }), Some(Event::End(TagEnd::Link))) =
        (inner.first()?, inner.last())
    else {
        return None;
    };
    if title.as_ref() != "embed" || !(dest_url.starts_with("https://") || dest_url.starts_with("http://")) {
        return None;
    }
    let label = inner[1..inner.len() - 1]
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    Some((dest_url.to_string(), label))
}

/// Whether text that starts inside a quotation (or not) ends inside one: “ opens, ” closes.
fn quoted_after(text: &str, mut inside: bool) -> bool {
    for c in text.chars() {
        match c {
            '“' => inside = true,
            '”' => inside = false,
            _ => {}
        }
    }
    inside
}

/// The inside of a paragraph that is only `{{ name(…) }}` (spaces allowed), or None.
fn block_call<'t>(paragraph: &'t str, name: &str) -> Option<&'t str> {
    let inner = paragraph.trim().strip_prefix("{{")?.strip_suffix("}}")?.trim();
    let args = inner.strip_prefix(name)?.trim_start();
    args.strip_prefix('(')?.strip_suffix(')').map(str::trim)
}

/// The tags a timeline block asks for: `tags = ["2024", "riots"]` (or nothing: every event).
fn timeline_tags(args: &str) -> Result<Vec<String>, String> {
    if args.is_empty() {
        return Ok(Vec::new());
    }
    let table: toml::Table =
        toml::from_str(args).map_err(|_| format!("`{args}` cannot be read: write `tags = [\"a tag\"]`"))?;
    let mut tags = Vec::new();
    for (key, value) in table {
        let list = match (key.as_str(), value) {
            ("tags", toml::Value::Array(list)) => list,
            ("tags", _) => return Err("`tags` is a list of tags: `tags = [\"a tag\"]`".into()),
            (other, _) => return Err(format!("a timeline block takes `tags`, not `{other}`")),
        };
        for t in list {
            match t {
                toml::Value::String(t) => tags.push(t),
                other => return Err(format!("`{other}` is not a tag: tags are strings")),
            }
        }
    }
    Ok(tags)
}

/// Markdown's text without its markup and citations (for JSON-LD).
pub(crate) fn plain_text(markdown: &str) -> String {
    let mut out = String::new();
    let mut in_cite = 0usize;
    for ev in Parser::new_with_broken_link_callback(markdown, options(), Some(cite_callback)) {
        match ev {
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.as_ref() == CITE_DEST => in_cite += 1,
            Event::End(TagEnd::Link) if in_cite > 0 => in_cite -= 1,
            Event::Text(t) | Event::Code(t) if in_cite == 0 => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph) => out.push(' '),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// Gives `[@key]` (a reference pulldown-cmark cannot resolve) a destination, so it arrives as a
/// link event that [`State::citation`] reads.
fn cite_callback<'b>(link: BrokenLink<'b>) -> Option<(CowStr<'b>, CowStr<'b>)> {
    crate::parse::cite_syntax::looks_like_citation(&link.reference)
        .then(|| (CowStr::from(CITE_DEST), CowStr::from("")))
}

/// When this paragraph (its events, Start and End included) holds only an image, the range of
/// the image's events in it.
fn lone_image(para: &[(Event<'_>, Range<usize>)]) -> Option<Range<usize>> {
    let blank =
        |e: &Event<'_>| matches!(e, Event::SoftBreak) || matches!(e, Event::Text(t) if t.trim().is_empty());
    let inner = 1..para.len().saturating_sub(1);
    let a = inner.clone().find(|&i| !blank(&para[i].0))?;
    let b = inner.rev().find(|&i| !blank(&para[i].0))?;
    let one_image = matches!(para[a].0, Event::Start(Tag::Image { .. }))
        && matches!(para[b].0, Event::End(TagEnd::Image))
        && para[a + 1..b]
            .iter()
            .all(|(e, _)| !matches!(e, Event::Start(Tag::Image { .. })));
    one_image.then_some(a..b + 1)
}

/// A heading's id as GitHub makes it, so links written for GitHub work here too: lower case;
/// letters of every script, digits, combining marks, `_`, `-` and spaces kept, everything else
/// (punctuation, emoji) dropped; each space becomes `-`. Repeats get `-1`, `-2` from
/// [`State::unique_id`].
pub(crate) fn github_slug(title: &str) -> String {
    let is_mark = |c: char| matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F);
    title
        .trim()
        .to_lowercase()
        .chars()
        .filter(|&c| c.is_alphanumeric() || is_mark(c) || c == '_' || c == '-' || c == ' ')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The number of whitespace-separated words in `text`, as `split_whitespace().count()`: a byte
/// loop for ASCII text (decoding every character to test it was most of a page's parse time).
fn count_words(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().count();
    }
    let mut words = 0;
    let mut in_space = true;
    for &b in text.as_bytes() {
        let space = b.is_ascii_whitespace() || b == 0x0b;
        words += usize::from(in_space && !space);
        in_space = space;
    }
    words
}

fn heading_level(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Renders `body` (which starts at byte `offset` of `file`) to HTML and records what it saw.
pub(crate) fn parse(
    body: &str,
    file: FileId,
    offset: usize,
    mode: CiteMode,
) -> (ParsedMarkdown, Vec<Diagnostic>) {
    parse_page(body, file, offset, mode, &SiteData::default(), "")
}

/// What a page's parse reads of the rest of the site.
#[derive(Debug, Default)]
pub(crate) struct SiteData {
    pub timeline: Timeline,
    pub glossary: Glossary,
}

/// [`parse`] for a page in folder `dir` of content/, with the site's timeline for its
/// `{{ timeline() }}` blocks.
pub(crate) fn parse_page(
    body: &str,
    file: FileId,
    offset: usize,
    mode: CiteMode,
    site: &SiteData,
    dir: &str,
) -> (ParsedMarkdown, Vec<Diagnostic>) {
    let (timeline, glossary) = (&site.timeline, &site.glossary);
    let callback = cite_callback;
    let (text, callout_titles) = take_callout_titles(body);
    let body: &str = &text;
    let parser = Parser::new_with_broken_link_callback(body, options(), Some(callback));
    let mut st = State {
        mode,
        file,
        offset,
        src: body,
        out: ParsedMarkdown::default(),
        diags: Vec::new(),
        main: Vec::new(),
        footnote: None,
        heading: None,
        footnote_bodies: HashMap::new(),
        note_of: HashMap::new(),
        ids: HashMap::new(),
        skip_link_depth: 0,
        link_depth: 0,
        skip_until: 0,
        after_markers: None,
        definitions: Vec::new(),
        image: None,
        code: Vec::new(),
        callout_titles,
        images: 0,
        timeline,
        dir,
        in_event: false,
        fixed_span: None,
        glossary,
        mentioned: vec![false; glossary.entries.len()],
        unmentioned: glossary.entries.len(),
        quote_depth: 0,
        in_quotes: false,
        term_link: None,
    };
    // Events are turned into HTML a top-level block at a time, not collected for the whole
    // page: between top-level blocks the HTML writer holds no state (no open table or list),
    // and no heading or footnote definition is being captured (both are blocks).
    let mut body_html = Fragment {
        html: String::with_capacity(body.len() * 5 / 4),
        holes: Vec::new(),
    };
    let mut depth = 0usize;
    let mut skip_para = false;
    // A paragraph is held until it ends: one that holds only an image becomes a figure.
    let mut para: Option<Vec<(Event<'_>, Range<usize>)>> = None;
    for (ev, range) in parser.into_offset_iter() {
        match ev {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        if let Some(buf) = &mut para {
            // Only a paragraph that opens with an image or a link can be a figure or an embed:
            // any other is let go at its first word.
            let opens = buf.len() == 1
                && !matches!(ev, Event::SoftBreak)
                && !matches!(&ev, Event::Text(t) if t.trim().is_empty());
            if opens && !matches!(ev, Event::Start(Tag::Image { .. } | Tag::Link { .. })) {
                for (e, r) in para.take().into_iter().flatten() {
                    st.event(e, r);
                }
                st.event(ev, range);
                continue;
            }
            let end = matches!(ev, Event::End(TagEnd::Paragraph));
            buf.push((ev, range));
            if end {
                let buf = para.take().unwrap_or_default();
                if let Some((url, label)) = lone_embed(&buf).filter(|_| st.footnote.is_none()) {
                    st.embed(&url, &label);
                } else if let Some(image) = lone_image(&buf).filter(|_| st.footnote.is_none()) {
                    let mut buf = buf;
                    st.figure(buf.drain(image).collect());
                } else {
                    for (e, r) in buf {
                        st.event(e, r);
                    }
                }
            }
            continue;
        }
        if skip_para {
            skip_para = !matches!(ev, Event::End(TagEnd::Paragraph));
            continue;
        }
        if matches!(ev, Event::Start(Tag::Paragraph)) {
            // A paragraph that is only `{{ timeline(…) }}` shows the timeline's events.
            if st.footnote.is_none() {
                if let Some(call) = block_call(&body[range.clone()], "timeline") {
                    st.timeline_block(call, &range);
                    skip_para = true;
                    continue;
                }
                if let Some(call) = block_call(&body[range.clone()], "glossary") {
                    st.glossary_block(call, &range);
                    skip_para = true;
                    continue;
                }
            }
            para = Some(vec![(ev, range)]);
            continue;
        }
        st.event(ev, range);
        if depth == 0 && st.main.len() >= 64 {
            body_html.append(st.main.drain(..));
        }
    }
    body_html.append(st.main.drain(..));
    body_html.shrink();
    st.out.body = body_html;
    st.out.notes.shrink_to_fit();
    st.out.citations.shrink_to_fit();
    let mut bodies = std::mem::take(&mut st.footnote_bodies);
    for note in &mut st.out.notes {
        if let NoteKind::Footnote { label, body } = &mut note.kind {
            if let Some(b) = bodies.remove(label) {
                *body = b;
            }
        }
    }
    // A footnote marker without a definition is left as text by pulldown-cmark: find each.
    let defined: std::collections::HashSet<&str> = st.definitions.iter().map(|(l, _)| l.as_str()).collect();
    let mut from = 0;
    while let Some(i) = body[from..].find("[^").map(|i| from + i) {
        from = i + 2;
        let Some(len) = body[i + 2..].find(']') else { break };
        let label = &body[i + 2..i + 2 + len];
        let end = i + 2 + len + 1;
        let escaped = i > 0 && body.as_bytes()[i - 1] == b'\\';
        let is_definition = body[end..].starts_with(':');
        let in_code = st.code.iter().any(|r| r.start <= i && i < r.end);
        if label.is_empty()
            || label.contains(char::is_whitespace)
            || escaped
            || is_definition
            || in_code
            || defined.contains(label)
        {
            continue;
        }
        st.diags.push(Diagnostic::at(
            Kind::UndefinedFootnote {
                label: label.to_string(),
            },
            file,
            offset + i..offset + end,
        ));
    }
    for (label, span) in &st.definitions {
        if !st.note_of.contains_key(&(false, label.clone())) {
            st.diags.push(Diagnostic::at(
                Kind::UnusedFootnote { label: label.clone() },
                file,
                span.clone(),
            ));
        }
    }
    (st.out, st.diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        parse(md, FileId(0), 0, CiteMode::Notes).0.body.render(
            |h| match h {
                LinkHole::Page(i) => format!("LINK{}", i.index()),
                LinkHole::File(j) => format!("FILE{}", j.index()),
                LinkHole::Size(_) => String::new(),
            },
            |_| String::new(),
        )
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for text in [
            "",
            "  ",
            "one",
            " two words ",
            "tab\tand\nnewline\x0bvertical\x0cfeed\r",
            "non-ASCII caf\u{e9}\u{a0}and\u{2003}spaces",
            "ends with space ",
        ] {
            assert_eq!(count_words(text), text.split_whitespace().count(), "{text:?}");
        }
    }

    #[test]
    fn heading_ids_follow_githubs_slugger() {
        for (title, id) in [
            ("Hello, World!", "hello-world"),
            ("Élysée Palace", "élysée-palace"),
            ("快速上手", "快速上手"),
            ("Москва и Баку", "москва-и-баку"),
            ("🚀 Features", "-features"),
            ("What's new in 2.0?", "whats-new-in-20"),
            ("snake_case and kebab-case", "snake_case-and-kebab-case"),
        ] {
            assert_eq!(github_slug(title), id, "{title}");
        }
        let (p, _) = parse(
            "## 🚀 Features\n\n## 快速上手\n\n## Features\n",
            FileId(0),
            0,
            CiteMode::Notes,
        );
        let ids: Vec<_> = p.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["-features", "快速上手", "features"]);
    }

    #[test]
    fn headings_get_unique_ids_and_self_links() {
        let (p, _) = parse(
            "# Hello\n\n## Hello\n\n## Custom {#mine}\n",
            FileId(0),
            0,
            CiteMode::Notes,
        );
        let ids: Vec<_> = p.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["hello", "hello-1", "mine"]);
        let (p, _) = parse(
            "# Main\n\n## Note 1\n\n## Ref 1 2\n\n## Notes heading\n",
            FileId(0),
            0,
            CiteMode::Notes,
        );
        let ids: Vec<_> = p.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["main-1", "note-1-1", "ref-1-2-1", "notes-heading-1"]);
        assert!(html("## Hi there\n")
            .contains("<h2 id=\"hi-there\">Hi there <a class=\"anchor\" href=\"#hi-there\""));
    }

    #[test]
    fn internal_links_become_holes_and_external_stay() {
        let (p, _) = parse(
            "[a](b.md#x) [c](https://e.org/d.md)",
            FileId(0),
            10,
            CiteMode::Notes,
        );
        assert_eq!(p.links.len(), 1);
        assert_eq!(p.links[0].path, "b.md");
        assert_eq!(p.links[0].fragment.as_deref(), Some("x"));
        assert_eq!(p.links[0].span, 10..21);
        let out = html("[a](b.md) [c](https://e.org/)");
        assert!(out.contains("<a href=\"LINK0\">a</a>"), "{out}");
        assert!(out.contains("href=\"https://e.org/\""));
    }

    #[test]
    fn citations_and_footnotes_share_one_sequence() {
        let md = "A[^n] b [@x] c [@y; @x, p. 3].\n\n[^n]: Note.\n";
        let side = |m: Mark| match m {
            Mark::Sidenote { number, occurrence } => format!("<side {number}.{occurrence}>"),
            Mark::Cite(g) => format!("<cite {}>", g.index()),
            Mark::Author(g) => format!("<author {}>", g.index()),
            Mark::Mentions(e) => format!("<mentions {}>", e.index()),
            Mark::TermOpen(t) => format!("<term {}>", t.index()),
            Mark::TermClose(t) => format!("</term {}>", t.index()),
            Mark::Listed(l) => format!("<listed {}>", l.index()),
        };
        // One note per source (Wikipedia's model): repeats are markers to one note.
        let (p, d) = parse(md, FileId(0), 0, CiteMode::NotePerSource);
        assert!(d.is_empty(), "{d:?}");
        let numbers: Vec<_> = p.notes.iter().map(|n| (n.number, n.uses.len())).collect();
        assert_eq!(numbers, [(1, 1), (2, 2), (3, 1)]);
        assert_eq!(p.notes[1].uses, [None, Some("p. 3".to_string())]);
        let out = p.body.render(|_| String::new(), side);
        assert!(out.contains("</sup><side 2.2>"), "{out}");
        assert!(out.contains("id=\"ref-2-2\""), "{out}");
        // A note style: each citation is a note of its own, numbered with the footnotes.
        let (p, _) = parse(md, FileId(0), 0, CiteMode::Notes);
        let kinds: Vec<_> = p
            .notes
            .iter()
            .map(|n| match &n.kind {
                NoteKind::Citation { group } => format!("{} cites group {}", n.number, group.index()),
                NoteKind::Footnote { label, .. } => format!("{} footnote {label}", n.number),
                NoteKind::Source { key } => format!("{} source {key}", n.number),
            })
            .collect();
        assert_eq!(kinds, ["1 footnote n", "2 cites group 0", "3 cites group 1"]);
        let anchors: Vec<_> = p.cites().map(|c| (c.key, c.anchor.to_string())).collect();
        assert_eq!(
            anchors,
            [
                ("x", "ref-2-1".to_string()),
                ("y", "ref-3-1".to_string()),
                ("x", "ref-3-1".to_string())
            ]
        );
        // An in-text style: citations stay in the text (punctuation after them too); footnotes
        // alone are numbered.
        let (p, _) = parse(md, FileId(0), 0, CiteMode::InText { numeric: false });
        assert_eq!(p.notes.len(), 1);
        let out = p.body.render(|_| String::new(), side);
        assert!(out.contains("b <cite 0> c <cite 1>."), "{out}");
        let anchors: Vec<_> = p.cites().map(|c| c.anchor.to_string()).collect();
        assert_eq!(anchors, ["cite-1", "cite-2", "cite-2"]);
    }

    #[test]
    fn narrative_citations_take_their_bracketed_locator() {
        let side = |m: Mark| match m {
            Mark::Sidenote { number, .. } => format!("<side {number}>"),
            Mark::Cite(g) => format!("<cite {}>", g.index()),
            Mark::Author(g) => format!("<author {}>", g.index()),
            Mark::Mentions(e) => format!("<mentions {}>", e.index()),
            Mark::TermOpen(t) => format!("<term {}>", t.index()),
            Mark::TermClose(t) => format!("</term {}>", t.index()),
            Mark::Listed(l) => format!("<listed {}>", l.index()),
        };
        let md = "As @a [p. 33] says, @b [and more] too; \\@c and `@d` not.";
        let (p, d) = parse(md, FileId(0), 0, CiteMode::InText { numeric: false });
        assert!(d.is_empty(), "{d:?}");
        let cites: Vec<_> = p.cites().map(|c| (c.key, c.span.clone())).collect();
        assert_eq!(cites, [("a", 3..13), ("b", 20..22)]);
        let locators: Vec<_> = p
            .citations
            .iter()
            .map(|g| g.items[0].locator.as_deref())
            .collect();
        assert_eq!(locators, [Some("p. 33"), None]);
        let out = p.body.render(|_| String::new(), side);
        assert!(
            out.contains("As <cite 0> says, <cite 1> [and more] too; @c and <code>@d</code>"),
            "{out}"
        );
        // An escape inside a key ends the text there: the `@` stays text, nothing panics.
        let (p, d) = parse("Say @\\_é [p. 3] then.", FileId(0), 0, CiteMode::Notes);
        assert!(p.citations.is_empty() && d.is_empty(), "{d:?}");
        let (p, _) = parse(md, FileId(0), 0, CiteMode::Notes);
        let out = p.body.render(|_| String::new(), side);
        assert!(out.contains("As <author 0><sup"), "{out}");
        assert!(out.contains("</sup><side 1> says,"), "{out}");
    }

    #[test]
    fn code_and_escapes_are_not_citations() {
        let (p, _) = parse(
            "`[@x]` and \\[@y] and\n\n    [@z]\n",
            FileId(0),
            0,
            CiteMode::Notes,
        );
        assert!(p.citations.is_empty());
    }
}
