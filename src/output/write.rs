//! Write stage: each planned file made and, unless the live site has it byte for byte, written
//! into a staging folder beside the output folder. Only once every file is made does the site
//! change: a small change is renamed into the live folder file by file, a large one swaps in the
//! whole staging folder (the kept files linked into it). A failed build never touches the site,
//! and an interrupted one leaves it whole (a swap) or mixed for at most the moment a few hundred
//! renames take.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::base::diag::Diagnostic;
use crate::base::paths::join_safe;
use crate::output::folder::{
    remove_tree, remove_with_empty_folders, sibling, OutputLock, MARKER, MARKER_TEXT,
};
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

/// A folder being filled (a staging folder, or an edition's folder in one), the folder of the
/// live site it will replace, which may not exist yet, and the journal of what went where.
#[derive(Debug, Clone, Copy)]
pub struct Staging<'a> {
    pub dir: &'a Path,
    pub live: &'a Path,
    pub journal: &'a Journal,
}

/// What a build did with each file of the new site, for [`replace`] to commit.
#[derive(Debug, Default)]
pub struct Journal {
    /// Files the live site already has, byte for byte.
    kept: Mutex<Vec<Kept>>,
    /// Files written into the staging folder: (the staged file, its place in the live site).
    written: Mutex<Vec<(PathBuf, PathBuf)>>,
}

/// A file the live site already has.
#[derive(Debug)]
struct Kept {
    /// Its place in the staging folder.
    target: PathBuf,
    live: PathBuf,
    /// Its inode: a stale name of it (another case of its name, on a folder that ignores case)
    /// must not be removed with it.
    id: u64,
}

impl Journal {
    fn push<T>(list: &Mutex<Vec<T>>, item: T) {
        list.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(item);
    }

    fn take<T>(list: &Mutex<Vec<T>>) -> Vec<T> {
        std::mem::take(&mut *list.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
    }
}

impl Staging<'_> {
    /// One file of the new site, `rel` from this folder: kept when the live site has these very
    /// bytes there ([`same_bytes`]), else written into the staging folder.
    pub(crate) fn put(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        self.place(
            rel,
            |live| same_bytes(live, bytes),
            |target| std::fs::write(target, bytes),
        )
    }

    /// A file of the new site copied as it is from `from`, kept as [`Self::put`] keeps one.
    fn put_copy(&self, rel: &str, from: &Path) -> std::io::Result<()> {
        self.place(
            rel,
            |live| same_contents(live, from),
            |target| std::fs::copy(from, target).map(drop),
        )
    }

    /// Keeps `rel` when `same` finds the live file holds it already (giving its inode), else
    /// makes it in the staging folder with `make`; the journal records which.
    fn place(
        &self,
        rel: &str,
        same: impl FnOnce(&Path) -> Option<u64>,
        make: impl FnOnce(&Path) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let (target, live) = (join_safe(self.dir, rel)?, join_safe(self.live, rel)?);
        if let Some(id) = same(&live) {
            Journal::push(&self.journal.kept, Kept { target, live, id });
            return Ok(());
        }
        make_parent(&target)?;
        make(&target)?;
        Journal::push(&self.journal.written, (target, live));
        Ok(())
    }
}

/// Folders are made as their files are written, in parallel: `create_dir_all` copes with another
/// thread making the same folder at the same time.
fn make_parent(target: &Path) -> std::io::Result<()> {
    match target.parent() {
        Some(parent) => std::fs::create_dir_all(parent),
        None => Ok(()),
    }
}

/// Makes every planned file and puts it into `to` ([`Staging::put`]).
pub(crate) fn write_files(to: Staging<'_>, set: &OutputSet, produce: &Produce<'_>) -> Result<(), WriteError> {
    std::fs::create_dir_all(to.dir).map_err(WriteError::Io)?;
    for_each_output(set, produce, |path, output, bytes| match (bytes, output) {
        (Some(b), _) => to.put(path, &b),
        (None, Output::Copy(from)) => to.put_copy(path, from),
        (None, _) => Ok(()),
    })
}

/// The live site's file `live`, opened to be compared with `len` bytes, and its inode. It must
/// be a regular file of no other links (never a symbolic link) of that length: a file the build
/// did not change then keeps its inode and modification time (so a deploy that syncs by size and
/// time skips it). Any doubt, and it is not the same.
#[cfg(unix)]
fn open_live(live: &Path, len: u64) -> Option<(std::fs::File, u64)> {
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
    let opened = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(live);
    let file = opened.ok()?;
    let meta = file.metadata().ok()?;
    (meta.is_file() && meta.nlink() == 1 && meta.len() == len).then(|| (file, meta.ino()))
}

#[cfg(not(unix))]
fn open_live(_: &Path, _: u64) -> Option<(std::fs::File, u64)> {
    None
}

/// Does the live site's file `live` hold exactly `bytes` ([`open_live`]), read in full? Its
/// inode when it does.
fn same_bytes(live: &Path, bytes: &[u8]) -> Option<u64> {
    use std::io::Read;
    thread_local! {
        /// The live file's bytes, read into one buffer a thread reuses.
        static OLD: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let (mut file, id) = open_live(live, bytes.len() as u64)?;
    let same = OLD.with_borrow_mut(|old| {
        old.clear();
        // One byte past the expected length: a file that grew since is not the same.
        old.reserve(bytes.len() + 1);
        (&mut file).take(bytes.len() as u64 + 1).read_to_end(old).is_ok() && old.as_slice() == bytes
    });
    same.then_some(id)
}

/// Does the live site's file `live` hold exactly what the file `from` holds ([`open_live`])?
/// Both are read a slice at a time, side by side: a static file may be large.
fn same_contents(live: &Path, from: &Path) -> Option<u64> {
    const SLICE: usize = 1 << 16;
    let mut source = std::fs::File::open(from).ok()?;
    let (mut file, id) = open_live(live, source.metadata().ok()?.len())?;
    let (mut a, mut b) = (vec![0; SLICE], vec![0; SLICE]);
    loop {
        let n = read_full(&mut source, &mut a).ok()?;
        let m = read_full(&mut file, &mut b).ok()?;
        if n != m || a[..n] != b[..m] {
            return None;
        }
        if n == 0 {
            return Some(id);
        }
    }
}

/// Reads into `buf` until it is full or the file ends; how much was read.
fn read_full(f: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    use std::io::Read;
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// The inode of a folder's entry (none elsewhere: nothing is kept there).
#[cfg(unix)]
fn entry_id(e: &std::fs::DirEntry) -> u64 {
    std::os::unix::fs::DirEntryExt::ino(e)
}

#[cfg(not(unix))]
fn entry_id(_: &std::fs::DirEntry) -> u64 {
    0
}

/// At most this many files written or removed, and a rebuild changes the live folder in place
/// (each file renamed into it) rather than swapping in a whole new folder: the live site is
/// then mixed only for the moment these renames take.
const IN_PLACE: usize = 256;

/// The live files under `dir` (in the output folder `out`) that the new site does not have
/// (`planned`), and the empty folders, or None once there are more than `room`, or where the
/// folder holds a symbolic link: never kagu's, and one to a folder would lead the renames out
/// of it (the files kept under it were read through it), so the folder is swapped instead.
fn stale(
    out: &Path,
    dir: &Path,
    planned: &HashSet<&Path>,
    room: &AtomicUsize,
) -> std::io::Result<Option<Vec<(PathBuf, u64)>>> {
    let entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    // One more stale entry; past the room, the folder is swapped instead.
    let one_more = |path: PathBuf, id: u64| {
        let left = room.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1));
        left.is_ok().then(|| vec![(path, id)])
    };
    if entries.is_empty() && dir != out {
        // (A folder is never a kept file: no identity to check.)
        return Ok(one_more(dir.to_path_buf(), 0));
    }
    let found = entries
        .par_iter()
        .map(|e| {
            let (path, kind) = (e.path(), e.file_type()?);
            if kind.is_symlink() {
                return Ok(None);
            }
            if kind.is_dir() {
                return stale(out, &path, planned, room);
            }
            match planned.contains(path.as_path()) {
                true => Ok(Some(Vec::new())),
                false => Ok(one_more(path, entry_id(e))),
            }
        })
        .collect::<std::io::Result<Option<Vec<Vec<(PathBuf, u64)>>>>>()?;
    Ok(found.map(|lists| lists.concat()))
}

/// Is one of the stale entries another name of a kept file (by their inodes)? On a folder that
/// ignores case, `Logo.png` is stale beside a kept `logo.png`, and removing it would remove the
/// kept file.
fn aliases(stale: &[(PathBuf, u64)], kept: &[Kept]) -> bool {
    let ids: HashSet<u64> = kept.iter().map(|k| k.id).collect();
    stale.iter().any(|(_, id)| ids.contains(id))
}

/// Commits a small change to the live folder `out` in place: the stale files go, with each
/// folder they leave empty, then each written file is renamed over its live one.
fn commit_in_place(
    out: &Path,
    stale: &[(PathBuf, u64)],
    written: &[(PathBuf, PathBuf)],
) -> std::io::Result<()> {
    for (path, _) in stale {
        remove_with_empty_folders(out, path)?;
    }
    for (staged, live) in written {
        make_parent(live)?;
        std::fs::rename(staged, live)?;
    }
    Ok(())
}

/// Links each kept file into the staging folder, for a whole new folder to swap in: the same
/// inode, so it is neither copied nor freed when the old folder goes. A file that cannot be
/// linked is copied.
fn link_kept(kept: &[Kept]) -> std::io::Result<()> {
    kept.par_iter().try_for_each(|Kept { target, live, .. }| {
        make_parent(target)?;
        if std::fs::hard_link(live, target).is_err() {
            std::fs::copy(live, target)?;
        }
        Ok(())
    })
}

/// Replaces the site in `out` with the one `fill` puts into a staging folder (the site's files, or
/// each edition's in its folder), only once `fill` succeeds: in place when at most [`IN_PLACE`]
/// files are written or removed, else by swapping in the staging folder. Builds into one folder
/// take turns; the one writing clears what interrupted builds left beside it.
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
    let journal = Journal::default();
    let to = Staging {
        dir: &staging,
        live: out,
        journal: &journal,
    };
    let filled = std::fs::create_dir_all(&staging)
        .and_then(|()| to.put(MARKER, MARKER_TEXT.as_bytes()))
        .map_err(WriteError::Io)
        .and_then(|()| fill(to));
    if let Err(e) = filled {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    let had_old = std::fs::symlink_metadata(out).is_ok();
    let (kept, written) = (Journal::take(&journal.kept), Journal::take(&journal.written));
    if had_old && written.len() <= IN_PLACE {
        let planned: HashSet<&Path> = kept
            .iter()
            .map(|k| k.live.as_path())
            .chain(written.iter().map(|(_, l)| l.as_path()))
            .collect();
        let room = AtomicUsize::new(IN_PLACE - written.len());
        // A folder that cannot be read is left to the swap, which replaces it whole, and so is
        // a stale name of a kept file.
        let found = stale(out, out, &planned, &room).ok().flatten();
        if let Some(stale) = found.filter(|s| s.is_empty() || !aliases(s, &kept)) {
            let committed = commit_in_place(out, &stale, &written);
            let _ = remove_tree(&staging);
            return committed.map_err(WriteError::Io);
        }
    }
    if let Err(e) = link_kept(&kept) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(WriteError::Io(e));
    }
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

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_stale_entry_is_known_by_its_inode_and_another_name_of_a_kept_file_is_an_alias() {
        let dir = tempfile::tempdir().expect("temp");
        let out = dir.path().join("out");
        std::fs::create_dir_all(out.join("img")).expect("mkdir");
        std::fs::create_dir_all(out.join("empty")).expect("mkdir");
        std::fs::write(out.join("img/logo.png"), "logo").expect("write");
        std::fs::write(out.join("img/Logo.png"), "logo").expect("write");
        let planned_path = out.join("img/logo.png");
        let planned: HashSet<&Path> = [planned_path.as_path()].into_iter().collect();
        let found = stale(&out, &out, &planned, &AtomicUsize::new(IN_PLACE))
            .expect("walk")
            .expect("room");
        let mut names: Vec<_> = found
            .iter()
            .map(|(p, _)| p.strip_prefix(&out).expect("in out"))
            .collect();
        names.sort();
        assert_eq!(names, [Path::new("empty"), Path::new("img/Logo.png")]);
        use std::os::unix::fs::MetadataExt;
        let ino = |p: &str| std::fs::metadata(out.join(p)).expect("meta").ino();
        // Where `Logo.png` were the kept file under another case, its inode is a kept one.
        let kept = |name: &str| Kept {
            target: PathBuf::new(),
            live: out.join(name),
            id: ino(name),
        };
        assert!(aliases(&found, &[kept("img/Logo.png")]));
        assert!(!aliases(&found, &[kept("img/logo.png")]));
        // Past the room, no in-place change.
        assert_eq!(
            stale(&out, &out, &planned, &AtomicUsize::new(1)).expect("walk"),
            None
        );
        // A link anywhere in the live folder: no in-place change either.
        std::os::unix::fs::symlink(dir.path(), out.join("img/elsewhere")).expect("symlink");
        let room = AtomicUsize::new(IN_PLACE);
        assert_eq!(stale(&out, &out, &planned, &room).expect("walk"), None);
    }
}
