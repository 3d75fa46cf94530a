//! The Pandoc citation syntax inside brackets: `@key`, `@key, p. 12`, `@a; @b`,
//! `see @key, p. 3`, `-@key`.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub key: String,
    /// What the writer put before it: `see` in `[see @k]`.
    pub prefix: Option<String>,
    /// What follows the comma: a locator (`p. 12`, `chap. 2`), and any words after it.
    pub locator: Option<String>,
    /// `[-@k]`: the author is named in the text already.
    pub suppress_author: bool,
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
        .find(|&(i, c)| {
            let before = item[..i].chars().next_back();
            let after = item[i + 1..].chars().next();
            c == '@'
                && before.is_none_or(|p| p.is_whitespace() || p == '-')
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
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(key: &str, locator: Option<&str>) -> Citation {
        Citation {
            key: key.into(),
            prefix: None,
            locator: locator.map(Into::into),
            suppress_author: false,
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
    fn only_an_at_sign_after_a_space_starts_a_key() {
        assert!(looks_like_citation("see @k"));
        assert!(looks_like_citation("-@k"));
        assert!(!looks_like_citation("write to me@example.org"));
        assert!(!looks_like_citation("no key here"));
        assert!(!looks_like_citation("meet me @ noon"));
        assert!(looks_like_citation("@"));
        assert!(looks_like_citation("-@"));
        assert_eq!(keys_named("see @rbc; and also; -@k, p. 3"), ["rbc", "k"]);
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
