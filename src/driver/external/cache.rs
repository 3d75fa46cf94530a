//! The results of earlier checks, kept for a while in one JSON file, so that a scheduled run
//! does not ask the same hosts again: an address checked less than the lifetime ago is not asked
//! for. A cache that cannot be read is started afresh; one that cannot be written is left.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::fetch::Outcome;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    /// When it was checked, in seconds since 1970.
    checked: u64,
    #[serde(flatten)]
    outcome: Outcome,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Cache {
    entries: BTreeMap<String, Entry>,
    #[serde(skip)]
    lifetime: Duration,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Cache {
    /// The cache at `file`, without the entries older than `lifetime`.
    pub(crate) fn read(file: &Path, lifetime: Duration) -> Cache {
        let mut cache: Cache = std::fs::read(file)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        let oldest = now().saturating_sub(lifetime.as_secs());
        cache
            .entries
            .retain(|_, e| e.checked >= oldest && lifetime > Duration::ZERO);
        cache.lifetime = lifetime;
        cache
    }

    pub(crate) fn get(&self, url: &str) -> Option<&Outcome> {
        self.entries.get(url).map(|e| &e.outcome)
    }

    pub(crate) fn put(&mut self, url: &str, outcome: Outcome) {
        self.entries.insert(
            url.to_string(),
            Entry {
                checked: now(),
                outcome,
            },
        );
    }

    /// Writes it (through a temporary file, so a reader never sees half of it).
    pub(crate) fn write(&self, file: &Path) {
        let Some(dir) = file.parent() else { return };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        let Ok(bytes) = serde_json::to_vec_pretty(self) else {
            return;
        };
        let tmp = file.with_extension("json.tmp");
        if std::fs::write(&tmp, bytes).is_ok() {
            let _ = std::fs::rename(&tmp, file);
        }
    }
}
