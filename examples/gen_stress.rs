//! Writes the bounded-work stress sites, inputs that would make a careless generator quadratic:
//! `cargo run --release --example gen_stress -- --case NAME --out DIR`, NAME one of
//! - `one-folder`: 5,000 pages in one folder;
//! - `broken-line`: 5,000 broken links on one line;
//! - `broken-many`: 9,000 broken links across 3,000 pages, each close to a real page (suggestions);
//! - `citations`: 20,000 citations in one paragraph;
//! - `template-grows`: a page template whose output grows without bound;
//! - `one-author`: 3,000 BibLaTeX entries of one author and year, 10 of them cited (the
//!   disambiguation cliff); `one-author-pages` the same, cited with page numbers.
//!
//! `bench/bounded.sh` builds each and prints its time.

#[path = "common/args.rs"]
mod args;
use args::arg;

use std::fmt::Write as _;
use std::path::Path;

fn write(root: &Path, rel: &str, text: &str) -> std::io::Result<()> {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("a parent folder"))?;
    std::fs::write(p, text)
}

fn page(title: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\n+++\n\n{body}\n")
}

fn main() -> std::io::Result<()> {
    let case = arg("--case").unwrap_or_default();
    let out = std::path::PathBuf::from(arg("--out").unwrap_or_else(|| "stress".into()));
    write(
        &out,
        "kagu.toml",
        "title = \"Stress\"\nbase_url = \"https://example.org/\"\n",
    )?;
    write(&out, "content/_index.md", &page("Stress", "Home."))?;
    match case.as_str() {
        "one-folder" => {
            write(&out, "content/all/_index.md", &page("All", "One folder."))?;
            for i in 0..5000 {
                let body = format!("Page {i}. See [the next](p{:04}.md).", (i + 1) % 5000);
                write(
                    &out,
                    &format!("content/all/p{i:04}.md"),
                    &page(&format!("P{i}"), &body),
                )?;
            }
        }
        "broken-line" => {
            let mut line = String::new();
            for i in 0..5000 {
                write!(line, "[x{i}](missing-{i}.md) ").ok();
            }
            write(&out, "content/a.md", &page("A", &line))?;
        }
        "broken-many" => {
            for i in 0..3000 {
                let mut body = String::new();
                for k in 0..3 {
                    // Close to a real page's name: one letter swapped.
                    write!(body, "See [x](pgae-{:04}.md). ", (i * 3 + k) % 3000).ok();
                }
                write(
                    &out,
                    &format!("content/page-{i:04}.md"),
                    &page(&format!("P{i}"), &body),
                )?;
            }
        }
        "citations" => {
            let mut sources = String::new();
            for s in 0..100 {
                writeln!(sources, "[s{s}]\ntitle = \"Source {s}\"\n").ok();
            }
            write(&out, "content/sources.toml", &sources)?;
            let mut para = String::new();
            for i in 0..20000 {
                write!(para, "Claim {i} [@s{}]. ", i % 100).ok();
            }
            write(&out, "content/a.md", &page("A", &para))?;
        }
        "template-grows" => {
            write(
                &out,
                "templates/page.html",
                "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{{ page.title }} {% endfor %}{% endfor %}",
            )?;
            write(&out, "content/a.md", &page("A", "Text."))?;
        }
        "one-author" | "one-author-pages" => {
            write(
                &out,
                "kagu.toml",
                "title = \"Stress\"\nbase_url = \"https://example.org/\"\nbibliography = [\"refs.bib\"]\n",
            )?;
            let mut bib = String::new();
            for i in 0..3000 {
                writeln!(
                    bib,
                    "@book{{k{i}, title = {{Title number {i}}}, author = {{Doe, Jane}}, year = {{2020}}}}"
                )
                .ok();
            }
            write(&out, "refs.bib", &bib)?;
            let locator = if case == "one-author" { "" } else { ", p. 3" };
            let body: String = (0..10).map(|i| format!("Claim [@k{i}{locator}]. ")).collect();
            write(&out, "content/a.md", &page("A", &body))?;
        }
        other => {
            eprintln!("unknown --case `{other}`");
            std::process::exit(2);
        }
    }
    println!("wrote the `{case}` stress site to {}", out.display());
    Ok(())
}
