//! Templates: the built-in default theme, then `themes/<name>/templates`, then the site's
//! `templates/` (later wins), loaded into one Tera instance. Template errors are located.

use std::collections::HashMap;

use tera::{ErrorKind, Tera};

mod words;

use crate::base::diag::{Diagnostic, FileId, Files, Kind, Severity};
use crate::base::markup::{marker, Block, Blocks, Part, Slot, Splice};

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
    "source.html",
    "updates.html",
    "404.html",
    "alias.html",
    "article.html",
    "toc.html",
    "prev_next.html",
    "reading_path.html",
    "extra_head.html",
    "sitemap.xml",
    "sitemap_index.xml",
    "atom.xml",
    "robots.txt",
);

/// The default theme's words, by language (English, French, German, Spanish); English is what
/// a string missing in another language falls back to.
pub const BUILTIN_WORDS: &[(&str, &str)] = &[
    ("en", include_str!("../../themes/default/i18n/en.toml")),
    ("fr", include_str!("../../themes/default/i18n/fr.toml")),
    ("de", include_str!("../../themes/default/i18n/de.toml")),
    ("es", include_str!("../../themes/default/i18n/es.toml")),
];

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
    /// The blocks kagu writes into pages, compiled from their templates, and the words.
    pub blocks: std::sync::Arc<Blocks>,
    /// The words, as templates get them (`t`).
    pub words: tera::Value,
    /// Each template's file.
    pub origin: HashMap<String, FileId>,
    /// Does any template show pages' tags (name `tags`)?
    pub shows_tags: bool,
    /// What loading found that is no error (unknown words).
    pub warnings: Vec<Diagnostic>,
}

impl Theme {
    /// The templates pages may name, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .origin
            .keys()
            .filter(|n| {
                n.ends_with(".html")
                    && !n.starts_with("blocks/")
                    && ![
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
pub fn load(
    files: &mut Files,
    overrides: &[(String, FileId)],
    catalogues: &[(String, FileId)],
    language: &str,
) -> Result<Theme, Vec<Diagnostic>> {
    let mut origin: HashMap<String, FileId> = HashMap::new();
    let blocks = Block::ALL.iter().map(|b| (b.def().template, b.def().builtin));
    for (name, text) in BUILTIN_TEMPLATES.iter().copied().chain(blocks) {
        origin.insert(
            name.to_string(),
            files.add(format!("themes/default/templates/{name}"), text),
        );
    }
    for (name, file) in overrides {
        origin.insert(name.clone(), *file);
    }
    let sources: Vec<(String, &str)> = origin.iter().map(|(n, f)| (n.clone(), files.text(*f))).collect();

    let mut tera = new_tera();
    let shows_tags = sources.iter().any(|(_, t)| t.contains("tags"));
    let Err(e) = tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), *t))) else {
        let (words, mut diags) = words::load(files, catalogues, language);
        // Escaped once here, not in every page that shows them (the same bytes either way).
        let value = tera::Value::from(
            words
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        tera::Value::safe_string(&crate::base::text::html_attr_escape(v)),
                    )
                })
                .collect::<std::collections::BTreeMap<String, tera::Value>>(),
        );
        return match compile(&tera, &value, &origin) {
            Ok(splices) if diags.iter().all(|d| d.kind.severity() == Severity::Warning) => Ok(Theme {
                tera,
                origin,
                shows_tags,
                blocks: std::sync::Arc::new(Blocks::new(splices, words)),
                words: value,
                warnings: diags,
            }),
            Ok(_) => Err(diags),
            Err(more) => {
                diags.extend(more);
                Err(diags)
            }
        };
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
    // The templates one extends or includes: pages' and their parts (not blocks or feeds).
    let mut available: Vec<String> = origin
        .keys()
        .filter(|n| n.ends_with(".html") && !n.starts_with("blocks/"))
        .cloned()
        .collect();
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

/// Every block's template compiled to splices, one per combination of its flags, each cut at
/// its content slots (see [`crate::base::markup`]); a template that tests or changes its values
/// is E070, located at it.
fn compile(
    tera: &Tera,
    words: &tera::Value,
    origin: &HashMap<String, FileId>,
) -> Result<Vec<Vec<Vec<Splice>>>, Vec<Diagnostic>> {
    let mut out = Vec::with_capacity(Block::ALL.len());
    let mut diags = Vec::new();
    for &block in Block::ALL {
        let def = block.def();
        let mut per_flags = Vec::with_capacity(1 << def.flags.len());
        for flags in 0..1usize << def.flags.len() {
            let render = |set: Option<usize>| {
                let mut ctx = tera::Context::new();
                ctx.insert_value("t", words.clone());
                for (i, f) in def.flags.iter().enumerate() {
                    ctx.insert(*f, &(flags & (1 << i) != 0));
                }
                for (i, slot) in def.slots.iter().enumerate() {
                    let v = set.map(|s| marker(s, i)).unwrap_or_default();
                    match slot {
                        Slot::Text(name) => ctx.insert(*name, &v),
                        other => ctx.insert_value(other.name(), tera::Value::safe_string(&v)),
                    }
                }
                tera.render(def.template, &ctx)
            };
            let rendered = (render(Some(0)), render(Some(1)), render(None));
            let (a, b, empty) = match rendered {
                (Ok(a), Ok(b), Ok(empty)) => (a, b, empty),
                (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
                    diags.push(to_diagnostic(&e, def.template, origin));
                    break;
                }
            };
            let splice =
                Splice::read(&a, 0).filter(|s| Splice::read(&b, 1).as_ref() == Some(s) && s.empty() == empty);
            match splice
                .ok_or("tests or changes a value")
                .and_then(|s| cut(block, s))
            {
                Ok(parts) => per_flags.push(parts),
                Err(problem) => {
                    let kind = Kind::BlockTemplate { block, problem };
                    diags.push(match origin.get(def.template) {
                        Some(&f) => Diagnostic::at(kind, f, 0..0),
                        None => Diagnostic::global(kind),
                    });
                    break;
                }
            }
        }
        out.push(per_flags);
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(diags)
    }
}

/// A block's splice cut at its content slots: the part before the first, between each, and
/// after the last (a slot the template leaves out for these flags has an empty part before it).
fn cut(block: Block, splice: Splice) -> Result<Vec<Splice>, &'static str> {
    let slots = block.def().slots;
    let ordinal = |index: usize| {
        slots[..index.min(slots.len())]
            .iter()
            .filter(|s| matches!(s, Slot::Content(_)))
            .count()
    };
    let contents = slots.iter().filter(|s| matches!(s, Slot::Content(_))).count();
    let mut parts = vec![Splice::default(); contents + 1];
    let mut at = 0;
    for p in splice.parts {
        match p {
            Part::Value { index, .. } if matches!(slots.get(index), Some(Slot::Content(_))) => {
                let k = ordinal(index);
                if k < at {
                    return Err("places a content more than once, or out of order");
                }
                at = k + 1;
            }
            Part::Value { index, .. } if index >= slots.len() => return Err("tests or changes a value"),
            other => parts[at].parts.push(other),
        }
    }
    Ok(parts)
}

/// The default theme's blocks and English words, compiled once: what pages are parsed with
/// when a site's theme cannot be loaded (its errors are reported; the build fails).
pub fn builtin_blocks() -> std::sync::Arc<Blocks> {
    static BUILTIN: std::sync::OnceLock<std::sync::Arc<Blocks>> = std::sync::OnceLock::new();
    BUILTIN
        .get_or_init(|| {
            let mut files = Files::default();
            load(&mut files, &[], &[], "en").map_or_else(|_| std::sync::Arc::default(), |t| t.blocks)
        })
        .clone()
}
