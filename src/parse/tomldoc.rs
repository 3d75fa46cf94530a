//! Deserializes a TOML document (kagu.toml, front matter, sources) into a typed value, turning
//! every toml/serde error into a located kagu diagnostic.

use std::ops::Range;

use serde::de::DeserializeOwned;

use crate::diag::{did_you_mean, Diagnostic, FileId, Kind};

/// Where a TOML document sits: its file, the byte offset of its first character in that file,
/// and what it is called in messages ("front matter", "kagu.toml", ...).
#[derive(Clone, Copy)]
pub struct TomlDoc<'a> {
    pub text: &'a str,
    pub file: FileId,
    pub offset: usize,
    pub what: &'static str,
}

impl TomlDoc<'_> {
    pub fn deserialize<T: DeserializeOwned>(&self) -> Result<T, Diagnostic> {
        toml::from_str::<T>(self.text).map_err(|e| self.diagnostic(&e))
    }

    fn diagnostic(&self, e: &toml::de::Error) -> Diagnostic {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim().to_string();
        let is_syntax = self.text.parse::<toml::Table>().is_err();
        let kind = if message.starts_with("unknown field") {
            let names = backticked(&message);
            let key = names.first().cloned().unwrap_or_default();
            let valid: Vec<String> = names.into_iter().skip(1).collect();
            Kind::UnknownKey {
                suggestion: did_you_mean(&key, valid.iter().map(String::as_str)),
                key,
                table: self.what,
                valid,
            }
        } else if message.contains("date") {
            let message = if is_syntax {
                message
            } else {
                "expected a TOML date such as 2024-05-13".into()
            };
            Kind::BadDate {
                key: key_before(self.text, span.start),
                message,
            }
        } else if is_syntax {
            Kind::TomlSyntax {
                what: self.what,
                message,
            }
        } else {
            Kind::BadValue {
                key: key_before(self.text, span.start),
                message,
            }
        };
        Diagnostic::at(kind, self.file, self.offset + span.start..self.offset + span.end)
    }
}

/// The byte range of the `key = …` line inside `within`, or `within` itself.
pub fn key_span(text: &str, within: &Range<usize>, key: &str) -> Range<usize> {
    let part = &text[within.clone()];
    let mut pos = 0;
    for line in part.split_inclusive('\n') {
        let t = line.trim_start();
        if t.strip_prefix(key)
            .is_some_and(|r| r.trim_start().starts_with('='))
        {
            let start = within.start + pos + (line.len() - t.len());
            return start..within.start + pos + line.trim_end().len();
        }
        pos += line.len();
    }
    within.clone()
}

/// The words between backticks in a serde message, in order.
fn backticked(message: &str) -> Vec<String> {
    message
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// The key of the `key = value` line that holds byte `at`.
fn key_before(text: &str, at: usize) -> String {
    let at = at.min(text.len());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..];
    line.split_once('=')
        .map(|(k, _)| k.trim().to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backticked_words_are_extracted_in_order() {
        assert_eq!(
            backticked("unknown field `a`, expected `b` or `c`"),
            ["a", "b", "c"]
        );
    }

    #[test]
    fn key_span_finds_the_line() {
        let text = "[a]\ntitle = \"x\"\nurl = \"y\"\n";
        assert_eq!(&text[key_span(text, &(0..text.len()), "url")], "url = \"y\"");
    }

    #[test]
    fn key_is_found_from_a_value_offset() {
        assert_eq!(key_before("title = \"x\"\ndate = \"no\"\n", 19), "date");
    }
}
