//! Sources: reads `content/sources.toml` and the BibLaTeX/TOML files named in kagu.toml into a
//! [`Bibliography`], validates them, and formats each entry once with hayagriva's CSL engine.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use hayagriva::archive::{ArchivedStyle, LOCALES};
use hayagriva::citationberg::taxonomy::{OtherTerm, Term};
use hayagriva::citationberg::Style;
use hayagriva::citationberg::{DatePartName, Locale, TermForm};
use hayagriva::{BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, Entry, Library};
use hayagriva::{ElemChild, ElemChildren, Formatting};

use afterword::Afterword;
use fields::{check_fields, check_url, date_string};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::base::diag::{did_you_mean, Diagnostic, Diagnostics, FileId, Files, Kind};
use crate::base::tomldoc::{key_span, SpannedFields, TomlDoc};

mod afterword;
mod bibtex;
pub mod citeproc;
mod description;
mod fields;
mod locale;

use bibtex::read_biblatex;
pub use locale::DateFormat;

/// How the site's language writes a date (its CSL locale's), for pages and the timeline alike;
/// en-US's where the language has none.
pub fn date_format(language: &str) -> DateFormat {
    let locales = locales_for(language);
    site_locale(&locales, language)
        .and_then(DateFormat::of)
        .unwrap_or_default()
}
use locale::{locales_for, site_locale};

/// One source, where it was defined, and its formatted reference (HTML).
#[derive(Debug, Clone)]
pub struct Source {
    /// Its key, as citations name it.
    pub key: String,
    /// The sources file it is in.
    pub file: FileId,
    /// Where its entry is in that file.
    pub span: Range<usize>,
    /// Its bibliography entry as HTML, in the site's style, every text escaped.
    pub html: String,
    /// What kagu adds after the style's text (the archived copy, the writer's note): on the
    /// entry, and on the first note that cites the source on a page.
    pub after: String,
    /// It had errors: kept so citations of it resolve, but reported for nothing else.
    pub failed: bool,
    /// Its web address (the archived copy's, for a source whose live copy is gone).
    pub url: Option<String>,
}

#[derive(Debug, Default)]
/// The site's sources, formatted in its citation style.
pub struct Bibliography {
    /// Every source, in file order.
    pub sources: Vec<Source>,
    /// The keys that a sources file which could not be read (its error is reported) names, read
    /// line by line: a citation of one of them is not reported as unknown, and any other
    /// citation still is.
    pub unread_keys: Vec<String>,
    /// The sources in the order the citation style lists its bibliography (indices into
    /// `sources`).
    pub order: Vec<usize>,
    /// The style numbers its bibliography (IEEE, Vancouver): the sources page shows the numbers.
    pub numbered: bool,
    /// How the site's language writes a date: used for page dates, so that a page shows one
    /// date format, the one its citations use.
    pub dates: DateFormat,
    /// Renders citations in the style (none when the style could not be loaded).
    pub engine: Option<crate::data::cite::citeproc::Engine>,
    index: HashMap<String, usize>,
}

impl Bibliography {
    /// Is there a source with this key?
    pub fn contains(&self, key: &str) -> bool {
        self.index.contains_key(key)
    }
    /// The source with this key.
    pub fn get(&self, key: &str) -> Option<&Source> {
        self.index.get(key).map(|&i| &self.sources[i])
    }
    /// Every source's key.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.sources.iter().map(|s| s.key.as_str())
    }
}

/// The source types kagu knows (`type = …`), in the order the guide lists them (docs/content/citations.md).
pub const SOURCE_TYPES: [&str; 13] = [
    "article",
    "news",
    "journal article",
    "report",
    "book",
    "chapter",
    "thesis",
    "web page",
    "web",
    "broadcast",
    "video",
    "statement",
    "misc",
];

/// A source's date: a TOML date, or a string `2024-05-13`, `2024-05` or `2024`.
fn is_source_date(v: &toml::Value) -> bool {
    match v {
        toml::Value::Datetime(d) => d.date.is_some() && d.time.is_none(),
        toml::Value::Integer(y) => (1..=9999).contains(y),
        toml::Value::String(s) => {
            let parts: Vec<&str> = s.split('-').collect();
            let num = |p: &str, len: usize, max: u32| {
                p.len() == len
                    && p.bytes().all(|b| b.is_ascii_digit())
                    && p.parse::<u32>().is_ok_and(|n| (1..=max).contains(&n))
            };
            match parts.as_slice() {
                [y] => num(y, 4, 9999),
                [y, m] => num(y, 4, 9999) && num(m, 2, 12),
                [y, m, d] => num(y, 4, 9999) && num(m, 2, 12) && num(d, 2, 31),
                _ => false,
            }
        }
        _ => false,
    }
}

/// A source as written in a TOML sources file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceDef {
    title: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    author: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
    publisher: Option<String>,
    outlet: Option<String>,
    date: Option<toml::Value>,
    url: Option<String>,
    archive_url: Option<String>,
    /// The live copy is gone: notes link the archived copy, and say the original address.
    #[serde(default)]
    archived: bool,
    accessed: Option<toml::Value>,
    language: Option<String>,
    note: Option<String>,
    editor: Option<String>,
    #[serde(default)]
    editors: Vec<String>,
    translator: Option<String>,
    #[serde(default)]
    translators: Vec<String>,
    book_title: Option<String>,
    volume: Option<NumberOrText>,
    issue: Option<NumberOrText>,
    edition: Option<NumberOrText>,
    pages: Option<NumberOrText>,
    doi: Option<String>,
    isbn: Option<String>,
    institution: Option<String>,
    place: Option<String>,
}

/// A value written as a number or as text: `volume = 12` or `pages = "17-19"`.
#[derive(Debug, Clone)]
struct NumberOrText(String);

impl<'de> Deserialize<'de> for NumberOrText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = NumberOrText;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a number or a text, e.g. `12` or `\"17-19\"`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<NumberOrText, E> {
                Ok(NumberOrText(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<NumberOrText, E> {
                Ok(NumberOrText(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<NumberOrText, E> {
                Ok(NumberOrText(v.to_string()))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// From a source's key to the next table header (a table's own span covers only its header).
pub(crate) fn entry_extent(text: &str, start: usize, value_end: usize) -> Range<usize> {
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let next = text[line_end..]
        .find("\n[")
        .map_or(text.len(), |i| line_end + i + 1);
    start..next.max(value_end).min(text.len())
}

/// Our TOML source to hayagriva's own (YAML-shaped) entry. Where a field belongs to what the
/// item appeared in (a journal's volume, a book's editors), it goes to the parent.
fn to_hayagriva(def: &SourceDef) -> Value {
    let kind = def.kind.as_deref().unwrap_or("web page");
    let (hkind, parent_kind) = match kind {
        "article" | "news" => ("article", Some("newspaper")),
        "journal article" => ("article", Some("periodical")),
        "chapter" => ("chapter", Some("book")),
        "report" => ("report", None),
        "book" => ("book", None),
        "thesis" => ("thesis", None),
        "web page" | "web" => ("web", None),
        "broadcast" => ("audio", None),
        "video" => ("video", None),
        _ => ("misc", None),
    };
    let mut m = Map::new();
    let mut parent = Map::new();
    m.insert("type".into(), json!(hkind));
    m.insert(
        "title".into(),
        description::title_value(def.title.as_deref().unwrap_or_default()),
    );
    let people = |one: &Option<String>, many: &Vec<String>| -> Vec<String> {
        one.iter().chain(many).cloned().collect()
    };
    let authors = people(&def.author, &def.authors);
    if !authors.is_empty() {
        m.insert("author".into(), json!(authors));
    }
    if let Some(d) = &def.date {
        m.insert("date".into(), json!(date_string(d)));
    }
    // `archived = true`: the style links the archived copy (the live one is gone).
    let link = if def.archived {
        def.archive_url.as_ref()
    } else {
        def.url.as_ref()
    };
    if let Some(u) = link {
        let mut url = Map::new();
        url.insert("value".into(), json!(u));
        if let Some(a) = &def.accessed {
            url.insert("date".into(), json!(date_string(a)));
        }
        m.insert("url".into(), Value::Object(url));
    }
    if let Some(l) = &def.language {
        m.insert("language".into(), json!(l));
    }
    let mut serial = Map::new();
    if let Some(d) = &def.doi {
        serial.insert("doi".into(), json!(d));
    }
    if let Some(i) = &def.isbn {
        serial.insert("isbn".into(), json!(i));
    }
    if !serial.is_empty() {
        m.insert("serial-number".into(), Value::Object(serial));
    }
    if let Some(p) = &def.pages {
        m.insert("page-range".into(), json!(p.0));
    }
    let translators = people(&def.translator, &def.translators);
    if !translators.is_empty() {
        m.insert(
            "affiliated".into(),
            json!([{ "role": "translator", "names": translators }]),
        );
    }
    // A report's or a thesis's institution is what CSL styles print as its publisher; with a
    // publisher as well, both are (the institution first), as the styles print no other field
    // for it.
    let institution_publishes = matches!(kind, "report" | "thesis");
    if let Some(i) = def.institution.as_ref().filter(|_| !institution_publishes) {
        m.insert("organization".into(), json!(i));
    }
    // The container's own fields: on the parent when there is one, else on the item.
    let container = if parent_kind.is_some() {
        &mut parent
    } else {
        &mut m
    };
    let editors = people(&def.editor, &def.editors);
    if !editors.is_empty() {
        container.insert("editor".into(), json!(editors));
    }
    for (name, value) in [
        ("volume", &def.volume),
        ("issue", &def.issue),
        ("edition", &def.edition),
    ] {
        if let Some(v) = value {
            container.insert(name.into(), json!(v.0));
        }
    }
    if let Some(p) = &def.place {
        container.insert("location".into(), json!(p));
    }
    let outlet = def.outlet.as_ref().or(def.book_title.as_ref());
    match parent_kind {
        Some(pk) => {
            parent.insert("type".into(), json!(pk));
            if let Some(o) = outlet {
                parent.insert("title".into(), json!(description::keep_case(o)));
            }
            if let Some(p) = &def.publisher {
                parent.insert("publisher".into(), json!(p));
            }
            if parent.len() > 1 {
                m.insert("parent".into(), Value::Object(parent));
            }
        }
        None => {
            let institution = def.institution.as_ref().filter(|_| institution_publishes);
            let publisher = match (institution, &def.publisher) {
                (Some(i), Some(p)) => Some(format!("{i}; {p}")),
                (i, p) => p.as_ref().or(outlet).or(i).cloned(),
            };
            if let Some(o) = publisher {
                m.insert("publisher".into(), json!(o));
            }
        }
    }
    Value::Object(m)
}

/// Reads one TOML sources file into (key, key span, entry).
/// Read entries: key, key span, entry, whether the entry had errors, and what kagu writes after
/// its formatted text.
type Read = Vec<(String, Range<usize>, Entry, bool, Afterword)>;

/// Top-level entries of a sources file that are not tables (`title = "x"` above the first
/// `[key]`): each is reported, and their ranges are returned so they can be taken out. None when
/// every entry is a table, or the file does not parse at all (its syntax error is reported later).
fn top_level_values(text: &str, file: FileId, diags: &mut Diagnostics) -> Option<Vec<Range<usize>>> {
    let t: BTreeMap<toml::Spanned<String>, toml::Spanned<toml::Value>> = toml::from_str(text).ok()?;
    let stray: Vec<_> = t.iter().filter(|(_, v)| !v.get_ref().is_table()).collect();
    if stray.is_empty() {
        return None;
    }
    let mut ranges = Vec::new();
    for (key, value) in stray {
        diags.push(Diagnostic::at(
            Kind::BadValue {
                key: key.get_ref().clone(),
                message: format!(
                    "a source is a table (`[{}]` with `title = …` below it), not a {}",
                    key.get_ref(),
                    value.get_ref().type_str()
                ),
            },
            file,
            key.span(),
        ));
        ranges.push(key.span().start..value.span().end);
    }
    Some(ranges)
}

/// Replaces `range` of `text` with spaces byte for byte (newlines kept), so that every offset
/// after it stays true: a part TOML would reject is taken out and the rest still reads.
fn blank_out(text: &mut String, range: Range<usize>) {
    let spaces: String = text[range.clone()]
        .chars()
        .map(|c| {
            if c == '\n' {
                "\n".to_string()
            } else {
                " ".repeat(c.len_utf8())
            }
        })
        .collect();
    text.replace_range(range, &spaces);
}

/// A key defined twice in one file makes TOML reject the whole file: each second definition is
/// reported (naming the first's line) and blanked out, so the rest of the file still reads.
fn without_repeated_tables(text: &str, file: FileId, path: &str, diags: &mut Diagnostics) -> Option<String> {
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut headers = Vec::new();
    let mut pos = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let t = line.trim();
        if t.starts_with('[') && !t.starts_with("[[") && t.ends_with(']') {
            let key = t[1..t.len() - 1].trim().trim_matches('"').to_string();
            headers.push((pos, pos + line.trim_end().len(), key, n + 1));
        }
        pos += line.len();
    }
    let mut out: Option<String> = None;
    for (i, (start, end, key, line)) in headers.iter().enumerate() {
        match first.get(key) {
            None => {
                first.insert(key.clone(), *line);
            }
            Some(&first_line) => {
                diags.push(Diagnostic::at(
                    Kind::DuplicateSource {
                        key: key.clone(),
                        first: format!("{path}:{first_line}"),
                    },
                    file,
                    *start..*end,
                ));
                let until = headers.get(i + 1).map_or(text.len(), |h| h.0);
                blank_out(out.get_or_insert_with(|| text.to_string()), *start..until);
            }
        }
    }
    out
}

/// The file's sources, or None when it cannot be read as a whole (a TOML syntax error).
fn read_toml(files: &Files, file: FileId, diags: &mut Diagnostics) -> Option<Read> {
    let original = files.text(file);
    let cleaned = without_repeated_tables(original, file, files.path(file), diags);
    let mut text: std::borrow::Cow<'_, str> =
        cleaned.map_or(std::borrow::Cow::Borrowed(original), std::borrow::Cow::Owned);
    fn sources_doc(text: &str, file: FileId) -> TomlDoc<'_> {
        TomlDoc {
            text,
            file,
            offset: 0,
            what: "sources",
        }
    }
    // Each source as its fields with their spans, so each bad field is reported where it is.
    type Sources = BTreeMap<toml::Spanned<String>, toml::Spanned<SpannedFields>>;
    let first: Result<Sources, Diagnostic> = sources_doc(&text, file).deserialize();
    let table: Sources = match first {
        Ok(t) => t,
        // Values outside any source's table are reported and taken out; the rest reads.
        Err(d) => match top_level_values(&text, file, diags) {
            Some(entries) => {
                let mut owned = text.into_owned();
                for range in entries {
                    blank_out(&mut owned, range);
                }
                text = std::borrow::Cow::Owned(owned);
                match sources_doc(&text, file).deserialize() {
                    Ok(t) => t,
                    Err(d) => {
                        diags.push(d);
                        return None;
                    }
                }
            }
            None => {
                diags.push(d);
                return None;
            }
        },
    };
    let text: &str = &text;
    let doc = sources_doc(text, file);
    let source_doc = TomlDoc {
        what: "a source",
        ..doc
    };
    let mut out = Vec::new();
    for (key, value) in table {
        let key_range = key.span();
        let entry_range = entry_extent(text, key_range.start, value.span().end);
        let key = key.into_inner();
        let (def, problems) = source_doc.fields::<SourceDef>(value.into_inner());
        let failed = !problems.is_empty();
        diags.extend(problems);
        let mut def = def.unwrap_or_default();
        if let Some(kind) = def.kind.as_deref().filter(|k| !SOURCE_TYPES.contains(k)) {
            diags.push(Diagnostic::at(
                Kind::UnknownSourceType {
                    name: kind.to_string(),
                    suggestion: did_you_mean(kind, SOURCE_TYPES.iter().copied()),
                    known: &SOURCE_TYPES,
                },
                file,
                key_span(text, &entry_range, "type"),
            ));
            def.kind = None;
        }
        let mut ok = true;
        if def.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
            diags.push(Diagnostic::at(
                Kind::MissingSourceTitle { key: key.clone() },
                file,
                key_range.clone(),
            ));
            ok = false;
        }
        ok &= check_fields(&mut def, text, &entry_range, file, diags);
        // A source with a problem still registers its key (with what could be read), so the
        // pages that cite it get no "unknown key" error on its account.
        if !ok || failed {
            def.title.get_or_insert_with(|| key.clone());
            def.url = None;
            def.archive_url = None;
        }
        let lib: Result<Library, _> = serde_json::from_value(json!({ key.clone(): to_hayagriva(&def) }));
        match lib.map(|l| l.iter().next().cloned()) {
            Ok(Some(entry)) => {
                let after = Afterword::of(def.archived, &def.url, &def.archive_url, &def.note);
                out.push((key, key_range, entry, !ok || failed, after));
            }
            Ok(None) => {}
            Err(e) => diags.push(Diagnostic::at(
                Kind::BadValue {
                    key: key.clone(),
                    message: e.to_string(),
                },
                file,
                entry_range,
            )),
        }
    }
    Some(out)
}

/// Every bundled CSL style: its title, and its names (`citation_style` takes any of them, the
/// first is the main one).
pub fn styles() -> impl Iterator<Item = (&'static str, &'static [&'static str])> {
    ArchivedStyle::all().iter().map(|s| (s.display_name(), s.names()))
}

/// The CSL style of `name`: a bundled style's name, or the path (relative to the project root)
/// of a `.csl` file, as Pandoc and Quarto take one. A diagnostic otherwise, at the config's
/// `citation_style`.
pub fn style(
    name: &str,
    root: &std::path::Path,
    config_file: Option<FileId>,
    files: &Files,
) -> Result<hayagriva::citationberg::IndependentStyle, Diagnostic> {
    let at = |kind: Kind| match config_file {
        Some(f) => Diagnostic::at(
            kind,
            f,
            key_span(files.text(f), &(0..files.text(f).len()), "citation_style"),
        ),
        None => Diagnostic::global(kind),
    };
    if name.ends_with(".csl") {
        let bad = |message: String| {
            at(Kind::BadStyleFile {
                path: name.to_string(),
                message,
            })
        };
        if std::path::Path::new(name).is_absolute() || name.split(['/', '\\']).any(|p| p == "..") {
            return Err(bad(
                "the path must be inside the project, relative to kagu.toml".into()
            ));
        }
        let xml = std::fs::read_to_string(root.join(name)).map_err(|e| bad(e.to_string()))?;
        crate::data::cslscan::check(&xml).map_err(bad)?;
        return match Style::from_xml(&xml) {
            Ok(Style::Independent(s)) => Ok(s),
            Ok(Style::Dependent(d)) => Err(bad(format!(
                "it is a dependent style; use its parent, {}",
                d.parent_link.href
            ))),
            // citationberg's own message names only where reading stopped: say what was wrong.
            Err(e) => Err(bad(match &e.path {
                Some(at) => format!("it is not CSL that kagu can read: {} (in `{at}`)", e.source),
                None => format!("it is not CSL that kagu can read: {}", e.source),
            })),
        };
    }
    let unknown = || {
        let names = styles().flat_map(|(_, names)| names.iter().copied());
        at(Kind::UnknownStyle {
            name: name.to_string(),
            suggestion: did_you_mean(name, names),
        })
    };
    match ArchivedStyle::by_name(name).and_then(bundled_style) {
        Some(s) => Ok(s),
        None => Err(unknown()),
    }
}

/// A bundled style, decoded once for the whole process (each edition of a site, and the dev
/// server on every reload, asks for it again; decoding Chicago's took about 4 ms).
fn bundled_style(style: ArchivedStyle) -> Option<hayagriva::citationberg::IndependentStyle> {
    type Decoded = std::sync::OnceLock<Option<hayagriva::citationberg::IndependentStyle>>;
    static DECODED: std::sync::LazyLock<Vec<Decoded>> =
        std::sync::LazyLock::new(|| ArchivedStyle::all().iter().map(|_| Decoded::new()).collect());
    let i = ArchivedStyle::all().iter().position(|&s| s == style)?;
    DECODED
        .get(i)?
        .get_or_init(|| match style.get() {
            Style::Independent(s) => Some(s),
            Style::Dependent(_) => None,
        })
        .clone()
}

/// The keys a sources file names, found without parsing it: BibLaTeX entries as the scan reads
/// them, and a TOML file's tables (`[key]`, `["key"]`, `[key.sub]`).
fn keys_written(text: &str, bib: bool) -> Vec<String> {
    if bib {
        return crate::data::bibscan::scan(text)
            .0
            .entries
            .into_iter()
            .map(|e| e.key)
            .collect();
    }
    text.lines()
        .filter_map(|line| {
            let inner = line.trim().strip_prefix('[')?.split(']').next()?.trim();
            let key = match inner.strip_prefix(['"', '\'']) {
                Some(quoted) => quoted.split(['"', '\'']).next()?,
                None => inner.split('.').next()?.trim(),
            };
            (!inner.starts_with('[') && !key.is_empty()).then(|| key.to_string())
        })
        .collect()
}

/// Loads, validates and formats every source file.
pub fn load(
    files: &Files,
    bib_files: &[(FileId, String)],
    style: Option<hayagriva::citationberg::IndependentStyle>,
    language: &str,
    words: &crate::base::markup::Blocks,
    diags: &mut Diagnostics,
) -> Bibliography {
    let mut entries = Vec::new();
    let mut unread_keys = Vec::new();
    for (file, rel) in bib_files {
        let read = if rel.ends_with(".bib") {
            read_biblatex(files, *file, diags)
        } else {
            read_toml(files, *file, diags)
        };
        match read {
            Some(read) => entries.extend(
                read.into_iter()
                    .map(|(k, span, e, failed, after)| (k, *file, span, e, failed, after)),
            ),
            None => unread_keys.extend(keys_written(files.text(*file), rel.ends_with(".bib"))),
        }
    }
    let mut bib = Bibliography {
        unread_keys,
        ..Bibliography::default()
    };
    let mut kept = Vec::new();
    let mut afterwords = Vec::new();
    for (key, file, span, entry, failed, after) in entries {
        if let Some(first) = bib.get(&key) {
            let first = files.path(first.file).to_string();
            diags.push(Diagnostic::at(Kind::DuplicateSource { key, first }, file, span));
            continue;
        }
        bib.index.insert(key.clone(), bib.sources.len());
        bib.sources.push(Source {
            key,
            file,
            span,
            html: String::new(),
            after: String::new(),
            failed,
            url: entry.url().map(|u| u.value.to_string()),
        });
        kept.push(entry);
        afterwords.push(after);
    }
    let locales = locales_for(language);
    let locale = site_locale(&locales, language);
    if let Some(dates) = locale.and_then(DateFormat::of) {
        bib.dates = dates;
    }
    let code = locale.and_then(|l| l.lang.clone());
    // A style that could not be loaded is reported where it is named.
    let Some(style) = style else {
        return bib;
    };
    let mut driver = BibliographyDriver::new();
    // The citations pages make most, rendered with the bibliography (see citeproc::preload);
    // else one citation of every entry, for the bibliography alone.
    let preload = crate::data::cite::citeproc::preload(&kept, &style);
    let request = |items| CitationRequest::new(items, &style, code.clone(), &locales, None);
    // Only the bibliography is wanted of a large one: its entries are cited in a style that
    // prints next to nothing, where the bibliography cannot depend on how citations were told
    // apart (no year suffixes). Half a large bibliography's formatting was these citations.
    let plain = (preload.is_none() && kept.len() > LARGE && !style.citation.disambiguate_add_year_suffix)
        .then(bare_style)
        .flatten();
    match (&preload, &plain) {
        (Some(list), _) => {
            for &(e, _) in list {
                driver.citation(request(vec![CitationItem::with_entry(&kept[e])]));
            }
        }
        (None, Some(plain)) => {
            // Cited near the bibliography's own order (author, then title), which the engine
            // then sorts in about one comparison an entry (each renders sort keys); entries that
            // tie keep their file order. A numeric style numbers them in file order.
            let mut order: Vec<&Entry> = kept.iter().collect();
            if !crate::data::cite::citeproc::is_numeric(&style) {
                order.sort_by_cached_key(|e| crate::data::cite::citeproc::sort_hint(e));
            }
            for e in order {
                driver.citation(CitationRequest::new(
                    vec![CitationItem::with_entry(e)],
                    plain,
                    code.clone(),
                    &locales,
                    None,
                ));
            }
        }
        // A numeric style: one citation of them all, in file order, which numbers them.
        (None, None) => driver.citation(request(kept.iter().map(CitationItem::with_entry).collect())),
    }
    let rendered = driver.finish(BibliographyRequest::new(&style, code.clone(), &locales));
    let preloaded: Vec<(crate::data::cite::citeproc::Preloaded, String)> = preload
        .unwrap_or_default()
        .into_iter()
        .zip(&rendered.citations)
        .map(|(p, c)| {
            let mut html = String::new();
            write_html(&c.citation, &mut html);
            (p, html)
        })
        .collect();
    for item in rendered.bibliography.map(|b| b.items).unwrap_or_default() {
        let mut html = String::new();
        write_html(&item.content, &mut html);
        // A numeric style's entries open with their number ("[1]"): the sources page numbers them.
        bib.numbered |= item.first_field.is_some();
        if let Some(&i) = bib.index.get(&item.key) {
            bib.sources[i].html = html;
            bib.order.push(i);
        }
    }
    // The style's order (author, date, title, or citation order for numeric styles); any source
    // the style did not list follows in the order of its file.
    let listed: std::collections::HashSet<usize> = bib.order.iter().copied().collect();
    let rest: Vec<usize> = (0..bib.sources.len()).filter(|i| !listed.contains(i)).collect();
    bib.order.extend(rest);
    for ((s, e), after) in bib.sources.iter_mut().zip(&kept).zip(&afterwords) {
        if s.html.is_empty() {
            let title = e
                .title()
                .map(std::string::ToString::to_string)
                .unwrap_or_default();
            s.html = crate::base::text::html_attr_escape(&title);
            description::plain(&mut s.html, 0);
        }
        s.after = after.html(words);
        s.html.push_str(&s.after);
    }
    bib.engine = Some(crate::data::cite::citeproc::Engine::new(
        style, locales, code, kept, &bib.order, preloaded,
    ));
    bib
}

/// A bibliography this large is formatted without its citations (see [`load`]).
const LARGE: usize = 2000;

/// A style whose citations print only an entry's key-like title: for citing every entry of a
/// large bibliography cheaply, so that the site's style formats only its bibliography.
pub(crate) fn bare_style() -> Option<hayagriva::citationberg::IndependentStyle> {
    const XML: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>kagu bare</title><id>kagu-bare</id><updated>2026-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
</style>"#;
    match Style::from_xml(XML) {
        Ok(Style::Independent(s)) => Some(s),
        _ => None,
    }
}

/// The opening and closing tags for a CSL formatting, as short semantic HTML (`<i>`, `<b>`)
/// rather than hayagriva's inline styles.
fn format_tags(f: &Formatting) -> (String, String) {
    use hayagriva::citationberg::{FontStyle, FontVariant, FontWeight, TextDecoration, VerticalAlign};
    let mut tags: Vec<(&str, &str)> = Vec::new();
    if f.font_style == FontStyle::Italic {
        tags.push(("<i>", "</i>"));
    }
    if f.font_weight == FontWeight::Bold {
        tags.push(("<b>", "</b>"));
    }
    if f.font_variant == FontVariant::SmallCaps {
        tags.push(("<span class=\"small-caps\">", "</span>"));
    }
    if f.text_decoration == TextDecoration::Underline {
        tags.push(("<u>", "</u>"));
    }
    match f.vertical_align {
        VerticalAlign::Sup => tags.push(("<sup>", "</sup>")),
        VerticalAlign::Sub => tags.push(("<sub>", "</sub>")),
        _ => {}
    }
    let open = tags.iter().map(|t| t.0).collect();
    let close = tags.iter().rev().map(|t| t.1).collect();
    (open, close)
}

/// A formatted entry as HTML with every text escaped: hayagriva's own HTML writer puts the
/// source's fields in as they are.
pub(crate) fn write_html(children: &ElemChildren, out: &mut String) {
    let from = out.len();
    write_children(children, out);
    description::plain(out, from);
}

fn write_children(children: &ElemChildren, out: &mut String) {
    let escape = crate::base::text::html_attr_escape;
    for child in &children.0 {
        match child {
            ElemChild::Text(t) => {
                let (open, close) = format_tags(&t.formatting);
                out.push_str(&open);
                out.push_str(&escape(&t.text));
                out.push_str(&close);
            }
            ElemChild::Markup(m) => out.push_str(&escape(m)),
            ElemChild::Elem(e) => {
                use hayagriva::citationberg::Display;
                // The classes citeproc-js gives these parts (numeric styles' numbers in the margin).
                let (open, close) = match e.display {
                    Some(Display::Block) => ("<div class=\"csl-block\">", "</div>"),
                    Some(Display::Indent) => ("<div class=\"csl-indent\">", "</div>"),
                    Some(Display::LeftMargin) => ("<span class=\"csl-left-margin\">", "</span> "),
                    Some(Display::RightInline) => ("<span class=\"csl-right-inline\">", "</span>"),
                    None => ("", ""),
                };
                out.push_str(open);
                write_children(&e.children, out);
                out.push_str(close);
            }
            ElemChild::Link { text, url } => {
                let (open, close) = format_tags(&text.formatting);
                out.push_str(&format!(
                    "<a href=\"{}\">{open}{}{close}</a>",
                    escape(url),
                    escape(&text.text)
                ));
            }
            ElemChild::Transparent { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_date_format_is_hayagrivas_en_us() {
        let en_us = locales_for("en-US");
        let bundled = site_locale(&en_us, "en-US").and_then(DateFormat::of);
        assert_eq!(bundled, Some(DateFormat::default()));
        assert_eq!(DateFormat::default().format(2024, 5, 13), "May 13, 2024");
    }

    #[test]
    fn only_the_wanted_locales_are_decoded() {
        let langs = |l: &str| -> Vec<String> {
            locales_for(l)
                .iter()
                .filter_map(|x| x.lang.as_ref().map(std::string::ToString::to_string))
                .collect()
        };
        let en = langs("en");
        assert!(en.contains(&"en-US".to_string()), "{en:?}");
        assert!(en.iter().all(|l| l.starts_with("en-")), "{en:?}");
        let fr = langs("fr-FR");
        assert!(
            fr.contains(&"fr-FR".to_string()) && fr.contains(&"en-US".to_string()),
            "{fr:?}"
        );
    }

    #[test]
    fn urls_must_be_http_or_https() {
        assert!(check_url("https://example.org/").is_ok());
        assert_eq!(
            check_url("ftp://x.org/"),
            Err("the scheme `ftp` is not http or https".into())
        );
        assert!(check_url("not a url").is_err());
    }
}
