//! Load stage: reads a project folder into a [`SourceSet`]: the config, every content file,
//! the bibliography files, the site's template overrides and its static files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::base::diag::{Diagnostic, Diagnostics, FileId, Files, Kind};
use crate::base::files::ReadError;
use crate::base::files::CONFIG_FILE;
use crate::base::paths::{ContentPath, OutputPath};
use crate::project::config::Config;

pub(crate) const CONTENT_DIR: &str = "content";
pub(crate) const TEMPLATES_DIR: &str = "templates";
/// The folder of a site's or theme's catalogues of words (`i18n/<language>.toml`).
pub(crate) const I18N_DIR: &str = "i18n";
pub(crate) const STATIC_DIR: &str = "static";
pub(crate) const DEFAULT_SOURCES: &str = "content/sources.toml";

#[derive(Debug, Clone)]
pub struct ContentFile {
    pub file: FileId,
    /// Relative to `content/`, `/`-separated.
    pub rel: ContentPath,
}

/// A file copied as it is into the output.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Output path, `/`-separated.
    pub rel: OutputPath,
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
    /// Catalogues of words (`i18n/<language>.toml`): the theme folder's, then the site's.
    pub catalogues: Vec<(String, FileId)>,
    pub static_files: Vec<StaticFile>,
    /// The files pages may link to (non-Markdown files under content/, static files).
    pub file_index: FileIndex,
    /// The site's data files (content/timeline.toml and the like) by path, each with its text
    /// when the site has it.
    pub data: BTreeMap<&'static str, Option<FileId>>,
}

/// What reading a text input gave.
pub(crate) enum Input {
    /// Its text is in the store.
    Read(FileId),
    /// Nothing is at its path.
    Missing,
    /// It could not be used; the problem is reported (bytes that are not UTF-8 at the first).
    Failed,
}

/// Reads the text input `rel` (a sources, data or template file; `abs` on disk) into the
/// store, as `rel`. Only a regular file is read: a named pipe would block for good. A problem
/// is reported in the file (bytes that are not UTF-8), or at `named`, the place that names it.
pub(crate) fn read_input(
    rel: &str,
    abs: &Path,
    what: &'static str,
    named: Option<(FileId, std::ops::Range<usize>)>,
    files: &mut Files,
    diags: &mut Diagnostics,
) -> Input {
    match crate::base::files::read_text(abs) {
        Ok(text) => Input::Read(files.add(rel, text)),
        Err(ReadError::Missing) => Input::Missing,
        Err(e) => {
            let d = read_problem(e, what, rel.into(), rel, files);
            diags.push(match (named, d.file) {
                (Some((id, span)), None) => Diagnostic::at(d.kind, id, span),
                _ => d,
            });
            Input::Failed
        }
    }
}

/// What an input that could not be read as text is reported as: `path` is its path in the
/// message, `rel` its name in the store (where bytes that are not UTF-8 are located).
fn read_problem(e: ReadError, what: &'static str, path: String, rel: &str, files: &mut Files) -> Diagnostic {
    match e {
        ReadError::Missing => Diagnostic::global(Kind::MissingFile { what, path }),
        ReadError::NotUtf8(text, at) => not_utf8(files, rel.into(), text, at),
        ReadError::NotAFile(found) => Diagnostic::global(Kind::WrongFileType {
            what,
            path,
            found,
            expected: "a regular file",
        }),
        ReadError::Io(e) => Diagnostic::global(Kind::Unreadable {
            what,
            path,
            message: e.to_string(),
        }),
    }
}

/// E009 at a file's first byte that is not UTF-8: the file is stored as far as it could be read
/// (U+FFFD in place of each bad sequence), so the caret points into it.
fn not_utf8(files: &mut Files, rel: String, text: String, at: usize) -> Diagnostic {
    let id = files.add(rel, text);
    Diagnostic::at(Kind::NotUtf8, id, at..at + '\u{FFFD}'.len_utf8())
}

/// Reads a data file (content/timeline.toml, content/glossary.toml, …) into the store (None when
/// there is none, or it could not be read: that is reported).
pub(crate) fn read_data(
    root: &Path,
    rel: &str,
    files: &mut Files,
    diags: &mut Diagnostics,
) -> Option<FileId> {
    match read_input(rel, &root.join(rel), "data file", None, files, diags) {
        Input::Read(id) => Some(id),
        Input::Missing | Input::Failed => None,
    }
}

/// The non-Markdown files under `content/` and the static files' output paths, read afresh (the
/// dev server, after files under content/ came or went).
pub(crate) fn file_index(
    root: &Path,
    data: &[&str],
    static_files: &[StaticFile],
    diags: &mut Diagnostics,
) -> FileIndex {
    let content = walk(root, &root.join(CONTENT_DIR), &named(data.iter().copied()), diags)
        .into_iter()
        .filter(|(r, _)| !r.ends_with(".md"));
    index_files(content, static_files)
}

fn index_files(
    content: impl IntoIterator<Item = (String, PathBuf)>,
    static_files: &[StaticFile],
) -> FileIndex {
    FileIndex {
        content: content.into_iter().collect(),
        statics: static_files
            .iter()
            .map(|s| (s.rel.to_string(), s.abs.clone()))
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

/// The files pages may link to: those under content/ that are not pages (by path under
/// content/), and the static files (by output path).
#[derive(Debug, Default, Clone)]
pub struct FileIndex {
    pub content: std::collections::BTreeMap<String, std::path::PathBuf>,
    pub statics: std::collections::HashMap<String, std::path::PathBuf>,
}

/// The files under content/ read by their names, not as pages or files pages link to: the
/// sources and the data files named by `data`.
fn named<'a>(data: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    std::iter::once(DEFAULT_SOURCES).chain(data).collect()
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
/// folder or file that cannot be read is reported, never skipped in silence; what is neither a
/// regular file nor a folder (a link, a named pipe) is skipped with a warning naming its path
/// from `root`, but for the `named` files (read by their names, which report them).
fn walk(root: &Path, dir: &Path, named: &[&str], diags: &mut Diagnostics) -> Vec<(String, PathBuf)> {
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
            Ok(e) => {
                let path = rel_slash(root, e.path());
                match crate::base::files::odd_kind(e.file_type()) {
                    Some(found) if !named.contains(&path.as_str()) => {
                        diags.push(Diagnostic::global(Kind::Skipped { path, found }));
                    }
                    _ => {}
                }
            }
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

/// Reads template files in parallel into the store; a file that cannot be read is a
/// diagnostic (one that is not UTF-8 is located at its first bad byte).
fn read_all(
    root: &Path,
    paths: &[(String, PathBuf)],
    files: &mut Files,
    diags: &mut Diagnostics,
) -> Vec<(String, FileId)> {
    let read: Vec<_> = paths
        .par_iter()
        .map(|(rel, abs)| (rel, abs, crate::base::files::read_text(abs)))
        .collect();
    let mut out = Vec::with_capacity(read.len());
    for (rel, abs, r) in read {
        let message = match r {
            Ok(text) => {
                out.push((rel.clone(), files.add(rel_slash(root, abs), text)));
                continue;
            }
            Err(ReadError::NotUtf8(text, at)) => {
                diags.push(not_utf8(files, rel_slash(root, abs), text, at));
                continue;
            }
            Err(ReadError::Missing) => std::io::Error::from(std::io::ErrorKind::NotFound).to_string(),
            Err(ReadError::NotAFile(kind)) => format!("it is {kind}, not a regular file"),
            Err(ReadError::Io(e)) => e.to_string(),
        };
        diags.push(Diagnostic::global(Kind::Io {
            path: abs.display().to_string(),
            message,
        }));
    }
    out
}

/// kagu.toml read field by field, with the paths it names that would lead out of the project
/// refused at their line (the defaults are used instead).
fn read_config(root: &Path, files: &mut Files, diags: &mut Diagnostics) -> (Config, Option<FileId>) {
    let config_path = root.join(CONFIG_FILE);
    let (mut config, config_file) = match crate::base::files::read_text(&config_path) {
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
            let shown = config_path.display().to_string();
            diags.push(read_problem(e, "site config", shown, CONFIG_FILE, files));
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
                crate::base::tomldoc::key_span(text, &whole, "theme"),
            ));
            config.theme = crate::project::config::default_theme();
        } else if config.theme != crate::project::config::default_theme()
            && !root.join("themes").join(&config.theme).is_dir()
        {
            // The built-in theme is `default`; any other is a folder under themes/.
            let mut available = vec![crate::project::config::default_theme()];
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
                crate::base::tomldoc::key_span(text, &whole, "theme"),
            ));
            config.theme = crate::project::config::default_theme();
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
                crate::base::tomldoc::key_span(text, &whole, "bibliography"),
            ));
        }
        config.bibliography = inside;
    }
    (config, config_file)
}

/// The project at `root`, with the data files at the paths `data` (relative to it).
pub(crate) fn load(root: &Path, data: &[&'static str], diags: &mut Diagnostics) -> SourceSet {
    let mut files = Files::default();
    let (config, config_file) = read_config(root, &mut files, diags);

    let content_dir = root.join(CONTENT_DIR);
    let unreadable = |e: std::io::Error| {
        Diagnostic::global(Kind::Unreadable {
            what: "content folder",
            path: content_dir.display().to_string(),
            message: e.to_string(),
        })
    };
    // A content folder that cannot be listed is reported here, once (the walk would again).
    let listed = match std::fs::metadata(&content_dir) {
        Ok(m) if m.is_dir() => std::fs::read_dir(&content_dir)
            .map_err(|e| diags.push(unreadable(e)))
            .is_ok(),
        Ok(m) => {
            diags.push(Diagnostic::global(Kind::WrongFileType {
                what: "content folder",
                path: content_dir.display().to_string(),
                found: crate::base::files::odd_kind(m.file_type()).unwrap_or("a file"),
                expected: "a folder",
            }));
            false
        }
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            diags.push(unreadable(e));
            false
        }
        Err(_) => {
            diags.push(Diagnostic::global(Kind::MissingFile {
                what: "content folder",
                path: content_dir.display().to_string(),
            }));
            false
        }
    };
    let walked = if listed {
        walk(root, &content_dir, &named(data.iter().copied()), diags)
    } else {
        Vec::new()
    };
    let (md_paths, other): (Vec<_>, Vec<_>) = walked.into_iter().partition(|(r, _)| r.ends_with(".md"));
    // Content is read where it is parsed, in parallel, and not held afterwards.
    let content = md_paths
        .into_iter()
        .map(|(rel, abs)| ContentFile {
            file: files.add_unread(format!("{CONTENT_DIR}/{rel}"), &abs),
            rel: rel.into(),
        })
        .collect();

    let data = data
        .iter()
        .map(|&rel| (rel, read_data(root, rel, &mut files, diags)))
        .collect();

    let mut bib_paths = Vec::new();
    if std::fs::symlink_metadata(root.join(DEFAULT_SOURCES)).is_ok() {
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
    let what = "bibliography file";
    for rel in bib_paths {
        // Named in kagu.toml: its problems are located at its line there.
        let named = config_file.filter(|_| rel != DEFAULT_SOURCES).map(|id| {
            let text = files.text(id);
            (
                id,
                crate::base::tomldoc::key_span(text, &(0..text.len()), "bibliography"),
            )
        });
        match read_input(&rel, &root.join(&rel), what, named.clone(), &mut files, diags) {
            Input::Read(id) => bibliographies.push((id, rel)),
            Input::Failed => {}
            Input::Missing => {
                let kind = Kind::MissingFile { what, path: rel };
                diags.push(match named {
                    Some((id, span)) => Diagnostic::at(kind, id, span),
                    None => Diagnostic::global(kind),
                });
            }
        }
    }

    let mut template_paths = Vec::new();
    let mut catalogue_paths = Vec::new();
    let mut static_files = Vec::new();
    let theme_dir = root.join("themes").join(&config.theme);
    for dir in [theme_dir.clone(), root.to_path_buf()] {
        for (rel, abs) in walk(root, &dir.join(TEMPLATES_DIR), &[], diags) {
            template_paths.push((rel, abs));
        }
        for (rel, abs) in walk(root, &dir.join(I18N_DIR), &[], diags) {
            catalogue_paths.push((rel, abs));
        }
        for (rel, abs) in walk(root, &dir.join(STATIC_DIR), &[], diags) {
            static_files.push(StaticFile { rel: rel.into(), abs });
        }
    }
    let templates = read_all(root, &template_paths, &mut files, diags);
    let catalogues = read_all(root, &catalogue_paths, &mut files, diags);

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
        catalogues,
        static_files,
        data,
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
