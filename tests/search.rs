//! The readers' search: Pagefind's index of each edition, made from the rendered pages, and the
//! theme's search field, driven in Chromium (typing, the keyboard, axe), on the dev server, under
//! a subpath, and with search turned off.

use serde_json::{json, Value};

use crate::browser::{bundled, Driver};
use crate::harness::*;
use crate::serve::Server;

/// Types `query` into the search field (focused with `/`) and waits for its answer: the
/// results' hrefs, or the status when none.
fn search(browser: &Driver, query: &str) -> Value {
    browser.js("document.activeElement && document.activeElement.blur(); return 1;");
    browser.keys(&["/"]);
    browser.wait(
        "`/` focuses the search field",
        "return document.activeElement && document.activeElement.id === 'site-search-input'",
    );
    browser.js(
        "const i = document.getElementById('site-search-input'); i.value = '';\
         i.dispatchEvent(new Event('input')); return 1;",
    );
    let keys: Vec<String> = query.chars().map(String::from).collect();
    browser.keys(&keys.iter().map(String::as_str).collect::<Vec<_>>());
    browser.wait(
        "the search answers",
        "const l = document.getElementById('site-search-results');\
         return !l.hidden && (l.querySelector('.search-result, .search-none') !== null);",
    );
    browser.js(
        "const r = [...document.querySelectorAll('#site-search-results .search-result')];\
         return r.length ? r.map(a => a.getAttribute('href'))\
           : document.querySelector('#site-search-results .search-none').textContent;",
    )
}

/// Searches `query` on the page at `url` until it finds something (the dev server makes its
/// index once edits pause), for at most 20 s.
fn search_until(browser: &Driver, url: &str, query: &str) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        browser.go(url);
        let answer = search(browser, query);
        if answer.is_array() || std::time::Instant::now() > deadline {
            return answer;
        }
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
}

fn hrefs(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().filter_map(|h| h.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

#[test]
#[ignore = "needs chromium"]
fn typing_majlis_finds_the_allegations_and_the_glossary_entry_and_enter_goes_there() {
    let (_dir, srv, _) = bundled();
    let browser = Driver::start();
    browser.resize(1280, 900);
    let page = format!("{}new-caledonia/", srv.url);
    let found = search_until(&browser, &page, "Majlis");
    let found = hrefs(&found);
    assert!(found.iter().any(|h| h.starts_with("/allegations/")), "{found:?}");
    assert!(
        found.iter().any(|h| h == "/glossary/#term-milli-majlis"),
        "{found:?}"
    );
    // The listbox is announced: the field says it is expanded, the status how many results.
    assert_eq!(
        browser.js("return document.getElementById('site-search-input').getAttribute('aria-expanded')"),
        json!("true")
    );
    let status = browser.js("return document.querySelector('.search-status').textContent");
    assert_eq!(status, json!(format!("Results: {}", found.len())));
    // Arrows pick (the field names the picked option), Enter goes to its spot.
    browser.keys(&["\u{E015}"]);
    assert_eq!(
        browser
            .js("return document.getElementById('site-search-input').getAttribute('aria-activedescendant')"),
        json!("search-result-0")
    );
    assert_eq!(
        browser.js("return document.getElementById('search-result-0').getAttribute('aria-selected')"),
        json!("true")
    );
    browser.keys(&["\u{E015}", "\u{E013}"]);
    assert_eq!(
        browser
            .js("return document.getElementById('site-search-input').getAttribute('aria-activedescendant')"),
        json!("search-result-0"),
        "down then up is the first result again"
    );
    browser.keys(&["\u{E007}"]);
    let first = &found[0];
    browser.wait(
        "Enter goes to the first result's spot",
        &format!("return location.pathname + location.hash === {first:?}"),
    );
    // The sources page is searched too (its entries, not where they are cited).
    let sources = hrefs(&search(&browser, "Vedomosti"));
    assert!(sources.iter().any(|h| h.starts_with("/sources/")), "{sources:?}");
    // Escape closes the list; a query that matches nothing says so.
    let none = search(&browser, "xyzzyq");
    assert_eq!(none, json!("Nothing found for “xyzzyq”"));
    browser.keys(&["\u{E00C}"]);
    assert_eq!(
        browser.js("return document.getElementById('site-search-results').hidden"),
        json!(true)
    );
}

#[test]
#[ignore = "needs chromium"]
fn the_results_pass_axe_light_and_dark_narrow_and_wide() {
    let axe = crate::layout::axe_source();
    let (_dir, srv, _) = bundled();
    let browser = Driver::start();
    let page = format!("{}allegations/", srv.url);
    let mut problems = Vec::new();
    for width in [390, 1280] {
        browser.resize(width, 900);
        for theme in ["light", "dark"] {
            search_until(&browser, &page, "Azerbaijan");
            for v in crate::layout::axe_violations(&browser, &axe, theme) {
                problems.push(format!("{theme}, {width} px: {}", v.as_str().unwrap_or_default()));
            }
            let overflow = browser
                .js("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
            if overflow.as_i64().is_none_or(|o| o > 0) {
                problems.push(format!("{theme}, {width} px: scrolls sideways by {overflow} px"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A site whose words are each in one place: the text, a footnote, the site's title.
fn worded() -> Site {
    Site::new()
        .file(
            "kagu.toml",
            "title = \"Frobnicate Weekly\"\nbase_url = \"https://example.org/\"\n",
        )
        .file(
            "content/a.md",
            &page(
                "Alpha",
                "",
                "The quokka spoke.[^n]\n\n## Later {#later}\n\nThe wombat answered `<img src=x onerror=alert(1)>`.\n\n[^n]: Only a zanzibarish note.\n",
            ),
        )
        .file(
            "content/hidden.md",
            &page("Hidden", "search = false\n", "The capybara hides here.\n"),
        )
}

#[test]
#[ignore = "needs chromium"]
fn notes_navigation_and_excluded_pages_are_not_searched_and_an_edit_is_found() {
    let site = worded();
    let srv = Server::start(&site, &["--port", "0"]);
    let browser = Driver::start();
    browser.resize(1280, 900);
    let url = format!("{}a/", srv.url);
    let found = search_until(&browser, &url, "quokka");
    assert_eq!(hrefs(&found), ["/a/"]);
    // A heading's words lead to the heading.
    assert_eq!(hrefs(&search(&browser, "wombat")), ["/a/#later"]);
    // Text that looks like markup is shown as text in the excerpt.
    assert_eq!(hrefs(&search(&browser, "onerror")), ["/a/#later"]);
    assert_eq!(
        browser.js(
            "const e = document.querySelector('.search-excerpt');             return [e.querySelector('img') === null, e.textContent.includes('<img src=x')];"
        ),
        json!([true, true])
    );
    // In a note (and its sidenote) only; in the header only; on a page left out.
    for word in ["zanzibarish", "Frobnicate", "capybara"] {
        assert_eq!(
            search(&browser, word),
            json!(format!("Nothing found for “{word}”")),
            "{word}"
        );
    }
    // An edit adds a word: once edits pause, the index finds it.
    std::fs::write(
        site.root().join("content/a.md"),
        page("Alpha", "", "The quokka spoke of the okapi.\n"),
    )
    .expect("write");
    let found = search_until(&browser, &url, "okapi");
    assert_eq!(hrefs(&found), ["/a/"]);
}

#[test]
#[ignore = "needs chromium"]
fn search_works_under_a_subpath_on_a_plain_static_server() {
    let served = tempfile::tempdir().expect("temp");
    let out = served.path().join("sub");
    let run = kagu(&[
        "build",
        "--root",
        env!("CARGO_MANIFEST_DIR"),
        "--output-dir",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let port = crate::browser::free_port();
    let server = std::process::Command::new("python3")
        .args([
            "-m",
            "http.server",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--directory",
        ])
        .arg(served.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("python3 -m http.server");
    let _server = Killed(server);
    let listening = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(50));
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
    assert!(listening, "python3 -m http.server did not start");
    let browser = Driver::start();
    browser.resize(1280, 900);
    let page = format!("http://127.0.0.1:{port}/sub/allegations/");
    let found = search_until(&browser, &page, "Majlis");
    let found = hrefs(&found);
    assert!(
        found.iter().any(|h| h == "/sub/glossary/#term-milli-majlis"),
        "{found:?}"
    );
    // The French edition has its own index, in French.
    assert!(found.iter().all(|h| !h.starts_with("/sub/fr/")), "{found:?}");
}

#[test]
fn each_edition_gets_its_own_index_and_search_false_writes_none() {
    let (dir, run) = build_bundled();
    assert_eq!(run.code, 0, "{}", run.stderr);
    for edition in ["", "fr/"] {
        let index = dir.path().join(format!("{edition}pagefind"));
        assert!(index.join("pagefind.js").is_file(), "{edition}");
        assert!(index.join("pagefind-entry.json").is_file(), "{edition}");
        let entry: Value =
            serde_json::from_str(&std::fs::read_to_string(index.join("pagefind-entry.json")).expect("entry"))
                .expect("JSON");
        let language = if edition.is_empty() { "en" } else { "fr" };
        assert!(entry["languages"].get(language).is_some(), "{entry}");
    }
    let doc =
        scraper::Html::parse_document(&std::fs::read_to_string(dir.path().join("index.html")).expect("home"));
    assert_eq!(
        attrs(&doc, ".site-search", "hidden"),
        [""],
        "the field is hidden until the script shows it"
    );
    let off = Site::new()
        .file("content/a.md", &page("A", "", "Text.\n"))
        .file(
            "kagu.toml",
            "title = \"T\"\nbase_url = \"https://example.org/\"\nsearch = false\n",
        )
        .build_ok();
    assert!(!off.public().join("pagefind").exists());
    assert!(select(&off.html("index.html"), ".site-search").is_empty());
}

/// A child process ended and waited for when dropped, so a failing test stops it too.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        end(&mut self.0);
    }
}

#[test]
fn a_file_or_page_where_the_search_index_goes_is_an_error() {
    let s = Site::new()
        .file("content/a.md", &page("A", "", "Text.\n"))
        .file("content/pagefind.md", &page("P", "", "Text.\n"))
        .file("static/pagefind/pagefind.js", "mine");
    fails_with(
        &s,
        r#"error[E021]: `pagefind/pagefind.3fd30542fe.js` would be written by both the theme's assets and the search index
 = hint: rename or remove one of them

error[E020]: this page would write `/pagefind/`, which the search index writes too
  ┌─ content/pagefind.md:1:1
  │
1 │ +++
  │ ^^^
  │
  = hint: give one of the pages another `slug` in its front matter"#,
    );
    // Without search, both are the site's own.
    s.file(
        "kagu.toml",
        "title = \"T\"\nbase_url = \"https://example.org/\"\nsearch = false\n",
    )
    .build_ok();
}
