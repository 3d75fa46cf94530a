//! Making and writing the planned outputs into a [`Destination`], and the stage timer.

use super::*;
use crate::output::search::{self, SEARCH_DIR};

/// Stage times on stderr when `KAGU_TIMINGS` is set.
pub(super) struct Laps {
    pub(super) started: Instant,
    on: bool,
}

impl Laps {
    pub(super) fn start() -> Laps {
        Laps {
            started: Instant::now(),
            on: std::env::var_os("KAGU_TIMINGS").is_some(),
        }
    }

    pub(super) fn lap(&self, what: &str) {
        if self.on {
            // The peak, and what is resident now: the heap's and the mapped files' (the binary).
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let memory = ["VmHWM", "RssAnon", "RssFile"];
            let hwm: Vec<&str> = status
                .lines()
                .filter(|l| memory.iter().any(|m| l.starts_with(m)))
                .collect();
            let hwm = hwm.join(" ");
            eprintln!(
                "{:>8.1} ms  {what:<18} {hwm}",
                self.started.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}

impl Site {
    pub(super) fn renderer<'s>(&'s self, graph: &'s SiteGraph, theme: &'s Theme) -> Renderer<'s> {
        Renderer::new(
            graph,
            theme,
            &self.set.config,
            &self.bib,
            &self.assets,
            &self.data,
            self.render_options(),
        )
    }

    pub(super) fn render_options(&self) -> RenderOptions {
        RenderOptions {
            minify: self.flavour == Flavour::Publish && self.opts.minify,
            dev_client: (self.flavour == Flavour::Preview).then_some(CLIENT_TAG),
            edition: self.editions.clone(),
            search: self.set.config.search,
        }
    }
}

/// Makes the planned files and hands them to `dest`; a file that cannot be made or written is a
/// diagnostic (once, however many files it breaks). Returns the number of files made.
pub(super) fn emit(
    plan: &OutputSet,
    renderer: &Renderer<'_>,
    dest: Destination<'_>,
    progress: &Progress<'_>,
    diags: &mut Diagnostics,
) -> usize {
    let total = plan.files.len();
    let done = AtomicUsize::new(0);
    let produce = |o: &Output| {
        let r = renderer.produce(o);
        progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
        r
    };
    // The search index of the pages just made, written with them (the dev server's follows
    // edits on its own: [`super::live_search`]).
    let search = |to: Staging<'_>| write_search(renderer, to);
    let result = match dest {
        Destination::Check => for_each_output(plan, &produce, |_, _, _| Ok(())),
        Destination::Replace(out) => write::replace(out, |staging| {
            write::write_files(staging, plan, &produce).and_then(|()| search(staging))
        }),
        Destination::Stage(to) => write::write_files(to, plan, &produce).and_then(|()| search(to)),
        Destination::Live(out) => for_each_output(plan, &produce, |path, output, bytes| {
            let bytes = match (bytes, output) {
                (Some(b), _) => b,
                (None, Output::Copy(from)) => std::fs::read(from)?,
                (None, _) => return Ok(()),
            };
            write_atomic(out, path, &bytes).map_err(|e| std::io::Error::new(e.kind(), format!("{path}: {e}")))
        }),
    };
    let folder = match dest {
        Destination::Replace(out) | Destination::Live(out) | Destination::Stage(Staging { dir: out, .. }) => {
            out.display().to_string()
        }
        Destination::Check => String::new(),
    };
    let io = |message: String| {
        Diagnostic::global(Kind::Io {
            path: folder.clone(),
            message,
        })
    };
    match result {
        Ok(()) => total,
        Err(WriteError::Produce(ds)) => {
            for d in ds {
                diags.push_once(d);
            }
            match dest {
                // The dev server wrote every file it could.
                Destination::Live(_) => total,
                _ => 0,
            }
        }
        Err(WriteError::Stopped) => 0,
        Err(WriteError::Old(e)) => {
            diags.push(io(old_copy_left(&e)));
            total
        }
        Err(WriteError::Io(e)) => {
            let message = match dest {
                Destination::Replace(out) => writing(out, &e),
                _ => e.to_string(),
            };
            diags.push(io(message));
            0
        }
    }
}

/// Indexes the pages `renderer` made for the readers' search and writes the index into `dir`'s
/// `pagefind/` (nothing when the site has no search).
fn write_search(renderer: &Renderer<'_>, to: Staging<'_>) -> Result<(), WriteError> {
    if !renderer.options.search {
        return Ok(());
    }
    let docs = renderer.search_docs.take();
    let files = search::index(docs, &renderer.config.language)
        .map_err(|e| WriteError::Io(std::io::Error::other(format!("the search index: {e}"))))?;
    for (rel, bytes) in files {
        to.put(&format!("{SEARCH_DIR}{rel}"), &bytes)
            .map_err(WriteError::Io)?;
    }
    Ok(())
}

/// What a replaced output folder's write that failed says.
pub(super) fn writing(out: &Path, e: &std::io::Error) -> String {
    format!("writing {}: {e}", out.display())
}

/// What a replaced output folder whose old copy stayed says.
pub(super) fn old_copy_left(e: &std::io::Error) -> String {
    format!("the new site was written, but its old copy could not be removed: {e}")
}

/// Open while the dev server may write into its live folder: each file is written holding it
/// to read, and [`shut_live_writes`] takes it to write.
static LIVE_WRITES: std::sync::RwLock<bool> = std::sync::RwLock::new(true);

/// Stops every later write into live folders, after waiting for the files being written: a
/// stopping dev server then removes its folder with no thread adding to it (the search index,
/// made on a thread of its own once edits pause, or a rebuild still running).
pub(crate) fn shut_live_writes() {
    *LIVE_WRITES
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = false;
}

/// Writes one file of a live folder by renaming a finished temporary file over it; nothing
/// once live writes are shut.
pub(super) fn write_atomic(dir: &Path, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
    let open = LIVE_WRITES
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !*open {
        return Err(std::io::Error::other("the dev server is stopping"));
    }
    let target = crate::base::paths::join_safe(dir, rel)?;
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let tmp = target.with_file_name(format!(
        ".{}.kagu-tmp",
        target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    ));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, &target)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shuts live writes for this whole test process: no other unit test writes a live folder.
    #[test]
    fn nothing_is_written_into_a_live_folder_once_live_writes_are_shut() {
        let dir = tempfile::tempdir().expect("temp dir");
        write_atomic(dir.path(), "a/index.html", b"one").expect("written while open");
        assert_eq!(
            std::fs::read(dir.path().join("a/index.html")).expect("read"),
            b"one"
        );
        shut_live_writes();
        let err = write_atomic(dir.path(), "b/index.html", b"two").expect_err("shut");
        assert_eq!(err.to_string(), "the dev server is stopping");
        assert!(!dir.path().join("b").exists(), "no folder made for it");
    }
}
