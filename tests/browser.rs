//! End-to-end in real headless Chromium (Debian's chromium and chromedriver), against
//! `kagu serve` on 127.0.0.1: live reload with the scroll position kept, the error overlay,
//! stylesheet swaps without a reload. Run with `cargo test -- --include-ignored`.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::harness::*;
use crate::serve::{agent, Server};

struct Driver {
    child: Child,
    base: String,
    session: String,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = agent()
            .delete(&format!("{}/session/{}", self.base, self.session))
            .call();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// WebDriver calls wait for page loads, which take a while with several browsers on two cores.
fn driver_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(90)))
        .build()
        .into()
}

fn post(url: &str, body: Value) -> Value {
    let mut r = driver_agent()
        .post(url)
        .content_type("application/json")
        .send(body.to_string())
        .unwrap_or_else(|e| panic!("POST {url}: {e}"));
    let text = r.body_mut().read_to_string().expect("body");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{url}: {e}: {text}"))
}

impl Driver {
    fn start() -> Driver {
        let port = free_port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (Debian's chromium-driver) must be installed for this test");
        let base = format!("http://127.0.0.1:{port}");
        let start = Instant::now();
        while agent().get(&format!("{base}/status")).call().is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile = tempfile::tempdir().expect("profile");
        // The flags keep Chromium off the network: this machine has none but loopback.
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1200,800",
            &format!("--user-data-dir={}", profile.path().display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args}
        }}});
        let v = post(&format!("{base}/session"), caps);
        let session = v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {v}"))
            .to_string();
        Driver {
            child,
            base,
            session,
            _profile: profile,
        }
    }

    fn go(&self, url: &str) {
        post(
            &format!("{}/session/{}/url", self.base, self.session),
            json!({ "url": url }),
        );
    }

    fn js(&self, script: &str) -> Value {
        let v = post(
            &format!("{}/session/{}/execute/sync", self.base, self.session),
            json!({ "script": script, "args": [] }),
        );
        v["value"].clone()
    }

    fn wait(&self, what: &str, script: &str) -> Value {
        let start = Instant::now();
        loop {
            let v = self.js(script);
            if v.as_bool() != Some(false) && !v.is_null() {
                return v;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "{what}: `{script}` never held"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn long_page(extra: &str) -> String {
    let filler: String = (0..60)
        .map(|i| format!("Paragraph {i} of filler text for scrolling.\n\n"))
        .collect();
    page("Long", "", &format!("{extra}\n\n{filler}"))
}

#[test]
#[ignore = "needs chromium"]
fn an_edit_reloads_the_open_page_and_keeps_its_scroll_position() {
    let s = Site::new()
        .file("content/long.md", &long_page("First version."))
        .file("static/extra.css", "p { color: rgb(0, 0, 0); }\n");
    let srv = Server::start(&s, &["--port", "0"]);
    let browser = Driver::start();
    browser.go(&format!("{}long/", srv.url));
    browser.wait(
        "page loaded",
        "return document.body.innerText.includes('First version.')",
    );
    browser.wait(
        "live reload connected",
        "return document.documentElement.dataset.kaguLive === 'connected'",
    );
    browser.js("window.scrollTo(0, 900); window.__kagu_test_marker = 1; return window.scrollY;");
    std::thread::sleep(Duration::from_millis(200));
    let _s = s.file("content/long.md", &long_page("Second version."));
    browser.wait(
        "new text without a manual reload",
        "return document.body.innerText.includes('Second version.')",
    );
    assert_eq!(
        browser.js("return window.__kagu_test_marker === undefined"),
        json!(true),
        "the page reloaded itself"
    );
    let y = browser.wait(
        "scroll restored",
        "return window.scrollY > 0 ? window.scrollY : false",
    );
    assert!(
        (y.as_f64().unwrap_or(0.0) - 900.0).abs() < 50.0,
        "scroll position kept, got {y}"
    );
}

#[test]
#[ignore = "needs chromium"]
fn errors_show_in_an_overlay_that_goes_away_once_fixed() {
    let s = Site::new().file("content/long.md", &long_page("Fine."));
    let srv = Server::start(&s, &["--port", "0"]);
    let browser = Driver::start();
    browser.go(&format!("{}long/", srv.url));
    browser.wait("page loaded", "return document.body.innerText.includes('Fine.')");
    browser.wait(
        "live reload connected",
        "return document.documentElement.dataset.kaguLive === 'connected'",
    );
    std::fs::write(
        s.root().join("content/long.md"),
        "+++\ntitle = \"Long\nbad\n+++\n",
    )
    .expect("write");
    let text = browser.wait(
        "overlay",
        "const o = document.getElementById('kagu-overlay'); return o ? o.innerText : false",
    );
    let text = text.as_str().expect("text");
    assert!(text.contains("content/long.md:3:4"), "{text}");
    assert!(text.contains("E001"), "{text}");
    assert!(
        browser.js("return document.body.innerText.includes('Fine.')") == json!(true),
        "the last good page stays"
    );
    let _s = s.file("content/long.md", &long_page("Fixed."));
    browser.wait("fixed page", "return document.body.innerText.includes('Fixed.')");
    browser.wait(
        "overlay gone",
        "return document.getElementById('kagu-overlay') === null",
    );
}

#[test]
#[ignore = "needs chromium"]
fn a_stylesheet_edit_applies_without_a_reload() {
    let template = "<!DOCTYPE html><html lang=\"en\"><head><title>t</title>\
        <link rel=\"stylesheet\" href=\"{{ root }}extra.css\"></head><body><p id=\"p\">Styled.</p></body></html>";
    let s = Site::new()
        .file("content/styled.md", &page("Styled", "", "Styled."))
        .file("static/extra.css", "p { color: rgb(0, 0, 0); }\n")
        .file("templates/page.html", template);
    let srv = Server::start(&s, &["--port", "0"]);
    let browser = Driver::start();
    browser.go(&format!("{}styled/", srv.url));
    browser.wait(
        "black",
        "return getComputedStyle(document.getElementById('p')).color === 'rgb(0, 0, 0)'",
    );
    browser.wait(
        "live reload connected",
        "return document.documentElement.dataset.kaguLive === 'connected'",
    );
    browser.js("window.__kagu_test_marker = 1; return 1;");
    let _s = s.file("static/extra.css", "p { color: rgb(200, 0, 0); }\n");
    browser.wait(
        "red",
        "return getComputedStyle(document.getElementById('p')).color === 'rgb(200, 0, 0)'",
    );
    assert_eq!(
        browser.js("return window.__kagu_test_marker"),
        json!(1),
        "no reload for a stylesheet edit"
    );
}
