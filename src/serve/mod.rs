//! `kagu serve`: builds the site into a private folder, serves it on 127.0.0.1, watches the
//! project and rebuilds what each change affects, and tells open pages to reload.

pub mod affected;
pub mod classify;
pub mod dev;
pub mod http;
pub mod watch;

use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use crate::build::BuildOptions;
use crate::diag::{emit, MessageFormat};
use dev::DevSite;
use http::{error_views, AppState, Message};

pub struct ServeOptions {
    pub build: BuildOptions,
    pub interface: IpAddr,
    pub port: u16,
    pub open: bool,
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

fn report(site: &DevSite, color: ColorChoice, what: &str) {
    let mut err = StandardStream::stderr(color);
    let _ = emit(&mut err, site.files(), &site.diagnostics, MessageFormat::Human);
    let e = site.diagnostics.errors();
    if e > 0 {
        let _ = writeln!(err, "{what}: {e} error(s); still serving the last good build");
    }
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(cmd).arg(url).spawn() {
        eprintln!("could not open a browser ({cmd}: {e}); open {url} yourself");
    }
}

/// Runs the dev server until Ctrl-C.
pub fn run(mut opts: ServeOptions) -> Result<(), String> {
    opts.build.root = opts
        .build
        .root
        .canonicalize()
        .map_err(|e| format!("cannot open {}: {e}", opts.build.root.display()))?;
    let root = opts.build.root.clone();
    let out_dir = tempfile::Builder::new()
        .prefix("kagu-serve-")
        .tempdir()
        .map_err(|e| format!("cannot create the dev output folder: {e}"))?;
    let out: PathBuf = out_dir.path().to_path_buf();
    let listener = bind(opts.interface, opts.port)?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let url = format!("http://{addr}/");

    // Links must work on the dev server, whatever base_url the site deploys to.
    opts.build.base_url = Some(url.clone());
    let started = Instant::now();
    // Watch before the first build, so nothing saved while it runs is missed.
    let (mut watcher, rx) =
        watch::watch(&root).map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    let mut site = DevSite::new(opts.build.clone(), out.clone());
    let outcome = site.build_all();
    report(&site, opts.color, "build");
    let state = AppState::new();
    state.publish(
        error_views(site.files(), &site.diagnostics),
        outcome.written,
        Message::Ok,
    );
    println!(
        "kagu serve: {} files built in {} ms; serving {} at {url}",
        outcome.written,
        started.elapsed().as_millis(),
        root.display()
    );
    let _ = std::io::stdout().flush();
    if opts.open {
        open_browser(&url);
    }

    let rebuild_state = state.clone();
    let color = opts.color;
    std::thread::spawn(move || {
        // Folders that appeared recently: a file written into one before the watcher saw the
        // folder raises no event of its own, so each is read again a moment later.
        let mut recheck: Vec<PathBuf> = Vec::new();
        loop {
            let wait = if recheck.is_empty() {
                Duration::from_secs(3600)
            } else {
                NEW_DIR_RECHECK
            };
            let mut paths = match rx.recv_timeout(wait) {
                Ok(p) => {
                    let new_dirs: Vec<PathBuf> = p.iter().filter(|d| d.is_dir()).cloned().collect();
                    recheck.extend(new_dirs);
                    p
                }
                Err(mpsc::RecvTimeoutError::Timeout) => std::mem::take(&mut recheck),
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            };
            while let Ok(more) = rx.try_recv() {
                paths.extend(more);
            }
            let theme = site.config().theme.clone();
            let mut changes = watch::changes(&root, &paths, &theme, &site.config().bibliography);
            if watch::watch_new_dirs(&mut watcher, &root, &paths) {
                changes.insert(classify::Change::Config);
            }
            if changes.is_empty() {
                continue;
            }
            let t = Instant::now();
            let outcome = site.apply(&changes);
            report(&site, color, "rebuild");
            let errors = error_views(site.files(), &site.diagnostics);
            let message = if !errors.is_empty() {
                Message::Errors {
                    errors: errors.clone(),
                }
            } else if outcome.css_only {
                Message::Css
            } else {
                Message::Reload
            };
            rebuild_state.publish(errors, outcome.written, message);
            eprintln!(
                "rebuilt {} file(s) in {:.1} ms",
                outcome.written,
                t.elapsed().as_secs_f64() * 1000.0
            );
        }
    });

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        listener.set_nonblocking(true).map_err(|e| e.to_string())?;
        let listener = tokio::net::TcpListener::from_std(listener).map_err(|e| e.to_string())?;
        let app = http::router(state, out);
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| e.to_string())
    })?;
    drop(out_dir);
    Ok(())
}
