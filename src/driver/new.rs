//! `kagu new PATH`: a new page or section with valid front matter, placed after its siblings.

use std::path::{Path, PathBuf};

use crate::project::load::CONTENT_DIR;

/// What `kagu new` made: the file, and its address on `kagu serve`'s default port.
pub(crate) struct Created {
    pub file: PathBuf,
    pub url: String,
}

/// "background/history.md" → a page; "background/" or "background/_index.md" → a section.
pub(crate) fn new_page(root: &Path, path: &str) -> Result<Created, String> {
    let rel = path.trim_start_matches("./");
    let rel = rel.strip_prefix("content/").unwrap_or(rel);
    let rel = if rel.ends_with('/') || rel.is_empty() {
        format!("{rel}_index.md")
    } else if rel.ends_with(".md") {
        rel.to_string()
    } else {
        format!("{rel}.md")
    };
    crate::base::paths::safe_rel(&rel)
        .map_err(|p| format!("`{path}` cannot be a page's path: {}", p.describe()))?;
    if !root.join(crate::base::files::CONFIG_FILE).is_file() {
        return Err(format!(
            "{} holds no site (no kagu.toml): make one with `kagu init`, or give the site's folder with --root",
            root.display()
        ));
    }
    let file = root.join(CONTENT_DIR).join(&rel);
    if std::fs::symlink_metadata(&file).is_ok() {
        return Err(format!("{} already exists", file.display()));
    }
    // Never through a link: content/ and each folder on the way must be real folders (or not
    // there yet), so the page lands inside content/, where the build reads it.
    let mut on_the_way = root.join(CONTENT_DIR);
    let folders = rel.split('/').collect::<Vec<_>>();
    for (i, part) in std::iter::once("")
        .chain(folders[..folders.len() - 1].iter().copied())
        .enumerate()
    {
        if i > 0 {
            on_the_way.push(part);
        }
        if std::fs::symlink_metadata(&on_the_way).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(format!(
                "{} is a link: kagu writes pages only inside content/ itself; make it a folder",
                on_the_way.display()
            ));
        }
    }
    let is_section = rel.ends_with("_index.md");
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel.as_str()));
    let (siblings_dir, own) = if is_section {
        let (parent, folder) = dir.rsplit_once('/').unwrap_or(("", dir));
        (parent.to_string(), folder.to_string())
    } else {
        (dir.to_string(), name.trim_end_matches(".md").to_string())
    };
    if own.is_empty() {
        return Err("the home page is content/_index.md, made by `kagu init`".into());
    }
    let weight = last_weight(&root.join(CONTENT_DIR).join(&siblings_dir)) + 1;
    let title = title_from(&own);
    let text = format!(
        "+++\ntitle = \"{}\"\ndescription = \"\"\nweight = {weight}\n+++\n\n",
        title.replace('\\', "\\\\").replace('"', "\\\"")
    );
    if let Some(parent) = file.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&file)
        .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
        .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    let mut url = String::from("http://127.0.0.1:1111/");
    for seg in dir.split('/').filter(|s| !s.is_empty()) {
        url.push_str(&slug::slugify(seg));
        url.push('/');
    }
    if !is_section {
        url.push_str(&slug::slugify(&own));
        url.push('/');
    }
    Ok(Created { file, url })
}

/// "first-steps" → "First steps".
fn title_from(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The highest `weight` among the pages and sections of `dir` (0 when none has one).
fn last_weight(dir: &Path) -> i64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let p = e.path();
            let file = if p.is_dir() {
                p.join("_index.md")
            } else if p.extension().is_some_and(|x| x == "md") && e.file_name() != "_index.md" {
                p
            } else {
                return None;
            };
            let text = std::fs::read_to_string(file).ok()?;
            let front = text.strip_prefix("+++")?.split("\n+++").next()?.to_string();
            front.parse::<toml::Table>().ok()?.get("weight")?.as_integer()
        })
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_names() {
        assert_eq!(title_from("first-steps"), "First steps");
        assert_eq!(title_from("history"), "History");
        assert_eq!(title_from("élysée_palace"), "Élysée palace");
    }
}
