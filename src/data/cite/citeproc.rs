//! Citations as the CSL style prints them: each citation of a page rendered by hayagriva's
//! citation API with its locator, prefix and suffix, at its position on the page (first,
//! subsequent, ibid), numbered where the style numbers, and disambiguated across the site.
//!
//! A page is one document, as a reader meets it: positions start afresh on every page. Each
//! citation is rendered in a small synthetic history that puts every item at its position
//! (and, for numeric styles, at its number), with the entries it could be confused with cited
//! around it (before or after, by bibliography order) so the style's disambiguation sees them.
//! The result depends only on that key, so it is cached: a site citing the same source at the
//! same place renders it once, and each source's first and later citation is rendered with the
//! bibliography (see [`preload`]).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};

use hayagriva::citationberg::taxonomy::Locator;
use hayagriva::citationberg::{IndependentStyle, Locale, LocaleCode, StyleClass};
use hayagriva::{BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, CitePurpose, Entry};
use hayagriva::{LocatorPayload, SpecificLocator};

use crate::data::cite_syntax::{split_locator, Citation};

/// How citations appear on a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CiteMode {
    /// A note style (Chicago notes, the default): each citation is a note of its own.
    #[default]
    Notes,
    /// One numbered note per source on a page, every citation of it a marker to that note
    /// (Wikipedia's model; `one_note_per_source = true`).
    NotePerSource,
    /// An author-date or numeric style: the citation is printed in the text and links to the
    /// page's References list.
    InText {
        /// Numbers (`[1]`, IEEE, Vancouver) rather than author and year.
        numeric: bool,
    },
}

impl CiteMode {
    /// What citations become: `one_note_per_source` wins; else the style's class (a note
    /// style when the style could not be loaded, as the default is).
    pub fn of(style: Option<&IndependentStyle>, one_note_per_source: bool) -> CiteMode {
        match style {
            _ if one_note_per_source => CiteMode::NotePerSource,
            Some(s) if s.settings.class == StyleClass::InText => CiteMode::InText {
                numeric: is_numeric(s),
            },
            _ => CiteMode::Notes,
        }
    }

    /// Do citations print in the sentence (author-date and numeric styles)?
    pub fn in_text(self) -> bool {
        matches!(self, CiteMode::InText { .. })
    }
}

/// The site's CSL style (None when it cannot be loaded, with the error) and how its citations
/// appear. Loaded before the pages are parsed: the style's class decides what a citation
/// becomes (a note or text), and loading one takes a millisecond.
pub fn site_style(
    set: &crate::project::load::SourceSet,
) -> (
    Option<IndependentStyle>,
    CiteMode,
    Option<crate::base::diag::Diagnostic>,
) {
    let c = &set.config;
    let (style, error) =
        match crate::data::cite::style(&c.citation_style, &set.root, set.config_file, &set.files) {
            Ok(style) => (Some(style), None),
            Err(d) => (None, Some(d)),
        };
    let mode = CiteMode::of(style.as_ref(), c.one_note_per_source);
    (style, mode, error)
}

/// The style numbers its citations (IEEE, Vancouver): its citation names a citation number.
pub(crate) fn is_numeric(style: &IndependentStyle) -> bool {
    use hayagriva::citationberg::{CitationFormat, StyleCategory};
    style.info.category.iter().any(|c| {
        matches!(
            c,
            StyleCategory::CitationFormat {
                format: CitationFormat::Numeric
            }
        )
    })
}

/// The citations worth rendering with the bibliography, in one pass, for a style whose
/// citations do not depend on a page's numbering: each source alone and with no locator, at a
/// first and a later position, which is most of what pages cite. One pass costs a
/// hayagriva render per citation, where a history per citation costs a driver each. Sources
/// are cited first in the order of their first author, year and title, as most bibliographies
/// sort, so year suffixes (2015a, 2015b) follow that order. None for numeric styles, and for a
/// bibliography so large that its first cites cost more than pages would, unless its style adds
/// year suffixes or it has a large group of works one could confuse (then citations rendered
/// one by one would cost more).
pub fn preload(entries: &[Entry], style: &IndependentStyle) -> Option<Vec<Preloaded>> {
    const MOST: usize = 2000;
    // A citation rendered alone is rendered with every entry it could be confused with, so its
    // cost grows with the largest such group: past this size, preloading is the cheaper way
    // (3,000 entries of one author and year took over a minute; preloaded, about a second).
    const MOST_PEERS: usize = 64;
    if is_numeric(style) || entries.len() < 2 {
        return None;
    }
    // A style with year suffixes is always preloaded: its suffixes and initials are right only
    // when each source is cited alone (a bibliography of 2,100 in APA formatted from one
    // citation of them all lost initials and mixed its suffixes).
    if entries.len() > MOST && !style.citation.disambiguate_add_year_suffix {
        let by_title = collides_by_title(style);
        let mut groups: HashMap<String, usize> = HashMap::new();
        for e in entries {
            *groups.entry(confusable_key(e, by_title)).or_default() += 1;
        }
        if groups.values().all(|&n| n <= MOST_PEERS) {
            return None;
        }
    }
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by_cached_key(|&i| cite_order(&entries[i]));
    // Each once, then each again: the second pass is each one's later citation (the one before
    // it is another source). Ibid, rarer, is rendered when a page needs it.
    let mut out: Vec<Preloaded> = order.iter().map(|&e| (e, Position::First)).collect();
    out.extend(order.iter().map(|&e| (e, Position::Subsequent)));
    Some(out)
}

/// Does the style's citation test whether a cite is an ibid (`position="ibid"` or
/// `"ibid-with-locator"`, in its layout or any macro)? Only these tests read hayagriva's ibid
/// state: a style without them prints an ibid exactly as any later citation of the source.
pub(crate) fn tests_ibid(style: &IndependentStyle) -> bool {
    use hayagriva::citationberg::{LayoutRenderingElement as E, NamesChild, TestPosition};
    fn ibid(t: &TestPosition) -> bool {
        matches!(t, TestPosition::Ibid | TestPosition::IbidWithLocator)
    }
    fn any(elements: &[E]) -> bool {
        elements.iter().any(|e| match e {
            E::Group(g) => any(&g.children),
            E::Choose(c) => {
                c.branches()
                    .any(|b| b.position.as_ref().is_some_and(|p| p.iter().any(ibid)) || any(&b.children))
                    || c.otherwise.as_ref().is_some_and(|o| any(&o.children))
            }
            E::Names(n) => n
                .children
                .iter()
                .any(|c| matches!(c, NamesChild::Substitute(s) if any(&s.children))),
            _ => false,
        })
    }
    any(&style.citation.layout.elements) || style.macros.iter().any(|m| any(&m.children))
}

/// A citation of one source rendered with the bibliography: the source and its position.
pub type Preloaded = (usize, Position);

/// Where on its page an item is cited, as CSL's `position` tests it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Position {
    /// The source's first citation on the page.
    First,
    /// A later one, not right after another of it.
    Subsequent,
    /// Right after a citation of the same source, with the same (or no) locator.
    Ibid,
    /// Right after a citation of the same source, with another locator.
    IbidWithLocator,
}

/// One item of a citation, with everything its rendering depends on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ItemKey {
    /// Index into the engine's entries.
    entry: usize,
    locator: Option<String>,
    prefix: Option<String>,
    suppress_author: bool,
    /// `@k` in the sentence: in-text styles print it as prose, "Carter et al. (2009)".
    narrative: bool,
    /// Only the author, for a narrative citation's name before its note (note styles).
    author_only: bool,
    position: Position,
    /// The number a numeric style gives the source on this page.
    number: usize,
}

/// One citation of a page as the style prints it.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The note's text (note styles) or the citation in the sentence (in-text styles).
    pub html: Arc<str>,
    /// A narrative citation's author, for the sentence before its note (note styles).
    pub author: Arc<str>,
}

/// The style, its locales, every source as hayagriva reads it, and the cache.
pub struct Engine {
    style: IndependentStyle,
    /// The style with nothing in its bibliography's layout: what a citation's own driver
    /// finishes with. Its bibliography is never read, and rendering every entry cost about
    /// as much as the citations; its sort is kept, since the citations' numbers follow it.
    unlisted: IndependentStyle,
    /// A style that prints only a title: the history before a citation is cited in it when
    /// nothing else is cited around (see [`Engine::render_items`]).
    bare: Option<IndependentStyle>,
    locales: Vec<Locale>,
    code: Option<LocaleCode>,
    entries: Vec<Entry>,
    index: HashMap<String, usize>,
    /// For each entry, the others a reader could confuse it with (same first author or title):
    /// cited around each citation so the style's disambiguation (2015a, given names) sees them.
    peers: Vec<Vec<usize>>,
    numeric: bool,
    /// Each entry's place in the style's bibliography order: year suffixes (2015a, 2015b)
    /// follow it, so peers that come first there are cited first.
    rank: Vec<usize>,
    /// The locale puts a period or comma that follows a closing quote inside it (en-US).
    punctuation_in_quote: bool,
    /// The style's citation tests for ibid ([`tests_ibid`]); else an ibid is rendered (and
    /// cached) as the later citation it then prints the same as.
    tests_ibid: bool,
    /// The citations rendered with the bibliography ([`preload`]): most of a site's, read by
    /// every page in parallel without a lock.
    preloaded: Cache,
    /// The others, read by every page in parallel, written only on a miss: a lock readers share.
    cache: RwLock<Cache>,
}

/// Rendered citations by their items. Its keys come from the site being built (entries, and
/// locators as its writers wrote them), whose writers gain nothing by choosing collisions: a
/// fast hash that is not keyed against them does.
type Cache = HashMap<Vec<ItemKey>, Arc<str>, rustc_hash::FxBuildHasher>;

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("entries", &self.entries.len())
            .finish()
    }
}

/// The order sources are first cited in when the bibliography is formatted: by first author,
/// year and title, as most bibliographies sort, so that year suffixes (2015a, 2015b) follow it.
fn cite_order(e: &Entry) -> (String, Option<i32>, Option<String>) {
    (
        confusable_by(e),
        e.date().map(|d| d.year),
        e.title().map(|t| t.to_string().to_lowercase()),
    )
}

/// Roughly where a bibliography sorted by author, then title, puts an entry: its first
/// author's (or editor's, else its title's) name, then its title, in lower case.
pub(crate) fn sort_hint(e: &Entry) -> (String, String) {
    let title = e.title().map(|t| t.to_string().to_lowercase());
    (confusable_by(e), title.unwrap_or_default())
}

/// What a reader would confuse an entry by: its first author's (or editor's) family name, else
/// its title.
fn confusable_by(e: &Entry) -> String {
    let person = e
        .authors()
        .or_else(|| e.editors())
        .and_then(|p| p.first())
        .map(|p| p.name.to_lowercase());
    person
        .or_else(|| e.title().map(|t| t.to_string().to_lowercase()))
        .unwrap_or_default()
}

/// Does the style tell entries apart only where their cites print the same, and can two works
/// of one author print the same only when their short titles do? So in a note style that
/// disambiguates by cite (Chicago, MLA) without year suffixes: "Doe, *Report*" collides only
/// with Doe's other *Report*. (Where names are disambiguated site-wide, as APA's
/// `primary-name-with-initials`, every work of a family name counts.)
fn collides_by_title(style: &IndependentStyle) -> bool {
    use hayagriva::citationberg::DisambiguationRule;
    style.settings.class == StyleClass::Note
        && style.citation.givenname_disambiguation_rule == DisambiguationRule::ByCite
        && !style.citation.disambiguate_add_year_suffix
}

/// [`confusable_by`], with the short title too when cites collide only by title
/// ([`collides_by_title`]): the entries a citation is rendered with.
fn confusable_key(e: &Entry, by_title: bool) -> String {
    let mut key = confusable_by(e);
    if by_title {
        let short = e
            .title()
            .map(|t| t.short.as_deref().unwrap_or(&t.value).to_string().to_lowercase());
        key.push('\u{1}');
        key.push_str(&short.unwrap_or_default());
    }
    key
}

impl Engine {
    /// An engine for the site's style: its locales, every source's entry, the bibliography's order
    /// and the citations rendered with it (`preloaded`).
    pub fn new(
        style: IndependentStyle,
        locales: Vec<Locale>,
        code: Option<LocaleCode>,
        entries: Vec<Entry>,
        order: &[usize],
        preloaded: Vec<(Preloaded, String)>,
    ) -> Engine {
        let mut rank = vec![usize::MAX; entries.len()];
        for (r, &i) in order.iter().enumerate() {
            if let Some(slot) = rank.get_mut(i) {
                *slot = r;
            }
        }
        let lang = code.as_ref().map(|c| c.0.as_str()).unwrap_or("en-US");
        let punctuation_in_quote = style
            .locale
            .iter()
            .chain(
                locales
                    .iter()
                    .filter(|l| l.lang.as_ref().is_some_and(|c| c.0 == lang)),
            )
            .find_map(|l| l.style_options.as_ref().and_then(|o| o.punctuation_in_quote))
            .unwrap_or(false);
        let index = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.key().to_string(), i))
            .collect();
        let by_title = collides_by_title(&style);
        let by: Vec<String> = entries.iter().map(|e| confusable_key(e, by_title)).collect();
        let mut groups: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, key) in by.iter().enumerate() {
            groups.entry(key).or_default().push(i);
        }
        let peers = by
            .iter()
            .enumerate()
            .map(|(i, key)| groups[key.as_str()].iter().copied().filter(|&j| j != i).collect())
            .collect();
        let numeric = is_numeric(&style);
        let tests_ibid = tests_ibid(&style);
        let mut unlisted = style.clone();
        if let Some(b) = unlisted.bibliography.as_mut() {
            b.layout.elements.clear();
        }
        let engine = Engine {
            style,
            unlisted,
            bare: crate::data::cite::bare_style(),
            locales,
            code,
            entries,
            index,
            peers,
            numeric,
            rank,
            punctuation_in_quote,
            tests_ibid,
            preloaded: Cache::default(),
            cache: RwLock::default(),
        };
        let preloaded = preloaded
            .into_iter()
            .map(|((entry, position), html)| {
                let key = ItemKey {
                    entry,
                    locator: None,
                    prefix: None,
                    suppress_author: false,
                    narrative: false,
                    author_only: false,
                    position,
                    number: 0,
                };
                (vec![key], engine.finish_html(html, true))
            })
            .collect();
        Engine { preloaded, ..engine }
    }

    /// What every rendered citation gets last: punctuation inside closing quotes where the
    /// locale puts it there; and, a note style's citation being a note of its own (`whole`, not
    /// an author named in the sentence), a capital to open it.
    fn finish_html(&self, html: String, whole: bool) -> Arc<str> {
        let html = if self.punctuation_in_quote {
            html.replace("”.", ".”").replace("”,", ",”")
        } else {
            html
        };
        if whole && self.style.settings.class == StyleClass::Note {
            capitalize_note(&html).into()
        } else {
            html.into()
        }
    }

    /// Every citation of a page (in reading order) as HTML: what the style prints in a note
    /// (note styles, opening with a capital as Pandoc writes notes) or in the text (in-text
    /// styles).
    pub fn render_page(&self, citations: &[&[Citation]]) -> Vec<Rendered> {
        let in_text = self.style.settings.class == StyleClass::InText;
        let mut seen: HashSet<&str> = HashSet::new();
        let mut last: Option<(&str, Option<&str>)> = None;
        let mut numbers: HashMap<&str, usize> = HashMap::new();
        citations
            .iter()
            .map(|items| {
                let Some(entries) = items
                    .iter()
                    .map(|c| self.index.get(&c.key).copied())
                    .collect::<Option<Vec<usize>>>()
                else {
                    // A key that is no source (reported as such): its key, so the text reads.
                    let names: Vec<String> = items.iter().map(|c| escape(&c.key)).collect();
                    return Rendered {
                        html: format!("({})", names.join("; ")).into(),
                        author: Arc::from(""),
                    };
                };
                let keys: Vec<ItemKey> = items
                    .iter()
                    .zip(entries)
                    .map(|(c, entry)| {
                        let locator = c.locator.as_deref();
                        let position = match last {
                            _ if seen.insert(&c.key) => Position::First,
                            Some((k, loc)) if k == c.key => {
                                if loc == locator {
                                    Position::Ibid
                                } else if locator.is_none() {
                                    Position::Subsequent
                                } else {
                                    Position::IbidWithLocator
                                }
                            }
                            _ => Position::Subsequent,
                        };
                        last = Some((&c.key, locator));
                        // Not testing for ibid, the style prints one as any later citation: so it
                        // shares that citation's cache entry (the bibliography's run renders
                        // each source's) instead of a driver of its own (about 1.4 ms with 50
                        // sources, all cited around it as peers).
                        let position = match position {
                            Position::Ibid | Position::IbidWithLocator if !self.tests_ibid => {
                                Position::Subsequent
                            }
                            p => p,
                        };
                        let next = numbers.len() + 1;
                        ItemKey {
                            entry,
                            locator: c.locator.clone(),
                            prefix: c.prefix.clone(),
                            // A numeric style's narrative citation is its number, as in Pandoc.
                            narrative: c.narrative && in_text && !self.numeric,
                            // In a note, a narrative citation leaves out the author: it is in
                            // the sentence.
                            suppress_author: c.suppress_author || c.narrative && !in_text,
                            author_only: false,
                            position,
                            // Only a numeric style's output depends on the number: any other's is
                            // cached across pages whatever the order sources are first cited in.
                            number: if self.numeric {
                                *numbers.entry(c.key.as_str()).or_insert(next)
                            } else {
                                0
                            },
                        }
                    })
                    .collect();
                // A note style names a narrative citation's author in the sentence, in the form
                // its position asks for (full names first, the short form after).
                let author = match keys.first() {
                    Some(k) if !in_text && items.first().is_some_and(|c| c.narrative) => {
                        self.cached(vec![ItemKey {
                            author_only: true,
                            suppress_author: false,
                            locator: None,
                            ..k.clone()
                        }])
                    }
                    _ => Arc::from(""),
                };
                Rendered {
                    html: self.cached(keys),
                    author,
                }
            })
            .collect()
    }

    fn cached(&self, keys: Vec<ItemKey>) -> Arc<str> {
        if let Some(hit) = self.preloaded.get(&keys) {
            return hit.clone();
        }
        if let Some(hit) = self.cache.read().ok().and_then(|c| c.get(&keys).cloned()) {
            return hit;
        }
        let whole = !keys.iter().any(|k| k.author_only);
        let html = self.finish_html(self.render_citation(&keys), whole);
        if let Ok(mut c) = self.cache.write() {
            c.insert(keys, html.clone());
        }
        html
    }

    /// A citation: hayagriva renders it whole (grouping, collapsing, sorting its items) unless
    /// an item has a prefix, a suffix or a suppressed author, which CSL's engine does not take:
    /// then each item is rendered alone, given its affixes, and joined as the style's layout
    /// joins items (as citeproc does, such a citation is not collapsed).
    fn render_citation(&self, keys: &[ItemKey]) -> String {
        let affixed = keys.iter().any(|k| {
            k.prefix.is_some()
                || k.suppress_author
                || k.locator
                    .as_deref()
                    .is_some_and(|l| !split_locator(l).1.is_empty())
        });
        if let Some(k) = keys.iter().find(|k| k.author_only || k.narrative) {
            let purpose = if k.author_only {
                CitePurpose::Author
            } else {
                CitePurpose::Prose
            };
            // A style whose citation is only the author (MLA without a page) leaves empty
            // parentheses after the name in prose: Pandoc prints none.
            let html = self.render_items(keys, Some(purpose));
            return match html.strip_suffix(" ()") {
                Some(name) => name.to_string(),
                None => html,
            };
        }
        if !affixed {
            return self.render_items(keys, None);
        }
        let layout = &self.style.citation.layout;
        let (open, close) = (
            escape(layout.prefix.as_deref().unwrap_or("")),
            escape(layout.suffix.as_deref().unwrap_or("")),
        );
        let delimiter = escape(layout.delimiter.as_deref().unwrap_or("; "));
        let parts: Vec<String> = keys
            .iter()
            .map(|k| {
                let (_, suffix) = k.locator.as_deref().map(split_locator).unwrap_or_default();
                let plain = ItemKey {
                    prefix: None,
                    suppress_author: false,
                    ..k.clone()
                };
                let whole = self.render_items(std::slice::from_ref(&plain), None);
                let mut item = strip_affixes(&whole, &open, &close).to_string();
                if k.suppress_author {
                    let author = self.render_items(std::slice::from_ref(&plain), Some(CitePurpose::Author));
                    if let Some(rest) = item.strip_prefix(author.as_str()).filter(|_| !author.is_empty()) {
                        item = rest.trim_start_matches([',', ' ']).to_string();
                    }
                }
                if let Some(p) = &k.prefix {
                    item = format!("{} {item}", escape(p));
                }
                if !suffix.is_empty() {
                    // A suffix that is words follows the item after a space; punctuation, at once.
                    let sep = if suffix.starts_with([',', ';', '.', ':', ')']) || suffix.starts_with(' ') {
                        ""
                    } else {
                        " "
                    };
                    item = format!("{item}{sep}{}", escape(&suffix));
                }
                item
            })
            .collect();
        format!("{open}{}{close}", parts.join(&delimiter))
    }

    /// Renders `keys` as one citation after a history that sets each item's position and
    /// number, with its peers cited after it.
    fn render_items(&self, keys: &[ItemKey], purpose: Option<CitePurpose>) -> String {
        let entry = |k: &ItemKey| &self.entries[k.entry];
        // Stand-ins: a different entry between two citations of one, or a number's slot.
        let most = keys.iter().map(|k| k.number).max().unwrap_or(1).max(1);
        let dummies: Vec<Entry> = (0..most.max(1))
            .map(|i| {
                let mut e = Entry::new(&format!("\u{1}kagu-{i}"), hayagriva::types::EntryType::Misc);
                e.set_title(hayagriva::types::FormatString::with_value(format!("\u{1}{i}")));
                e
            })
            .collect();
        let locators: Vec<(Option<Locator>, String)> = keys
            .iter()
            .map(|k| match k.locator.as_deref().map(split_locator) {
                Some((Some((label, value)), _)) => (Some(label), self.page_ranges(label, &value)),
                _ => (None, String::new()),
            })
            .collect();
        let locator = |i: usize| {
            locators[i]
                .0
                .map(|label| SpecificLocator(label, LocatorPayload::Str(&locators[i].1)))
        };
        let in_style =
            |items, style| CitationRequest::new(items, style, self.code.clone(), &self.locales, None);
        let request = |items| in_style(items, &self.style);
        let mut driver = BibliographyDriver::new();
        // Those the cited entries could be confused with: the ones before them in the
        // bibliography are cited before everything, the rest after the citation.
        let mine: HashSet<usize> = keys.iter().map(|k| k.entry).collect();
        let first_rank = keys
            .iter()
            .map(|k| k.entry)
            .map(|e| self.rank[e])
            .min()
            .unwrap_or(0);
        let (before, after): (Vec<usize>, Vec<usize>) = keys
            .iter()
            .map(|k| k.entry)
            .flat_map(|e| self.peers[e].iter().copied())
            .filter(|p| !mine.contains(p))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .filter(|_| !self.numeric)
            .partition(|&p| self.rank[p] < first_rank);
        let peers = |list: &[usize]| {
            request(
                list.iter()
                    .map(|&p| CitationItem::with_entry(&self.entries[p]))
                    .collect(),
            )
        };
        // One source cited alone, with nothing around it: its history only sets the position
        // (which entry came last, and with which locator, whatever was printed), and no two
        // entries can be confused, so nothing is disambiguated. The history is then cited in a
        // style that prints a title, not rendered twice in the site's (half an ibid's cost in
        // Chicago). The stand-in's title is no source's.
        let history_style = match &self.bare {
            Some(bare) if keys.len() == 1 && before.is_empty() && after.is_empty() && !self.numeric => bare,
            _ => &self.style,
        };
        let history_cite = |e| in_style(vec![e], history_style);
        let mut history = 0;
        if !before.is_empty() {
            driver.citation(peers(&before));
            history += 1;
        }
        if self.numeric {
            // Numbers follow the order of first citation: every slot up to the highest number
            // is cited first, each item's entry in its own.
            let low = keys.iter().map(|k| k.number).min().unwrap_or(1);
            let slots = (low..=most)
                .map(|n| {
                    let e = keys.iter().find(|k| k.number == n).map_or(&dummies[n - 1], entry);
                    CitationItem::with_entry(e)
                })
                .collect();
            driver = driver.with_citation_number_offset(low - 1);
            driver.citation(request(slots));
            history += 1;
        } else {
            // Items after the first are ibid only of the one before them in this citation:
            // each just needs citing before. The first item's history comes last, right before.
            let order = (1..keys.len()).chain(std::iter::once(0));
            for i in order {
                let k = &keys[i];
                let cite = |loc| history_cite(CitationItem::with_locator(entry(k), loc));
                match k.position {
                    Position::First => continue,
                    _ if i > 0 => driver.citation(cite(None)),
                    Position::Subsequent => {
                        driver.citation(cite(None));
                        driver.citation(history_cite(CitationItem::with_entry(&dummies[0])));
                        history += 1;
                    }
                    Position::Ibid => driver.citation(cite(locator(i))),
                    Position::IbidWithLocator => driver.citation(cite(None)),
                }
                history += 1;
            }
        }
        let items = keys
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let item = CitationItem::with_locator(entry(k), locator(i));
                match purpose {
                    Some(p) => item.kind(p),
                    None => item,
                }
            })
            .collect();
        driver.citation(request(items));
        if !after.is_empty() {
            driver.citation(peers(&after));
        }
        let rendered = driver.finish(BibliographyRequest::new(
            &self.unlisted,
            self.code.clone(),
            &self.locales,
        ));
        let mut html = String::new();
        if let Some(c) = rendered.citations.get(history) {
            crate::data::cite::write_html(&c.citation, &mut html);
        }
        html
    }
}

impl Engine {
    /// A page locator's ranges as the style writes them (`110-112` → `110–12` in Chicago).
    fn page_ranges(&self, label: Locator, value: &str) -> String {
        let Some(format) = self
            .style
            .settings
            .page_range_format
            .filter(|_| label == Locator::Page)
        else {
            return value.to_string();
        };
        value
            .split(',')
            .map(|part| match part.split_once(['-', '–']) {
                Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() => {
                    let mut out = String::new();
                    let lead = &part[..part.len() - part.trim_start().len()];
                    match format.format(&mut out, a, b, None) {
                        Ok(()) => format!("{lead}{out}"),
                        Err(_) => part.to_string(),
                    }
                }
                _ => part.to_string(),
            })
            .collect::<Vec<_>>()
            .join(",")
    }
}

fn escape(s: &str) -> String {
    crate::base::text::html_attr_escape(s)
}

/// `html` without the layout's prefix and suffix around it.
fn strip_affixes<'h>(html: &'h str, open: &str, close: &str) -> &'h str {
    let inner = html.strip_prefix(open).unwrap_or(html);
    inner.strip_suffix(close).unwrap_or(inner)
}

/// A note's text opens with a capital, as Pandoc writes notes (`see` → `See`, `ibid.` →
/// `Ibid.`): the first letter outside a tag.
pub(crate) fn capitalize_note(html: &str) -> String {
    let mut in_tag = false;
    for (i, c) in html.char_indices() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            '&' if !in_tag => return html.to_string(),
            c if !in_tag && c.is_alphabetic() => {
                let upper: String = c.to_uppercase().collect();
                return format!("{}{upper}{}", &html[..i], &html[i + c.len_utf8()..]);
            }
            c if !in_tag && !c.is_whitespace() && !"“‘\"'([".contains(c) => return html.to_string(),
            _ => {}
        }
    }
    html.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_opens_with_a_capital() {
        assert_eq!(capitalize_note("see <i>x</i>"), "See <i>x</i>");
        assert_eq!(capitalize_note("<i>ibid.</i>, 4."), "<i>Ibid.</i>, 4.");
        assert_eq!(capitalize_note("“quoted,” 3."), "“Quoted,” 3.");
        assert_eq!(capitalize_note("12 ways"), "12 ways");
    }

    fn independent(name: &str) -> IndependentStyle {
        match hayagriva::archive::ArchivedStyle::by_name(name).map(hayagriva::archive::ArchivedStyle::get) {
            Some(hayagriva::citationberg::Style::Independent(s)) => s,
            _ => panic!("{name} is no bundled independent style"),
        }
    }

    fn cite(key: &str, locator: Option<&str>) -> Citation {
        Citation {
            key: key.into(),
            prefix: None,
            locator: locator.map(str::to_string),
            suppress_author: false,
            narrative: false,
            anchor: crate::data::cite_syntax::Anchor::note(1, 1),
        }
    }

    fn entries_of(biblatex: &str) -> Vec<Entry> {
        hayagriva::io::from_biblatex_str(biblatex)
            .expect("the test's sources parse")
            .iter()
            .cloned()
            .collect()
    }

    /// Each citation of a page as the engine prints it.
    fn page_html(engine: &Engine, groups: &[&[Citation]]) -> Vec<String> {
        engine
            .render_page(groups)
            .iter()
            .map(|r| r.html.to_string())
            .collect()
    }

    /// An ibid of a style that tests for none is rendered as the later citation it prints the
    /// same as: the page reads exactly as with each ibid rendered after its own citation.
    #[test]
    fn an_ibid_is_printed_as_the_style_prints_it_whether_or_not_it_tests_for_one() {
        let bib = "@book{a, title = {Report}, author = {Doe, Jane}, year = {2020}, publisher = {P}}
@book{b, title = {Other}, author = {Doe, John}, year = {2020}, publisher = {P}}
@book{c, title = {Third}, author = {Roe, Ann}, year = {2019}, publisher = {P}}
";
        let entries = entries_of(bib);
        let page = [
            vec![cite("a", None)],
            vec![cite("a", None)],
            vec![cite("a", Some("p. 3"))],
            vec![cite("a", Some("p. 3"))],
            vec![cite("a", Some("p. 4"))],
            vec![cite("b", None)],
            vec![cite("b", None), cite("c", None)],
            vec![cite("c", Some("p. 2"))],
        ];
        let groups: Vec<&[Citation]> = page.iter().map(Vec::as_slice).collect();
        let mut without = Vec::new();
        for name in [
            "chicago-notes",
            "chicago-shortened-notes",
            "chicago-author-date",
            "ieee",
            "apa",
            "modern-language-association",
        ] {
            let style = independent(name);
            if !tests_ibid(&style) {
                without.push(name);
            }
            let locales = super::super::locale::locales_for("en");
            let mut engine = Engine::new(style, locales, None, entries.clone(), &[0, 1, 2], Vec::new());
            let html = |e: &Engine| page_html(e, &groups);
            let mapped = html(&engine);
            engine.tests_ibid = true;
            engine.cache = RwLock::default();
            assert_eq!(mapped, html(&engine), "{name}");
        }
        // Chicago's three styles test for ibid: theirs are still rendered after their own
        // citation.
        assert_eq!(without, ["ieee", "apa", "modern-language-association"]);
    }

    /// A citation's history cited in a style that prints only a title (when nothing is cited
    /// around it) sets the same positions: each page reads as with its history in the site's style.
    #[test]
    fn a_history_in_a_bare_style_prints_every_citation_as_the_site_style_does() {
        let bib = "@book{a, title = {Report}, author = {Doe, Jane}, year = {2020}, publisher = {P}}
@book{b, title = {Report}, author = {Doe, John}, year = {2020}, publisher = {P}}
@book{c, title = {Third}, author = {Roe, Ann}, year = {2019}, publisher = {P}}
@article{d, title = {Fourth}, author = {Poe, Al}, year = {2018}, journal = {J}}
";
        let entries = entries_of(bib);
        let page = [
            vec![cite("c", None)],
            vec![cite("c", None)],
            vec![cite("c", Some("p. 3"))],
            vec![cite("c", Some("p. 3"))],
            vec![cite("d", None)],
            vec![cite("c", None)],
            vec![cite("d", Some("p. 2"))],
            vec![cite("a", None)],
            vec![cite("a", None)],
            vec![cite("b", Some("p. 9"))],
            vec![cite("a", None)],
        ];
        let groups: Vec<&[Citation]> = page.iter().map(Vec::as_slice).collect();
        for name in [
            "chicago-notes",
            "chicago-shortened-notes",
            "apa",
            "modern-language-association",
        ] {
            let locales = super::super::locale::locales_for("en");
            let mut engine = Engine::new(
                independent(name),
                locales,
                None,
                entries.clone(),
                &[0, 1, 2, 3],
                Vec::new(),
            );
            assert!(engine.bare.is_some());
            let html = |e: &Engine| page_html(e, &groups);
            let bare = html(&engine);
            engine.bare = None;
            engine.cache = RwLock::default();
            let site = html(&engine);
            assert_eq!(bare, site, "{name}");
            // The history is what sets a position: in Chicago's notes a later citation reads
            // otherwise than the first.
            if name == "chicago-notes" {
                assert_ne!(site[0], site[1]);
            }
        }
    }
}
