//! BibLaTeX files: read after the scan ([`crate::data::bibscan`]), each entry fixed up as Pandoc reads
//! one, every address checked.

use super::*;

/// A BibLaTeX title (title case, as BibLaTeX keeps titles) in sentence case, as Pandoc converts
/// one for CSL, whose styles expect sentence case and title-case it where they print title
/// case: a capitalised word after the first becomes lower case unless braces protect it or it
/// has capitals inside (`NATO`, `iPhone`); the first word after a colon keeps its capital.
/// Braced parts stay braced, so hayagriva keeps them as written too.
pub(super) fn sentence_case(chunks: &[biblatex::Spanned<biblatex::Chunk>]) -> String {
    let mut out = String::new();
    let mut first = true;
    for chunk in chunks {
        match &chunk.v {
            biblatex::Chunk::Normal(text) => {
                let mut word = String::new();
                let flush = |word: &mut String, out: &mut String, first: &mut bool| {
                    if word.is_empty() {
                        return;
                    }
                    let lowered = word
                        .split('-')
                        .map(|part| {
                            let mut cs = part.chars();
                            let capitalised =
                                cs.next().is_some_and(char::is_uppercase) && !cs.any(char::is_uppercase);
                            if capitalised && !*first {
                                part.to_lowercase()
                            } else {
                                part.to_string()
                            }
                        })
                        .collect::<Vec<_>>()
                        .join("-");
                    out.push_str(&lowered);
                    *first = word.ends_with([':', '?', '!']);
                    word.clear();
                };
                for c in text.chars() {
                    if c.is_whitespace() {
                        flush(&mut word, &mut out, &mut first);
                        out.push(c);
                    } else {
                        word.push(c);
                    }
                }
                flush(&mut word, &mut out, &mut first);
            }
            biblatex::Chunk::Verbatim(text) => {
                out.push('{');
                out.push_str(text);
                out.push('}');
                first = false;
            }
            biblatex::Chunk::Math(text) => {
                out.push('$');
                out.push_str(text);
                out.push('$');
                first = false;
            }
        }
    }
    out
}

/// What hayagriva's BibLaTeX reading leaves for CSL styles to lose, put where they look, as
/// Pandoc's citeproc reads BibLaTeX: a collection's chapter is a chapter of a book (with the
/// book's editors), a report's or thesis's institution is its publisher, a thesis or report
/// `type` such as `phdthesis` is written out ("PhD thesis"), an organisation as author stays
/// one name, a newspaper article is one, `howpublished` is the publisher, a collection or a
/// manual is a book, and English titles are in sentence case (see [`sentence_case`]).
pub(super) fn from_biblatex(entry: &Entry, raw: Option<&biblatex::Entry>) -> Entry {
    let Ok(mut v) = serde_json::to_value(entry) else {
        return entry.clone();
    };
    let Some(m) = v.as_object_mut() else {
        return entry.clone();
    };
    let kind = m
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_lowercase();
    // A one-part name (an organisation) is written back as a name, not read as "Given Family".
    let one_name = |p: &mut Value| {
        if let Some(s) = p.as_str().filter(|s| !s.contains(',')) {
            *p = json!({ "name": s });
        }
    };
    for role in ["author", "editor"] {
        match m.get_mut(role) {
            Some(Value::Array(people)) => people.iter_mut().for_each(one_name),
            Some(p) => one_name(p),
            None => {}
        }
    }
    if let Some(raw) = raw {
        let field = |name: &str| {
            raw.fields
                .get(name)
                .map(|c| biblatex::ChunksExt::format_verbatim(c.as_slice()).to_lowercase())
        };
        let english = field("langid").or_else(|| field("language")).is_none_or(|l| {
            l.starts_with("english")
                || l.starts_with("american")
                || l.starts_with("british")
                || l.starts_with("en")
        });
        if english {
            if let Some(t) = raw.fields.get("title") {
                m.insert("title".into(), json!(sentence_case(t)));
            }
            if let (Some(t), Some(Value::Object(parent))) = (raw.fields.get("booktitle"), m.get_mut("parent"))
            {
                parent.insert("title".into(), json!(sentence_case(t)));
            }
        }
        if let (Some(sub), Some(Value::Object(parent))) = (field("entrysubtype"), m.get_mut("parent")) {
            if sub == "newspaper" {
                parent.insert("type".into(), json!("newspaper"));
            }
        }
        if let Some(how) = raw.fields.get("howpublished") {
            if !m.contains_key("publisher") {
                m.remove("note");
                m.insert(
                    "publisher".into(),
                    json!(biblatex::ChunksExt::format_verbatim(how.as_slice())),
                );
            }
        }
    }
    if matches!(kind.as_str(), "anthology" | "reference") {
        m.insert("type".into(), json!("book"));
    }
    if kind == "anthos" {
        m.insert("type".into(), json!("chapter"));
        let editor = m.remove("editor");
        if let Some(Value::Object(parent)) = m.get_mut("parent") {
            parent.insert("type".into(), json!("book"));
            if let Some(e) = editor {
                parent.entry("editor").or_insert(e);
            }
        }
    }
    if matches!(kind.as_str(), "thesis" | "report") {
        let named = |p: &Value| p.is_string() || p.get("name").is_some_and(|n| !n.is_null());
        if !m.get("publisher").is_some_and(named) {
            if let Some(org) = m.remove("organization") {
                let location = m.get("publisher").and_then(|p| p.get("location")).cloned();
                let publisher = match location {
                    Some(l) => json!({ "name": org, "location": l }),
                    None => org,
                };
                m.insert("publisher".into(), publisher);
            }
        }
        let genre = match m
            .get("genre")
            .and_then(Value::as_str)
            .map(str::to_lowercase)
            .as_deref()
        {
            Some("phdthesis" | "doctoral dissertation") => Some("PhD thesis"),
            Some("mathesis" | "mastersthesis" | "master's thesis") => Some("Master’s thesis"),
            Some("candthesis") => Some("Candidate thesis"),
            Some("techreport") => Some("technical report"),
            Some("resreport") => Some("research report"),
            _ => None,
        };
        if let Some(g) = genre {
            m.insert("genre".into(), json!(g));
        }
    }
    let key = entry.key().to_string();
    serde_json::from_value::<Library>(json!({ key: v }))
        .ok()
        .and_then(|l| l.iter().next().cloned())
        .unwrap_or_else(|| entry.clone())
}

/// The file's entries, or None when it cannot be read (the errors are reported). The file is
/// scanned first ([`crate::data::bibscan`]): a loop or a runaway depth is reported at its entry before
/// the parser, which follows them by recursion, sees it.
pub(super) fn read_biblatex(files: &Files, file: FileId, diags: &mut Diagnostics) -> Option<Read> {
    let text = files.text(file);
    let (scan, problems) = crate::data::bibscan::scan(text);
    if !problems.is_empty() {
        for p in problems {
            diags.push(Diagnostic::at(
                Kind::BibliographyLoop { message: p.message },
                file,
                p.span,
            ));
        }
        return None;
    }
    match hayagriva::io::from_biblatex_str(text) {
        Ok(lib) => {
            let raw = biblatex::Bibliography::parse(text).ok();
            Some(
                lib.iter()
                    .map(|e| {
                        let scanned = scan.entry(e.key());
                        let at = scanned.map_or(0..e.key().len(), |s| s.key_span.clone());
                        let mut e = from_biblatex(e, raw.as_ref().and_then(|r| r.get(e.key())));
                        let failed = !urls_hold(&e, scanned, &at, file, diags);
                        if failed {
                            e = without_urls(&e);
                        }
                        (e.key().to_string(), at, e, failed, Afterword::default())
                    })
                    .collect(),
            )
        }
        Err(errs) => {
            for e in errs {
                let span = match &e {
                    hayagriva::io::BibLaTeXError::Parse(p) => p.span.clone(),
                    hayagriva::io::BibLaTeXError::Type(t) => t.span.clone(),
                };
                diags.push(Diagnostic::at(
                    Kind::BadBibliography {
                        message: e.to_string(),
                    },
                    file,
                    span,
                ));
            }
            None
        }
    }
}

/// Every address a BibLaTeX entry (or an entry it is part of) links to passes the check a
/// sources.toml `url` does; each that does not is reported at its field.
pub(super) fn urls_hold(
    entry: &Entry,
    scanned: Option<&crate::data::bibscan::ScannedEntry>,
    at: &Range<usize>,
    file: FileId,
    diags: &mut Diagnostics,
) -> bool {
    let mut ok = true;
    let mut check = |e: &Entry| {
        if let Some(u) = e.url() {
            if let Err(message) = check_url(u.value.as_str()) {
                let span = scanned
                    .and_then(|s| s.field("url"))
                    .map_or_else(|| at.clone(), |f| f.value_span.clone());
                let url = u.value.to_string();
                diags.push(Diagnostic::at(Kind::BadUrl { url, message }, file, span));
                ok = false;
            }
        }
    };
    check(entry);
    entry.parents().iter().for_each(&mut check);
    ok
}

/// The entry with no `url` in it or its parents (one that failed the check is not linked).
pub(super) fn without_urls(entry: &Entry) -> Entry {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(m) => {
                m.remove("url");
                m.values_mut().for_each(strip);
            }
            Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let Ok(mut v) = serde_json::to_value(entry) else {
        return entry.clone();
    };
    strip(&mut v);
    serde_json::from_value::<Library>(json!({ entry.key(): v }))
        .ok()
        .and_then(|l| l.iter().next().cloned())
        .unwrap_or_else(|| entry.clone())
}
