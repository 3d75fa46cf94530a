//! What the site writes: every output path and who claims it, the clashes between claims,
//! the timeline's and glossary's JSON, and each output's bytes made on demand.

use super::*;
use crate::data::DataKind;
use crate::output::feeds::{self, Listing};

/// The template of the sitemap's index, when the sitemap has parts.
const SITEMAP_INDEX: &str = "sitemap_index.xml";

/// What claims an output path, for reporting two claims on one.
pub(crate) enum Owner {
    Asset,
    Static(String),
    /// A file under content/ that pages link to.
    Content(String),
    Page(crate::base::diag::FileId),
    Generated(&'static str),
}

impl Owner {
    pub(super) fn describe(&self) -> String {
        match self {
            Owner::Asset => "the theme's assets".into(),
            Owner::Static(rel) => rel.clone(),
            Owner::Content(rel) => format!("content/{rel}"),
            Owner::Page(_) => "a page".into(),
            Owner::Generated(what) => (*what).to_string(),
        }
    }
}

/// Two claims on `path`: located at the page when one of them is a page.
pub(super) fn clash(path: &str, first: &Owner, second: &Owner) -> Diagnostic {
    match (first, second) {
        (Owner::Page(file), other) | (other, Owner::Page(file)) => Diagnostic::at(
            Kind::DuplicateUrl {
                url: format!("/{}", path.trim_end_matches("index.html")),
                other: other.describe(),
            },
            *file,
            0..3,
        ),
        _ => Diagnostic::global(Kind::OutputClash {
            path: path.to_string(),
            first: first.describe(),
            second: second.describe(),
        }),
    }
}

impl<'a> Renderer<'a> {
    /// Every file of the site, with what makes it. Cheap: pages are rendered by [`Self::produce`]
    /// while they are written, so the whole site never sits in memory at once. Two claims on one
    /// path are errors found first by [`Self::clashes`]; the one the plan keeps is the site's
    /// `robots.txt` over kagu's.
    pub(crate) fn plan(&self) -> OutputSet {
        let mut out = OutputSet::default();
        for (path, output, _) in self.claims(true) {
            out.files.entry(path).or_insert(output);
        }
        out
    }

    /// Files that two things of the site would write (a page and the sources page, a static
    /// file and a page or a generated file), each reported once; collisions between pages and
    /// aliases are [`crate::graph::resolve`]'s. Pages are looked up by folder, not listed again, so an
    /// edit in the dev server pays only for the few other files.
    pub(crate) fn clashes(&self) -> Vec<Diagnostic> {
        let mut folders: std::collections::HashMap<std::borrow::Cow<'_, str>, crate::base::diag::FileId> =
            std::collections::HashMap::with_capacity(self.graph.pages.len());
        for page in &self.graph.pages {
            folders.insert(page.path.as_str().into(), page.parsed.file);
            for alias in &page.parsed.meta.aliases {
                folders.insert(format!("{}/", alias.trim_matches('/')).into(), page.parsed.file);
            }
        }
        let mut owners: BTreeMap<String, Owner> = BTreeMap::new();
        let mut clashes = Vec::new();
        for (path, _, owner) in self
            .claims(false)
            .into_iter()
            .filter(|c| !matches!(c.2, Owner::Page(_)))
        {
            // A page's folder (or an alias's) on the path of a file: `aliases = ["404.html"]`
            // would make a folder where the 404 page is written.
            let page = path
                .strip_suffix("index.html")
                .and_then(|folder| folders.get(folder))
                .map(|&f| Owner::Page(f));
            if let Some(page) = page {
                clashes.push(clash(&path, &page, &owner));
                continue;
            }
            if let Some(&file) = folders.get(format!("{path}/").as_str()) {
                clashes.push(Diagnostic::at(
                    Kind::FolderOnFile {
                        url: format!("/{path}/"),
                        other: owner.describe(),
                    },
                    file,
                    0..3,
                ));
                continue;
            }
            match owners.get(&path) {
                None => {
                    owners.insert(path, owner);
                }
                // One file linked from several pages.
                Some(Owner::Content(a)) if matches!(&owner, Owner::Content(b) if a == b) => {}
                // The site's robots.txt replaces kagu's (documented in the guide, docs/content/writing.md).
                Some(Owner::Static(_)) if path == "robots.txt" && matches!(owner, Owner::Generated(_)) => {}
                Some(first) => clashes.push(clash(&path, first, &owner)),
            }
        }
        clashes
    }

    /// A data file's JSON.
    pub(super) fn data_json(&self, kind: DataKind) -> String {
        match kind {
            DataKind::Timeline => self.timeline_json(),
            DataKind::Glossary => self.glossary_json(),
            DataKind::Claims => self.claims_json(),
        }
    }

    /// The claims as JSON, for reuse: each with its speaker, date (ISO 8601, as precise as
    /// written), text (Markdown), whether it is quoted, whom it is about, tags, the pages that
    /// show it, and its responses.
    pub(super) fn claims_json(&self) -> String {
        let mut shown: HashMap<&str, Vec<String>> = HashMap::new();
        for id in self.graph.ids() {
            for c in &self.graph.page(id).parsed.md.claims {
                let at = format!("{}#{}", self.graph.url_of(id), c.anchor);
                shown.entry(c.key.as_str()).or_default().push(at);
            }
        }
        let item = |s: &crate::data::claims::Statement| {
            serde_json::json!({
                "id": s.id,
                "by": s.by,
                "date": s.date.map(|d| d.words()),
                "start": s.date.map(|d| d.start.iso()),
                "end": s.date.and_then(|d| d.end).map(|d| d.iso()),
                "text": s.text,
                "quote": s.quote,
            })
        };
        let claims = &self.data.claims;
        let list: Vec<serde_json::Value> = claims
            .claims
            .iter()
            .map(|c| {
                let mut v = item(c);
                v["against"] = serde_json::json!(c.against);
                v["tags"] = serde_json::json!(c.tags);
                v["shown_on"] = serde_json::json!(shown.remove(c.id.as_str()).unwrap_or_default());
                v["responses"] = claims.responses_to(&c.id).map(item).collect();
                v
            })
            .collect();
        serde_json::to_string_pretty(&serde_json::json!({ "claims": list })).unwrap_or_default()
    }

    /// The timeline's events as JSON, for reuse: each with its dates (ISO 8601, as precise as
    /// written), title, description (Markdown), tags and the pages that show it.
    pub(super) fn timeline_json(&self) -> String {
        let mut shown: HashMap<&str, Vec<String>> = HashMap::new();
        for id in self.graph.ids() {
            for e in self.graph.events_of(id) {
                shown.entry(e.key.as_str()).or_default().push(format!(
                    "{}#{}",
                    self.graph.url_of(id),
                    e.anchor
                ));
            }
        }
        let events: Vec<serde_json::Value> = self
            .data
            .timeline
            .events
            .iter()
            .map(|e| {
                serde_json::json!({
                    "id": e.id,
                    "date": e.date.words(),
                    "start": e.date.start.iso(),
                    "end": e.date.end.map(|d| d.iso()),
                    "circa": e.date.circa,
                    "title": e.title,
                    "description": e.description,
                    "tags": e.tags,
                    "shown_on": shown.remove(e.id.as_str()).unwrap_or_default(),
                })
            })
            .collect();
        serde_json::to_string_pretty(&serde_json::json!({ "events": events })).unwrap_or_default()
    }

    /// The glossary's entries as JSON, for reuse: each with its kind, name, aliases, description
    /// (Markdown), where the glossary lists it and the pages that mention it.
    pub(super) fn glossary_json(&self) -> String {
        let entries: Vec<serde_json::Value> = self
            .data
            .glossary
            .entries
            .iter()
            .map(|e| {
                serde_json::json!({
                    "key": e.key,
                    "type": e.kind.schema(),
                    "name": e.name,
                    "aliases": e.aliases,
                    "description": e.description,
                    "listed_on": self.graph.glossary_entry(&e.key).map(|(p, a)| format!("{}#{a}", self.graph.url_of(p))),
                    "mentioned_on": self.graph.mentioning(&e.key).iter().map(|&p| self.graph.url_of(p)).collect::<Vec<_>>(),
                })
            })
            .collect();
        serde_json::to_string_pretty(&serde_json::json!({ "entries": entries })).unwrap_or_default()
    }

    /// The redirect page of each alias of a page: (path, output).
    pub(crate) fn redirects(&self, id: PageId) -> impl Iterator<Item = (String, Output)> + '_ {
        self.graph.meta(id).aliases.iter().map(move |alias| {
            let a = alias.trim_matches('/');
            let path = if a.is_empty() {
                String::new()
            } else {
                format!("{a}/")
            };
            (format!("{path}index.html"), Output::Alias(path, id))
        })
    }

    /// The files that list the site's pages: the sitemap (with an absolute base_url; with its
    /// parts when it has more addresses than one file takes), the Atom feed (when pages are
    /// dated), robots.txt, and the page of updates (when pages have some).
    pub(crate) fn listings(&self) -> impl Iterator<Item = (String, Output, Owner)> + '_ {
        let sitemap = self.config.base_url.is_absolute();
        let parts = if sitemap {
            feeds::sitemap_parts(self.graph, self.config, &self.sitemap_extra())
        } else {
            0
        };
        [
            (sitemap, Listing::Sitemap),
            (self.feed.is_some(), Listing::Feed),
            (self.is_default_edition(), Listing::Robots),
        ]
        .into_iter()
        .filter(|(has, _)| *has)
        .map(|(_, l)| l)
        .chain((1..=parts).filter(move |_| parts > 1).map(Listing::SitemapPart))
        .map(|l| (l.path(), Output::Listing(l), Owner::Generated(l.what())))
        .chain(self.has_updates().then(|| {
            (
                format!("{UPDATES_PATH}index.html"),
                Output::Updates,
                Owner::Generated("the page of updates"),
            )
        }))
    }

    /// The generated pages the sitemap lists after the content's.
    fn sitemap_extra(&self) -> Vec<&'static str> {
        [
            (!self.bib.sources.is_empty()).then_some(SOURCES_PATH),
            self.has_updates().then_some(UPDATES_PATH),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// A machine-read file, rendered by its template.
    fn render_listing(&self, listing: Listing) -> Result<Vec<u8>, Diagnostic> {
        let mut ctx = tera::Context::new();
        let mut template = listing.template();
        let mut size = 256 * self.config.sitemap_limit.get().min(self.graph.pages.len()) + 512;
        match listing {
            Listing::Sitemap | Listing::SitemapPart(_) => {
                let extra = self.sitemap_extra();
                let parts = feeds::sitemap_parts(self.graph, self.config, &extra);
                if listing == Listing::Sitemap && parts > 1 {
                    let base = self.config.base_url.with_slash();
                    let files: Vec<String> = (1..=parts)
                        .map(|n| format!("{base}{}", Listing::SitemapPart(n).path()))
                        .collect();
                    ctx.insert("sitemaps", &files);
                    template = SITEMAP_INDEX;
                    size = 128 * parts + 256;
                } else {
                    let part = match listing {
                        Listing::SitemapPart(n) => n - 1,
                        _ => 0,
                    };
                    let mut urls = feeds::sitemap(self.graph, self.config, &extra, part);
                    for u in &mut urls {
                        u.alternates = self.alternates(&u.path, u.rel.as_deref());
                    }
                    ctx.insert("urls", &urls);
                }
            }
            Listing::Feed => ctx.insert("feed", &self.feed),
            Listing::Robots => {
                ctx.insert("sitemap", &feeds::robots_sitemap(self.config));
                ctx.insert("sitemaps", &self.sitemaps());
                size = 64;
            }
        }
        self.render(template, &ctx, size)
    }

    /// Every claim on an output path, in the order the plan honours them (the first wins).
    /// Without `generate`, pages are left out and the sitemap and feed are left empty.
    pub(super) fn claims(&self, generate: bool) -> Vec<(String, Output, Owner)> {
        let mut out = Vec::new();
        // A generated file's bytes, made only when asked for.
        let made = |make: &dyn Fn() -> Vec<u8>| Output::Bytes(if generate { make() } else { Vec::new() });
        // The theme's assets and the static files are the default edition's, shared by all.
        let shared = self.is_default_edition();
        for (name, bytes) in self.assets.files.iter().filter(|_| shared) {
            out.push((name.clone(), made(&|| bytes.clone()), Owner::Asset));
        }
        for s in self.assets.copies.iter().filter(|_| shared) {
            out.push((
                s.rel.to_string(),
                Output::Copy(s.abs.clone()),
                Owner::Static(format!("static/{}", s.rel)),
            ));
        }
        for id in self.graph.ids() {
            let page = self.graph.page(id);
            let file = page.parsed.file;
            for t in self.graph.files_of(id) {
                if let Some(abs) = &t.copy {
                    out.push((
                        t.out.clone(),
                        Output::Copy(abs.clone()),
                        Owner::Content(t.out.clone()),
                    ));
                }
            }
            if !generate {
                continue;
            }
            out.push((
                format!("{}index.html", page.path),
                Output::Page(id),
                Owner::Page(file),
            ));
            out.extend(
                self.redirects(id)
                    .map(|(path, output)| (path, output, Owner::Page(file))),
            );
        }
        out.extend(self.source_outputs(&|_| true).into_iter().map(|(path, output)| {
            let owner = match output {
                Output::Sources(None) => "the sources page",
                _ => "a source's page of the pages that cite it",
            };
            (path, output, Owner::Generated(owner))
        }));
        out.push((
            "404.html".into(),
            Output::NotFound,
            Owner::Generated("the 404 page"),
        ));
        let (robots, listings): (Vec<_>, Vec<_>) = self
            .listings()
            .partition(|(_, o, _)| matches!(o, Output::Listing(Listing::Robots)));
        out.extend(listings);
        for kind in DataKind::ALL.into_iter().filter(|k| k.has_items(self.data)) {
            let (path, what) = kind.json();
            let data = made(&|| self.data_json(kind).into_bytes());
            out.push((path.into(), data, Owner::Generated(what)));
        }
        out.extend(robots);
        out
    }

    /// The bytes of one planned file (None for a file copied as it is).
    pub(crate) fn produce(&self, output: &Output) -> Result<Option<Vec<u8>>, Diagnostic> {
        let mut html = match output {
            Output::Bytes(b) => return Ok(Some(b.clone())),
            Output::Copy(_) => return Ok(None),
            Output::Page(id) => self.render_page(*id)?,
            Output::Alias(path, id) => self.render_alias(path, *id)?,
            Output::Sources(which) => self.render_sources(*which)?,
            Output::Updates => self.render_updates()?,
            Output::NotFound => self.render_404()?,
            Output::Listing(l) => return self.render_listing(*l).map(Some),
        };
        if let Some(script) = self.options.dev_client {
            let at = html
                .windows(7)
                .rposition(|w| w == b"</body>")
                .unwrap_or(html.len());
            html.splice(at..at, script.bytes());
        }
        Ok(Some(if self.options.minify {
            assets::minify::html(&html)
        } else {
            html
        }))
    }
}
