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
        Driver::launch(true)
    }

    /// A browser with JavaScript switched off for every page.
    fn without_javascript() -> Driver {
        Driver::launch(false)
    }

    fn launch(javascript: bool) -> Driver {
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
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": args,
                "prefs": {"profile.managed_default_content_settings.javascript": if javascript { 1 } else { 2 }}
            }
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

    /// Runs an async script: it gets a `done` callback as its last argument.
    fn js_async(&self, script: &str) -> Value {
        let v = post(
            &format!("{}/session/{}/execute/async", self.base, self.session),
            json!({ "script": script, "args": [] }),
        );
        v["value"].clone()
    }

    /// The WebDriver id of the first element matching `css`.
    fn find(&self, css: &str) -> String {
        let v = post(
            &format!("{}/session/{}/element", self.base, self.session),
            json!({ "using": "css selector", "value": css }),
        );
        v["value"]
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no {css}: {v}"))
            .to_string()
    }

    fn get(&self, what: &str) -> Value {
        let mut r = driver_agent()
            .get(&format!("{}/session/{}/{what}", self.base, self.session))
            .call()
            .expect("get");
        let v: Value = serde_json::from_str(&r.body_mut().read_to_string().expect("body")).expect("json");
        v["value"].clone()
    }

    fn resize(&self, width: u32, height: u32) {
        post(
            &format!("{}/session/{}/window/rect", self.base, self.session),
            json!({ "width": width, "height": height }),
        );
    }

    fn screenshot(&self, path: &std::path::Path) {
        use base64::Engine;
        let mut r = driver_agent()
            .get(&format!("{}/session/{}/screenshot", self.base, self.session))
            .call()
            .expect("screenshot");
        let v: Value = serde_json::from_str(&r.body_mut().read_to_string().expect("body")).expect("json");
        let png = base64::engine::general_purpose::STANDARD
            .decode(v["value"].as_str().expect("png"))
            .expect("base64");
        std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
        std::fs::write(path, png).expect("write screenshot");
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

/// The bundled explainer, served; and the paths of all its pages (the 404 page included).
fn bundled() -> (tempfile::TempDir, Server, Vec<&'static str>) {
    let dir = tempfile::tempdir().expect("temp");
    for part in ["kagu.toml", "content", "templates", "static"] {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(part);
        for e in walkdir::WalkDir::new(&src).into_iter().filter_map(Result::ok) {
            let rel = e
                .path()
                .strip_prefix(env!("CARGO_MANIFEST_DIR"))
                .expect("under root");
            if e.file_type().is_dir() {
                std::fs::create_dir_all(dir.path().join(rel)).expect("mkdir");
            } else if e.file_type().is_file() {
                std::fs::copy(e.path(), dir.path().join(rel)).expect("copy");
            }
        }
    }
    let site = Site { dir };
    let srv = Server::start(&site, &["--port", "0"]);
    let pages = vec![
        "",
        "new-caledonia/",
        "allegations/",
        "responses/",
        "geopolitics/",
        "sources/",
        "no-such-page/",
    ];
    (site.dir, srv, pages)
}

fn axe_source() -> String {
    let path = std::env::var("KAGU_AXE").unwrap_or_else(|_| {
        panic!("set KAGU_AXE to axe-core's axe.min.js (npm install axe-core); .ci/run does this")
    });
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
#[ignore = "needs chromium"]
fn every_page_of_the_bundled_explainer_passes_axe_in_light_and_dark() {
    let axe = axe_source();
    let (_dir, srv, pages) = bundled();
    let browser = Driver::start();
    let mut problems = Vec::new();
    for theme in ["light", "dark"] {
        for p in &pages {
            browser.go(&format!("{}{p}", srv.url));
            browser.js(&format!(
                "document.documentElement.setAttribute('data-theme', '{theme}'); return 1;"
            ));
            browser.js(&format!("{axe}\n;return typeof axe;"));
            let found = browser.js_async(
                "const done = arguments[arguments.length - 1];\
                 axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] })\
                   .then(r => done(r.violations.map(v => v.id + ' ' + v.nodes.map(n => n.target.join(' ')).join(', '))))\
                   .catch(e => done(['axe failed: ' + e]));",
            );
            for v in found.as_array().expect("violations") {
                problems.push(format!("/{p} ({theme}): {}", v.as_str().unwrap_or_default()));
            }
        }
    }
    assert!(problems.is_empty(), "axe violations:\n{}", problems.join("\n"));
}

#[test]
#[ignore = "needs chromium"]
fn nothing_scrolls_sideways_at_320_px_and_screenshots_are_written() {
    let (_dir, srv, pages) = bundled();
    let browser = Driver::start();
    browser.resize(320, 900);
    let width = browser.js("return window.innerWidth").as_u64().expect("width");
    assert!(width <= 360, "the window is {width} px wide, not a phone's");
    for p in &pages {
        browser.go(&format!("{}{p}", srv.url));
        let overflow =
            browser.js("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assert!(
            overflow.as_i64().is_some_and(|o| o <= 0),
            "/{p} scrolls sideways by {overflow} px at {width} px"
        );
    }
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    for (w, h) in [(390, 844), (1280, 900)] {
        browser.resize(w, h);
        for theme in ["light", "dark"] {
            for (name, p) in [("home", ""), ("allegations", "allegations/")] {
                browser.go(&format!("{}{p}", srv.url));
                browser.js(&format!(
                    "document.documentElement.setAttribute('data-theme', '{theme}'); return 1;"
                ));
                let file = out.join(format!("{name}-{w}-{theme}.png"));
                browser.screenshot(&file);
                assert!(
                    std::fs::metadata(&file).expect("png").len() > 10_000,
                    "{} is too small",
                    file.display()
                );
            }
        }
    }
}

#[test]
#[ignore = "needs chromium"]
fn notes_are_sidenotes_on_wide_screens_and_popovers_on_narrow_ones() {
    let (_dir, srv, _) = bundled();
    let browser = Driver::start();
    browser.resize(1400, 900);
    browser.go(&format!("{}allegations/", srv.url));
    let beside = browser.js(
        "const s = document.querySelector('.sidenote'); const c = document.querySelector('.content');\
         return getComputedStyle(s).display !== 'none' && s.getBoundingClientRect().left >= c.getBoundingClientRect().right;",
    );
    assert_eq!(beside, json!(true), "the first sidenote sits in the right margin");
    assert_eq!(
        browser.js("return document.querySelector('.sidenote').textContent.includes('RBC')"),
        json!(true)
    );
    browser.resize(390, 844);
    browser.go(&format!("{}allegations/", srv.url));
    assert_eq!(
        browser.js("return getComputedStyle(document.querySelector('.sidenote')).display"),
        json!("none")
    );
    browser.js("document.querySelector('.note-ref a').focus(); return 1;");
    let text = browser.wait(
        "popover",
        "const p = document.querySelector('.note-popover'); return p ? p.textContent : false",
    );
    assert!(text.as_str().expect("text").contains("RBC"), "{text}");
    assert_eq!(
        browser.js("return document.querySelector('.note-ref a').getAttribute('aria-expanded')"),
        json!("true")
    );
    browser.js("document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' })); return 1;");
    browser.wait(
        "Escape closes the popover",
        "return document.querySelector('.note-popover') === null",
    );
}

#[test]
#[ignore = "needs chromium"]
fn the_theme_toggle_switches_and_remembers() {
    let (_dir, srv, _) = bundled();
    let browser = Driver::start();
    browser.go(&format!("{}allegations/", srv.url));
    let before = browser.js("return getComputedStyle(document.body).backgroundColor");
    browser.js("document.querySelector('.theme-toggle').click(); return 1;");
    let after = browser.js("return getComputedStyle(document.body).backgroundColor");
    assert_ne!(before, after, "the toggle changes the colours");
    browser.go(&format!("{}responses/", srv.url));
    assert_eq!(
        browser.js("return getComputedStyle(document.body).backgroundColor"),
        after,
        "the choice is remembered"
    );
}

#[test]
#[ignore = "needs chromium"]
fn pages_work_without_javascript() {
    let (_dir, srv, _) = bundled();
    let browser = Driver::without_javascript();
    browser.resize(390, 844);
    browser.go(&format!("{}allegations/", srv.url));
    let toggle = browser.find(".theme-toggle");
    assert_eq!(
        browser.get(&format!("element/{toggle}/displayed")),
        json!(false),
        "no dead toggle without JavaScript"
    );
    let marker = browser.find(".note-ref a");
    post(
        &format!(
            "{}/session/{}/element/{marker}/click",
            browser.base, browser.session
        ),
        json!({}),
    );
    let url = browser.get("url");
    assert!(
        url.as_str().expect("url").ends_with("#note-1"),
        "a marker is a plain link to its note: {url}"
    );
    let next = browser.find("a[rel=next]");
    post(
        &format!(
            "{}/session/{}/element/{next}/click",
            browser.base, browser.session
        ),
        json!({}),
    );
    let url = browser.get("url");
    assert!(
        url.as_str().expect("url").contains("/responses/"),
        "prev/next are plain links: {url}"
    );
}

#[test]
#[ignore = "needs chromium"]
fn an_embed_requests_nothing_from_its_provider_until_asked() {
    let s = Site::new().file(
        "content/a.md",
        &page(
            "A",
            "",
            "[A video of the protests](http://127.0.0.2:9/embed/42 \"embed\")\n",
        ),
    );
    let srv = Server::start(&s, &["--port", "0"]);
    let browser = Driver::start();
    browser.go(&format!("{}a/", srv.url));
    browser.wait(
        "button shown",
        "const b = document.querySelector('.embed-load'); return b && !b.hidden",
    );
    // Every request the page made went to the site itself.
    let hosts = browser.js(
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).host).concat([location.host])",
    );
    let site_host = srv
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    for h in hosts.as_array().expect("hosts") {
        assert_eq!(h.as_str(), Some(site_host.as_str()), "{hosts}");
    }
    assert_eq!(
        browser.js("return document.querySelectorAll('iframe').length"),
        json!(0)
    );
    browser.js("document.querySelector('.embed-load').click()");
    let src = browser.wait(
        "frame loaded on request",
        "const f = document.querySelector('.embed iframe'); return f ? f.src : false",
    );
    assert_eq!(src, json!("http://127.0.0.2:9/embed/42"));
}

#[test]
#[ignore = "needs chromium"]
fn a_failing_first_build_shows_its_errors_and_then_the_site() {
    let s = Site::new().file("content/long.md", "+++\ntitle = \"Long\nbad\n+++\n");
    let srv = Server::start(&s, &["--port", "0"]);
    let browser = Driver::start();
    browser.go(&format!("{}long/", srv.url));
    let text = browser.wait(
        "overlay over the not-built page",
        "const o = document.getElementById('kagu-overlay'); return o ? o.innerText : false",
    );
    let text = text.as_str().expect("text");
    assert!(
        text.contains("content/long.md:3:4") && text.contains("E001"),
        "{text}"
    );
    assert_eq!(
        browser.js("return document.querySelector('h1').innerText"),
        json!("The site has not built yet")
    );
    let _s = s.file("content/long.md", &long_page("Fixed."));
    browser.wait(
        "the site once fixed",
        "return document.body.innerText.includes('Fixed.')",
    );
    browser.wait(
        "overlay gone",
        "return document.getElementById('kagu-overlay') === null",
    );
}
