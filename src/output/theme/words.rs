//! The catalogue of reader-visible words: the default theme's (`themes/default/i18n/en.toml`,
//! built in), then the site language's built-in one, then the theme folder's and the site's
//! `i18n/<language>.toml`, each overriding single strings. A key the default theme does not have
//! is W009 at the key; a value that is no string is E003 at the value.

use std::collections::HashMap;

use crate::base::diag::{did_you_mean, Diagnostic, FileId, Files, Kind};
use crate::base::tomldoc::{SpannedFields, TomlDoc};

/// The words for `language`, and what was wrong in the catalogues read (`catalogues`: the theme
/// folder's and the site's files under `i18n/`, by file name, in that order).
pub(super) fn load(
    files: &mut Files,
    catalogues: &[(String, FileId)],
    language: &str,
) -> (HashMap<String, String>, Vec<Diagnostic>) {
    let mut words = HashMap::new();
    let mut diags = Vec::new();
    // `fr-CA` reads `fr`'s words, then its own.
    let primary = language
        .split(['-', '_'])
        .next()
        .unwrap_or(language)
        .to_ascii_lowercase();
    let mut builtin = false;
    for (lang, text) in super::BUILTIN_WORDS {
        if *lang == "en" || *lang == primary {
            let id = files.add(format!("themes/default/i18n/{lang}.toml"), *text);
            read(files, id, &mut words, None, &mut diags);
            builtin |= *lang == primary;
        }
    }
    let known: Vec<String> = words.keys().cloned().collect();
    let names = [format!("{primary}.toml"), format!("{language}.toml")];
    let mut given: Vec<String> = Vec::new();
    let mut site_files = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if i == 1 && names[0] == names[1] {
            continue;
        }
        for (_, id) in catalogues.iter().filter(|(n, _)| n == name) {
            let mut seen = HashMap::new();
            read(files, *id, &mut seen, Some(&known), &mut diags);
            given.extend(seen.keys().cloned());
            words.extend(seen);
            site_files.push(*id);
        }
    }
    // A language the theme has no words in: each string the site's catalogue leaves out is
    // said, once, and shown in English.
    if !builtin && primary != "en" {
        match site_files.last() {
            None => diags.push(Diagnostic::global(Kind::NoWords {
                language: language.to_string(),
            })),
            Some(&id) => {
                let mut missing: Vec<&String> = known.iter().filter(|k| !given.contains(k)).collect();
                missing.sort();
                for key in missing {
                    diags.push(Diagnostic::at(
                        Kind::MissingWord {
                            key: key.clone(),
                            language: language.to_string(),
                        },
                        id,
                        0..0,
                    ));
                }
            }
        }
    }
    (words, diags)
}

/// Reads one catalogue into `words`; with `known`, a key outside it is reported and dropped.
fn read(
    files: &Files,
    id: FileId,
    words: &mut HashMap<String, String>,
    known: Option<&[String]>,
    diags: &mut Vec<Diagnostic>,
) {
    let doc = TomlDoc {
        text: files.text(id),
        file: id,
        offset: 0,
        what: "a catalogue of words",
    };
    let fields: SpannedFields = match doc.deserialize() {
        Ok(f) => f,
        Err(d) => return diags.push(d),
    };
    for (key, value) in fields {
        let (key_span, key) = (key.span(), key.into_inner());
        if let Some(known) = known.filter(|k| !k.contains(&key)) {
            diags.push(Diagnostic::at(
                Kind::UnknownWord {
                    suggestion: did_you_mean(&key, known.iter().map(String::as_str)),
                    key,
                },
                id,
                key_span,
            ));
            continue;
        }
        let span = value.span();
        match value.into_inner() {
            toml::Value::String(s) => {
                words.insert(key, s);
            }
            _ => diags.push(Diagnostic::at(
                Kind::BadValue {
                    key,
                    message: "expected a string".into(),
                },
                id,
                span,
            )),
        }
    }
}
