//! Resolve stage: parsed pages to a [`SiteGraph`]: URLs, the section tree, reading order,
//! prev/next, internal link targets, backlinks and citation checks. Every miss is a diagnostic.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::base::diag::{did_you_mean, AnchorHint, Diagnostic, Diagnostics, FileId, Files, Kind, Suggester};
use crate::base::paths::OutputPath;
use crate::base::paths::{join, relative_to};
use crate::data::cite::Bibliography;
use crate::page::frontmatter::FrontMatter;
use crate::page::markdown::{CiteGroup, CiteUse, FileRefId, Fragment, Heading, LinkId, Note};
use crate::page::ParsedPage;
use crate::project::load::FileIndex;

use super::data_index::DataIndex;

/// Index of a page in [`SiteGraph::pages`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PageId(pub usize);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backlink {
    pub from: PageId,
    /// Id and title of the heading the link sits under, if any.
    pub heading: Option<(String, String)>,
}

#[derive(Debug)]
pub struct Page {
    pub(crate) parsed: Arc<ParsedPage>,
    /// Output folder relative to the site root: "" for home, "allegations/" for a section.
    pub path: OutputPath,
    pub parent: Option<PageId>,
    pub children: Vec<PageId>,
    /// Its place among its parent's children, from 1 (0 for home).
    pub place: usize,
    pub prev: Option<PageId>,
    pub next: Option<PageId>,
    pub backlinks: Vec<Backlink>,
    /// What each link to a page resolved to (by [`LinkId`]).
    links: Vec<LinkTarget>,
    /// Where each link or image to a file resolved to (by [`FileRefId`]).
    files: Vec<FileTarget>,
}

impl Page {
    fn new(parsed: Arc<ParsedPage>) -> Page {
        Page {
            parsed,
            path: OutputPath::default(),
            parent: None,
            children: Vec::new(),
            place: 0,
            prev: None,
            next: None,
            backlinks: Vec::new(),
            links: Vec::new(),
            files: Vec::new(),
        }
    }
}

/// Where a link to a page leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkTarget {
    pub page: PageId,
    /// The heading or figure id after `#`, if any.
    pub fragment: Option<String>,
    /// A page of the default edition that this edition has no translation of: its folder from
    /// the edition's root (`../prices/`), the fragment, and its language.
    pub away: Option<(String, Option<String>, String)>,
}

/// Where a linked file is in the output, and where to copy it from (None for a static file,
/// which is copied anyway).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileTarget {
    pub out: String,
    pub fragment: Option<String>,
    pub copy: Option<std::path::PathBuf>,
    /// Width and height, for an image whose header can be read.
    pub size: Option<(usize, usize)>,
}

#[derive(Debug)]
pub struct SiteGraph {
    pub pages: Vec<Page>,
    pub home: PageId,
    pub order: Vec<PageId>,
    glossary: DataIndex,
    claims: DataIndex,
    /// What a link to a page ends in: nothing (`../prices/`), or `index.html` for a site read
    /// from the file system (`file_links`).
    pub index_file: &'static str,
}

impl SiteGraph {
    pub fn page(&self, id: PageId) -> &Page {
        &self.pages[id.0]
    }
    pub fn ids(&self) -> impl Iterator<Item = PageId> {
        (0..self.pages.len()).map(PageId)
    }
    /// The page at this path under content/ (pages are sorted by it).
    pub fn find(&self, rel: &str) -> Option<PageId> {
        ByRel(&self.pages).get(rel)
    }
    /// The page's front matter.
    pub fn meta(&self, id: PageId) -> &FrontMatter {
        &self.page(id).parsed.meta
    }
    /// The page's output folder relative to the site root ("" for home, "a/b/" otherwise).
    pub fn url_of(&self, id: PageId) -> &str {
        &self.page(id).path
    }
    /// The pages that link to this one, each with the heading the link sits under.
    pub fn backlinks_of(&self, id: PageId) -> &[Backlink] {
        &self.page(id).backlinks
    }
    /// The page's body, with holes for links, notes and citations.
    pub fn body_of(&self, id: PageId) -> &Fragment {
        &self.page(id).parsed.md.body
    }
    /// The page's headings, in order.
    pub fn headings_of(&self, id: PageId) -> &[Heading] {
        &self.page(id).parsed.md.headings
    }
    /// The page's notes, in number order.
    pub fn notes_of(&self, id: PageId) -> &[Note] {
        &self.page(id).parsed.md.notes
    }
    /// The page's citations (each bracketed or narrative group), in reading order.
    pub fn citations_of(&self, id: PageId) -> &[CiteGroup] {
        &self.page(id).parsed.md.citations
    }
    /// Every spot of the page that cites a source, in reading order.
    pub fn cites_of(&self, id: PageId) -> impl Iterator<Item = CiteUse<'_>> {
        self.page(id).parsed.md.cites()
    }
    /// Keys named by the page's citations that could not be read (reported there).
    pub fn keys_in_malformed(&self, id: PageId) -> &[String] {
        &self.page(id).parsed.md.keys_in_malformed
    }
    /// The timeline events the page shows, in order.
    pub(crate) fn events_of(&self, id: PageId) -> &[crate::page::markdown::Shown] {
        &self.page(id).parsed.md.events
    }
    /// The glossary entries the page mentions (by key), each once, in order.
    pub fn terms_of(&self, id: PageId) -> &[String] {
        &self.page(id).parsed.md.terms
    }
    /// The claims the page shows, in order.
    pub(crate) fn claims_of(&self, id: PageId) -> &[crate::page::markdown::Shown] {
        &self.page(id).parsed.md.claims
    }
    /// The claims the page links to, each once.
    pub(crate) fn claim_refs_of(&self, id: PageId) -> &[crate::page::markdown::ClaimRef] {
        &self.page(id).parsed.md.claim_refs
    }
    /// The glossary entries the page lists.
    pub(crate) fn listed_of(&self, id: PageId) -> &[crate::page::markdown::Shown] {
        &self.page(id).parsed.md.listed
    }
    /// Where the glossary lists entry `key`: the first page in reading order that lists it,
    /// and its anchor there.
    pub fn glossary_entry(&self, key: &str) -> Option<(PageId, &str)> {
        self.glossary.first(key)
    }
    /// The pages that mention glossary entry `key`, in reading order.
    pub fn mentioning(&self, key: &str) -> &[PageId] {
        self.glossary.mentioning(key)
    }
    /// Where claim `id` is shown: the first page in reading order whose block shows it, and
    /// its anchor there.
    pub fn claim_shown(&self, id: &str) -> Option<(PageId, &str)> {
        self.claims.first(id)
    }
    /// The pages that link to claim `id`, in reading order.
    pub fn linking_claim(&self, id: &str) -> &[PageId] {
        self.claims.mentioning(id)
    }
    /// The pages with a link to `fragment` on page `id`, in page order, once each.
    pub fn linking_to(&self, id: PageId, fragment: &str) -> Vec<PageId> {
        let mut from: Vec<PageId> = self.backlinks_of(id).iter().map(|b| b.from).collect();
        from.dedup();
        from.retain(|&f| {
            self.page(f)
                .links
                .iter()
                .any(|t| t.page == id && t.fragment.as_deref() == Some(fragment))
        });
        from
    }
    /// Words in the page's text (notes left out).
    pub fn word_count(&self, id: PageId) -> usize {
        self.page(id).parsed.md.word_count
    }
    /// Links to pages written in the page's text.
    pub fn link_count(&self, id: PageId) -> usize {
        self.page(id).links.len()
    }
    /// Where a link of the page leads.
    pub fn link_target(&self, page: PageId, link: LinkId) -> Option<&LinkTarget> {
        self.page(page).links.get(link.index())
    }
    /// The pages this page links to (itself left out), once each.
    pub fn linked_from(&self, id: PageId) -> std::collections::BTreeSet<PageId> {
        self.page(id)
            .links
            .iter()
            .map(|t| t.page)
            .filter(|&t| t != id)
            .collect()
    }
    /// The href from the page at folder `from` to the one at `to` ([`rel_href`]).
    pub(crate) fn href(&self, from: &str, to: &str, fragment: Option<&str>) -> String {
        rel_href(from, to, fragment, self.index_file)
    }
    /// The href from page `from` to `anchor` on page `to`: the anchor alone on the same page.
    pub(crate) fn anchor_href(&self, from: PageId, to: PageId, anchor: &str) -> String {
        if from == to {
            format!("#{anchor}")
        } else {
            self.href(self.url_of(from), self.url_of(to), Some(anchor))
        }
    }
    /// The href of a link of the page, relative to it.
    pub fn link_href(&self, page: PageId, link: LinkId) -> String {
        let here = &self.page(page).path;
        match self.link_target(page, link) {
            Some(LinkTarget {
                away: Some((to, fragment, _)),
                ..
            }) => self.href(here, to, fragment.as_deref()),
            Some(LinkTarget {
                page: t, fragment, ..
            }) if *t == page => fragment
                .as_ref()
                .map(|f| format!("#{f}"))
                .unwrap_or_else(|| self.href(here, here, None)),
            Some(LinkTarget {
                page: t, fragment, ..
            }) => self.href(here, &self.page(*t).path, fragment.as_deref()),
            None => self.href(here, here, None),
        }
    }
    /// The language of the page a link leads to when it is another edition's.
    pub fn link_language(&self, page: PageId, link: LinkId) -> Option<&str> {
        let away = self.link_target(page, link)?.away.as_ref()?;
        Some(&away.2)
    }
    /// Where a link or image of the page to a file leads.
    pub fn file_target(&self, page: PageId, file: FileRefId) -> Option<&FileTarget> {
        self.page(page).files.get(file.index())
    }
    /// Would the reading order stay as it is with these pages' new parses (their weight, date
    /// and title sort them among their siblings)?
    pub(crate) fn keeps_order(&self, swaps: &[(PageId, Arc<ParsedPage>)]) -> bool {
        let new = |c: PageId| swaps.iter().find(|s| s.0 == c).map(|s| &*s.1);
        let parents: std::collections::BTreeSet<PageId> =
            swaps.iter().filter_map(|s| self.page(s.0).parent).collect();
        parents.into_iter().all(|parent| {
            let now = &self.page(parent).children;
            // As resolve sorts them: by path under content/, then stably by the key.
            let mut sorted = now.clone();
            sorted.sort();
            sorted.sort_by_cached_key(|&c| sort_key(new(c).unwrap_or(&self.page(c).parsed)));
            sorted == *now
        })
    }
    /// Would every `#fragment` link into page `id` (from other pages or itself) still find its
    /// heading or figure in this new parse of it?
    pub(crate) fn anchors_hold(&self, id: PageId, new: &ParsedPage) -> bool {
        let from = self.backlinks_of(id).iter().map(|b| b.from).chain([id]);
        from.flat_map(|f| &self.page(f).links)
            .filter(|t| t.page == id)
            .all(|t| t.fragment.as_deref().is_none_or(|f| new.has_id(f)))
    }
    /// After a new parse of page `id` with other headings is in place: its entries in the
    /// "Referenced in" lists of the pages it links to, made again. Returns the pages whose list
    /// changed.
    pub fn refresh_backlinks_from(&mut self, id: PageId) -> std::collections::BTreeSet<PageId> {
        let parsed = Arc::clone(&self.page(id).parsed);
        let mut changed = std::collections::BTreeSet::new();
        for t in self.linked_from(id) {
            let mut fresh: Vec<Backlink> = Vec::new();
            for (link, target) in parsed.md.links.iter().zip(&self.page(id).links) {
                let heading = backlink_heading(&parsed, link);
                if target.page == t && !fresh.iter().any(|b| b.heading == heading) {
                    fresh.push(Backlink { from: id, heading });
                }
            }
            let list = &mut self.pages[t.0].backlinks;
            // Backlinks are in the order of the linking pages; this page's are together.
            let at = list.iter().position(|b| b.from >= id).unwrap_or(list.len());
            let end = list[at..]
                .iter()
                .position(|b| b.from != id)
                .map_or(list.len(), |n| at + n);
            if list[at..end] != fresh[..] {
                list.splice(at..end, fresh);
                changed.insert(t);
            }
        }
        changed
    }
    /// Puts a new parse of a page in place of the old one. The caller has checked that both
    /// link, cite and embed the same ([`ParsedPage::same_links`]), that the front matter keeps
    /// the page's place ([`FrontMatter::same_place`], [`Self::keeps_order`]) and, if the
    /// headings changed, [`Self::anchors_hold`], then calls [`Self::refresh_backlinks_from`]:
    /// so every resolved link, file and backlink and the reading order stay true.
    pub(crate) fn replace_parse(&mut self, id: PageId, parsed: Arc<ParsedPage>) {
        self.pages[id.0].parsed = parsed;
    }
    /// The files the page's links and images point to.
    pub fn files_of(&self, id: PageId) -> &[FileTarget] {
        &self.page(id).files
    }
}

/// The href from a page at folder `from` to the page at folder `to`, relative, so the site
/// works at any subpath; ending in `index_file` (`index.html` for the file system, or nothing),
/// and `./` where it would be empty (the home page's link to itself).
pub(crate) fn rel_href(from: &str, to: &str, fragment: Option<&str>, index_file: &str) -> String {
    let mut s = root_prefix(from);
    s.push_str(to);
    s.push_str(index_file);
    if s.is_empty() {
        s.push_str("./");
    }
    if let Some(f) = fragment {
        s.push('#');
        s.push_str(f);
    }
    s
}

/// "../" once per folder level of `path` (empty at the root).
pub(crate) fn root_prefix(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

fn dir_of(rel: &str) -> &str {
    rel.rfind('/').map_or("", |i| &rel[..i])
}

/// A link's path with its `%XX` escapes decoded; as written when they do not decode to UTF-8
/// (a file named `per%cent.md`).
fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .map_or_else(|_| s.to_string(), std::borrow::Cow::into_owned)
}

fn slug_segment(s: &str) -> String {
    let already = !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if already {
        s.to_string()
    } else {
        slug::slugify(s)
    }
}

/// A page's output folder ("" for home, "a/b/" otherwise), or the name (file or folder) that
/// has no letters or digits to make a URL segment from. Each folder's segment is the `slug`
/// of its `_index.md` when it sets one (`section_slug`), else its name.
fn output_path<'a>(
    p: &ParsedPage,
    section_slug: impl Fn(&str) -> Option<&'a str>,
) -> Result<String, (String, bool)> {
    let (dir, file) = p.rel.rsplit_once('/').unwrap_or(("", p.rel.as_str()));
    let names: Vec<&str> = dir.split('/').filter(|d| !d.is_empty()).collect();
    let mut dirs = Vec::with_capacity(names.len() + 1);
    for (i, name) in names.iter().enumerate() {
        let folder = &dir[..names[..=i].iter().map(|n| n.len() + 1).sum::<usize>() - 1];
        dirs.push(slug_segment(section_slug(folder).unwrap_or(name)));
    }
    if !p.is_section {
        let stem = file.trim_end_matches(".md");
        let seg = slug_segment(p.meta.slug.as_deref().unwrap_or(stem));
        if seg.is_empty() {
            return Err((file.to_string(), false));
        }
        dirs.push(seg);
    }
    if let Some(i) = dirs.iter().position(String::is_empty) {
        return Err((names[..=i].join("/"), true));
    }
    let mut out = String::with_capacity(p.rel.len() + 2);
    for d in &dirs {
        out.push_str(d);
        out.push('/');
    }
    Ok(out)
}

/// Output paths of every page; a name without letters or digits is reported once (at the
/// folder's `_index.md` when it has one, or its first page) and the page gets a stand-in
/// folder so nothing else about it is reported.
fn output_paths(pages: &[Page], diags: &mut Diagnostics) -> Vec<String> {
    let by_rel = ByRel(pages);
    let mut reported: Vec<String> = Vec::new();
    pages
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let section_slug = |folder: &str| {
                by_rel
                    .get(&format!("{folder}/_index.md"))
                    .and_then(|s| pages[s.0].parsed.meta.slug.as_deref())
            };
            (i, &p.parsed, output_path(&p.parsed, section_slug))
        })
        .map(|(i, p, path)| match path {
            Ok(path) => path,
            Err((name, folder)) => {
                if !reported.contains(&name) {
                    let at = if folder {
                        by_rel
                            .get(&format!("{name}/_index.md"))
                            .map_or(p.file, |s| pages[s.0].parsed.file)
                    } else {
                        p.file
                    };
                    diags.push(Diagnostic::at(
                        Kind::EmptyUrl {
                            name: format!("{name}{}", if folder { "/" } else { "" }),
                            folder,
                        },
                        at,
                        FRONT_MATTER_FENCE,
                    ));
                    reported.push(name);
                }
                format!("_unnamed-{i}/")
            }
        })
        .collect()
}

fn sort_key(p: &ParsedPage) -> (i64, String, String) {
    (
        p.meta.weight.unwrap_or(i64::MAX),
        p.meta.date.map(|d| d.to_string()).unwrap_or_default(),
        p.meta.title().to_lowercase(),
    )
}

/// Page-level problems point at the opening `+++`.
const FRONT_MATTER_FENCE: std::ops::Range<usize> = 0..3;

/// What one page's links and citations resolve to.
struct PageLinks {
    targets: Vec<LinkTarget>,
    files: Vec<FileTarget>,
    diags: Vec<Diagnostic>,
    /// (linked page, the heading the link sits under) for each link to another page.
    backlinks: Vec<(PageId, Option<(String, String)>)>,
}

/// Pages by their path under content/: the pages are sorted by it, so a binary search finds one.
#[derive(Clone, Copy)]
struct ByRel<'a>(&'a [Page]);

impl ByRel<'_> {
    fn get(&self, rel: &str) -> Option<PageId> {
        self.0
            .binary_search_by(|p| p.parsed.rel.as_str().cmp(rel))
            .ok()
            .map(PageId)
    }
}

/// What suggestions are drawn from: every page's path under content/ and every source key.
struct Suggestions<'a> {
    pages: Suggester<'a>,
    keys: Suggester<'a>,
    files: Suggester<'a>,
}

/// A missing heading's hint lists the target page's ids when it has at most this many.
const FEW_IDS: usize = 8;

/// What links are checked against, besides the pages.
struct Context<'a> {
    /// Pages by each alias (trimmed of `/`), and by each heading id that only one page has:
    /// built on the first broken link.
    aliases: std::sync::OnceLock<HashMap<String, usize>>,
    headings: std::sync::OnceLock<HashMap<String, Option<usize>>>,
    bib: &'a Bibliography,
    suggest: Suggestions<'a>,
    file_index: &'a FileIndex,
    /// [`SiteGraph::index_file`].
    index_file: &'static str,
    /// Pages left out as drafts, by path under content/.
    drafts: &'a std::collections::HashSet<crate::base::paths::ContentPath>,
    /// The default edition's pages this edition does not have.
    elsewhere: Option<&'a crate::graph::Elsewhere>,
}

impl Context<'_> {
    /// The page that has `wanted` (a path under content/, `old/name.md`) as an alias.
    fn alias_owner(&self, pages: &[Page], wanted: &str) -> Option<usize> {
        let index = self.aliases.get_or_init(|| {
            let mut m = HashMap::new();
            for (i, p) in pages.iter().enumerate() {
                for a in &p.parsed.meta.aliases {
                    m.entry(a.trim_matches('/').to_string()).or_insert(i);
                }
            }
            m
        });
        let stem = wanted.trim_end_matches(".md");
        let stem = stem.strip_suffix("/_index").unwrap_or(stem);
        index.get(stem).copied()
    }

    /// The one page that has a heading with id `id` (None when none or several do).
    fn heading_owner(&self, pages: &[Page], id: &str) -> Option<usize> {
        let index = self.headings.get_or_init(|| {
            let mut m: HashMap<String, Option<usize>> = HashMap::new();
            for (i, p) in pages.iter().enumerate() {
                for h in &p.parsed.md.headings {
                    m.entry(h.id.clone())
                        .and_modify(|o| {
                            if *o != Some(i) {
                                *o = None;
                            }
                        })
                        .or_insert(Some(i));
                }
            }
            m
        });
        index.get(id).copied().flatten()
    }
}

/// Where the sources page is written, under the output folder.
pub(crate) const SOURCES_PATH: &str = "sources/";

/// The sources file, by its path under content/: a link to it goes to the sources page.
const SOURCES_FILE: &str = "sources.toml";

/// A link or image to a file, resolved: a file beside the pages under content/ (copied), a
/// static file reached through `../static/` (copied anyway), or the sources file, which is the
/// sources page (a reader has no use for its TOML), when there is one.
fn file_target(dir: &str, f: &crate::page::markdown::FileRef, cx: &Context<'_>) -> Option<FileTarget> {
    let index = cx.file_index;
    let wanted = percent_decode(&f.path);
    if join(dir, &wanted).as_deref() == Some(SOURCES_FILE) {
        // (With no sources there is no page: the link is reported, E073.)
        return (!cx.bib.sources.is_empty()).then(|| FileTarget {
            out: format!("{SOURCES_PATH}{}", cx.index_file),
            fragment: f.fragment.clone(),
            size: None,
            copy: None,
        });
    }
    // Only the header is read (imagesize), for the width and height attributes.
    let size = |p: &std::path::Path| imagesize::size(p).ok().map(|s| (s.width, s.height));
    if let Some((rel, abs)) = join(dir, &wanted).and_then(|t| index.content.get_key_value(&t)) {
        return Some(FileTarget {
            out: rel.clone(),
            fragment: f.fragment.clone(),
            size: size(abs),
            copy: Some(abs.clone()),
        });
    }
    let in_project = if dir.is_empty() {
        "content".to_string()
    } else {
        format!("content/{dir}")
    };
    let t = join(&in_project, &wanted)?;
    let out = t.strip_prefix("static/")?;
    let abs = index.statics.get(out)?;
    Some(FileTarget {
        out: out.to_string(),
        fragment: f.fragment.clone(),
        size: size(abs),
        copy: None,
    })
}

/// A link from the site's root (`/about/`) is reported with the relative path that works
/// under any subpath, where the page or static file it names exists.
fn root_link_problems(
    dir: &str,
    p: &ParsedPage,
    pages: &[Page],
    cx: &Context<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    for r in &p.md.root_links {
        let (path, fragment) = r
            .path
            .split_once('#')
            .map_or((r.path.as_str(), None), |(a, b)| (a, Some(b)));
        let folder = path.trim_start_matches('/').trim_end_matches("index.html");
        let folder = if folder.is_empty() || folder.ends_with('/') {
            folder.to_string()
        } else {
            format!("{folder}/")
        };
        let fixed = match pages.iter().position(|q| q.path == folder) {
            Some(page) => Some(relative_to(dir, &pages[page].parsed.rel)),
            None if cx.file_index.statics.contains_key(path.trim_start_matches('/')) => Some(relative_to(
                format!("content/{dir}").trim_end_matches('/'),
                &format!("static{path}"),
            )),
            None => None,
        }
        .map(|f| match fragment {
            Some(frag) => format!("{f}#{frag}"),
            None => f,
        });
        diags.push(Diagnostic::at(
            Kind::RootLink {
                target: r.path.clone(),
                fixed,
            },
            r.file,
            r.span.clone(),
        ));
    }
}

fn page_links(i: usize, pages: &[Page], cx: &Context<'_>) -> PageLinks {
    let by_rel = ByRel(pages);
    let (bib, suggest) = (cx.bib, &cx.suggest);
    let p = &pages[i].parsed;
    let mut out = PageLinks {
        files: Vec::with_capacity(p.md.files.len()),
        targets: Vec::with_capacity(p.md.links.len()),
        diags: Vec::new(),
        backlinks: Vec::new(),
    };
    let has_id = |page: usize, id: &str| pages[page].parsed.has_id(id);
    let dir = dir_of(&p.rel);
    for link in &p.md.links {
        let target = if link.path.is_empty() {
            Some(PageId(i))
        } else {
            join(dir, &percent_decode(&link.path)).and_then(|t| by_rel.get(&t))
        };
        let Some(t) = target else {
            // Compared by their paths under content/, then written relative to this page.
            let wanted = join(dir, &percent_decode(&link.path)).unwrap_or_else(|| link.path.clone());
            if let Some(e) = cx.elsewhere {
                if let Some(folder) = e.pages.get(&wanted) {
                    let fragment = link.fragment.clone().filter(|f| !f.is_empty());
                    out.targets.push(LinkTarget {
                        page: PageId(i),
                        fragment: None,
                        away: Some((folder.clone(), fragment, e.language.clone())),
                    });
                    continue;
                }
            }
            let kind = if cx.drafts.contains(wanted.as_str()) {
                Kind::DraftLink {
                    target: link.path.clone(),
                }
            } else if wanted.split('/').any(crate::project::load::is_ignored_name) {
                Kind::HiddenLink {
                    target: link.path.clone(),
                }
            } else {
                // A page that moved keeps its old path as an alias; a heading id names its page
                // well; else the closest path.
                let by_alias = cx.alias_owner(pages, &wanted);
                let by_heading = link
                    .fragment
                    .as_deref()
                    .filter(|f| !f.is_empty())
                    .and_then(|f| cx.heading_owner(pages, f));
                let best = by_alias
                    .or(by_heading)
                    .map(|q| pages[q].parsed.rel.to_string())
                    .or_else(|| suggest.pages.suggest(&wanted));
                Kind::BrokenLink {
                    target: link.path.clone(),
                    // A suggestion that is what was written says nothing.
                    suggestion: best
                        .map(|best| relative_to(dir, &best))
                        .filter(|s| *s != link.path),
                }
            };
            out.diags.push(Diagnostic::at(kind, link.file, link.span.clone()));
            out.targets.push(LinkTarget {
                page: PageId(i),
                fragment: None,
                away: None,
            });
            continue;
        };
        if let Some(f) = &link.fragment {
            if !f.is_empty() && !has_id(t.0, f) {
                out.diags.push(Diagnostic::at(
                    Kind::BrokenAnchor {
                        target: link.path.clone(),
                        anchor: f.clone(),
                        hint: {
                            let ids = &pages[t.0].parsed.md.headings;
                            match did_you_mean(f, ids.iter().map(|h| h.id.as_str())) {
                                Some(s) => AnchorHint::Closest(s),
                                None if f.ends_with(".md") => AnchorHint::Page(f.clone()),
                                None if !ids.is_empty() && ids.len() <= FEW_IDS => AnchorHint::Ids(
                                    ids.iter()
                                        .map(|h| format!("#{}", h.id))
                                        .collect::<Vec<_>>()
                                        .join(", "),
                                ),
                                None => AnchorHint::None,
                            }
                        },
                    },
                    link.file,
                    link.span.clone(),
                ));
            }
        }
        out.targets.push(LinkTarget {
            page: t,
            fragment: link.fragment.clone().filter(|f| !f.is_empty()),
            away: None,
        });
        if t.0 != i {
            out.backlinks.push((t, backlink_heading(p, link)));
        }
    }
    for f in &p.md.files {
        match file_target(dir, f, cx) {
            Some(t) => out.files.push(t),
            None => {
                let wanted = join(dir, &percent_decode(&f.path)).unwrap_or_else(|| f.path.clone());
                let kind = if wanted == SOURCES_FILE {
                    Kind::NoSourcesPage
                } else {
                    Kind::MissingFileLink {
                        target: f.path.clone(),
                        suggestion: suggest.files.suggest(&wanted).map(|best| relative_to(dir, &best)),
                    }
                };
                out.diags.push(Diagnostic::at(kind, f.file, f.span.clone()));
                out.files.push(FileTarget::default());
            }
        }
    }
    root_link_problems(dir, p, pages, cx, &mut out.diags);
    // Every use of a key that is no source is reported where it is.
    let unknown: Vec<&str> =
        p.md.cites()
            .filter(|c| !bib.contains(c.key) && !bib.unread_keys.iter().any(|k| k == c.key))
            .map(|c| c.key)
            .collect();
    for c in p.md.cites().filter(|c| unknown.contains(&c.key)) {
        out.diags.push(Diagnostic::at(
            Kind::UnknownCitation {
                key: c.key.to_string(),
                suggestion: suggest.keys.suggest(c.key),
            },
            c.file,
            c.span.clone(),
        ));
    }
    out
}

/// Makes the site graph of the parsed pages: output paths (and their collisions), the section
/// tree, the reading order, every link's target and the backlinks. Each page's fields are filled
/// in place, step by step. None when the site has no home page.
pub(crate) fn resolve(
    mut parsed: Vec<Arc<ParsedPage>>,
    include_drafts: bool,
    bib: &Bibliography,
    files: &Files,
    file_index: &FileIndex,
    addressing: crate::graph::Addressing<'_>,
    diags: &mut Diagnostics,
) -> Option<SiteGraph> {
    let crate::graph::Addressing {
        index_file,
        elsewhere,
    } = addressing;
    let mut drafts = std::collections::HashSet::new();
    if !include_drafts {
        drafts.extend(parsed.iter().filter(|p| p.meta.draft).map(|p| p.rel.clone()));
        parsed.retain(|p| !p.meta.draft);
    }
    parsed.sort_by(|a, b| a.rel.cmp(&b.rel));
    let mut pages: Vec<Page> = parsed.into_iter().map(Page::new).collect();
    let Some(home) = ByRel(&pages).get("_index.md") else {
        // (An edition's missing home is said by the edition, with its file's name.)
        let home_failed_to_parse = diags.items().iter().any(|d| {
            d.file.is_some_and(|f| files.path(f) == "content/_index.md")
                || matches!(
                    d.kind,
                    Kind::MissingFile {
                        what: "home page",
                        ..
                    }
                )
        });
        if home_failed_to_parse {
            return None;
        }
        diags.push(Diagnostic::global(Kind::MissingFile {
            what: "home page",
            path: "content/_index.md".into(),
        }));
        return None;
    };

    // Output paths, and collisions between them (aliases included).
    for (i, path) in output_paths(&pages, diags).into_iter().enumerate() {
        pages[i].path = path.into();
    }
    let mut owner: HashMap<String, FileId> = HashMap::with_capacity(pages.len());
    for page in &pages {
        let p = &page.parsed;
        let mut claim = |path: String, span: std::ops::Range<usize>| {
            if let Some(other) = owner.get(&path) {
                diags.push(Diagnostic::at(
                    Kind::DuplicateUrl {
                        url: format!("/{path}"),
                        other: files.path(*other).to_string(),
                    },
                    p.file,
                    span,
                ));
            } else {
                owner.insert(path, p.file);
            }
        };
        claim(page.path.to_string(), FRONT_MATTER_FENCE);
        for alias in &p.meta.aliases {
            let a = alias.trim_matches('/');
            let a = if a.is_empty() {
                String::new()
            } else {
                format!("{a}/")
            };
            claim(a, FRONT_MATTER_FENCE);
        }
    }

    // Parents: the nearest folder above that has an _index.md; children in weight, date and
    // title order.
    for i in 0..pages.len() {
        let parent = parent_of(&pages, &pages[i].parsed);
        pages[i].parent = parent;
        if let Some(p) = parent {
            pages[p.0].children.push(PageId(i));
        }
    }
    for i in 0..pages.len() {
        let mut children = std::mem::take(&mut pages[i].children);
        children.sort_by_cached_key(|id| sort_key(&pages[id.0].parsed));
        for (k, c) in children.iter().enumerate() {
            pages[c.0].place = k + 1;
        }
        pages[i].children = children;
    }

    // The reading order: the tree, depth first; prev/next along it.
    let mut order = Vec::with_capacity(pages.len());
    let mut stack = vec![home];
    while let Some(id) = stack.pop() {
        order.push(id);
        stack.extend(pages[id.0].children.iter().rev());
    }
    for w in order.windows(2) {
        pages[w[0].0].next = Some(w[1]);
        pages[w[1].0].prev = Some(w[0]);
    }

    // Internal links, anchors and citations: each page on its own (in parallel), then the
    // backlinks gathered in page order.
    let cx = Context {
        aliases: std::sync::OnceLock::new(),
        headings: std::sync::OnceLock::new(),
        bib,
        suggest: Suggestions {
            pages: Suggester::new(pages.iter().map(|p| p.parsed.rel.as_str())),
            keys: Suggester::new(bib.keys().chain(bib.unread_keys.iter().map(String::as_str))),
            files: Suggester::new(file_index.content.keys().map(String::as_str)),
        },
        file_index,
        index_file,
        drafts: &drafts,
        elsewhere,
    };
    let found: Vec<PageLinks> = (0..pages.len())
        .into_par_iter()
        .map(|i| page_links(i, &pages, &cx))
        .collect();
    drop(cx);
    for (i, f) in found.into_iter().enumerate() {
        diags.extend(f.diags);
        pages[i].links = f.targets;
        pages[i].files = f.files;
        for (t, heading) in f.backlinks {
            let b = &mut pages[t.0].backlinks;
            if !b.iter().any(|x| x.from.0 == i && x.heading == heading) {
                b.push(Backlink {
                    from: PageId(i),
                    heading,
                });
            }
        }
    }
    let glossary = DataIndex::of(&pages, &order, |md| (&md.listed, md.terms.iter()));
    let claims = DataIndex::of(&pages, &order, |md| {
        (&md.claims, md.claim_refs.iter().map(|c| &c.id))
    });
    Some(SiteGraph {
        pages,
        home,
        order,
        glossary,
        claims,
        index_file,
    })
}

/// What a backlink says of the link it stands for: the id and title of the heading it sits under.
fn backlink_heading(p: &ParsedPage, link: &crate::page::markdown::LinkRef) -> Option<(String, String)> {
    p.place_of(link)
        .map(|(id, title)| (id.to_string(), title.to_string()))
}

/// The page's parent: the nearest folder above it that has an _index.md (None for home).
fn parent_of(pages: &[Page], p: &ParsedPage) -> Option<PageId> {
    if p.rel == "_index.md" {
        return None;
    }
    let by_rel = ByRel(pages);
    let mut dir = dir_of(&p.rel).to_string();
    if p.is_section {
        dir = dir_of(&dir).to_string();
    }
    loop {
        let idx = if dir.is_empty() {
            "_index.md".to_string()
        } else {
            format!("{dir}/_index.md")
        };
        if let Some(id) = by_rel.get(&idx) {
            return Some(id);
        }
        dir = dir_of(&dir).to_string();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_are_relative_to_the_page_folder() {
        assert_eq!(rel_href("", "a/", None, "index.html"), "a/index.html");
        assert_eq!(rel_href("a/", "b/", Some("x"), "index.html"), "../b/index.html#x");
        assert_eq!(rel_href("a/b/", "", None, "index.html"), "../../index.html");
        assert_eq!(rel_href("a/", "b/", Some("x"), ""), "../b/#x");
        assert_eq!(rel_href("a/b/", "", None, ""), "../../");
        assert_eq!(rel_href("", "", None, ""), "./");
        assert_eq!(rel_href("", "", Some("x"), ""), "./#x");
    }

    #[test]
    fn links_join_and_normalise_like_github() {
        assert_eq!(join("a", "../b/_index.md").as_deref(), Some("b/_index.md"));
        assert_eq!(join("", "./x.md").as_deref(), Some("x.md"));
        assert_eq!(join("", "../x.md"), None);
        assert_eq!(relative_to("a", "b/c.md"), "../b/c.md");
        assert_eq!(relative_to("a", "a/c.md"), "c.md");
    }
}
