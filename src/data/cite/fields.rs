//! A source's fields that need more than their type read: addresses, DOI, ISBN and dates.

use std::ops::Range;

use super::{is_source_date, SourceDef};
use crate::base::diag::{Diagnostic, Diagnostics, FileId, Kind};
use crate::base::tomldoc::key_span;

/// A source's fields that need more than their type read: its addresses (http or https, and an
/// archived copy where `archived = true`), DOI, ISBN and dates; a bad one is reported and
/// dropped. False when any was bad.
pub(super) fn check_fields(
    def: &mut SourceDef,
    text: &str,
    entry_range: &Range<usize>,
    file: FileId,
    diags: &mut Diagnostics,
) -> bool {
    let mut ok = true;
    if def.archived && def.archive_url.is_none() {
        diags.push(Diagnostic::at(
            Kind::ArchivedWithoutCopy,
            file,
            key_span(text, entry_range, "archived"),
        ));
        ok = false;
    }
    for (name, url) in [("url", &def.url), ("archive_url", &def.archive_url)] {
        if let Some(u) = url {
            if let Err(message) = check_url(u) {
                let span = key_span(text, entry_range, name);
                diags.push(Diagnostic::at(
                    Kind::BadUrl {
                        url: u.clone(),
                        message,
                    },
                    file,
                    span,
                ));
                ok = false;
            }
        }
    }
    // Identifiers in the form CSL expects, else a located error naming the field.
    type Check = fn(&str) -> Result<String, String>;
    for (name, field, check) in [("doi", &mut def.doi, doi as Check), ("isbn", &mut def.isbn, isbn)] {
        let Some(written) = field.take() else { continue };
        match check(&written) {
            Ok(v) => *field = Some(v),
            Err(message) => {
                let span = key_span(text, entry_range, name);
                let key = name.to_string();
                diags.push(Diagnostic::at(Kind::BadValue { key, message }, file, span));
                ok = false;
            }
        }
    }
    for (name, date) in [("date", &mut def.date), ("accessed", &mut def.accessed)] {
        if let Some(d) = date.as_ref().filter(|d| !is_source_date(d)) {
            diags.push(Diagnostic::at(
                Kind::BadDate {
                    key: name.to_string(),
                    message: format!(
                        "`{}` is not a date kagu can read; write 2024-05-13, 2024-05 or 2024",
                        date_string(d)
                    ),
                },
                file,
                key_span(text, entry_range, name),
            ));
            *date = None;
            ok = false;
        }
    }
    ok
}

pub(super) fn check_url(url: &str) -> Result<(), String> {
    match url::Url::parse(url) {
        Ok(u) if u.scheme() == "http" || u.scheme() == "https" => Ok(()),
        Ok(u) => Err(format!("the scheme `{}` is not http or https", u.scheme())),
        Err(e) => Err(e.to_string()),
    }
}

/// A DOI as `10.prefix/suffix`, also taken from a `https://doi.org/…` or `doi:` form.
fn doi(written: &str) -> Result<String, String> {
    let d = written.trim();
    let d = [
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "doi:",
    ]
    .iter()
    .find_map(|p| d.strip_prefix(p))
    .unwrap_or(d);
    match d.split_once('/') {
        Some((prefix, suffix))
            if prefix.starts_with("10.")
                && prefix.len() > 3
                && prefix[3..].bytes().all(|b| b.is_ascii_digit() || b == b'.')
                && !suffix.is_empty()
                && !suffix.contains(char::is_whitespace) =>
        {
            Ok(d.to_string())
        }
        _ => Err(format!("`{written}` is not a DOI: write it as `10.1234/abcd`")),
    }
}

/// An ISBN: 10 or 13 digits (the last of 10 may be X), with hyphens or spaces between.
fn isbn(written: &str) -> Result<String, String> {
    let digits: Vec<char> = written.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
    let all = |c: &[char]| c.iter().all(char::is_ascii_digit);
    let ok = match digits.len() {
        10 => all(&digits[..9]) && (digits[9].is_ascii_digit() || digits[9] == 'X'),
        13 => all(&digits),
        _ => false,
    };
    if ok {
        Ok(written.trim().to_string())
    } else {
        Err(format!(
            "`{written}` is not an ISBN: write its 10 or 13 digits, hyphens allowed"
        ))
    }
}

pub(super) fn date_string(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
