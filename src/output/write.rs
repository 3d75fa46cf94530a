//! Write stage: each planned file made and written into a staging folder beside the output folder, then swapped
//! in with renames, so a failed or interrupted build never leaves a half-written site.

use std::path::Path;

use rayon::prelude::*;

use std::sync::Mutex;

use crate::base::diag::Diagnostic;
use crate::base::paths::join_safe;
use crate::output::folder::{remove_tree, sibling, write_marker, OutputLock};
use crate::output::render::{Output, OutputSet};

/// Makes the bytes of one planned file; None means "copy it as it is".
pub(crate) type Produce<'a> = dyn Fn(&Output) -> Result<Option<Vec<u8>>, Diagnostic> + Sync + 'a;

pub(crate) enum WriteError {
    /// Nothing was written: the old site is as it was.
    Io(std::io::Error),
    /// The new site is in place, but the old one could not be removed.
    Old(std::io::Error),
    /// Files that could not be made (template errors), deduplicated.
    Produce(Vec<Diagnostic>),
    /// An edition found errors: nothing was swapped in (they are reported already).
    Stopped,
}

/// Makes every planned file in parallel, handing each to `sink`; collects every failure.
pub(crate) fn for_each_output(
    set: &OutputSet,
    produce: &Produce<'_>,
    sink: impl Fn(&str, &Output, Option<Vec<u8>>) -> std::io::Result<()> + Sync,
) -> Result<(), WriteError> {
    let failures = Mutex::new(Vec::<Diagnostic>::new());
    // The pages just edited go first: a reader is waiting for them. Then the sources page and
    // each source's list of citing pages: on a large site one list takes as long as dozens of
    // pages, so they go early rather than last (their paths sort late), where they would leave
    // the other threads idle at the end.
    let mut order: Vec<(&String, &Output)> = set.files.iter().collect();
    order.sort_by_key(|(_, o)| match o {
        Output::Page(id) if set.first.contains(id) => 0,
        Output::Sources(_) => 1,
        _ => 2,
    });
    order
        .par_iter()
        .try_for_each(|&(path, output)| match produce(output) {
            Ok(bytes) => sink(path, output, bytes),
            Err(d) => {
                let mut f = failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                if !f
                    .iter()
                    .any(|e| e.file == d.file && e.span == d.span && e.kind == d.kind)
                {
                    f.push(d);
                }
                Ok(())
            }
        })
        .map_err(WriteError::Io)?;
    let failures = failures
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if failures.is_empty() {
        Ok(())
    } else {
        Err(WriteError::Produce(failures))
    }
}

/// Makes every planned file and writes it into `dir` (a staging folder, or an edition's folder
/// in one).
pub(crate) fn write_files(dir: &Path, set: &OutputSet, produce: &Produce<'_>) -> Result<(), WriteError> {
    std::fs::create_dir_all(dir).map_err(WriteError::Io)?;
    for_each_output(set, produce, |path, output, bytes| {
        let target = join_safe(dir, path)?;
        // Folders are made as their files are written, in parallel: `create_dir_all` copes with
        // another thread making the same folder at the same time.
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        match (bytes, output) {
            (Some(b), _) => std::fs::write(&target, b),
            (None, Output::Copy(from)) => std::fs::copy(from, &target).map(|_| ()),
            (None, _) => Ok(()),
        }
    })
}

/// Replaces `out` with a staging folder that `fill` writes (the site's files, or each edition's
/// in its folder), only once `fill` succeeds. Builds into one folder take turns; the one writing
/// clears what interrupted builds left beside it.
pub(crate) fn replace(
    out: &Path,
    fill: impl FnOnce(&Path) -> Result<(), WriteError>,
) -> Result<(), WriteError> {
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(WriteError::Io)?;
    }
    let lock = OutputLock::acquire(out).map_err(WriteError::Io)?;
    lock.clear_leftovers(out);
    let staging = sibling(out, "staging");
    let old = sibling(out, "old");
    let filled = std::fs::create_dir_all(&staging)
        .and_then(|()| write_marker(&staging))
        .map_err(WriteError::Io)
        .and_then(|()| fill(&staging));
    if let Err(e) = filled {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    let had_old = std::fs::symlink_metadata(out).is_ok();
    if had_old {
        std::fs::rename(out, &old).map_err(WriteError::Io)?;
    }
    if let Err(e) = std::fs::rename(&staging, out) {
        if had_old {
            let _ = std::fs::rename(&old, out);
        }
        let _ = std::fs::remove_dir_all(&staging);
        return Err(WriteError::Io(e));
    }
    if had_old {
        remove_tree(&old).map_err(WriteError::Old)?;
    }
    Ok(())
}
