//! `kagu serve`: builds the site into a private folder, serves it on 127.0.0.1, watches the
//! project and rebuilds what each change affects, and tells open pages to reload.

pub(crate) mod classify;
pub(crate) mod http;
mod rebuild;
pub mod watch;

use std::collections::BTreeSet;
use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use crate::base::diag::{emit, MessageFormat};
use crate::driver::site::{Destination, Flavour, Site};
use crate::project::options::BuildOptions;

/// What `kagu serve` is asked to do.
pub struct ServeOptions {
    /// The site, as `kagu build` takes it.
    pub build: BuildOptions,
    /// The address to listen on (127.0.0.1 unless asked).
    pub interface: IpAddr,
    /// The port (the next free one if it is taken).
    pub port: u16,
    /// Open the site in a browser.
    pub open: bool,
    /// Colour in the terminal's messages.
    pub color: ColorChoice,
}

/// How long after a folder appears it is read again.
const NEW_DIR_RECHECK: Duration = Duration::from_millis(100);

/// How many ports above the asked one are tried when it is taken.
const PORT_TRIES: u16 = 20;

/// Binds the asked port, or the next free one, saying so.
fn bind(interface: IpAddr, port: u16) -> Result<TcpListener, String> {
    let mut last = None;
    for p in port..port.saturating_add(PORT_TRIES) {
        match TcpListener::bind(SocketAddr::new(interface, p)) {
            Ok(l) => {
                if p != port {
                    eprintln!("port {port} is in use; serving on port {p} instead");
                }
                return Ok(l);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && port != 0 => last = Some(e),
            Err(e) => return Err(format!("cannot listen on {interface}:{p}: {e}")),
        }
    }
    Err(format!(
        "ports {port} to {} on {interface} are all in use ({}); pass another --port",
        port.saturating_add(PORT_TRIES - 1),
        last.map(|e| e.to_string()).unwrap_or_default()
    ))
}

fn report(
    files: &crate::base::files::Files,
    diagnostics: &crate::base::diag::Diagnostics,
    color: ColorChoice,
    what: &str,
) {
    let mut err = StandardStream::stderr(color);
    let _ = emit(&mut err, files, diagnostics, MessageFormat::Human);
    let e = diagnostics.errors();
    if e > 0 {
        let _ = writeln!(err, "{what}: {e} error(s); still serving the last good build");
    }
}

/// Opens `url` in the reader's browser (the system's own way, through `opener`).
fn open_browser(url: &str) {
    if let Err(e) = opener::open_browser(url) {
        eprintln!("could not open a browser ({e}); open {url} yourself");
    }
}

/// The warning for an address other computers can reach (anything but loopback).
pub fn network_warning(interface: IpAddr) -> Option<String> {
    (!interface.is_loopback()).then(|| {
        format!(
            "warning: listening on {interface}: the site and its live-reload channel are reachable from the network, not just this computer"
        )
    })
}

/// How long a connection may take to send a request's headers (idle and trickling
/// connections are closed after it).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Resolves when the process is asked to stop: Ctrl-C, SIGTERM or SIGHUP. The handlers are
/// installed at once (inside the runtime), so a signal during the first build is not lost.
fn stop_signal(runtime: &tokio::runtime::Runtime) -> impl std::future::Future<Output = ()> {
    let _guard = runtime.enter();
    // Each handler is made here, not when the future is first polled (after the first build):
    // `tokio::signal::ctrl_c()` registers only then, and a Ctrl-C before it ended the process
    // as the default action does, leaving the live folder behind.
    #[cfg(unix)]
    let stop = {
        use tokio::signal::unix::{signal, SignalKind};
        let int = signal(SignalKind::interrupt()).ok();
        let term = signal(SignalKind::terminate()).ok();
        let hup = signal(SignalKind::hangup()).ok();
        async move {
            let wait = |s: Option<tokio::signal::unix::Signal>| async move {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = wait(int) => {},
                _ = wait(term) => {},
                _ = wait(hup) => {},
            }
        }
    };
    #[cfg(not(unix))]
    let stop = {
        let ctrl_c = tokio::signal::windows::ctrl_c().ok();
        async move {
            match ctrl_c {
                Some(mut c) => {
                    c.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        }
    };
    stop
}

/// Serves `app` on `listener` forever: HTTP/1 with a header read timeout; a failed accept
/// (too many open files) waits a moment and goes on.
async fn serve_forever(listener: tokio::net::TcpListener, app: axum::Router) {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => {
                // As axum does: small responses go out at once, not after a delayed ACK.
                let _ = stream.set_nodelay(true);
                stream
            }
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let conn = http.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
        tokio::spawn(async move {
            let _ = conn.await;
        });
    }
}

/// A function the binary may give the dev server, called with the content files each rebuild
/// reads again before it reads them, inside the guard that turns a panic into E090: the
/// binary's debug builds inject a fault through it, to test that guard.
pub type BeforeRebuild = fn(&[&str]);

static BEFORE_REBUILD: std::sync::OnceLock<BeforeRebuild> = std::sync::OnceLock::new();

/// Sets the [`BeforeRebuild`] function (once; later calls are ignored).
pub fn before_rebuild(f: BeforeRebuild) {
    let _ = BEFORE_REBUILD.set(f);
}

/// Runs `site.apply`, turning a panic into an error the overlay shows; the site is then
/// loaded again from scratch on the next edit. Returns the files written, whether only
/// stylesheets changed, and the panic's diagnostic.
fn apply_guarded(
    site: &mut Option<Site>,
    opts: &BuildOptions,
    out: &std::path::Path,
    changes: &BTreeSet<classify::Change>,
) -> (usize, bool, Option<crate::base::diag::Diagnostics>) {
    let quiet = |_, _| {};
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if let Some(hook) = BEFORE_REBUILD.get() {
            let pages: Vec<&str> = changes
                .iter()
                .filter_map(|c| match c {
                    classify::Change::Content(rel) => Some(rel.as_str()),
                    _ => None,
                })
                .collect();
            hook(&pages);
        }
        let report = match site {
            Some(s) => s.apply(changes, Destination::Live(out), &quiet),
            None => site
                .insert(Site::load(opts.clone(), Flavour::Preview))
                .build(Destination::Live(out), &quiet),
        };
        (report.figures.written, report.css_only)
    }));
    match result {
        Ok((written, css_only)) => (written, css_only, None),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("a panic")
                .to_string();
            *site = None;
            let mut d = crate::base::diag::Diagnostics::default();
            d.push(crate::base::diag::Diagnostic::global(
                crate::base::diag::Kind::Internal { message },
            ));
            (0, false, Some(d))
        }
    }
}

/// What to report after a rebuild: the site's diagnostics, or the panic's.
fn result_of<'a>(
    site: &'a Option<Site>,
    panic: &'a Option<crate::base::diag::Diagnostics>,
    none: &'a (crate::base::files::Files, crate::base::diag::Diagnostics),
) -> (&'a crate::base::files::Files, &'a crate::base::diag::Diagnostics) {
    match (panic, site) {
        (Some(d), _) => (&none.0, d),
        (None, Some(s)) => (s.files(), &s.report().diagnostics),
        (None, None) => (&none.0, &none.1),
    }
}

/// Where the dev server keeps the site it serves: a folder in memory when the system has one
/// (the user's runtime folder, then /dev/shm), so that an edit's rebuild never waits on a disk
/// whatever disk the temp folder is on; else the temp folder.
fn memory_folder() -> PathBuf {
    let in_memory = |p: &Path| {
        tempfile::Builder::new()
            .prefix(".kagu-probe-")
            .tempdir_in(p)
            .is_ok()
    };
    std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .into_iter()
        .chain([PathBuf::from("/dev/shm")])
        .find(|p| p.is_absolute() && in_memory(p))
        .unwrap_or_else(std::env::temp_dir)
}

/// The start of a dev server's folder's name: its process id, so that a later server can tell
/// a folder whose server is gone.
const LIVE_PREFIX: &str = "kagu-serve-";

/// Removes the folders in `dir` that dev servers which are no longer running left there (a
/// server stopped by SIGKILL cannot remove its own, and in memory they would hold memory until
/// the system restarts). Only folders named by [`LIVE_PREFIX`] and a process id that is not
/// running are removed.
fn sweep_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(LIVE_PREFIX))
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !running(pid) && e.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = crate::output::folder::remove_tree(&e.path());
        }
    }
}

/// Is process `pid` running? (Unix: signal 0 reaches it, or it is another user's.)
#[cfg(unix)]
fn running(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return true;
    };
    // SAFETY: signal 0 checks that the process exists and sends nothing.
    unsafe { libc::kill(pid, 0) == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM) }
}

/// Elsewhere every folder's server is taken to be running: nothing is removed.
#[cfg(not(unix))]
fn running(_: u32) -> bool {
    true
}

/// Runs the dev server until Ctrl-C, SIGTERM or SIGHUP.
pub fn run(mut opts: ServeOptions) -> Result<(), String> {
    opts.build.root = opts
        .build
        .root
        .canonicalize()
        .map_err(|e| format!("cannot open {}: {e}", opts.build.root.display()))?;
    let root = opts.build.root.clone();
    let memory = memory_folder();
    sweep_stale(&memory);
    let out_dir = tempfile::Builder::new()
        .prefix(&format!("{LIVE_PREFIX}{}-", std::process::id()))
        .tempdir_in(&memory)
        .map_err(|e| format!("cannot create the dev output folder: {e}"))?;
    let out: PathBuf = out_dir.path().to_path_buf();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let stop = stop_signal(&runtime);
    let listener = bind(opts.interface, opts.port)?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let url = format!("http://{addr}/");
    if let Some(w) = network_warning(opts.interface) {
        eprintln!("{w}");
    }

    // Links must work on the dev server, whatever base_url the site deploys to.
    opts.build.base_url = Some(url.clone());
    let started = Instant::now();
    // Watch before the first build, so nothing saved while it runs is missed.
    let (watcher, rx) = watch::watch(&root).map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    let (shared, first) = rebuild::Shared::new(
        rx,
        watcher,
        root.clone(),
        opts.build.clone(),
        out.clone(),
        opts.color,
    );
    rebuild::watch_renders(shared.clone())?;
    rebuild::start(&shared, true)?;
    let written = first
        .recv()
        .map_err(|_| "the first build ended without a result".to_string())?;
    println!(
        "kagu serve: {} files built in {} ms; serving {} at {url}",
        written,
        started.elapsed().as_millis(),
        root.display()
    );
    let _ = std::io::stdout().flush();
    if opts.open {
        open_browser(&url);
    }
    let state = shared.state.clone();

    runtime.block_on(async move {
        listener.set_nonblocking(true).map_err(|e| e.to_string())?;
        let listener = tokio::net::TcpListener::from_std(listener).map_err(|e| e.to_string())?;
        let app = http::router(state, out);
        tokio::select! {
            () = serve_forever(listener, app) => {},
            () = stop => eprintln!("stopping"),
        }
        Ok::<(), String>(())
    })?;
    // Open connections (live-reload streams) are dropped, not waited for.
    runtime.shutdown_timeout(Duration::from_millis(100));
    // No thread adds to the live folder once it is being removed (which would keep it).
    crate::driver::site::shut_live_writes();
    drop(out_dir);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_addresses_go_without_a_warning() {
        assert_eq!(network_warning("127.0.0.1".parse().expect("ip")), None);
        assert_eq!(network_warning("::1".parse().expect("ip")), None);
        assert_eq!(
            network_warning("0.0.0.0".parse().expect("ip")).as_deref(),
            Some("warning: listening on 0.0.0.0: the site and its live-reload channel are reachable from the network, not just this computer")
        );
        assert!(network_warning("::".parse().expect("ip")).is_some());
    }
}
