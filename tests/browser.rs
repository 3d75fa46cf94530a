//! End-to-end in real headless Chromium (Debian's chromium and chromedriver), against
//! `kagu serve` on 127.0.0.1: live reload with the scroll position kept, the error overlay,
//! stylesheet swaps without a reload. Run with `cargo test -- --include-ignored`.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::harness::*;
use crate::serve::{agent, Server};

pub(crate) struct Driver {
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

pub(crate) fn free_port() -> u16 {
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
    pub(crate) fn start() -> Driver {
        Driver::launch(true)
    }

    /// A browser with JavaScript switched off for every page.
    pub(crate) fn without_javascript() -> Driver {
        Driver::launch(false)
    }

    pub(crate) fn launch(javascript: bool) -> Driver {
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

    pub(crate) fn go(&self, url: &str) {
        post(
            &format!("{}/session/{}/url", self.base, self.session),
            json!({ "url": url }),
        );
    }

    pub(crate) fn js(&self, script: &str) -> Value {
        let v = post(
            &format!("{}/session/{}/execute/sync", self.base, self.session),
            json!({ "script": script, "args": [] }),
        );
        v["value"].clone()
    }

    /// Runs an async script: it gets a `done` callback as its last argument.
    pub(crate) fn js_async(&self, script: &str) -> Value {
        let v = post(
            &format!("{}/session/{}/execute/async", self.base, self.session),
            json!({ "script": script, "args": [] }),
        );
        v["value"].clone()
    }

    /// The WebDriver id of the first element matching `css`.
    pub(crate) fn find(&self, css: &str) -> String {
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

    pub(crate) fn get(&self, what: &str) -> Value {
        let mut r = driver_agent()
            .get(&format!("{}/session/{}/{what}", self.base, self.session))
            .call()
            .expect("get");
        let v: Value = serde_json::from_str(&r.body_mut().read_to_string().expect("body")).expect("json");
        v["value"].clone()
    }

    pub(crate) fn resize(&self, width: u32, height: u32) {
        post(
            &format!("{}/session/{}/window/rect", self.base, self.session),
            json!({ "width": width, "height": height }),
        );
    }

    pub(crate) fn screenshot(&self, path: &std::path::Path) {
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

    /// A Chrome DevTools Protocol command, through chromedriver.
    pub(crate) fn cdp(&self, cmd: &str, params: Value) -> Value {
        post(
            &format!("{}/session/{}/goog/cdp/execute", self.base, self.session),
            json!({ "cmd": cmd, "params": params }),
        )
    }

    /// Real key presses (WebDriver key codes: "\u{E004}" is Tab, "\u{E00C}" Escape).
    pub(crate) fn keys(&self, keys: &[&str]) {
        let actions: Vec<Value> = keys
            .iter()
            .flat_map(|k| {
                [
                    json!({"type": "keyDown", "value": k}),
                    json!({"type": "keyUp", "value": k}),
                ]
            })
            .collect();
        post(
            &format!("{}/session/{}/actions", self.base, self.session),
            json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]}),
        );
    }

    /// The mouse moved onto a point of the viewport, as a hovering reader would.
    pub(crate) fn hover(&self, x: f64, y: f64) {
        post(
            &format!("{}/session/{}/actions", self.base, self.session),
            json!({"actions": [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
                "actions": [{"type": "pointerMove", "x": x.round() as i64, "y": y.round() as i64, "duration": 0}]}]}),
        );
    }

    /// A phone's viewport (390 × 844) that takes taps ([`Driver::tap`]).
    pub(crate) fn phone_with_touch(&self) {
        self.resize(390, 844);
        self.cdp(
            "Emulation.setTouchEmulationEnabled",
            json!({"enabled": true, "maxTouchPoints": 1}),
        );
    }

    /// A finger's tap at a point of the viewport (touch emulation must be on).
    pub(crate) fn tap(&self, x: f64, y: f64) {
        self.cdp(
            "Input.dispatchTouchEvent",
            json!({"type": "touchStart", "touchPoints": [{"x": x, "y": y}]}),
        );
        self.cdp(
            "Input.dispatchTouchEvent",
            json!({"type": "touchEnd", "touchPoints": []}),
        );
    }

    /// The centre of the first element matching `css`, in viewport coordinates.
    pub(crate) fn centre(&self, css: &str) -> (f64, f64) {
        self.centre_of(css, "getBoundingClientRect()")
    }

    /// The centre of the first line of the first element matching `css` (an inline element may
    /// wrap, and its box's centre then falls between its lines).
    pub(crate) fn first_line_centre(&self, css: &str) -> (f64, f64) {
        self.centre_of(css, "getClientRects()[0]")
    }

    pub(crate) fn centre_of(&self, css: &str, rect: &str) -> (f64, f64) {
        let v = self.js(&format!(
            "const r = document.querySelector({css:?}).{rect}; return [r.left + r.width / 2, r.top + r.height / 2];"
        ));
        (v[0].as_f64().expect("x"), v[1].as_f64().expect("y"))
    }

    pub(crate) fn click(&self, css: &str) {
        let el = self.find(css);
        post(
            &format!("{}/session/{}/element/{el}/click", self.base, self.session),
            json!({}),
        );
    }

    /// Waits for a note popover to open and gives its text.
    pub(crate) fn popover_text(&self, what: &str) -> String {
        let text = self.wait(
            what,
            "const p = document.querySelector('.note-popover'); return p ? p.textContent : false",
        );
        text.as_str().expect("text").to_string()
    }

    pub(crate) fn wait(&self, what: &str, script: &str) -> Value {
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
/// `kagu serve` on a copy of a site of this repository (`""` is the bundled explainer).
fn serve_copy(site_dir: &str) -> (tempfile::TempDir, Server) {
    serve_copy_with(site_dir, "")
}

/// [`serve_copy`] with lines added to the copy's kagu.toml.
fn serve_copy_with(site_dir: &str, config: &str) -> (tempfile::TempDir, Server) {
    let dir = tempfile::tempdir().expect("temp");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(site_dir);
    for part in ["kagu.toml", "content", "templates", "static"] {
        for e in walkdir::WalkDir::new(root.join(part))
            .into_iter()
            .filter_map(Result::ok)
        {
            let rel = e.path().strip_prefix(&root).expect("under root");
            if e.file_type().is_dir() {
                std::fs::create_dir_all(dir.path().join(rel)).expect("mkdir");
            } else if e.file_type().is_file() {
                std::fs::copy(e.path(), dir.path().join(rel)).expect("copy");
            }
        }
    }
    let toml = dir.path().join("kagu.toml");
    let text = std::fs::read_to_string(&toml).expect("kagu.toml");
    std::fs::write(&toml, format!("{config}{text}")).expect("write kagu.toml");
    let site = Site { dir };
    let srv = Server::start(&site, &["--port", "0"]);
    (site.dir, srv)
}

/// The stress fixture (`tests/fixtures/stress`): long URLs, DOIs, a wide table, a long word and
/// heading, a figure, notes in every kind of block, updates (some folded) and their page.
pub(crate) fn stress() -> (tempfile::TempDir, Server, Vec<&'static str>) {
    let (dir, srv) = serve_copy("tests/fixtures/stress");
    (
        dir,
        srv,
        vec!["", "section/", "second/", "sources/", "updates/", "no-such-page/"],
    )
}

pub(crate) fn bundled() -> (tempfile::TempDir, Server, Vec<&'static str>) {
    let (dir, srv) = serve_copy("");
    let pages = vec![
        "",
        "new-caledonia/",
        "allegations/",
        "responses/",
        "geopolitics/",
        "sources/",
        "no-such-page/",
        // The French edition: its words are longer.
        "fr/",
        "fr/allegations/",
        "fr/timeline/",
        "fr/glossary/",
        "fr/sources/",
    ];
    (dir, srv, pages)
}

#[test]
#[ignore = "needs chromium"]
fn on_a_phone_the_article_comes_first_and_the_menu_opens_on_demand() {
    for javascript in [true, false] {
        let browser = if javascript {
            Driver::start()
        } else {
            Driver::without_javascript()
        };
        for (_dir, srv, pages) in [bundled(), stress()] {
            browser.resize(390, 700);
            let height = browser.js("return window.innerHeight").as_f64().expect("height");
            assert!(height <= 700.0, "{height}");
            for p in pages
                .iter()
                .filter(|p| !p.is_empty() && !p.starts_with("no-such"))
            {
                browser.go(&format!("{}{p}", srv.url));
                let bottom = browser.js("return document.querySelector('h1').getBoundingClientRect().bottom");
                assert!(
                    bottom.as_f64().expect("bottom") <= height,
                    "/{p} (JavaScript {javascript}): the title ends at {bottom}, below the first screen"
                );
                assert_eq!(
                    browser.js("return document.querySelector('.site-menu').open"),
                    json!(false)
                );
            }
        }
        let (_dir, srv, _) = bundled();
        browser.go(&format!("{}allegations/", srv.url));
        assert_eq!(
            browser.js("return document.querySelector('.site-menu summary').textContent.replace(/\\s+/g, ' ').trim()"),
            json!("Contents 2. France's allegations")
        );
        browser.click(".site-menu summary");
        assert_eq!(
            browser.js("return document.querySelector('.site-menu').open"),
            json!(true)
        );
        let current = browser.find(".reading-path li.current a");
        assert_eq!(browser.get(&format!("element/{current}/displayed")), json!(true));
        let toc = browser.find(".site-menu .toc a");
        assert_eq!(browser.get(&format!("element/{toc}/displayed")), json!(true));
    }
    // Wide: the same menu is the sidebar, open, without its button.
    let browser = Driver::start();
    let (_dir, srv, _) = bundled();
    browser.resize(1280, 900);
    browser.go(&format!("{}allegations/", srv.url));
    assert_eq!(
        browser.js("return document.querySelector('.site-menu').open"),
        json!(true)
    );
    let summary = browser.find(".site-menu summary");
    assert_eq!(browser.get(&format!("element/{summary}/displayed")), json!(false));
}

#[test]
#[ignore = "needs chromium"]
fn a_tapped_marker_opens_its_note_without_jumping_and_a_tap_closes_it() {
    let (_dir, srv, _) = stress();
    let browser = Driver::start();
    browser.phone_with_touch();
    browser.go(&format!("{}section/", srv.url));
    // A later citation of a source, with its page: the note's short form.
    let marker = "#ref-4-1 a";
    browser.js(&format!(
        "document.querySelector({marker:?}).scrollIntoView({{block: 'center'}}); return 1;"
    ));
    let scrolled = browser.js("return window.scrollY");
    let (x, y) = browser.centre(marker);
    browser.tap(x, y);
    let text = browser.popover_text("a tap opens the popover");
    assert!(
        text.contains("A Study with a DOI and No Spaces in Its Address,” 7."),
        "{text}"
    );
    assert_eq!(
        browser.js("return location.hash"),
        json!(""),
        "the tap jumped to the notes"
    );
    assert_eq!(
        browser.js("return window.scrollY"),
        scrolled,
        "the tap scrolled the page"
    );
    assert_eq!(
        browser.js(&format!(
            "return document.querySelector({marker:?}).getAttribute('aria-expanded')"
        )),
        json!("true")
    );
    let nothing_sideways =
        browser.js("return document.documentElement.scrollWidth <= document.documentElement.clientWidth");
    assert_eq!(
        nothing_sideways,
        json!(true),
        "the popover pushes the page sideways"
    );
    // A second tap on the marker closes it.
    browser.tap(x, y);
    browser.wait(
        "a second tap closes it",
        "return document.querySelector('.note-popover') === null",
    );
    // A tap elsewhere closes it too.
    browser.tap(x, y);
    browser.wait(
        "open again",
        "return document.querySelector('.note-popover') !== null",
    );
    // The page's margin, level with the marker: nothing there to follow.
    browser.tap(5.0, y);
    browser.wait(
        "a tap outside closes it",
        "return document.querySelector('.note-popover') === null",
    );
    // The popover's link still leads to the notes list.
    browser.tap(x, y);
    browser.wait(
        "open again",
        "return document.querySelector('.note-popover') !== null",
    );
    let (lx, ly) = browser.centre(".note-popover .popover-more");
    browser.tap(lx, ly);
    browser.wait(
        "the popover's link reaches the note",
        "return location.hash === '#note-4'",
    );
}

#[test]
#[ignore = "needs chromium"]
fn a_hovered_or_keyboard_focused_marker_opens_its_note_and_tab_enters_it() {
    let (_dir, srv, _) = bundled();
    let browser = Driver::start();
    browser.resize(390, 844);
    browser.go(&format!("{}allegations/", srv.url));
    browser.js("document.querySelector('#ref-1-1 a').scrollIntoView({block: 'center'}); return 1;");
    let (x, y) = browser.centre("#ref-1-1 a");
    browser.hover(x, y);
    let text = browser.popover_text("hovering opens the popover");
    assert!(text.contains("RBC"), "{text}");
    browser.hover(5.0, 5.0);
    browser.wait(
        "leaving closes it",
        "return document.querySelector('.note-popover') === null",
    );
    // The keyboard: a key press, then focus on the marker, as Tab would give it.
    browser.keys(&["\u{E008}"]);
    browser.js("document.querySelector('#ref-1-1 a').focus(); return 1;");
    browser.wait(
        "focus opens the popover",
        "return document.querySelector('.note-popover') !== null",
    );
    assert_eq!(
        browser.js("return document.querySelector('#ref-1-1 a').getAttribute('aria-describedby')"),
        browser.js("return document.querySelector('.note-popover').id"),
        "the marker is described by its popover for screen readers"
    );
    assert_eq!(
        browser.js("return document.querySelector('.note-popover').getAttribute('role')"),
        json!("tooltip")
    );
    browser.keys(&["\u{E004}"]);
    assert_eq!(
        browser.js("return document.querySelector('.note-popover').contains(document.activeElement)"),
        json!(true),
        "Tab moves into the popover"
    );
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(
        browser.js("return document.querySelector('.note-popover') !== null"),
        json!(true)
    );
    browser.keys(&["\u{E00C}"]);
    browser.wait(
        "Escape closes it",
        "return document.querySelector('.note-popover') === null",
    );
    assert_eq!(
        browser.js("return document.activeElement === document.querySelector('#ref-1-1 a')"),
        json!(true),
        "Escape gives the focus back to the marker"
    );
}

#[test]
#[ignore = "needs chromium"]
fn notes_locators_glance_values_and_cards_are_set_as_the_text_around_them() {
    let browser = Driver::start();
    browser.resize(1280, 900);
    // One note per source: each marker's locator is set beside the note.
    let (_dir, srv) = serve_copy_with("tests/fixtures/stress", "one_note_per_source = true\n");
    browser.go(&format!("{}section/", srv.url));
    let face = |css: &str| {
        browser.js(&format!(
            "return getComputedStyle(document.querySelector({css:?})).fontFamily"
        ))
    };
    assert_eq!(
        face(".notes .locator"),
        face(".notes .note-body"),
        "a locator in the notes list"
    );
    assert_eq!(
        face(".sidenote .locator"),
        face(".sidenote"),
        "a locator in a sidenote"
    );
    browser.go(&srv.url.clone());
    let weight = |css: &str| {
        browser
            .js(&format!(
                "return getComputedStyle(document.querySelector({css:?})).fontWeight"
            ))
            .as_str()
            .and_then(|w| w.parse::<u32>().ok())
            .expect("weight")
    };
    assert_eq!(weight(".at-a-glance dd"), 400, "values in regular weight");
    assert!(weight(".at-a-glance dt") >= 600, "the label carries the emphasis");
    let widths = browser.js(
        "return [document.querySelector('.section-cards').getBoundingClientRect().width, document.querySelector('.explainer').getBoundingClientRect().width]",
    );
    assert_eq!(widths[0], widths[1], "cards as wide as the text column");
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

/// In an author-date style, hovering, focusing or tapping an in-text citation opens its
/// reference over the text, with a link to the References list; the popover describes it.
#[test]
#[ignore = "needs chromium"]
fn an_in_text_citation_opens_its_reference_by_hover_focus_and_tap() {
    let (_dir, srv) = serve_copy_with("tests/fixtures/stress", "citation_style = \"apa\"\n");
    let browser = Driver::start();
    browser.resize(1280, 900);
    browser.go(&format!("{}section/", srv.url));
    let cite = "#cite-1";
    let entry = browser.js(&format!(
        "return document.querySelector(document.querySelector({cite:?}).getAttribute('href') + ' .source-entry').textContent"
    ));
    let entry = entry
        .as_str()
        .expect("the reference")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    browser.js(&format!(
        "document.querySelector({cite:?}).scrollIntoView({{block: 'center'}}); return 1;"
    ));
    let (x, y) = browser.first_line_centre(cite);
    browser.hover(x, y);
    let text = browser.popover_text("hovering a citation opens its reference");
    assert!(
        text.contains(&entry) && text.ends_with("Go to the reference"),
        "{text} / {entry}"
    );
    assert_eq!(
        browser.js(&format!(
            "return document.querySelector({cite:?}).getAttribute('aria-describedby')"
        )),
        browser.js("return document.querySelector('.note-popover').id")
    );
    leave_then_focus_then_escape(&browser, cite);
    // A finger: the tap opens the reference instead of jumping to the list.
    browser.phone_with_touch();
    browser.go(&format!("{}section/", srv.url));
    browser.js(&format!(
        "document.querySelector({cite:?}).scrollIntoView({{block: 'center'}}); return 1;"
    ));
    let (x, y) = browser.first_line_centre(cite);
    browser.tap(x, y);
    let text = browser.popover_text("a tap opens the reference");
    assert!(text.contains(&entry), "{text}");
    assert_eq!(
        browser.js("return location.hash"),
        json!(""),
        "the tap jumped to the list"
    );
}

/// A word the glossary explains opens its card by hover, keyboard focus and tap, with a link to
/// the glossary; a mouse click still follows the link.
#[test]
#[ignore = "needs chromium"]
fn a_glossary_word_opens_its_card_by_hover_focus_and_tap() {
    let card = [
        "Gérald Darmanin",
        "Interior and Overseas Territories Minister",
        "More in the glossary",
    ];
    a_card_opens_by_hover_focus_and_tap("a.term[data-term=\"darmanin\"]", &card);
}

/// A link to a claim opens the claim's card by hover, keyboard focus and tap, with a link to
/// the claim and its responses.
#[test]
#[ignore = "needs chromium"]
fn a_link_to_a_claim_opens_its_card_by_hover_focus_and_tap() {
    let claim = "a.claim-ref[data-claim=\"deal-with-azerbaijan\"]";
    let card = [
        "Gérald Darmanin",
        "This is not speculation—it is a fact",
        "The claim and its responses",
    ];
    let more = a_card_opens_by_hover_focus_and_tap(claim, &card);
    assert_eq!(more, json!("../responses/#claim-deal-with-azerbaijan"));
}

/// On the bundled explainer's allegations page, the card of `selector` opens by hover (and
/// says each of `card`, and describes the link for screen readers), then by keyboard focus, then
/// by a tap on a phone (which stays on the page). Returns the hovered card's link.
fn a_card_opens_by_hover_focus_and_tap(selector: &str, card: &[&str]) -> serde_json::Value {
    let (_dir, srv, _) = bundled();
    let browser = Driver::start();
    browser.resize(1280, 900);
    let centre = || {
        browser.go(&format!("{}allegations/", srv.url));
        browser.js(&format!(
            "document.querySelector({selector:?}).scrollIntoView({{block: 'center'}}); return 1;"
        ));
        browser.centre(selector)
    };
    let (x, y) = centre();
    browser.hover(x, y);
    let text = browser.popover_text("hovering opens the card");
    assert!(card.iter().all(|w| text.contains(w)), "{text}");
    assert_eq!(
        browser.js(&format!(
            "return document.querySelector({selector:?}).getAttribute('aria-describedby')"
        )),
        browser.js("return document.querySelector('.note-popover').id"),
        "the link is described by its card for screen readers"
    );
    let more =
        browser.js("return document.querySelector('.note-popover .popover-more').getAttribute('href')");
    leave_then_focus_then_escape(&browser, selector);
    // On a phone, a tap opens the card instead of leaving the page.
    browser.phone_with_touch();
    let (x, y) = centre();
    browser.tap(x, y);
    let text = browser.popover_text("a tap opens the card");
    assert!(text.contains(card[0]), "{text}");
    assert!(
        browser
            .js("return location.pathname")
            .as_str()
            .is_some_and(|p| p.ends_with("/allegations/")),
        "the tap left the page"
    );
    more
}

/// With a popover open by hover: moving away closes it; then keyboard focus on `selector`
/// opens it, and Escape closes it.
fn leave_then_focus_then_escape(browser: &Driver, selector: &str) {
    browser.hover(5.0, 5.0);
    browser.wait(
        "leaving closes it",
        "return document.querySelector('.note-popover') === null",
    );
    browser.keys(&["\u{E008}"]);
    browser.js(&format!(
        "document.querySelector({selector:?}).focus(); return 1;"
    ));
    browser.wait(
        "focus opens it",
        "return document.querySelector('.note-popover') !== null",
    );
    browser.keys(&["\u{E00C}"]);
    browser.wait(
        "Escape closes it",
        "return document.querySelector('.note-popover') === null",
    );
}
