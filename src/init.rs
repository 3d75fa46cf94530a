//! `kagu init DIR`: a new explainer site that builds at once.

use std::path::Path;

const CONFIG: &str = r#"title = "My explainer"
description = "A short explainer."
base_url = "/"
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

/// Creates the scaffold in `dir`; refuses to overwrite an existing site.
pub fn init(dir: &Path) -> Result<(), String> {
    if dir.join("kagu.toml").exists() || dir.join("content").exists() {
        return Err(format!(
            "{} already holds a site (kagu.toml or content/); choose an empty folder",
            dir.display()
        ));
    }
    let write = |rel: &str, text: &str| {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(p, text)
    };
    (|| -> std::io::Result<()> {
        write("kagu.toml", CONFIG)?;
        write("content/_index.md", HOME)?;
        write("content/first-section.md", SECTION)?;
        write("content/sources.toml", SOURCES)?;
        std::fs::create_dir_all(dir.join("templates"))?;
        write(".gitignore", "/public/\n")
    })()
    .map_err(|e| format!("cannot create the site in {}: {e}", dir.display()))
}
