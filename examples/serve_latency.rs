//! Edit-to-updated-page latency of `kagu serve`: from the file write to the first HTTP response
//! that contains the new text, over N edits. Prints median, 90th percentile and max; never fails
//! on timing.
//!
//! `cargo run --release --example serve_latency -- --root . --file content/allegations.md`
//! (the site is copied to a temp folder first; `--edits 20` by default; `--edit title` changes
//! the page's title instead of its prose, which re-renders the pages that show it; `--edit
//! heading` renames its third heading). Each edit is made once the server has finished the last
//! rebuild, as a writer's next save comes; the time until that rebuild is done (every file it
//! rewrites, such as the sources page, written) is printed too.

#[path = "common/args.rs"]
mod args;
use args::arg;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn copy_site(from: &Path, to: &Path) -> std::io::Result<()> {
    for part in ["kagu.toml", "content", "templates", "static", "themes"] {
        let src = from.join(part);
        for e in walkdir::WalkDir::new(&src).into_iter().filter_map(Result::ok) {
            let rel = e.path().strip_prefix(from).expect("under root");
            let dst = to.join(rel);
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&dst)?;
            } else if e.file_type().is_file() {
                std::fs::create_dir_all(dst.parent().expect("parent"))?;
                std::fs::copy(e.path(), &dst)?;
            }
        }
    }
    Ok(())
}

/// GET over a plain socket (no client library in an example).
fn get(port: u16, path: &str) -> String {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return String::new();
    };
    let _ = write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    );
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out
}

fn main() {
    let root = PathBuf::from(arg("--root").unwrap_or_else(|| ".".into()));
    let file = arg("--file").unwrap_or_else(|| "content/allegations.md".into());
    let edits: usize = arg("--edits").and_then(|e| e.parse().ok()).unwrap_or(20);
    // "prose" appends a paragraph; "title" changes the title, which other pages show too.
    let mode = arg("--edit").unwrap_or_else(|| "prose".into());
    let kagu = arg("--kagu")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/kagu"));

    let site = tempfile::tempdir().expect("temp dir");
    copy_site(&root, site.path()).expect("copy the site");
    let mut child = Command::new(&kagu)
        .args(["serve", "--port", "0", "--root"])
        .arg(site.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start kagu serve (build it with cargo build --release)");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("url line");
    let port: u16 = line
        .trim()
        .trim_end_matches('/')
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("port");
    let rel = file.trim_start_matches("content/").trim_end_matches(".md");
    let page = if rel.ends_with("_index") {
        format!("/{}", rel.trim_end_matches("_index"))
    } else {
        format!("/{rel}/")
    };
    let path = site.path().join(&file);
    let original = std::fs::read_to_string(&path).expect("read the page");

    let builds = || -> u64 {
        let status = get(port, "/__kagu/status");
        status
            .split("\"builds\":")
            .nth(1)
            .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    let mut times = Vec::with_capacity(edits);
    let mut done_times = Vec::with_capacity(edits);
    for i in 0..edits {
        let before = builds();
        let marker = format!("latency-marker-{i}-{}", std::process::id());
        std::thread::sleep(Duration::from_millis(150));
        let t = Instant::now();
        let text = match mode.as_str() {
            "title" => original.replacen("title = \"", &format!("title = \"{marker} "), 1),
            "heading" => {
                let third = original.match_indices("\n## ").nth(2).map_or(0, |(at, _)| at);
                let end = original[third + 1..]
                    .find('\n')
                    .map_or(original.len(), |e| third + 1 + e);
                format!("{} {marker}{}", &original[..end], &original[end..])
            }
            _ => format!("{original}\n\n{marker}\n"),
        };
        std::fs::write(&path, text).expect("write");
        loop {
            if get(port, &page).contains(&marker) {
                break;
            }
            assert!(
                t.elapsed() < Duration::from_secs(30),
                "edit {i} never showed up at {page}"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        while builds() <= before {
            assert!(
                t.elapsed() < Duration::from_secs(30),
                "rebuild {i} never finished"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        done_times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    // SIGTERM, so that the server removes its folder (SIGKILL would leave it behind).
    if let Ok(pid) = libc::pid_t::try_from(child.id()) {
        // SAFETY: sends SIGTERM to our own child process.
        unsafe { libc::kill(pid, libc::SIGTERM) };
    }
    let _ = child.wait();
    times.sort_by(f64::total_cmp);
    done_times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    let max = times[times.len() - 1];
    // The 90th percentile, nearest rank.
    let p90 = times[(times.len() * 9).div_ceil(10).max(1) - 1];
    println!(
        "{} {mode} edits of {file} ({page}): median {median:.1} ms, p90 {p90:.1} ms, min {:.1} ms, max {max:.1} ms; rebuild done: median {:.1} ms, max {:.1} ms",
        times.len(),
        times[0],
        done_times[done_times.len() / 2],
        done_times[done_times.len() - 1]
    );
}
