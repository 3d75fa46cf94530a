//! `kagu init DIR`: a new explainer site that builds at once.

use std::path::Path;

const CONFIG: &str = r#"title = "My explainer"
description = "A short explainer."
# Set this to the address the site will have: the sitemap, the feed and canonical links use it.
base_url = "https://example.org/my-explainer/"
language = "en"
authors = []
"#;

const HOME: &str = r#"+++
title = "My explainer"
description = "The question this explainer answers, in one sentence."
+++

Start with the answer, then let the sections explain it. Read on in
[the first section](first-section.md).
"#;

const SECTION: &str = r#"+++
title = "The first section"
description = "What this section explains."
weight = 1
+++

## Background

Write each claim with its source: cite a source from `content/sources.toml` as `[@key]`.
"#;

const SOURCES: &str = "# One table per source, keyed by its citation key. Only `title` is required.\n\
# [example-report]\n# title = \"Title of the report\"\n# type = \"report\"\n# publisher = \"Who published it\"\n\
# date = 2024-05-13\n# url = \"https://example.org/report\"\n";

/// The files `init` writes, by path under the new site's folder.
const FILES: [(&str, &str); 5] = [
    ("kagu.toml", CONFIG),
    ("content/_index.md", HOME),
    ("content/first-section.md", SECTION),
    ("content/sources.toml", SOURCES),
    (".gitignore", "/public/\n/.public.kagu-*\n"),
];

/// The site whose `content/` folder holds `dir`, if any.
fn enclosing_site(dir: &Path) -> Option<std::path::PathBuf> {
    let abs = std::path::absolute(dir).ok()?;
    abs.ancestors()
        .filter(|a| a.file_name().is_some_and(|n| n == "content"))
        .filter_map(Path::parent)
        .find(|site| site.join("kagu.toml").is_file())
        .map(Path::to_path_buf)
}

/// Creates the scaffold in `dir`: refuses to write over any file that exists, and to make a
/// site inside another site's `content/`.
pub(crate) fn init(dir: &Path) -> Result<(), String> {
    if let Some(site) = enclosing_site(dir) {
        return Err(format!(
            "{} is inside the content/ folder of the site in {}; choose a folder outside it",
            dir.display(),
            site.display()
        ));
    }
    // A link counts as there, even one that leads nowhere: nothing is written through it.
    let there = |p: &Path| std::fs::symlink_metadata(p).is_ok();
    if std::fs::metadata(dir).is_ok_and(|m| !m.is_dir()) {
        return Err(format!(
            "{} is a file; kagu init makes a site in a folder: name a new or empty folder",
            dir.display()
        ));
    }
    if there(&dir.join("kagu.toml")) || there(&dir.join("content")) {
        return Err(format!(
            "{} already holds a site (kagu.toml or content/); choose an empty folder",
            dir.display()
        ));
    }
    if let Some((rel, _)) = FILES.iter().find(|(rel, _)| there(&dir.join(rel))) {
        return Err(format!(
            "{} already has a {rel}; kagu init writes only new files: move it away or choose another folder",
            dir.display()
        ));
    }
    (|| -> std::io::Result<()> {
        for (rel, text) in FILES {
            let p = dir.join(rel);
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent)?;
            }
            // create_new: a file that appeared since the check above is never overwritten.
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(p)
                .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))?;
        }
        std::fs::create_dir_all(dir.join("templates"))?;
        std::fs::create_dir_all(dir.join("static"))
    })()
    .map_err(|e| format!("cannot create the site in {}: {e}", dir.display()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_scaffold_writes_the_placeholder_address_a_build_warns_about() {
        let line = format!("base_url = \"{}\"", crate::base::address::INIT_ADDRESS);
        assert!(super::CONFIG.lines().any(|l| l == line), "{}", super::CONFIG);
    }
}
