//! Loops and runaway chains in a graph of named references (BibLaTeX `crossref`s and
//! `@string`s, CSL macros): found before anything follows them by recursion.

use std::collections::HashMap;
use std::ops::Range;

/// How many references a chain may pass through.
pub(crate) const MAX_CHAIN: usize = 32;

/// A problem found in a file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub span: Range<usize>,
    pub message: String,
}

/// Follows `next` from every node: the first loop, or a chain longer than [`MAX_CHAIN`], that
/// starts at a node is reported there, once per node that starts one.
pub(crate) fn chains<'a>(
    nodes: &[(&'a str, Range<usize>)],
    next: impl Fn(&str) -> Vec<&'a str>,
    (what, whats): (&str, &str),
) -> Vec<Problem> {
    let spans: HashMap<&str, Range<usize>> = nodes.iter().rev().cloned().collect();
    let mut problems = Vec::new();
    // 0 unseen, 1 on the current path, 2 done (no loop below it), with its depth.
    let mut state: HashMap<&str, (u8, usize)> = HashMap::new();
    for &(start, ref span) in nodes {
        if state.contains_key(start) {
            continue;
        }
        let mut path: Vec<(&str, Vec<&str>)> = vec![(start, next(start))];
        state.insert(start, (1, 0));
        let mut reported = false;
        while let Some((node, rest)) = path.last_mut() {
            let node = *node;
            let Some(n) = rest.pop() else {
                let below = next(node)
                    .iter()
                    .filter_map(|n| state.get(n).map(|s| s.1 + 1))
                    .max()
                    .unwrap_or(0);
                state.insert(node, (2, below));
                path.pop();
                continue;
            };
            if !spans.contains_key(n) {
                continue;
            }
            let seen = state.get(n).copied();
            let too_long = match seen {
                Some((2, depth)) => depth + path.len() > MAX_CHAIN,
                None => path.len() > MAX_CHAIN,
                _ => false,
            };
            match seen {
                Some((1, _)) if !reported => {
                    let from = path.iter().position(|(p, _)| *p == n).unwrap_or(0);
                    let mut names: Vec<&str> = path[from..].iter().map(|(p, _)| *p).collect();
                    names.push(n);
                    problems.push(Problem {
                        span: spans.get(names[0]).cloned().unwrap_or_else(|| span.clone()),
                        message: if names.len() == 2 {
                            format!("{what} `{n}` refers to itself")
                        } else {
                            format!("{whats} refer to each other in a loop: {}", names.join(" → "))
                        },
                    });
                    reported = true;
                }
                _ if too_long => {
                    if !reported {
                        problems.push(Problem {
                            span: span.clone(),
                            message: format!(
                                "{what} `{start}` starts a chain of references more than {MAX_CHAIN} long"
                            ),
                        });
                    }
                    reported = true;
                }
                None => {
                    state.insert(n, (1, 0));
                    path.push((n, next(n)));
                }
                _ => {}
            }
        }
    }
    problems
}
