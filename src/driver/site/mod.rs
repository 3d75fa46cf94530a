//! The one driver of the stages. A [`Site`] owns what the stages made of a project (the loaded
//! files, the parsed pages, the bibliography, the theme, the assets and the last good graph) and
//! offers two operations: [`Site::build`], every output, and [`Site::apply`], only what a set of
//! [`Change`]s affects. `kagu build` and `kagu check` load a site and build it once; `kagu serve`
//! builds it, then applies each batch of edits the watcher reports. Where the bytes go is a
//! [`Destination`]: nowhere (a check), a folder replaced as a whole, or a folder kept up to date
//! file by file. Every run ends in one [`Report`].

mod checks;
mod edit;
mod editions;
mod emit;
mod live_search;
mod plan;

use edit::{Edit, Input, Reload, Scope};
use editions::load_set;
pub(crate) use emit::shut_live_writes;
use emit::{emit, Laps};

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::base::diag::{Diagnostic, Diagnostics, Files, Kind};
use crate::base::markup::Blocks;
use crate::base::paths::ContentPath;
use crate::data::cite::citeproc::{self, CiteMode};
use crate::data::cite::{self, Bibliography};
use crate::data::{DataDiagnostics, DataKind, SiteData};
use crate::graph::resolve::{self, SiteGraph};
use crate::output::assets::{self, Assets};
use crate::output::feeds::Listing;
use crate::output::render::{EditionInfo, Output, OutputSet, RenderOptions, Renderer};
use crate::output::theme::{self, Theme};
use crate::output::write::{self, for_each_output, Staging, WriteError};
use crate::page::{self, ParsedPage};
use crate::project::load::{self, ContentFile, SourceSet, CONTENT_DIR};
use crate::project::options::BuildOptions;

/// The script tag the dev server adds to every page it serves.
pub const CLIENT_TAG: &str = "<script src=\"/__kagu/client.js\"></script>\n";

/// What changed in a project, as the dev server's watcher reports it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// A Markdown file under content/, by its path relative to content/.
    Content(String),
    /// Anything else under content/ (a folder removed or renamed, content/ itself), by its path
    /// relative to content/ ("" for content/): the pages under it are looked up again.
    ContentTree(String),
    /// A sources file: content/sources.toml or a file named in `bibliography`.
    Sources,
    /// One of the site's data files (content/timeline.toml and the like).
    Data(DataKind),
    /// A template of the site or of its theme, by template name.
    Template(String),
    /// A static file; `css` when it is a stylesheet (swapped without a reload).
    Static {
        /// The file is a stylesheet.
        css: bool,
    },
    /// kagu.toml: everything is loaded again.
    Config,
}

/// Who the output is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// A site to publish: asset names carry a content hash, minified when asked.
    Publish,
    /// The dev server's preview: plain asset names (so a stylesheet can be swapped in place) and
    /// the live-reload client in every page.
    Preview,
}

/// Where a run's output goes.
#[derive(Debug, Clone, Copy)]
pub enum Destination<'a> {
    /// Render everything (so template errors are found) and write nothing.
    Check,
    /// Write the whole site into this folder, replacing what was there only on success.
    Replace(&'a Path),
    /// Keep this folder up to date file by file, each file renamed into place (so a server
    /// never serves half a page), and remove the files the site no longer has.
    Live(&'a Path),
    /// Write into this staging folder, which a [`Destination::Replace`] of a site of several
    /// editions swaps in once every edition is written.
    Stage(Staging<'a>),
}

/// Told how many output files are done, of how many (from several threads).
pub type Progress<'a> = dyn Fn(usize, usize) + Sync + 'a;

/// Figures of a run, for the summary line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Figures {
    /// Pages in the site (0 when it could not be resolved).
    pub pages: usize,
    /// Sources in the bibliography.
    pub sources: usize,
    /// Internal links checked.
    pub links: usize,
    /// Files made (written, or rendered and dropped by a check); 0 when nothing was written.
    pub written: usize,
    /// Time taken.
    pub elapsed: Duration,
}

/// What a run of any command did: every diagnostic, and its figures.
#[derive(Debug, Default)]
pub struct Report {
    /// Every problem found, sorted by file and position, root causes first.
    pub diagnostics: Diagnostics,
    /// Counts and time.
    pub figures: Figures,
    /// Only stylesheets changed: a browser can swap them without a reload.
    pub css_only: bool,
    /// `--external`: how many web addresses were checked and how many asked for (the rest came
    /// from the cache), and the sources whose address fails with the pages that cite them.
    pub external: Option<(usize, usize, Vec<String>)>,
}

/// A parsed page and the problems found parsing it.
type Parsed = (Arc<ParsedPage>, Vec<Diagnostic>);

/// A project loaded into memory, and the stages' results for it.
pub struct Site {
    opts: BuildOptions,
    flavour: Flavour,
    set: SourceSet,
    /// Parsed pages by path under content/.
    parsed: BTreeMap<ContentPath, Parsed>,
    bib: Bibliography,
    bib_diags: Vec<Diagnostic>,
    /// How citations appear (the style's class): pages are parsed for it.
    mode: CiteMode,
    /// The timeline's events and the glossary's entries, which pages show.
    data: SiteData,
    data_diags: DataDiagnostics,
    theme: Option<Theme>,
    theme_diags: Vec<Diagnostic>,
    /// The theme's blocks and words, which pages are parsed with (the built-in ones while the
    /// theme cannot be loaded).
    blocks: Arc<Blocks>,
    assets: Assets,
    load_diags: Vec<Diagnostic>,
    /// The graph of the last run that rendered cleanly.
    graph: Option<SiteGraph>,
    /// What a [`Destination::Live`] folder holds, to remove what the site no longer has.
    written: HashSet<String>,
    /// What was edited since the last run that rendered (runs that failed render nothing).
    pending: Edit,
    /// What the checks of the whole site found last time (templates, clashes, uncited sources,
    /// tags, the base URL): an edit that changes nothing they look at keeps them.
    checks: Vec<Diagnostic>,
    report: Report,
    /// This edition's language (None: the default edition, which holds the others).
    language: Option<String>,
    /// The site's editions as the renderer sees them (None for a site of one edition).
    editions: Option<Arc<EditionInfo>>,
    /// The default edition's pages that this one links to without having them.
    elsewhere: Option<crate::graph::Elsewhere>,
    /// The other editions, each a site of its own (held by the default edition).
    others: Vec<Site>,
    /// The dev server's search index, made again as edits pause.
    live_search: live_search::LiveSearch,
}

impl Site {
    /// Loads a project: reads kagu.toml, lists and parses the pages, formats the sources (in
    /// parallel with the pages), reads the templates and prepares the static files.
    /// The other editions load while the default one parses: each formats the sources in its
    /// own language on one thread, which the other's pages keep busy.
    pub fn load(opts: BuildOptions, flavour: Flavour) -> Site {
        let laps = Laps::start();
        let mut site = Site::unparsed(opts, flavour, None, &laps);
        let others = site.other_languages();
        let (opts, flavour) = (site.opts.clone(), site.flavour);
        let ((), others) = rayon::join(
            || site.parse_all(&laps),
            || {
                others
                    .into_par_iter()
                    .map(|l| Site::load_edition(opts.clone(), flavour, Some(l)))
                    .collect()
            },
        );
        site.others = others;
        site
    }

    /// Loads one edition of a project (None: the default one).
    fn load_edition(opts: BuildOptions, flavour: Flavour, language: Option<String>) -> Site {
        let laps = Laps::start();
        let mut site = Site::unparsed(opts, flavour, language, &laps);
        site.parse_all(&laps);
        site
    }

    /// One edition of a project with its files read, before its pages are parsed.
    fn unparsed(opts: BuildOptions, flavour: Flavour, language: Option<String>, laps: &Laps) -> Site {
        let (set, load_diags, editions) = load_set(&opts, language.as_deref());
        laps.lap("load");
        Site {
            opts,
            flavour,
            set,
            parsed: BTreeMap::new(),
            bib: Bibliography::default(),
            bib_diags: Vec::new(),
            mode: CiteMode::default(),
            data: SiteData::default(),
            data_diags: DataDiagnostics::new(),
            theme: None,
            theme_diags: Vec::new(),
            blocks: theme::builtin_blocks(),
            assets: Assets::default(),
            load_diags,
            graph: None,
            written: HashSet::new(),
            checks: Vec::new(),
            pending: Edit::default(),
            report: Report::default(),
            language,
            editions,
            elsewhere: None,
            others: Vec::new(),
            live_search: Default::default(),
        }
    }

    /// The files of the project, which diagnostics point into.
    pub fn files(&self) -> &Files {
        &self.set.files
    }

    /// The last run's report and the files its diagnostics point into, for a caller done with
    /// the site.
    pub fn finish(mut self) -> (Report, Files) {
        let kept = (
            std::mem::take(&mut self.report),
            std::mem::take(&mut self.set.files),
        );
        // Freeing a large site (every page parsed, its graph) takes tens of milliseconds that
        // no one waits for: on a thread of its own, which a process that exits first ends.
        // If no thread can be made, it is freed here.
        let _ = std::thread::Builder::new().spawn(move || drop(self));
        kept
    }

    /// The site's configuration as loaded (with `--base-url` applied).
    pub fn config(&self) -> &crate::project::config::Config {
        &self.set.config
    }

    /// What the last run did.
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// Renders every output into `dest`.
    pub fn build(&mut self, dest: Destination<'_>, progress: &Progress<'_>) -> &Report {
        self.graph = None;
        self.apply(&BTreeSet::new(), dest, progress)
    }

    /// Applies a set of changes to this edition alone (see [`Site::apply`]).
    fn apply_one(
        &mut self,
        changes: &BTreeSet<Change>,
        dest: Destination<'_>,
        progress: &Progress<'_>,
    ) -> &Report {
        let laps = Laps::start();
        let (written, css_only) = self.rebuild(changes, dest, progress, &laps);
        let mut diagnostics = std::mem::take(&mut self.report.diagnostics);
        // Content is not held in memory: read back the files the diagnostics point into.
        let changed = self
            .set
            .files
            .restore(diagnostics.items().iter().filter_map(|d| d.file));
        for id in changed {
            diagnostics.push(Diagnostic::at(
                Kind::ChangedWhileBuilding {
                    path: self.set.files.path(id).to_string(),
                },
                id,
                0..0,
            ));
        }
        diagnostics.sort(&self.set.files);
        let ok = !diagnostics.has_errors();
        self.report = Report {
            figures: Figures {
                pages: self.graph.as_ref().map_or(0, |g| g.pages.len()),
                sources: self.bib.sources.len(),
                links: self
                    .graph
                    .as_ref()
                    .map_or(0, |g| g.ids().map(|id| g.link_count(id)).sum()),
                written,
                elapsed: laps.started.elapsed(),
            },
            diagnostics,
            css_only: css_only && ok,
            external: None,
        };
        &self.report
    }

    fn reload_all(&mut self, laps: &Laps) {
        (self.set, self.load_diags, self.editions) = load_set(&self.opts, self.language.as_deref());
        laps.lap("load");
        self.parse_all(laps);
    }

    /// Parses every page and formats the sources, then reads the templates and static files.
    fn parse_all(&mut self, laps: &Laps) {
        // The style is loaded once: its class decides how pages parse, then it formats sources.
        let (style, mode, style_diag) = citeproc::site_style(&self.set);
        self.mode = mode;
        self.load_data();
        self.reload_theme();
        let set = &self.set;
        let inputs = page::Inputs {
            mode,
            site: &self.data,
            blocks: &self.blocks,
        };
        // Sources are formatted while the pages parse: CSL formatting is a few ms a source.
        let (parsed, (bib, bib_diags)) = rayon::join(
            || {
                set.content
                    .par_iter()
                    .map(|c| (c.rel.clone(), parsed(page::parse_one(&set.files, c, inputs))))
                    .collect()
            },
            || bibliography(set, style, style_diag, &self.blocks),
        );
        self.parsed = parsed;
        self.bib = bib;
        self.bib_diags = bib_diags;
        laps.lap("parse and sources");
        self.reload_assets();
        self.graph = None;
    }

    /// Reads the data files the project has.
    fn load_data(&mut self) {
        self.data.dates = cite::date_format(&self.set.config.language);
        for kind in DataKind::ALL {
            self.load_one(kind, Diagnostics::default());
        }
    }

    /// One data file's content, and its problems after `d` (those found reading its file).
    fn load_one(&mut self, kind: DataKind, mut d: Diagnostics) {
        let file = self.set.data.get(kind.path()).copied().flatten();
        kind.load(&mut self.data, &self.set.files, file, &mut d);
        self.data_diags.insert(kind, d.into_items());
    }

    /// Data files changed (or came, or went): read those again. Returns the pages to parse
    /// again, those each file's [`DataKind::edit`] reaches.
    fn reload_data(&mut self, kinds: &BTreeSet<DataKind>) -> Vec<String> {
        let root = self.opts.root.clone();
        let mut edits = Vec::new();
        // Claims name the glossary's keys: they are checked again with it.
        let with_claims = kinds.contains(&DataKind::Glossary).then_some(DataKind::Claims);
        for kind in kinds.iter().copied().chain(with_claims).collect::<BTreeSet<_>>() {
            let mut d = Diagnostics::default();
            let file = load::read_data(&root, kind.path(), &mut self.set.files, &mut d);
            self.set.data.insert(kind.path(), file);
            let before = kind.take(&mut self.data);
            self.load_one(kind, d);
            edits.push((kind, kind.edit(&before, &self.data)));
        }
        self.parsed
            .iter()
            .filter(|(_, (p, _))| edits.iter().any(|(kind, edit)| p.md.reached_by(*kind, edit)))
            .map(|(rel, _)| rel.to_string())
            .collect()
    }

    /// Is `rel` (from the project root) neither a regular file nor a folder? A link counts as
    /// what it leads to when `follow`.
    fn odd(&self, rel: &str, follow: bool) -> bool {
        let path = self.opts.root.join(rel);
        let meta = if follow {
            std::fs::metadata(path)
        } else {
            std::fs::symlink_metadata(path)
        };
        meta.is_ok_and(|m| crate::base::files::odd_kind(m.file_type()).is_some())
    }

    /// A sources file changed: read them again and format them.
    fn reload_sources(&mut self) {
        for (id, rel) in &self.set.bibliographies {
            if let Ok(text) = crate::base::files::read_text(&self.opts.root.join(rel)) {
                self.set.files.replace(*id, text);
            }
        }
        let (style, _, style_diag) = citeproc::site_style(&self.set);
        (self.bib, self.bib_diags) = bibliography(&self.set, style, style_diag, &self.blocks);
    }

    fn reload_theme(&mut self) {
        match theme::load(
            &mut self.set.files,
            &self.set.templates,
            &self.set.catalogues,
            &self.set.config.language,
        ) {
            Ok(t) => {
                self.theme_diags = t.warnings.clone();
                self.blocks = t.blocks.clone();
                self.theme = Some(t);
            }
            Err(d) => {
                self.theme = None;
                self.theme_diags = d;
                self.blocks = theme::builtin_blocks();
            }
        }
    }

    fn reload_assets(&mut self) {
        let publish = self.flavour == Flavour::Publish;
        match assets::prepare(&self.set.static_files, publish && self.opts.minify, publish) {
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
        let fresh = load::load(&self.opts.root, &DataKind::paths(), &mut d);
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
                    rel: rel.into(),
                });
                id
            }
        };
        let c = ContentFile {
            file,
            rel: rel.into(),
        };
        let inputs = page::Inputs {
            mode: self.mode,
            site: &self.data,
            blocks: &self.blocks,
        };
        let r = parsed(page::parse_one(&self.set.files, &c, inputs));
        self.parsed.insert(rel.into(), r);
    }

    /// A folder under content/ (or content/ itself) changed: pages under it that are gone are
    /// dropped, and Markdown files under it that are new are read.
    fn rescan(&mut self, prefix: &str) -> Vec<String> {
        // Files beside the pages may have come or gone too.
        let mut d = Diagnostics::default();
        self.set.file_index = load::file_index(
            &self.opts.root,
            &DataKind::paths(),
            &self.set.static_files,
            &mut d,
        );
        let under = |rel: &str| prefix.is_empty() || rel.starts_with(&format!("{prefix}/"));
        let gone: Vec<String> = self
            .parsed
            .keys()
            .filter(|rel| under(rel) && !self.opts.root.join(CONTENT_DIR).join(rel).exists())
            .map(ContentPath::to_string)
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
                let hidden = rel.split('/').any(crate::project::load::is_ignored_name);
                (!hidden && !self.parsed.contains_key(rel.as_str())).then_some(rel)
            })
            .collect();
        gone.into_iter().chain(new).collect()
    }

    /// Loads again what `changes` touch, then renders what they affect. Returns the number of
    /// files made and whether only stylesheets changed; the diagnostics go to `self.report`.
    fn rebuild(
        &mut self,
        changes: &BTreeSet<Change>,
        dest: Destination<'_>,
        progress: &Progress<'_>,
        laps: &Laps,
    ) -> (usize, bool) {
        let mut edit = Edit {
            scope: if self.graph.is_none() {
                Scope::Everything
            } else {
                Scope::Affected
            },
            ..Edit::default()
        };
        let mut reload = false;
        for c in changes {
            match c {
                Change::Config => edit.scope = Scope::Everything,
                // A link, a named pipe or a socket saved under content/ is never opened: the
                // project is read again, which skips it with the warning a build gives.
                Change::Content(rel) if self.odd(&format!("{CONTENT_DIR}/{rel}"), false) => {
                    edit.scope = Scope::Everything;
                    reload = true;
                }
                Change::Content(rel) => {
                    edit.pages.insert(rel.clone());
                }
                Change::ContentTree(prefix) => {
                    // Files beside the pages are copied only by a full render.
                    let found = self.rescan(prefix);
                    edit.pages.extend(found);
                    edit.scope = Scope::Everything;
                }
                Change::Sources => {
                    edit.inputs.insert(Input::Sources);
                    // A sources file that is not a regular file is reported as a build does.
                    let named = self.set.config.bibliography.iter().map(String::as_str);
                    reload |= named
                        .chain([load::DEFAULT_SOURCES])
                        .any(|rel| self.odd(rel, true));
                    // …and one that was is read afresh, so its error goes once it is fixed.
                    reload |= self.load_diags.iter().any(|d| {
                        matches!(
                            d.kind,
                            Kind::WrongFileType {
                                what: "bibliography file",
                                ..
                            }
                        )
                    });
                }
                Change::Data(kind) => {
                    edit.inputs.insert(Input::Data(*kind));
                }
                // A block's markup is made where pages are parsed: they are parsed again.
                Change::Template(t) if t.starts_with("blocks/") => {
                    edit.scope = Scope::Everything;
                    reload = true;
                }
                Change::Template(t) => {
                    edit.templates.insert(t.clone());
                }
                Change::Static { .. } => {
                    edit.inputs.insert(Input::Statics);
                }
            }
        }
        if changes.contains(&Change::Config) || reload {
            edit.scope = Scope::Everything;
            self.reload_all(laps);
        }
        let data = edit.data();
        if !data.is_empty() && !changes.contains(&Change::Config) {
            let showing = self.reload_data(&data);
            edit.pages.extend(showing);
        }
        for rel in &edit.pages {
            self.reparse(rel);
        }
        if edit.has(Input::Sources) {
            self.reload_sources();
        }
        let statics = edit.has(Input::Statics);
        if !edit.templates.is_empty() || statics {
            self.reload_templates_and_static();
        }
        if !edit.templates.is_empty() {
            let parsed_with = self.blocks.clone();
            self.reload_theme();
            // The theme came back from an error with other blocks than the pages were parsed
            // with (the built-in ones stood in): every page is parsed again.
            if *parsed_with != *self.blocks {
                edit.scope = Scope::Everything;
                self.parse_all(laps);
            }
        }
        if statics && changes.iter().all(|c| matches!(c, Change::Static { css: true })) {
            edit.reload = Reload::Styles;
        }
        if statics {
            let before: Vec<String> = self.assets.names.keys().cloned().collect();
            self.reload_assets();
            // A stylesheet or script came or went (`static/custom.css`): the templates test
            // `site.assets`, so every page is written again, and the browser reloads it.
            if !self.assets.names.keys().eq(before.iter()) {
                edit.scope = Scope::Everything;
                edit.reload = Reload::Page;
            }
        }
        // What was edited while the site failed to build was never rendered: it counts now.
        edit.merge(std::mem::take(&mut self.pending));
        let prose_only = !edit.everything() && edit.inputs.is_empty() && edit.templates.is_empty();
        if prose_only {
            if let Some(written) = self.rerender_in_place(&edit.pages, dest, progress) {
                return (written, false);
            }
        }
        let written = self.render(&edit, dest, progress, laps);
        let css_only = edit.reload == Reload::Styles;
        if self.report.diagnostics.has_errors() {
            self.pending = edit;
        }
        (written, css_only)
    }

    /// The renderer of `graph`, this site's.
    /// The fast path for the commonest edits, prose, titles and headings: when no edited page
    /// changed how it links, cites or embeds, or its slug, aliases, tags or template, the reading
    /// order stays and every link into it still finds its heading, the last site graph stays as
    /// it is with the new parses swapped in. Then only the edited pages are rendered, and: for
    /// a new title or description the pages that show it (neighbours, parent, children, links
    /// either way), the sources page when the page cites, its redirects, the feed and the
    /// sitemap; for new headings the pages whose "Referenced in" lists name them. None when the
    /// edit needs the full path.
    fn rerender_in_place(
        &mut self,
        changed: &BTreeSet<String>,
        dest: Destination<'_>,
        progress: &Progress<'_>,
    ) -> Option<usize> {
        if changed.is_empty() || self.report.diagnostics.has_errors() {
            return None;
        }
        let graph = self.graph.as_ref()?;
        let mut swaps = Vec::new();
        let mut plan = OutputSet::default();
        let mut listings = false;
        let mut retitled = Vec::new();
        let mut reheaded = Vec::new();
        for rel in changed {
            let id = graph.find(rel)?;
            let (new, diags) = self.parsed.get(rel.as_str())?;
            let old = &graph.page(id).parsed;
            let first_or_last_update = old.meta.updates.is_empty() != new.meta.updates.is_empty();
            if !diags.is_empty()
                || !old.same_links(new)
                || !old.meta.same_place(&new.meta)
                || first_or_last_update
            {
                return None;
            }
            if !old.same_body_shape(new) {
                // Other headings: links into the page must still find theirs.
                if !graph.anchors_hold(id, new) {
                    return None;
                }
                reheaded.push(id);
            }
            plan.first.push(id);
            if old.meta != new.meta {
                listings = true;
                if old.meta.title != new.meta.title || old.meta.description != new.meta.description {
                    for other in crate::graph::affected::showing_title(graph, id)? {
                        plan.files
                            .insert(format!("{}index.html", graph.url_of(other)), Output::Page(other));
                    }
                    if old.meta.title != new.meta.title && !graph.citations_of(id).is_empty() {
                        retitled.push(id);
                    }
                }
            }
            plan.files
                .insert(format!("{}index.html", graph.url_of(id)), Output::Page(id));
            swaps.push((id, new.clone()));
        }
        if !graph.keeps_order(&swaps) {
            return None;
        }
        let graph = self.graph.as_mut()?;
        for (id, new) in swaps {
            graph.replace_parse(id, new);
        }
        for id in reheaded {
            // The pages it links to name the headings its links sit under.
            for t in graph.refresh_backlinks_from(id) {
                plan.files
                    .insert(format!("{}index.html", graph.url_of(t)), Output::Page(t));
            }
        }
        let graph = self.graph.as_ref()?;
        let theme = self.theme.as_ref()?;
        let renderer = self.renderer(graph, theme);
        if listings {
            for &id in &plan.first {
                plan.files.extend(renderer.redirects(id));
            }
            plan.files.extend(
                renderer
                    .listings()
                    .filter(|(_, output, _)| !matches!(output, Output::Listing(Listing::Robots)))
                    .map(|(path, output, _)| (path, output)),
            );
        }
        // Nothing the checks look at changed: their findings stay.
        let mut diags = self.found();
        diags.extend(self.checks.iter().cloned());
        let mut written = emit(&plan, &renderer, dest, progress, &mut diags);
        if !retitled.is_empty() {
            // Once the edited pages are written (a reader is waiting for them): the sources page
            // and the lists of the sources they cite, which show their titles.
            let keys: HashSet<&str> = retitled
                .iter()
                .flat_map(|&id| graph.cites_of(id).map(|c| c.key))
                .collect();
            let mut lists = OutputSet::default();
            lists.files.extend(renderer.source_outputs(&|k| keys.contains(k)));
            written += emit(&lists, &renderer, dest, progress, &mut diags);
        }
        let made = renderer.search_docs.take();
        drop(renderer);
        self.search_live(made, None, dest);
        self.report.diagnostics = diags;
        Some(written)
    }

    /// The problems found loading and parsing the project (not those of the checks that need
    /// the whole site).
    fn found(&self) -> Diagnostics {
        let mut diags = Diagnostics::default();
        diags.extend(self.load_diags.iter().cloned());
        for (_, d) in self.parsed.values() {
            diags.extend(d.iter().cloned());
        }
        diags.extend(self.bib_diags.iter().cloned());
        diags.extend(self.data_diags.values().flatten().cloned());
        diags.extend(self.theme_diags.iter().cloned());
        diags
    }

    /// Resolves the site and renders what `edit` affects (everything for a first or full run).
    /// Returns the number of files made.
    fn render(&mut self, edit: &Edit, dest: Destination<'_>, progress: &Progress<'_>, laps: &Laps) -> usize {
        let mut diags = self.found();
        let content = self.opts.root.join(CONTENT_DIR);
        let said = |d: &Diagnostic| {
            matches!(
                &d.kind,
                Kind::MissingFile {
                    what: "content folder",
                    ..
                } | Kind::Unreadable {
                    what: "content folder",
                    ..
                } | Kind::WrongFileType {
                    what: "content folder",
                    ..
                }
            )
        };
        if !content.is_dir() {
            // No content folder (or it went away while serving). Not "every page was deleted"
            // nor "no home page": the folder is missing, and that is the one error.
            if !self.load_diags.iter().any(said) {
                diags.push(Diagnostic::global(Kind::MissingFile {
                    what: "content folder",
                    path: content.display().to_string(),
                }));
            }
            self.report.diagnostics = diags;
            return 0;
        }
        let pages: Vec<Arc<ParsedPage>> = self.parsed.values().map(|(p, _)| p.clone()).collect();
        let graph = resolve::resolve(
            pages,
            self.opts.drafts,
            &self.bib,
            &self.set.files,
            &self.set.file_index,
            crate::graph::Addressing {
                index_file: if self.set.config.file_links {
                    "index.html"
                } else {
                    ""
                },
                elsewhere: self.elsewhere.as_ref(),
            },
            &mut diags,
        );
        laps.lap("resolve");
        let (Some(graph), Some(theme)) = (graph, self.theme.as_ref()) else {
            self.report.diagnostics = diags;
            return 0;
        };
        let mut renderer = self.renderer(&graph, theme);
        renderer.search_docs.closed = matches!(dest, Destination::Check);
        let mut checks = renderer.checks();
        let builds = !diags.has_errors()
            && !checks
                .iter()
                .any(|d| d.kind.severity() == crate::base::diag::Severity::Error);
        checks.extend(self.config_checks(builds));
        diags.extend(checks.iter().cloned());
        let (written, now) = if diags.has_errors() {
            (None, None)
        } else {
            let plan = self.plan(edit, &graph, &renderer);
            laps.lap("plan");
            let written = emit(&plan.files, &renderer, dest, progress, &mut diags);
            laps.lap("render and write");
            (Some(written), plan.now)
        };
        let made = renderer.search_docs.take();
        drop(renderer);
        if written.is_some() {
            self.search_live(made, Some(&graph), dest);
        }
        self.checks = checks;
        let Some(written) = written else {
            self.report.diagnostics = diags;
            return 0;
        };
        if let (Some(now), Destination::Live(out)) = (now, dest) {
            // Files the site no longer has (a removed page, redirect or static file) are removed.
            for gone in self.written.difference(&now) {
                crate::output::folder::remove_gone(out, gone);
            }
            self.written = now;
        }
        let ok = !diags.has_errors();
        self.report.diagnostics = diags;
        if ok {
            // Freeing a large site's old graph takes milliseconds: do it off the reload path.
            if let Some(old) = self.graph.replace(graph) {
                std::thread::spawn(move || drop(old));
            }
        }
        written
    }
}

fn parsed((p, d): (ParsedPage, Vec<Diagnostic>)) -> Parsed {
    (Arc::new(p), d)
}

/// The site's bibliography in its style, and the problems found reading it.
fn bibliography(
    set: &SourceSet,
    style: Option<hayagriva::citationberg::IndependentStyle>,
    style_diag: Option<Diagnostic>,
    words: &Blocks,
) -> (Bibliography, Vec<Diagnostic>) {
    let mut d = Diagnostics::default();
    d.extend(style_diag);
    let bib = cite::load(
        &set.files,
        &set.bibliographies,
        style,
        &set.config.language,
        words,
        &mut d,
    );
    (bib, d.into_items())
}
