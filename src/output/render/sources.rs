//! The sources page (`sources/`): every source in the style's order with the pages that cite it,
//! at most [`LISTED_PAGES`] of them (each with links to its citing spots) and how many more; a
//! source cited on more pages has a page of its own (`sources/KEY/`) that lists every one, each
//! once, linked at its first citation.
//! So the sources page grows with the sources, not with the citations.

use serde::Serialize;

use super::*;

/// One source on the sources page or on its own page.
#[derive(Serialize)]
struct SourceView<'a> {
    key: &'a str,
    id: String,
    html: &'a str,
    /// The pages that cite it: each page's title, path and citing spots' ids.
    cited_at: Vec<CitedAt<'a>>,
    /// On the sources page, "and N more" when it lists only the first pages.
    more: Option<String>,
    /// Its own page's path from the root, when it has one.
    all: Option<String>,
}

impl<'a> Renderer<'a> {
    /// The sources in the order the sources page lists them: the style's (in file order before
    /// the sources are formatted, a style error); a numeric style numbers sources as the text
    /// first cites them, in reading order across the site (sources no page cites keep the
    /// style's order, after the rest).
    fn sources_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = if self.bib.order.len() == self.bib.sources.len() {
            self.bib.order.clone()
        } else {
            (0..self.bib.sources.len()).collect()
        };
        if self.bib.numbered {
            let mut first: HashMap<&str, usize> = HashMap::new();
            for &id in &self.graph.order {
                for c in self.graph.cites_of(id) {
                    let next = first.len();
                    first.entry(c.key).or_insert(next);
                }
            }
            order.sort_by_key(|&i| {
                first
                    .get(self.bib.sources[i].key.as_str())
                    .copied()
                    .unwrap_or(usize::MAX)
            });
        }
        order
    }

    /// The path of the page of source `i`'s citing pages, when it is cited on more pages than
    /// the sources page lists.
    fn source_page_path(&self, i: usize) -> Option<String> {
        let key = self.bib.sources[i].key.as_str();
        let pages = self.cited_by().get(key).map_or(0, |c| c.pages);
        (pages > LISTED_PAGES).then(|| format!("{SOURCES_PATH}{}/", slug::slugify(key)))
    }

    /// The sources page and the own page of each source whose key `of` takes, by output path.
    pub(crate) fn source_outputs(&self, of: &dyn Fn(&str) -> bool) -> Vec<(String, Output)> {
        if self.bib.sources.is_empty() {
            return Vec::new();
        }
        let mut out = vec![(format!("{SOURCES_PATH}index.html"), Output::Sources(None))];
        let all = 0..self.bib.sources.len();
        out.extend(all.filter(|&i| of(&self.bib.sources[i].key)).filter_map(|i| {
            Some((
                format!("{}index.html", self.source_page_path(i)?),
                Output::Sources(Some(i)),
            ))
        }));
        out
    }

    /// Source `i` as a page lists it, with its first `limit` citing pages.
    fn source_view(&self, i: usize, limit: usize) -> SourceView<'_> {
        let s = &self.bib.sources[i];
        let citing = self.cited_by().get(s.key.as_str());
        let more = citing.map_or(0, |c| c.pages).saturating_sub(limit);
        SourceView {
            key: &s.key,
            id: format!("source-{}", slug::slugify(&s.key)),
            html: &s.html,
            cited_at: citing
                .into_iter()
                .flat_map(Citing::by_page)
                .take(limit)
                .map(|(pid, spots)| {
                    let p = self.graph.page(pid);
                    (p.parsed.meta.title(), p.path.as_str(), Spots(spots))
                })
                .collect(),
            more: (more > 0).then(|| {
                self.theme
                    .blocks
                    .word("and_more")
                    .replace("{n}", &more.to_string())
            }),
            all: self.source_page_path(i),
        }
    }

    /// The sources page (`None`) or source `i`'s page of citing pages.
    pub(super) fn render_sources(&self, which: Option<usize>) -> Result<Vec<u8>, Diagnostic> {
        let (path, sources, template, title) = match which {
            None => {
                let order = self.sources_order();
                self.search_sources(&order);
                let views: Vec<SourceView> =
                    order.iter().map(|&i| self.source_view(i, LISTED_PAGES)).collect();
                (SOURCES_PATH.to_string(), views, "sources.html", "sources_title")
            }
            Some(i) => {
                let path = self.source_page_path(i).unwrap_or_default();
                (
                    path,
                    vec![self.source_view(i, usize::MAX)],
                    "source.html",
                    "cited_in_title",
                )
            }
        };
        let (mut ctx, chrome) = self.base_context(root_prefix(&path), &path, (SOURCES_PATH, true))?;
        // Each citing spot is a link of about 128 bytes.
        let size = chrome
            + sources
                .iter()
                .map(|s| s.html.len() + 512 + 128 * s.cited_at.iter().map(|c| c.2.count() + 1).sum::<usize>())
                .sum::<usize>();
        let most = sources
            .iter()
            .flat_map(|s| &s.cited_at)
            .map(|c| c.2.count())
            .max()
            .unwrap_or(0);
        // Serialized once: `source` is the first of `sources` (a source's own page lists one,
        // whose every citing page would otherwise be serialized twice).
        let sources = tera::Value::from_serializable(&sources);
        let first = sources.as_array().and_then(|s| s.first()).cloned();
        ctx.insert_value("source", first.unwrap_or_else(tera::Value::none));
        ctx.insert_value("sources", sources);
        ctx.insert("numbered", &self.bib.numbered);
        ctx.insert("letters", &(0..most).map(backref_label).collect::<Vec<_>>());
        ctx.insert(
            "seo",
            &self.seo(self.theme.blocks.word(title), "", Some(&path), "website", None),
        );
        self.render(template, &ctx, size)
    }
}
