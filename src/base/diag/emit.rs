//! Printing diagnostics: human (codespan, a window of a long line), JSON, GitHub Actions
//! annotations.

use super::*;

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum MessageFormat {
    #[default]
    /// Located messages with the source line, for people.
    Human,
    /// One JSON object a line ([`DiagnosticView`]), for tools.
    Json,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
}

/// A diagnostic with its location as line and column: what `--message-format json` prints and
/// what the dev server's overlay shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiagnosticView {
    /// Error or warning.
    pub severity: Severity,
    /// The stable code (`E040`).
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// The file's path in the project.
    pub file: Option<String>,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column, in characters.
    pub column: Option<usize>,
    /// How to fix it.
    pub hint: Option<String>,
    /// The pages it is about, when it is said of many at once (W017).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<String>,
}

impl Diagnostic {
    /// With its place as path, line and column.
    pub fn view(&self, files: &Files) -> DiagnosticView {
        let loc = self
            .file
            .map(|f| (files.path(f).to_string(), files.line_col(f, self.span.start)));
        DiagnosticView {
            severity: self.kind.severity(),
            code: self.kind.code(),
            message: self.kind.to_string(),
            line: loc.as_ref().map(|l| l.1 .0),
            column: loc.as_ref().map(|l| l.1 .1),
            file: loc.map(|l| l.0),
            hint: self.kind.hint(),
            pages: match &self.kind {
                crate::base::diag::Kind::Untranslated { pages, .. } => {
                    pages.iter().map(|p| format!("content/{p}")).collect()
                }
                _ => Vec::new(),
            },
        }
    }
}

/// The one place that prints diagnostics.
pub fn emit(
    out: &mut dyn WriteColor,
    files: &Files,
    diags: &Diagnostics,
    format: MessageFormat,
) -> std::io::Result<()> {
    if diags.items().is_empty() {
        return Ok(());
    }
    let mut used: Vec<FileId> = diags.items().iter().filter_map(|d| d.file).collect();
    used.sort();
    used.dedup();
    let codespan = if format == MessageFormat::Human {
        files.codespan(&used)
    } else {
        files.codespan(&[])
    };
    for d in diags.items() {
        let loc = d.file.map(|f| (files.path(f), files.line_col(f, d.span.start)));
        match format {
            MessageFormat::Human => {
                let window = d.file.and_then(|f| Window::of(files, f, &d.span));
                let cs = match d.kind.severity() {
                    Severity::Error => CsDiagnostic::error(),
                    Severity::Warning => CsDiagnostic::warning(),
                }
                .with_code(d.kind.code())
                .with_message(d.kind.to_string())
                .with_labels(match (&window, d.file) {
                    (Some(w), Some(f)) => vec![Label::primary(f.0, w.span.clone())],
                    (None, Some(f)) => vec![Label::primary(f.0, d.span.clone())],
                    _ => Vec::new(),
                })
                .with_notes(
                    d.kind
                        .hint()
                        .map(|h| vec![format!("hint: {h}")])
                        .unwrap_or_default(),
                );
                match &window {
                    Some(w) => term::emit(out, &term::Config::default(), w, &cs),
                    None => term::emit(out, &term::Config::default(), &codespan, &cs),
                }
                .map_err(std::io::Error::other)?;
            }
            MessageFormat::Json => {
                let j = d.view(files);
                writeln!(
                    out,
                    "{}",
                    serde_json::to_string(&j).map_err(std::io::Error::other)?
                )?;
            }
            MessageFormat::Github => {
                let level = match d.kind.severity() {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                };
                let mut msg = format!("{} [{}]", d.kind, d.kind.code());
                if let Some(h) = d.kind.hint() {
                    msg.push_str(&format!(" (hint: {h})"));
                }
                let props = match loc {
                    Some((path, (line, col))) => {
                        format!(" file={},line={line},col={col}", github_escape_property(path))
                    }
                    None => String::new(),
                };
                writeln!(out, "::{level}{props}::{}", github_escape(&msg))?;
            }
        }
    }
    Ok(())
}

/// Lines longer than this are shown cut to a window around the marked spot, so that many
/// diagnostics on one long line cost little each.
const LONG_LINE: usize = 200;
/// How much of a long line is shown on each side of the marked spot.
const WINDOW_SIDE: usize = 60;

/// A long line cut to the part around a diagnostic's spot, shown by codespan with the real
/// line and column numbers.
struct Window<'a> {
    name: &'a str,
    snippet: String,
    /// The span within `snippet`.
    span: std::ops::Range<usize>,
    /// 0-based line in the real file.
    line: usize,
    /// Characters of the real line before the snippet's first character.
    chars_before: usize,
}

impl<'a> Window<'a> {
    const ELLIPSIS: &'static str = "…";

    /// A window when the span sits on one line longer than [`LONG_LINE`].
    fn of(files: &'a Files, file: FileId, span: &Range<usize>) -> Option<Window<'a>> {
        let text = files.text(file);
        let (line, start) = files.line_of(file, span.start);
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        if end - start <= LONG_LINE || span.end > end || span.start > end {
            return None;
        }
        let floor = |mut i: usize| {
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let ws = floor(span.start.saturating_sub(WINDOW_SIDE).max(start));
        let we = floor((span.end + WINDOW_SIDE).min(end));
        let (pre, post) = (
            if ws > start { Self::ELLIPSIS } else { "" },
            if we < end { Self::ELLIPSIS } else { "" },
        );
        let snippet = format!("{pre}{}{post}", &text[ws..we]);
        let s = span.start - ws + pre.len();
        Some(Window {
            name: files.path(file),
            span: s..(span.end.min(we) - ws + pre.len()).max(s),
            snippet,
            line,
            chars_before: text[start..ws].chars().count() - pre.chars().count(),
        })
    }
}

impl<'a> codespan_reporting::files::Files<'a> for Window<'a> {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, _: usize) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(self.name)
    }
    fn source(&'a self, _: usize) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.snippet)
    }
    fn line_index(&'a self, _: usize, _: usize) -> Result<usize, codespan_reporting::files::Error> {
        Ok(self.line)
    }
    fn line_range(&'a self, _: usize, _: usize) -> Result<Range<usize>, codespan_reporting::files::Error> {
        Ok(0..self.snippet.len())
    }
    fn column_number(
        &'a self,
        _: usize,
        _: usize,
        byte: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        let byte = byte.min(self.snippet.len());
        Ok(self.chars_before + self.snippet.get(..byte).map_or(0, |s| s.chars().count()) + 1)
    }
}

/// A workflow command's message, escaped as the Actions runner reads it back.
fn github_escape(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A workflow command's property value (`file=…`): `:` and `,` escaped too.
fn github_escape_property(s: &str) -> String {
    github_escape(s).replace(':', "%3A").replace(',', "%2C")
}
