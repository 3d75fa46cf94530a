//! Deserializes a TOML document (kagu.toml, front matter, sources) into a typed value, turning
//! every toml/serde error into a located kagu diagnostic.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::de::DeserializeOwned;

use crate::base::diag::{did_you_mean, Diagnostic, FileId, Kind};

/// Where a TOML document sits: its file, the byte offset of its first character in that file,
/// and what it is called in messages ("front matter", "kagu.toml", ...).
#[derive(Clone, Copy)]
pub(crate) struct TomlDoc<'a> {
    pub text: &'a str,
    pub file: FileId,
    pub offset: usize,
    pub what: &'static str,
}

/// A table's fields with their spans, as toml reads them.
pub(crate) type SpannedFields = BTreeMap<toml::Spanned<String>, toml::Spanned<toml::Value>>;

impl TomlDoc<'_> {
    pub(crate) fn deserialize<T: DeserializeOwned>(&self) -> Result<T, Diagnostic> {
        toml::from_str::<T>(self.text).map_err(|e| self.diagnostic(&e, known_fields::<T>()))
    }

    /// Reads `T` field by field, so that one bad field does not cost the others: every unknown
    /// key is reported at the key, every bad value at the value, each is dropped and the rest are
    /// kept. Only a TOML syntax error (nothing can be read) gives no value.
    pub(crate) fn deserialize_recovering<T: DeserializeOwned>(&self) -> (Option<T>, Vec<Diagnostic>) {
        if let Ok(value) = toml::from_str::<T>(self.text) {
            return (Some(value), Vec::new());
        }
        match toml::from_str::<SpannedFields>(self.text) {
            Ok(fields) => self.fields(fields),
            Err(e) => (None, vec![self.diagnostic(&e, known_fields::<T>())]),
        }
    }

    /// `T` from the fields of one table (the document's, or a source's): see
    /// [`Self::deserialize_recovering`]. Without any good field, `T` as an empty table gives it
    /// (None for a `T` that requires a field).
    pub(crate) fn fields<T: DeserializeOwned>(&self, fields: SpannedFields) -> (Option<T>, Vec<Diagnostic>) {
        let at = |span: Range<usize>| self.offset + span.start..self.offset + span.end;
        let valid = known_fields::<T>();
        let mut good = toml::Table::new();
        let mut diags = Vec::new();
        for (key, value) in fields {
            let (key_range, name) = (key.span(), key.into_inner());
            let value_range = value.span();
            if !valid.is_empty() && !valid.contains(&name) {
                diags.push(Diagnostic::at(
                    Kind::UnknownKey {
                        suggestion: meant(&name, self.what)
                            .or_else(|| did_you_mean(&name, valid.iter().map(String::as_str))),
                        key: name,
                        table: self.what,
                        valid: valid.clone(),
                    },
                    self.file,
                    at(key_range),
                ));
                continue;
            }
            let one: toml::Table = [(name.clone(), value.get_ref().clone())].into_iter().collect();
            match from_table::<T>(&one) {
                Ok(_) => {
                    good.insert(name, value.into_inner());
                }
                Err(e) => {
                    let message = e.message().trim().to_string();
                    let kind = if message.contains("date") {
                        Kind::BadDate {
                            key: name,
                            message: "expected a TOML date such as 2024-05-13".into(),
                        }
                    } else {
                        Kind::BadValue { key: name, message }
                    };
                    diags.push(Diagnostic::at(kind, self.file, at(value_range)));
                }
            }
        }
        let value = from_table::<T>(&good)
            .or_else(|_| from_table::<T>(&toml::Table::new()))
            .ok();
        (value, diags)
    }

    /// A document's error, `valid` being the field names of the table it was read as (none
    /// for a map): a key that is not one of them is an unknown key, whatever serde's message.
    fn diagnostic(&self, e: &toml::de::Error, valid: Vec<String>) -> Diagnostic {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim().to_string();
        let is_syntax = self.text.parse::<toml::Table>().is_err();
        let key = key_before(self.text, span.start);
        let kind = if !is_syntax && !valid.is_empty() && !key.is_empty() && !valid.contains(&key) {
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

/// `T` from a table, through TOML text: toml's own `Value` does not give dates back as dates.
fn from_table<T: DeserializeOwned>(t: &toml::Table) -> Result<T, toml::de::Error> {
    let text = toml::to_string(t).unwrap_or_default();
    toml::from_str::<T>(&text)
}

/// The field names `T` accepts (none for a map), from its `Deserialize` implementation.
fn known_fields<T: DeserializeOwned>() -> Vec<String> {
    serde_aux::serde_introspection::serde_introspect::<T>()
        .iter()
        .map(|s| (*s).to_string())
        .collect()
}

/// What a writer most likely meant by a key kagu does not know, when it is not a typo: the
/// names other generators use for the same thing.
fn meant(key: &str, table: &str) -> Option<String> {
    let front = [
        ("subtitle", "description"),
        ("summary", "description"),
        ("lede", "description"),
        ("author", "authors"),
        ("order", "weight"),
        ("alias", "aliases"),
        ("layout", "template"),
        ("published", "date"),
        ("lastmod", "updated"),
        ("categories", "tags"),
    ];
    let config = [
        ("baseURL", "base_url"),
        ("baseurl", "base_url"),
        ("languageCode", "language"),
        ("lang", "language"),
    ];
    let sources = [
        ("journal", "outlet"),
        ("newspaper", "outlet"),
        ("container", "outlet"),
        ("booktitle", "book_title"),
        ("location", "place"),
        ("address", "place"),
        ("organization", "institution"),
        ("school", "institution"),
        ("page", "pages"),
        ("number", "issue"),
        ("website", "outlet"),
        ("link", "url"),
        ("kind", "type"),
    ];
    let list: &[(&str, &str)] = match table {
        "front matter" => &front,
        crate::base::files::CONFIG_FILE => &config,
        "a source" => &sources,
        _ => &[],
    };
    list.iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| (*v).to_string())
}

/// Where `key`'s value is, among a table's fields.
pub(crate) fn value_span(fields: &SpannedFields, key: &str) -> Option<Range<usize>> {
    fields
        .iter()
        .find(|(k, _)| k.get_ref() == key)
        .map(|(_, v)| v.span())
}

/// One of the site's data files (content/timeline.toml, content/glossary.toml) read as `T`,
/// with the document it was read from; None, with the error where it is, when it cannot be read.
pub(crate) fn read_data<'a, T: DeserializeOwned>(
    files: &'a crate::base::files::Files,
    file: FileId,
    what: &'static str,
    diags: &mut crate::base::diag::Diagnostics,
) -> Option<(TomlDoc<'a>, T)> {
    let doc = TomlDoc {
        text: files.text(file),
        file,
        offset: 0,
        what,
    };
    match doc.deserialize() {
        Ok(value) => Some((doc, value)),
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

/// The `header` line (`[[event]]`) of the array-of-tables entry whose table starts at `at` (or
/// where the table starts, when there is none).
pub(crate) fn table_header(text: &str, at: usize, header: &str) -> Range<usize> {
    let before = &text[..(at + header.len()).min(text.len())];
    match before.rfind(header) {
        Some(h) => h..h + header.len(),
        None => at..at,
    }
}

/// The byte range of the `key = …` line inside `within`, or `within` itself.
pub(crate) fn key_span(text: &str, within: &Range<usize>, key: &str) -> Range<usize> {
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

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Probe {
        title: String,
        #[serde(rename = "type")]
        kind: Option<String>,
    }

    #[test]
    fn field_names_come_from_the_type_not_a_message() {
        assert_eq!(known_fields::<Probe>(), ["title", "type"]);
        assert!(known_fields::<BTreeMap<String, String>>().is_empty());
        let doc = TomlDoc {
            text: "title = \"x\"\ntitel = \"y\"\n",
            file: FileId(0),
            offset: 0,
            what: "a probe",
        };
        let d = doc.deserialize::<Probe>().expect_err("an unknown key");
        assert_eq!(d.span, 12..17);
        match d.kind {
            Kind::UnknownKey {
                key,
                suggestion,
                valid,
                ..
            } => {
                assert_eq!((key.as_str(), suggestion.as_deref()), ("titel", Some("title")));
                assert_eq!(valid, ["title", "type"]);
            }
            other => panic!("not an unknown key: {other:?}"),
        }
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
