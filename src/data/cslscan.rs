//! A first look at a CSL style file before it is parsed and run: how deep its elements nest,
//! and whether its macros call one another in a loop or nest too deep through their calls.
//! The XML reader and the CSL engine both recurse once a level, so a style from the web with
//! a macro that calls itself, or thousands of nested groups, would otherwise overflow the
//! stack; here it is an error naming the line.

use std::collections::HashMap;
use std::ops::Range;

use crate::base::loops::chains;

/// How deep the style's elements may nest (real styles nest about fifteen deep).
pub(crate) const MAX_DEPTH: usize = 64;
/// How deep rendering may go, through macros calling macros.
pub(crate) const MAX_RENDER_DEPTH: usize = 128;

/// What one macro (or, under the name "", the rest of the style) nests and calls.
#[derive(Debug, Default)]
struct Scope {
    at: Range<usize>,
    depth: usize,
    calls: Vec<(usize, String)>,
}

/// Ok, or what is wrong with the style, naming the line.
pub(crate) fn check(xml: &str) -> Result<(), String> {
    let scopes = scopes(xml)?;
    let mut names: Vec<(&str, Range<usize>)> = scopes
        .iter()
        .filter(|(n, _)| !n.is_empty())
        .map(|(n, s)| (n.as_str(), s.at.clone()))
        .collect();
    names.sort_by_key(|(_, at)| at.start);
    let calls = |n: &str| -> Vec<&str> {
        scopes
            .get(n)
            .map(|s| s.calls.iter().map(|(_, c)| c.as_str()).collect())
            .unwrap_or_default()
    };
    let chained = chains(&names, calls, ("the macro", "macros"));
    if let Some(p) = chained.into_iter().next() {
        return Err(format!("{} (line {})", p.message, line_at(xml, p.span.start)));
    }
    let mut memo = HashMap::new();
    let deepest = render_depth("", &scopes, &mut memo);
    if deepest > MAX_RENDER_DEPTH {
        return Err(format!(
            "its elements nest {deepest} deep through its macros, more than the {MAX_RENDER_DEPTH} kagu follows"
        ));
    }
    Ok(())
}

/// How deep rendering `name` goes: its own nesting, or a call's depth plus the callee's.
/// Called only once loops and long chains are ruled out, so the recursion is bounded.
fn render_depth<'a>(
    name: &'a str,
    scopes: &'a HashMap<String, Scope>,
    memo: &mut HashMap<&'a str, usize>,
) -> usize {
    if let Some(&d) = memo.get(name) {
        return d;
    }
    let Some(scope) = scopes.get(name) else {
        return 0;
    };
    let mut deepest = scope.depth;
    for (at, callee) in &scope.calls {
        deepest = deepest.max(at + render_depth(callee, scopes, memo));
    }
    memo.insert(name, deepest);
    deepest
}

/// Reads the tags: each macro's nesting and calls, and the rest's under "". An element nested
/// deeper than [`MAX_DEPTH`] is an error at its line.
fn scopes(xml: &str) -> Result<HashMap<String, Scope>, String> {
    let mut scopes: HashMap<String, Scope> = HashMap::new();
    scopes.insert(String::new(), Scope::default());
    let mut current = String::new();
    let mut base = 0;
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(off) = xml[i..].find('<') {
        i += off;
        let rest = &xml[i..];
        let skip = [("<!--", "-->"), ("<![CDATA[", "]]>"), ("<?", "?>"), ("<!", ">")]
            .into_iter()
            .find(|(open, _)| rest.starts_with(open));
        if let Some((_, close)) = skip {
            i += rest.find(close).map_or(rest.len(), |e| e + close.len());
            continue;
        }
        let end = tag_end(rest);
        let tag = &rest[1..end.saturating_sub(1).max(1)];
        let at = i;
        i += end;
        if let Some(name) = tag.strip_prefix('/') {
            depth = depth.saturating_sub(1);
            if name.trim() == "macro" && depth < base {
                current = String::new();
                base = 0;
            }
            continue;
        }
        depth += 1;
        if depth > MAX_DEPTH {
            let line = line_at(xml, at);
            return Err(format!(
                "its elements nest more than {MAX_DEPTH} deep (line {line})"
            ));
        }
        let name = tag
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        if name == "macro" {
            if let Some(m) = attribute(tag, "name") {
                current = m.to_string();
                base = depth;
                scopes.entry(current.clone()).or_default().at = at..at + end;
            }
        } else if let Some(callee) = attribute(tag, "macro") {
            let scope = scopes.entry(current.clone()).or_default();
            scope.calls.push((depth - base.min(depth), callee.to_string()));
        }
        let scope = scopes.entry(current.clone()).or_default();
        scope.depth = scope.depth.max(depth - base.min(depth));
        if tag.ends_with('/') {
            depth -= 1;
        }
    }
    // Calls to macros the style does not define are the parser's to report.
    let defined: Vec<String> = scopes.keys().cloned().collect();
    for s in scopes.values_mut() {
        s.calls.retain(|(_, c)| defined.contains(c));
    }
    Ok(scopes)
}

/// The line (from 1) of byte `at`.
fn line_at(xml: &str, at: usize) -> usize {
    xml[..at.min(xml.len())].matches('\n').count() + 1
}

/// Where a tag that starts `rest` ends (past its `>`), quoted attribute values skipped.
fn tag_end(rest: &str) -> usize {
    let mut quote = None;
    for (i, c) in rest.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    rest.len()
}

/// The value of the attribute `name` in a start tag's text.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = tag;
    while let Some(i) = rest.find(name) {
        let before = rest[..i].chars().next_back();
        let after = rest[i + name.len()..].trim_start();
        rest = &rest[i + name.len()..];
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let Some(value) = after.strip_prefix('=') else {
            continue;
        };
        let value = value.trim_start();
        let q = value.chars().next()?;
        if q != '"' && q != '\'' {
            continue;
        }
        return value[1..].find(q).map(|e| &value[1..=e]);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "<?xml version=\"1.0\"?>\n<style class=\"note\">\n";

    #[test]
    fn loops_and_depth_are_errors_with_their_line() {
        let ok = format!("{HEAD}<macro name=\"a\"><text macro=\"b\"/></macro>\n<macro name='b'><text variable=\"title\"/></macro>\n<citation><layout><text macro=\"a\"/></layout></citation></style>");
        assert_eq!(check(&ok), Ok(()));
        let own = format!("{HEAD}<macro name=\"a\">\n<group><text macro=\"a\"/></group></macro></style>");
        assert_eq!(check(&own), Err("the macro `a` refers to itself (line 3)".into()));
        let pair = format!("{HEAD}<macro name=\"a\"><text macro=\"b\"/></macro>\n<macro name=\"b\"><text macro=\"a\"/></macro></style>");
        assert_eq!(
            check(&pair),
            Err("macros refer to each other in a loop: a → b → a (line 3)".into())
        );
        let deep = format!("{HEAD}{}</style>", "<group>\n".repeat(100));
        assert_eq!(
            check(&deep),
            Err("its elements nest more than 64 deep (line 66)".into())
        );
        let mut chain = String::from(HEAD);
        for m in 0..20 {
            chain.push_str(&format!(
                "<macro name=\"m{m}\">{}<text macro=\"m{}\"/>{}</macro>\n",
                "<group>".repeat(10),
                m + 1,
                "</group>".repeat(10)
            ));
        }
        chain.push_str("<macro name=\"m20\"><text variable=\"title\"/></macro><citation><layout><text macro=\"m0\"/></layout></citation></style>");
        assert_eq!(
            check(&chain),
            Err("its elements nest 225 deep through its macros, more than the 128 kagu follows".into())
        );
        let commented = format!("{HEAD}<!-- <macro name=\"a\"><text macro=\"a\"/> -->\n<macro name=\"x\"><text macro=\"nowhere\"/></macro></style>");
        assert_eq!(check(&commented), Ok(()));
    }
}
