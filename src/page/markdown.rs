//! Markdown to HTML in one pulldown-cmark pass. The pass records what later stages must check
//! or fill in: headings (for ids, anchors and the table of contents), internal links (as
//! holes filled once every page exists), citations and footnotes (numbered in one
//! sequence per page, in order of first appearance).

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{BrokenLink, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::base::diag::{Diagnostic, FileId, Kind};
use crate::base::markup::{Block, Blocks};
use crate::base::text::{github_slug, html_attr_escape};
use crate::data::cite::citeproc::CiteMode;
pub(crate) use crate::data::cite_syntax::Anchor;

mod blocks;
mod claims;
mod figures;
mod fragment;
mod links;
mod notes;
mod page;

pub(crate) use crate::data::SiteData;
pub(crate) use page::{parse, parse_page};

use crate::data::cite_syntax::{
    keys_named, narrative_keys, parse_citation, split_locator, unknown_label, Citation,
};
pub(crate) use blocks::json_ld;
use blocks::{quoted_after, Level};
use figures::{lone_embed, lone_image};
pub(crate) use fragment::Fragment;
use fragment::Hole;
use links::{classify_dest, Dest};

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
    /// A claim the page links to: [`ParsedMarkdown::claim_refs`].
    ClaimRefId;
    /// A claim shown by a block: [`ParsedMarkdown::claims`].
    ClaimId;
    /// JSON-LD that names the sources it cites: [`ParsedMarkdown::ld`].
    LdId;
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
    /// The opening tag of a `[text](claim:id)` link.
    ClaimOpen(ClaimRefId),
    /// The closing tag of a claim's link, and its card.
    ClaimClose(ClaimRefId),
    /// The pages that link to a claim shown here.
    Linked(ClaimId),
    /// JSON-LD whose items' `appearance` lists source keys, for the URLs of those sources.
    Ld(LdId),
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
    /// The language of the page a link leads to, when it is another edition's (or nothing).
    Language(LinkId),
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
    /// For a link in a timeline event or a glossary entry shown on the page: that item's anchor
    /// and title, what a "Referenced in" line names (the page's headings are in another file).
    pub under: Option<Box<(String, String)>>,
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
    /// How many blocks of each data file the page has (`{{ timeline() }}`, shown or not): an
    /// edit of the file parses it again.
    pub data_blocks: std::collections::BTreeMap<crate::data::DataKind, usize>,
    /// The claims its `{{ claims() }}` blocks show, in order.
    pub claims: Vec<Shown>,
    /// The claims it links to (`[text](claim:id)`), each once, where first linked.
    pub claim_refs: Vec<ClaimRef>,
    /// schema.org graphs whose items' `appearance` holds the keys of the sources they cite,
    /// which the renderer makes their URLs.
    pub ld: Vec<serde_json::Value>,
    /// The glossary entries the page mentions (by key), each once, in order.
    pub terms: Vec<String>,
    /// The glossary entries its `{{ glossary() }}` blocks list.
    pub listed: Vec<Shown>,
    pub citations: Vec<CiteGroup>,
    pub notes: Vec<Note>,
    /// Keys named in citations that could not be read (reported there): not "never cited".
    pub keys_in_malformed: Vec<String>,
    pub word_count: usize,
    /// The front matter's `image`, the page's link-preview picture: one of [`Self::files`].
    pub card_image: Option<FileRefId>,
    /// Every web address the page links or shows (`http:` and `https:`, in its text and in the
    /// events and entries it shows), where it is written: what `kagu check --external` checks.
    pub external: Vec<ExternalRef>,
}

/// A claim a page links to, and where it first does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ClaimRef {
    pub id: String,
    pub file: FileId,
    pub span: Range<usize>,
}

/// A web address a page links to or shows, where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExternalRef {
    pub url: String,
    pub file: FileId,
    pub span: Range<usize>,
}

impl ParsedMarkdown {
    /// Gives back the lists' spare capacity ([`crate::base::compact::Compact`]): a page is
    /// kept for the whole build, and a list grown by pushing holds up to twice what it needs.
    pub(crate) fn compact(&mut self) {
        use crate::base::compact::Compact;
        for n in &mut self.notes {
            n.uses.compact();
        }
        self.body.compact();
        self.headings.compact();
        self.links.compact();
        self.files.compact();
        self.root_links.compact();
        self.anchor_ids.compact();
        self.events.compact();
        self.claims.compact();
        self.claim_refs.compact();
        self.ld.compact();
        self.terms.compact();
        self.listed.compact();
        self.citations.compact();
        self.notes.compact();
        self.keys_in_malformed.compact();
        self.external.compact();
    }

    /// Records a file the front matter names (`image`), checked and copied as a link to it is.
    pub(crate) fn front_matter_file(&mut self, path: &str, file: FileId, span: Range<usize>) -> FileRefId {
        self.files.push(FileRef {
            path: path.to_string(),
            fragment: None,
            file,
            span,
        });
        FileRefId::new(self.files.len() - 1)
    }

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
fn callout_class(kind: pulldown_cmark::BlockQuoteKind) -> &'static str {
    use pulldown_cmark::BlockQuoteKind as K;
    match kind {
        K::Note => "note",
        K::Tip => "tip",
        K::Important => "important",
        K::Warning => "warning",
        K::Caution => "caution",
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

#[derive(Default)]
struct HeadingCapture<'a> {
    level: u8,
    pos: usize,
    /// Where its `{#id}` is written, when it sets one.
    id_span: Option<Range<usize>>,
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
    heading: Option<HeadingCapture<'a>>,
    ids: HashMap<String, usize>,
    /// Byte ranges (in the body) of code spans and blocks, where `[^x]` is text.
    code: Vec<Range<usize>>,
    /// Custom callout titles, by the byte offset of their block quote.
    callout_titles: HashMap<usize, String>,
    /// The values of the callouts open here, innermost last (their ends are written with them).
    callouts: Vec<[String; 3]>,
    /// The theme's blocks and words.
    blocks: &'a Blocks,
    /// The page's folder under content/ ("" at the top).
    dir: &'a str,
    /// Footnotes and citation notes.
    notes: NoteState<'a>,
    /// Links and citations being read.
    links: LinkState,
    /// Images being read and written.
    images: ImageState,
    /// The site's data in the page: timeline and glossary blocks, glossary mentions.
    data: DataState<'a>,
}

/// What the notes own while a page is read: the footnote being captured, each footnote's body,
/// each note's number, where markers just ended, each definition's place.
#[derive(Default)]
struct NoteState<'a> {
    footnote: Option<(String, Vec<Piece<'a>>)>,
    footnote_bodies: HashMap<String, Fragment>,
    note_of: HashMap<(bool, String), usize>,
    /// Right after note markers: (which sink, its length then, where the first of the markers
    /// is), so punctuation that follows can move before them.
    after_markers: Option<((bool, bool), usize, usize)>,
    /// Each footnote definition's label and where it is, to find those never referenced.
    definitions: Vec<(String, Range<usize>)>,
}

/// What links own while a page is read.
#[derive(Default)]
struct LinkState {
    skip_link_depth: usize,
    /// Inside how many links: their text holds no narrative citation.
    link_depth: usize,
    /// Source text up to here was read as a narrative citation's locator: not text.
    skip_until: usize,
}

/// What images own while a page is read.
#[derive(Default)]
struct ImageState {
    /// An image to a local file being read: its hole, title and alt text so far.
    image: Option<(FileRefId, String, String)>,
    /// Images written so far (the first loads at once, the rest lazily).
    written: usize,
}

/// What the site's data owns while a page is read: the timeline and glossary, which entries
/// the page has mentioned, and where a description read from a data file is.
struct DataState<'a> {
    /// The site's data files, for their blocks, and how its language writes a date.
    site: &'a SiteData,
    /// Which entries the page has mentioned already, and how many it has not.
    mentioned: Vec<bool>,
    unmentioned: usize,
    /// Reading an event's description: its links are relative to content/, not the page.
    in_event: bool,
    /// The anchor and title of the event or entry whose description is being read.
    under: Option<(String, String)>,
    /// Every place in the text being read is shown here (an event description written with
    /// escapes, whose places in the file are not its places in the text).
    fixed_span: Option<Range<usize>>,
    /// Inside a `[text](glossary:key)` or `[text](claim:id)` link: the hole that closes it
    /// (None for `glossary:none` or a link to nothing).
    term_link: Option<Option<Mark>>,
    /// Inside how many block quotes (not callouts): quoted words are not linked.
    quote_depth: usize,
    /// Inside a quotation (between “ and ”) in the current paragraph.
    in_quotes: bool,
}

impl<'a> State<'a> {
    fn sink(&mut self) -> &mut Vec<Piece<'a>> {
        if let Some(h) = &mut self.heading {
            &mut h.events
        } else if let Some((_, evs)) = &mut self.notes.footnote {
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
        if let Some(fixed) = &self.data.fixed_span {
            return fixed.clone();
        }
        self.offset + r.start..self.offset + r.end
    }

    fn event(&mut self, ev: Event<'a>, range: Range<usize>) {
        if self.images.image.is_some() {
            self.image_event(ev);
            return;
        }
        if matches!(
            ev,
            Event::Code(_) | Event::Start(Tag::CodeBlock(_)) | Event::Html(_) | Event::InlineHtml(_)
        ) {
            self.code.push(range.clone());
        }
        if self.links.skip_link_depth > 0 {
            match ev {
                Event::Start(Tag::Link { .. }) => self.links.skip_link_depth += 1,
                Event::End(TagEnd::Link) => self.links.skip_link_depth -= 1,
                _ => {}
            }
            return;
        }
        match &ev {
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.as_ref() != CITE_DEST => {
                self.links.link_depth += 1;
                self.check_scheme(dest_url, &range);
                self.external(dest_url, &range);
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                self.check_scheme(dest_url, &range);
                self.external(dest_url, &range);
            }
            Event::End(TagEnd::Link) => self.links.link_depth = self.links.link_depth.saturating_sub(1),
            Event::Start(Tag::BlockQuote(None)) => {
                self.data.quote_depth += 1;
                self.unknown_callout(&range);
            }
            Event::End(TagEnd::BlockQuote(None)) => {
                self.data.quote_depth = self.data.quote_depth.saturating_sub(1);
            }
            Event::End(TagEnd::Paragraph) => self.data.in_quotes = false,
            _ => {}
        }
        match ev {
            Event::Start(Tag::Link { ref dest_url, .. }) if dest_url.starts_with("glossary:") => {
                self.glossary_link(&dest_url["glossary:".len()..], &range);
            }
            Event::Start(Tag::Link { ref dest_url, .. }) if dest_url.starts_with("claim:") => {
                self.claim_link(&dest_url["claim:".len()..], &range);
            }
            Event::End(TagEnd::Link) if self.data.term_link.is_some() => {
                if let Some(Some(close)) = self.data.term_link.take() {
                    self.hole(Hole::Mark(close));
                }
            }
            Event::Start(Tag::Link {
                link_type: LinkType::ShortcutUnknown,
                ref dest_url,
                ..
            }) if dest_url.as_ref() == CITE_DEST => {
                self.citation(&range);
                self.links.skip_link_depth = 1;
            }
            Event::Start(Tag::Image {
                ref dest_url,
                ref title,
                ..
            }) if classify_dest(dest_url) == Dest::File => {
                let j = self.file_ref(dest_url, self.span(&range));
                self.images.image = Some((j, title.to_string(), String::new()));
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
                self.link_start(dest_url, title, &range);
            }
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => self.start_heading(level, id, &classes, &range),
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let class = callout_class(kind);
                let title = self
                    .callout_titles
                    .get(&range.start)
                    .cloned()
                    .unwrap_or_else(|| self.blocks.word(&format!("callout_{class}")).to_string());
                let values = [class.to_string(), title, String::new()];
                self.put(
                    Block::Callout,
                    0,
                    0,
                    &values.each_ref().map(String::as_str),
                    Level::Block,
                );
                self.callouts.push(values);
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                let values = self.callouts.pop().unwrap_or_default();
                self.put(
                    Block::Callout,
                    0,
                    1,
                    &values.each_ref().map(String::as_str),
                    Level::Block,
                );
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let at = self.span(&range);
                let head = label.len() + 4;
                self.notes
                    .definitions
                    .push((label.to_string(), at.start..(at.start + head).min(at.end)));
                self.notes.footnote = Some((label.to_string(), Vec::new()));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((label, pieces)) = self.notes.footnote.take() {
                    let mut body = Fragment::default();
                    body.append(pieces);
                    body.compact();
                    self.notes.footnote_bodies.insert(label, body);
                }
            }
            Event::FootnoteReference(label) => {
                let (n, k) = self.note(false, &label, None);
                let label = self.blocks.word("note_label").replace("{n}", &n.to_string());
                self.marker(n, k, &label);
            }
            Event::Text(t) if range.start < self.links.skip_until => {
                let rest = self.unskipped(&t, range.end).to_string();
                if !rest.is_empty() {
                    self.event(Event::Text(CowStr::from(rest)), self.links.skip_until..range.end);
                }
            }
            Event::Text(t) => self.text_event(t, &range),
            Event::Code(t) => {
                if let Some(h) = &mut self.heading {
                    h.text.push_str(&t);
                }
                self.push(Event::Code(t));
            }
            other => self.push(other),
        }
    }

    /// An event inside an image to a local file: its alt text, until its end writes the tag.
    fn image_event(&mut self, ev: Event<'a>) {
        let Some((_, _, alt)) = &mut self.images.image else {
            return;
        };
        match ev {
            Event::Text(t) | Event::Code(t) => alt.push_str(&t),
            Event::SoftBreak | Event::HardBreak => alt.push(' '),
            Event::End(TagEnd::Image) => {
                if let Some((j, title, alt)) = self.images.image.take() {
                    if alt.trim().is_empty() {
                        let span = self.out.files[j.index()].span.clone();
                        self.diags.push(Diagnostic::at(Kind::MissingAlt, self.file, span));
                    }
                    // The first image may be on the first screen; the others load when near.
                    let flags = usize::from(!title.is_empty()) | usize::from(self.images.written > 0) << 1;
                    self.images.written += 1;
                    let values = ["", "", alt.as_str(), title.as_str()];
                    self.put_with(Block::Image, flags, 0, &values, Level::Inline, &mut |st, slot| {
                        st.hole(if slot == 0 { Hole::File(j) } else { Hole::Size(j) });
                    });
                }
            }
            _ => {}
        }
    }

    /// Text: counted, read for narrative citations outside links, headings and code, and
    /// written with punctuation moved before the note markers it follows.
    fn text_event(&mut self, t: CowStr<'a>, range: &Range<usize>) {
        if let Some(h) = &mut self.heading {
            h.text.push_str(&t);
        }
        if self.notes.footnote.is_none() {
            self.out.word_count += count_words(&t);
        }
        let t = self.punctuation_before_markers(t);
        let in_code = self
            .code
            .last()
            .is_some_and(|c| c.start <= range.start && range.end <= c.end);
        if t.contains('@') && self.links.link_depth == 0 && self.heading.is_none() && !in_code {
            self.text_with_narrative(t, range);
        } else if !t.is_empty() {
            self.text_out(t, in_code);
        }
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

    /// Text, with the first mention of each glossary entry on the page linked to its card: not
    /// in headings, links, code, notes, block quotes or quotations, nor in the timeline's and
    /// glossary's own descriptions.
    fn text_out(&mut self, t: CowStr<'a>, in_code: bool) {
        let linkable = self.data.unmentioned > 0
            && self.heading.is_none()
            && self.links.link_depth == 0
            && !in_code
            && self.notes.footnote.is_none()
            && !self.data.in_event
            && self.data.quote_depth == 0;
        if !linkable {
            self.push(Event::Text(t));
            return;
        }
        let quotes = t.contains(['“', '”']);
        let mut inside = self.data.in_quotes;
        let mut seen = 0;
        let mut from = 0;
        for m in self.data.site.glossary.mentions(&t) {
            if self.data.mentioned[m.entry] {
                continue;
            }
            if quotes {
                inside = quoted_after(&t[seen..m.range.start], inside);
                seen = m.range.start;
            }
            if inside {
                continue;
            }
            self.data.mentioned[m.entry] = true;
            self.data.unmentioned -= 1;
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
            self.data.in_quotes = quoted_after(&t[seen..], inside);
        }
        if from == 0 {
            self.push(Event::Text(t));
        } else if from < t.len() {
            self.push(Event::Text(CowStr::from(t[from..].to_string())));
        }
    }

    /// A block quote that opens like a callout of a kind there is none of (`> [!INFO]`): said
    /// at the marker (it would print as a quotation with the marker as text).
    fn unknown_callout(&mut self, range: &Range<usize>) {
        let text = &self.src[range.clone()];
        let after = text.trim_start().trim_start_matches('>').trim_start();
        let Some(word) = after
            .strip_prefix("[!")
            .and_then(|r| r.split_once(']'))
            .map(|(w, _)| w)
            .filter(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphabetic()))
        else {
            return;
        };
        let start = range.start + (text.len() - after.len());
        let kinds = ["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"];
        self.diags.push(Diagnostic::at(
            Kind::UnknownCallout {
                name: word.to_string(),
                suggestion: crate::base::diag::did_you_mean(&word.to_ascii_uppercase(), kinds),
            },
            self.file,
            self.span(&(start..start + word.len() + 3)),
        ));
    }

    /// A heading begins: its text and events are captured until it ends.
    fn start_heading(
        &mut self,
        level: HeadingLevel,
        id: Option<CowStr<'a>>,
        classes: &[CowStr<'a>],
        range: &Range<usize>,
    ) {
        let id_span = id.as_ref().and_then(|id| {
            let at = self.src[range.clone()].rfind(&format!("{{#{id}"))?;
            let start = range.start + at;
            let len = self.src[start..range.end]
                .find('}')
                .map_or(id.len() + 2, |i| i + 1);
            Some(self.span(&(start..start + len)))
        });
        self.heading = Some(HeadingCapture {
            level: heading_level(level),
            pos: self.span(range).start,
            id_span,
            id: id.map(|i| i.to_string()),
            classes: classes.iter().map(std::string::ToString::to_string).collect(),
            ..Default::default()
        });
    }

    fn end_heading(&mut self) {
        let Some(h) = self.heading.take() else { return };
        let title = h.text.trim().to_string();
        // An id written twice (or one the theme uses) would silently become `id-1`, and a link
        // meant for this heading would land on the first.
        if let (Some(wanted), Some(span)) = (&h.id, &h.id_span) {
            if self.ids.get(wanted).is_some_and(|&n| n > 0) || is_theme_id(wanted) {
                self.diags.push(Diagnostic::at(
                    Kind::DuplicateHeadingId { id: wanted.clone() },
                    self.file,
                    span.clone(),
                ));
            }
        }
        let id = self.unique_id(h.id.unwrap_or_else(|| github_slug(&title)));
        let level = h.level;
        let (level_text, classes) = (level.to_string(), h.classes.join(" "));
        let values = [
            level_text.as_str(),
            id.as_str(),
            classes.as_str(),
            title.as_str(),
            "",
        ];
        let flags = usize::from(!h.classes.is_empty());
        self.put(Block::Heading, flags, 0, &values, Level::Block);
        self.sink().extend(h.events);
        self.put(Block::Heading, flags, 1, &values, Level::Block);
        self.out.headings.push(Heading {
            pos: h.pos,
            level,
            id,
            title,
        });
    }
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
    crate::data::cite_syntax::looks_like_citation(&link.reference)
        .then(|| (CowStr::from(CITE_DEST), CowStr::from("")))
}

/// The number of whitespace-separated words in `text`, as `split_whitespace().count()`: a byte
/// loop for ASCII text (decoding every character to test it was most of a page's parse time).
fn count_words(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().count();
    }
    // ASCII whitespace as `split_whitespace` has it (with the vertical tab).
    let space = |b: u8| b == b' ' || (0x09..=0x0d).contains(&b);
    let b = text.as_bytes();
    let Some(&first) = b.first() else { return 0 };
    // A word starts at each byte that is not a space after one that is: counted a byte a lane,
    // 255 pairs at a time so that the counts fit a byte (which vectorizes).
    let mut words = usize::from(!space(first));
    for (xs, ys) in b.chunks(255).zip(b[1..].chunks(255)) {
        let starts = xs
            .iter()
            .zip(ys)
            .fold(0u8, |n, (&x, &y)| n.wrapping_add(u8::from(space(x) & !space(y))));
        words += usize::from(starts);
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

#[cfg(test)]
mod tests;
