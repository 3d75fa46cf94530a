//! Who claims what, and who answers: `content/claims.toml`, with `[[claim]]` entries (an `id`,
//! who made it, when, its text in Markdown with citations, whether the text is the claimant's own
//! words, whom it is about, tags) and `[[response]]` entries answering a claim (`to`). Each field
//! is checked where it is written; a `{{ claims() }}` block shows them, each response under its
//! claim.

use std::collections::HashSet;
use std::ops::Range;

use serde::Deserialize;

use crate::base::diag::{did_you_mean, Diagnostic, Diagnostics, FileId, Files, Kind};
use crate::base::tomldoc::{read_data, table_header, value_span, SpannedFields, TomlDoc};
use crate::data::glossary::Glossary;
use crate::data::timeline::{description_at, DescriptionAt, EventDate};

/// A claim or a response, as checked.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Statement {
    /// Its id in claims.toml; its anchor on a page is `claim-ID` (or `response-ID`).
    pub id: String,
    /// Who made it: a glossary entry's key, or a name as written.
    pub by: String,
    /// When, as precise as known (None: the sources do not say).
    pub date: Option<EventDate>,
    /// Markdown; links in it are relative to content/.
    pub text: String,
    pub text_at: DescriptionAt,
    /// The text is the speaker's own words, quoted.
    pub quote: bool,
    /// Whom a claim is about (a glossary key or a name).
    pub against: Option<String>,
    pub tags: Vec<String>,
    /// The claim a response answers.
    pub to: Option<String>,
}

/// The site's claims and responses (none when it has no claims.toml), in the order written
/// (an explainer's order: dates may be unknown).
#[derive(Debug, Default, Clone)]
pub(crate) struct Claims {
    pub file: Option<FileId>,
    pub claims: Vec<Statement>,
    pub responses: Vec<Statement>,
}

impl Claims {
    /// The claims with any of these tags (all for none) and, when given, by this speaker.
    pub(crate) fn select(&self, tags: &[String], by: Option<&str>) -> Vec<&Statement> {
        self.claims
            .iter()
            .filter(|c| tags.is_empty() || c.tags.iter().any(|t| tags.contains(t)))
            .filter(|c| by.is_none_or(|b| c.by == b))
            .collect()
    }

    /// The responses to claim `id`, in the order written.
    pub(crate) fn responses_to<'s>(&'s self, id: &'s str) -> impl Iterator<Item = &'s Statement> + 's {
        self.responses.iter().filter(move |r| r.to.as_deref() == Some(id))
    }
}

/// An entry as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct StatementDef {
    id: Option<String>,
    by: Option<String>,
    date: Option<toml::Value>,
    text: Option<String>,
    #[serde(default)]
    quote: bool,
    against: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    to: Option<String>,
}

/// A value that names a glossary entry rather than a speaker: a key's letters (`darmanin`,
/// `interior-ministry`), where a name has capitals or spaces.
pub(crate) fn is_key(value: &str) -> bool {
    !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// The glossary entry a speaker or subject names by its key (None for a name as written).
pub(crate) fn entry_of(who: &str, glossary: &Glossary) -> Option<usize> {
    glossary.get(who).filter(|_| is_key(who))
}

/// A speaker's or subject's name: its glossary entry's, for a key.
pub(crate) fn name_of<'g>(who: &'g str, glossary: &'g Glossary) -> &'g str {
    entry_of(who, glossary).map_or(who, |i| glossary.entries[i].name.as_str())
}

/// Reads claims.toml (None: the site has none). Every bad field is reported where it is; an
/// entry without a usable id, speaker or text, or with a date that cannot be read, is left out, and so is a response to no
/// claim. `glossary` holds the keys `by` and `against` may name.
pub(crate) fn load(
    files: &Files,
    file: Option<FileId>,
    glossary: &Glossary,
    diags: &mut Diagnostics,
) -> Claims {
    let Some(file) = file else {
        return Claims::default();
    };
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        #[serde(default)]
        claim: Vec<toml::Spanned<SpannedFields>>,
        #[serde(default)]
        response: Vec<toml::Spanned<SpannedFields>>,
    }
    let mut out = Claims {
        file: Some(file),
        ..Claims::default()
    };
    let Some((doc, parsed)) = read_data::<Doc>(files, file, "the claims", diags) else {
        return out;
    };
    let mut ids = HashSet::new();
    let keys: Vec<&str> = glossary.entries.iter().map(|e| e.key.as_str()).collect();
    let mut read = |tables: Vec<toml::Spanned<SpannedFields>>, what: &'static str, claims: &[String]| {
        let mut kept = Vec::new();
        for spanned in tables {
            let header = table_header(doc.text, spanned.span().start, &format!("[[{what}]]"));
            let fields = spanned.into_inner();
            let entry = Entry {
                doc: TomlDoc { what, ..doc },
                header,
                fields,
            };
            if let Some(s) = entry.read(what, (&keys, claims), &mut ids, diags) {
                kept.push(s);
            }
        }
        kept
    };
    // A response answers a claim as written: one to a claim left out for its own mistake is
    // left out with it, without a second report.
    let written: Vec<String> = parsed
        .claim
        .iter()
        .filter_map(|t| t.get_ref().iter().find(|(k, _)| k.get_ref() == "id"))
        .filter_map(|(_, v)| v.get_ref().as_str().map(str::to_string))
        .collect();
    out.claims = read(parsed.claim, "claim", &[]);
    let responses = read(parsed.response, "response", &written);
    out.responses = responses
        .into_iter()
        .filter(|r| out.claims.iter().any(|c| Some(&c.id) == r.to.as_ref()))
        .collect();
    out
}

/// One `[[claim]]` or `[[response]]` table as written.
struct Entry<'a> {
    doc: TomlDoc<'a>,
    header: Range<usize>,
    fields: SpannedFields,
}

impl Entry<'_> {
    fn span(&self, key: &str) -> Range<usize> {
        value_span(&self.fields, key).unwrap_or(self.header.clone())
    }

    fn bad(&self, at: Range<usize>, problem: String, hint: String) -> Diagnostic {
        let problem = format!("this [[{}]] {problem}", self.doc.what);
        Diagnostic::at(Kind::BadClaim { problem, hint }, self.doc.file, at)
    }

    /// The entry checked (None, reported, when it cannot be shown).
    fn read(
        self,
        what: &'static str,
        (keys, claims): (&[&str], &[String]),
        ids: &mut HashSet<String>,
        diags: &mut Diagnostics,
    ) -> Option<Statement> {
        let spans = ["id", "by", "date", "text", "against", "to"].map(|k| self.span(k));
        let text_span = value_span(&self.fields, "text");
        let (def, problems) = self.doc.fields::<StatementDef>(self.fields.clone());
        let failed = !problems.is_empty();
        diags.extend(problems);
        let def = def.unwrap_or_default();
        let mut ok = !failed;
        let needs = if what == "claim" {
            "an `id`, `by` and `text`"
        } else {
            "an `id`, `to`, `by` and `text`"
        };
        let mut missing = |field: &str, example: &str| {
            diags.push(self.bad(
                self.header.clone(),
                format!("has no `{field}`"),
                format!("give every [[{what}]] {needs}, e.g. `{field} = {example}`"),
            ));
        };
        for (field, value, example) in [
            ("id", def.id.is_none(), "\"baku-denies\""),
            ("by", def.by.is_none(), "\"hajizadeh\""),
            (
                "text",
                def.text.as_deref().is_none_or(|t| t.trim().is_empty()),
                "\"…\"",
            ),
        ] {
            if value && !failed {
                missing(field, example);
                ok = false;
            }
        }
        if what == "response" && def.to.is_none() && !failed {
            missing("to", "\"the-claim-it-answers\"");
            ok = false;
        }
        if what == "claim" && def.to.is_some() {
            diags.push(self.bad(
                spans[5].clone(),
                "has a `to`, which only a response has".into(),
                "make it a [[response]], or remove `to`".into(),
            ));
            ok = false;
        }
        let date = def.date.as_ref().and_then(|value| {
            EventDate::of_value(value)
                .map_err(|problem| {
                    diags.push(Diagnostic::at(
                        Kind::BadEventDate { problem },
                        self.doc.file,
                        spans[2].clone(),
                    ));
                })
                .ok()
        });
        ok &= date.is_some() || def.date.is_none();
        for (field, value, at) in [("by", &def.by, &spans[1]), ("against", &def.against, &spans[4])] {
            if let Some(key) = value.as_deref().filter(|v| is_key(v) && !keys.contains(v)) {
                let meant = did_you_mean(key, keys.iter().copied())
                    .map_or(String::new(), |s| format!("did you mean `{s}`? "));
                diags.push(self.bad(
                    at.clone(),
                    format!("names `{key}` in `{field}`, which is no key of the glossary"),
                    format!("{meant}A name with capitals or spaces (`Gérald Darmanin`) is shown as written"),
                ));
                ok = false;
            }
        }
        if let Some(to) = def
            .to
            .as_deref()
            .filter(|to| what == "response" && !claims.iter().any(|c| c == to))
        {
            let hint = did_you_mean(to, claims.iter().map(String::as_str)).map_or_else(
                || "name a claim's `id`".to_string(),
                |s| format!("did you mean `{s}`?"),
            );
            diags.push(self.bad(
                spans[5].clone(),
                format!("answers `{to}`, which is no claim's id"),
                hint,
            ));
            ok = false;
        }
        let id = def.id.clone().unwrap_or_default();
        if !id.is_empty() && !ids.insert(format!("{what}-{id}")) {
            diags.push(self.bad(
                spans[0].clone(),
                format!("has the id `{id}`, which another [[{what}]] has"),
                format!("give one of the {what}s another `id`"),
            ));
            ok = false;
        }
        if !ok {
            return None;
        }
        let text = def.text.unwrap_or_default();
        let text_at = description_at(self.doc.text, text_span, &text, &self.header);
        Some(Statement {
            id,
            by: def.by.unwrap_or_default(),
            date,
            text,
            text_at,
            quote: def.quote,
            against: def.against,
            tags: def.tags,
            to: def.to,
        })
    }
}
