//! Paths as kagu checks and writes them: a path inside the output folder ([`safe_rel`], the one
//! gate for every written or removed path) and links between folders of content/.

use std::path::{Path, PathBuf};

/// Why a path cannot be written inside the output folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PathProblem {
    Empty,
    Absolute,
    Climbs,
    EmptySegment,
    Dot,
    BadCharacter,
}

impl PathProblem {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            PathProblem::Empty => "it is empty",
            PathProblem::Absolute => "it is an absolute path or a full URL",
            PathProblem::Climbs => "it climbs out with `..`",
            PathProblem::EmptySegment => "it has an empty folder name (`//`)",
            PathProblem::Dot => "it has a `.` folder name",
            PathProblem::BadCharacter => "it holds a backslash, a colon or a control character",
        }
    }
}

/// Checks a `/`-separated path relative to the output folder: no empty, `.` or `..` segment,
/// nothing absolute, no backslash, colon or control character. The one gate for every output path.
pub(crate) fn safe_rel(path: &str) -> Result<&str, PathProblem> {
    if path.is_empty() {
        return Err(PathProblem::Empty);
    }
    if path.starts_with('/') {
        return Err(PathProblem::Absolute);
    }
    for seg in path.split('/') {
        match seg {
            "" => return Err(PathProblem::EmptySegment),
            "." => return Err(PathProblem::Dot),
            ".." => return Err(PathProblem::Climbs),
            s if s.chars().any(|c| c == '\\' || c == ':' || c.is_control()) => {
                return Err(PathProblem::BadCharacter)
            }
            _ => {}
        }
    }
    Ok(path)
}

/// `dir/rel`, for a `rel` that passed [`safe_rel`]; an error otherwise.
pub(crate) fn join_safe(dir: &Path, rel: &str) -> std::io::Result<PathBuf> {
    let rel = safe_rel(rel).map_err(|p| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "refusing to write `{rel}` outside the output folder: {}",
                p.describe()
            ),
        )
    })?;
    Ok(dir.join(rel))
}

/// Joins a relative link onto a folder and normalises `.` and `..`; None if it climbs out.
pub(crate) fn join(dir: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in link.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// A link written relative to folder `from`, written relative to folder `to` instead (None if it
/// climbs out of content/).
pub(crate) fn rebase(from: &str, to: &str, link: &str) -> Option<String> {
    let (path, rest) = link.find(['#', '?']).map_or((link, ""), |i| link.split_at(i));
    let target = join(from, path)?;
    Some(format!("{}{rest}", relative_to(to, &target)))
}

/// `target` written relative to the folder `dir`.
pub(crate) fn relative_to(dir: &str, target: &str) -> String {
    let from: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    let to: Vec<&str> = target.split('/').collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out: Vec<&str> = vec![".."; from.len() - common];
    out.extend(&to[common..]);
    out.join("/")
}

/// Declares a `/`-separated path type relative to one folder: a `String` underneath, read as a
/// `str`, so that a path relative to content/ is never passed where one relative to the output
/// is meant.
macro_rules! path_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The path as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<Path> for $name {
            fn as_ref(&self) -> &Path {
                Path::new(&self.0)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(s)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_string())
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

path_type! {
    /// A path relative to content/ (`part/a.md`): where a page or file is in the project.
    ContentPath
}

path_type! {
    /// A path relative to the output folder (`part/a/`, `sources/index.html`): where a page or
    /// file is in the site.
    OutputPath
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_paths_stay_inside() {
        assert_eq!(safe_rel("a/b/index.html"), Ok("a/b/index.html"));
        assert_eq!(safe_rel("index.html"), Ok("index.html"));
        assert_eq!(safe_rel(""), Err(PathProblem::Empty));
        assert_eq!(safe_rel("/etc/passwd"), Err(PathProblem::Absolute));
        assert_eq!(safe_rel("../x"), Err(PathProblem::Climbs));
        assert_eq!(safe_rel("x/../../y"), Err(PathProblem::Climbs));
        assert_eq!(safe_rel("a//b"), Err(PathProblem::EmptySegment));
        assert_eq!(safe_rel("/index.html"), Err(PathProblem::Absolute));
        assert_eq!(safe_rel("./a"), Err(PathProblem::Dot));
        assert_eq!(safe_rel("a\\..\\b"), Err(PathProblem::BadCharacter));
        assert_eq!(safe_rel("C:/x"), Err(PathProblem::BadCharacter));
        assert_eq!(safe_rel("a\0b"), Err(PathProblem::BadCharacter));
    }
}
