//! Writes a deterministic synthetic explainer corpus for benchmarks:
//! `cargo run --release --example gen_corpus -- --pages 10000 [--per-section 100] --out DIR`.
//! Pages of about 800 words with headings, footnotes, a table, citations and links between pages,
//! in sections of 100 pages (or `--per-section`). `--timeline N` adds a timeline of N events
//! (each citing a source and linking a page) shown on a timeline page, and a block of five of
//! them on the first page of each section. `--glossary N` adds a glossary of N entries (ten
//! named by two of the corpus's words, so pages mention a few) listed on a glossary page.
//! `--claims N` adds N claims (each citing a source, every other answered) shown on a claims
//! page, and every 20th page links to one. `--updates-every N` dates every Nth page and gives it a correction (`[[updates]]`, citing a
//! source), so the site has a page of updates and the feed an entry for each. `--search off`
//! turns the readers' search off. `--citations off` writes no citations and no sources.
//! `--zola DIR` also writes the same pages as a Zola site in DIR (bench/zola.sh).

#[path = "common/args.rs"]
mod args;
#[path = "common/zola_site.rs"]
mod zola_site;
use args::arg;

use std::fmt::Write as _;
use std::path::PathBuf;

const WORDS: &[&str] = &[
    "territory",
    "referendum",
    "nickel",
    "ministry",
    "conference",
    "parliament",
    "independence",
    "report",
    "statement",
    "influence",
    "strategy",
    "region",
    "security",
    "reform",
    "voters",
    "island",
    "pacific",
    "history",
    "policy",
    "dispute",
    "alliance",
    "interest",
    "official",
    "minister",
    "economy",
    "colony",
    "the",
    "of",
    "and",
    "a",
    "in",
    "to",
    "is",
    "was",
    "that",
    "for",
    "on",
    "with",
    "as",
    "by",
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(WORDS[rng.below(WORDS.len())]);
    }
    s.push('.');
    s
}

const SOURCES: usize = 50;

fn main() -> std::io::Result<()> {
    let pages: usize = arg("--pages").and_then(|p| p.parse().ok()).unwrap_or(1000);
    let per_section: usize = arg("--per-section").and_then(|p| p.parse().ok()).unwrap_or(100);
    let out = PathBuf::from(arg("--out").unwrap_or_else(|| "corpus".into()));
    let content = out.join("content");
    std::fs::create_dir_all(&content)?;
    // `--search off`: the readers' search turned off (`search = false`).
    let search = arg("--search").is_none_or(|s| s != "off");
    std::fs::write(
        out.join("kagu.toml"),
        format!("title = \"Synthetic corpus\"\nbase_url = \"https://example.org/\"\nsearch = {search}\n"),
    )?;
    std::fs::write(
        content.join("_index.md"),
        "+++\ntitle = \"Synthetic corpus\"\n+++\n\nGenerated.\n",
    )?;
    let mut sources = String::new();
    for s in 0..SOURCES {
        writeln!(sources, "[src{s}]\ntitle = \"Source number {s}\"\ntype = \"article\"\noutlet = \"Outlet {s}\"\ndate = 2024-01-{:02}\nurl = \"https://example.org/source/{s}\"\n", s % 28 + 1).ok();
    }
    let cite = arg("--citations").is_none_or(|s| s != "off");
    if cite {
        std::fs::write(content.join("sources.toml"), sources)?;
    }
    let (events, claims) = data_files(&content, pages, per_section)?;
    let zola = arg("--zola")
        .map(PathBuf::from)
        .map(|d| zola_site::start(&d))
        .transpose()?;
    let updates_every: usize = arg("--updates-every").and_then(|p| p.parse().ok()).unwrap_or(0);
    let mut rng = Rng(42);
    let sections = pages.div_ceil(per_section);
    for sec in 0..sections {
        let dir = content.join(format!("s{sec:03}"));
        std::fs::create_dir_all(&dir)?;
        std::fs::write(
            dir.join("_index.md"),
            format!("+++\ntitle = \"Section {sec}\"\nweight = {sec}\n+++\n\nSection {sec}.\n"),
        )?;
        if let Some(z) = &zola {
            std::fs::create_dir_all(z.join(format!("s{sec:03}")))?;
            std::fs::write(
                z.join(format!("s{sec:03}/_index.md")),
                zola_site::section_index(sec),
            )?;
        }
        for p in 0..per_section.min(pages - sec * per_section) {
            let updated = updates_every > 0 && (sec * per_section + p).is_multiple_of(updates_every);
            let updates = if updated {
                format!(
                    "date = 2024-01-01\n\n[[updates]]\ndate = 2024-02-{:02}\nkind = \"correction\"\ntext = \"An earlier version misstated figure {p}.[@src{}]\"\n",
                    1 + p % 28,
                    p % SOURCES
                )
            } else {
                String::new()
            };
            let mut md = format!(
                "+++\ntitle = \"Page {sec}-{p}\"\nweight = {p}\ndescription = \"{}\"\n{updates}+++\n\n",
                sentence(&mut rng, 8)
            );
            for h in 0..3 {
                writeln!(md, "## Heading {h}\n").ok();
                for _ in 0..3 {
                    let mut para = String::new();
                    for _ in 0..5 {
                        para.push_str(&sentence(&mut rng, 16));
                        para.push(' ');
                    }
                    let source = rng.below(SOURCES);
                    if cite {
                        writeln!(md, "{para}[@src{source}]\n").ok();
                    } else {
                        writeln!(md, "{para}\n").ok();
                    }
                }
            }
            let other_sec = rng.below(sections);
            let other_page = rng.below(per_section.min(pages - other_sec * per_section));
            writeln!(md, "See [a neighbour](p{:03}.md#heading-1) and [another section](../s{other_sec:03}/p{other_page:03}.md).[^n1]\n", (p + 1) % per_section.min(pages - sec * per_section)).ok();
            writeln!(
                md,
                "| year | value |\n|---|---|\n| 2018 | {} |\n| 2020 | {} |\n",
                rng.below(100),
                rng.below(100)
            )
            .ok();
            let n = sec * per_section + p;
            if claims > 0 && n.is_multiple_of(20) {
                writeln!(
                    md,
                    "As [a speaker claims](claim:c{}), so it is said.\n",
                    n / 20 % claims
                )
                .ok();
            }
            if events > 0 && p == 0 {
                writeln!(md, "{{{{ timeline(tags = [\"t{}\"]) }}}}\n", sec % 100).ok();
            }
            writeln!(md, "[^n1]: {}", sentence(&mut rng, 12)).ok();
            if let Some(z) = &zola {
                std::fs::write(z.join(format!("s{sec:03}/p{p:03}.md")), zola_site::page(&md, sec))?;
            }
            std::fs::write(dir.join(format!("p{p:03}.md")), md)?;
        }
    }
    println!("wrote {pages} pages in {sections} sections to {}", out.display());
    Ok(())
}

/// The data files `--timeline`, `--claims` and `--glossary` ask for, and the pages that show
/// them; returns how many events and claims there are.
fn data_files(
    content: &std::path::Path,
    pages: usize,
    per_section: usize,
) -> std::io::Result<(usize, usize)> {
    let events: usize = arg("--timeline").and_then(|p| p.parse().ok()).unwrap_or(0);
    if events > 0 {
        let mut timeline = String::new();
        for e in 0..events {
            let (year, month) = (1900 + e / 12, e % 12 + 1);
            writeln!(
                timeline,
                "[[event]]\ndate = \"{year}-{month:02}\"\ntitle = \"Event {e}\"\ndescription = \"What happened in event {e}, as a source says.[@src{}] See [a page](s000/p{:03}.md).\"\ntags = [\"t{}\"]\n",
                e % SOURCES,
                e % per_section.min(pages),
                e % 100
            )
            .ok();
        }
        std::fs::write(content.join("timeline.toml"), timeline)?;
        std::fs::write(
            content.join("timeline.md"),
            "+++\ntitle = \"Timeline\"\n+++\n\n{{ timeline() }}\n",
        )?;
    }
    let claims: usize = arg("--claims").and_then(|p| p.parse().ok()).unwrap_or(0);
    if claims > 0 {
        let mut toml = String::new();
        for c in 0..claims {
            let (year, month) = (2000 + c / 12, c % 12 + 1);
            writeln!(
                toml,
                "[[claim]]\nid = \"c{c}\"\nby = \"Speaker {}\"\ndate = \"{year}-{month:02}\"\ntext = \"Claim {c}, as a source reports it.[@src{}]\"\ntags = [\"c{}\"]\n",
                c % 40,
                c % SOURCES,
                c % 10
            )
            .ok();
            if c % 2 == 0 {
                writeln!(toml, "[[response]]\nid = \"r{c}\"\nto = \"c{c}\"\nby = \"Speaker {}\"\ndate = \"{year}-{month:02}\"\nquote = true\ntext = \"baseless\"\n", (c + 1) % 40).ok();
            }
        }
        std::fs::write(content.join("claims.toml"), toml)?;
        std::fs::write(
            content.join("claims.md"),
            "+++\ntitle = \"Claims\"\n+++\n\n{{ claims() }}\n",
        )?;
    }
    let entries: usize = arg("--glossary").and_then(|p| p.parse().ok()).unwrap_or(0);
    if entries > 0 {
        let mut glossary = String::new();
        for g in 0..entries {
            // Ten two-word names made of the corpus's words, each said about once a page, as an
            // explainer names its people and places; the rest names no page says.
            let name = if g < 10 && g + 1 < WORDS.len() {
                format!("{} {}", WORDS[g], WORDS[g + 1])
            } else {
                format!("Name {g}")
            };
            writeln!(
                glossary,
                "[g{g}]\nkind = \"term\"\nname = \"{name}\"\naliases = [\"Alias {g}\"]\ndescription = \"What {name} means here.[@src{}]\"\n",
                g % SOURCES
            )
            .ok();
        }
        std::fs::write(content.join("glossary.toml"), glossary)?;
        std::fs::write(
            content.join("glossary.md"),
            "+++\ntitle = \"Glossary\"\n+++\n\n{{ glossary() }}\n",
        )?;
    }
    Ok((events, claims))
}
