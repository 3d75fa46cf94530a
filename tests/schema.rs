//! The JSON-LD kagu writes, checked against schema.org's vocabulary as schema-dts (npm) types
//! it: every item's `@type` is a schema.org type, every property is one of that type's (its own
//! or inherited), and every nested item's type is one the property takes.

use std::collections::{HashMap, HashSet};

use crate::harness::*;

/// The properties of one interface, each with the types it takes.
type Properties = HashMap<String, Vec<String>>;

/// schema.org's types and properties, read from schema-dts's `schema.d.ts`.
#[derive(Default)]
struct Vocabulary {
    /// Each `…Base` interface: the interfaces it extends, and its properties with the types
    /// each takes.
    bases: HashMap<String, (Vec<String>, Properties)>,
    /// Each type's name (`Claim`) and the interface that holds its properties (`ClaimBase`).
    types: HashMap<String, String>,
}

impl Vocabulary {
    fn read(text: &str) -> Vocabulary {
        let mut v = Vocabulary::default();
        let mut base: Option<String> = None;
        let mut leaf: Option<String> = None;
        for line in text.lines() {
            let head = line.strip_prefix("export ").unwrap_or(line);
            if let Some(rest) = head.strip_prefix("interface ") {
                let (name, extends) = match rest.split_once(" extends ") {
                    Some((n, e)) => (n, e.trim_end_matches(" {")),
                    None => (rest.trim_end_matches(" {"), ""),
                };
                let extends: Vec<String> = extends
                    .split(',')
                    .map(|e| e.trim().to_string())
                    .filter(|e| !e.is_empty())
                    .collect();
                if name.ends_with("Base") {
                    v.bases.insert(name.to_string(), (extends, HashMap::new()));
                    base = Some(name.to_string());
                } else if name.ends_with("Leaf") {
                    leaf = extends.into_iter().next();
                }
                continue;
            }
            if line.starts_with('}') {
                (base, leaf) = (None, None);
                continue;
            }
            let Some(rest) = line.trim().strip_prefix('"') else {
                continue;
            };
            let Some((name, value)) = rest.split_once('"') else {
                continue;
            };
            if name == "@type" {
                if let Some(l) = &leaf {
                    let ty = value
                        .trim_start_matches(": ")
                        .trim_end_matches(';')
                        .trim_matches('"');
                    v.types.insert(ty.to_string(), l.clone());
                }
            } else if let (Some(b), Some(range)) = (&base, value.strip_prefix("?: SchemaValue<")) {
                let range = range.split(", \"").next().unwrap_or_default();
                let takes = range.split('|').map(|t| t.trim().to_string()).collect();
                if let Some(entry) = v.bases.get_mut(b) {
                    entry.1.insert(name.to_string(), takes);
                }
            }
        }
        v
    }

    /// `base` and every interface it extends, near to far.
    fn ancestors(&self, base: &str) -> Vec<String> {
        let mut out = vec![base.to_string()];
        let mut i = 0;
        while i < out.len() {
            if let Some((extends, _)) = self.bases.get(&out[i]) {
                for e in extends {
                    if !out.contains(e) {
                        out.push(e.clone());
                    }
                }
            }
            i += 1;
        }
        out
    }

    /// The types property `prop` of type `ty` takes (None: no such property).
    fn range(&self, ty: &str, prop: &str) -> Option<&Vec<String>> {
        let base = self.types.get(ty)?;
        self.ancestors(base)
            .iter()
            .find_map(|b| self.bases.get(b).and_then(|(_, props)| props.get(prop)))
    }

    /// Is `ty` the type `wanted` or one of its subtypes?
    fn is_a(&self, ty: &str, wanted: &str) -> bool {
        let (Some(base), Some(want)) = (self.types.get(ty), self.types.get(wanted)) else {
            return false;
        };
        self.ancestors(base).contains(want)
    }

    /// The problems of one item (at `path`), whose type must be one of `takes` (any for None).
    fn check(&self, item: &serde_json::Value, path: &str, takes: Option<&[String]>, out: &mut Vec<String>) {
        let Some(object) = item.as_object() else {
            return;
        };
        let ty = object.get("@type").and_then(|t| t.as_str());
        let types: Vec<&str> = match (ty, takes) {
            (Some(t), _) if !self.types.contains_key(t) => {
                out.push(format!("{path}: `{t}` is no schema.org type"));
                return;
            }
            (Some(t), Some(takes)) if !takes.iter().any(|w| self.is_a(t, w)) => {
                out.push(format!("{path}: a `{t}` where {takes:?} is wanted"));
                return;
            }
            (Some(t), _) => vec![t],
            // An untyped node (a name, an `@id`): its properties must be one of the wanted types'.
            (None, Some(takes)) => takes.iter().map(String::as_str).collect(),
            (None, None) => {
                out.push(format!("{path}: an item without `@type`"));
                return;
            }
        };
        for (key, value) in object.iter().filter(|(k, _)| !k.starts_with('@')) {
            let Some(range) = types.iter().find_map(|t| self.range(t, key)) else {
                out.push(format!("{path}: `{key}` is no property of {types:?}"));
                continue;
            };
            let values = value.as_array().cloned().unwrap_or_else(|| vec![value.clone()]);
            for v in values.iter().filter(|v| v.is_object()) {
                self.check(v, &format!("{path}.{key}"), Some(range), out);
            }
        }
    }
}

/// The JSON-LD items of every page under `dir`, each with its page and place.
fn items(dir: &std::path::Path) -> Vec<(String, serde_json::Value)> {
    let mut out = Vec::new();
    for (rel, bytes) in tree(dir).into_iter().filter(|(r, _)| r.ends_with(".html")) {
        let doc = scraper::Html::parse_document(&String::from_utf8_lossy(&bytes));
        for (i, script) in select(&doc, "script[type=\"application/ld+json\"]")
            .iter()
            .enumerate()
        {
            let ld: serde_json::Value = serde_json::from_str(&script.inner_html()).expect("JSON-LD");
            assert_eq!(ld["@context"], "https://schema.org", "{rel}");
            let graph = ld.get("@graph").and_then(|g| g.as_array()).cloned();
            for (j, item) in graph.unwrap_or_else(|| vec![ld.clone()]).into_iter().enumerate() {
                out.push((format!("{rel} #{i}.{j}"), item));
            }
        }
    }
    out
}

#[test]
#[ignore = "needs schema-dts"]
fn every_json_ld_item_is_typed_as_schema_org_types_it() {
    let path = std::env::var("KAGU_SCHEMA_DTS").unwrap_or_else(|_| {
        panic!("set KAGU_SCHEMA_DTS to schema-dts's dist/schema.d.ts (npm install schema-dts); .ci/run does this")
    });
    let vocabulary = Vocabulary::read(&std::fs::read_to_string(path).expect("schema.d.ts"));
    // The reader itself: a known type's own, inherited and missing properties.
    assert!(vocabulary.range("Claim", "appearance").is_some());
    assert!(vocabulary.range("Claim", "author").is_some());
    assert!(vocabulary.range("Claim", "parentItem").is_none());
    assert!(vocabulary.is_a("NewsArticle", "CreativeWork") && !vocabulary.is_a("Person", "CreativeWork"));

    let (bundled, run) = build_bundled();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let fixture = tempfile::tempdir().expect("temp");
    let out = fixture.path().to_str().expect("utf-8").to_string();
    let stress = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/stress");
    let run = kagu(&["build", "--root", stress, "--output-dir", &out]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut seen = HashSet::new();
    let mut problems = Vec::new();
    for dir in [bundled.path(), fixture.path()] {
        for (at, item) in items(dir) {
            seen.extend(item["@type"].as_str().map(str::to_string));
            vocabulary.check(&item, &at, None, &mut problems);
        }
    }
    assert_eq!(problems, Vec::<String>::new());
    // What the check covered: the article, the claims and responses, corrections, the timeline
    // and the glossary's people, places and organisations.
    for ty in [
        "Article",
        "Claim",
        "Comment",
        "Event",
        "Person",
        "Place",
        "DefinedTerm",
    ] {
        assert!(seen.contains(ty), "no {ty} in {seen:?}");
    }
}
