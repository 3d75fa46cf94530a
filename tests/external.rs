//! `kagu check --external` against HTTP servers these tests start on 127.0.0.1 (never another
//! address): statuses, redirects, 429, a slow server, one that refuses HEAD, a dead port, the
//! cache, the skip list, the bound on requests per host; and build, check and serve without
//! `--external` make no request at all.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::harness::*;

/// What the test server saw.
#[derive(Default)]
struct Seen {
    requests: AtomicUsize,
    now: AtomicUsize,
    most: AtomicUsize,
    lines: Mutex<Vec<String>>,
}

/// A server on 127.0.0.1 that answers by path; each request on its own connection.
struct Web {
    port: u16,
    seen: Arc<Seen>,
}

impl Web {
    fn start() -> Web {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let seen = Arc::new(Seen::default());
        let shared = Arc::clone(&seen);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let seen = Arc::clone(&shared);
                std::thread::spawn(move || answer(stream, &seen));
            }
        });
        Web { port, seen }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn requests(&self) -> usize {
        self.seen.requests.load(Ordering::SeqCst)
    }
}

fn answer(stream: TcpStream, seen: &Seen) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        header.clear();
    }
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
    seen.lines.lock().expect("lines").push(format!("{method} {path}"));
    seen.requests.fetch_add(1, Ordering::SeqCst);
    let now = seen.now.fetch_add(1, Ordering::SeqCst) + 1;
    seen.most.fetch_max(now, Ordering::SeqCst);
    let (status, extra) = match path {
        p if p.starts_with("/ok") => ("200 OK", String::new()),
        p if p.starts_with("/held") => {
            std::thread::sleep(Duration::from_millis(150));
            ("200 OK", String::new())
        }
        "/moved" => ("301 Moved Permanently", "Location: /ok\r\n".into()),
        "/chain" => ("308 Permanent Redirect", "Location: /hop\r\n".into()),
        "/hop" => ("302 Found", "Location: /ok/end\r\n".into()),
        "/temporary" => ("302 Found", "Location: /ok\r\n".into()),
        "/loop" => ("302 Found", "Location: /loop-back\r\n".into()),
        "/loop-back" => ("302 Found", "Location: /loop\r\n".into()),
        "/gone" => ("410 Gone", String::new()),
        "/missing" => ("404 Not Found", String::new()),
        // Busy once, then fine: a polite client waits the second it is told to.
        "/busy" if busy_first(seen) => ("429 Too Many Requests", "Retry-After: 1\r\n".into()),
        "/busy" => ("200 OK", String::new()),
        "/slow" => {
            std::thread::sleep(Duration::from_secs(4));
            ("200 OK", String::new())
        }
        "/nohead" if method == "HEAD" => ("405 Method Not Allowed", String::new()),
        "/nohead" => ("200 OK", String::new()),
        _ => ("404 Not Found", String::new()),
    };
    let mut out = stream;
    let _ = write!(
        out,
        "HTTP/1.1 {status}\r\n{extra}Content-Length: 0\r\nConnection: close\r\n\r\n"
    );
    seen.now.fetch_sub(1, Ordering::SeqCst);
}

/// Is this the first request for /busy?
fn busy_first(seen: &Seen) -> bool {
    let lines = seen.lines.lock().expect("lines");
    lines.iter().filter(|l| l.ends_with(" /busy")).count() == 1
}

/// A port nothing listens on.
fn dead_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

fn check_external(s: &Site, cache: &std::path::Path) -> Run {
    Run::from(
        std::process::Command::new(env!("CARGO_BIN_EXE_kagu"))
            .args(["check", "--external", "--root"])
            .arg(s.root())
            .env("NO_COLOR", "1")
            .env("KAGU_CACHE_DIR", cache)
            .env_remove("HTTP_PROXY")
            .env_remove("HTTPS_PROXY")
            .env_remove("ALL_PROXY")
            .env_remove("http_proxy")
            .env_remove("https_proxy")
            .env_remove("all_proxy")
            .output()
            .expect("run kagu"),
    )
}

/// [`check_external`] with a cache of its own, empty.
fn check_fresh(s: &Site) -> Run {
    let cache = tempfile::tempdir().expect("cache");
    check_external(s, cache.path())
}

const SETTINGS: &str = "[external]\ntimeout = 2\nper_host = 2\ndelay_ms = 0\n";

/// The diagnostics expected for the links of [`each_broken_address_is_reported_where_it_is_written_and_once`]'s
/// page, whose `body` holds them one to a line.
fn page_expectations(body: &str, web: &Web, dead: u16) -> Vec<String> {
    // (line number in the file, the line, column, carets) of a link written `[text](url)`
    let caret = |url: &str, text: &str| {
        let needle = format!("[{text}]({url})");
        let (i, line) = body
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains(&needle))
            .expect("written");
        let mut at = line.find(&needle).expect("in line");
        let mut len = needle.len();
        if line[..at].ends_with('!') {
            at -= 1;
            len += 1;
        }
        (i + 5, line.to_string(), at + 1, " ".repeat(at) + &"^".repeat(len))
    };
    let mut expected = Vec::new();
    for (path, text, message, hint) in [
        (
            "/moved",
            "moved",
            "warning[W014]: `{u}` has moved for good (a permanent redirect)",
            format!("write the new address, `{}`", web.url("/ok")),
        ),
        (
            "/chain",
            "chain",
            "warning[W014]: `{u}` has moved for good (a permanent redirect)",
            format!("write the new address, `{}`", web.url("/ok/end")),
        ),
        (
            "/loop",
            "loop",
            "error[E076]: `{u}` does not work: its redirects go round in a loop",
            "fix the address, or remove the link".into(),
        ),
        (
            "/slow",
            "slow",
            "error[E076]: `{u}` does not work: no answer in time",
            "fix the address, or remove the link".into(),
        ),
        (
            &format!(":{dead}/x")[..],
            "dead",
            "error[E076]: `{u}` does not work: nothing answers there (connection refused)",
            "fix the address, or remove the link".into(),
        ),
        (
            "/missing",
            "A chart",
            "error[E076]: `{u}` does not work: it answers 404 Not Found",
            "fix the address, or remove the link".into(),
        ),
    ] {
        let u = if path.starts_with(':') {
            format!("http://127.0.0.1{path}")
        } else {
            web.url(path)
        };
        let (n, line, col, marks) = caret(&u, text);
        let pad = " ".repeat(n.to_string().len() + 1);
        expected.push(format!(
            "{}\n{pad}┌─ content/a.md:{n}:{col}\n{pad}│\n{n} │ {line}\n{pad}│ {marks}\n{pad}│\n{pad}= hint: {hint}",
            message.replace("{u}", &u)
        ));
    }
    expected
}

#[test]
fn each_broken_address_is_reported_where_it_is_written_and_once() {
    let web = Web::start();
    let dead = dead_port();
    let sources = format!(
        "[archived]\ntitle = \"A\"\nurl = \"{}\"\narchive_url = \"{}\"\n\n\
         [lost]\ntitle = \"L\"\nurl = \"{}\"\n\n[fine]\ntitle = \"F\"\nurl = \"{}\"\n\n\
         [wayback]\ntitle = \"W\"\nurl = \"{}\"\narchive_url = \"{}\"\narchived = true\n",
        web.url("/gone"),
        web.url("/ok/archive"),
        web.url("/missing"),
        web.url("/nohead"),
        web.url("/known-gone"),
        web.url("/ok/wayback"),
    );
    let body = format!(
        "Claims.[@archived] [@lost] [@fine] [@wayback]\n\n[moved]({})\n[chain]({})\n[temporary]({})\n[loop]({})\n\
         [busy]({})\n[slow]({})\n[dead](http://127.0.0.1:{dead}/x)\n![A chart]({})\n",
        web.url("/moved"),
        web.url("/chain"),
        web.url("/temporary"),
        web.url("/loop"),
        web.url("/busy"),
        web.url("/slow"),
        web.url("/missing"),
    );
    let s = Site::new()
        .file("kagu.toml", &format!("{CONFIG}{SETTINGS}"))
        .file("content/sources.toml", &sources)
        .file("content/a.md", &page("A", "", &body));
    let cache = tempfile::tempdir().expect("cache");
    let r = check_external(&s, cache.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    let p = web.port;
    let mut expected = vec![
        format!(
            "error[E076]: `http://127.0.0.1:{p}/gone` does not work: it answers 410 Gone
  ┌─ content/sources.toml:3:7
  │
3 │ url = \"http://127.0.0.1:{p}/gone\"
  │       {}
  │
  = hint: the live copy is gone; the archived copy works: cite it (make `archive_url` the `url`), or set `archived = true`",
            "^".repeat(web.url("/gone").len() + 2)
        ),
        format!(
            "error[E076]: `http://127.0.0.1:{p}/missing` does not work: it answers 404 Not Found
  ┌─ content/sources.toml:8:7
  │
8 │ url = \"http://127.0.0.1:{p}/missing\"
  │       {}
  │
  = hint: the source has no archived copy: find where it moved, and add an `archive_url` (from the Wayback Machine, say)",
            "^".repeat(web.url("/missing").len() + 2)
        ),
    ];
    expected.extend(page_expectations(&body, &web, dead));
    let got = diagnostics(&r);
    for e in &expected {
        assert!(got.contains(e.as_str()), "missing:\n{e}\n\nin:\n{got}");
    }
    assert_eq!(
        got.matches("error[").count() + got.matches("warning[").count(),
        expected.len(),
        "{got}"
    );
    // The sources whose address fails, with the pages that cite them.
    assert!(r.stderr.contains(&format!(
        "sources whose address fails, and the pages that cite them:\n  archived ({}): content/a.md\n  lost ({}): content/a.md\n",
        web.url("/gone"),
        web.url("/missing")
    )), "{}", r.stderr);
    // HEAD refused: asked again with GET, and fine; 429 waited out, then fine.
    let lines = web.seen.lines.lock().expect("lines").clone();
    assert!(lines.contains(&"GET /nohead".to_string()), "{lines:?}");
    // `archived = true`: the live copy is known to be gone; only the archived one is asked for.
    assert!(!lines.iter().any(|l| l.contains("/known-gone")), "{lines:?}");
    assert!(lines.contains(&"HEAD /ok/wayback".to_string()), "{lines:?}");
    let busy: Vec<&String> = lines.iter().filter(|l| l.ends_with(" /busy")).collect();
    assert_eq!(
        busy,
        ["HEAD /busy", "HEAD /busy"],
        "asked again after Retry-After, not with GET"
    );

    // Within the cache's lifetime a second run asks nothing, and says the same.
    let before = web.requests();
    let again = check_external(&s, cache.path());
    assert_eq!(web.requests(), before, "the second run made requests");
    assert_eq!(diagnostics(&again), got);
    assert!(
        again
            .stderr
            .ends_with("web address(es) checked (12 from the cache); nothing was written\n"),
        "{}",
        again.stderr
    );
}

#[test]
fn skipped_addresses_are_not_asked_for_and_one_host_gets_at_most_per_host_requests_at_once() {
    let web = Web::start();
    let links: String = (0..12)
        .map(|i| format!("[{i}]({}) ", web.url(&format!("/held/{i}"))))
        .collect();
    let s = Site::new()
        .file(
            "kagu.toml",
            &format!(
                "{CONFIG}{SETTINGS}skip = [\"{}\", \"example.invalid\"]\n",
                web.url("/missing")
            ),
        )
        .file(
            "content/a.md",
            &page(
                "A",
                "",
                &format!(
                    "{links}\n\n[skipped]({}) [other](https://example.invalid/x)\n",
                    web.url("/missing/page")
                ),
            ),
        );
    let r = check_fresh(&s);
    assert_eq!((r.code, diagnostics(&r)), (0, String::new()), "{}", r.stderr);
    let lines = web.seen.lines.lock().expect("lines").clone();
    assert!(!lines.iter().any(|l| l.contains("/missing")), "{lines:?}");
    assert_eq!(lines.len(), 12, "{lines:?}");
    assert_eq!(
        web.seen.most.load(Ordering::SeqCst),
        2,
        "requests at once to one host"
    );
}

/// Only `check --external` asks: build, check and serve make no request to the addresses the
/// site links to.
#[test]
fn build_check_and_serve_make_no_request() {
    let web = Web::start();
    let s = Site::new()
        .file(
            "content/sources.toml",
            &format!("[k]\ntitle = \"K\"\nurl = \"{}\"\n", web.url("/ok/source")),
        )
        .file(
            "content/a.md",
            &page(
                "A",
                "",
                &format!(
                    "[x]({}) ![An image]({})[@k]",
                    web.url("/ok/link"),
                    web.url("/ok/image.png")
                ),
            ),
        );
    assert_eq!(s.build().code, 0);
    assert_eq!(s.kagu(&["check"]).code, 0);
    let srv = crate::serve::Server::start(&s, &["--port", "0"]);
    let page = srv.get("/a/");
    assert!(page.body.contains(&web.url("/ok/link")));
    drop(srv);
    assert_eq!(web.requests(), 0, "{:?}", web.seen.lines.lock().expect("lines"));
    // The server does answer: `--external` reaches it.
    assert_eq!(check_fresh(&s).code, 0);
    assert_eq!(web.requests(), 3);
}

/// An address in a BibLaTeX entry, a template, an embed and a timeline event is reported where
/// it is written: the `url` field, the template's line, the page's line, the event in
/// timeline.toml.
#[test]
fn addresses_in_bibtex_templates_embeds_and_events_are_reported_where_written() {
    let web = Web::start();
    let s = Site::new()
        .file(
            "kagu.toml",
            &format!("{CONFIG}bibliography = [\"refs.bib\"]\n{SETTINGS}"),
        )
        .file(
            "refs.bib",
            &format!(
                "@online{{carter,\n  title = {{C}},\n  url = {{{}}}\n}}\n",
                web.url("/missing/bib")
            ),
        )
        .file(
            "content/timeline.toml",
            &format!(
                "[[event]]\ndate = \"2024\"\ntitle = \"T\"\ndescription = \"See [the report]({}).\"\n",
                web.url("/missing/event")
            ),
        )
        .file(
            "content/a.md",
            &page(
                "A",
                "",
                &format!(
                    "Cited [@carter].\n\n[A video]({} \"embed\")\n\n{{{{ timeline() }}}}\n",
                    web.url("/missing/embed")
                ),
            ),
        )
        .file(
            "templates/extra_head.html",
            &format!(
                "<link rel=\"author\" href=\"{}\">\n",
                web.url("/missing/template")
            ),
        );
    let r = check_fresh(&s);
    let p = web.port;
    let u = |path: &str| format!("http://127.0.0.1:{p}{path}");
    let carets = |n: usize| "^".repeat(n);
    assert_eq!(
        diagnostics(&r),
        format!(
            "error[E076]: `{evt}` does not work: it answers 404 Not Found
  ┌─ content/timeline.toml:4:20
  │
4 │ description = \"See [the report]({evt}).\"
  │                    {c_evt}
  │
  = hint: fix the address, or remove the link

error[E076]: `{bib}` does not work: it answers 404 Not Found
  ┌─ refs.bib:3:10
  │
3 │   url = {{{bib}}}
  │          {c_bib}
  │
  = hint: the source has no archived copy: find where it moved, and add an `archive_url` (from the Wayback Machine, say)

error[E076]: `{tpl}` does not work: it answers 404 Not Found
  ┌─ templates/extra_head.html:1:26
  │
1 │ <link rel=\"author\" href=\"{tpl}\">
  │                          {c_tpl}
  │
  = hint: fix the address, or remove the link

error[E076]: `{emb}` does not work: it answers 404 Not Found
  ┌─ content/a.md:7:1
  │
7 │ [A video]({emb} \"embed\")
  │ {c_emb}
  │
  = hint: fix the address, or remove the link

sources whose address fails, and the pages that cite them:
  carter ({bib}): content/a.md",
            bib = u("/missing/bib"),
            c_bib = carets(u("/missing/bib").len()),
            tpl = u("/missing/template"),
            c_tpl = carets(u("/missing/template").len()),
            emb = u("/missing/embed"),
            c_emb = carets(u("/missing/embed").len() + 19),
            evt = u("/missing/event"),
            c_evt = carets(u("/missing/event").len() + 14),
        )
    );
}

/// A server that answers a secure connection's first message with plain text: the handshake
/// fails, and the message says so.
#[test]
fn a_failed_secure_connection_says_so() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        }
    });
    let url = format!("https://127.0.0.1:{port}/secure");
    let s = Site::new()
        .file("kagu.toml", &format!("{CONFIG}{SETTINGS}"))
        .file("content/a.md", &page("A", "", &format!("[secure]({url})")));
    let r = check_fresh(&s);
    let carets = "^".repeat(url.len() + 10);
    assert_eq!(
        diagnostics(&r),
        format!(
            "error[E076]: `{url}` does not work: its secure connection fails (received corrupt message of type InvalidContentType)
  ┌─ content/a.md:5:1
  │
5 │ [secure]({url})
  │ {carets}
  │
  = hint: fix the address, or remove the link"
        )
    );
}
