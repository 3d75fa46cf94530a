//! Text helpers every stage shares: the one escaper for the HTML kagu assembles itself, and
//! heading ids as GitHub makes them.

/// `s` escaped for HTML text and attribute values (`&`, `<`, `>`, `"`): the one escaper for
/// the HTML that kagu assembles itself (templates escape through tera).
pub(crate) fn html_attr_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, s);
    out
}

/// A heading's id as GitHub makes it, so links written for GitHub work here too: lower case;
/// letters of every script, digits, combining marks, `_`, `-` and spaces kept, everything else
/// (punctuation, emoji) dropped; each space becomes `-`. Repeats get `-1`, `-2` from
/// [`State::unique_id`].
pub(crate) fn github_slug(title: &str) -> String {
    let is_mark = |c: char| matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F);
    title
        .trim()
        .to_lowercase()
        .chars()
        .filter(|&c| c.is_alphanumeric() || is_mark(c) || c == '_' || c == '-' || c == ' ')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}
