//! Watches the folders kagu reads and turns debounced notify events into sets of [`Change`]s.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use crate::serve::classify::{classify, Change};

/// How long the watcher waits for a burst of events (an editor's atomic save, a `git checkout`)
/// to end before rebuilding.
pub const DEBOUNCE: Duration = Duration::from_millis(10);

pub type Watcher = Debouncer<notify::RecommendedWatcher, RecommendedCache>;

/// Starts watching `root`: the project folder itself (not recursively: kagu.toml, bibliography
/// files) and, recursively, the folders kagu reads. Events arrive on the returned receiver.
pub fn watch(root: &Path, theme: &str) -> notify::Result<(Watcher, mpsc::Receiver<Vec<PathBuf>>)> {
    let (tx, rx) = mpsc::channel();
    let mut debouncer = new_debouncer(
        DEBOUNCE,
        Some(Duration::from_millis(2)),
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
    for dir in ["content", "templates", "static", &format!("themes/{theme}")] {
        let d = root.join(dir);
        if d.is_dir() {
            debouncer.watch(&d, RecursiveMode::Recursive)?;
        }
    }
    Ok((debouncer, rx))
}

/// The changes a batch of paths makes.
pub fn changes(root: &Path, paths: &[PathBuf], theme: &str, bibliography: &[String]) -> BTreeSet<Change> {
    let mut bib = bibliography.to_vec();
    bib.push("content/sources.toml".into());
    paths
        .iter()
        .filter_map(|p| classify(root, p, theme, &bib))
        .collect()
}
