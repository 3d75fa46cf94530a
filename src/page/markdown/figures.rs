//! Figures and embeds: a paragraph holding only an image or a link to an embeddable page.

use super::*;

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
pub(super) fn lone_embed(para: &[(Event<'_>, Range<usize>)]) -> Option<(String, String)> {
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

/// When this paragraph (its events, Start and End included) holds only an image, the range of
/// the image's events in it.
pub(super) fn lone_image(para: &[(Event<'_>, Range<usize>)]) -> Option<Range<usize>> {
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

impl<'a> State<'a> {
    /// A paragraph holding only an image: a figure, captioned by the image's title. A caption
    /// whose last sentence starts with `Photo:`, `Map:`, `Illustration:`, `Chart:` or `Credit:`
    /// shows that sentence as the credit line.
    pub(super) fn figure(&mut self, image: Vec<(Event<'a>, Range<usize>)>) {
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
        let (caption, credit) = if title.is_empty() {
            ("", None)
        } else {
            split_credit(&title)
        };
        let flags = usize::from(!title.is_empty()) | usize::from(credit.is_some()) << 1;
        let values = [id.as_str(), "", "", credit.unwrap_or_default()];
        self.put(Block::Figure, flags, 0, &values, Level::Block);
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
        self.put(Block::Figure, flags, 1, &values, Level::Block);
        if !title.is_empty() {
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
        }
        self.put(Block::Figure, flags, 2, &values, Level::Block);
    }

    /// A click-to-load embed: a box naming the provider, a button (shown by the script)
    /// that puts the provider's frame in its place, and a plain link to the original. Nothing is
    /// requested from the provider until the reader asks. The address is checked (`--external`)
    /// where the paragraph's link is written.
    pub(super) fn embed(&mut self, url: &str, label: &str, para: &[(Event<'_>, Range<usize>)]) {
        if let Some((_, r)) = para
            .iter()
            .find(|(e, _)| matches!(e, Event::Start(Tag::Link { .. })))
        {
            self.external(url, r);
        }
        let host = url::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default();
        self.put(Block::Embed, 0, 0, &[url, label, &host], Level::Block);
    }
}
