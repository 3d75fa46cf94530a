//! A first look at a BibLaTeX file before any parser follows its references: where each entry
//! and each field is, and whether an `@string` or a `crossref`/`xdata` chain loops or runs too
//! deep. The BibLaTeX parser resolves both by recursion, so a loop in a file imported from a
//! reference manager would otherwise overflow the stack; here it is a located error.
//!
//! The scan is forgiving: what it cannot read it skips, and the parser reports it.

use std::collections::HashMap;
use std::ops::Range;

use crate::base::loops::{chains, Problem};

/// How deep braces may nest in a field.
pub(crate) const MAX_BRACES: usize = 64;

/// One field of an entry: its name (lowercase) and its value's raw text
/// (without the outer braces or quotes when it is one braced or quoted piece).
#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub name: String,
    pub value: String,
    pub value_span: Range<usize>,
}

/// One `@type{key, …}` entry (not `@string`, `@comment` or `@preamble`).
#[derive(Debug, Clone)]
pub(crate) struct ScannedEntry {
    pub key: String,
    pub key_span: Range<usize>,
    pub fields: Vec<Field>,
}

impl ScannedEntry {
    /// The field of this name (lowercase), if the entry has it.
    pub(crate) fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// What the scan found: the entries, the `@string`s (name, where, the names its value uses).
#[derive(Debug, Default)]
pub(crate) struct Scan {
    pub entries: Vec<ScannedEntry>,
    strings: Vec<(String, Range<usize>, Vec<String>)>,
    problems: Vec<Problem>,
}

impl Scan {
    /// The entry with this key (the first, when it is written twice).
    pub(crate) fn entry(&self, key: &str) -> Option<&ScannedEntry> {
        self.entries.iter().find(|e| e.key == key)
    }
}

/// Scans `text`, then checks its `@string`s and its `crossref`/`xdata` chains.
pub(crate) fn scan(text: &str) -> (Scan, Vec<Problem>) {
    let mut s = Scanner {
        text,
        bytes: text.as_bytes(),
        at: 0,
        out: Scan::default(),
    };
    s.file();
    let mut problems = std::mem::take(&mut s.out.problems);
    problems.extend(string_loops(&s.out.strings));
    problems.extend(crossref_loops(&s.out.entries));
    (s.out, problems)
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    out: Scan,
}

impl Scanner<'_> {
    fn file(&mut self) {
        while let Some(i) = self.text[self.at..].find('@') {
            self.at += i + 1;
            let kind = self.ident().to_ascii_lowercase();
            self.space();
            let close = match self.bytes.get(self.at) {
                Some(b'{') => b'}',
                Some(b'(') => b')',
                _ => continue,
            };
            self.at += 1;
            match kind.as_str() {
                "comment" | "preamble" => self.skip_to(close),
                "string" => self.string_def(close),
                "" => {}
                _ => self.entry(close),
            }
        }
    }

    fn space(&mut self) {
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    fn ident(&mut self) -> &str {
        let start = self.at;
        while self
            .bytes
            .get(self.at)
            .is_some_and(|&b| !b"{}()=,#\"@ \t\r\n".contains(&b))
        {
            self.at += 1;
        }
        &self.text[start..self.at]
    }

    /// Past the `close` that ends what was opened, braces balanced.
    fn skip_to(&mut self, close: u8) {
        let mut depth = 0usize;
        while let Some(&b) = self.bytes.get(self.at) {
            self.at += 1;
            match b {
                b'{' => depth += 1,
                b'}' if depth > 0 => depth -= 1,
                _ if b == close && depth == 0 => return,
                _ => {}
            }
        }
    }

    fn string_def(&mut self, close: u8) {
        self.space();
        let start = self.at;
        let name = self.ident().to_ascii_lowercase();
        let span = start..self.at;
        self.space();
        if name.is_empty() || self.bytes.get(self.at) != Some(&b'=') {
            return self.skip_to(close);
        }
        self.at += 1;
        if let Some((_, _, names)) = self.value() {
            self.out.strings.push((name, span, names));
        }
        self.skip_to(close);
    }

    fn entry(&mut self, close: u8) {
        self.space();
        let start = self.at;
        let key = self.ident().to_string();
        let key_span = start..self.at;
        let mut fields = Vec::new();
        loop {
            self.space();
            match self.bytes.get(self.at) {
                Some(b',') => self.at += 1,
                Some(&b) if b == close => {
                    self.at += 1;
                    break;
                }
                _ => break,
            }
            self.space();
            let name = self.ident().to_ascii_lowercase();
            self.space();
            if name.is_empty() || self.bytes.get(self.at) != Some(&b'=') {
                continue;
            }
            self.at += 1;
            let Some((value, value_span, _)) = self.value() else {
                break;
            };
            fields.push(Field {
                name,
                value,
                value_span,
            });
        }
        self.out.entries.push(ScannedEntry {
            key,
            key_span,
            fields,
        });
    }

    /// A field's value: pieces joined by `#`. Its text (one piece's inside), its span, and the
    /// `@string` names it uses; None when it does not end.
    fn value(&mut self) -> Option<(String, Range<usize>, Vec<String>)> {
        let mut names = Vec::new();
        let mut pieces = Vec::new();
        let start = self.at;
        loop {
            self.space();
            let piece_start = self.at;
            match self.bytes.get(self.at)? {
                b'{' => pieces.push(self.braced(b'}')?),
                b'"' => pieces.push(self.braced(b'"')?),
                _ => {
                    let word = self.ident();
                    if word.is_empty() {
                        return None;
                    }
                    let word = word.to_string();
                    if !word.bytes().all(|b| b.is_ascii_digit()) {
                        names.push(word.to_ascii_lowercase());
                    }
                    pieces.push(piece_start..self.at);
                }
            }
            self.space();
            if self.bytes.get(self.at) == Some(&b'#') {
                self.at += 1;
            } else {
                break;
            }
        }
        let span = start..self.at;
        let text = match pieces.as_slice() {
            [one] => self.text[one.clone()].to_string(),
            _ => self.text[span.clone()].trim().to_string(),
        };
        Some((text, span, names))
    }

    /// A `{…}` or `"…"` piece: the range inside it. Braces nested deeper than [`MAX_BRACES`]
    /// are a problem (the parser would recurse once a level).
    fn braced(&mut self, close: u8) -> Option<Range<usize>> {
        let open_at = self.at;
        self.at += 1;
        let inner = self.at;
        let mut depth = 0usize;
        while let Some(&b) = self.bytes.get(self.at) {
            self.at += 1;
            match b {
                b'{' => {
                    depth += 1;
                    if depth == MAX_BRACES {
                        self.out.problems.push(Problem {
                            span: self.at - 1..self.at,
                            message: format!("braces nest more than {MAX_BRACES} deep here"),
                        });
                        return None;
                    }
                }
                b'}' if depth > 0 => depth -= 1,
                b'\\' if close == b'"' => self.at += 1,
                _ if b == close && depth == 0 => return Some(inner..self.at - 1),
                _ => {}
            }
        }
        self.at = open_at;
        None
    }
}

fn string_loops(strings: &[(String, Range<usize>, Vec<String>)]) -> Vec<Problem> {
    let uses: HashMap<&str, Vec<&str>> = strings
        .iter()
        .rev()
        .map(|(n, _, names)| (n.as_str(), names.iter().map(String::as_str).collect()))
        .collect();
    let nodes: Vec<(&str, Range<usize>)> = strings.iter().map(|(n, s, _)| (n.as_str(), s.clone())).collect();
    chains(
        &nodes,
        |n| uses.get(n).cloned().unwrap_or_default(),
        ("the @string", "@strings"),
    )
}

fn crossref_loops(entries: &[ScannedEntry]) -> Vec<Problem> {
    let parents: HashMap<&str, Vec<&str>> = entries
        .iter()
        .rev()
        .map(|e| {
            let refs = e
                .fields
                .iter()
                .filter(|f| f.name == "crossref" || f.name == "xdata")
                .flat_map(|f| f.value.split(',').map(str::trim))
                .filter(|k| !k.is_empty())
                .collect();
            (e.key.as_str(), refs)
        })
        .collect();
    let nodes: Vec<(&str, Range<usize>)> = entries
        .iter()
        .map(|e| (e.key.as_str(), e.key_span.clone()))
        .collect();
    chains(
        &nodes,
        |k| parents.get(k).cloned().unwrap_or_default(),
        ("the entry", "entries"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::loops::MAX_CHAIN;

    fn messages(text: &str) -> Vec<String> {
        scan(text).1.into_iter().map(|p| p.message).collect()
    }

    #[test]
    fn entries_fields_and_keys_are_found_where_they_are() {
        let text = "junk @book{k1,\n title = {A {B} c}, year = 2020, note = \"q\" # x}\n@comment{@book{no,}}";
        let (s, problems) = scan(text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(s.entries.len(), 1);
        let e = &s.entries[0];
        assert_eq!(&text[e.key_span.clone()], "k1");
        assert_eq!(e.field("title").map(|f| f.value.as_str()), Some("A {B} c"));
        assert_eq!(e.field("year").map(|f| f.value.as_str()), Some("2020"));
        assert_eq!(e.field("note").map(|f| f.value.as_str()), Some("\"q\" # x"));
    }

    #[test]
    fn loops_and_long_chains_are_found() {
        assert_eq!(
            messages("@book{a, crossref = {a}}"),
            ["the entry `a` refers to itself"]
        );
        assert_eq!(
            messages("@book{a, crossref = {b}}\n@book{b, xdata = {c}}\n@book{c, crossref = {a}}"),
            ["entries refer to each other in a loop: a → b → c → a"]
        );
        assert_eq!(
            messages("@string{foo = foo # \"x\"}"),
            ["the @string `foo` refers to itself"]
        );
        let long: String = (0..40)
            .map(|i| format!("@book{{k{i}, crossref = {{k{}}}}}\n", i + 1))
            .collect();
        assert_eq!(
            messages(&long),
            [format!(
                "the entry `k0` starts a chain of references more than {MAX_CHAIN} long"
            )]
        );
        let deep = format!("@book{{a, title = {}{}}}", "{".repeat(100), "}".repeat(100));
        assert_eq!(messages(&deep), ["braces nest more than 64 deep here"]);
        assert!(messages("@book{a, crossref = {b}}\n@book{b, title = {B}}").is_empty());
    }
}
