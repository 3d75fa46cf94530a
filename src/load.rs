//! Load stage: reads a project folder into a [`SourceSet`]: the config, every content file,
//! the bibliography files, the site's template overrides and its static files.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::{Config, CONFIG_FILE};
use crate::diag::{Diagnostic, Diagnostics, FileId, Files, Kind};

pub(crate) const CONTENT_DIR: &str = "content";
pub(crate) const TEMPLATES_DIR: &str = "templates";
pub(crate) const STATIC_DIR: &str = "static";
pub(crate) const DEFAULT_SOURCES: &str = "content/sources.toml";

#[derive(Debug, Clone)]
pub struct ContentFile {
    pub file: FileId,
    /// Relative to `content/`, `/`-separated.
    pub rel: String,
}

/// A file copied as it is into the output.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Output path, `/`-separated.
    pub rel: String,
    pub abs: PathBuf,
}

pub struct SourceSet {
    pub root: PathBuf,
    pub files: Files,
    pub config: Config,
    pub config_file: Option<FileId>,
    pub content: Vec<ContentFile>,
    /// Bibliography files, with their path relative to the root.
    pub bibliographies: Vec<(FileId, String)>,
    /// Template overrides: the theme folder's, then the site's `templates/` (later wins).
    pub templates: Vec<(String, FileId)>,
    pub static_files: Vec<StaticFile>,
    /// The files pages may link to (non-Markdown files under content/, static files).
    pub file_index: crate::resolve::FileIndex,
    /// content/timeline.toml, when the site has one.
    pub timeline: Option<FileId>,
    /// content/glossary.toml, when the site has one.
    pub glossary: Option<FileId>,
}

/// Reads a data file (content/timeline.toml, content/glossary.toml) into the store (None when
/// there is none).
pub(crate) fn read_data(
    root: &Path,
    rel: &str,
    files: &mut Files,
    diags: &mut Diagnostics,
) -> Option<FileId> {
    match std::fs::read_to_string(root.join(rel)) {
        Ok(text) => Some(files.add(rel, text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            diags.push(Diagnostic::global(Kind::Unreadable {
                what: "data file",
                path: rel.into(),
                message: e.to_string(),
            }));
            None
        }
    }
}

/// The non-Markdown files under `content/` and the static files' output paths, read afresh (the
/// dev server, after files under content/ came or went).
pub(crate) fn file_index(
    root: &Path,
    static_files: &[StaticFile],
    diags: &mut Diagnostics,
) -> crate::resolve::FileIndex {
    let content = walk(&root.join(CONTENT_DIR), diags)
        .into_iter()
        .filter(|(r, _)| !r.ends_with(".md"));
    index_files(content, static_files)
}

fn index_files(
    content: impl IntoIterator<Item = (String, PathBuf)>,
    static_files: &[StaticFile],
) -> crate::resolve::FileIndex {
    crate::resolve::FileIndex {
        content: content.into_iter().collect(),
        statics: static_files
            .iter()
            .map(|s| (s.rel.clone(), s.abs.clone()))
            .collect(),
    }
}

fn rel_slash(base: &Path, p: &Path) -> String {
    let rel = p.strip_prefix(base).unwrap_or(p);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Ignored everywhere: hidden files and editors' temporary and backup files.
pub(crate) fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name.contains(".tmp.")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name == "4913"
}

/// Files under `dir` (sorted, ignoring editor temp files), with their `/`-separated paths. A
/// folder or file that cannot be read is reported, never skipped in silence.
fn walk(dir: &Path, diags: &mut Diagnostics) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let entries = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    for e in entries {
        match e {
            Ok(e) if e.file_type().is_file() => out.push((rel_slash(dir, e.path()), e.into_path())),
            Ok(_) => {}
            Err(err) => diags.push(Diagnostic::global(Kind::Unreadable {
                what: "folder",
                path: err
                    .path()
                    .map_or_else(|| dir.display().to_string(), |p| p.display().to_string()),
                message: err
                    .io_error()
                    .map_or_else(|| err.to_string(), ToString::to_string),
            })),
        }
    }
    out.sort();
    out
}

/// Is this missing or unreadable bibliography one that kagu.toml names (not the default
/// content/sources.toml)?
fn kind_names_config(kind: &Kind) -> bool {
    match kind {
        Kind::MissingFile { path, .. } | Kind::Unreadable { path, .. } => path != DEFAULT_SOURCES,
        _ => false,
    }
}

/// A theme is a folder name under `themes/`.
fn theme_is_a_name(theme: &str) -> bool {
    !theme.is_empty()
        && theme != "."
        && theme != ".."
        && !theme.contains(['/', '\\', ':'])
        && !theme.chars().any(char::is_control)
}

/// A bibliography path stays inside the project: relative, no climbing out, and (for a file
/// that exists) no link that leads out.
fn inside_project(root: &Path, rel: &str) -> bool {
    let p = Path::new(rel);
    let mut depth = 0i32;
    for c in p.components() {
        match c {
            std::path::Component::Normal(_) => depth += 1,
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => return false,
        }
    }
    match (root.join(p).canonicalize(), root.canonicalize()) {
        (Ok(real), Ok(root)) => real.starts_with(root),
        _ => true,
    }
}

/// Reads files in parallel; a file that cannot be read is a diagnostic.
fn read_all(paths: &[(String, PathBuf)], diags: &mut Diagnostics) -> Vec<(String, PathBuf, String)> {
    let read: Vec<_> = paths
        .par_iter()
        .map(|(rel, abs)| (rel, abs, std::fs::read_to_string(abs)))
        .collect();
    let mut out = Vec::with_capacity(read.len());
    for (rel, abs, r) in read {
        match r {
            Ok(text) => out.push((rel.clone(), abs.clone(), text)),
            Err(e) => diags.push(Diagnostic::global(Kind::Io {
                path: abs.display().to_string(),
                message: e.to_string(),
            })),
        }
    }
    out
}

pub(crate) fn load(root: &Path, diags: &mut Diagnostics) -> SourceSet {
    let mut files = Files::default();
    let config_path = root.join(CONFIG_FILE);
    let (mut config, config_file) = match std::fs::read_to_string(&config_path) {
        Ok(text) => {
            let id = files.add(CONFIG_FILE, text.replace('\0', " "));
            if let Some(at) = text.find('\0') {
                diags.push(Diagnostic::at(Kind::NulByte, id, at..at + 1));
            }
            let (parsed, problems) = Config::parse_recovering(files.text(id), id);
            diags.extend(problems);
            (parsed, Some(id))
        }
        Err(e) => {
            diags.push(Diagnostic::global(if e.kind() == std::io::ErrorKind::NotFound {
                Kind::MissingFile {
                    what: "site config",
                    path: config_path.display().to_string(),
                }
            } else {
                Kind::Unreadable {
                    what: "site config",
                    path: config_path.display().to_string(),
                    message: e.to_string(),
                }
            }));
            (
                Config::parse("", FileId(0)).expect("the empty config is valid"),
                None,
            )
        }
    };

    // Paths from kagu.toml that would lead out of the project are refused at their line.
    if let Some(id) = config_file {
        let text = files.text(id);
        let whole = 0..text.len();
        if !theme_is_a_name(&config.theme) {
            diags.push(Diagnostic::at(
                Kind::OutsideProject {
                    key: "theme",
                    value: config.theme.clone(),
                },
                id,
                crate::parse::tomldoc::key_span(text, &whole, "theme"),
            ));
            config.theme = crate::config::default_theme();
        } else if config.theme != crate::config::default_theme()
            && !root.join("themes").join(&config.theme).is_dir()
        {
            // The built-in theme is `default`; any other is a folder under themes/.
            let mut available = vec![crate::config::default_theme()];
            if let Ok(dirs) = std::fs::read_dir(root.join("themes")) {
                let mut found: Vec<String> = dirs
                    .filter_map(Result::ok)
                    .filter(|e| e.path().is_dir())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n != "default")
                    .collect();
                found.sort();
                available.extend(found);
            }
            diags.push(Diagnostic::at(
                Kind::UnknownTheme {
                    name: config.theme.clone(),
                    available,
                },
                id,
                crate::parse::tomldoc::key_span(text, &whole, "theme"),
            ));
            config.theme = crate::config::default_theme();
        }
        let (inside, outside): (Vec<String>, Vec<String>) = std::mem::take(&mut config.bibliography)
            .into_iter()
            .partition(|b| inside_project(root, b));
        for b in outside {
            diags.push(Diagnostic::at(
                Kind::OutsideProject {
                    key: "bibliography",
                    value: b,
                },
                id,
                crate::parse::tomldoc::key_span(text, &whole, "bibliography"),
            ));
        }
        config.bibliography = inside;
    }

    let content_dir = root.join(CONTENT_DIR);
    match std::fs::metadata(&content_dir) {
        Ok(m) if m.is_dir() => {
            if let Err(e) = std::fs::read_dir(&content_dir) {
                diags.push(Diagnostic::global(Kind::Unreadable {
                    what: "content folder",
                    path: content_dir.display().to_string(),
                    message: e.to_string(),
                }));
            }
        }
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            diags.push(Diagnostic::global(Kind::Unreadable {
                what: "content folder",
                path: content_dir.display().to_string(),
                message: e.to_string(),
            }));
        }
        _ => diags.push(Diagnostic::global(Kind::MissingFile {
            what: "content folder",
            path: content_dir.display().to_string(),
        })),
    }
    let (md_paths, other): (Vec<_>, Vec<_>) = walk(&content_dir, diags)
        .into_iter()
        .partition(|(r, _)| r.ends_with(".md"));
    // Content is read where it is parsed, in parallel, and not held afterwards.
    let content = md_paths
        .into_iter()
        .map(|(rel, abs)| ContentFile {
            file: files.add_unread(format!("{CONTENT_DIR}/{rel}"), &abs),
            rel,
        })
        .collect();

    let timeline = read_data(root, crate::timeline::TIMELINE_FILE, &mut files, diags);
    let glossary = read_data(root, crate::glossary::GLOSSARY_FILE, &mut files, diags);

    let mut bib_paths = Vec::new();
    if root.join(DEFAULT_SOURCES).is_file() {
        bib_paths.push(DEFAULT_SOURCES.to_string());
    }
    bib_paths.extend(
        config
            .bibliography
            .iter()
            .filter(|b| b.as_str() != DEFAULT_SOURCES)
            .cloned(),
    );
    let mut bibliographies = Vec::new();
    for rel in bib_paths {
        match std::fs::read_to_string(root.join(&rel)) {
            Ok(text) => bibliographies.push((files.add(rel.clone(), text), rel)),
            Err(e) => {
                // Named in kagu.toml: located at its line there.
                let what = "bibliography file";
                let kind = if e.kind() == std::io::ErrorKind::NotFound {
                    Kind::MissingFile { what, path: rel }
                } else {
                    Kind::Unreadable {
                        what,
                        path: rel,
                        message: e.to_string(),
                    }
                };
                diags.push(match config_file {
                    Some(id) if kind_names_config(&kind) => {
                        let text = files.text(id);
                        Diagnostic::at(
                            kind,
                            id,
                            crate::parse::tomldoc::key_span(text, &(0..text.len()), "bibliography"),
                        )
                    }
                    _ => Diagnostic::global(kind),
                });
            }
        }
    }

    let mut template_paths = Vec::new();
    let mut static_files = Vec::new();
    let theme_dir = root.join("themes").join(&config.theme);
    for dir in [theme_dir.clone(), root.to_path_buf()] {
        for (rel, abs) in walk(&dir.join(TEMPLATES_DIR), diags) {
            template_paths.push((rel, abs));
        }
        for (rel, abs) in walk(&dir.join(STATIC_DIR), diags) {
            static_files.push(StaticFile { rel, abs });
        }
    }
    let templates = read_all(&template_paths, diags)
        .into_iter()
        .map(|(name, abs, text)| (name, files.add(rel_slash(root, &abs), text)))
        .collect();

    let file_index = index_files(other, &static_files);
    SourceSet {
        file_index,
        root: root.to_path_buf(),
        files,
        config,
        config_file,
        content,
        bibliographies,
        templates,
        static_files,
        timeline,
        glossary,
    }
}

#[cfg(test)]
mod tests {
    use super::is_ignored_name;

    #[test]
    fn editor_temp_files_are_ignored() {
        for name in [".a.md.swp", "a.md~", "#a.md#", "4913", ".hidden", "a.md.tmp.123"] {
            assert!(is_ignored_name(name), "{name}");
        }
        assert!(!is_ignored_name("a.md"));
    }
}
