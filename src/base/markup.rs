//! The markup of the blocks kagu writes into pages (headings' self-links, callouts, figures,
//! embeds, note markers, sidenotes, citations, the timeline's and glossary's blocks, …), each
//! made by a template of the theme (`templates/blocks/NAME.html`, which a site or theme
//! overrides by a file of the same name), and the words they show, from the catalogue.
//!
//! A page may hold thousands of blocks, so a block template is not rendered for each: it is
//! rendered once per combination of its flags with marked values (`output::theme` does this), and
//! kept as a [`Splice`], its text with the places of its values, each written escaped or as it
//! is, as the template wrote the marker. A block template may place its values, escape them or
//! not, and test its flags; one that tests or changes a value is refused where it is loaded.

use std::collections::HashMap;

/// What a block is given, in the order of its [`BlockDef::slots`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// Text: escaped where the template escapes it (as tera's autoescape would).
    Text(&'static str),
    /// HTML made by kagu: placed as it is.
    Html(&'static str),
    /// A place filled later (a link's target, an image's size): the writer's caller puts it.
    Hole(&'static str),
    /// What the block holds (a heading's text, a callout's paragraphs): the block is written in
    /// parts, before and after each content slot, which the template places at most once each,
    /// in order. A template (or a combination of its flags) that leaves a content slot out has
    /// its text in the part before the next one: the caller writes every part, in order, and
    /// puts the holes of each.
    Content(&'static str),
}

impl Slot {
    /// The name templates know it by.
    pub fn name(self) -> &'static str {
        match self {
            Slot::Text(n) | Slot::Html(n) | Slot::Hole(n) | Slot::Content(n) => n,
        }
    }
}

/// A block: its template's name and the default theme's, what it is given and the flags it may
/// test.
#[derive(Debug)]
pub struct BlockDef {
    /// The template, under `templates/`.
    pub template: &'static str,
    /// The default theme's template (`themes/default/templates/blocks/…`, built in).
    pub builtin: &'static str,
    /// What it is given, in order.
    pub slots: &'static [Slot],
    /// What it may test: bit i of a block's flags is flag i.
    pub flags: &'static [&'static str],
}

macro_rules! blocks {
    ($($(#[$doc:meta])* $name:ident = $file:literal [$($slot:expr),* $(,)?] flags [$($flag:literal),* $(,)?];)*) => {
        /// Every block kagu writes into a page.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Block {
            $($(#[$doc])* $name,)*
        }

        impl Block {
            /// Every block, in the order of their definitions.
            pub const ALL: &'static [Block] = &[$(Block::$name,)*];

            /// Its definition.
            pub fn def(self) -> &'static BlockDef {
                match self {
                    $(Block::$name => &BlockDef {
                        template: concat!("blocks/", $file),
                        builtin: include_str!(concat!(
                            env!("CARGO_MANIFEST_DIR"),
                            "/themes/default/templates/blocks/",
                            $file
                        )),
                        slots: &[$($slot),*],
                        flags: &[$($flag),*],
                    },)*
                }
            }
        }
    };
}

use Slot::{Content, Hole, Html, Text};

blocks! {
    /// A heading with its self-link.
    Heading = "heading.html" [Text("level"), Text("id"), Text("classes"), Text("title"), Content("content")] flags ["classed"];
    /// A callout (`> [!NOTE]`).
    Callout = "callout.html" [Text("kind"), Text("title"), Content("content")] flags [];
    /// An image to a local file.
    Image = "image.html" [Hole("src"), Hole("size"), Text("alt"), Text("title")] flags ["titled", "lazy"];
    /// A paragraph holding only an image, with its caption and credit.
    Figure = "figure.html" [Text("id"), Content("image"), Content("caption"), Text("credit")] flags ["captioned", "credited"];
    /// A click-to-load embed.
    Embed = "embed.html" [Text("url"), Text("label"), Text("host")] flags [];
    /// A note's marker in the text.
    NoteRef = "note_ref.html" [Text("number"), Text("occurrence"), Text("label")] flags [];
    /// A note beside the text (`repeat`: a later marker of the same note).
    Sidenote = "sidenote.html" [Text("number"), Html("text"), Text("locator")] flags ["located", "repeat"];
    /// An in-text citation, linked to its source in the page's references.
    Citation = "citation.html" [Text("number"), Text("target"), Html("text")] flags ["linked"];
    /// The start of a glossary mention: a link to its entry where a page lists it.
    TermOpen = "term_open.html" [Text("href"), Text("key")] flags ["linked"];
    /// The end of a glossary mention, with the card its popover shows.
    TermClose = "term_close.html" [Html("card")] flags ["linked"];
    /// A glossary entry's card: its name and its description as text.
    TermCard = "term_card.html" [Text("name"), Text("description")] flags [];
    /// The start of a link to a claim (`[text](claim:id)`), where a block shows it.
    ClaimOpen = "claim_open.html" [Text("href"), Text("id")] flags ["linked"];
    /// The end of a link to a claim, with the card its popover shows.
    ClaimClose = "claim_close.html" [Html("card")] flags ["linked"];
    /// A claim's card: who made it, when, about whom, and its text.
    ClaimCard = "claim_card.html" [Text("by"), Text("date"), Text("label"), Text("against"), Text("text")] flags ["quote", "about", "dated"];
    /// The pages that mention an entry or link to an event ("Mentioned on …").
    Mentions = "mentions.html" [Text("class"), Text("label"), Html("links"), Text("more")] flags ["overflow"];
    /// One page in a "Mentioned on" line.
    MentionLink = "mention_link.html" [Text("href"), Text("title")] flags [];
    /// The start of a glossary block's group of one kind (people, places, …).
    GlossaryGroup = "glossary_group.html" [Text("kind"), Text("heading")] flags ["first"];
    /// One entry of a glossary block.
    GlossaryEntry = "glossary_entry.html" [Text("id"), Text("name"), Text("aliases"), Hole("page"), Content("description"), Hole("mentions")] flags ["aliased", "paged"];
    /// The end of a glossary block.
    GlossaryEnd = "glossary_end.html" [] flags [];
    /// The start of a timeline block.
    TimelineStart = "timeline_start.html" [] flags [];
    /// One event of a timeline block.
    TimelineEvent = "timeline_event.html" [Text("id"), Text("datetime"), Text("date"), Text("title"), Content("description"), Hole("mentions")] flags ["described"];
    /// The end of a timeline block.
    TimelineEnd = "timeline_end.html" [] flags [];
    /// The start of a claims block.
    ClaimsStart = "claims_start.html" [] flags [];
    /// One claim of a claims block: who made it, when, about whom, its text.
    Claim = "claim.html" [Text("id"), Text("by"), Text("datetime"), Text("date"), Text("label"), Text("against"), Content("text"), Hole("mentions")] flags ["quote", "about", "dated"];
    /// One response to a claim, beneath it (`first` and `last` of its claim's).
    Response = "response.html" [Text("id"), Text("by"), Text("datetime"), Text("date"), Text("label"), Text("against"), Content("text")] flags ["quote", "first", "last", "dated"];
    /// The end of one claim, after its responses.
    ClaimEnd = "claim_end.html" [] flags [];
    /// The end of a claims block.
    ClaimsEnd = "claims_end.html" [] flags [];
    /// The start of a page's updates and corrections, at its top.
    UpdatesStart = "updates_start.html" [Text("label")] flags [];
    /// One update of a page: its kind (`correction`), label, date and text.
    Update = "update.html" [Text("id"), Text("kind"), Text("label"), Text("datetime"), Text("date"), Content("text")] flags [];
    /// Between a page's newest updates and the earlier ones, folded.
    UpdatesFold = "updates_fold.html" [Text("summary")] flags [];
    /// The end of a page's updates.
    UpdatesEnd = "updates_end.html" [] flags ["folded"];
    /// A block's structured data (schema.org items as JSON-LD).
    JsonLd = "json_ld.html" [Html("data")] flags [];
}

/// One part of a [`Splice`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Text of the template, written as it is.
    Literal(String),
    /// The value of the slot at `index`, escaped or not.
    Value {
        /// The slot's place in [`BlockDef::slots`].
        index: usize,
        /// Is it escaped (the template let autoescaping escape it)?
        escaped: bool,
    },
}

/// A block's markup for one combination of its flags: literal text and its values' places.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Splice {
    /// Its parts, in order.
    pub parts: Vec<Part>,
}

/// The marker a value is rendered as when a block template is compiled: private-use characters
/// around the slot's index and an `&`, which autoescaping turns into `&amp;`.
pub fn marker(set: usize, index: usize) -> String {
    let open = char::from_u32(0xE000 + 2 * set as u32).unwrap_or('\u{E000}');
    let close = char::from_u32(0xE001 + 2 * set as u32).unwrap_or('\u{E001}');
    format!("{open}{index}&{close}")
}

impl Splice {
    /// The splice of a template's output rendered with the markers of `set`; None when a marker
    /// came out changed (the template did more than place it).
    pub fn read(out: &str, set: usize) -> Option<Splice> {
        let open = char::from_u32(0xE000 + 2 * set as u32)?;
        let close = char::from_u32(0xE001 + 2 * set as u32)?;
        let mut parts = Vec::new();
        let mut rest = out;
        while let Some(i) = rest.find(open) {
            if i > 0 {
                parts.push(Part::Literal(rest[..i].to_string()));
            }
            let after = &rest[i + open.len_utf8()..];
            let end = after.find(close)?;
            let (index, amp) = after[..end].split_at(after[..end].find('&')?);
            let escaped = match amp {
                "&" => false,
                "&amp;" => true,
                _ => return None,
            };
            parts.push(Part::Value {
                index: index.parse().ok()?,
                escaped,
            });
            rest = &after[end + close.len_utf8()..];
        }
        if !rest.is_empty() {
            parts.push(Part::Literal(rest.to_string()));
        }
        if parts
            .iter()
            .any(|p| matches!(p, Part::Literal(l) if l.contains(|c| ('\u{E000}'..='\u{E003}').contains(&c))))
        {
            return None;
        }
        Some(Splice { parts })
    }

    /// The text with every value empty.
    pub fn empty(&self) -> String {
        self.parts
            .iter()
            .filter_map(|p| match p {
                Part::Literal(l) => Some(l.as_str()),
                Part::Value { .. } => None,
            })
            .collect()
    }
}

/// The compiled blocks of a theme and its catalogue of words.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Blocks {
    /// For each block (by its place in [`Block::ALL`]), one splice per combination of flags
    /// (bit i set for flag i), each cut at its content slots.
    splices: Vec<Vec<Vec<Splice>>>,
    /// The reader-visible words, by key.
    words: HashMap<String, String>,
}

/// Where a block's writer is told to put a hole slot's value.
pub trait Sink {
    /// HTML, as it is (never empty).
    fn html(&mut self, html: String);
    /// The value of the hole slot at `index`.
    fn hole(&mut self, index: usize);
}

impl Sink for String {
    fn html(&mut self, html: String) {
        if self.is_empty() {
            *self = html;
        } else {
            self.push_str(&html);
        }
    }
    fn hole(&mut self, _: usize) {}
}

impl Blocks {
    /// The blocks compiled from their splices (one list per block, in [`Block::ALL`]'s order)
    /// and the catalogue.
    pub fn new(splices: Vec<Vec<Vec<Splice>>>, words: HashMap<String, String>) -> Blocks {
        Blocks { splices, words }
    }

    /// A word of the catalogue (its key when the catalogue lacks it, which loading reports).
    pub fn word<'s>(&'s self, key: &'s str) -> &'s str {
        self.words.get(key).map_or(key, String::as_str)
    }

    /// The catalogue.
    pub fn words(&self) -> &HashMap<String, String> {
        &self.words
    }

    /// Writes the part of `block` before its content slot `part` (the part after the last
    /// content slot for `part` = their count), with `flags` (bit i for flag i) and `values` (one
    /// for each slot; those of holes and contents are not read).
    pub fn write(&self, block: Block, flags: usize, part: usize, values: &[&str], sink: &mut impl Sink) {
        let Some(splice) = self
            .splices
            .get(block as usize)
            .and_then(|s| s.get(flags))
            .and_then(|s| s.get(part))
        else {
            return;
        };
        let mut text = String::new();
        for p in &splice.parts {
            match p {
                Part::Literal(l) => text.push_str(l),
                Part::Value { index, escaped } => match block.def().slots.get(*index) {
                    Some(Slot::Hole(_)) => {
                        if !text.is_empty() {
                            sink.html(std::mem::take(&mut text));
                        }
                        sink.hole(*index);
                    }
                    _ => {
                        let v = values.get(*index).copied().unwrap_or("");
                        if *escaped {
                            // Writing into a String cannot fail.
                            let _ = pulldown_cmark_escape::escape_html(&mut text, v);
                        } else {
                            text.push_str(v);
                        }
                    }
                },
            }
        }
        if !text.is_empty() {
            sink.html(text);
        }
    }

    /// `block` written whole into a string (a block without holes or contents).
    pub fn render(&self, block: Block, flags: usize, values: &[&str]) -> String {
        let mut out = String::new();
        self.write(block, flags, 0, values, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_splice_reads_its_values_places_and_escaping() {
        let out = format!(
            "<a href=\"{}\">{}</a>",
            marker(0, 0).replace('&', "&amp;"),
            marker(0, 1)
        );
        let s = Splice::read(&out, 0).expect("a splice");
        assert_eq!(
            s.parts,
            [
                Part::Literal("<a href=\"".into()),
                Part::Value {
                    index: 0,
                    escaped: true
                },
                Part::Literal("\">".into()),
                Part::Value {
                    index: 1,
                    escaped: false
                },
                Part::Literal("</a>".into()),
            ]
        );
        assert_eq!(s.empty(), "<a href=\"\"></a>");
        // A marker the template changed (truncated, upper-cased) is no splice.
        assert_eq!(Splice::read(&marker(0, 0)[..3], 0), None);
        assert_eq!(Splice::read(&format!("x{}", marker(1, 0)), 0), None);
    }

    #[test]
    fn values_are_escaped_where_the_template_escaped_them() {
        let link = Splice::read(
            &format!(
                "<a href=\"{}\">{}</a>",
                marker(0, 0).replace('&', "&amp;"),
                marker(0, 1)
            ),
            0,
        )
        .expect("a splice");
        let blocks = Blocks::new(
            Block::ALL
                .iter()
                .map(|b| {
                    let flags = 1 << b.def().flags.len();
                    vec![vec![link.clone()]; flags]
                })
                .collect(),
            HashMap::new(),
        );
        assert_eq!(
            blocks.render(Block::MentionLink, 0, &["a\"b&c", "<em>x</em>"]),
            "<a href=\"a&quot;b&amp;c\"><em>x</em></a>"
        );
    }
}
