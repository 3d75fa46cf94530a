//! A small fixture-site harness: write files into a temp folder, run the real `kagu` binary,
//! parse the HTML it wrote.

use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::{Html, Selector};

pub(crate) const CONFIG: &str = "title = \"Test site\"\nbase_url = \"https://example.org/sub/\"\n";
/// One source, `rbc`, as the tests of data files and pages cite it.
pub(crate) const RBC_SOURCE: &str =
    "[rbc]\ntitle = \"Darmanin interview\"\ntype = \"article\"\noutlet = \"RBC\"\n";
pub(crate) const HOME: &str = "+++\ntitle = \"Home\"\n+++\n\nWelcome.\n";

pub(crate) struct Site {
    pub dir: tempfile::TempDir,
}

#[derive(Debug)]
pub(crate) struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<std::process::Output> for Run {
    fn from(out: std::process::Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl Site {
    /// A site with kagu.toml and a home page.
    pub(crate) fn new() -> Site {
        let s = Site {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        s.file("kagu.toml", CONFIG).file("content/_index.md", HOME)
    }

    /// [`Site::new`] with one note per source (Wikipedia's model, `one_note_per_source`).
    pub(crate) fn one_note_per_source() -> Site {
        Site::new().file("kagu.toml", &format!("{CONFIG}one_note_per_source = true\n"))
    }

    /// A site whose one page, `content/a.md` (title "A"), has this body; built.
    pub(crate) fn one_page(body: &str) -> Site {
        Site::new().file("content/a.md", &page("A", "", body)).build_ok()
    }

    pub(crate) fn empty() -> Site {
        Site {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub(crate) fn root(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn file(self, rel: &str, text: &str) -> Site {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
        self
    }

    pub(crate) fn remove(self, rel: &str) -> Site {
        std::fs::remove_file(self.root().join(rel)).expect("remove");
        self
    }

    pub(crate) fn kagu(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_kagu"))
            .args(args)
            .arg("--root")
            .arg(self.root())
            .env("NO_COLOR", "1")
            .output()
            .expect("run kagu");
        Run::from(out)
    }

    pub(crate) fn build(&self) -> Run {
        self.kagu(&["build"])
    }

    /// Builds and panics with the diagnostics if the build failed.
    pub(crate) fn build_ok(self) -> Site {
        let r = self.build();
        assert_eq!(r.code, 0, "build failed:\n{}", r.stderr);
        self
    }

    pub(crate) fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    pub(crate) fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.public().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub(crate) fn html(&self, rel: &str) -> Html {
        Html::parse_document(&self.read(rel))
    }
}

/// Errors only: the diagnostics without the closing summary line.
pub(crate) fn diagnostics(r: &Run) -> String {
    let mut lines: Vec<&str> = r.stderr.lines().collect();
    if lines
        .last()
        .is_some_and(|l| l.starts_with("build") || l.starts_with("check"))
    {
        lines.pop();
    }
    lines.join("\n").trim_end().to_string()
}

pub(crate) fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let sel = Selector::parse(css).unwrap_or_else(|e| panic!("selector {css}: {e:?}"));
    doc.select(&sel).collect()
}

pub(crate) fn texts(doc: &Html, css: &str) -> Vec<String> {
    select(doc, css)
        .iter()
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// The text of each match with its whitespace collapsed, as a reader sees it.
pub(crate) fn words(doc: &Html, css: &str) -> Vec<String> {
    select(doc, css)
        .iter()
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

pub(crate) fn attrs(doc: &Html, css: &str, attr: &str) -> Vec<String> {
    select(doc, css)
        .iter()
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

pub(crate) fn page(title: &str, extra: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\n{extra}+++\n\n{body}\n")
}

/// Builds, expects exit code 1 and exactly these diagnostics.
pub(crate) fn fails_with(s: &Site, expected: &str) {
    let r = s.build();
    assert_eq!(r.code, 1, "expected failure, got:\n{}", r.stderr);
    assert_eq!(diagnostics(&r), expected.trim_end(), "\nactual:\n{}", r.stderr);
}

/// Runs the real `kagu` binary with these arguments, without colours.
pub(crate) fn kagu(args: &[&str]) -> Run {
    Run::from(
        Command::new(env!("CARGO_BIN_EXE_kagu"))
            .args(args)
            .env("NO_COLOR", "1")
            .output()
            .expect("run kagu"),
    )
}

/// Builds the bundled explainer (this repository) into a temp folder.
pub(crate) fn build_bundled() -> (tempfile::TempDir, Run) {
    let out = tempfile::tempdir().expect("temp");
    let dir = out.path().to_str().expect("utf-8 temp path").to_string();
    let run = kagu(&[
        "build",
        "--root",
        env!("CARGO_MANIFEST_DIR"),
        "--output-dir",
        &dir,
    ]);
    (out, run)
}

/// Every file under `dir`, by `/`-separated path, with its bytes.
pub(crate) fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    tree_but(dir, "")
}

/// [`tree`] without the folders named `skip` (not read at all: another thread may be writing
/// them).
pub(crate) fn tree_but(dir: &Path, skip: &str) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| skip.is_empty() || !(e.file_type().is_dir() && e.file_name() == skip))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("under dir");
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// Sends `signal` to a child process and waits up to `within` for it to end: how long it took,
/// or None if it is still running.
pub(crate) fn signal_and_wait(
    child: &mut std::process::Child,
    signal: libc::c_int,
    within: std::time::Duration,
) -> Option<std::time::Duration> {
    let start = std::time::Instant::now();
    let pid = libc::pid_t::try_from(child.id()).ok()?;
    // SAFETY: sends a signal to our own child process.
    unsafe { libc::kill(pid, signal) };
    while start.elapsed() < within {
        if child.try_wait().ok().flatten().is_some() {
            return Some(start.elapsed());
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    None
}

/// Ends a child process as a user would, with SIGTERM, so that it cleans up after itself (a
/// dev server removes its folder); killed if it is still running five seconds later.
pub(crate) fn end(child: &mut std::process::Child) {
    if child.try_wait().ok().flatten().is_some()
        || signal_and_wait(child, libc::SIGTERM, std::time::Duration::from_secs(5)).is_some()
    {
        return;
    }
    let _ = child.kill();
    let _ = child.wait();
}
