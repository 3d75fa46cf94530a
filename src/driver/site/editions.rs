//! A site of several editions (see [`crate::project::edition`]): the default edition's [`Site`]
//! holds one [`Site`] per other edition, each loaded from the project's files narrowed to its
//! translations. A run applies the changes to the default edition, then to each other one into
//! its folder, and joins their reports into one. A whole build is written into one staging
//! folder and swapped in only when every edition is written, so a failed edition leaves the
//! last good site as it was.

use super::*;
use crate::graph::resolve::root_prefix;
use crate::graph::Elsewhere;
use crate::project::edition::{self, Editions};

/// The project's files for one edition (None: the default one) with `--base-url` applied, the
/// problems found reading them, and the site's editions (None for a site of one edition).
pub(super) fn load_set(
    opts: &BuildOptions,
    language: Option<&str>,
) -> (SourceSet, Vec<Diagnostic>, Option<Arc<EditionInfo>>) {
    let mut diags = Diagnostics::default();
    let mut set = load::load(&opts.root, &DataKind::paths(), &mut diags);
    if let Some(b) = &opts.base_url {
        set.config.base_url = b.clone().into();
    }
    let problems = edition::problems(&set);
    if !problems.is_empty() {
        // Said once, by the default edition; the site is built as one edition until fixed.
        if language.is_none() {
            diags.extend(problems);
        }
        set.config.languages.clear();
    }
    if set.config.languages.is_empty() {
        // One edition: nothing to narrow, nothing to list.
        return (set, diags.into_items(), None);
    }
    let editions = Editions::of(&set);
    let root_url = set.config.base_url.with_slash();
    let current = language
        .and_then(|l| editions.get(l))
        .unwrap_or(&editions.all[0])
        .clone();
    if !current.prefix.is_empty() {
        let pages = edition::untranslated(&editions, &current);
        if !pages.is_empty() {
            diags.push(Diagnostic::global(Kind::Untranslated {
                language: current.language.clone(),
                pages,
            }));
        }
    }
    edition::narrow(&mut set, &editions, &current, &mut diags);
    if !current.prefix.is_empty() && !set.content.iter().any(|c| c.rel == "_index.md") {
        diags.push(Diagnostic::global(Kind::MissingFile {
            what: "home page",
            path: format!("content/_index.{}.md", current.language),
        }));
    }
    let info = editions.several().then(|| {
        Arc::new(EditionInfo {
            editions,
            current,
            root_url,
        })
    });
    (set, diags.into_items(), info)
}

impl Site {
    /// Applies a set of changes and writes what they affect into `dest`, in every edition. On
    /// errors nothing is written and the report says why; the last good site stays in place.
    pub fn apply(
        &mut self,
        changes: &BTreeSet<Change>,
        dest: Destination<'_>,
        progress: &Progress<'_>,
    ) -> &Report {
        let Destination::Replace(out) = dest else {
            self.apply_all(changes, dest, progress);
            return &self.report;
        };
        if self.editions.is_none() {
            self.apply_one(changes, dest, progress);
            return &self.report;
        }
        let result = write::replace(out, |staging| {
            self.apply_all(changes, Destination::Stage(staging), progress);
            match self.report.diagnostics.has_errors() {
                true => Err(WriteError::Stopped),
                false => Ok(()),
            }
        });
        let io = |message: String| {
            Diagnostic::global(Kind::Io {
                path: out.display().to_string(),
                message,
            })
        };
        match result {
            Ok(()) => {}
            // Nothing was swapped in: the last good site stays.
            Err(WriteError::Stopped | WriteError::Produce(_)) => self.report.figures.written = 0,
            Err(WriteError::Io(e)) => {
                self.report.figures.written = 0;
                self.report.diagnostics.push(io(emit::writing(out, &e)));
            }
            Err(WriteError::Old(e)) => self.report.diagnostics.push(io(emit::old_copy_left(&e))),
        }
        &self.report
    }

    /// What the default edition must do when translations come or go: its pages name them in
    /// their alternates, switcher and sitemap, so it is loaded again (a rare edit: a file made
    /// or removed, not one written). A folder that came or went may hold any.
    fn retranslated(&self, changes: &BTreeSet<Change>) -> Option<Change> {
        let info = self.editions.as_ref()?;
        let came_or_went = changes.iter().any(|c| match c {
            Change::ContentTree(_) => true,
            Change::Content(rel) => info.editions.translation(rel).is_some_and(|(original, e)| {
                let has = self.opts.root.join(CONTENT_DIR).join(rel).is_file();
                has != info.editions.of_page(&original).any(|o| o == e)
            }),
            _ => false,
        });
        came_or_went.then_some(Change::Config)
    }

    /// The languages of the other editions (none for a site of one edition).
    pub(super) fn other_languages(&self) -> Vec<String> {
        self.editions.as_ref().map_or_else(Vec::new, |info| {
            info.editions.all[1..]
                .iter()
                .map(|e| e.language.clone())
                .collect()
        })
    }

    /// The default edition, then each other one into its folder; their reports join this one.
    fn apply_all(&mut self, changes: &BTreeSet<Change>, dest: Destination<'_>, progress: &Progress<'_>) {
        let translations = |c: &Change| match (c, &self.editions) {
            (Change::Content(rel), Some(info)) => info.editions.is_translation(rel),
            _ => false,
        };
        let mut mine: BTreeSet<Change> = changes.iter().filter(|c| !translations(c)).cloned().collect();
        mine.extend(self.retranslated(changes));
        self.apply_one(&mine, dest, progress);
        if changes.contains(&Change::Config) {
            self.redeclare(dest);
        }
        // An edit of the pages or data of any edition may change what another links to or
        // leaves untranslated: an edition is then loaded again (the others are small beside
        // the default one while they are being translated).
        let theirs: BTreeSet<Change> = changes
            .iter()
            .map(|c| match c {
                Change::Content(_) | Change::ContentTree(_) | Change::Data(_) => Change::Config,
                c => c.clone(),
            })
            .collect();
        let mut others = std::mem::take(&mut self.others);
        for site in &mut others {
            let prefix = site
                .editions
                .as_ref()
                .map(|i| i.current.prefix.clone())
                .unwrap_or_default();
            site.elsewhere = Some(self.elsewhere_for(&prefix));
            let (folder, live);
            let sub = match dest {
                Destination::Check => Destination::Check,
                Destination::Live(out) => {
                    folder = out.join(&prefix);
                    Destination::Live(&folder)
                }
                // (A Replace is staged by `apply`.)
                Destination::Replace(out) => {
                    folder = out.join(&prefix);
                    Destination::Replace(&folder)
                }
                Destination::Stage(Staging {
                    dir,
                    live: to,
                    journal,
                }) => {
                    (folder, live) = (dir.join(&prefix), to.join(&prefix));
                    Destination::Stage(Staging {
                        dir: &folder,
                        live: &live,
                        journal,
                    })
                }
            };
            site.apply_one(&theirs, sub, progress);
            self.merge(site);
        }
        self.others = others;
    }

    /// kagu.toml may declare other editions now: those still declared are kept (they load
    /// again), new ones are loaded, and the files a dropped one wrote into a live folder go.
    fn redeclare(&mut self, dest: Destination<'_>) {
        let declared = self.other_languages();
        let mut old = std::mem::take(&mut self.others);
        for site in old
            .iter()
            .filter(|s| !declared.contains(s.language.as_ref().unwrap_or(&String::new())))
        {
            if let (Destination::Live(out), Some(info)) = (dest, &site.editions) {
                let folder = out.join(&info.current.prefix);
                for gone in &site.written {
                    crate::output::folder::remove_gone(&folder, gone);
                }
            }
        }
        for language in declared {
            let kept = old.iter().position(|s| s.language.as_ref() == Some(&language));
            self.others.push(match kept {
                Some(i) => old.swap_remove(i),
                None => Site::load_edition(self.opts.clone(), self.flavour, Some(language)),
            });
        }
    }

    /// The default edition's pages, by path under content/, each with its folder from the root
    /// of the edition under `prefix`.
    fn elsewhere_for(&self, prefix: &str) -> Elsewhere {
        let up = root_prefix(prefix);
        Elsewhere {
            pages: self.graph.as_ref().map_or_else(Default::default, |g| {
                g.pages
                    .iter()
                    .map(|p| (p.parsed.rel.to_string(), format!("{up}{}", p.path)))
                    .collect()
            }),
            language: self.set.config.language.clone(),
        }
    }

    /// Joins an edition's report to this one's: its diagnostics (each said once: the files the
    /// editions share give the same ones) and its figures.
    fn merge(&mut self, other: &Site) {
        let files = &mut self.set.files;
        let mut adopted = Vec::new();
        for d in other.report.diagnostics.items() {
            let mut d = d.clone();
            d.file = d.file.map(|f| files.adopt(&other.set.files, f));
            let file = d.file;
            if self.report.diagnostics.push_once(d) {
                adopted.extend(file);
            }
        }
        files.restore(adopted);
        self.report.diagnostics.sort(files);
        let (mine, theirs) = (&mut self.report.figures, &other.report.figures);
        mine.pages += theirs.pages;
        mine.links += theirs.links;
        mine.written += theirs.written;
        self.report.css_only &= other.report.css_only;
    }
}
