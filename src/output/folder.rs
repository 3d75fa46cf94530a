//! The output folder is kagu's alone. Every path kagu writes or removes in it comes from
//! [`safe_rel`]; the folder itself is checked by [`check_output_dir`] before anything is
//! written (never the project, never a folder that holds it, never the writer's own folders,
//! never a symbolic link, and only a folder kagu made unless `--force`), and builds into one
//! folder take turns through [`OutputLock`].

use std::path::{Component, Path, PathBuf};

/// The file kagu writes into every output folder, so that it replaces only folders it made.
pub(crate) const MARKER: &str = ".kagu-output";
pub(crate) const MARKER_TEXT: &str =
    "This folder was written by kagu (https://crates.io/crates/kagu); the next build replaces it.\n";

/// Why an output folder was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// It is, holds or sits in something that is not kagu's: the reason says what.
    Unsafe(String),
    /// A non-empty folder without kagu's marker; what was found in it.
    Foreign(String),
    /// A symbolic link, and where it points.
    Symlink(String),
}

/// `p` made absolute against the current folder, with `.` and `..` taken away by their text.
fn lexical_absolute(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The real path of `p` (symbolic links of its folders resolved), also when `p` itself does
/// not exist yet: its nearest existing folder is resolved and the rest appended.
fn real_path(p: &Path) -> PathBuf {
    let abs = lexical_absolute(p);
    let mut base = abs.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = base.canonicalize() {
            let mut out = real;
            out.extend(rest.iter().rev());
            return out;
        }
        match (base.parent(), base.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                base = parent;
            }
            _ => return abs,
        }
    }
}

/// Version-control folders: never an output folder, never inside one, never held by one.
const VCS: [&str; 3] = [".git", ".hg", ".svn"];

/// Checks that `out` may be replaced by a build of the project at `root` that reads `read`
/// (paths relative to `root`, from kagu.toml: bibliography files, a style file), even with
/// `force`.
pub(crate) fn check_output_dir(root: &Path, out: &Path, read: &[&str], force: bool) -> Result<(), Refusal> {
    let unsafe_ = |why: &str| Err(Refusal::Unsafe(why.to_string()));
    if out.as_os_str().is_empty()
        || out
            .components()
            .all(|c| matches!(c, Component::CurDir | Component::ParentDir))
    {
        return unsafe_("names the current folder or a folder above it");
    }
    let lexical = lexical_absolute(out);
    if let Ok(meta) = std::fs::symlink_metadata(&lexical) {
        if meta.file_type().is_symlink() {
            let target = std::fs::read_link(&lexical)
                .map(|t| t.display().to_string())
                .unwrap_or_default();
            return Err(Refusal::Symlink(target));
        }
        if !meta.is_dir() {
            return unsafe_("is a file, not a folder");
        }
    }
    let out_real = real_path(out);
    if out_real.parent().is_none() {
        return unsafe_("is the root of the file system");
    }
    let root_real = real_path(root);
    if out_real == root_real {
        return unsafe_("is the project folder itself");
    }
    if root_real.starts_with(&out_real) {
        return unsafe_("holds the project folder");
    }
    for own in ["content", "templates", "static", "themes"] {
        if out_real.starts_with(root_real.join(own)) {
            return Err(Refusal::Unsafe(format!("is inside the project's {own}/ folder")));
        }
    }
    if let Some(vcs) = out_real
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .find(|c| VCS.contains(&c.as_ref()))
    {
        return Err(Refusal::Unsafe(format!(
            "is inside a version-control folder (`{vcs}`)"
        )));
    }
    if let Some(vcs) = VCS
        .iter()
        .find(|v| std::fs::symlink_metadata(out_real.join(v)).is_ok())
    {
        return Err(Refusal::Unsafe(format!(
            "holds a version-control folder (`{vcs}`)"
        )));
    }
    let config = root_real.join(crate::base::files::CONFIG_FILE);
    let inputs = read.iter().map(|r| real_path(&root_real.join(r)));
    if let Some(held) = inputs.chain([config]).find(|p| p.starts_with(&out_real)) {
        let shown = held
            .strip_prefix(&root_real)
            .unwrap_or(&held)
            .display()
            .to_string();
        return Err(Refusal::Unsafe(format!(
            "holds `{shown}`, which this build reads"
        )));
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        if real_path(Path::new(&home)).starts_with(&out_real) {
            return unsafe_("is or holds your home folder");
        }
    }
    if force || out_real.join(MARKER).is_file() {
        return Ok(());
    }
    let Ok(entries) = std::fs::read_dir(&out_real) else {
        return Ok(());
    };
    let mut found: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if found.is_empty() {
        return Ok(());
    }
    found.sort();
    let more = found.len().saturating_sub(3);
    found.truncate(3);
    let mut list = found
        .iter()
        .map(|f| format!("`{f}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if more > 0 {
        list.push_str(&format!(" and {more} more"));
    }
    Err(Refusal::Foreign(list))
}

/// A folder beside `out`: `.NAME.kagu-TAG-PID`.
pub(crate) fn sibling(out: &Path, tag: &str) -> PathBuf {
    out.with_file_name(format!(".{}.kagu-{tag}-{}", out_name(out), std::process::id()))
}

fn out_name(out: &Path) -> String {
    out.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into())
}

/// Held while a build writes to an output folder: builds into one folder take turns (the
/// second waits), and the holder may clear what killed builds left beside it. The lock is the
/// operating system's (released when the process ends, however it ends), on a small file
/// beside the output folder that the holder removes when it is done.
pub(crate) struct OutputLock {
    file: std::fs::File,
    path: PathBuf,
}

impl OutputLock {
    pub(crate) fn acquire(out: &Path) -> std::io::Result<OutputLock> {
        let path = out.with_file_name(format!(".{}.kagu-lock", out_name(out)));
        loop {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)?;
            file.lock()?;
            // The last holder removes the file before it lets go: a lock taken on a removed
            // file is no lock, so take it again on the file that is there now.
            if same_file(&file, &path) {
                return Ok(OutputLock { file, path });
            }
        }
    }

    /// Removes the staging and old folders that earlier, interrupted builds left beside `out`
    /// (only folders named as kagu names them; a link is removed, never followed).
    pub(crate) fn clear_leftovers(&self, out: &Path) {
        let (Some(parent), name) = (out.parent(), out_name(out)) else {
            return;
        };
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        let Ok(entries) = std::fs::read_dir(parent) else {
            return;
        };
        for e in entries.filter_map(Result::ok) {
            let file_name = e.file_name().to_string_lossy().into_owned();
            let is_leftover = ["staging", "old"].iter().any(|tag| {
                file_name
                    .strip_prefix(&format!(".{name}.kagu-{tag}-"))
                    .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
            });
            if is_leftover {
                let _ = remove_tree(&e.path());
            }
        }
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        if same_file(&self.file, &self.path) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

#[cfg(unix)]
fn same_file(file: &std::fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Elsewhere the lock file stays (it cannot be removed while open).
#[cfg(not(unix))]
fn same_file(_: &std::fs::File, path: &Path) -> bool {
    path.exists()
}

/// Removes a file the site no longer has from the live folder `out` (`rel`, its `/`-separated
/// path there), then each folder above it that is left empty, up to `out`: a removed page
/// leaves no empty folder behind. A path that would leave `out` is left alone.
pub(crate) fn remove_gone(out: &Path, rel: &str) {
    if let Ok(path) = crate::base::paths::join_safe(out, rel) {
        let _ = remove_with_empty_folders(out, &path);
    }
}

/// Removes `path` in `out` (a file, a link, or an empty folder), then each folder above it that
/// is left empty, up to `out`.
pub(crate) fn remove_with_empty_folders(out: &Path, path: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path)?.is_dir() {
        true => std::fs::remove_dir(path)?,
        false => std::fs::remove_file(path)?,
    }
    let mut dir = path.parent();
    while let Some(d) = dir.filter(|d| d.starts_with(out) && *d != out) {
        // Fails, and stops, at a folder that still holds something.
        if std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
    Ok(())
}

/// Removes a folder and everything in it, its subfolders in parallel (a large site's old
/// output holds tens of thousands of files). Links are removed, never followed.
pub(crate) fn remove_tree(dir: &Path) -> std::io::Result<()> {
    if std::fs::symlink_metadata(dir)?.file_type().is_symlink() {
        return std::fs::remove_file(dir);
    }
    remove_folder(dir)
}

/// [`remove_tree`] of a folder known to be one (its entry in its parent said so, without
/// following a link).
fn remove_folder(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.par_iter().try_for_each(|e| {
        if e.file_type()?.is_dir() {
            remove_folder(&e.path())
        } else {
            std::fs::remove_file(e.path())
        }
    })?;
    std::fs::remove_dir(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_folders_that_hold_the_project_are_refused() {
        let dir = tempfile::tempdir().expect("temp");
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content")).expect("mkdir");
        let refused = |out: &Path| check_output_dir(&root, out, &["refs/a.bib"], true).is_err();
        assert!(refused(&root));
        assert!(refused(dir.path()));
        assert!(refused(&root.join("content/out")));
        assert!(refused(&root.join("x/..")));
        assert!(refused(Path::new("/")));
        assert!(refused(Path::new(".")));
        assert!(refused(Path::new("..")));
        assert!(!refused(&root.join("public")));
        assert!(refused(&root.join(".git")));
        assert!(refused(&root.join(".git/objects")));
        assert!(refused(&root.join("refs")));
        std::fs::create_dir_all(dir.path().join("other/.hg")).expect("mkdir");
        assert!(refused(&dir.path().join("other")));
    }

    #[test]
    fn foreign_folders_need_force_and_marked_ones_do_not() {
        let dir = tempfile::tempdir().expect("temp");
        let root = dir.path().join("site");
        let out = dir.path().join("out");
        std::fs::create_dir_all(&out).expect("mkdir");
        std::fs::write(out.join("notes.txt"), "mine").expect("write");
        assert_eq!(
            check_output_dir(&root, &out, &[], false),
            Err(Refusal::Foreign("`notes.txt`".into()))
        );
        assert_eq!(check_output_dir(&root, &out, &[], true), Ok(()));
        std::fs::write(out.join(MARKER), MARKER_TEXT).expect("marker");
        assert_eq!(check_output_dir(&root, &out, &[], false), Ok(()));
    }
}
