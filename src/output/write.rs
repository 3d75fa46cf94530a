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

/// A folder being filled (a staging folder, or an edition's folder in one) and the folder of the
/// live site it will replace, which may not exist yet.
#[derive(Debug, Clone, Copy)]
pub struct Staging<'a> {
    pub dir: &'a Path,
    pub live: &'a Path,
}

/// Makes every planned file and writes it into `to.dir`; a file made exactly as the live site
/// has it is linked to the live one instead ([`link_unchanged`]).
pub(crate) fn write_files(to: Staging<'_>, set: &OutputSet, produce: &Produce<'_>) -> Result<(), WriteError> {
    std::fs::create_dir_all(to.dir).map_err(WriteError::Io)?;
    for_each_output(set, produce, |path, output, bytes| {
        let target = join_safe(to.dir, path)?;
        // Folders are made as their files are written, in parallel: `create_dir_all` copes with
        // another thread making the same folder at the same time.
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        match (bytes, output) {
            (Some(b), _) if link_unchanged(&join_safe(to.live, path)?, &target, &b) => Ok(()),
            (Some(b), _) => std::fs::write(&target, b),
            (None, Output::Copy(from)) => std::fs::copy(from, &target).map(|_| ()),
            (None, _) => Ok(()),
        }
    })
}

/// Links `target` to the live site's file `live` when that holds exactly `bytes`: a file the
/// build did not change keeps its inode and modification time (so a deploy that syncs by size
/// and time skips it), and is neither copied nor freed when the old site goes. The live file
/// must be a regular file of no other links, read in full; after linking, `target` must be that
/// very file. Any doubt, and the caller writes `target` instead (false).
#[cfg(unix)]
fn link_unchanged(live: &Path, target: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
    thread_local! {
        /// The live file's bytes, read into one buffer a thread reuses.
        static OLD: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let opened = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(live);
    let Ok(mut file) = opened else { return false };
    let Ok(meta) = file.metadata() else { return false };
    if !meta.is_file() || meta.nlink() != 1 || meta.len() != bytes.len() as u64 {
        return false;
    }
    let same = OLD.with_borrow_mut(|old| {
        old.clear();
        // One byte past the expected length: a file that grew since is not the same.
        old.reserve(bytes.len() + 1);
        (&mut file).take(bytes.len() as u64 + 1).read_to_end(old).is_ok() && old.as_slice() == bytes
    });
    if !same || std::fs::hard_link(live, target).is_err() {
        return false;
    }
    match std::fs::symlink_metadata(target) {
        Ok(linked) if linked.ino() == meta.ino() && linked.dev() == meta.dev() => true,
        _ => {
            let _ = std::fs::remove_file(target);
            false
        }
    }
}

#[cfg(not(unix))]
fn link_unchanged(_: &Path, _: &Path, _: &[u8]) -> bool {
    false
}

/// Replaces `out` with a staging folder that `fill` writes (the site's files, or each edition's
/// in its folder), only once `fill` succeeds. Builds into one folder take turns; the one writing
/// clears what interrupted builds left beside it.
pub(crate) fn replace(
    out: &Path,
    fill: impl FnOnce(Staging<'_>) -> Result<(), WriteError>,
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
        .and_then(|()| {
            fill(Staging {
                dir: &staging,
                live: out,
            })
        });
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
