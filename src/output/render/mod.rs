//! Render stage: the [`SiteGraph`] through the theme's templates into an [`OutputSet`]
//! (path to bytes). Pure: no file system and no clock. Pages render in parallel.

use std::collections::{BTreeMap, HashMap};

use std::sync::Arc;

use tera::Context;

use crate::base::diag::{Diagnostic, Kind};
use crate::base::markup::Block;
use crate::data::cite::citeproc::Rendered;
use crate::data::cite::Bibliography;
use crate::data::SiteData;
use crate::graph::resolve::{root_prefix, Page, PageId, SiteGraph};
use crate::output::assets::{self, Assets};
use crate::output::feeds;
use crate::output::theme::Theme;
use crate::page::markdown::{Anchor, CiteId, EventId, LinkHole, ListedId, Mark, NoteKind, TermId};
use crate::project::config::Config;

mod editions;
mod limited;
use limited::Limited;
mod outputs;
mod search;
mod site_data;
mod sources;
mod updates;
pub(crate) use editions::EditionInfo;
pub(crate) use updates::UPDATES_PATH;
mod views;
use views::*;

/// How pages are rendered.
#[derive(Debug, Clone, Default)]
pub(crate) struct RenderOptions {
    pub minify: bool,
    /// Markup added before `</body>` of every page (the dev server's live-reload client).
    pub dev_client: Option<&'static str>,
    /// The site's editions, when it has several.
    pub edition: Option<Arc<EditionInfo>>,
    /// Each page's text is gathered for the readers' search ([`Renderer::search_docs`]).
    pub search: bool,
}

/// How many pages a "Mentioned on" line names before it says how many more.
const LISTED_PAGES: usize = 10;

pub(crate) use crate::graph::resolve::SOURCES_PATH;

/// What makes one output file.
pub(crate) enum Output {
    Bytes(Vec<u8>),
    Copy(std::path::PathBuf),
    Page(PageId),
    Alias(String, PageId),
    /// The sources page (None), or source N's page of the pages that cite it.
    Sources(Option<usize>),
    Updates,
    NotFound,
    /// The sitemap, the feed or robots.txt, rendered by its template.
    Listing(feeds::Listing),
}

/// Every file of the site, by `/`-separated output path; sorted, so output is deterministic.
#[derive(Default)]
pub(crate) struct OutputSet {
    pub files: BTreeMap<String, Output>,
    /// Pages to make before the rest: the ones just edited, which a reader is looking at.
    pub first: Vec<PageId>,
}

/// What a file's path keeps as it is in an href: everything but controls, spaces and the
/// characters that end a path or start a query or fragment.
const URL_PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'%');

/// For each source key, the spots that cite it ([`Citing`]).
type CitedBy<'a> = BTreeMap<&'a str, Citing>;

/// The spots that cite one source, page by page in reading order (a page's spots together), in
/// one list of the exact size: 1.4 MiB at 10,000 pages of 9 citations, where a list for each
/// (source, page) took 4 MiB, and finding them again in each page's citations took as long as
/// writing the lists.
#[derive(Debug, Default)]
struct Citing {
    /// How many pages.
    pages: usize,
    spots: Vec<(PageId, Anchor)>,
}

impl Citing {
    /// Each citing page with its spots, in reading order.
    fn by_page(&self) -> impl Iterator<Item = (PageId, &[(PageId, Anchor)])> {
        self.spots.chunk_by(|a, b| a.0 == b.0).map(|s| (s[0].0, s))
    }
}

pub(crate) struct Renderer<'a> {
    pub graph: &'a SiteGraph,
    pub theme: &'a Theme,
    pub config: &'a Config,
    pub bib: &'a Bibliography,
    pub assets: &'a Assets,
    pub data: &'a SiteData,
    pub options: RenderOptions,
    feed: Option<feeds::Feed>,
    /// The rendered pages' text for the search index, when [`RenderOptions::search`].
    pub search_docs: crate::output::search::SearchDocs,
    /// Each glossary entry's and claim's card ([`Self::cards`]).
    cards: std::sync::OnceLock<site_data::Cards<'a>>,
    /// The spots that cite each source, in reading order.
    cited_by: std::sync::OnceLock<CitedBy<'a>>,
    /// [`Self::site`], serialized once (tera values share their maps and long strings).
    site_value: tera::Value,
    /// `reading_path.html` rendered, by (root prefix, top-level section path, at that section):
    /// every page shows it, and all pages of a section at one depth show the same.
    reading_paths: std::sync::Mutex<std::collections::HashMap<ReadingPathKey<'a>, Arc<str>>>,
    /// kagu.toml's `image`, the link-preview picture of every page that names none.
    site_card: Option<Card<'a>>,
}

/// A link-preview picture: its output path, its size when its header can be read, and what it
/// shows.
#[derive(Clone, Copy)]
pub(crate) struct Card<'a> {
    out: &'a str,
    size: Option<(usize, usize)>,
    alt: &'a str,
}

type ReadingPathKey<'a> = (String, &'a str, bool);

impl<'a> Renderer<'a> {
    pub(crate) fn new(
        graph: &'a SiteGraph,
        theme: &'a Theme,
        config: &'a Config,
        bib: &'a Bibliography,
        assets: &'a Assets,
        data: &'a SiteData,
        options: RenderOptions,
    ) -> Self {
        let mut r = Renderer {
            graph,
            theme,
            config,
            bib,
            assets,
            data,
            options,
            feed: None,
            cards: std::sync::OnceLock::new(),
            search_docs: Default::default(),
            cited_by: std::sync::OnceLock::new(),
            site_value: tera::Value::none(),
            reading_paths: Default::default(),
            site_card: config.card_image_output().and_then(|out| {
                let file = assets.copies.iter().find(|c| c.rel.as_str() == out)?;
                Some(Card {
                    out,
                    size: imagesize::size(&file.abs).ok().map(|s| (s.width, s.height)),
                    alt: &config.image_alt,
                })
            }),
        };
        r.feed = feeds::atom(graph, config, r.site_title(), &theme.blocks);
        r.site_value = r.site_value();
        r
    }

    /// Every page whose front matter names a template that does not exist.
    fn missing_templates(&self) -> Vec<Diagnostic> {
        self.graph
            .pages
            .iter()
            .filter_map(|p| {
                let name = p.parsed.meta.template.as_ref()?;
                (!self.theme.tera.contains_template(name)).then(|| {
                    Diagnostic::at(
                        Kind::MissingTemplate {
                            name: name.clone(),
                            available: self.theme.names(),
                        },
                        p.parsed.file,
                        p.parsed.template_span.clone(),
                    )
                })
            })
            .collect()
    }

    /// Keys of sources that no page cites.
    /// Pages that cite each source, in reading order; built on first use (the sources page and
    /// the uncited-source check need it, an edit of one page's prose does not).
    fn cited_by(&self) -> &CitedBy<'a> {
        self.cited_by.get_or_init(|| {
            use crate::base::compact::Compact;
            let mut map: CitedBy<'a> = BTreeMap::new();
            for &id in &self.graph.order {
                for c in self.graph.cites_of(id) {
                    let citing = map.entry(c.key).or_default();
                    if citing.spots.last().map(|s| s.0) != Some(id) {
                        citing.pages += 1;
                    }
                    citing.spots.push((id, c.anchor));
                }
            }
            // Grown by pushing, the lists would hold up to twice their size to the build's peak.
            for citing in map.values_mut() {
                citing.spots.compact();
            }
            map
        })
    }

    /// The problems found while setting up rendering: templates that pages name but that do
    /// not exist, and sources no page cites (a warning).
    pub(crate) fn checks(&self) -> Vec<Diagnostic> {
        // Keys named by citations that could not be read: those are reported already.
        let in_malformed: std::collections::HashSet<&str> = self
            .graph
            .ids()
            .flat_map(|id| self.graph.keys_in_malformed(id).iter().map(String::as_str))
            .collect();
        let uncited = self
            .bib
            .sources
            .iter()
            .filter(|s| {
                !s.failed
                    && !self.cited_by().contains_key(s.key.as_str())
                    && !in_malformed.contains(s.key.as_str())
            })
            .map(|s| Diagnostic::at(Kind::UncitedSource { key: s.key.clone() }, s.file, s.span.clone()));
        self.missing_templates()
            .into_iter()
            .chain(self.clashes())
            .chain(uncited.filter(|_| self.is_default_edition()))
            .chain(self.unshown_tags())
            .chain(self.glossary_checks())
            .chain(self.unshown_claims())
            .chain(self.search_clashes())
            .collect()
    }

    /// A glossary that no page lists (its mentions would link nowhere), and each entry no page
    /// mentions (a warning).
    fn glossary_checks(&self) -> Vec<Diagnostic> {
        let g = &self.data.glossary;
        let Some(file) = g.file.filter(|_| !g.entries.is_empty()) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        if self.graph.ids().all(|id| self.graph.listed_of(id).is_empty()) {
            out.push(Diagnostic::at(
                Kind::BadGlossaryBlock {
                    problem: "no page lists the glossary, so the words it explains cannot link to it".into(),
                },
                file,
                0..0,
            ));
        }
        let mentioned: std::collections::HashSet<&str> = self
            .graph
            .ids()
            .flat_map(|id| self.graph.terms_of(id).iter().map(String::as_str))
            .collect();
        out.extend(
            g.entries
                .iter()
                .filter(|e| !mentioned.contains(e.key.as_str()))
                .map(|e| {
                    Diagnostic::at(
                        Kind::UnmentionedEntry { key: e.key.clone() },
                        file,
                        e.span.clone(),
                    )
                }),
        );
        out
    }

    /// One warning, at the first page with tags, when no template shows tags.
    fn unshown_tags(&self) -> Option<Diagnostic> {
        if self.theme.shows_tags {
            return None;
        }
        let mut tagged = self
            .graph
            .order
            .iter()
            .map(|&id| self.graph.page(id))
            .filter(|p| !p.parsed.meta.tags.is_empty());
        let first = tagged.next()?;
        Some(Diagnostic::at(
            Kind::UnusedTags {
                pages: 1 + tagged.count(),
            },
            first.parsed.file,
            first.parsed.tags_span.clone(),
        ))
    }

    fn nav(&self, id: PageId) -> NavItem<'a> {
        let p = self.graph.page(id);
        NavItem {
            title: p.parsed.meta.title(),
            description: &p.parsed.meta.description,
            path: &p.path,
            number: number(self.graph, id),
        }
    }

    /// The path of the top-level section that holds `id` ("" for the home page), and whether
    /// `id` is that section itself.
    fn top_section(&self, id: PageId) -> (&'a str, bool) {
        let mut at = id;
        loop {
            let p: &'a Page = self.graph.page(at);
            match p.parent {
                None => return ("", true),
                Some(parent) if parent == self.graph.home => return (p.path.as_str(), at == id),
                Some(parent) => at = parent,
            }
        }
    }

    /// The sections list (`reading_path.html`) as seen from `path`, rendered once per key.
    fn reading_path(&self, root: String, section: &'a str, at_section: bool) -> Result<Arc<str>, Diagnostic> {
        let key = (root, section, at_section);
        let cache = || {
            self.reading_paths
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if let Some(html) = cache().get(&key) {
            return Ok(Arc::clone(html));
        }
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site_value.clone());
        ctx.insert_value("t", self.theme.words.clone());
        ctx.insert("root", &key.0);
        ctx.insert("home", &self.home_href(&key.0));
        ctx.insert("section_path", section);
        ctx.insert("at_section", &at_section);
        // A bounded window of the top-level sections around this one: a page's size must not
        // grow with the number of sections.
        let all = &self.graph.page(self.graph.home).children;
        let at = all.iter().position(|&c| self.graph.page(c).path == section);
        let window = section_window(all.len(), at);
        ctx.insert(
            "sections",
            &all[window.clone()]
                .iter()
                .map(|&c| self.nav(c))
                .collect::<Vec<_>>(),
        );
        ctx.insert("sections_start", &(window.start + 1));
        ctx.insert("sections_total", &all.len());
        let bytes = self.render("reading_path.html", &ctx, 1024)?;
        let html: Arc<str> = String::from_utf8_lossy(&bytes).into();
        cache().insert(key, Arc::clone(&html));
        Ok(html)
    }

    /// The site-wide template data, the same for every page: serialized once into tera's
    /// global context rather than once per page.
    fn site_title(&self) -> &'a str {
        if self.config.title.is_empty() {
            self.graph.page(self.graph.home).parsed.meta.title()
        } else {
            &self.config.title
        }
    }

    fn site(&self) -> SiteView<'a> {
        let home = self.graph.page(self.graph.home);
        let (favicon, favicon_type) = assets::favicon(self.assets);
        let title = self.site_title();
        SiteView {
            config: self.config,
            title,
            description: &self.config.description,
            language: &self.config.language,
            base_url: self.config.base_url.with_slash(),
            sections: home.children.iter().map(|&c| self.nav(c)).collect(),
            has_sources: !self.bib.sources.is_empty(),
            sources_path: SOURCES_PATH,
            updates_path: self.has_updates().then_some(UPDATES_PATH),
            page_index: self.graph.index_file,
            assets: &self.assets.names,
            feed_path: self.feed.as_ref().map(|_| feeds::FEED_PATH),
            favicon,
            favicon_type,
        }
    }

    /// Each citation of the page as the style prints it (note text or in-text), in reading order.
    fn citations(&self, id: PageId) -> Vec<Rendered> {
        let groups = self.graph.citations_of(id);
        if groups.is_empty()
            || self
                .graph
                .notes_of(id)
                .iter()
                .any(|n| matches!(n.kind, NoteKind::Source { .. }))
        {
            return Vec::new();
        }
        let groups: Vec<&[crate::data::cite_syntax::Citation]> =
            groups.iter().map(|g| g.items.as_slice()).collect();
        match &self.bib.engine {
            Some(engine) => engine.render_page(&groups),
            None => Vec::new(),
        }
    }

    /// The page's References list, for in-text styles: each source it cites, in the style's
    /// order (numeric styles: the page's numbers), with a back-link to each citation.
    fn references(&self, id: PageId) -> Vec<ReferenceView<'a>> {
        if !self
            .graph
            .cites_of(id)
            .next()
            .is_some_and(|c| matches!(c.anchor, Anchor::Cite(_)))
        {
            return Vec::new();
        }
        let mut keys: Vec<(&str, Vec<Anchor>)> = Vec::new();
        for c in self.graph.cites_of(id) {
            match keys.iter_mut().find(|(k, _)| *k == c.key) {
                Some((_, anchors)) => anchors.push(c.anchor),
                None => keys.push((c.key, vec![c.anchor])),
            }
        }
        let numeric = self.bib.numbered;
        if !numeric {
            let rank: HashMap<&str, usize> = self
                .bib
                .order
                .iter()
                .enumerate()
                .map(|(r, &i)| (self.bib.sources[i].key.as_str(), r))
                .collect();
            keys.sort_by_key(|(k, _)| rank.get(k).copied().unwrap_or(usize::MAX));
        }
        keys.into_iter()
            .enumerate()
            .filter_map(|(i, (key, anchors))| {
                let source = self.bib.get(key)?;
                Some(ReferenceView {
                    id: bib_id(key),
                    number: numeric.then_some(i + 1),
                    html: &source.html,
                    backrefs: backrefs(&anchors, &[]),
                })
            })
            .collect()
    }

    fn notes(&self, id: PageId, citations: &[Rendered]) -> Vec<NoteView<'a>> {
        let graph: &'a SiteGraph = self.graph;
        let group_items = |group: CiteId| {
            graph
                .citations_of(id)
                .get(group.index())
                .map_or(&[][..], |g| g.items.as_slice())
        };
        // A source's first note on the page carries what kagu adds to its entry.
        let mut noted = std::collections::HashSet::new();
        let mut note_text = |group: CiteId, citation: &str| -> String {
            let mut html = citation.to_string();
            for c in group_items(group).iter().filter(|c| noted.insert(c.key.as_str())) {
                if let Some(s) = self.bib.get(&c.key) {
                    html.push_str(&s.after);
                }
            }
            html
        };
        let back_label = self.theme.blocks.word("back_to_reference");
        graph
            .notes_of(id)
            .iter()
            .map(|n| {
                let uses = n.uses.len().max(1);
                let anchors: Vec<Anchor> = (1..=uses).map(|k| Anchor::note(n.number, k)).collect();
                let backrefs = backrefs(&anchors, &n.uses);
                let (html, source_key) = match &n.kind {
                    NoteKind::Footnote { body, .. } => (self.fragment_html(id, body, None, citations), None),
                    NoteKind::Source { key } => (
                        self.bib.get(key).map(|s| s.html.clone()).unwrap_or_default(),
                        Some(key.as_str()),
                    ),
                    NoteKind::Citation { group } => (
                        citations
                            .get(group.index())
                            .map(|c| note_text(*group, &c.html))
                            .unwrap_or_default(),
                        group_items(*group).first().map(|c| c.key.as_str()),
                    ),
                };
                NoteView {
                    number: n.number,
                    id: format!("note-{}", n.number),
                    back_label: back_label.replace("{n}", &n.number.to_string()),
                    html,
                    source_key,
                    backrefs,
                }
            })
            .collect()
    }

    /// A fragment of `id`'s page as HTML; `sidenotes` (from [`Self::sidenote_texts`]) puts the
    /// note's text beside each of its markers, with that marker's locator (for the page body;
    /// not inside the notes themselves).
    fn fragment_html(
        &self,
        id: PageId,
        f: &crate::page::markdown::Fragment,
        sidenotes: Option<&[Option<String>]>,
        citations: &[Rendered],
    ) -> String {
        let mark = |m: Mark| {
            let (number, occurrence) = match m {
                Mark::Sidenote { number, occurrence } => (number, occurrence),
                Mark::Cite(g) => return self.in_text(id, g, citations),
                Mark::Mentions(e) => return self.mentions(id, e),
                Mark::TermOpen(t) => return self.term_open(id, t),
                Mark::TermClose(t) => return self.term_close(id, t),
                Mark::Listed(l) => return self.mentioned_on(id, l),
                Mark::ClaimOpen(c) => return self.claim_open(id, c),
                Mark::ClaimClose(c) => return self.claim_close(id, c),
                Mark::Linked(c) => return self.claim_linked(id, c),
                Mark::Ld(l) => return self.cited_ld(id, l),
                Mark::Author(g) => {
                    return citations
                        .get(g.index())
                        .map(|c| without_links(&c.author))
                        .unwrap_or_default()
                }
            };
            let i = number.wrapping_sub(1);
            let (Some(Some(html)), Some(note)) =
                (sidenotes.and_then(|s| s.get(i)), self.graph.notes_of(id).get(i))
            else {
                return String::new();
            };
            let locator = match note.uses.get(occurrence.wrapping_sub(1)) {
                Some(Some(l)) => Some(l.as_str()),
                _ => None,
            };
            // A repeat shows its locator first, then the note cut to two lines (the theme's
            // CSS); the first sidenote and the Notes list show it whole.
            let flags = usize::from(locator.is_some()) | usize::from(occurrence != 1) << 1;
            let number = number.to_string();
            let values = [number.as_str(), html, locator.unwrap_or_default()];
            self.theme.blocks.render(Block::Sidenote, flags, &values)
        };
        f.render(
            |hole| match hole {
                LinkHole::Page(link) => self.graph.link_href(id, link),
                LinkHole::Language(link) => self.graph.link_language(id, link).unwrap_or_default().into(),
                LinkHole::Size(j) => match self.graph.file_target(id, j).and_then(|t| t.size) {
                    Some((w, h)) => format!(" width=\"{w}\" height=\"{h}\""),
                    None => String::new(),
                },
                LinkHole::File(j) => {
                    let t = self.graph.file_target(id, j).cloned().unwrap_or_default();
                    let mut href = root_prefix(self.graph.url_of(id)) + &self.shared_prefix(&t.out);
                    href.extend(percent_encoding::utf8_percent_encode(&t.out, URL_PATH));
                    if let Some(f) = &t.fragment {
                        href.push('#');
                        href.push_str(f);
                    }
                    href
                }
            },
            mark,
        )
    }

    /// An in-text citation: the style's text, linked to the first source's References entry.
    fn in_text(&self, id: PageId, group: CiteId, citations: &[Rendered]) -> String {
        let Some(text) = citations.get(group.index()).map(|c| &c.html) else {
            return String::new();
        };
        let target = self
            .graph
            .citations_of(id)
            .get(group.index())
            .and_then(|g| g.items.first())
            .filter(|c| self.bib.contains(&c.key))
            .map(|c| bib_id(&c.key));
        let number = (group.index() + 1).to_string();
        let text = without_links(text);
        let values = [number.as_str(), target.as_deref().unwrap_or_default(), &text];
        self.theme
            .blocks
            .render(Block::Citation, usize::from(target.is_some()), &values)
    }

    /// Each note's text for its sidenotes, from the Notes list's (so each is made once a page):
    /// phrasing content (it sits inside a paragraph), or None when the note holds blocks (lists,
    /// tables, code) that only the Notes list can show. Sidenotes are hidden from screen readers
    /// (the Notes list says each note once), so their links are out of the Tab order too.
    fn sidenote_texts(notes: &[NoteView<'_>]) -> Vec<Option<String>> {
        notes.iter().map(|n| sidenote_text(&n.html)).collect()
    }

    fn page_view(&self, id: PageId) -> PageView<'a> {
        let page = self.graph.page(id);
        let citations = self.citations(id);
        let notes = self.notes(id, &citations);
        let meta = &page.parsed.meta;
        let mut ancestors = Vec::new();
        let mut up = page.parent;
        while let Some(a) = up {
            ancestors.push(self.nav(a));
            up = self.graph.page(a).parent;
        }
        ancestors.reverse();
        PageView {
            title: meta.title(),
            description: &meta.description,
            path: &page.path,
            permalink: format!("{}{}", self.config.base_url.with_slash(), page.path),
            date: meta.date.as_ref().map(|d| format_date(d, &self.bib.dates)),
            updated: meta.updated.as_ref().map(|d| format_date(d, &self.bib.dates)),
            date_iso: meta.date.map(|d| d.to_string()),
            updated_iso: meta.updated.map(|d| d.to_string()),
            authors: &meta.authors,
            tags: &meta.tags,
            extra: &meta.extra,
            content: self.fragment_html(
                id,
                self.graph.body_of(id),
                Some(&Self::sidenote_texts(&notes)),
                &citations,
            ),
            references: self.references(id),
            toc: nested_toc(self.graph.headings_of(id)),
            word_count: self.graph.word_count(id),
            reading_time: self.graph.word_count(id).div_ceil(220).max(1),
            notes,
            backlinks: self
                .graph
                .backlinks_of(id)
                .iter()
                .map(|b| {
                    let from = self.graph.page(b.from);
                    BacklinkView {
                        title: from.parsed.meta.title(),
                        href: self.graph.href(
                            &page.path,
                            &from.path,
                            b.heading.as_ref().map(|h| h.0.as_str()),
                        ),
                        heading: b.heading.as_ref().map(|h| h.1.as_str()),
                    }
                })
                .collect(),
            children: page.children.iter().map(|&c| self.nav(c)).collect(),
            ancestors,
            is_home: id == self.graph.home,
            is_section: page.parsed.is_section,
            number: number(self.graph, id),
        }
    }

    /// Renders `template` into a buffer made `capacity` bytes large up front: a page's HTML
    /// then never moves while it grows (for the sources page of a large site, a copy of
    /// megabytes at a build's memory peak).
    /// Stopped when it writes more than `max_page_mb` or takes longer than `max_page_seconds`
    /// (a template that loops or grows without bound), with a located E013.
    fn render(&self, template: &str, ctx: &Context, capacity: usize) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Limited {
            out: Vec::with_capacity(capacity),
            max_bytes: usize::try_from(self.config.max_page_mb.saturating_mul(1 << 20)).unwrap_or(usize::MAX),
            max_time: std::time::Duration::from_secs(self.config.max_page_seconds),
            started: std::time::Instant::now(),
            writes: 0,
            hit: None,
        };
        // Bounded whether or not the template writes: what it holds while it computes counts
        // too (four times what a page may be, so the page itself always fits, and at least
        // 256 MiB, for the values a loop makes).
        let held = out.max_bytes.saturating_mul(4).max(256 << 20);
        let budget = crate::base::guard::Budget::enter(template, held, out.max_time);
        let result = self.theme.tera.render_to(template, ctx, &mut out);
        drop(budget);
        match (result, out.hit) {
            (Ok(()), _) => Ok(out.out),
            (Err(e), Some(limit)) => {
                let mut d = self.theme.diagnostic(&e, template);
                d.kind = Kind::TemplateLimit {
                    template: template.to_string(),
                    limit,
                };
                Err(d)
            }
            (Err(e), None) => Err(self.theme.diagnostic(&e, template)),
        }
    }

    fn seo(
        &self,
        title: &'a str,
        description: &'a str,
        path: Option<&str>,
        kind: &'static str,
        card: Option<Card<'a>>,
    ) -> SeoView<'a> {
        let base = self.config.base_url.with_slash();
        // Link previews need a full address.
        let card = card
            .or(self.site_card)
            .filter(|_| self.config.base_url.is_absolute());
        let image = card.map(|c| {
            let mut url = self.file_base(c.out);
            url.extend(percent_encoding::utf8_percent_encode(c.out, URL_PATH));
            url
        });
        SeoView {
            title,
            description: if description.is_empty() {
                &self.config.description
            } else {
                description
            },
            url: path
                .filter(|_| self.config.base_url.is_absolute())
                .map(|p| format!("{base}{p}")),
            kind,
            image,
            image_size: card.and_then(|c| c.size),
            image_alt: card.map_or("", |c| c.alt),
        }
    }

    /// The href of the home page from a page whose way up to the site root is `root`.
    fn home_href(&self, root: &str) -> String {
        match format!("{root}{}", self.graph.index_file) {
            href if href.is_empty() => "./".into(),
            href => href,
        }
    }

    /// What every template gets: the site, the way up to the site root, the page's path and
    /// the sections list as seen from it (`section`: see [`Self::top_section`]).
    fn base_context(
        &self,
        root: String,
        path: &str,
        section: (&'a str, bool),
    ) -> Result<(Context, usize), Diagnostic> {
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site_value.clone());
        ctx.insert_value("t", self.theme.words.clone());
        let reading_path = self.reading_path(root.clone(), section.0, section.1)?;
        ctx.insert("reading_path", &*reading_path);
        ctx.insert("root", &root);
        ctx.insert("home", &self.home_href(&root));
        ctx.insert("current_path", path);
        ctx.insert("editions", &self.editions_of(path, None));
        // The top-level section the page is in, named by the small-screen menu's button.
        let home = self.graph.page(self.graph.home);
        let current = home
            .children
            .iter()
            .find(|&&c| self.graph.page(c).path == section.0)
            .map(|&c| self.nav(c));
        ctx.insert("current_section", &current);
        // What a page holds besides its own text: the sections list and about 4 KB of head,
        // header, footer and navigation.
        Ok((ctx, reading_path.len() + 4096))
    }

    fn render_page(&self, id: PageId) -> Result<Vec<u8>, Diagnostic> {
        let page = self.graph.page(id);
        let template = match &page.parsed.meta.template {
            Some(t) => t.clone(),
            None if id == self.graph.home => "index.html".into(),
            None if page.parsed.is_section => "section.html".into(),
            None => "page.html".into(),
        };
        let (mut ctx, chrome) =
            self.base_context(root_prefix(&page.path), &page.path, self.top_section(id))?;
        let view = self.page_view(id);
        self.search_page(id, &view.content);
        let size = chrome
            + view.content.len()
            + view.notes.iter().map(|n| n.html.len() + 256).sum::<usize>()
            + 128 * (view.toc.len() + view.backlinks.len() + view.children.len());
        ctx.insert("page", &view);
        ctx.insert("editions", &self.editions_of(&page.path, Some(&page.parsed.rel)));
        drop(view);
        let kind = if id == self.graph.home {
            "website"
        } else {
            "article"
        };
        let meta = &page.parsed.meta;
        ctx.insert(
            "seo",
            &self.seo(
                meta.title(),
                &meta.description,
                Some(&page.path),
                kind,
                page.parsed.md.card_image.and_then(|j| {
                    let t = self.graph.file_target(id, j)?;
                    Some(Card {
                        out: &t.out,
                        size: t.size,
                        alt: &meta.image_alt,
                    })
                }),
            ),
        );
        ctx.insert("prev", &page.prev.map(|p| self.nav(p)));
        ctx.insert("next", &page.next.map(|p| self.nav(p)));
        self.render(&template, &ctx, size)
    }

    fn render_404(&self) -> Result<Vec<u8>, Diagnostic> {
        let (mut ctx, size) = self.base_context(self.config.base_url.path(), "", ("", false))?;
        ctx.insert(
            "seo",
            &self.seo(
                self.theme.blocks.word("not_found_title"),
                "",
                None,
                "website",
                None,
            ),
        );
        self.render("404.html", &ctx, size)
    }

    fn render_alias(&self, alias_path: &str, target: PageId) -> Result<Vec<u8>, Diagnostic> {
        let (mut ctx, size) = self.base_context(
            root_prefix(alias_path),
            alias_path,
            (self.top_section(target).0, false),
        )?;
        let t = self.graph.page(target);
        ctx.insert("target", &self.graph.href(alias_path, &t.path, None));
        ctx.insert(
            "permalink",
            &format!("{}{}", self.config.base_url.with_slash(), t.path),
        );
        ctx.insert("title", t.parsed.meta.title());
        self.render("alias.html", &ctx, size)
    }
}

/// The id of a source's entry in a page's References list.
fn bib_id(key: &str) -> String {
    format!("bib-{}", slug::slugify(key))
}

/// Back-links to the spots `anchors` names: `↩` for one, a, b, c… for several, each with the
/// locator its spot gave.
fn backrefs(anchors: &[Anchor], locators: &[Option<String>]) -> Vec<BackRef> {
    anchors
        .iter()
        .enumerate()
        .map(|(k, &id)| BackRef {
            id,
            label: if anchors.len() == 1 {
                "↩".into()
            } else {
                backref_label(k).into()
            },
            locator: locators.get(k).cloned().flatten(),
            several: anchors.len() > 1,
        })
        .collect()
}

/// `html` with its links' tags taken out (their text kept): an in-text citation is a link itself.
fn without_links(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = [rest.find("<a "), rest.find("</a>")].into_iter().flatten().min() {
        out.push_str(&rest[..i]);
        let end = rest[i..].find('>').map_or(rest.len(), |e| i + e + 1);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// One note's text as a sidenote ([`Renderer::sidenote_texts`]), in one pass over it: its
/// paragraphs' tags dropped (each end a space), in-text citations' ids made `data-cite`, links
/// out of the Tab order; None when it is empty or holds a block.
fn sidenote_text(html: &str) -> Option<String> {
    const BLOCKS: [&str; 8] = ["ul", "ol", "table", "pre", "blockquote", "h", "div", "hr"];
    // In-text citations in a footnote keep their ids in the Notes list only.
    const CITE_ID: &str = " id=\"cite-";
    if html.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(html.len() + 32);
    // (Looked for once: most notes have none, and each search of a short text costs its setup.)
    let cites = html.contains(CITE_ID);
    // Text up to a tag, with its in-text citations' ids swapped.
    let text = |out: &mut String, mut text: &str| {
        while let Some(i) = cites.then(|| text.find(CITE_ID)).flatten() {
            out.push_str(&text[..i]);
            out.push_str(" data-cite=\"");
            text = &text[i + CITE_ID.len()..];
        }
        out.push_str(text);
    };
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        text(&mut out, &rest[..at]);
        let tag = &rest[at + 1..];
        let (to, taken) = match tag {
            _ if BLOCKS.iter().any(|b| tag.starts_with(b)) => return None,
            _ if tag.starts_with("p>") => ("", 3),
            _ if tag.starts_with("/p>") => (" ", 4),
            _ if tag.starts_with("a ") => ("<a tabindex=\"-1\" ", 3),
            _ => ("<", 1),
        };
        out.push_str(to);
        rest = &rest[at + taken..];
    }
    text(&mut out, rest);
    let kept = out.trim();
    Some(if kept.len() == out.len() {
        out
    } else {
        kept.to_string()
    })
}

#[cfg(test)]
mod tests;
