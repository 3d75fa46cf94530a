//! The site's glossary, a who's who: people, organisations, places and terms read from
//! `content/glossary.toml`. Pages' first mention of each entry (by name or alias) links to its
//! card; a `{{ glossary() }}` block lists every entry. Mentions are found with one Aho–Corasick
//! automaton over every name, so finding them costs one pass over a page's text however large
//! the glossary.

use std::collections::BTreeMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use serde::Deserialize;

use crate::base::diag::{did_you_mean, Diagnostic, Diagnostics, FileId, Files, Kind};
use crate::base::tomldoc::{key_span, read_data, value_span, SpannedFields, TomlDoc};
use crate::data::timeline::DescriptionAt;

/// What an entry is, as schema.org types it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum EntryKind {
    Person,
    Organisation,
    Place,
    Term,
}

/// The kinds, as `kind = "…"` names them.
pub(crate) const KINDS: [&str; 4] = ["person", "organisation", "place", "term"];

impl EntryKind {
    fn named(name: &str) -> Option<EntryKind> {
        Some(match name {
            "person" => EntryKind::Person,
            "organisation" | "organization" => EntryKind::Organisation,
            "place" => EntryKind::Place,
            "term" => EntryKind::Term,
            _ => return None,
        })
    }

    /// Its name in glossary.toml (`kind = "person"`), which also names its group's heading in
    /// the theme's words (`glossary_person`).
    pub(crate) fn key(self) -> &'static str {
        match self {
            EntryKind::Person => "person",
            EntryKind::Organisation => "organisation",
            EntryKind::Place => "place",
            EntryKind::Term => "term",
        }
    }

    /// The schema.org type.
    pub(crate) fn schema(self) -> &'static str {
        match self {
            EntryKind::Person => "Person",
            EntryKind::Organisation => "Organization",
            EntryKind::Place => "Place",
            EntryKind::Term => "DefinedTerm",
        }
    }
}

/// One entry.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    /// Its key in glossary.toml, which `glossary:key` links name.
    pub key: String,
    pub kind: EntryKind,
    pub name: String,
    pub aliases: Vec<String>,
    /// Markdown; links in it are relative to content/.
    pub description: String,
    pub description_at: DescriptionAt,
    /// A page that covers it (relative to content/), and where that is written.
    pub page: Option<(String, Range<usize>)>,
    /// Where its key is, for warnings about it.
    pub span: Range<usize>,
}

/// An entry as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryDef {
    kind: Option<String>,
    name: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    description: Option<String>,
    page: Option<String>,
}

/// The glossary: its file (if the site has one), its entries in file order, and the automaton
/// that finds their names in text.
#[derive(Debug, Default)]
pub(crate) struct Glossary {
    pub file: Option<FileId>,
    pub entries: Vec<Entry>,
    /// Every name and alias; each pattern's entry in `owner`.
    finder: Option<AhoCorasick>,
    owner: Vec<usize>,
}

/// A mention found in text: the entry, and where in the text.
pub(crate) struct Mention {
    pub entry: usize,
    pub range: Range<usize>,
}

impl Glossary {
    /// The entry with this key.
    pub(crate) fn get(&self, key: &str) -> Option<usize> {
        self.entries.iter().position(|e| e.key == key)
    }

    /// The closest key to a mistyped one.
    pub(crate) fn suggest(&self, key: &str) -> Option<String> {
        did_you_mean(key, self.entries.iter().map(|e| e.key.as_str()))
    }

    /// Every whole-word mention of a name or alias in `text`, the longest where they overlap,
    /// left to right. Case counts: "Place" is not "place".
    pub(crate) fn mentions<'t>(&'t self, text: &'t str) -> impl Iterator<Item = Mention> + 't {
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        self.finder
            .iter()
            .flat_map(move |finder| finder.find_iter(text))
            .filter(move |m| {
                !word(text[..m.start()].chars().next_back()) && !word(text[m.end()..].chars().next())
            })
            .map(|m| Mention {
                entry: self.owner[m.pattern().as_usize()],
                range: m.range(),
            })
    }
}

/// Reads the glossary file (None: the site has none). Every bad field is reported where it is;
/// an entry without a name or with an unknown kind is left out.
pub(crate) fn load(files: &Files, file: Option<FileId>, diags: &mut Diagnostics) -> Glossary {
    let Some(file) = file else {
        return Glossary::default();
    };
    type Entries = BTreeMap<toml::Spanned<String>, toml::Spanned<SpannedFields>>;
    let Some((doc, table)) = read_data::<Entries>(files, file, "the glossary", diags) else {
        return Glossary {
            file: Some(file),
            ..Glossary::default()
        };
    };
    let text = doc.text;
    let entry_doc = TomlDoc {
        what: "a glossary entry",
        ..doc
    };
    let mut entries = Vec::new();
    for (key, value) in table {
        let key_range = key.span();
        let extent = crate::data::cite::entry_extent(text, key_range.start, value.span().end);
        let key = key.into_inner();
        let fields = value.into_inner();
        let [description_span, page_span] = ["description", "page"].map(|k| value_span(&fields, k));
        let (def, problems) = entry_doc.fields::<EntryDef>(fields);
        let failed = !problems.is_empty();
        diags.extend(problems);
        let def = def.unwrap_or_default();
        let missing = |field: &'static str, diags: &mut Diagnostics| {
            if !failed {
                diags.push(Diagnostic::at(
                    Kind::MissingEntryField {
                        key: key.clone(),
                        field,
                    },
                    file,
                    key_range.clone(),
                ));
            }
        };
        let kind = match def.kind.as_deref().map(|k| (k, EntryKind::named(k))) {
            None => {
                missing("kind", diags);
                continue;
            }
            Some((_, Some(k))) => k,
            Some((name, None)) => {
                diags.push(Diagnostic::at(
                    Kind::NotAnEntryType {
                        suggestion: did_you_mean(name, KINDS.iter().copied()),
                        name: name.to_string(),
                        known: &KINDS,
                    },
                    file,
                    key_span(text, &extent, "kind"),
                ));
                continue;
            }
        };
        let Some(name) = def.name.filter(|n| !n.trim().is_empty()) else {
            missing("name", diags);
            continue;
        };
        let description = def.description.unwrap_or_default();
        let description_at =
            crate::data::timeline::description_at(text, description_span, &description, &key_range);
        entries.push(Entry {
            key,
            kind,
            name,
            aliases: def.aliases.into_iter().filter(|a| !a.trim().is_empty()).collect(),
            description,
            description_at,
            page: def.page.zip(page_span),
            span: key_range,
        });
    }
    let mut patterns: Vec<&str> = Vec::new();
    let mut owner = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        for name in std::iter::once(&e.name).chain(&e.aliases) {
            patterns.push(name);
            owner.push(i);
        }
    }
    // A DFA: a glossary is small, and every page's text goes through it.
    let finder = AhoCorasick::builder()
        .kind(Some(AhoCorasickKind::DFA))
        .match_kind(MatchKind::LeftmostLongest)
        .build(&patterns)
        .ok();
    Glossary {
        file: Some(file),
        entries,
        finder,
        owner,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glossary(text: &str) -> Glossary {
        let mut files = Files::default();
        let id = files.add(crate::data::DataKind::Glossary.path(), text);
        let mut d = Diagnostics::default();
        let g = load(&files, Some(id), &mut d);
        assert!(d.items().is_empty(), "{:?}", d.items());
        g
    }

    #[test]
    fn mentions_are_whole_words_longest_first_and_case_aware() {
        let g = glossary(
            "[nc]\nkind = \"place\"\nname = \"New Caledonia\"\n\n[new]\nkind = \"term\"\nname = \"New\"\n\n[kanak]\nkind = \"term\"\nname = \"Kanak\"\naliases = [\"Kanaks\"]\n",
        );
        fn found<'t>(g: &Glossary, t: &'t str) -> Vec<(String, &'t str)> {
            g.mentions(t)
                .map(|m| (g.entries[m.entry].key.clone(), &t[m.range]))
                .collect()
        }
        assert_eq!(
            found(&g, "New Caledonia's Kanaks, not Kanakish, nor kanak. New."),
            [
                ("nc".to_string(), "New Caledonia"),
                ("kanak".to_string(), "Kanaks"),
                ("new".to_string(), "New")
            ]
        );
    }
}
