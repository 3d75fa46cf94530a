//! Drives the stages: load, parse, resolve (with the bibliography), render, write.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::cite;
use crate::diag::{Diagnostic, Diagnostics, Files, Kind};
use crate::load;
use crate::parse;
use crate::render::{OutputSet, Renderer};
use crate::resolve;
use crate::theme;

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
}

/// What a build produced: the files it would write (None on errors), every diagnostic, and
/// figures for the summary line.
pub struct BuildResult {
    pub files: Files,
    pub diagnostics: Diagnostics,
    pub output: Option<OutputSet>,
    pub pages: usize,
    pub sources: usize,
    pub links: usize,
    pub elapsed: std::time::Duration,
}

/// Runs every stage up to render. Writes nothing.
pub fn build(opts: &BuildOptions) -> BuildResult {
    let started = Instant::now();
    let mut diags = Diagnostics::default();
    let mut set = load::load(&opts.root, &mut diags);
    if let Some(b) = &opts.base_url {
        set.config.base_url = b.clone();
    }
    let (parsed, parse_diags) = parse::parse_all(&set.files, &set.content);
    diags.extend(parse_diags);
    let bib = cite::load(
        &set.files,
        &set.bibliographies,
        &set.config.citation_style,
        set.config_file,
        &mut diags,
    );
    let links = parsed.iter().map(|p| p.md.links.len()).sum();
    let graph = resolve::resolve(parsed, opts.drafts, &bib, &set.files, &mut diags);
    let theme = match theme::load(&mut set.files, &set.templates) {
        Ok(t) => Some(t),
        Err(ds) => {
            diags.extend(ds);
            None
        }
    };
    let mut output = None;
    let mut pages = 0;
    if let (Some(graph), Some(theme)) = (&graph, &theme) {
        pages = graph.pages.len();
        let renderer = Renderer::new(graph, theme, &set.config, &bib);
        diags.extend(renderer.missing_templates());
        for key in renderer.uncited() {
            if let Some(s) = bib.get(key) {
                diags.push(Diagnostic::at(
                    Kind::UncitedSource { key: key.to_string() },
                    s.file,
                    s.span.clone(),
                ));
            }
        }
        if !diags.has_errors() {
            match renderer.render_all(&set.static_files) {
                Ok(o) => output = Some(o),
                Err(ds) => diags.extend(ds),
            }
        }
    }
    diags.sort(&set.files);
    if diags.has_errors() {
        output = None;
    }
    BuildResult {
        files: set.files,
        diagnostics: diags,
        output,
        pages,
        sources: bib.sources.len(),
        links,
        elapsed: started.elapsed(),
    }
}

/// Builds and, when clean, writes the site to `out`.
pub fn build_to(opts: &BuildOptions, out: &Path) -> BuildResult {
    let mut result = build(opts);
    if let Some(o) = &result.output {
        if let Err(e) = crate::write::write(out, o) {
            result.diagnostics.push(Diagnostic::global(Kind::Io {
                path: out.display().to_string(),
                message: e.to_string(),
            }));
            result.output = None;
        }
    }
    result
}
