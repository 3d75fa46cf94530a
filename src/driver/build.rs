//! `kagu build` and `kagu check`: the output folder's check, then one run of the [`Site`]
//! driver.

use std::path::Path;

use crate::project::options::BuildOptions;

use crate::base::diag::{Diagnostic, Files, Kind};
use crate::driver::site::{Destination, Flavour, Progress, Report, Site};
use crate::output::assets;

/// Runs every stage into `dest` ([`Destination::Check`] or [`Destination::Replace`]). A clean
/// build replaces the output folder; a failed one leaves it exactly as it was. Returns the
/// report and the files its diagnostics point into.
/// `progress(done, total)` is called as each output file is made (from several threads).
pub fn build(opts: &BuildOptions, dest: Destination<'_>, progress: &Progress<'_>) -> (Report, Files) {
    if let Destination::Replace(out) | Destination::Live(out) = dest {
        let refused = if opts.minify && !assets::minify::AVAILABLE {
            Some(Diagnostic::global(Kind::MinifyUnavailable))
        } else {
            check_output(&opts.root, out, opts.force)
        };
        if let Some(d) = refused {
            let mut report = Report::default();
            report.diagnostics.push(d);
            return (report, Files::default());
        }
    }
    let started = std::time::Instant::now();
    let mut site = Site::load(opts.clone(), Flavour::Publish);
    site.build(dest, progress);
    if opts.external {
        site.check_external();
    }
    let (mut report, files) = site.finish();
    report.figures.elapsed = started.elapsed();
    (report, files)
}

/// The output folder's check, as a diagnostic: see [`crate::output::folder::check_output_dir`]. The
/// files kagu.toml names (bibliographies, a style file) are read from it as the build will.
fn check_output(root: &Path, out: &Path, force: bool) -> Option<Diagnostic> {
    use crate::output::folder::Refusal;
    let path = out.display().to_string();
    let config = crate::base::files::read_text(&root.join(crate::base::files::CONFIG_FILE))
        .map(|text| crate::project::config::Config::parse_recovering(&text, crate::base::diag::FileId(0)).0)
        .ok();
    let mut read: Vec<&str> = Vec::new();
    if let Some(c) = &config {
        read.extend(c.bibliography.iter().map(String::as_str));
        read.extend(Some(c.citation_style.as_str()).filter(|s| s.ends_with(".csl")));
    }
    let kind = match crate::output::folder::check_output_dir(root, out, &read, force).err()? {
        Refusal::Unsafe(reason) => Kind::UnsafeOutput { path, reason },
        Refusal::Foreign(found) => Kind::ForeignOutput { path, found },
        Refusal::Symlink(target) => Kind::SymlinkOutput { path, target },
    };
    Some(Diagnostic::global(kind))
}
