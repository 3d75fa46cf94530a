//! The store of every file a diagnostic can point into: display path and text. Content files are
//! not held: they are read where they are parsed (a large site's sources would otherwise be the
//! biggest thing a build holds, a quarter of its memory at 10,000 pages) and read again only for
//! the files that diagnostics point into. What was parsed is kept as a cheap handle, the file's
//! length and modification time when it was read: a file that changed since is not taken for
//! the text the diagnostics' places are in ([`Files::restore`] says which).

use std::path::{Path, PathBuf};

/// The site's configuration file, in the project folder.
pub const CONFIG_FILE: &str = "kagu.toml";

use codespan_reporting::files::SimpleFiles;

/// Index of a file registered in [`Files`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub usize);

struct Entry {
    path: String,
    text: String,
    /// Byte offsets where the text's lines start, found on first use (many diagnostics may
    /// point into one file: each must not scan it again).
    lines: std::sync::OnceLock<Vec<usize>>,
    /// Where to read the text again after it was released.
    disk: Option<PathBuf>,
    released: bool,
    /// The file as it was read for parsing: its length and modification time.
    parsed: std::sync::OnceLock<Stamp>,
}

/// What tells one version of a file from another without holding its text.
type Stamp = (u64, Option<std::time::SystemTime>);

/// What a path is when it is neither a regular file nor a folder (a link is not followed), in
/// words for a diagnostic; None for a file or a folder.
pub(crate) fn odd_kind(t: std::fs::FileType) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a named pipe");
        }
        if t.is_socket() {
            return Some("a socket");
        }
        if t.is_block_device() || t.is_char_device() {
            return Some("a device");
        }
    }
    if t.is_symlink() {
        return Some("a symbolic link");
    }
    if t.is_file() || t.is_dir() {
        None
    } else {
        Some("not a regular file")
    }
}

/// Why a text file gave no text.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// There is nothing at the path.
    Missing,
    /// Something that is not a regular file (a named pipe would block for good): what it is.
    NotAFile(&'static str),
    /// Bytes that are not UTF-8: the text as far as it could be read with U+FFFD in place of
    /// what could not, and where the first bad byte is.
    NotUtf8(String, usize),
    /// Any other I/O error.
    Io(std::io::Error),
}

/// Opens a regular file (following a link, as the user named it), never anything that could
/// block or never end, and checks it again once open; with what that check read.
fn open_regular(path: &Path) -> Result<(std::fs::File, std::fs::Metadata), ReadError> {
    let io = |e: std::io::Error| {
        // Under a path that is a file (content/ as a file): nothing there either.
        if matches!(
            e.kind(),
            std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
        ) {
            ReadError::Missing
        } else {
            ReadError::Io(e)
        }
    };
    // Non-blocking, so a named pipe opens at once (and is refused below) instead of waiting for
    // a writer; a regular file reads as ever. Elsewhere, what the path is is asked first.
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    #[cfg(not(unix))]
    if let Some(kind) = std::fs::metadata(path).ok().and_then(|m| odd_kind(m.file_type())) {
        return Err(ReadError::NotAFile(kind));
    }
    let f = options.open(path).map_err(io)?;
    let meta = f.metadata().map_err(io)?;
    match meta.file_type() {
        t if t.is_file() => Ok((f, meta)),
        t => Err(ReadError::NotAFile(odd_kind(t).unwrap_or("a folder"))),
    }
}

/// Reads what is left of an open file whose length is `len`, asking the system for nothing else
/// (`read_to_end` on a file asks for its length and place again): one read, and one more that
/// finds the end.
fn read_known(f: &std::fs::File, len: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0).saturating_add(1));
    // Through `take`, which has no length to ask for: to the end, however long it is now.
    f.take(u64::MAX).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Reads a text file kagu takes as input (kagu.toml, a sources, data or template file).
pub(crate) fn read_text(path: &Path) -> Result<String, ReadError> {
    let (f, meta) = open_regular(path)?;
    let bytes = read_known(&f, meta.len()).map_err(ReadError::Io)?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        ReadError::NotUtf8(String::from_utf8_lossy(e.as_bytes()).into_owned(), at)
    })
}

/// Reads a file, with its stamp taken from the same open file.
fn read_stamped(path: &Path) -> std::io::Result<(Vec<u8>, Stamp)> {
    let (f, meta) = open_regular(path).map_err(|e| match e {
        ReadError::Missing => std::io::Error::from(std::io::ErrorKind::NotFound),
        ReadError::NotAFile(kind) => std::io::Error::other(format!("it is {kind}, not a regular file")),
        ReadError::NotUtf8(..) => std::io::Error::from(std::io::ErrorKind::InvalidData),
        ReadError::Io(e) => e,
    })?;
    let bytes = read_known(&f, meta.len())?;
    Ok((bytes, (meta.len(), meta.modified().ok())))
}

/// What is wrong with a file read for parsing ([`Files::read_for_parse`]); `diag` turns it into
/// the diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flaw {
    /// Not UTF-8 from this byte on: no text.
    NotUtf8(usize),
    /// It could not be read (the system's message): no text.
    Unreadable(String),
    /// A NUL byte here, read as a space; the text is given.
    NulByte(usize),
}

#[derive(Default)]
/// Every file a diagnostic can point into, by [`FileId`].
pub struct Files {
    entries: Vec<Entry>,
    /// Each path's entry: a file registered again (a template reloaded by the dev server) takes
    /// its old entry's place, so the store does not grow with every reload.
    by_path: std::collections::HashMap<String, usize>,
}

impl Files {
    /// A file that exists only in memory (kagu.toml's defaults, built-in templates).
    pub fn add(&mut self, path: impl Into<String>, text: impl Into<String>) -> FileId {
        self.push(path.into(), text.into(), None)
    }

    /// A file on disk not read yet: whoever needs its text reads it ([`Files::read`]), and
    /// diagnostics get it through [`Files::restore`].
    pub fn add_unread(&mut self, path: impl Into<String>, disk: &Path) -> FileId {
        let id = self.push(path.into(), String::new(), Some(disk.to_path_buf()));
        self.entries[id.0].released = true;
        id
    }

    /// A file's text: the one held, or read from disk when it is not held.
    pub fn read(&self, id: FileId) -> std::io::Result<std::borrow::Cow<'_, str>> {
        match self.entries.get(id.0) {
            Some(e) if e.released => match &e.disk {
                Some(d) => std::fs::read_to_string(d).map(std::borrow::Cow::Owned),
                None => Ok(std::borrow::Cow::Borrowed("")),
            },
            Some(e) => Ok(std::borrow::Cow::Borrowed(e.text.as_str())),
            None => Ok(std::borrow::Cow::Borrowed("")),
        }
    }

    /// A file's text for parsing, with what is wrong with it: a file that cannot be read or
    /// is not UTF-8 gives no text; a NUL byte is reported at the first one and read as a space
    /// (so every offset stays true), and the rest of the file is still checked. A file read from
    /// disk keeps its stamp, so that [`Files::restore`] knows whether it is still that file.
    pub fn read_for_parse(&self, id: FileId) -> (Option<std::borrow::Cow<'_, str>>, Option<Flaw>) {
        /// Why a file gave no text.
        enum Fail {
            NotUtf8(usize),
            Io(std::io::Error),
        }
        let read = match self.entries.get(id.0) {
            Some(Entry {
                released: true,
                disk: Some(d),
                parsed,
                ..
            }) => read_stamped(d).map_err(Fail::Io).and_then(|(bytes, stamp)| {
                let _ = parsed.set(stamp);
                String::from_utf8(bytes)
                    .map(std::borrow::Cow::Owned)
                    .map_err(|e| Fail::NotUtf8(e.utf8_error().valid_up_to()))
            }),
            _ => self.read(id).map_err(Fail::Io),
        };
        let text = match read {
            Ok(t) => t,
            Err(Fail::NotUtf8(at)) => return (None, Some(Flaw::NotUtf8(at))),
            Err(Fail::Io(e)) => return (None, Some(Flaw::Unreadable(e.to_string()))),
        };
        match text.find('\0') {
            None => (Some(text), None),
            Some(at) => (
                Some(std::borrow::Cow::Owned(text.replace('\0', " "))),
                Some(Flaw::NulByte(at)),
            ),
        }
    }

    fn push(&mut self, path: String, text: String, disk: Option<PathBuf>) -> FileId {
        let entry = Entry {
            path: path.clone(),
            text,
            lines: std::sync::OnceLock::new(),
            disk,
            released: false,
            parsed: std::sync::OnceLock::new(),
        };
        match self.by_path.get(&path) {
            Some(&i) => {
                self.entries[i] = entry;
                FileId(i)
            }
            None => {
                self.by_path.insert(path, self.entries.len());
                self.entries.push(entry);
                FileId(self.entries.len() - 1)
            }
        }
    }

    /// How many files are registered.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// No file is registered.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The file's path in the project (`content/a.md`).
    pub fn path(&self, id: FileId) -> &str {
        self.entries.get(id.0).map_or("", |e| e.path.as_str())
    }

    /// This store's id of a file of `other`'s (the same path), registered here when it is not
    /// yet: an edition's diagnostics join the default edition's report.
    pub fn adopt(&mut self, other: &Files, id: FileId) -> FileId {
        let path = other.path(id);
        if let Some(&i) = self.by_path.get(path) {
            return FileId(i);
        }
        let e = &other.entries[id.0];
        let new = self.push(e.path.clone(), e.text.clone(), e.disk.clone());
        self.entries[new.0].released = e.released;
        new
    }

    /// The file's text, when it is held (see [`Files::restore`]).
    pub fn text(&self, id: FileId) -> &str {
        self.entries.get(id.0).map_or("", |e| e.text.as_str())
    }

    /// Puts a new text in place of a file's old one (the dev server, after an edit).
    pub fn replace(&mut self, id: FileId, text: String) {
        if let Some(e) = self.entries.get_mut(id.0) {
            e.text = text;
            e.lines = std::sync::OnceLock::new();
            e.released = false;
        }
    }

    /// Lets go of a file's text: the next [`Files::read`] reads it from disk (the dev server,
    /// after an edit).
    pub fn release(&mut self, id: FileId) {
        if let Some(e) = self.entries.get_mut(id.0).filter(|e| e.disk.is_some()) {
            e.text = String::new();
            e.lines = std::sync::OnceLock::new();
            e.released = true;
            e.parsed = std::sync::OnceLock::new();
        }
    }

    /// Reads the texts of these files, when they are not held. Returns the files that changed
    /// since they were parsed: the places of their diagnostics are in a text that is gone.
    pub fn restore(&mut self, ids: impl IntoIterator<Item = FileId>) -> Vec<FileId> {
        let mut changed = Vec::new();
        for id in ids {
            if let Some(e) = self.entries.get_mut(id.0).filter(|e| e.released) {
                // Read as lossy text: a diagnostic may point at the first byte that is not
                // UTF-8. A NUL byte is shown as a space, so the caret under it shows.
                if let Some((bytes, stamp)) = e.disk.as_deref().and_then(|d| read_stamped(d).ok()) {
                    if e.parsed.get().is_some_and(|&parsed| parsed != stamp) {
                        changed.push(id);
                    }
                    e.text = String::from_utf8_lossy(&bytes).replace('\0', " ");
                    e.lines = std::sync::OnceLock::new();
                }
                e.released = false;
            }
        }
        changed
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, id: FileId, offset: usize) -> (usize, usize) {
        let (line, start) = self.line_of(id, offset);
        let text = self.text(id);
        let offset = offset.min(text.len());
        let col = text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, col + 1)
    }

    /// The 0-based line holding byte `offset`, and the byte where that line starts.
    pub fn line_of(&self, id: FileId, offset: usize) -> (usize, usize) {
        let Some(e) = self.entries.get(id.0) else {
            return (0, 0);
        };
        let starts = e.lines.get_or_init(|| {
            std::iter::once(0)
                .chain(e.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let line = starts.partition_point(|&s| s <= offset).saturating_sub(1);
        (line, starts[line])
    }

    /// A codespan view for printing: every file keeps its id, but only those in `used` carry
    /// their text (codespan indexes the lines of every text it is given).
    pub fn codespan(&self, used: &[FileId]) -> SimpleFiles<&str, &str> {
        let mut out = SimpleFiles::new();
        for (i, e) in self.entries.iter().enumerate() {
            let text = if used.contains(&FileId(i)) {
                e.text.as_str()
            } else {
                ""
            };
            out.add(e.path.as_str(), text);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_registered_again_takes_its_old_place() {
        let mut files = Files::default();
        let a = files.add("templates/page.html", "one");
        let b = files.add("content/b.md", "b");
        let again = files.add("templates/page.html", "two");
        assert_eq!((again, files.len()), (a, 2));
        assert_eq!(files.text(a), "two");
        assert_eq!(files.text(b), "b");
    }

    #[test]
    fn line_and_column_are_one_based() {
        let mut files = Files::default();
        let id = files.add("a.md", "ab\ncd\n");
        assert_eq!(files.line_col(id, 0), (1, 1));
        assert_eq!(files.line_col(id, 4), (2, 2));
        assert_eq!(files.line_col(id, 6), (3, 1));
        let id = files.add("b.md", "é\nxé y");
        assert_eq!(files.line_col(id, 6), (2, 3));
    }

    #[test]
    fn released_texts_are_read_back_from_disk() {
        let dir = tempfile::tempdir().expect("temp");
        let p = dir.path().join("a.md");
        std::fs::write(&p, "hello").expect("write");
        let mut files = Files::default();
        let id = files.add_unread("a.md", &p);
        assert_eq!(files.text(id), "");
        assert_eq!(files.read(id).expect("read"), "hello");
        files.restore([id]);
        assert_eq!(files.text(id), "hello");
    }
}
