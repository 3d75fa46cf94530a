//! The dev server's search index: each rendered page's text kept between edits, and the index
//! made again on another thread once edits pause, so a page's reload never waits for it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::{Destination, Site};
use crate::graph::resolve::{SiteGraph, SOURCES_PATH};
use crate::output::search::{self, SearchDoc, SEARCH_DIR};

/// How long edits must pause before the index is made again.
const DEBOUNCE: Duration = Duration::from_millis(300);

/// One edition's search in a live folder.
#[derive(Debug, Default)]
pub(super) struct LiveSearch {
    /// The text of every searchable page, by its address from the edition's root.
    docs: BTreeMap<String, Arc<SearchDoc>>,
    /// Counts the indexes asked for: a later one makes an earlier one that has not started give
    /// up.
    asked: Arc<AtomicU64>,
    /// The index files written last (paths under the live folder), to remove those a new index
    /// no longer has; held while an index is made and written.
    written: Arc<Mutex<BTreeSet<String>>>,
}

impl LiveSearch {
    /// Takes in the pages just rendered (`made`), keeps only the pages of `searchable`, and asks
    /// for a new index of them in `out` in `language`, made once edits pause.
    pub(super) fn update(
        &mut self,
        made: Vec<SearchDoc>,
        searchable: &BTreeSet<String>,
        out: &Path,
        language: &str,
    ) {
        for doc in made {
            self.docs.insert(doc.url.clone(), Arc::new(doc));
        }
        self.docs.retain(|url, _| searchable.contains(url));
        let mine = self.asked.fetch_add(1, Ordering::SeqCst) + 1;
        let (asked, written) = (self.asked.clone(), self.written.clone());
        // Shared, not copied: the reload that follows must not wait for a large site's text.
        let docs: Vec<Arc<SearchDoc>> = self.docs.values().cloned().collect();
        let (out, language) = (out.to_path_buf(), language.to_string());
        std::thread::spawn(move || {
            std::thread::sleep(DEBOUNCE);
            // One index at a time (a large site's takes seconds of a core): the newest request
            // waiting when it ends is the one made next, and the others give up.
            let mut last = written.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if asked.load(Ordering::SeqCst) != mine {
                return;
            }
            let docs = docs.iter().map(|d| SearchDoc::clone(d)).collect();
            if let Ok(files) = search::index(docs, &language) {
                *last = write_index(&out, files, &last);
            }
        });
    }
}

impl Site {
    /// After the dev server wrote pages (`made`: their text) into its live folder: the index
    /// of the site's searchable pages (those of `graph`, or of the last graph), made again
    /// once edits pause.
    pub(super) fn search_live(
        &mut self,
        made: Vec<SearchDoc>,
        graph: Option<&SiteGraph>,
        dest: Destination<'_>,
    ) {
        let (Destination::Live(out), true) = (dest, self.set.config.search) else {
            return;
        };
        let Some(graph) = graph.or(self.graph.as_ref()) else {
            return;
        };
        let mut searchable: BTreeSet<String> = graph
            .ids()
            .filter(|&id| graph.page(id).parsed.meta.search != Some(false))
            .map(|id| format!("/{}", graph.url_of(id)))
            .collect();
        searchable.insert(format!("/{SOURCES_PATH}"));
        let language = self.set.config.language.clone();
        self.live_search.update(made, &searchable, out, &language);
    }
}

/// Writes an index's files into `out` (each replaced whole), removes those of `before` it no
/// longer has, and returns what it wrote.
fn write_index(out: &Path, files: BTreeMap<String, Vec<u8>>, before: &BTreeSet<String>) -> BTreeSet<String> {
    let mut now = BTreeSet::new();
    for (rel, bytes) in files {
        let rel = format!("{SEARCH_DIR}{rel}");
        if super::emit::write_atomic(out, &rel, &bytes).is_ok() {
            now.insert(rel);
        }
    }
    for gone in before.difference(&now) {
        if let Ok(path) = crate::base::paths::join_safe(out, gone) {
            let _ = std::fs::remove_file(path);
        }
    }
    now
}
