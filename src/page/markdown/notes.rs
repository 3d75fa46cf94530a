//! Citations and notes in the Markdown pass: a note's number and its marker, citation groups,
//! narrative citations in the sentence.

use super::*;

impl<'a> State<'a> {
    /// Number of the note for this footnote label or source key, adding it on first use; then
    /// records one more use and returns (number, occurrence).
    pub(super) fn note(&mut self, is_source: bool, name: &str, locator: Option<String>) -> (usize, usize) {
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
            self.notes.note_of.get(&(is_source, name.to_string()))
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
                self.notes
                    .note_of
                    .insert((is_source, name.to_string()), number - 1);
                number - 1
            }
        };
        let note = &mut self.out.notes[idx];
        note.uses.push(locator);
        (note.number, note.uses.len())
    }

    pub(super) fn marker(&mut self, number: usize, occurrence: usize, label: &str) {
        // The marker sits against the word or punctuation before it: `claim [@k]` → `claim¹`.
        let sink = self.sink();
        while let Some(last) = sink.last_mut() {
            match last {
                Piece::Md(Event::SoftBreak) => {
                    sink.pop();
                }
                Piece::Md(Event::Text(t)) if t.ends_with([' ', '\t']) => {
                    let kept = t.trim_end_matches([' ', '\t']).len();
                    if kept == 0 {
                        sink.pop();
                    } else {
                        *t = cut(std::mem::replace(t, CowStr::Borrowed("")), 0..kept);
                        break;
                    }
                }
                _ => break,
            }
        }
        let place = self.sink_place();
        let at = self.sink().len();
        let first = match self.notes.after_markers {
            Some((p, len, first)) if p == place && len == at => first,
            _ => at,
        };
        let (n, k) = (number.to_string(), occurrence.to_string());
        self.put(Block::NoteRef, 0, 0, &[&n, &k, label], Level::Inline);
        self.hole(Hole::Mark(Mark::Sidenote { number, occurrence }));
        self.notes.after_markers = Some((place, self.sink().len(), first));
    }

    /// Which of [`Self::sink`]'s buffers events go to: (in a heading, in a footnote).
    pub(super) fn sink_place(&self) -> (bool, bool) {
        (self.heading.is_some(), self.notes.footnote.is_some())
    }

    /// Punctuation right after note markers goes before them, as Pandoc places notes:
    /// `seabed [@k].` → `seabed.¹`. Returns the text that is left.
    pub(super) fn punctuation_before_markers(&mut self, t: CowStr<'a>) -> CowStr<'a> {
        let Some((place, len, first)) = self.notes.after_markers.take() else {
            return t;
        };
        let n = t.len() - t.trim_start_matches(['.', ',', ';', ':', '!', '?']).len();
        if place != self.sink_place() || self.sink().len() != len || n == 0 {
            return t;
        }
        self.sink()
            .insert(first, Piece::Md(Event::Text(CowStr::from(t[..n].to_string()))));
        let len = t.len();
        cut(t, n..len)
    }

    pub(super) fn unique_id(&mut self, wanted: String) -> String {
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

    pub(super) fn citation(&mut self, range: &Range<usize>) {
        let raw = &self.src[range.clone()];
        let inner = raw.trim_start_matches('[').trim_end_matches(']');
        match parse_citation(inner) {
            Ok(items) => {
                self.citation_after_stop(range);
                for locator in items.iter().filter_map(|c| c.locator.as_deref()) {
                    let Some((label, suggestion)) = unknown_label(locator) else {
                        continue;
                    };
                    let at = range.start + raw.find(locator).unwrap_or_default();
                    let kind = Kind::UnknownLocatorLabel {
                        label,
                        locator: locator.to_string(),
                        suggestion,
                    };
                    let span = self.span(&(at..at + locator.len()));
                    self.diags.push(Diagnostic::at(kind, self.file, span));
                }
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

    /// In a style that prints citations in the text, one right after a sentence's end
    /// (`June.[@k]`, `June."[@k]`) would print after it ("June.(Doe, 2024)"): W013.
    fn citation_after_stop(&mut self, range: &Range<usize>) {
        if !self.mode.in_text() {
            return;
        }
        let before = self.src[..range.start].trim_end_matches(['"', '\'', '”', '’', '»', ')']);
        if let Some(stop) = before.chars().next_back().filter(|c| ".!?".contains(*c)) {
            let span = self.span(range);
            self.diags
                .push(Diagnostic::at(Kind::CitationAfterStop { stop }, self.file, span));
        }
    }

    /// One citation of the page (bracketed, or narrative), as the mode makes it: a note marker,
    /// or a hole for the in-text citation.
    pub(super) fn cite_group(&mut self, mut items: Vec<Citation>, span: Range<usize>) {
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
                let label = self.blocks.word("note_label").replace("{n}", &n.to_string());
                self.marker(n, k, &label);
            }
            CiteMode::NotePerSource => {
                for c in &mut items {
                    // What the reader is told about this spot besides the source: `see, p. 3`.
                    let locator = match (&c.prefix, &c.locator) {
                        (Some(p), Some(l)) => Some(format!("{p}, {l}")),
                        (p, l) => p.clone().or(l.clone()),
                    };
                    let (n, k) = self.note(true, &c.key, locator.clone());
                    let number = n.to_string();
                    let label = match &locator {
                        Some(l) => self
                            .blocks
                            .word("source_note_label_at")
                            .replace("{n}", &number)
                            .replace("{locator}", l),
                        None => self.blocks.word("source_note_label").replace("{n}", &number),
                    };
                    self.marker(n, k, &label);
                    c.anchor = Anchor::note(n, k);
                }
            }
        }
        // A page holds thousands: no spare capacity (a Vec grown by push holds four).
        crate::base::compact::Compact::compact(&mut items);
        let file = self.file;
        self.out.citations.push(CiteGroup { items, file, span });
    }

    /// Text that may hold narrative citations (`@carter says`, `@carter [p. 33] says`): each
    /// becomes a citation; an `@` escaped in the source (`\@`) stays text.
    pub(super) fn text_with_narrative(&mut self, t: CowStr<'a>, range: &Range<usize>) {
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
                self.links.skip_until = key_end + 2 + inner.len() + 1;
            }
            if i > from {
                self.text_out(CowStr::from(t[from..i].to_string()), false);
            }
            let start = range.start + at;
            let span = self.span(&(start..self.links.skip_until.max(key_end)));
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
    pub(super) fn unskipped<'t>(&self, text: &'t str, end: usize) -> &'t str {
        let skipped = self.links.skip_until.saturating_sub(end - text.len().min(end));
        text.get(skipped.min(text.len())..).unwrap_or("")
    }
}

/// The `range` of a text: a slice when it is borrowed from the page's source (the text before
/// a note marker is a paragraph's worth, and every citation cut it), a copy only when owned.
fn cut(t: CowStr<'_>, range: Range<usize>) -> CowStr<'_> {
    match t {
        CowStr::Borrowed(b) => CowStr::Borrowed(&b[range]),
        owned => CowStr::from(owned[range].to_string()),
    }
}
