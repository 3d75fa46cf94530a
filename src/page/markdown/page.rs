//! One page's Markdown pass: the parser's events driven through [`State`], then the checks that
//! need the whole page (footnotes defined and used).

use super::blocks::Level;
use super::*;
use crate::page::updates::Update;

/// How many of a page's updates it shows before folding the rest.
const UPDATES_SHOWN: usize = 3;

/// Renders `body` (which starts at byte `offset` of `file`) to HTML and records what it saw.
pub(crate) fn parse(
    body: &str,
    file: FileId,
    offset: usize,
    mode: CiteMode,
    blocks: &Blocks,
) -> (ParsedMarkdown, Vec<Diagnostic>) {
    let site = SiteData::default();
    let inputs = crate::page::Inputs {
        mode,
        site: &site,
        blocks,
    };
    parse_page(body, file, offset, inputs, ("", &[]))
}

/// [`parse`] for a page in folder `dir` of content/, with the site's timeline for its
/// `{{ timeline() }}` blocks, and the page's checked `updates` shown at its top.
pub(crate) fn parse_page<'a>(
    body: &'a str,
    file: FileId,
    offset: usize,
    inputs: crate::page::Inputs<'a>,
    (dir, updates): (&'a str, &'a [Update]),
) -> (ParsedMarkdown, Vec<Diagnostic>) {
    let mode = inputs.mode;
    let glossary = &inputs.site.glossary;
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
        heading: None,
        ids: HashMap::new(),
        code: Vec::new(),
        callout_titles,
        callouts: Vec::new(),
        blocks: inputs.blocks,
        dir,
        notes: NoteState::default(),
        links: LinkState::default(),
        images: ImageState::default(),
        data: DataState {
            site: inputs.site,
            mentioned: vec![false; glossary.entries.len()],
            unmentioned: glossary.entries.len(),
            in_event: false,
            under: None,
            fixed_span: None,
            term_link: None,
            quote_depth: 0,
            in_quotes: false,
        },
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
    st.updates(updates);
    body_html.append(st.main.drain(..));
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
                if let Some((url, label)) = lone_embed(&buf).filter(|_| st.notes.footnote.is_none()) {
                    st.embed(&url, &label, &buf);
                } else if let Some(image) = lone_image(&buf).filter(|_| st.notes.footnote.is_none()) {
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
            // A paragraph that is only `{{ timeline(…) }}` shows the timeline's events (and so on).
            if st.notes.footnote.is_none() && st.data_block(&body[range.clone()], &range) {
                skip_para = true;
                continue;
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
    st.out.body = body_html;
    let mut bodies = std::mem::take(&mut st.notes.footnote_bodies);
    for note in &mut st.out.notes {
        if let NoteKind::Footnote { label, body } = &mut note.kind {
            if let Some(b) = bodies.remove(label) {
                *body = b;
            }
        }
    }
    // A footnote marker without a definition is left as text by pulldown-cmark: find each.
    let defined: std::collections::HashSet<&str> =
        st.notes.definitions.iter().map(|(l, _)| l.as_str()).collect();
    let mut from = 0;
    // (`[` found by memchr, then `^` checked: a search for the two-byte string was slower.)
    while let Some(i) = body[from..].find('[').map(|i| from + i) {
        from = i + 1;
        if body.as_bytes().get(i + 1) != Some(&b'^') {
            continue;
        }
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
    for (label, span) in &st.notes.definitions {
        if !st.notes.note_of.contains_key(&(false, label.clone())) {
            st.diags.push(Diagnostic::at(
                Kind::UnusedFootnote { label: label.clone() },
                file,
                span.clone(),
            ));
        }
    }
    st.out.compact();
    (st.out, st.diags)
}

impl<'a> State<'a> {
    /// The page's updates, newest first, at its top: each labelled by kind and date, with its
    /// text read where the front matter has it (links relative to the page, as in its body);
    /// those past the first few folded; the newest date and the corrections in JSON-LD.
    fn updates(&mut self, updates: &'a [Update]) {
        let Some(newest) = updates.first() else {
            return;
        };
        let blocks = self.blocks;
        self.put(
            Block::UpdatesStart,
            0,
            0,
            &[blocks.word("updates_label")],
            Level::Block,
        );
        let file = self.file;
        let dir = std::mem::take(&mut self.dir);
        let mut corrections = Vec::new();
        for (i, u) in updates.iter().enumerate() {
            if i == UPDATES_SHOWN {
                let summary = blocks
                    .word("earlier_updates")
                    .replace("{n}", &(updates.len() - i).to_string());
                self.put(Block::UpdatesFold, 0, 0, &[&summary], Level::Block);
            }
            let anchor = self.anchor(&u.id, u.id.clone()).anchor;
            let (y, m, d) = u.day();
            let date = self.data.site.dates.format(y, m, d);
            let key = u.word_key();
            let label = blocks.word(&key);
            let iso = u.iso();
            let values = [anchor.as_str(), u.kind.as_str(), label, &iso, &date, ""];
            self.put(Block::Update, 0, 0, &values, Level::Block);
            if let Some(at) = &u.at {
                self.read_elsewhere(file, at, &u.text, (&anchor, &format!("{label} · {date}")));
            }
            self.put(Block::Update, 0, 1, &values, Level::Block);
            if u.kind == "correction" {
                corrections.push(serde_json::json!({
                    "@type": "CorrectionComment",
                    "datePublished": iso,
                    "text": plain_text(&u.text),
                }));
            }
        }
        self.dir = dir;
        let folded = usize::from(updates.len() > UPDATES_SHOWN);
        self.put(Block::UpdatesEnd, folded, 0, &[], Level::Block);
        let mut article = serde_json::json!({ "@type": "Article", "dateModified": newest.iso() });
        if !corrections.is_empty() {
            article["correction"] = serde_json::Value::Array(corrections);
        }
        self.json_ld(&[article]);
    }
}
