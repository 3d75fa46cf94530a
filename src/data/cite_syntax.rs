//! The Pandoc citation syntax inside brackets: `@key`, `@key, p. 12`, `@a; @b`,
//! `see @key, p. 3`, `-@key`.

#[derive(Debug, Clone, PartialEq, Eq)]
/// One cited source of a citation, as the writer wrote it.
pub struct Citation {
    /// The source's key.
    pub key: String,
    /// What the writer put before it: `see` in `[see @k]`.
    pub prefix: Option<String>,
    /// What follows the comma: a locator (`p. 12`, `chap. 2`), and any words after it.
    pub locator: Option<String>,
    /// `[-@k]`: the author is named in the text already.
    pub suppress_author: bool,
    /// `@k` in the text (Pandoc's narrative citation): the author is part of the sentence.
    pub narrative: bool,
    /// Where a link to this spot goes (set as the page's notes are numbered).
    pub anchor: Anchor,
}

/// The element a link to a citing spot goes to: its note marker (`ref-3-1`) or its in-text
/// citation (`cite-2`). Numbers, written out only where a link is (a page holds thousands).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// A note marker: the note's number and which of its markers.
    Note {
        /// The note's number.
        number: u32,
        /// Which of its markers (1 for the first).
        occurrence: u32,
    },
    /// An in-text citation: its number on the page.
    Cite(u32),
}

impl std::fmt::Display for Anchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Anchor::Note { number, occurrence } => write!(f, "ref-{number}-{occurrence}"),
            Anchor::Cite(g) => write!(f, "cite-{g}"),
        }
    }
}

/// An anchor serializes as its id, written on the stack: a source's page lists thousands.
impl serde::Serialize for Anchor {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use std::io::Write;
        // The longest, `ref-` and two 10-digit numbers, is 25 bytes.
        let mut buf = [0u8; 32];
        let mut rest = &mut buf[..];
        let written = write!(rest, "{self}").map(|()| 32 - rest.len());
        // (Never met: the id always fits, and is ASCII; kept rather than a panic.)
        match written.ok().and_then(|len| std::str::from_utf8(&buf[..len]).ok()) {
            Some(id) => s.serialize_str(id),
            None => s.collect_str(self),
        }
    }
}

impl Anchor {
    /// The `occurrence`th marker of note `number`.
    pub fn note(number: usize, occurrence: usize) -> Anchor {
        Anchor::Note {
            number: u32::try_from(number).unwrap_or(u32::MAX),
            occurrence: u32::try_from(occurrence).unwrap_or(u32::MAX),
        }
    }
}

/// A narrative citation in a run of text: `@key` where the `@` follows no letter or digit (so
/// an e-mail address is none) and no `[` (an escaped `\\[@key]` stays text), and a letter,
/// digit or `_` follows it. Returns the `@`'s byte
/// offset and the key, trailing punctuation (`@k.`) left out.
pub fn narrative_keys(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices('@') {
        let before = text[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || "@_-\\[".contains(c)) {
            continue;
        }
        let rest = &text[i + 1..];
        if !rest.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let len = rest.find(|c: char| !is_key_char(c)).unwrap_or(rest.len());
        let key =
            rest[..len].trim_end_matches(['.', ':', '?', '-', '/', '+', '~', '<', '>', '#', '$', '%', '&']);
        if !key.is_empty() {
            out.push((i, key));
        }
    }
    out
}

fn is_key_char(c: char) -> bool {
    c.is_alphanumeric() || "_:.#$%&-+?<>~/".contains(c)
}

/// Where an item's `@key` starts: an `@` opening the item (after an optional `-`), or one after
/// a space or a `-` that a key follows. So an e-mail address or a lone "@" in a sentence is not a
/// citation, while `[@]` is (a malformed one, reported).
fn at_sign(item: &str) -> Option<usize> {
    let opens = item.strip_prefix('-').unwrap_or(item).starts_with('@');
    item.char_indices()
        .filter(|&(_, c)| c == '@')
        .find(|&(i, _)| {
            let before = item[..i].chars().next_back();
            let after = item[i + 1..].chars().next();
            before.is_none_or(|p| p.is_whitespace() || p == '-')
                && (opens || after.is_some_and(|a| a.is_alphanumeric() || a == '_'))
        })
        .map(|(i, _)| i)
}

/// The keys a citation names, read as leniently as the text allows: for one that cannot be
/// parsed, so its sources are not also reported as never cited.
pub fn keys_named(inner: &str) -> Vec<String> {
    inner
        .split(';')
        .filter_map(|item| {
            let rest = &item[at_sign(item)? + 1..];
            let key = &rest[..rest.find(|c: char| !is_key_char(c)).unwrap_or(rest.len())];
            Some(key.trim_end_matches(['.', ':', '?']).to_string())
        })
        .filter(|k| !k.is_empty())
        .collect()
}

/// Does the text between `[` and `]` look like a citation (an `@key` in one of its items)?
pub fn looks_like_citation(inner: &str) -> bool {
    inner.split(';').any(|item| at_sign(item.trim()).is_some())
}

/// Parses the text between `[` and `]`, Pandoc's way: items separated by `;`, each an optional
/// prefix, `@key` (or `-@key`), and an optional `, locator`. The error says what is wrong.
pub fn parse_citation(inner: &str) -> Result<Vec<Citation>, String> {
    let mut out = Vec::new();
    for item in inner.split(';') {
        let item = item.trim();
        let Some(at) = at_sign(item) else {
            return Err(if item.is_empty() {
                "an empty item between `;`".to_string()
            } else {
                format!("`{item}` has no `@key`")
            });
        };
        let before = &item[..at];
        let suppress_author = before.ends_with('-');
        let prefix = before.strip_suffix('-').unwrap_or(before).trim();
        let rest = &item[at + 1..];
        let key_len = rest.find(|c: char| !is_key_char(c)).unwrap_or(rest.len());
        let key = rest[..key_len].trim_end_matches(['.', ':', '?']);
        if key.is_empty() || !key.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
            return Err("a citation key must follow `@`".to_string());
        }
        let after = rest[key.len()..].trim();
        let locator = if after.is_empty() {
            None
        } else if let Some(loc) = after.strip_prefix(',') {
            let loc = loc.trim();
            if loc.is_empty() {
                return Err("a `,` must be followed by a locator such as `p. 12`".to_string());
            }
            Some(loc.to_string())
        } else {
            return Err(format!(
                "unexpected `{after}` after `@{key}`; put a `,` before a locator"
            ));
        };
        out.push(Citation {
            key: key.to_string(),
            prefix: (!prefix.is_empty()).then(|| prefix.to_string()),
            locator,
            suppress_author,
            narrative: false,
            anchor: Anchor::Cite(0),
        });
    }
    Ok(out)
}

use hayagriva::citationberg::taxonomy::Locator;

/// CSL's locator labels as a writer abbreviates them (the English locale's terms, long and
/// short, singular and plural, and the signs), longest first within a locator.
const LABELS: [(Locator, &[&str]); 16] = [
    (Locator::Book, &["books", "book", "bks.", "bk."]),
    (
        Locator::Chapter,
        &["chapters", "chapter", "chaps.", "chap.", "ch."],
    ),
    (Locator::Column, &["columns", "column", "cols.", "col."]),
    (Locator::Figure, &["figures", "figure", "figs.", "fig."]),
    (Locator::Folio, &["folios", "folio", "fols.", "fol."]),
    (Locator::Issue, &["numbers", "number", "nos.", "no."]),
    (Locator::Line, &["lines", "line", "ll.", "l."]),
    (Locator::Note, &["notes", "note", "nn.", "n."]),
    (Locator::Opus, &["opera", "opus", "opp.", "op."]),
    (Locator::Page, &["pages", "page", "pp.", "p."]),
    (
        Locator::Paragraph,
        &["paragraphs", "paragraph", "paras.", "para.", "¶¶", "¶"],
    ),
    (Locator::Part, &["parts", "part", "pts.", "pt."]),
    (
        Locator::Section,
        &["sections", "section", "secs.", "sec.", "§§", "§"],
    ),
    (Locator::SubVerbo, &["sub verbis", "sub verbo", "s.vv.", "s.v."]),
    (Locator::Verse, &["verses", "verse", "vv.", "v."]),
    (Locator::Volume, &["volumes", "volume", "vols.", "vol."]),
];

/// Is `word` a locator value: digits (with letters, `4a`) or a roman numeral?
fn is_value_word(word: &str) -> bool {
    !word.is_empty()
        && (word.chars().any(|c| c.is_ascii_digit()) && word.chars().all(char::is_alphanumeric)
            || is_roman(&word.to_ascii_lowercase()))
}

/// A roman numeral up to 3999 (`xii`), so that words such as `civil` are not one.
fn is_roman(w: &str) -> bool {
    let mut rest = w.trim_start_matches('m');
    if w.len() - rest.len() > 3 || rest.is_empty() && w.is_empty() {
        return false;
    }
    for (one, five, ten) in [('c', 'd', 'm'), ('x', 'l', 'c'), ('i', 'v', 'x')] {
        let nine = format!("{one}{ten}");
        let four = format!("{one}{five}");
        if let Some(r) = rest
            .strip_prefix(nine.as_str())
            .or_else(|| rest.strip_prefix(four.as_str()))
        {
            rest = r;
            continue;
        }
        rest = rest.strip_prefix(five).unwrap_or(rest);
        let ones = rest.len() - rest.trim_start_matches(one).len();
        if ones > 3 {
            return false;
        }
        rest = &rest[ones..];
    }
    rest.is_empty() && !w.is_empty()
}

/// Splits what follows a citation's comma into CSL's locator (its label, `p.` if none is
/// written, and its value) and the suffix after it, as Pandoc reads them: `pp. 33-35 and
/// passim` is pages `33-35` and ` and passim`; `chap. 3` is chapter `3`; words with no number
/// (`and elsewhere`) are all suffix, kept with the comma before them.
pub fn split_locator(text: &str) -> (Option<(Locator, String)>, String) {
    let label = LABELS.iter().find_map(|(loc, words)| {
        words.iter().find_map(|w| {
            // Compared byte for byte, ASCII letters in either case (a lower-cased copy of the
            // text could differ in length and put `len` inside a character).
            let head = text.get(..w.len()).filter(|h| h.eq_ignore_ascii_case(w))?;
            let rest = &text[head.len()..];
            let next = rest.chars().next();
            // "p.3" and "p. 3" both; "page" must not be the start of "pageant".
            (next.is_none_or(|c| c.is_whitespace() || c.is_ascii_digit()) || w.ends_with(['.', '¶', '§']))
                .then_some((*loc, w.len()))
        })
    });
    let (locator, rest) = match label {
        Some((loc, len)) => (loc, text[len..].trim_start()),
        None => (Locator::Page, text),
    };
    // The value: words that are numbers, joined by `-`, `–`, `,` or `&`.
    let mut end = 0;
    let mut at = 0;
    loop {
        let word_len = rest[at..]
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len() - at);
        if !is_value_word(&rest[at..at + word_len]) {
            break;
        }
        end = at + word_len;
        let after = &rest[end..];
        let joiner = after.len() - after.trim_start_matches([' ', ',', '-', '–', '—', '&']).len();
        let joined = &after[..joiner];
        if joiner == 0 || !joined.trim().chars().all(|c| ",-–—&".contains(c)) || joined.trim().is_empty()
        {
            break;
        }
        at = end + joiner;
    }
    if end == 0 {
        return (None, format!(", {text}"));
    }
    (Some((locator, rest[..end].to_string())), rest[end..].to_string())
}

/// A locator whose label is none of CSL's, `pg. 4`: the label as written and the closest
/// label. Only a word that ends in a full stop or is close to a label, and is followed by a
/// number, counts; other words (`table 3`, `emphasis added`) are a suffix as the writer meant.
pub fn unknown_label(text: &str) -> Option<(String, Option<String>)> {
    if split_locator(text).0.is_some() {
        return None;
    }
    let word = &text[..text.find(|c: char| !c.is_alphabetic()).unwrap_or(text.len())];
    let label = match text[word.len()..].strip_prefix('.') {
        Some(_) => &text[..word.len() + 1],
        None => word,
    };
    let number_follows = text[label.len()..]
        .trim_start()
        .starts_with(|c: char| c.is_ascii_digit());
    if word.is_empty() || !number_follows {
        return None;
    }
    // Page's labels last, so that they win a tie (`pg.` is as near `pt.` as `p.`): a page is
    // what a locator is nearly always.
    let pages = ["pages", "page", "pp.", "p."];
    let words = LABELS.iter().flat_map(|(_, words)| words.iter().copied());
    let suggestion = crate::base::diag::did_you_mean(&label.to_lowercase(), words.chain(pages));
    (label.ends_with('.') || suggestion.is_some()).then(|| (label.to_string(), suggestion))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// An anchor serializes as the id it displays, up to the longest numbers.
        #[test]
        fn an_anchor_serializes_as_its_id(number: u32, occurrence: u32) {
            for a in [Anchor::Note { number, occurrence }, Anchor::Cite(number)] {
                proptest::prop_assert_eq!(serde_json::to_value(a).ok(), Some(a.to_string().into()));
            }
        }
    }

    #[test]
    fn the_longest_anchor_is_written_whole() {
        let a = Anchor::Note {
            number: u32::MAX,
            occurrence: u32::MAX,
        };
        assert_eq!(
            serde_json::to_string(&a).ok().as_deref(),
            Some("\"ref-4294967295-4294967295\"")
        );
    }

    fn c(key: &str, locator: Option<&str>) -> Citation {
        Citation {
            key: key.into(),
            prefix: None,
            locator: locator.map(Into::into),
            suppress_author: false,
            narrative: false,
            anchor: Anchor::Cite(0),
        }
    }

    #[test]
    fn unknown_labels_are_told_from_suffixes() {
        let label = |t: &str| unknown_label(t).map(|(l, s)| (l, s.unwrap_or_default()));
        assert_eq!(label("pg. 4"), Some(("pg.".into(), "p.".into())));
        assert_eq!(label("Chp. 2"), Some(("Chp.".into(), "chap.".into())));
        assert_eq!(label("tbl. 3"), Some(("tbl.".into(), String::new())));
        for fine in [
            "p. 4",
            "chap. 2",
            "4",
            "table 3",
            "emphasis added",
            "pg. iv",
            "and passim",
            "§ 4",
        ] {
            assert_eq!(unknown_label(fine), None, "{fine}");
        }
    }

    #[test]
    fn pandoc_forms_parse() {
        assert_eq!(parse_citation("@rbc"), Ok(vec![c("rbc", None)]));
        assert_eq!(parse_citation("@rbc, p. 12"), Ok(vec![c("rbc", Some("p. 12"))]));
        assert_eq!(parse_citation("@a; @b"), Ok(vec![c("a", None), c("b", None)]));
        assert_eq!(
            parse_citation("@a, pp. 33-35 and passim"),
            Ok(vec![c("a", Some("pp. 33-35 and passim"))])
        );
        let see = Citation {
            prefix: Some("see".into()),
            ..c("k", Some("p. 3"))
        };
        let also = Citation {
            prefix: Some("also".into()),
            ..c("j", None)
        };
        assert_eq!(parse_citation("see @k, p. 3; also @j"), Ok(vec![see, also]));
        let quiet = Citation {
            suppress_author: true,
            ..c("k", None)
        };
        assert_eq!(parse_citation("-@k"), Ok(vec![quiet]));
    }

    #[test]
    fn narrative_citations_are_at_keys_in_text_not_addresses() {
        assert_eq!(narrative_keys("As @carter2009 says"), [(3, "carter2009")]);
        assert_eq!(narrative_keys("(@k) and @j."), [(1, "k"), (9, "j")]);
        assert_eq!(narrative_keys("mail me@example.org or @ noon"), []);
        assert_eq!(narrative_keys("@a:b, then"), [(0, "a:b")]);
    }

    #[test]
    fn only_an_at_sign_after_a_space_starts_a_key() {
        assert!(looks_like_citation("see @k"));
        assert!(looks_like_citation("-@k"));
        assert!(!looks_like_citation("write to me@example.org"));
        assert!(!looks_like_citation("no key here"));
        assert!(!looks_like_citation("meet me @ noon"));
        assert!(looks_like_citation("@"));
        assert!(looks_like_citation("-@"));
        // A letter of two bytes before the `@` (this once sliced inside it).
        assert!(!looks_like_citation("é.@pé"));
        assert!(looks_like_citation("é @pé"));
        assert_eq!(keys_named("see @rbc; and also; -@k, p. 3"), ["rbc", "k"]);
    }

    #[test]
    fn locators_are_read_as_pandoc_reads_them() {
        let page = |v: &str, s: &str| (Some((Locator::Page, v.to_string())), s.to_string());
        assert_eq!(split_locator("p. 12"), page("12", ""));
        assert_eq!(split_locator("33"), page("33", ""));
        assert_eq!(
            split_locator("pp. 33-35 and passim"),
            page("33-35", " and passim")
        );
        assert_eq!(split_locator("pp. 33–35, 38-39"), page("33–35, 38-39", ""));
        assert_eq!(split_locator("p.xii"), page("xii", ""));
        assert_eq!(
            split_locator("chap. 3"),
            (Some((Locator::Chapter, "3".into())), String::new())
        );
        assert_eq!(
            split_locator("§ 4a"),
            (Some((Locator::Section, "4a".into())), String::new())
        );
        assert_eq!(
            split_locator("para. 7"),
            (Some((Locator::Paragraph, "7".into())), String::new())
        );
        assert_eq!(split_locator("and elsewhere"), (None, ", and elsewhere".into()));
        assert_eq!(split_locator("civil war"), (None, ", civil war".into()));
        assert_eq!(split_locator("P. 4"), page("4", ""));
        // A character whose lower case is shorter (the Kelvin sign): no label, no panic.
        assert_eq!(split_locator("boo\u{212A} 4"), (None, ", boo\u{212A} 4".into()));
        assert!(["iv", "xii", "mcmxc", "XL"].iter().all(|w| is_value_word(w)));
    }

    #[test]
    fn malformed_forms_say_why() {
        assert_eq!(parse_citation("@"), Err("a citation key must follow `@`".into()));
        assert_eq!(parse_citation("@a; b"), Err("`b` has no `@key`".into()));
        assert_eq!(
            parse_citation("@a p. 3"),
            Err("unexpected `p. 3` after `@a`; put a `,` before a locator".into())
        );
        assert_eq!(parse_citation("@a;"), Err("an empty item between `;`".into()));
    }
}
