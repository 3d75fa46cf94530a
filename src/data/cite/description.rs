//! Titles as the engine gets them. A word with a capital inside it (`PortWatch`, `el-Mandeb`,
//! `RBC`) keeps its case whatever the style's casing does, as citeproc-js keeps it. A title
//! written in brackets (`[Remarks by …]`) is a description of an item that has none: every style
//! would print it as a title (quoted or in italics, title-cased in Chicago); kagu prints it as
//! written.

use serde_json::{json, Value};

/// Marks a description's ends in the title given to the engine (private-use characters, which
/// text does not hold): [`plain`] prints what is between them as written.
const DESCRIPTION: (char, char) = ('\u{E010}', '\u{E011}');

/// A title as the engine gets it. One in brackets (`[Remarks by …]`) describes an item that has
/// none (Chicago's descriptive title): it is kept from the style's casing (verbatim) and marked,
/// so that it is printed as written, with no quotation marks or italics.
pub(super) fn title_value(title: &str) -> Value {
    if title.len() > 2 && title.starts_with('[') && title.ends_with(']') {
        // (Braces keep a title's case as written, as in BibLaTeX; any inside it are dropped.)
        let kept = title.replace(['{', '}'], "");
        json!(format!("{}{{{kept}}}{}", DESCRIPTION.0, DESCRIPTION.1))
    } else {
        json!(keep_case(title))
    }
}

/// `title` with each word that has a capital after its first letter in braces, which keep a
/// word's case from the style's title or sentence casing (as braces written in the title do;
/// words inside those are left as they are).
pub(super) fn keep_case(title: &str) -> String {
    let mut out = String::with_capacity(title.len() + 8);
    let mut depth = 0usize;
    for (i, word) in title.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let inner_capital = word.chars().skip(1).any(char::is_uppercase);
        if depth == 0 && inner_capital && !word.contains(['{', '}']) {
            out.push('{');
            out.push_str(word);
            out.push('}');
        } else {
            out.push_str(word);
        }
        for c in word.chars() {
            match c {
                '{' => depth += 1,
                '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    out
}

/// Takes the marks out of `html` (from `from` on; written by [`super::write_html`]), with the quotation marks and italics the
/// style put around each description.
pub(super) fn plain(html: &mut String, from: usize) {
    const OPEN: [&str; 6] = ["“", "‘", "«\u{a0}", "«\u{202f}", "«", "\""];
    const CLOSE: [&str; 6] = ["”", "’", "\u{a0}»", "\u{202f}»", "»", "\""];
    let (open, close) = (DESCRIPTION.0.to_string(), DESCRIPTION.1.to_string());
    while let Some(start) = html[from..].find(&open).map(|i| from + i) {
        let Some(end) = html[start..].find(&close).map(|i| start + i) else {
            html.replace_range(start..start + open.len(), "");
            continue;
        };
        let (mut before, mut after) = (start, end + close.len());
        if html[..before].ends_with("<i>") && html[after..].starts_with("</i>") {
            before -= 3;
            after += 4;
        }
        let inner = html[start + open.len()..end].to_string();
        // Punctuation the locale puts inside the quotation marks stays, after the description.
        let punct = html[after..].chars().next().filter(|c| ".,;:".contains(*c));
        let past_punct = after + punct.map_or(0, char::len_utf8);
        let quoted = OPEN
            .iter()
            .zip(CLOSE)
            .find(|(o, c)| html[..before].ends_with(*o) && html[past_punct..].starts_with(c));
        let mut plain = inner;
        if let Some((o, c)) = quoted {
            before -= o.len();
            plain.extend(punct);
            after = past_punct + c.len();
        }
        html.replace_range(before..after, &plain);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(d: &str) -> String {
        format!("{}{d}{}", DESCRIPTION.0, DESCRIPTION.1)
    }

    #[test]
    fn a_description_loses_the_quotes_and_italics_around_it_and_keeps_its_punctuation() {
        let d = marked("[Remarks by a spokesperson]");
        for (html, want) in [
            (
                format!("Hajizadeh, “{d}.” n.d."),
                "Hajizadeh, [Remarks by a spokesperson]. n.d.",
            ),
            (format!("‘{d},’ RBC"), "[Remarks by a spokesperson], RBC"),
            (format!("<i>{d}</i>. RBC"), "[Remarks by a spokesperson]. RBC"),
            (
                format!("«\u{a0}{d}\u{a0}», RBC"),
                "[Remarks by a spokesperson], RBC",
            ),
            (format!("{d}. n.d."), "[Remarks by a spokesperson]. n.d."),
            (
                format!("“A title,” {d}"),
                "“A title,” [Remarks by a spokesperson]",
            ),
        ] {
            let mut out = format!("<p>{html}");
            plain(&mut out, 3);
            assert_eq!(out, format!("<p>{want}"));
        }
    }

    #[test]
    fn words_with_a_capital_inside_keep_their_case() {
        assert_eq!(
            keep_case("The PortWatch data on Bab el-Mandeb"),
            "The {PortWatch} data on Bab {el-Mandeb}"
        );
        assert_eq!(
            keep_case("Report (RBC) of the U.S. Navy"),
            "Report {(RBC)} of the {U.S.} Navy"
        );
        assert_eq!(
            keep_case("{The iPhone Years} and iPads"),
            "{The iPhone Years} and {iPads}"
        );
        assert_eq!(
            keep_case("Plain words, Capitalized Ones"),
            "Plain words, Capitalized Ones"
        );
    }

    #[test]
    fn only_a_title_wholly_in_brackets_is_a_description() {
        assert_eq!(title_value("A [bracketed] word"), json!("A [bracketed] word"));
        assert_eq!(title_value("[]"), json!("[]"));
        assert_eq!(title_value("[On {PortWatch}]"), json!(marked("{[On PortWatch]}")));
    }
}
