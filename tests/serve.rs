//! `kagu serve` over real HTTP on 127.0.0.1: serving, edits of every kind, the error overlay's
//! data, path traversal, ports in use. The Chromium test drives a real browser.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::*;

pub(crate) struct Server {
    child: Child,
    pub url: String,
    pub port: u16,
    stderr: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        end(&mut self.child);
    }
}

pub(crate) fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(5)))
        .build()
        .into()
}

pub(crate) struct Reply {
    pub status: u16,
    pub headers: ureq::http::HeaderMap,
    pub body: String,
}

impl Server {
    pub(crate) fn start(site: &Site, args: &[&str]) -> Server {
        Server::start_with_env(site, args, &[])
    }

    pub(crate) fn start_with_env(site: &Site, args: &[&str], env: &[(&str, &std::path::Path)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kagu"))
            .arg("serve")
            .arg("--root")
            .arg(site.root())
            .args(args)
            .envs(env.iter().map(|(k, v)| (*k, *v)))
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start kagu serve");
        let stderr = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let mut err = child.stderr.take().expect("stderr");
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .expect("lock")
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("first line");
        let url = line.split_whitespace().last().unwrap_or_default().to_string();
        assert!(
            url.starts_with("http://127.0.0.1:"),
            "unexpected first line {line:?}, stderr {}",
            stderr.lock().expect("lock")
        );
        let port = url
            .trim_end_matches('/')
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("port");
        Server {
            child,
            url,
            port,
            stderr,
        }
    }

    /// Sends a signal and waits (up to five seconds) for the server to end; how long it took.
    pub(crate) fn stop_with(&mut self, signal: &str) -> Duration {
        let number = match signal {
            "INT" => libc::SIGINT,
            "TERM" => libc::SIGTERM,
            "HUP" => libc::SIGHUP,
            other => panic!("no signal SIG{other} here"),
        };
        signal_and_wait(&mut self.child, number, Duration::from_secs(5))
            .unwrap_or_else(|| panic!("kagu serve did not stop within 5 s of SIG{signal}"))
    }

    pub(crate) fn stderr(&self) -> String {
        self.stderr.lock().expect("lock").clone()
    }

    pub(crate) fn get(&self, path: &str) -> Reply {
        self.request("GET", path, &[])
    }

    pub(crate) fn request(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> Reply {
        let url = format!("{}{}", self.url, path.trim_start_matches('/'));
        let agent = agent();
        let mut req = match method {
            "HEAD" => agent.head(&url),
            _ => agent.get(&url),
        };
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let mut r = req.call().unwrap_or_else(|e| panic!("{method} {url}: {e}"));
        let body = if method == "HEAD" {
            String::new()
        } else {
            r.body_mut().read_to_string().unwrap_or_default()
        };
        Reply {
            status: r.status().as_u16(),
            headers: r.headers().clone(),
            body,
        }
    }

    /// Polls `path` until `pred` holds, for up to ten seconds.
    pub(crate) fn wait_for(&self, path: &str, what: &str, pred: impl Fn(&Reply) -> bool) -> Reply {
        let start = Instant::now();
        loop {
            let r = self.get(path);
            if pred(&r) {
                return r;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "{what}: gave up on {path}; last reply {} {}\nserver said:\n{}",
                r.status,
                r.body,
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub(crate) fn status(&self) -> serde_json::Value {
        serde_json::from_str(&self.get("/__kagu/status").body).expect("status json")
    }

    /// The event a new page receives when it connects (the current state).
    pub(crate) fn first_event(&self) -> serde_json::Value {
        self.read_events(None)
    }

    /// The first Server-Sent Event a connected page receives after `after` runs.
    pub(crate) fn next_event(&self, after: impl FnOnce()) -> serde_json::Value {
        self.read_events(Some(Box::new(after)))
    }

    fn read_events(&self, after: Option<Box<dyn FnOnce() + '_>>) -> serde_json::Value {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        write!(
            s,
            "GET /__kagu/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("write");
        let mut reader = BufReader::new(s);
        let mut events = Vec::new();
        let mut after = after.map(Some);
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap_or_else(|e| {
            panic!(
                "read event stream: {e}; got {events:?}; server said:\n{}",
                self.stderr()
            )
        }) > 0
        {
            if let Some(data) = line.trim_end().strip_prefix("data: ") {
                events.push(serde_json::from_str::<serde_json::Value>(data).expect("event json"));
                match after.as_mut().and_then(Option::take) {
                    Some(f) => f(),
                    None => return events.pop().expect("event"),
                }
            }
            line.clear();
        }
        panic!("event stream ended: {events:?}");
    }
}

fn site() -> Site {
    Site::new()
        .file("content/_index.md", &page("Home", "", "Start at [one](one.md)."))
        .file(
            "content/one.md",
            &page("One", "weight = 1\n", "## First\n\nFirst text."),
        )
        .file(
            "content/two.md",
            &page("Two", "weight = 2\n", "Second text, see [one](one.md#first)."),
        )
        .file("content/part/_index.md", &page("Part", "weight = 3\n", "A part."))
        .file("content/part/a.md", &page("Part A", "weight = 1\n", "Leaf A."))
        .file("content/part/b.md", &page("Part B", "weight = 2\n", "Leaf B."))
        .file("static/extra.css", "body { color: black; }\n")
}

#[test]
fn serves_the_site_with_types_folders_head_ranges_and_its_404_page() {
    let s = site();
    let srv = Server::start(&s, &["--port", "0"]);
    let home = srv.get("/");
    assert_eq!(home.status, 200);
    assert!(
        home.body.contains("<script src=\"/__kagu/client.js\"></script>"),
        "live reload client injected"
    );
    assert_eq!(srv.get("/one/").headers["content-type"], "text/html");
    assert_eq!(srv.get("/kagu.css").headers["content-type"], "text/css");
    assert!(srv.get("/__kagu/client.js").body.contains("EventSource"));
    let head = srv.request("HEAD", "/one/index.html", &[]);
    assert_eq!(head.status, 200);
    assert!(
        head.headers["content-length"]
            .to_str()
            .expect("len")
            .parse::<usize>()
            .expect("n")
            > 100
    );
    let part = srv.request("GET", "/extra.css", &[("Range", "bytes=0-3")]);
    assert_eq!(part.status, 206);
    assert_eq!(part.body, "body");
    let missing = srv.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"), "the site's own 404 page");
    assert!(!s.public().exists(), "serve never writes public/");
}

fn raw_status(port: u16, path: &str) -> (String, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .expect("write");
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    (out.lines().next().unwrap_or_default().to_string(), out)
}

#[test]
fn nothing_outside_the_site_is_ever_served() {
    let s = site().file("secret.txt", "TOP SECRET");
    let srv = Server::start(&s, &["--port", "0"]);
    for path in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/one/../../secret.txt",
        "//etc/passwd",
        "/kagu.toml",
    ] {
        let (status, all) = raw_status(srv.port, path);
        assert!(
            !all.contains("TOP SECRET") && !all.contains("root:"),
            "{path} leaked: {status}"
        );
        assert!(
            status.contains(" 404 ") || status.contains(" 400 "),
            "{path}: {status}"
        );
    }
}

#[test]
fn edits_in_place_and_atomic_saves_show_up() {
    let s = site();
    let srv = Server::start(&s, &["--port", "0"]);
    let s = s.file(
        "content/one.md",
        &page("One", "weight = 1\n", "## First\n\nEdited in place."),
    );
    srv.wait_for("/one/", "in-place edit", |r| r.body.contains("Edited in place."));
    // vim-style: swap file, write a temp file, rename it over the original.
    let root = s.root().to_path_buf();
    std::fs::write(root.join("content/.two.md.swp"), "swap").expect("swap");
    std::fs::write(
        root.join("content/two.md.tmp.4242"),
        page("Two", "weight = 2\n", "Saved atomically."),
    )
    .expect("tmp");
    std::fs::rename(root.join("content/two.md.tmp.4242"), root.join("content/two.md")).expect("rename");
    std::fs::remove_file(root.join("content/.two.md.swp")).expect("rm swap");
    srv.wait_for("/two/", "atomic save", |r| r.body.contains("Saved atomically."));
    // JetBrains safe write.
    std::fs::write(
        root.join("content/one.md___jb_tmp___"),
        page("One", "weight = 1\n", "## First\n\nSafe write."),
    )
    .expect("jb");
    std::fs::rename(
        root.join("content/one.md"),
        root.join("content/one.md___jb_old___"),
    )
    .expect("jb old");
    std::fs::rename(
        root.join("content/one.md___jb_tmp___"),
        root.join("content/one.md"),
    )
    .expect("jb new");
    std::fs::remove_file(root.join("content/one.md___jb_old___")).expect("jb rm");
    srv.wait_for("/one/", "safe write", |r| r.body.contains("Safe write."));
    assert!(
        srv.status()["errors"].as_array().expect("errors").is_empty(),
        "{}",
        srv.stderr()
    );
}

#[test]
fn created_deleted_and_renamed_pages_and_new_folders() {
    let s = site();
    let srv = Server::start(&s, &["--port", "0"]);
    let s = s.file("content/three.md", &page("Three", "weight = 4\n", "Third text."));
    srv.wait_for("/three/", "created page", |r| {
        r.status == 200 && r.body.contains("Third text.")
    });
    srv.wait_for("/", "home lists it", |r| r.body.contains("Three"));
    std::fs::rename(
        s.root().join("content/three.md"),
        s.root().join("content/four.md"),
    )
    .expect("rename");
    srv.wait_for("/four/", "renamed page", |r| r.status == 200);
    srv.wait_for("/three/", "old name gone", |r| r.status == 404);
    let s = s.remove("content/four.md");
    srv.wait_for("/four/", "deleted page", |r| r.status == 404);
    let _s = s.file(
        "content/fresh/_index.md",
        &page("Fresh", "weight = 5\n", "In a new folder."),
    );
    srv.wait_for("/fresh/", "page in a new folder", |r| {
        r.body.contains("In a new folder.")
    });
}

#[test]
fn a_leaf_edit_rewrites_only_what_it_affects() {
    let s = site();
    let srv = Server::start(&s, &["--port", "0"]);
    let builds = srv.status()["builds"].as_u64().expect("builds");
    let _s = s.file(
        "content/part/a.md",
        &page("Part A", "weight = 1\n", "Leaf A, edited."),
    );
    srv.wait_for("/part/a/", "leaf edit", |r| r.body.contains("Leaf A, edited."));
    let st = srv.status();
    assert!(st["builds"].as_u64().expect("builds") > builds);
    let written = st["written"].as_u64().expect("written");
    assert!(written <= 3, "a body edit of a leaf page wrote {written} files");
}

#[test]
fn errors_keep_the_last_good_site_and_clear_once_fixed() {
    let s = site();
    let srv = Server::start(&s, &["--port", "0"]);
    let event = srv.next_event(|| {
        std::fs::write(
            s.root().join("content/two.md"),
            "+++\ntitle = \"Two\nweight = 2\n+++\nBroken.",
        )
        .expect("write");
    });
    assert_eq!(event["kind"], "errors", "{event}");
    let e = &event["errors"][0];
    assert_eq!(e["file"], "content/two.md");
    assert_eq!(e["line"], 2);
    assert_eq!(e["code"], "E001");
    let two = srv.get("/two/");
    assert_eq!(two.status, 200);
    assert!(
        two.body.contains("Second text"),
        "the last good page is still served"
    );
    let _s = s.file("content/two.md", &page("Two", "weight = 2\n", "Fixed now."));
    srv.wait_for("/two/", "fix", |r| r.body.contains("Fixed now."));
    assert!(srv.status()["errors"].as_array().expect("errors").is_empty());
    let first = srv.first_event();
    assert_eq!(first["kind"], "ok", "a new page load sees no errors: {first}");
    assert!(
        srv.stderr().contains("error[E001]"),
        "the terminal shows the error too"
    );
}

#[test]
fn a_css_edit_swaps_stylesheets_and_a_template_edit_reloads() {
    let s = site();
    let srv = Server::start(&s, &["--port", "0"]);
    let event = srv.next_event(|| {
        std::fs::write(s.root().join("static/extra.css"), "body { color: red; }\n").expect("css");
    });
    assert_eq!(event["kind"], "css", "{event}");
    assert!(srv.get("/extra.css").body.contains("red"));
    let event = srv.next_event(|| {
        std::fs::create_dir_all(s.root().join("templates")).expect("dir");
        std::fs::write(
            s.root().join("templates/page.html"),
            "<!DOCTYPE html><html><body><p>custom {{ page.title }}</p></body></html>",
        )
        .expect("tpl");
    });
    assert_eq!(event["kind"], "reload", "{event}");
    srv.wait_for("/one/", "template edit", |r| r.body.contains("custom One"));
}

#[test]
fn a_port_in_use_gets_the_next_free_one() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let s = site();
    let srv = Server::start(&s, &["--port", &port.to_string()]);
    assert_ne!(srv.port, port);
    assert!(
        srv.stderr()
            .contains(&format!("port {port} is in use; serving on port")),
        "{}",
        srv.stderr()
    );
    assert_eq!(srv.get("/").status, 200);
}

#[test]
fn prose_edits_take_the_fast_path_and_structural_edits_still_reach_other_pages() {
    let s = site().file(
        "content/one.md",
        &page(
            "One",
            "weight = 1\n",
            "## First\n\nSee [two](two.md).\n\n## Second\n\nMore.",
        ),
    );
    let srv = Server::start(&s, &["--port", "0"]);
    srv.wait_for("/two/", "backlink", |r| r.body.contains("One › First"));
    // Prose only: one file written.
    let s = s.file(
        "content/one.md",
        &page(
            "One",
            "weight = 1\n",
            "## First\n\nSee [two](two.md), now longer.\n\n## Second\n\nMore.",
        ),
    );
    srv.wait_for("/one/", "prose edit", |r| r.body.contains("now longer"));
    assert_eq!(srv.status()["written"], 1, "a prose edit rewrites only its page");
    // The link moves under another heading: the target's "Referenced in" must follow.
    let s = s.file(
        "content/one.md",
        &page(
            "One",
            "weight = 1\n",
            "## First\n\nNothing here.\n\n## Second\n\nSee [two](two.md).",
        ),
    );
    srv.wait_for("/two/", "backlink heading moves", |r| {
        r.body.contains("One › Second")
    });
    // A new title reaches the neighbour's prev/next link and every page's reading path.
    let _s = s.file(
        "content/one.md",
        &page(
            "Uno",
            "weight = 1\n",
            "## First\n\nNothing.\n\n## Second\n\nSee [two](two.md).",
        ),
    );
    srv.wait_for("/two/", "title in prev link", |r| r.body.contains("Uno"));
    srv.wait_for("/part/b/", "title in reading path", |r| r.body.contains("Uno"));
}

/// A live-reload stream held open, as a browser tab holds it.
fn open_event_stream(port: u16) -> TcpStream {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(s, "GET /__kagu/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").expect("write");
    let mut first = [0u8; 64];
    s.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout");
    assert!(s.read(&mut first).expect("read") > 0);
    s
}

#[test]
fn signals_stop_the_server_within_a_second_with_connections_open() {
    for signal in ["INT", "TERM", "HUP"] {
        let tmp = tempfile::tempdir().expect("temp");
        let s = site();
        // The live folder goes in the memory folder, else the temp folder: both are `tmp`.
        let env = [("TMPDIR", tmp.path()), ("XDG_RUNTIME_DIR", tmp.path())];
        let mut srv = Server::start_with_env(&s, &["--port", "0"], &env);
        let _events = open_event_stream(srv.port);
        let _idle = TcpStream::connect(("127.0.0.1", srv.port)).expect("connect");
        let mut half = TcpStream::connect(("127.0.0.1", srv.port)).expect("connect");
        write!(half, "GET / HTTP/1.1\r\nHost: 1").expect("write");
        let took = srv.stop_with(signal);
        assert!(took < Duration::from_secs(1), "SIG{signal}: {took:?}");
        let left: Vec<_> = std::fs::read_dir(tmp.path()).expect("read").collect();
        assert!(left.is_empty(), "SIG{signal}: temporary folder left: {left:?}");
    }
}

/// A signal while the first build runs stops the server once that build is done, and its folder
/// goes with it. Regression: Ctrl-C's handler was made only when the server began serving, so a
/// Ctrl-C before then ended the process as the default action does and left the folder behind.
#[test]
fn a_signal_during_the_first_build_stops_the_server_and_removes_its_folder() {
    let mut s = site();
    for i in 0..300 {
        s = s.file(
            &format!("content/many/p{i}.md"),
            &page(
                &format!("Page {i}"),
                "",
                &"Some words to parse and write. ".repeat(200),
            ),
        );
    }
    for (name, signal) in [("INT", libc::SIGINT), ("TERM", libc::SIGTERM)] {
        let tmp = tempfile::tempdir().expect("temp");
        let mut child = Command::new(env!("CARGO_BIN_EXE_kagu"))
            .args(["serve", "--port", "0", "--root"])
            .arg(s.root())
            .env("TMPDIR", tmp.path())
            .env("XDG_RUNTIME_DIR", tmp.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start kagu serve");
        let mut out = child.stdout.take().expect("stdout");
        let (serving, said) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut first = [0u8; 1];
            let _ = serving.send(out.read(&mut first).is_ok_and(|n| n > 0));
            let _ = std::io::copy(&mut out, &mut std::io::sink());
        });
        // The live folder is made just before the handlers; the first build comes after both.
        let start = Instant::now();
        while std::fs::read_dir(tmp.path()).map_or(0, Iterator::count) == 0 {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "SIG{name}: no live folder"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        std::thread::sleep(Duration::from_millis(50));
        assert!(
            said.try_recv().is_err(),
            "SIG{name}: the first build ended before the signal (the test needs a larger site)"
        );
        let took = signal_and_wait(&mut child, signal, Duration::from_secs(60));
        assert!(took.is_some(), "SIG{name}: kagu serve did not stop");
        let status = child.wait().expect("status");
        assert_eq!(status.code(), Some(0), "SIG{name}: {status}");
        let left: Vec<_> = std::fs::read_dir(tmp.path()).expect("read").collect();
        assert!(left.is_empty(), "SIG{name}: temporary folder left: {left:?}");
    }
}

#[test]
fn a_panic_in_a_rebuild_is_reported_and_the_next_edit_rebuilds() {
    let s = site();
    let srv = Server::start_with_env(
        &s,
        &["--port", "0"],
        &[("KAGU_FAULT_PANIC", std::path::Path::new("boom"))],
    );
    let s = s.file("content/boom.md", &page("Boom", "", "Text."));
    let start = Instant::now();
    let status = loop {
        let st = srv.status();
        if st["errors"].as_array().is_some_and(|e| !e.is_empty()) || start.elapsed() > Duration::from_secs(10)
        {
            break st;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status["errors"][0]["code"], "E090", "{status}");
    assert_eq!(
        status["errors"][0]["message"],
        "kagu failed while rebuilding: fault injected for boom"
    );
    assert!(srv
        .stderr()
        .contains("error[E090]: kagu failed while rebuilding: fault injected for boom"));
    // The server still serves, and the next edit rebuilds the whole site again.
    assert_eq!(srv.get("/one/").status, 200);
    let _s = s.file(
        "content/two.md",
        &page("Two", "weight = 2\n", "Edited after the panic."),
    );
    srv.wait_for("/two/", "rebuilt after the panic", |r| {
        r.body.contains("Edited after the panic.")
    });
    // The report follows once the whole rebuild is done (the edited page is written first).
    let start = Instant::now();
    while srv.status()["errors"] != serde_json::json!([]) {
        assert!(start.elapsed() < Duration::from_secs(10), "{}", srv.status());
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_file_that_cannot_be_read_is_an_error_not_a_deletion() {
    let s = site();
    let srv = Server::start(&s, &["--port", "0"]);
    std::fs::write(
        s.root().join("content/one.md"),
        b"+++\ntitle = \"One\"\n+++\n\nbad \xff byte\n",
    )
    .expect("write");
    let start = Instant::now();
    while srv.status()["errors"].as_array().is_none_or(Vec::is_empty) {
        assert!(start.elapsed() < Duration::from_secs(10), "{}", srv.stderr());
        std::thread::sleep(Duration::from_millis(20));
    }
    let st = srv.status();
    let errors = st["errors"].as_array().expect("errors");
    let e009: Vec<_> = errors.iter().filter(|e| e["code"] == "E009").collect();
    assert_eq!(e009.len(), 1, "{st}");
    assert_eq!(e009[0]["file"], "content/one.md");
    assert_eq!(
        (e009[0]["line"].as_u64(), e009[0]["column"].as_u64()),
        (Some(5), Some(5))
    );
    // The page is still there: the last good site stays.
    let one = srv.get("/one/");
    assert_eq!(one.status, 200);
    assert!(one.body.contains("First text."));
}

#[test]
fn a_removed_folder_drops_its_pages_and_a_removed_content_folder_is_an_error() {
    let s = site();
    let srv = Server::start(&s, &["--port", "0"]);
    assert_eq!(srv.get("/part/a/").status, 200);
    std::fs::remove_dir_all(s.root().join("content/part")).expect("rm");
    srv.wait_for("/part/a/", "pages of a removed folder dropped", |r| {
        r.status == 404
    });
    srv.wait_for("/", "home no longer lists the part", |r| {
        !r.body.contains("Part A")
    });
    std::fs::remove_dir_all(s.root().join("content")).expect("rm");
    let start = Instant::now();
    loop {
        let st = srv.status();
        if let Some(e) = st["errors"].as_array().filter(|e| !e.is_empty()) {
            assert_eq!(e.len(), 1, "{st}");
            assert_eq!(e[0]["code"], "E022");
            assert!(e[0]["message"]
                .as_str()
                .expect("message")
                .starts_with("content folder `"));
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "{}", srv.stderr());
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn idle_and_trickling_connections_are_closed_after_the_header_timeout() {
    let s = site();
    let srv = Server::start(&s, &["--port", "0"]);
    let mut idle = TcpStream::connect(("127.0.0.1", srv.port)).expect("connect");
    let mut trickle = TcpStream::connect(("127.0.0.1", srv.port)).expect("connect");
    write!(trickle, "GET / HTTP/1.1\r\n").expect("write");
    let start = Instant::now();
    for c in [&mut idle, &mut trickle] {
        c.set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        let mut buf = [0u8; 256];
        // Closed by the server: end of stream (or a 408 reply, then the end).
        loop {
            match c.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
        }
    }
    let took = start.elapsed();
    assert!(
        took >= Duration::from_secs(9) && took < Duration::from_secs(15),
        "{took:?}"
    );
    // Other requests were served all along.
    assert_eq!(srv.get("/").status, 200);
}

#[test]
fn a_template_that_grows_without_bound_is_stopped_in_the_dev_server_too() {
    let s = site()
        .file("kagu.toml", &format!("{CONFIG}max_page_mb = 1\n"))
        .file(
            "templates/page.html",
            "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{{ page.title }} {% endfor %}{% endfor %}",
        );
    let srv = Server::start(&s, &["--port", "0"]);
    let st = srv.status();
    let errors = st["errors"].as_array().expect("errors");
    assert!(!errors.is_empty(), "{st}");
    assert!(errors.iter().all(|e| e["code"] == "E013"), "{st}");
    assert_eq!(
        errors[0]["message"],
        "template `page.html` was stopped: the page grew past 1 MB (`max_page_mb` in kagu.toml)"
    );
    assert_eq!(errors[0]["file"], "templates/page.html");
}

/// The project's own `.csl` file is part of the configuration: editing it, or switching to a
/// style of another class in kagu.toml, re-renders the citations.
#[test]
fn a_citation_style_file_edit_re_renders_the_citations() {
    let csl = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/csl/ibid-notes.csl"
    ))
    .expect("the test style");
    let site = Site::new()
        .file("kagu.toml", &format!("{CONFIG}citation_style = \"notes.csl\"\n"))
        .file("notes.csl", &csl)
        .file(
            "content/sources.toml",
            "[k]\ntitle = \"Kept Promises\"\nauthor = \"Doe, Jane\"\n",
        )
        .file("content/a.md", &page("A", "", "Claim [@k]."));
    let srv = Server::start(&site, &["--port", "0"]);
    srv.wait_for("/a/", "the note", |r| {
        r.body.contains("Jane Doe, <i>Kept Promises</i>.")
    });
    std::fs::write(
        site.root().join("notes.csl"),
        csl.replace("suffix=\".\" delimiter", "suffix=\"!\" delimiter"),
    )
    .expect("edit the style");
    srv.wait_for("/a/", "the edited style", |r| {
        r.body.contains("Jane Doe, <i>Kept Promises</i>!")
    });
    std::fs::write(
        site.root().join("kagu.toml"),
        format!("{CONFIG}citation_style = \"apa\"\n"),
    )
    .expect("switch the style");
    srv.wait_for("/a/", "an author-date style", |r| r.body.contains("(Doe, n.d.)"));
}

/// The placeholder address `kagu init` writes is a build's warning (W010), not the dev server's:
/// it serves at its own address.
#[test]
fn the_dev_server_does_not_warn_of_the_placeholder_address() {
    let s = site().file(
        "kagu.toml",
        "title = \"T\"\nbase_url = \"https://example.org/my-explainer/\"\n",
    );
    assert!(s.kagu(&["check"]).stderr.contains("warning[W010]"));
    let srv = Server::start(&s, &["--port", "0"]);
    assert_eq!(srv.get("/one/").status, 200);
    assert!(!srv.stderr().contains("W010"), "{}", srv.stderr());
}

/// The site is served from memory where the system has it (`$XDG_RUNTIME_DIR` here), in a folder
/// named by the server's process id; a folder left by a server that is no longer running is
/// removed at start, nothing else is, and the server removes its own when it stops.
#[test]
fn the_live_folder_is_in_memory_and_a_dead_servers_folder_is_swept() {
    let runtime = tempfile::tempdir().expect("temp");
    // No process has this id (Linux's pid_max is at most 4,194,304).
    let stale = runtime.path().join("kagu-serve-999999999-abc");
    let alive = runtime
        .path()
        .join(format!("kagu-serve-{}-xyz", std::process::id()));
    let other = runtime.path().join("kagu-serve-notes");
    for d in [&stale, &alive, &other] {
        std::fs::create_dir_all(d.join("sub")).expect("mkdir");
        std::fs::write(d.join("sub/index.html"), "x").expect("write");
    }
    let site = Site::one_page("Text.");
    let mut server = Server::start_with_env(&site, &["--port", "0"], &[("XDG_RUNTIME_DIR", runtime.path())]);
    let names = || -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(runtime.path())
            .expect("read")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let own = format!("kagu-serve-{}-", server.child.id());
    let now = names();
    assert!(!stale.exists(), "{now:?}");
    assert!(alive.join("sub/index.html").is_file() && other.join("sub/index.html").is_file());
    let live: Vec<&String> = now.iter().filter(|n| n.starts_with(&own)).collect();
    assert_eq!(live.len(), 1, "{now:?}");
    assert!(runtime.path().join(live[0]).join("a/index.html").is_file());
    server.stop_with("TERM");
    assert_eq!(
        names(),
        [
            alive.file_name().unwrap().to_string_lossy().into_owned(),
            "kagu-serve-notes".to_string()
        ]
    );
}
