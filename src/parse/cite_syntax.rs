//! The Pandoc citation syntax inside brackets: `@key`, `@key, p. 12`, `@a; @b`.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub key: String,
    pub locator: Option<String>,
}

fn is_key_char(c: char) -> bool {
    c.is_alphanumeric() || "_:.#$%&-+?<>~/".contains(c)
}

/// Parses the text between `[` and `]`. The error says what is wrong with it.
pub fn parse_citation(inner: &str) -> Result<Vec<Citation>, String> {
    let mut out = Vec::new();
    for item in inner.split(';') {
        let item = item.trim();
        let Some(rest) = item.strip_prefix('@') else {
            return Err(if item.is_empty() {
                "an empty item between `;`".to_string()
            } else {
                format!("`{item}` does not start with `@`")
            });
        };
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
            locator,
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
            locator: locator.map(Into::into),
        }
    }

    #[test]
    fn pandoc_forms_parse() {
        assert_eq!(parse_citation("@rbc"), Ok(vec![c("rbc", None)]));
        assert_eq!(parse_citation("@rbc, p. 12"), Ok(vec![c("rbc", Some("p. 12"))]));
        assert_eq!(parse_citation("@a; @b"), Ok(vec![c("a", None), c("b", None)]));
    }

    #[test]
    fn malformed_forms_say_why() {
        assert_eq!(parse_citation("@"), Err("a citation key must follow `@`".into()));
        assert_eq!(parse_citation("@a; b"), Err("`b` does not start with `@`".into()));
        assert_eq!(
            parse_citation("@a p. 3"),
            Err("unexpected `p. 3` after `@a`; put a `,` before a locator".into())
        );
        assert_eq!(parse_citation("@a;"), Err("an empty item between `;`".into()));
    }
}
