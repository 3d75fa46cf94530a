//! Turns a changed path into what it changes. Pure: no file system access, unit-tested without a
//! watcher.

use std::path::Path;

use crate::base::files::CONFIG_FILE;
use crate::project::load::{is_ignored_name, CONTENT_DIR, I18N_DIR, STATIC_DIR, TEMPLATES_DIR};

pub(crate) use crate::driver::site::Change;

fn slash(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// What `path` (absolute, or relative to `root`) changes, or None for files kagu does not read
/// (editors' swap, backup and temporary files, the output folder, anything else).
/// `style` is kagu.toml's `citation_style`: a `.csl` file of the project is part of the
/// configuration (its class decides what citations become).
pub(crate) fn classify(
    root: &Path,
    path: &Path,
    theme: &str,
    bibliography: &[String],
    style: &str,
) -> Option<Change> {
    let rel = path.strip_prefix(root).unwrap_or(path);
    if rel
        .components()
        .any(|c| is_ignored_name(&c.as_os_str().to_string_lossy()))
    {
        return None;
    }
    let rel = slash(rel);
    if rel == CONFIG_FILE || style.ends_with(".csl") && style.trim_start_matches("./") == rel {
        return Some(Change::Config);
    }
    if bibliography.iter().any(|b| b.trim_start_matches("./") == rel) {
        return Some(Change::Sources);
    }
    let theme_prefix = format!("themes/{theme}/");
    let (base, site_level) = match rel.strip_prefix(&theme_prefix) {
        Some(r) => (r, false),
        None => (rel.as_str(), true),
    };
    // The words are in every page's blocks: the site is read again.
    if base.starts_with(&format!("{I18N_DIR}/")) {
        return Some(Change::Config);
    }
    if let Some(name) = base.strip_prefix(&format!("{TEMPLATES_DIR}/")) {
        return Some(Change::Template(name.to_string()));
    }
    if let Some(name) = base.strip_prefix(&format!("{STATIC_DIR}/")) {
        return Some(Change::Static {
            css: name.ends_with(".css"),
        });
    }
    if !site_level {
        return None;
    }
    if rel == CONTENT_DIR {
        return Some(Change::ContentTree(String::new()));
    }
    let in_content = rel.strip_prefix(&format!("{CONTENT_DIR}/"))?;
    if in_content == "sources.toml" {
        Some(Change::Sources)
    } else if let Some(kind) = crate::data::DataKind::at(&rel) {
        Some(Change::Data(kind))
    } else if in_content.ends_with(".md") {
        Some(Change::Content(in_content.to_string()))
    } else {
        Some(Change::ContentTree(in_content.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(path: &str) -> Option<Change> {
        classify(
            Path::new("/site"),
            Path::new(path),
            "default",
            &["refs.bib".to_string()],
            "styles/journal.csl",
        )
    }

    #[test]
    fn each_kind_of_file() {
        assert_eq!(c("/site/content/a/b.md"), Some(Change::Content("a/b.md".into())));
        assert_eq!(c("/site/content/sources.toml"), Some(Change::Sources));
        assert_eq!(c("/site/refs.bib"), Some(Change::Sources));
        assert_eq!(
            c("/site/templates/page.html"),
            Some(Change::Template("page.html".into()))
        );
        assert_eq!(
            c("/site/themes/default/templates/base.html"),
            Some(Change::Template("base.html".into()))
        );
        assert_eq!(c("/site/static/css/x.css"), Some(Change::Static { css: true }));
        assert_eq!(
            c("/site/themes/default/static/kagu.js"),
            Some(Change::Static { css: false })
        );
        assert_eq!(c("/site/kagu.toml"), Some(Change::Config));
        assert_eq!(c("/site/styles/journal.csl"), Some(Change::Config));
        assert_eq!(c("/site/styles/other.csl"), None);
        assert_eq!(c("/site/content/part"), Some(Change::ContentTree("part".into())));
        assert_eq!(c("/site/content"), Some(Change::ContentTree(String::new())));
    }

    #[test]
    fn editor_temp_files_and_other_files_are_ignored() {
        for p in [
            "/site/content/.a.md.swp",
            "/site/content/a.md~",
            "/site/content/.#a.md",
            "/site/content/4913",
            "/site/content/a.md.tmp.1234",
            "/site/content/#a.md#",
            "/site/public/index.html",
            "/site/themes/other/templates/page.html",
            "/site/.git/index",
        ] {
            assert_eq!(c(p), None, "{p}");
        }
    }
}
