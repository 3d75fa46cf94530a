//! Watches the folders kagu reads and turns debounced notify events into sets of [`Change`]s.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use crate::driver::serve::classify::{classify, Change};

/// How long the watcher waits for a burst of events (an editor's atomic save, a `git checkout`)
/// to end before rebuilding.
pub const DEBOUNCE: Duration = Duration::from_millis(4);

/// The project's watcher: notify's events, debounced.
pub type Watcher = Debouncer<notify::RecommendedWatcher, RecommendedCache>;

/// Starts watching `root`: the project folder itself (not recursively: kagu.toml, bibliography
/// files) and, recursively, the folders kagu reads (content, templates, static, themes). Events arrive on the returned receiver.
pub fn watch(root: &Path) -> notify::Result<(Watcher, mpsc::Receiver<Vec<PathBuf>>)> {
    let (tx, rx) = mpsc::channel();
    let mut debouncer = new_debouncer(
        DEBOUNCE,
        Some(Duration::from_millis(1)),
        move |r: DebounceEventResult| {
            if let Ok(events) = r {
                // Reading a file is an event too (inotify's close-after-read): only changes count, or
                // every rebuild would trigger the next.
                let paths: Vec<PathBuf> = events
                    .into_iter()
                    .filter(|e| !e.event.kind.is_access() && !e.event.kind.is_other())
                    .flat_map(|e| e.event.paths)
                    .collect();
                if !paths.is_empty() {
                    let _ = tx.send(paths);
                }
            }
        },
    )?;
    debouncer.watch(root, RecursiveMode::NonRecursive)?;
    for d in watched_dirs(root) {
        if d.is_dir() {
            debouncer.watch(&d, RecursiveMode::Recursive)?;
        }
    }
    Ok((debouncer, rx))
}

/// The folders watched recursively.
fn watched_dirs(root: &Path) -> Vec<PathBuf> {
    ["content", "templates", "static", "themes"]
        .iter()
        .map(|d| root.join(d))
        .collect()
}

/// Starts watching any of kagu's folders that `paths` show were just created. True when one was:
/// the whole site is then read again.
pub fn watch_new_dirs(w: &mut Watcher, root: &Path, paths: &[PathBuf]) -> bool {
    let mut any = false;
    for d in watched_dirs(root) {
        if paths.contains(&d) && d.is_dir() && w.watch(&d, RecursiveMode::Recursive).is_ok() {
            any = true;
        }
    }
    any
}

/// The changes a batch of paths makes.
pub fn changes(
    root: &Path,
    paths: &[PathBuf],
    theme: &str,
    bibliography: &[String],
    style: &str,
) -> BTreeSet<Change> {
    let mut bib = bibliography.to_vec();
    bib.push("content/sources.toml".into());
    // A new folder's files may be written before the watcher sees the folder: read it whole.
    let inside_new_dirs = paths.iter().filter(|p| p.is_dir()).flat_map(|d| {
        walkdir::WalkDir::new(d)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(walkdir::DirEntry::into_path)
    });
    let all: Vec<PathBuf> = paths.iter().cloned().chain(inside_new_dirs).collect();
    all.iter()
        .filter_map(|p| classify(root, p, theme, &bib, style))
        .collect()
}
