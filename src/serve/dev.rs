//! The dev server's site: the same stages as `kagu build`, kept in memory between edits, so an
//! edit re-parses only the files that changed and re-renders only the pages it affects. Output
//! goes to a private folder (never `public/`), one file at a time by atomic rename, so the server
//! never serves a half-written page.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::assets::{self, Assets};
use crate::build::BuildOptions;
use crate::cite::{self, Bibliography};
use crate::diag::{Diagnostic, Diagnostics, Kind};
use crate::load::{self, ContentFile, SourceSet, CONTENT_DIR};
use crate::parse::{self, ParsedPage};
use crate::render::{Output, OutputSet, RenderOptions, Renderer};
use crate::resolve::{self, PageId, SiteGraph};
use crate::serve::affected::{affected, is_page_template, same_shape};
use crate::serve::classify::Change;
use crate::theme::{self, Theme};

/// The script tag added to every page the dev server serves.
pub const CLIENT_TAG: &str = "<script src=\"/__kagu/client.js\"></script>\n";

/// What a rebuild did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Files written.
    pub written: usize,
    /// Only stylesheets changed: the browser swaps them without a reload.
    pub css_only: bool,
}

pub struct DevSite {
    opts: BuildOptions,
    set: SourceSet,
    /// Parsed pages by path under content/, with the problems found parsing each.
    parsed: BTreeMap<String, (Option<Arc<ParsedPage>>, Vec<Diagnostic>)>,
    bib: Bibliography,
    bib_diags: Vec<Diagnostic>,
    /// How citations appear (the style's class): pages are parsed for it.
    mode: crate::citeproc::CiteMode,
    theme: Option<Theme>,
    theme_diags: Vec<Diagnostic>,
    assets: Assets,
    load_diags: Vec<Diagnostic>,
    /// The last site that rendered cleanly, and what it wrote.
    graph: Option<SiteGraph>,
    written: HashSet<String>,
    pub out: PathBuf,
    /// The problems of the current sources (empty when the last rebuild was clean).
    pub diagnostics: Diagnostics,
}

fn write_atomic(dir: &Path, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
    let target = crate::output::join_safe(dir, rel)?;
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let tmp = target.with_file_name(format!(
        ".{}.kagu-tmp",
        target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    ));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, &target)
}

impl DevSite {
    /// Loads, parses and writes the whole site into `out`.
    pub fn new(opts: BuildOptions, out: PathBuf) -> DevSite {
        let mut load_diags = Diagnostics::default();
        let set = load::load(&opts.root, &mut load_diags);
        let mut site = DevSite {
            opts,
            set,
            parsed: BTreeMap::new(),
            bib: Bibliography::default(),
            bib_diags: Vec::new(),
            mode: Default::default(),
            theme: None,
            theme_diags: Vec::new(),
            assets: Assets::default(),
            load_diags: load_diags.into_items(),
            graph: None,
            written: HashSet::new(),
            out,
            diagnostics: Diagnostics::default(),
        };
        site.reload_all();
        site
    }

    fn reload_all(&mut self) {
        let mut load_diags = Diagnostics::default();
        self.set = load::load(&self.opts.root, &mut load_diags);
        if let Some(b) = &self.opts.base_url {
            self.set.config.base_url = b.clone();
        }
        self.load_diags = load_diags.into_items();
        // The style is loaded once: its class decides how pages parse, then it formats sources.
        let (style, mode, style_diag) = crate::citeproc::site_style(&self.set);
        self.mode = mode;
        let files = &self.set.files;
        self.parsed = self
            .set
            .content
            .par_iter()
            .map(|c| {
                (
                    c.rel.clone(),
                    Self::parse_result(parse::parse_one(files, c, mode)),
                )
            })
            .collect();
        // load::load has just read the sources files.
        self.load_bibliography(style, style_diag);
        self.reload_theme();
        self.reload_assets();
        self.graph = None;
    }

    fn parse_result((p, d): (ParsedPage, Vec<Diagnostic>)) -> (Option<Arc<ParsedPage>>, Vec<Diagnostic>) {
        (Some(Arc::new(p)), d)
    }

    /// A sources file changed: read them again and format them.
    fn reload_sources(&mut self) {
        for (id, rel) in &self.set.bibliographies {
            if let Ok(text) = std::fs::read_to_string(self.opts.root.join(rel)) {
                self.set.files.replace(*id, text);
            }
        }
        let (style, _, style_diag) = crate::citeproc::site_style(&self.set);
        self.load_bibliography(style, style_diag);
    }

    fn load_bibliography(
        &mut self,
        style: Option<hayagriva::citationberg::IndependentStyle>,
        style_diag: Option<Diagnostic>,
    ) {
        let mut d = Diagnostics::default();
        d.extend(style_diag);
        self.bib = cite::load(
            &self.set.files,
            &self.set.bibliographies,
            style,
            &self.set.config.language,
            &mut d,
        );
        self.bib_diags = d.into_items();
    }

    fn reload_theme(&mut self) {
        match theme::load(&mut self.set.files, &self.set.templates) {
            Ok(t) => {
                self.theme = Some(t);
                self.theme_diags.clear();
            }
            Err(d) => {
                self.theme = None;
                self.theme_diags = d;
            }
        }
    }

    fn reload_assets(&mut self) {
        match assets::prepare(&self.set.static_files, false, false) {
            Ok(a) => self.assets = a,
            Err(e) => self.load_diags.push(Diagnostic::global(Kind::Io {
                path: "static/".into(),
                message: e.to_string(),
            })),
        }
    }

    /// Re-reads the templates and static files (their folders may have gained or lost files).
    fn reload_templates_and_static(&mut self) {
        let mut d = Diagnostics::default();
        let fresh = load::load(&self.opts.root, &mut d);
        for (name, id) in &fresh.templates {
            let text = fresh.files.text(*id).to_string();
            let path = fresh.files.path(*id).to_string();
            let new_id = self.set.files.add(path, text);
            self.set.templates.retain(|(n, _)| n != name);
            self.set.templates.push((name.clone(), new_id));
        }
        let names: HashSet<&String> = fresh.templates.iter().map(|(n, _)| n).collect();
        self.set.templates.retain(|(n, _)| names.contains(n));
        self.set.static_files = fresh.static_files;
        self.set.file_index = fresh.file_index;
    }

    /// Reads and parses one content file again. Only a file that is gone drops its page: one
    /// that cannot be read (permissions, encoding, too many open files) is an error.
    fn reparse(&mut self, rel: &str) {
        let path = self.opts.root.join(CONTENT_DIR).join(rel);
        if matches!(std::fs::symlink_metadata(&path), Err(e) if e.kind() == std::io::ErrorKind::NotFound) {
            self.set.content.retain(|c| c.rel != rel);
            self.parsed.remove(rel);
            return;
        }
        let file = match self.set.content.iter().find(|c| c.rel == rel) {
            Some(c) => {
                self.set.files.release(c.file);
                c.file
            }
            None => {
                let id = self.set.files.add_unread(format!("{CONTENT_DIR}/{rel}"), &path);
                self.set.content.push(ContentFile {
                    file: id,
                    rel: rel.to_string(),
                });
                id
            }
        };
        let c = ContentFile {
            file,
            rel: rel.to_string(),
        };
        let r = Self::parse_result(parse::parse_one(&self.set.files, &c, self.mode));
        self.parsed.insert(rel.to_string(), r);
    }

    /// A folder under content/ (or content/ itself) changed: pages under it that are gone are
    /// dropped, and Markdown files under it that are new are read.
    fn rescan(&mut self, prefix: &str) -> Vec<String> {
        // Files beside the pages may have come or gone too.
        let mut d = Diagnostics::default();
        self.set.file_index = load::file_index(&self.opts.root, &self.set.static_files, &mut d);
        let under = |rel: &str| prefix.is_empty() || rel.starts_with(&format!("{prefix}/"));
        let gone: Vec<String> = self
            .parsed
            .keys()
            .filter(|rel| under(rel) && !self.opts.root.join(CONTENT_DIR).join(rel).exists())
            .cloned()
            .collect();
        let dir = self.opts.root.join(CONTENT_DIR).join(prefix);
        let new: Vec<String> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
            .filter_map(|e| {
                let rel = e.path().strip_prefix(self.opts.root.join(CONTENT_DIR)).ok()?;
                let rel = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                let hidden = rel.split('/').any(crate::load::is_ignored_name);
                (!hidden && !self.parsed.contains_key(&rel)).then_some(rel)
            })
            .collect();
        gone.into_iter().chain(new).collect()
    }

    /// Applies a set of changes and writes what they affect. On errors nothing is written and
    /// [`DevSite::diagnostics`] says why; the last good site stays in place.
    pub fn apply(&mut self, changes: &BTreeSet<Change>) -> Outcome {
        let outcome = self.rebuild(changes);
        // Content is not held in memory: read back the files the diagnostics point into.
        let ids: Vec<_> = self.diagnostics.items().iter().filter_map(|d| d.file).collect();
        self.set.files.restore(ids);
        outcome
    }

    fn rebuild(&mut self, changes: &BTreeSet<Change>) -> Outcome {
        // Fault injection for the dev server's panic test (debug builds only): an edit of a
        // content file whose path holds this text panics, as a bug would.
        #[cfg(debug_assertions)]
        if let Some(needle) = std::env::var_os("KAGU_FAULT_PANIC") {
            let needle = needle.to_string_lossy();
            if changes
                .iter()
                .any(|c| matches!(c, Change::Content(rel) if rel.contains(needle.as_ref())))
            {
                panic!("fault injected for {needle}");
            }
        }
        let mut full = self.graph.is_none();
        let mut changed_pages = BTreeSet::new();
        let mut templates = BTreeSet::new();
        let mut sources = false;
        let mut statics = false;
        for c in changes {
            match c {
                Change::Config => full = true,
                Change::Content(rel) => {
                    changed_pages.insert(rel.clone());
                }
                Change::ContentTree(prefix) => {
                    // Files beside the pages are copied only by a full render.
                    changed_pages.extend(self.rescan(prefix));
                    full = true;
                }
                Change::Sources => sources = true,
                Change::Template(t) => {
                    templates.insert(t.clone());
                }
                Change::Static { .. } => statics = true,
            }
        }
        if changes.contains(&Change::Config) {
            self.reload_all();
        }
        for rel in &changed_pages {
            self.reparse(rel);
        }
        if sources {
            self.reload_sources();
        }
        if !templates.is_empty() || statics {
            self.reload_templates_and_static();
        }
        if !templates.is_empty() {
            self.reload_theme();
        }
        let css_only = statics && changes.iter().all(|c| matches!(c, Change::Static { css: true }));
        if statics {
            self.reload_assets();
        }
        let prose_only = !full && !sources && !statics && templates.is_empty();
        if prose_only {
            if let Some(outcome) = self.rerender_in_place(&changed_pages) {
                return outcome;
            }
        }
        self.render(full, &changed_pages, &templates, sources, statics, css_only)
    }

    /// The fast path for the commonest edit, prose: when no edited page changed anything another
    /// page shows or checks (front matter, links, headings, which sources its notes cite), the last
    /// site graph stays as it is with the new parse swapped in, and only those pages are
    /// rendered. None when the edit needs the full path.
    fn rerender_in_place(&mut self, changed: &BTreeSet<String>) -> Option<Outcome> {
        if changed.is_empty() || self.diagnostics.has_errors() {
            return None;
        }
        let graph = self.graph.as_mut()?;
        let mut swaps = Vec::new();
        for rel in changed {
            let id = graph
                .pages
                .binary_search_by(|p| p.parsed.rel.as_str().cmp(rel))
                .ok()
                .map(PageId)?;
            let (Some(new), diags) = self.parsed.get(rel)? else {
                return None;
            };
            if !diags.is_empty() || !same_shape(&graph.page(id).parsed, new) {
                return None;
            }
            swaps.push((id, new.clone()));
        }
        for (id, new) in &swaps {
            graph.pages[id.0].parsed = new.clone();
        }
        let graph = self.graph.as_ref()?;
        let theme = self.theme.as_ref()?;
        let options = RenderOptions {
            minify: false,
            dev_client: Some(CLIENT_TAG),
        };
        let renderer = Renderer::new(graph, theme, &self.set.config, &self.bib, &self.assets, options);
        let results: Vec<Result<(), Diagnostic>> = swaps
            .par_iter()
            .map(|(id, _)| {
                let path = format!("{}index.html", graph.page(*id).path);
                let bytes = renderer.produce(&Output::Page(*id))?.unwrap_or_default();
                write_atomic(&self.out, &path, &bytes).map_err(|e| {
                    Diagnostic::global(Kind::Io {
                        path,
                        message: e.to_string(),
                    })
                })
            })
            .collect();
        let mut diags = Diagnostics::default();
        diags.extend(self.diagnostics.items().iter().cloned());
        diags.extend(results.into_iter().filter_map(Result::err));
        self.diagnostics = diags;
        Some(Outcome {
            written: swaps.len(),
            css_only: false,
        })
    }

    /// Renders and writes everything (the first build, or after kagu.toml changed).
    pub fn build_all(&mut self) -> Outcome {
        self.graph = None;
        self.apply(&BTreeSet::new())
    }

    fn render(
        &mut self,
        full: bool,
        changed: &BTreeSet<String>,
        templates: &BTreeSet<String>,
        sources: bool,
        statics: bool,
        css_only: bool,
    ) -> Outcome {
        let mut diags = Diagnostics::default();
        let content = self.opts.root.join(CONTENT_DIR);
        if !content.is_dir() {
            // Not "every page was deleted": the folder is missing, and that is the one error.
            diags.push(Diagnostic::global(Kind::MissingFile {
                what: "content folder",
                path: content.display().to_string(),
            }));
            self.diagnostics = diags;
            return Outcome::default();
        }
        diags.extend(self.load_diags.iter().cloned());
        for (_, d) in self.parsed.values() {
            diags.extend(d.iter().cloned());
        }
        diags.extend(self.bib_diags.iter().cloned());
        diags.extend(self.theme_diags.iter().cloned());
        let pages: Vec<Arc<ParsedPage>> = self.parsed.values().filter_map(|(p, _)| p.clone()).collect();

        let graph = resolve::resolve(
            pages,
            self.opts.drafts,
            &self.bib,
            &self.set.files,
            &self.set.file_index,
            &mut diags,
        );
        let (Some(graph), Some(theme)) = (graph, self.theme.as_ref()) else {
            diags.sort(&self.set.files);
            self.diagnostics = diags;
            return Outcome::default();
        };
        let options = RenderOptions {
            minify: false,
            dev_client: Some(CLIENT_TAG),
        };
        let renderer = Renderer::new(&graph, theme, &self.set.config, &self.bib, &self.assets, options);
        diags.extend(renderer.checks());
        if diags.has_errors() {
            diags.sort(&self.set.files);
            self.diagnostics = diags;
            return Outcome::default();
        }
        let everything =
            full || self.graph.is_none() || templates.iter().any(|t| !is_page_template(t, &graph));
        let (pages, sources_page) = match (&self.graph, everything) {
            (Some(old), false) => affected(old, &graph, changed, templates, sources),
            _ => (graph.ids().collect(), true),
        };
        let everything = everything || pages.len() == graph.pages.len();
        // An edited page's front matter (title, date, description, aliases) shows in the feed,
        // the sitemap and the redirects too, and a static file or the sources page may have gone:
        // then every file the site has now is listed (for what to remove), and of those the edit touches the
        // affected pages, the sources page if it changed, the static files if they did, and the
        // redirects and generated files (feed, sitemap, robots.txt, 404 page), which cost little.
        // Otherwise (links, headings, page templates) the site's files are the same ones.
        fn find<'g>(g: &'g SiteGraph, rel: &str) -> Option<&'g crate::parse::frontmatter::FrontMatter> {
            g.pages
                .binary_search_by(|p| p.parsed.rel.as_str().cmp(rel))
                .ok()
                .map(|i| &g.pages[i].parsed.meta)
        }
        let meta_changed = self
            .graph
            .as_ref()
            .is_none_or(|old| changed.iter().any(|rel| find(old, rel) != find(&graph, rel)));
        let whole = everything || statics || sources || meta_changed;
        let mut plan = if whole {
            renderer.plan()
        } else {
            OutputSet::default()
        };
        let now: Option<HashSet<String>> = whole.then(|| plan.files.keys().cloned().collect());
        if !everything && whole {
            let statics_named: HashSet<&str> = self
                .assets
                .files
                .keys()
                .map(String::as_str)
                .chain(self.assets.copies.iter().map(|f| f.rel.as_str()))
                .collect();
            plan.files.retain(|path, output| match output {
                Output::Page(id) => pages.contains(id),
                Output::Sources => sources_page,
                Output::Bytes(_) | Output::Copy(_) if statics_named.contains(path.as_str()) => {
                    statics && (!css_only || path.ends_with(".css"))
                }
                Output::Bytes(_) | Output::Copy(_) | Output::Alias(..) | Output::NotFound => true,
            });
        } else if !whole {
            for &id in &pages {
                plan.files
                    .insert(format!("{}index.html", graph.page(id).path), Output::Page(id));
            }
            if sources_page && !self.bib.sources.is_empty() {
                plan.files.insert(
                    format!("{}index.html", crate::render::SOURCES_PATH),
                    Output::Sources,
                );
            }
        }
        let wanted: Vec<(&String, &Output)> = plan.files.iter().collect();
        let results: Vec<Result<(), Diagnostic>> = wanted
            .par_iter()
            .map(|(path, output)| {
                let io = |e: std::io::Error| {
                    Diagnostic::global(Kind::Io {
                        path: path.to_string(),
                        message: e.to_string(),
                    })
                };
                match (renderer.produce(output)?, output) {
                    (Some(bytes), _) => write_atomic(&self.out, path, &bytes).map_err(io),
                    (None, Output::Copy(from)) => std::fs::read(from)
                        .and_then(|b| write_atomic(&self.out, path, &b))
                        .map_err(io),
                    (None, _) => Ok(()),
                }
            })
            .collect();
        for r in results {
            if let Err(d) = r {
                if !diags
                    .items()
                    .iter()
                    .any(|e| e.file == d.file && e.span == d.span && e.kind == d.kind)
                {
                    diags.push(d);
                }
            }
        }
        let written = wanted.len();
        // Files the site no longer has (a removed page, redirect or static file) are removed.
        if let Some(now) = now {
            for gone in self.written.difference(&now) {
                if let Ok(path) = crate::output::join_safe(&self.out, gone) {
                    let _ = std::fs::remove_file(path);
                }
            }
            self.written = now;
        }
        diags.sort(&self.set.files);
        let ok = !diags.has_errors();
        self.diagnostics = diags;
        drop(renderer);
        drop(plan);
        if ok {
            // Freeing a large site's old graph takes milliseconds: do it off the reload path.
            if let Some(old) = self.graph.replace(graph) {
                std::thread::spawn(move || drop(old));
            }
        }
        Outcome {
            written,
            css_only: css_only && ok,
        }
    }

    pub fn files(&self) -> &crate::files::Files {
        &self.set.files
    }

    pub fn config(&self) -> &crate::config::Config {
        &self.set.config
    }
}
