//! Templates: the built-in default theme, then `themes/<name>/templates`, then the site's
//! `templates/` (later wins), loaded into one Tera instance. Template errors are located.

use std::collections::HashMap;

use tera::{ErrorKind, Tera};

use crate::base::diag::{Diagnostic, FileId, Files, Kind};

macro_rules! builtin {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/templates/", $name)))),*]
    };
}

/// The default theme's templates, compiled into the binary.
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = builtin!(
    "base.html",
    "index.html",
    "section.html",
    "page.html",
    "sources.html",
    "404.html",
    "alias.html",
    "article.html",
    "toc.html",
    "prev_next.html",
    "reading_path.html",
    "extra_head.html",
);

/// The default theme's static files, compiled into the binary.
pub const BUILTIN_STATIC: &[(&str, &[u8])] = &[
    ("kagu.css", include_bytes!("../../themes/default/static/kagu.css")),
    ("kagu.js", include_bytes!("../../themes/default/static/kagu.js")),
    (
        "favicon.svg",
        include_bytes!("../../themes/default/static/favicon.svg"),
    ),
];

/// A loaded template set, and which file each template came from (for error locations).
pub struct Theme {
    /// The templates.
    pub tera: Tera,
    /// Each template's file.
    pub origin: HashMap<String, FileId>,
    /// Does any template show pages' tags (name `tags`)?
    pub shows_tags: bool,
}

impl Theme {
    /// The templates pages may name, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .origin
            .keys()
            .filter(|n| {
                ![
                    "article.html",
                    "toc.html",
                    "prev_next.html",
                    "reading_path.html",
                    "extra_head.html",
                ]
                .contains(&n.as_str())
            })
            .cloned()
            .collect();
        v.sort();
        v
    }

    /// A tera error as a kagu diagnostic, located in the template it came from.
    pub fn diagnostic(&self, err: &tera::Error, template: &str) -> Diagnostic {
        to_diagnostic(err, template, &self.origin)
    }
}

fn to_diagnostic(err: &tera::Error, template: &str, origin: &HashMap<String, FileId>) -> Diagnostic {
    let located = |name: &str, kind: Kind, span: std::ops::Range<usize>| match origin.get(name) {
        Some(&f) => Diagnostic::at(kind, f, span),
        None => Diagnostic::global(kind),
    };
    match err.kind() {
        ErrorKind::SyntaxError(r) => located(
            r.filename(),
            Kind::TemplateSyntax {
                message: r.message().to_string(),
            },
            r.span().range.clone(),
        ),
        ErrorKind::RenderingError(r) => located(
            r.filename(),
            Kind::TemplateRender {
                template: r.filename().to_string(),
                message: r.message().to_string(),
            },
            r.span().range.clone(),
        ),
        ErrorKind::MissingParent { current, parent } => located(
            current,
            Kind::MissingTemplate {
                name: parent.clone(),
                available: Vec::new(),
            },
            0..0,
        ),
        _ => located(
            template,
            Kind::TemplateRender {
                template: template.to_string(),
                message: err.to_string(),
            },
            0..0,
        ),
    }
}

fn new_tera() -> Tera {
    let mut t = Tera::default();
    t.autoescape_on([".html", ".xml"]);
    t
}

/// Loads the built-in theme and the given overrides (name, file). Reports every template with a
/// syntax error, not just the first.
pub fn load(files: &mut Files, overrides: &[(String, FileId)]) -> Result<Theme, Vec<Diagnostic>> {
    let mut origin: HashMap<String, FileId> = HashMap::new();
    for (name, text) in BUILTIN_TEMPLATES {
        origin.insert(
            name.to_string(),
            files.add(format!("themes/default/templates/{name}"), *text),
        );
    }
    for (name, file) in overrides {
        origin.insert(name.clone(), *file);
    }
    let sources: Vec<(String, &str)> = origin.iter().map(|(n, f)| (n.clone(), files.text(*f))).collect();

    let mut tera = new_tera();
    let shows_tags = sources.iter().any(|(_, t)| t.contains("tags"));
    let Err(e) = tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), *t))) else {
        return Ok(Theme {
            tera,
            origin,
            shows_tags,
        });
    };
    // Tera stops at the first error: parse each template alone to report every syntax error.
    let mut diags = Vec::new();
    for (name, text) in &sources {
        let mut alone = new_tera();
        if let Err(e) = alone.add_raw_template(name, text) {
            if matches!(e.kind(), ErrorKind::SyntaxError(_)) {
                diags.push(to_diagnostic(&e, name, &origin));
            }
        }
    }
    if diags.is_empty() {
        diags = missing_templates(&sources, &origin);
    }
    if diags.is_empty() {
        diags.push(to_diagnostic(&e, "", &origin));
    }
    Err(diags)
}

/// Each `{% extends "x" %}` and `{% include "x" %}` of a template that no template answers,
/// located at the name, with the names there are (tera's own error says this only in its
/// message's text).
fn missing_templates(sources: &[(String, &str)], origin: &HashMap<String, FileId>) -> Vec<Diagnostic> {
    let mut available: Vec<String> = origin.keys().cloned().collect();
    available.sort();
    let mut out = Vec::new();
    for (name, text) in sources {
        let Some(&file) = origin.get(name) else { continue };
        let mut at = 0;
        while let Some(i) = text[at..].find("{%") {
            let start = at + i + 2;
            at = start;
            let tag = text[start..].trim_start_matches('-').trim_start();
            let Some(rest) = tag
                .strip_prefix("extends")
                .or_else(|| tag.strip_prefix("include"))
            else {
                continue;
            };
            let arg = rest.trim_start();
            let Some(quote) = arg.chars().next().filter(|c| matches!(c, '"' | '\'' | '`')) else {
                continue;
            };
            let Some(len) = arg[1..].find(quote) else { continue };
            let wanted = &arg[1..=len];
            if origin.contains_key(wanted) {
                continue;
            }
            let from = text.len() - arg.len();
            out.push(Diagnostic::at(
                Kind::MissingTemplate {
                    name: wanted.to_string(),
                    available: available.clone(),
                },
                file,
                from..from + len + 2,
            ));
        }
    }
    out
}
