//! Drives the stages: load, parse, resolve (with the bibliography), render, write.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use crate::assets::{self, Assets};
use crate::cite;
use crate::diag::{Diagnostic, Diagnostics, Files, Kind};
use crate::load;
use crate::parse;
use crate::render::{Output, RenderOptions, Renderer};
use crate::resolve;
use crate::theme;
use crate::write::{self, for_each_output, WriteError};

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Minify HTML, CSS and JS.
    pub minify: bool,
    /// Replace the output folder even when kagu did not make it (never the project itself).
    pub force: bool,
}

/// What a build did: every diagnostic, and figures for the summary line.
pub struct BuildResult {
    pub files: Files,
    pub diagnostics: Diagnostics,
    /// Files made (written, or rendered and dropped by a check); 0 when nothing was written.
    pub written: usize,
    pub pages: usize,
    pub sources: usize,
    pub links: usize,
    pub elapsed: std::time::Duration,
}

/// Told how many output files are done, of how many.
pub type Progress<'a> = dyn Fn(usize, usize) + Sync + 'a;

/// Where a build's output goes.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// Render everything (so template errors are found) and write nothing.
    Check,
    /// Write the site here, replacing what was there only on success.
    Write(&'a Path),
}

/// Runs every stage. With [`Target::Write`], a clean build replaces the output folder; a failed
/// one leaves it exactly as it was.
/// `progress(done, total)` is called as each output file is made (from several threads).
pub fn build(opts: &BuildOptions, target: Target<'_>, progress: &Progress<'_>) -> BuildResult {
    let started = Instant::now();
    let timings = std::env::var_os("KAGU_TIMINGS").is_some();
    let lap = |what: &str| {
        if timings {
            let hwm = std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM")).map(str::to_string))
                .unwrap_or_default();
            eprintln!(
                "{:>8.1} ms  {what:<18} {hwm}",
                started.elapsed().as_secs_f64() * 1000.0
            );
        }
    };
    let mut diags = Diagnostics::default();
    if let Target::Write(out) = target {
        let refused = if opts.minify && !assets::minify::AVAILABLE {
            Some(Diagnostic::global(Kind::MinifyUnavailable))
        } else {
            check_output(&opts.root, out, opts.force)
        };
        if let Some(d) = refused {
            diags.push(d);
            return BuildResult {
                files: Files::default(),
                diagnostics: diags,
                written: 0,
                pages: 0,
                sources: 0,
                links: 0,
                elapsed: started.elapsed(),
            };
        }
    }
    let mut set = load::load(&opts.root, &mut diags);
    if let Some(b) = &opts.base_url {
        set.config.base_url = b.clone();
    }
    lap("load");
    // Sources are formatted while the pages parse: CSL formatting is a few ms a source.
    let (style, mode, style_diag) = crate::citeproc::site_style(&set);
    diags.extend(style_diag);
    let mut bib_diags = Diagnostics::default();
    let ((parsed, parse_diags), bib) = rayon::join(
        || parse::parse_all(&set.files, &set.content, mode),
        || {
            cite::load(
                &set.files,
                &set.bibliographies,
                style,
                &set.config.language,
                &mut bib_diags,
            )
        },
    );
    diags.extend(parse_diags);
    diags.extend(bib_diags.into_items());
    lap("parse and sources");
    let links = parsed.iter().map(|p| p.md.links.len()).sum();
    let graph = resolve::resolve(parsed, opts.drafts, &bib, &set.files, &set.file_index, &mut diags);
    lap("resolve");
    let theme = match theme::load(&mut set.files, &set.templates) {
        Ok(t) => Some(t),
        Err(ds) => {
            diags.extend(ds);
            None
        }
    };
    let mut written = 0;
    let mut pages = 0;
    if let (Some(graph), Some(theme)) = (&graph, &theme) {
        pages = graph.pages.len();
        let assets = match assets::prepare(&set.static_files, opts.minify, true) {
            Ok(a) => a,
            Err(e) => {
                diags.push(Diagnostic::global(Kind::Io {
                    path: "static/".into(),
                    message: e.to_string(),
                }));
                Assets::default()
            }
        };
        let renderer = Renderer::new(
            graph,
            theme,
            &set.config,
            &bib,
            &assets,
            RenderOptions {
                minify: opts.minify,
                dev_client: None,
            },
        );
        diags.extend(renderer.checks());
        // Said only of a site that builds: what its output leaves out.
        if !diags.has_errors() && !set.config.base_url_is_absolute() {
            diags.push(Diagnostic::global(Kind::RelativeBaseUrl {
                url: set.config.base_url.clone(),
            }));
        }
        if !diags.has_errors() {
            lap("theme");
            let plan = renderer.plan();
            let total = plan.files.len();
            let done = AtomicUsize::new(0);
            let produce = |o: &Output| {
                let r = renderer.produce(o);
                progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
                r
            };
            let result = match target {
                Target::Check => for_each_output(&plan, &produce, |_, _, _| Ok(())),
                Target::Write(out) => write::write(out, &plan, &produce).map_err(|e| match e {
                    WriteError::Io(io) => WriteError::Io(std::io::Error::new(
                        io.kind(),
                        format!("writing {}: {io}", out.display()),
                    )),
                    other => other,
                }),
            };
            match result {
                Ok(()) => written = plan.files.len(),
                Err(WriteError::Produce(ds)) => diags.extend(ds),
                Err(WriteError::Old(e)) => {
                    written = plan.files.len();
                    diags.push(Diagnostic::global(Kind::Io {
                        path: match target {
                            Target::Write(out) => out.display().to_string(),
                            Target::Check => String::new(),
                        },
                        message: format!(
                            "the new site was written, but its old copy could not be removed: {e}"
                        ),
                    }));
                }
                Err(WriteError::Io(e)) => diags.push(Diagnostic::global(Kind::Io {
                    path: match target {
                        Target::Write(out) => out.display().to_string(),
                        Target::Check => String::new(),
                    },
                    message: e.to_string(),
                })),
            }
        }
    }
    lap("render and write");
    set.files.restore(diags.items().iter().filter_map(|d| d.file));
    diags.sort(&set.files);
    BuildResult {
        files: set.files,
        diagnostics: diags,
        written,
        pages,
        sources: bib.sources.len(),
        links,
        elapsed: started.elapsed(),
    }
}

/// The output folder's check, as a diagnostic: see [`crate::output::check_output_dir`].
fn check_output(root: &Path, out: &Path, force: bool) -> Option<Diagnostic> {
    use crate::output::Refusal;
    let path = out.display().to_string();
    let kind = match crate::output::check_output_dir(root, out, force).err()? {
        Refusal::Unsafe(reason) => Kind::UnsafeOutput { path, reason },
        Refusal::Foreign(found) => Kind::ForeignOutput { path, found },
        Refusal::Symlink(target) => Kind::SymlinkOutput { path, target },
    };
    Some(Diagnostic::global(kind))
}
