//! The site's data in a page: glossary mentions, links and blocks, the timeline block, and
//! descriptions read from their TOML files in the page's own pass.

use super::*;
use crate::base::markup::Sink;
use crate::data::{DataEdit, DataKind};

/// Whether text that starts inside a quotation (or not) ends inside one: “ opens, ” closes.
pub(super) fn quoted_after(text: &str, mut inside: bool) -> bool {
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
pub(super) fn block_call<'t>(paragraph: &'t str, name: &str) -> Option<&'t str> {
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

/// schema.org items as the JSON-LD of a script element: `<` written as `\u003c`, so no text of
/// the data can end the element.
pub(crate) fn json_ld(graph: &[serde_json::Value]) -> String {
    let ld = serde_json::json!({ "@context": "https://schema.org", "@graph": graph });
    serde_json::to_string(&ld)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

impl ParsedMarkdown {
    /// Does an edit of a data file reach this page: a block of it, or what the page shows or
    /// mentions of it?
    pub(crate) fn reached_by(&self, kind: DataKind, edit: &DataEdit) -> bool {
        let blocks = self.data_blocks.get(&kind).copied().unwrap_or(0);
        let items: Vec<&str> = match kind {
            DataKind::Timeline => self.events.iter().map(|e| e.key.as_str()).collect(),
            DataKind::Glossary => self.terms.iter().map(String::as_str).collect(),
            DataKind::Claims => self.claim_refs.iter().map(|c| c.id.as_str()).collect(),
        };
        edit.every_page
            || (blocks > 0 && edit.every_block)
            || items.iter().any(|i| edit.items.iter().any(|e| e == i))
    }
}

/// Where a block's HTML goes among the page's events: as a block of its own or within a line
/// (pulldown-cmark writes both as they are; the notes' punctuation rule counts inline pieces).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Level {
    Block,
    Inline,
}

/// Where a block's writer puts its output: the page's events, and the caller's holes.
struct EventSink<'s, 'a, 'h> {
    st: &'s mut State<'a>,
    level: Level,
    hole: &'h mut dyn FnMut(&mut State<'a>, usize),
}

impl Sink for EventSink<'_, '_, '_> {
    fn html(&mut self, html: String) {
        match self.level {
            Level::Block => self.st.block(html),
            Level::Inline => self.st.html(html),
        }
    }
    fn hole(&mut self, index: usize) {
        (self.hole)(self.st, index);
    }
}

impl<'a> State<'a> {
    /// Writes part `part` of `block` (see [`Blocks::write`]): a block without holes.
    pub(super) fn put(&mut self, block: Block, flags: usize, part: usize, values: &[&str], level: Level) {
        self.put_with(block, flags, part, values, level, &mut |_, _| {});
    }

    /// Writes part `part` of `block`; `hole(state, slot)` puts the value of each hole slot.
    pub(super) fn put_with(
        &mut self,
        block: Block,
        flags: usize,
        part: usize,
        values: &[&str],
        level: Level,
        hole: &mut dyn FnMut(&mut Self, usize),
    ) {
        let blocks = self.blocks;
        blocks.write(
            block,
            flags,
            part,
            values,
            &mut EventSink {
                st: self,
                level,
                hole,
            },
        );
    }

    /// A paragraph that is only a data file's block (`{{ timeline() }}`): shown here. False
    /// when the paragraph is no block.
    pub(super) fn data_block(&mut self, text: &str, range: &Range<usize>) -> bool {
        for kind in DataKind::ALL {
            if let Some(call) = block_call(text, kind.block()) {
                *self.out.data_blocks.entry(kind).or_default() += 1;
                match kind {
                    DataKind::Timeline => self.timeline_block(call, range),
                    DataKind::Glossary => self.glossary_block(call, range),
                    DataKind::Claims => self.claims_block(call, range),
                }
                return true;
            }
        }
        false
    }

    /// Records a mention of glossary entry `entry` on the page.
    pub(super) fn mention(&mut self, entry: usize) -> TermId {
        let k = TermId::new(self.out.terms.len());
        self.out
            .terms
            .push(self.data.site.glossary.entries[entry].key.clone());
        k
    }

    /// `[text](glossary:key)`: `text` links to the entry's card whether or not it is named
    /// there (the writer's choice of words); `glossary:none` keeps text that would be linked
    /// plain.
    pub(super) fn glossary_link(&mut self, key: &str, range: &Range<usize>) {
        if key == "none" {
            self.data.term_link = Some(None);
            return;
        }
        match self.data.site.glossary.get(key) {
            Some(entry) => {
                if !std::mem::replace(&mut self.data.mentioned[entry], true) {
                    self.data.unmentioned -= 1;
                }
                let k = self.mention(entry);
                self.hole(Hole::Mark(Mark::TermOpen(k)));
                self.data.term_link = Some(Some(Mark::TermClose(k)));
            }
            None => {
                self.diags.push(Diagnostic::at(
                    Kind::UnknownGlossaryEntry {
                        key: key.to_string(),
                        suggestion: self.data.site.glossary.suggest(key),
                    },
                    self.file,
                    self.span(range),
                ));
                self.data.term_link = Some(None);
            }
        }
    }

    /// A `{{ glossary() }}` block: every entry, grouped by kind (people, organisations, places,
    /// terms), each with its name, aliases, description (Markdown read here, so its citations
    /// are notes of this page), its page, and the pages that mention it; and the entries as
    /// schema.org JSON-LD.
    pub(super) fn glossary_block(&mut self, call: &str, range: &Range<usize>) {
        let at = self.block_span(range);
        let glossary = &self.data.site.glossary;
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
        let mut order: Vec<&'a crate::data::glossary::Entry> = glossary.entries.iter().collect();
        order.sort_by_key(|e| e.kind);
        let mut ld = Vec::new();
        let mut group = None;
        for e in order {
            if group != Some(e.kind) {
                let kind = e.kind.key();
                let heading = self.blocks.word(&format!("glossary_{kind}")).to_string();
                self.put(
                    Block::GlossaryGroup,
                    usize::from(group.is_none()),
                    0,
                    &[kind, &heading],
                    Level::Block,
                );
                group = Some(e.kind);
            }
            let shown = self.anchor(&e.key, format!("term-{}", github_slug(&e.key)));
            let id = shown.anchor.clone();
            let listed = ListedId::new(self.out.listed.len());
            self.out.listed.push(shown);
            let aliases = e.aliases.join(self.blocks.word("list_separator"));
            let flags = usize::from(!e.aliases.is_empty()) | usize::from(e.page.is_some()) << 1;
            let values = [id.as_str(), e.name.as_str(), aliases.as_str(), "", "", ""];
            let mut holes = |st: &mut Self, slot| match (slot, &e.page) {
                (3, Some((page, span))) => st.link_hole(page, file, span.clone(), true),
                (3, None) => {}
                _ => st.hole(Hole::Mark(Mark::Listed(listed))),
            };
            // The entry's own link to its page is under the entry too.
            self.data.under = Some((id.clone(), e.name.clone()));
            self.put_with(Block::GlossaryEntry, flags, 0, &values, Level::Block, &mut holes);
            if !e.description.trim().is_empty() {
                self.read_elsewhere(file, &e.description_at, &e.description, (&id, &e.name));
            }
            self.put_with(Block::GlossaryEntry, flags, 1, &values, Level::Block, &mut holes);
            self.data.under = None;
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
        self.put(Block::GlossaryEnd, 0, 0, &[], Level::Block);
        self.json_ld(&ld);
    }

    /// JSON-LD of these schema.org items, in a script element.
    pub(super) fn json_ld(&mut self, graph: &[serde_json::Value]) {
        self.put(Block::JsonLd, 0, 0, &[&json_ld(graph)], Level::Block);
    }

    /// A link's path as the page's links are written: relative to the page's folder. An event's
    /// description is written relative to content/, where timeline.toml is.
    pub(super) fn page_relative(&self, path: String, from_content: bool) -> String {
        if from_content && !path.is_empty() {
            crate::base::paths::rebase("", self.dir, &path).unwrap_or(path)
        } else {
            path
        }
    }

    /// A `{{ timeline(…) }}` block: the events it asks for as an ordered list, each with its
    /// date, title and description (Markdown read here, so its citations are notes of this page
    /// and its links are checked), a hole for the pages that link to it, and the events as
    /// schema.org `Event`s in JSON-LD.
    pub(super) fn timeline_block(&mut self, call: &str, range: &Range<usize>) {
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
        let timeline = &self.data.site.timeline;
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
        self.put(Block::TimelineStart, 0, 0, &[], Level::Block);
        let mut graph = Vec::new();
        for e in events {
            let anchor = self.anchor(&e.id, e.id.clone());
            let id = anchor.anchor.clone();
            let shown = EventId::new(self.out.events.len());
            self.out.events.push(anchor);
            let blocks = self.blocks;
            let (datetime, date) = (
                e.date.datetime(),
                e.date.written(&self.data.site.dates, blocks.word("circa")),
            );
            let values = [id.as_str(), &datetime, &date, &e.title, "", ""];
            let described = !e.description.trim().is_empty();
            let flags = usize::from(described);
            // Every part is written with the holes: a template that leaves the description out
            // has its mentions before the place the description would take.
            let mut holes = |st: &mut Self, _| st.hole(Hole::Mark(Mark::Mentions(shown)));
            self.put_with(Block::TimelineEvent, flags, 0, &values, Level::Block, &mut holes);
            if described {
                self.read_elsewhere(file, &e.description_at, &e.description, (&id, &e.title));
            }
            self.put_with(Block::TimelineEvent, flags, 1, &values, Level::Block, &mut holes);
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
        self.put(Block::TimelineEnd, 0, 0, &[], Level::Block);
        self.json_ld(&graph);
    }

    /// Markdown written in another file (an event's or a glossary entry's description), read
    /// in this page's pass from where it stands there (so its problems are located there, and
    /// its links are relative to content/).
    pub(super) fn read_elsewhere(
        &mut self,
        file: FileId,
        at: &crate::data::timeline::DescriptionAt,
        text: &'a str,
        under: (&str, &str),
    ) {
        use crate::data::timeline::DescriptionAt;
        let saved = (
            self.file,
            self.offset,
            self.src,
            std::mem::take(&mut self.code),
            self.links.skip_until,
            self.data.fixed_span.take(),
        );
        self.file = file;
        self.links.skip_until = 0;
        self.data.in_event = true;
        let outer = self
            .data
            .under
            .replace((under.0.to_string(), under.1.to_string()));
        match at {
            DescriptionAt::Exact(at) => self.offset = *at,
            DescriptionAt::Value(span) => {
                self.offset = span.start;
                self.data.fixed_span = Some(span.clone());
            }
        }
        self.src = text;
        let parser = Parser::new_with_broken_link_callback(text, options(), Some(cite_callback));
        for (ev, r) in parser.into_offset_iter() {
            self.event(ev, r);
        }
        self.data.in_event = false;
        self.data.under = outer;
        (
            self.file,
            self.offset,
            self.src,
            self.code,
            self.links.skip_until,
            self.data.fixed_span,
        ) = saved;
    }
}
