//! The layers of `src/` (ARCHITECTURE.md, "Layers"): a file imports only from its own layer and
//! the layers below it, and no import cycle runs between files of different folders. Read from
//! the source text, so that an upward `use` fails `cargo test` where it is written. A module of
//! unit tests in a file of its own (`tests.rs`) may use every layer to set up what it tests, as
//! an integration test does.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers from the bottom up: the first folder under `src/` of every file.
const LAYERS: &[&str] = &["base", "project", "data", "page", "graph", "output", "driver"];

/// A source file: its path under `src/`, its module path and the folder it belongs to (a module
/// file `x.rs` belongs with its child folder `x/`).
struct Unit {
    module: Vec<String>,
    folder: String,
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("src/ is readable")
        .flatten()
        .collect();
    entries.sort_by_key(std::fs::DirEntry::path);
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn unit(src: &Path, file: &Path) -> Unit {
    let rel = file.strip_prefix(src).expect("under src/");
    let mut module: Vec<String> = rel.iter().map(|s| s.to_string_lossy().into_owned()).collect();
    let last = module.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    let folder = if src.join(rel.with_extension("")).is_dir() {
        rel.with_extension("").to_string_lossy().into_owned()
    } else {
        rel.parent()
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    if !matches!(stem, "mod" | "lib" | "main") {
        module.push(stem.to_string());
    }
    Unit { module, folder }
}

/// The text without comments (a `//` comment to its line's end; strings hold no `crate::`).
fn code(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn ident(b: &[u8], mut i: usize) -> (String, usize) {
    let start = i;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
        i += 1;
    }
    (String::from_utf8_lossy(&b[start..i]).into_owned(), i)
}

/// Every path of a `crate::`/`super::`/`self::` reference starting at `i`, use-groups expanded.
fn paths(b: &[u8], mut i: usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) -> usize {
    let mut path = prefix;
    loop {
        if b.get(i) == Some(&b'{') {
            i += 1;
            loop {
                while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b',') {
                    i += 1;
                }
                if i >= b.len() || b[i] == b'}' {
                    return i + 1;
                }
                i = paths(b, i, path.clone(), out);
            }
        }
        let (seg, j) = ident(b, i);
        if seg.is_empty() {
            out.push(path);
            return i.max(j) + usize::from(i == j);
        }
        path.push(seg);
        i = j;
        if b[i..].starts_with(b"::") {
            i += 2;
        } else {
            out.push(path);
            return i;
        }
    }
}

/// The module paths a file refers to, made absolute.
fn references(text: &str, module: &[String]) -> Vec<Vec<String>> {
    let text = code(text);
    let b = text.as_bytes();
    let mut out = Vec::new();
    for start in ["crate::", "super::", "self::"] {
        for (i, _) in text.match_indices(start) {
            if i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_' || b[i - 1] == b':') {
                continue;
            }
            let mut found = Vec::new();
            paths(b, i, Vec::new(), &mut found);
            for p in found {
                let mut abs: Vec<String> = Vec::new();
                let mut rest = p.as_slice();
                match rest.first().map(String::as_str) {
                    Some("crate") => rest = &rest[1..],
                    _ => {
                        abs = module.to_vec();
                        while let Some(s) = rest.first().map(String::as_str) {
                            match s {
                                "super" => drop(abs.pop()),
                                "self" => {}
                                _ => break,
                            }
                            rest = &rest[1..];
                        }
                    }
                }
                abs.extend(rest.iter().cloned());
                out.push(abs);
            }
        }
    }
    out
}

fn layer(module: &[String]) -> Option<usize> {
    LAYERS
        .iter()
        .position(|l| module.first().map(String::as_str) == Some(*l))
}

/// Files in a cycle with a file of another folder (Tarjan's strongly connected components).
fn cycles(edges: &BTreeMap<usize, BTreeSet<usize>>, n: usize) -> Vec<Vec<usize>> {
    struct T<'a> {
        edges: &'a BTreeMap<usize, BTreeSet<usize>>,
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        out: Vec<Vec<usize>>,
    }
    fn visit(t: &mut T, v: usize) {
        t.index[v] = Some(t.next);
        t.low[v] = t.next;
        t.next += 1;
        t.stack.push(v);
        t.on[v] = true;
        for &w in t.edges.get(&v).into_iter().flatten() {
            match t.index[w] {
                None => {
                    visit(t, w);
                    t.low[v] = t.low[v].min(t.low[w]);
                }
                Some(i) if t.on[w] => t.low[v] = t.low[v].min(i),
                _ => {}
            }
        }
        if Some(t.low[v]) == t.index[v] {
            let mut scc = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on[w] = false;
                scc.push(w);
                if w == v {
                    break;
                }
            }
            if scc.len() > 1 {
                t.out.push(scc);
            }
        }
    }
    let mut t = T {
        edges,
        index: vec![None; n],
        low: vec![0; n],
        on: vec![false; n],
        stack: vec![],
        next: 0,
        out: vec![],
    };
    for v in 0..n {
        if t.index[v].is_none() {
            visit(&mut t, v);
        }
    }
    t.out
}

/// Every upward import and every cycle across folders in the tree at `src`, one line each.
fn problems(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    sources(src, &mut files);
    let units: Vec<Unit> = files.iter().map(|f| unit(src, f)).collect();
    let by_module: BTreeMap<&[String], usize> = units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.module.as_slice(), i))
        .collect();
    let name = |i: usize| {
        files[i]
            .strip_prefix(src)
            .expect("under src/")
            .display()
            .to_string()
    };
    let mut out = Vec::new();
    let mut edges: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for (i, file) in files.iter().enumerate() {
        if file.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(file).expect("a source file is UTF-8");
        let from = layer(&units[i].module);
        for path in references(&text, &units[i].module) {
            let Some(target) = (0..=path.len())
                .rev()
                .find_map(|k| by_module.get(&path[..k]).copied())
            else {
                continue;
            };
            if target == i || units[target].module.is_empty() {
                continue;
            }
            edges.entry(i).or_default().insert(target);
            if let (Some(f), Some(t)) = (from, layer(&path)) {
                if t > f {
                    out.push(format!(
                        "src/{} ({}) imports crate::{} from the layer above it ({})",
                        name(i),
                        LAYERS[f],
                        path.join("::"),
                        LAYERS[t]
                    ));
                }
            }
        }
    }
    for scc in cycles(&edges, files.len()) {
        let folders: BTreeSet<&str> = scc.iter().map(|&i| units[i].folder.as_str()).collect();
        if folders.len() > 1 {
            let mut names: Vec<String> = scc.iter().map(|&i| format!("src/{}", name(i))).collect();
            names.sort();
            out.push(format!(
                "an import cycle runs across folders: {}",
                names.join(", ")
            ));
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn every_file_is_in_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let outside: Vec<String> = files
        .iter()
        .map(|f| unit(&src, f))
        .filter(|u| !u.module.is_empty() && layer(&u.module).is_none())
        .map(|u| u.module.join("::"))
        .collect();
    assert!(
        outside.is_empty(),
        "modules outside the layers {LAYERS:?}: {outside:?}"
    );
}

#[test]
fn imports_point_down_and_cycles_stay_in_a_folder() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let problems = problems(&src);
    assert!(
        problems.is_empty(),
        "{} layer problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The test can fail: an upward import and a cycle across folders in a small tree are found.
#[test]
fn an_upward_import_and_a_cycle_fail() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let src = dir.path();
    for (path, text) in [
        ("lib.rs", "pub mod base;\npub mod driver;\n"),
        ("base/mod.rs", "pub mod files;\npub mod diag;\n"),
        (
            "base/files.rs",
            "use crate::driver::cli::Cli; // upward\nuse crate::base::diag::D;\n",
        ),
        ("base/diag/mod.rs", "use crate::base::files::{self, X};\n"),
        ("driver/mod.rs", "pub mod cli;\n"),
        ("driver/cli.rs", "use crate::base::{diag::D, files};\n"),
    ] {
        let p = src.join(path);
        std::fs::create_dir_all(p.parent().expect("a parent")).expect("a folder");
        std::fs::write(p, text).expect("written");
    }
    assert_eq!(
        problems(src),
        [
            "an import cycle runs across folders: src/base/diag/mod.rs, src/base/files.rs, src/driver/cli.rs",
            "src/base/files.rs (base) imports crate::driver::cli::Cli from the layer above it (driver)",
        ]
    );
}
