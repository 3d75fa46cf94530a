//! The dev server's rebuilds: a thread that waits for changes and applies them to the site, on
//! a thread pool of its own. A template render that is stopped ([`crate::base::guard`]) parks its
//! thread for good, so the rebuild that waits for it never returns: [`watch_renders`] reports it
//! (terminal and overlay) and starts a new rebuild thread, with a new pool and the site read
//! afresh on the next edit. The old thread and pool are abandoned, their memory bounded by the
//! render's budget.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use codespan_reporting::term::termcolor::ColorChoice;

use super::http::{error_views, AppState, Message};
use super::{apply_guarded, classify, report, result_of, watch, NEW_DIR_RECHECK};
use crate::base::diag::Diagnostics;
use crate::base::files::Files;
use crate::driver::site::Site;
use crate::project::options::BuildOptions;

/// What every rebuild thread shares.
pub(crate) struct Shared {
    pub rx: Mutex<mpsc::Receiver<Vec<PathBuf>>>,
    pub watcher: Mutex<watch::Watcher>,
    pub root: PathBuf,
    pub opts: BuildOptions,
    pub out: PathBuf,
    pub state: AppState,
    pub color: ColorChoice,
    /// The current rebuild thread's number: an older one that wakes up ends.
    generation: AtomicUsize,
    /// Told the first build's file count, once (by the first rebuild thread, or by the
    /// watcher when that build's render was stopped).
    first: Mutex<Option<mpsc::Sender<usize>>>,
}

impl Shared {
    pub(crate) fn new(
        rx: mpsc::Receiver<Vec<PathBuf>>,
        watcher: watch::Watcher,
        root: PathBuf,
        opts: BuildOptions,
        out: PathBuf,
        color: ColorChoice,
    ) -> (Arc<Shared>, mpsc::Receiver<usize>) {
        let (first, built) = mpsc::channel();
        let shared = Shared {
            rx: Mutex::new(rx),
            watcher: Mutex::new(watcher),
            root,
            opts,
            out,
            state: AppState::new(),
            color,
            generation: AtomicUsize::new(0),
            first: Mutex::new(Some(first)),
        };
        (Arc::new(shared), built)
    }

    /// Reports a build (`css_only` None, the first) or rebuild to the terminal and the pages.
    fn tell(&self, site: &Option<Site>, panic: &Option<Diagnostics>, written: usize, css_only: Option<bool>) {
        let none: (Files, Diagnostics) = Default::default();
        let (files, diagnostics) = result_of(site, panic, &none);
        report(
            files,
            diagnostics,
            self.color,
            if css_only.is_some() { "rebuild" } else { "build" },
        );
        let errors = error_views(files, diagnostics);
        let message = match css_only {
            None => Message::Ok,
            Some(_) if !errors.is_empty() => Message::Errors {
                errors: errors.clone(),
            },
            Some(true) => Message::Css,
            Some(false) => Message::Reload,
        };
        self.state.publish(errors, written, message);
    }

    fn tell_first(&self, written: usize) {
        if let Some(tx) = self.first.lock().ok().and_then(|mut f| f.take()) {
            let _ = tx.send(written);
        }
    }
}

/// Starts a rebuild thread; the first builds the whole site before it waits for changes.
pub(crate) fn start(shared: &Arc<Shared>, build_first: bool) -> Result<(), String> {
    let generation = shared.generation.load(Ordering::SeqCst);
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(crate::base::guard::WORK_STACK)
        .build()
        .map_err(|e| format!("cannot start the rebuild threads: {e}"))?;
    let shared = shared.clone();
    std::thread::Builder::new()
        .name("kagu-rebuild".into())
        .stack_size(crate::base::guard::WORK_STACK)
        .spawn(move || rebuilds(&shared, generation, &pool, build_first))
        .map(drop)
        .map_err(|e| format!("cannot start the rebuild thread: {e}"))
}

/// Applies each batch of changes; ends when a newer rebuild thread has taken over.
fn rebuilds(shared: &Shared, generation: usize, pool: &rayon::ThreadPool, build_first: bool) {
    let mut site: Option<Site> = None;
    let current = || shared.generation.load(Ordering::SeqCst) == generation;
    if build_first {
        let (written, _, panic) =
            pool.install(|| apply_guarded(&mut site, &shared.opts, &shared.out, &BTreeSet::new()));
        if !current() {
            return;
        }
        shared.tell(&site, &panic, written, None);
        shared.tell_first(written);
    }
    // Folders that appeared recently: a file written into one before the watcher saw the
    // folder raises no event of its own, so each is read again a moment later.
    let mut recheck: Vec<PathBuf> = Vec::new();
    while current() {
        let wait = if recheck.is_empty() {
            Duration::from_millis(500)
        } else {
            NEW_DIR_RECHECK
        };
        let paths = {
            let Ok(rx) = shared.rx.lock() else { return };
            let mut p = match rx.recv_timeout(wait) {
                Ok(p) => {
                    let new_dirs: Vec<PathBuf> = p.iter().filter(|d| d.is_dir()).cloned().collect();
                    recheck.extend(new_dirs);
                    p
                }
                Err(mpsc::RecvTimeoutError::Timeout) => std::mem::take(&mut recheck),
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            };
            while let Ok(more) = rx.try_recv() {
                p.extend(more);
            }
            p
        };
        if paths.is_empty() || !current() {
            continue;
        }
        let (theme, bibliography, style) = site.as_ref().map_or_else(
            || (crate::project::config::default_theme(), Vec::new(), String::new()),
            |s| {
                let c = s.config();
                (c.theme.clone(), c.bibliography.clone(), c.citation_style.clone())
            },
        );
        let mut changes = watch::changes(&shared.root, &paths, &theme, &bibliography, &style);
        if let Ok(mut w) = shared.watcher.lock() {
            if watch::watch_new_dirs(&mut w, &shared.root, &paths) {
                changes.insert(classify::Change::Config);
            }
        }
        if changes.is_empty() {
            continue;
        }
        let t = Instant::now();
        let (written, css_only, panic) =
            pool.install(|| apply_guarded(&mut site, &shared.opts, &shared.out, &changes));
        if !current() {
            return;
        }
        shared.tell(&site, &panic, written, Some(css_only));
        eprintln!(
            "rebuilt {} file(s) in {:.1} ms",
            written,
            t.elapsed().as_secs_f64() * 1000.0
        );
    }
}

/// Watches for a stopped template render: reports it as E013 and hands the rebuilds to a new
/// thread (the site is read afresh on the next edit).
pub(crate) fn watch_renders(shared: Arc<Shared>) -> Result<(), String> {
    std::thread::Builder::new()
        .name("kagu-render-watch".into())
        .spawn(move || loop {
            std::thread::sleep(Duration::from_millis(50));
            let Some(s) = crate::base::guard::stopped() else {
                continue;
            };
            shared.generation.fetch_add(1, Ordering::SeqCst);
            let mut d = Diagnostics::default();
            d.push(s.diagnostic());
            let files = Files::default();
            report(&files, &d, shared.color, "rebuild");
            let errors = error_views(&files, &d);
            shared
                .state
                .publish(errors.clone(), 0, Message::Errors { errors });
            shared.tell_first(0);
            if let Err(e) = start(&shared, false) {
                eprintln!("error: {e}");
            }
        })
        .map(drop)
        .map_err(|e| format!("cannot start the dev server: {e}"))
}
