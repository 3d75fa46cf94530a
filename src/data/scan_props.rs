//! Property tests: bibliographies and styles built with random references and nesting. Every loop
//! and runaway depth is found, and whatever the scans let through is read (and a style run) by the
//! real parsers on a thread of the program's stack size without overflowing.
use proptest::prelude::*;

/// Does following `edges` from some node come back to it?
fn has_cycle(edges: &[Vec<usize>]) -> bool {
    fn visit(n: usize, edges: &[Vec<usize>], state: &mut [u8]) -> bool {
        state[n] = 1;
        for &m in &edges[n] {
            if state[m] == 1 || (state[m] == 0 && visit(m, edges, state)) {
                return true;
            }
        }
        state[n] = 2;
        false
    }
    let mut state = vec![0; edges.len()];
    (0..edges.len()).any(|n| state[n] == 0 && visit(n, edges, &mut state))
}

/// Runs `f` as the program runs its work: on a thread of [`crate::base::guard::WORK_STACK`].
fn on_work_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(crate::base::guard::WORK_STACK)
        .spawn(f)
        .expect("thread")
        .join()
        .expect("no panic");
}

fn bib(crossrefs: &[Option<usize>], strings: &[Vec<usize>], braces: usize) -> String {
    let mut text = String::new();
    for (i, uses) in strings.iter().enumerate() {
        let mut value = vec![format!("\"s{i}\"")];
        value.extend(uses.iter().map(|u| format!("str{u}")));
        text.push_str(&format!("@string{{str{i} = {}}}\n", value.join(" # ")));
    }
    for (i, parent) in crossrefs.iter().enumerate() {
        let title = format!("{}T{}", "{".repeat(braces), "}".repeat(braces));
        let note = if strings.is_empty() {
            "\"n\"".to_string()
        } else {
            format!("str{}", i % strings.len())
        };
        text.push_str(&format!(
            "@book{{k{i}, title = {title}, author = {{Doe, Jane}}, year = 2020, note = {note}"
        ));
        if let Some(p) = parent {
            text.push_str(&format!(", crossref = {{k{p}}}"));
        }
        text.push_str("}\n");
    }
    text
}

fn entries() -> impl Strategy<Value = (Vec<Option<usize>>, Vec<Vec<usize>>, usize)> {
    (1usize..8, 0usize..5, 0usize..80).prop_flat_map(|(n, m, braces)| {
        (
            proptest::collection::vec(proptest::option::of(0..n), n),
            proptest::collection::vec(proptest::collection::vec(0..m.max(1), 0..3), m),
            Just(braces),
        )
    })
}

fn style(macros: &[(usize, Vec<usize>)], layout: usize, calls: usize) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<style xmlns=\"http://purl.org/net/xbiblio/csl\" class=\"note\" version=\"1.0\">\n<info><title>T</title><id>t</id><updated>2026-01-01T00:00:00+00:00</updated></info>\n");
    for (i, (depth, called)) in macros.iter().enumerate() {
        let inner: String = called
            .iter()
            .map(|c| format!("<text macro=\"m{c}\"/>"))
            .chain(["<text variable=\"title\"/>".to_string()])
            .collect();
        xml.push_str(&format!(
            "<macro name=\"m{i}\">{}{inner}{}</macro>\n",
            "<group>".repeat(*depth),
            "</group>".repeat(*depth)
        ));
    }
    xml.push_str(&format!(
        "<citation><layout>{}<text macro=\"m{}\"/>{}</layout></citation>\n</style>\n",
        "<group>".repeat(layout),
        calls % macros.len(),
        "</group>".repeat(layout)
    ));
    xml
}

fn macros() -> impl Strategy<Value = Vec<(usize, Vec<usize>)>> {
    (1usize..7)
        .prop_flat_map(|n| proptest::collection::vec((0usize..30, proptest::collection::vec(0..n, 0..3)), n))
}

fn render(xml: String) {
    use hayagriva::citationberg::Style;
    use hayagriva::{BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest};
    on_work_stack(move || {
        let Ok(Style::Independent(style)) = Style::from_xml(&xml) else {
            return;
        };
        let lib =
            hayagriva::io::from_biblatex_str("@book{a, title = {T}, author = {Doe, Jane}, year = 2020}")
                .expect("entry");
        let entry = lib.iter().next().expect("one");
        let locales = hayagriva::archive::locales();
        let mut driver = BibliographyDriver::new();
        driver.citation(CitationRequest::from_items(
            vec![CitationItem::with_entry(entry)],
            &style,
            &locales,
        ));
        driver.finish(BibliographyRequest::new(&style, None, &locales));
    });
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_bib_loop_is_found_and_the_rest_parses((crossrefs, strings, braces) in entries()) {
        let text = bib(&crossrefs, &strings, braces);
        let (_, problems) = crate::data::bibscan::scan(&text);
        let parents: Vec<Vec<usize>> = crossrefs.iter().map(|p| p.iter().copied().collect()).collect();
        let looping = has_cycle(&parents) || has_cycle(&strings);
        let deep = braces > crate::data::bibscan::MAX_BRACES;
        prop_assert_eq!(!problems.is_empty(), looping || deep, "{}\n{:?}", text, problems);
        if problems.is_empty() {
            on_work_stack(move || drop(hayagriva::io::from_biblatex_str(&text)));
        }
    }

    #[test]
    fn a_crossref_chain_is_followed_up_to_its_limit(len in 1usize..60) {
        let crossrefs: Vec<Option<usize>> = (0..len).map(|i| (i + 1 < len).then_some(i + 1)).collect();
        let text = bib(&crossrefs, &[], 1);
        let (_, problems) = crate::data::bibscan::scan(&text);
        prop_assert_eq!(problems.is_empty(), len <= crate::base::loops::MAX_CHAIN + 1, "{:?}", problems);
        if problems.is_empty() {
            on_work_stack(move || drop(hayagriva::io::from_biblatex_str(&text)));
        }
    }

    #[test]
    fn every_csl_loop_is_found_and_what_passes_renders(macros in macros(), layout in 0usize..70, calls in 0usize..7) {
        let xml = style(&macros, layout, calls);
        let checked = crate::data::cslscan::check(&xml);
        let edges: Vec<Vec<usize>> = macros.iter().map(|(_, c)| c.clone()).collect();
        if has_cycle(&edges) {
            prop_assert!(checked.is_err(), "{}", xml);
        }
        if layout + 4 > crate::data::cslscan::MAX_DEPTH {
            prop_assert!(checked.is_err(), "{}", xml);
        }
        if checked.is_ok() {
            render(xml);
        }
    }
}
