//! What an edit affects: pure functions over the last site graph and the new one, so the dev
//! server re-renders only the pages whose HTML can change.

use std::collections::BTreeSet;

use crate::graph::resolve::{PageId, SiteGraph};

/// Is `name` a template that pages name directly (so only those pages use it)?
pub fn is_page_template(name: &str, graph: &SiteGraph) -> bool {
    ["page.html", "section.html", "index.html"].contains(&name)
        || graph
            .pages
            .iter()
            .any(|p| p.parsed.meta.template.as_deref() == Some(name))
}

/// The other pages that show a page's title or description: its neighbours in the reading
/// order, its parent and children, the pages it links to (their "Referenced in" lists) and
/// those that link to it. None when every page does (the home page and top-level sections are
/// in every page's sections list).
pub fn showing_title(g: &SiteGraph, id: PageId) -> Option<BTreeSet<PageId>> {
    let page = g.page(id);
    if page.parent.is_none() || page.parent == Some(g.home) {
        return None;
    }
    let mut out: BTreeSet<PageId> = page
        .prev
        .into_iter()
        .chain(page.next)
        .chain(page.parent)
        .chain(page.children.iter().copied())
        .chain(g.backlinks_of(id).iter().map(|b| b.from))
        .collect();
    out.extend(g.linked_from(id));
    Some(out)
}

/// The pages of `new` whose HTML an edit of `changed` (and of these templates or the sources) can
/// change: every page when the reading order or a top-level title moved; otherwise the edited
/// pages, the pages that show their titles (neighbours, parent, children, backlinks), and the
/// targets of links added or removed. The flag says whether the sources page changes too.
pub fn affected(
    old: &SiteGraph,
    new: &SiteGraph,
    changed: &BTreeSet<String>,
    templates: &BTreeSet<String>,
    sources: bool,
) -> (BTreeSet<PageId>, bool) {
    let all: BTreeSet<PageId> = new.ids().collect();
    let all = (all, true);
    let same_order = old.order.len() == new.order.len()
        && old.order.iter().zip(&new.order).all(|(&a, &b)| {
            let (pa, pb) = (old.page(a), new.page(b));
            pa.parsed.rel == pb.parsed.rel && pa.path == pb.path
        });
    if !same_order {
        return all;
    }
    let find = |g: &SiteGraph, rel: &str| g.find(rel);
    let mut out = BTreeSet::new();
    let mut sources_page = sources;
    let cites = |g: &SiteGraph, id: PageId| -> Vec<(String, crate::page::markdown::Anchor)> {
        g.cites_of(id).map(|c| (c.key.to_string(), c.anchor)).collect()
    };
    let targets = |g: &SiteGraph, id: PageId| -> BTreeSet<String> {
        g.linked_from(id)
            .into_iter()
            .map(|t| g.page(t).parsed.rel.to_string())
            .collect()
    };
    for rel in changed {
        let (Some(o), Some(n)) = (find(old, rel), find(new, rel)) else {
            continue;
        };
        out.insert(n);
        let (om, nm) = (&old.page(o).parsed.meta, &new.page(n).parsed.meta);
        sources_page |= om.title != nm.title || cites(old, o) != cites(new, n);
        if om.title != nm.title || om.description != nm.description {
            match showing_title(new, n) {
                Some(pages) => out.extend(pages),
                None => return all,
            }
        }
        if old.terms_of(o) != new.terms_of(n) {
            // What the page mentions shows on the glossary's page.
            out.extend(new.ids().filter(|&id| !new.listed_of(id).is_empty()));
        }
        let ids =
            |refs: &[crate::page::markdown::ClaimRef]| refs.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
        if ids(old.claim_refs_of(o)) != ids(new.claim_refs_of(n)) {
            // The pages that show claims list the pages that link to them.
            out.extend(new.ids().filter(|&id| !new.claims_of(id).is_empty()));
        }
        if old.claims_of(o) != new.claims_of(n) {
            // Links to a claim lead to the first page that shows it.
            out.extend(new.ids().filter(|&id| !new.claim_refs_of(id).is_empty()));
        }
        let (before, after) = (targets(old, o), targets(new, n));
        if old
            .page(o)
            .parsed
            .links_under_headings()
            .eq(new.page(n).parsed.links_under_headings())
        {
            for t in before.symmetric_difference(&after) {
                out.extend(find(new, t));
            }
        } else {
            // A link moved under another heading: its targets' "Referenced in" lists change.
            for t in before.union(&after) {
                out.extend(find(new, t));
            }
        }
    }
    for id in new.ids() {
        let p = new.page(id);
        let uses_template = p
            .parsed
            .meta
            .template
            .as_ref()
            .is_some_and(|t| templates.contains(t))
            || (p.parsed.meta.template.is_none()
                && templates.iter().any(|t| match t.as_str() {
                    "index.html" => id == new.home,
                    "section.html" => p.parsed.is_section && id != new.home,
                    "page.html" => !p.parsed.is_section,
                    _ => false,
                }));
        let cites_any = sources && !new.citations_of(id).is_empty();
        if uses_template || cites_any {
            out.insert(id);
        }
    }
    (out, sources_page)
}
