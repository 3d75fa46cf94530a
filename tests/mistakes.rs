//! A writer's mistakes: each reported once, at its cause, all in one run, with no follow-on
//! errors; nothing broken passes in silence; links and images to files are checked and copied.

use crate::harness::*;

const SOURCES: &str = "[k]\ntitle = \"K\"\ndate = \"May 2024\"\n\n[j]\ntitle = \"J\"\n";

#[test]
fn five_mistakes_are_five_diagnostics() {
    let s = Site::new()
        .file("kagu.toml", &format!("{CONFIG}titel = \"x\"\n"))
        .file("content/sources.toml", SOURCES)
        .file(
            "content/a.md",
            &page("A", "weight = \"first\"\n", "## Part\n\nCites [@k] and [@j]."),
        )
        .file(
            "content/b.md",
            &page(
                "B",
                "",
                "See [a](a.md#part), [gone](missing.md) and [^x]. Cites [@k].",
            ),
        );
    fails_with(
        &s,
        r#"error[E002]: unknown key `titel` in kagu.toml
  ┌─ kagu.toml:3:1
  │
3 │ titel = "x"
  │ ^^^^^
  │
  = hint: did you mean `title`?

error[E007]: `date` is not a valid date: `May 2024` is not a date kagu can read; write 2024-05-13, 2024-05 or 2024
  ┌─ content/sources.toml:3:1
  │
3 │ date = "May 2024"
  │ ^^^^^^^^^^^^^^^^^
  │
  = hint: write a TOML date without quotes, e.g. `date = 2024-05-13`

error[E003]: bad value for `weight`: invalid type: string "first", expected i64
  ┌─ content/a.md:3:10
  │
3 │ weight = "first"
  │          ^^^^^^^

error[E040]: broken link: `missing.md` does not exist
  ┌─ content/b.md:5:21
  │
5 │ See [a](a.md#part), [gone](missing.md) and [^x]. Cites [@k].
  │                     ^^^^^^^^^^^^^^^^^^
  │
  = hint: link to a .md file under content/, relative to this file

error[E042]: footnote `[^x]` has no definition
  ┌─ content/b.md:5:44
  │
5 │ See [a](a.md#part), [gone](missing.md) and [^x]. Cites [@k].
  │                                            ^^^^
  │
  = hint: add a line `[^x]: …` with the note's text, or remove the marker"#,
    );
}

#[test]
fn every_unknown_key_is_reported_in_one_run_and_the_rest_of_the_config_loads() {
    let s = Site::new()
        .file(
            "kagu.toml",
            &format!("{CONFIG}titel = \"x\"\nbibliography = [\"refs.bib\"]\nbaseURL = \"y\"\n"),
        )
        .file(
            "refs.bib",
            "@book{fresh,\n  title = {A Book},\n  author = {Roe, Rita},\n  year = {2021},\n}\n",
        )
        .file(
            "content/a.md",
            &page("A", "subtitle = \"S\"\nlede = \"L\"\n", "Cites [@fresh]."),
        );
    let r = s.build();
    assert_eq!(r.code, 1);
    let d = diagnostics(&r);
    assert_eq!(d.matches("error[").count(), 4, "{d}");
    assert!(d.contains("unknown key `titel` in kagu.toml"));
    assert!(d.contains("unknown key `baseURL` in kagu.toml"));
    assert!(d.contains("= hint: did you mean `base_url`?"));
    assert!(d.contains("unknown key `subtitle` in front matter"));
    assert!(d.contains("= hint: did you mean `description`?"));
    assert!(d.contains("unknown key `lede` in front matter"));
    // The bibliography named after the bad key still loaded: no E030 for @fresh.
    assert!(!d.contains("E030"), "{d}");
}

#[test]
fn a_page_whose_front_matter_cannot_be_read_still_answers_links() {
    let s = Site::new()
        .file("content/sources.toml", "[k]\ntitle = \"K\"\n")
        .file(
            "content/a.md",
            "+++\ntitle = \"A\n+++\n\n## Part\n\nCites [@k].\n",
        )
        .file("content/b.md", &page("B", "", "See [a](a.md)."));
    let r = s.build();
    let d = diagnostics(&r);
    assert_eq!(
        d.matches("error[").count() + d.matches("warning[").count(),
        1,
        "{d}"
    );
    assert!(d.starts_with("error[E001]: invalid TOML in front matter"), "{d}");
}

#[test]
fn footnotes_without_definition_or_reference() {
    let s = Site::new().file(
        "content/a.md",
        &page(
            "A",
            "",
            "Text.[^used] More `[^code]` and \\[^escaped].\n\n[^used]: Yes.\n\n[^spare]: Never used.",
        ),
    );
    let r = s.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        diagnostics(&r),
        r#"warning[W002]: footnote `[^spare]` is defined but never referenced
  ┌─ content/a.md:9:1
  │
9 │ [^spare]: Never used.
  │ ^^^^^^^^^
  │
  = hint: refer to it with `[^spare]` in the text, or remove it"#
    );
}

#[test]
fn root_relative_and_malformed_page_links_are_errors_with_the_right_path() {
    let s = Site::new()
        .file("content/part/_index.md", &page("Part", "", "x"))
        .file(
            "content/part/b.md",
            &page("B", "", "[up](/part/) [home](/) [m](../a.md/) [s](/style.css#x)"),
        )
        .file("content/a.md", &page("A", "", "x"))
        .file("static/style.css", "p{}");
    fails_with(
        &s,
        r#"error[E043]: link `/part/` starts at the site root
  ┌─ content/part/b.md:5:1
  │
5 │ [up](/part/) [home](/) [m](../a.md/) [s](/style.css#x)
  │ ^^^^^^^^^^^^
  │
  = hint: write the link relative to this file, `_index.md`, so it works under any subpath

error[E043]: link `/` starts at the site root
  ┌─ content/part/b.md:5:14
  │
5 │ [up](/part/) [home](/) [m](../a.md/) [s](/style.css#x)
  │              ^^^^^^^^^
  │
  = hint: write the link relative to this file, `../_index.md`, so it works under any subpath

error[E044]: broken link: `../a.md/` is not a Markdown file's path
  ┌─ content/part/b.md:5:24
  │
5 │ [up](/part/) [home](/) [m](../a.md/) [s](/style.css#x)
  │                        ^^^^^^^^^^^^^
  │
  = hint: link to the Markdown file itself: `../a.md`

error[E043]: link `/style.css#x` starts at the site root
  ┌─ content/part/b.md:5:38
  │
5 │ [up](/part/) [home](/) [m](../a.md/) [s](/style.css#x)
  │                                      ^^^^^^^^^^^^^^^^^
  │
  = hint: write the link relative to this file, `../../static/style.css#x`, so it works under any subpath"#,
    );
}

#[test]
fn a_link_to_a_draft_says_it_is_a_draft() {
    let s = Site::new()
        .file("content/d.md", &page("D", "draft = true\n", "x"))
        .file("content/a.md", &page("A", "", "See [d](d.md)."));
    fails_with(
        &s,
        r#"error[E046]: `d.md` is a draft, left out of this build
  ┌─ content/a.md:5:5
  │
5 │ See [d](d.md).
  │     ^^^^^^^^^
  │
  = hint: build with --drafts, or publish the page (remove `draft = true`)"#,
    );
    assert_eq!(s.kagu(&["build", "--drafts"]).code, 0);
}

#[test]
fn an_unknown_theme_and_an_unknown_source_type() {
    let s = Site::new()
        .file("kagu.toml", &format!("{CONFIG}theme = \"fancy\"\n"))
        .file("content/sources.toml", "[k]\ntitle = \"K\"\ntype = \"artcle\"\n")
        .file("content/a.md", &page("A", "", "Cites [@k]."));
    fails_with(
        &s,
        r#"error[E028]: theme `fancy` does not exist
  ┌─ kagu.toml:3:1
  │
3 │ theme = "fancy"
  │ ^^^^^^^^^^^^^^^
  │
  = hint: use one of: default

error[E037]: unknown source type `artcle`
  ┌─ content/sources.toml:3:1
  │
3 │ type = "artcle"
  │ ^^^^^^^^^^^^^^^
  │
  = hint: did you mean `article`?"#,
    );
}

#[test]
fn tags_no_template_shows_are_a_warning_once() {
    let s = Site::new()
        .file("content/a.md", &page("A", "tags = [\"x\"]\n", "x"))
        .file("content/b.md", &page("B", "tags = [\"y\"]\n", "x"));
    let r = s.build();
    assert_eq!(r.code, 0);
    assert_eq!(
        diagnostics(&r),
        r#"warning[W003]: tags are set on 2 page(s), but no template shows them
  ┌─ content/a.md:3:1
  │
3 │ tags = ["x"]
  │ ^^^^^^^^^^^^
  │
  = hint: no template shows tags yet: remove them, or show `page.tags` in a template of your own"#
    );
    // A template that shows them silences it.
    let s = s.file("templates/page.html", "{% extends \"base.html\" %}{% block content %}{{ page.tags | join(sep=\", \") }}{% endblock content %}");
    assert!(!s.build().stderr.contains("W003"));
}

#[test]
fn citations_in_plain_text_front_matter_are_errors() {
    let s = Site::new().file(
        "content/_index.md",
        "+++\ntitle = \"Home\"\n[extra.at_a_glance]\n\"Population\" = \"about 270,000 [@k]\"\n+++\n",
    );
    fails_with(
        &s,
        r#"error[E047]: `Population` holds a citation, but front matter values are plain text
  ┌─ content/_index.md:4:1
  │
4 │ "Population" = "about 270,000 [@k]"
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  │
  = hint: front matter values are plain text: write the claim and its citation in the page body"#,
    );
}

#[test]
fn yaml_front_matter_is_shown_as_toml() {
    let s = Site::new().file("content/a.md", "---\ntitle: My page\nweight: 2\n---\n\nText.\n");
    fails_with(
        &s,
        r#"error[E005]: the front matter is YAML (`---`), not TOML
  ┌─ content/a.md:1:1
  │
1 │ ---
  │ ^^^
  │
  = hint: kagu reads TOML front matter between `+++` lines; here it is as TOML:
    +++
    title = "My page"
    weight = 2
    +++"#,
    );
}

#[test]
fn a_missing_bibliography_is_located_in_kagu_toml() {
    let s = Site::new().file("kagu.toml", &format!("{CONFIG}bibliography = [\"refs.bib\"]\n"));
    fails_with(
        &s,
        r#"error[E022]: bibliography file `refs.bib` does not exist
  ┌─ kagu.toml:3:1
  │
3 │ bibliography = ["refs.bib"]
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^
  │
  = hint: create the file, or remove it from `bibliography` in kagu.toml"#,
    );
}

#[test]
fn images_and_files_beside_pages_are_copied_and_linked_at_every_depth() {
    let s = Site::empty()
        .file("kagu.toml", "title = \"T\"\nbase_url = \"https://example.org/sub/\"\n")
        .file("content/_index.md", &page("Home", "", "![Map](map.png) [report](files/r.pdf#page=2)"))
        .file("content/map.png", "png")
        .file("content/files/r.pdf", "pdf")
        .file("content/a/_index.md", &page("A", "", "x"))
        .file("content/a/b/_index.md", &page("B", "", "x"))
        .file("content/a/b/c.md", &page("C", "", "![Here](<pic one.png> \"Caption\") ![Home map](../../map.png) ![Logo](../../../static/logo.svg)"))
        .file("content/a/b/pic one.png", "png")
        .file("static/logo.svg", "<svg/>")
        .build_ok();
    let home = s.html("index.html");
    assert_eq!(attrs(&home, "main img", "src"), ["map.png"]);
    assert_eq!(
        attrs(&home, "main a[href$='#page=2']", "href"),
        ["files/r.pdf#page=2"]
    );
    let c = s.html("a/b/c/index.html");
    assert_eq!(
        attrs(&c, "main img", "src"),
        [
            "../../../a/b/pic%20one.png",
            "../../../map.png",
            "../../../logo.svg"
        ]
    );
    assert_eq!(attrs(&c, "main img", "alt"), ["Here", "Home map", "Logo"]);
    assert_eq!(attrs(&c, "main img[title]", "title"), ["Caption"]);
    // Every src resolves to a copied file from the page's folder.
    for src in attrs(&c, "main img", "src") {
        let path = s.public().join("a/b/c").join(src.replace("%20", " "));
        assert!(path.canonicalize().is_ok(), "{}", path.display());
    }
    assert_eq!(s.read("files/r.pdf"), "pdf");
}

#[test]
fn a_missing_image_is_a_located_error_with_a_suggestion() {
    let s = Site::new()
        .file("content/map.png", "png")
        .file("content/a.md", &page("A", "", "![Map](mpa.png)"));
    fails_with(
        &s,
        r#"error[E045]: broken link: `mpa.png` is not a file under content/ or static/
  ┌─ content/a.md:5:1
  │
5 │ ![Map](mpa.png)
  │ ^^^^^^^^^^^^^^^
  │
  = hint: did you mean `map.png`?"#,
    );
}

#[test]
fn heading_ids_follow_github_so_links_written_for_github_work() {
    let s = Site::new()
        .file(
            "content/a.md",
            &page(
                "A",
                "",
                "## 🚀 Features\n\n## 快速上手\n\n## Москва\n\n## Élysée\n\n## Custom {#mine}\n",
            ),
        )
        .file(
            "content/b.md",
            &page(
                "B",
                "",
                "[1](a.md#-features) [2](a.md#快速上手) [3](a.md#москва) [4](a.md#élysée) [5](a.md#mine)",
            ),
        )
        .build_ok();
    assert_eq!(
        attrs(&s.html("a/index.html"), "main .content h2", "id"),
        ["-features", "快速上手", "москва", "élysée", "mine"]
    );
}

#[test]
fn a_moved_page_is_found_by_its_alias_or_its_heading() {
    let s = Site::new()
        .file(
            "content/new/place.md",
            &page(
                "Place",
                "aliases = [\"old/place/\"]\n",
                "## Where it is {#where}\n",
            ),
        )
        .file(
            "content/far/other.md",
            &page("Other", "", "## Darmanin's accusation {#darmanin}\n"),
        )
        .file(
            "content/a.md",
            &page("A", "", "[1](old/place.md) [2](gone.md#darmanin)"),
        );
    let r = s.build();
    assert_eq!(r.code, 1);
    let d = diagnostics(&r);
    assert!(d.contains("broken link: `old/place.md` does not exist"), "{d}");
    assert!(d.contains("= hint: did you mean `new/place.md`?"), "{d}");
    assert!(d.contains("= hint: did you mean `far/other.md`?"), "{d}");
}

#[test]
fn a_missing_heading_lists_the_pages_ids_when_few() {
    let s = Site::new()
        .file("content/b.md", &page("B", "", "## One\n\n## Two\n"))
        .file("content/a.md", &page("A", "", "[x](b.md#zzz)"));
    fails_with(
        &s,
        r#"error[E041]: broken link: `b.md` has no heading `#zzz`
  ┌─ content/a.md:5:1
  │
5 │ [x](b.md#zzz)
  │ ^^^^^^^^^^^^^
  │
  = hint: its headings' ids are: #one, #two"#,
    );
}

#[test]
fn a_key_defined_twice_in_one_sources_file_points_at_both() {
    let s = Site::new()
        .file(
            "content/sources.toml",
            "[k]\ntitle = \"K\"\n\n[j]\ntitle = \"J\"\n\n[k]\ntitle = \"Again\"\n",
        )
        .file("content/a.md", &page("A", "", "Cites [@k] and [@j]."));
    fails_with(
        &s,
        r#"error[E031]: source `k` is defined twice (first in content/sources.toml:1)
  ┌─ content/sources.toml:7:1
  │
7 │ [k]
  │ ^^^
  │
  = hint: give each source a unique key"#,
    );
}

#[test]
fn a_value_outside_any_source_is_reported_and_the_sources_still_read() {
    let s = Site::new()
        .file(
            "content/sources.toml",
            "title = \"stray\"\n\n[k]\ntitle = \"K\"\n",
        )
        .file("content/a.md", &page("A", "", "Cites [@k]."));
    fails_with(
        &s,
        r#"error[E003]: bad value for `title`: a source is a table (`[title]` with `title = …` below it), not a string
  ┌─ content/sources.toml:1:1
  │
1 │ title = "stray"
  │ ^^^^^"#,
    );
}

/// A sources file that is not TOML at all is one error at its cause: the citations of the keys
/// it holds are not each reported as unknown, and (#32) a key it does not hold still is, in the
/// same run.
#[test]
fn a_sources_file_that_cannot_be_read_is_one_error_not_one_per_citation() {
    let s = Site::new()
        .file(
            "content/a.md",
            &page("A", "", "One.[@a] Two.[@unctad] Three.[@a, p. 2] Four.[@untcad]"),
        )
        .file(
            "content/sources.toml",
            "[a]\ntitle = \"A\"\ndate = 2023-11\n\n[\"unctad\"] # UN\ntitle = \"B\"\n",
        );
    fails_with(
        &s,
        "error[E007]: `date` is not a valid date: invalid date, expected `-` (MM-DD)
  ┌─ content/sources.toml:3:8
  │
3 │ date = 2023-11
  │        ^^^^^^^
  │
  = hint: write a TOML date without quotes, e.g. `date = 2024-05-13`

error[E030]: unknown citation key `@untcad`
  ┌─ content/a.md:5:46
  │
5 │ One.[@a] Two.[@unctad] Three.[@a, p. 2] Four.[@untcad]
  │                                              ^^^^^^^^^
  │
  = hint: did you mean `@unctad`?",
    );
}

/// #32: so is a BibLaTeX file the parser stops in: its keys are found without it.
#[test]
fn a_key_typo_is_reported_while_the_bibtex_file_cannot_be_read() {
    let s = Site::new()
        .file("kagu.toml", &format!("{CONFIG}bibliography = [\"refs.bib\"]\n"))
        .file(
            "content/a.md",
            &page("A", "", "One.[@carter] Two.[@cartre] Three.[@ruiz]"),
        )
        .file(
            "refs.bib",
            "@book{carter,\n  title = {Open,\n}\n\n@book{ruiz, title = {R}}\n",
        );
    fails_with(
        &s,
        "error[E035]: cannot read bibliography: biblatex parse error: expected comma: 34-34
  ┌─ refs.bib:5:1
  │
5 │ @book{ruiz, title = {R}}
  │ ^
  │
  = hint: fix the entry at the marked spot

error[E030]: unknown citation key `@cartre`
  ┌─ content/a.md:5:19
  │
5 │ One.[@carter] Two.[@cartre] Three.[@ruiz]
  │                   ^^^^^^^^^
  │
  = hint: did you mean `@carter`?",
    );
}

/// #32: a heading id written twice no longer becomes `id-1` in silence, nor one the theme uses.
#[test]
fn a_heading_id_written_twice_is_an_error_at_the_second() {
    let s = Site::new().file(
        "content/a.md",
        &page(
            "A",
            "",
            "## Prices {#consumers}\n\nText.\n\n## Wages {#consumers}\n\nMore.\n\n## Skip {#main}\n",
        ),
    );
    fails_with(
        &s,
        "error[E049]: the id `consumers` is already used on this page
  ┌─ content/a.md:9:10
  │
9 │ ## Wages {#consumers}
  │          ^^^^^^^^^^^^
  │
  = hint: give this heading an id of its own, e.g. `{#consumers-2}`: a link to `#consumers` goes to the first

error[E049]: the id `main` is already used on this page
   ┌─ content/a.md:13:9
   │
13 │ ## Skip {#main}
   │         ^^^^^^^
   │
   = hint: give this heading an id of its own, e.g. `{#main-2}`: a link to `#main` goes to the first",
    );
}

/// #32: `> [!INFO]` no longer prints as a quotation in silence; a known kind, a plain quote and
/// the marker in code are left alone.
#[test]
fn a_callout_of_an_unknown_kind_is_an_error_at_its_marker() {
    let s = Site::new().file(
        "content/a.md",
        &page(
            "A",
            "",
            "> [!INFO]\n> Careful.\n\n> [!WARNIGN] Title\n> x\n\n> [!NOTE]\n> fine\n\n> plain\n\n```\n> [!INFO]\n```\n",
        ),
    );
    fails_with(
        &s,
        "error[E071]: `[!INFO]` is not a kind of callout; it would be printed as a quotation
  ┌─ content/a.md:5:3
  │
5 │ > [!INFO]
  │   ^^^^^^^
  │
  = hint: a callout is `[!NOTE]`, `[!TIP]`, `[!IMPORTANT]`, `[!WARNING]` or `[!CAUTION]`

error[E071]: `[!WARNIGN]` is not a kind of callout; it would be printed as a quotation
  ┌─ content/a.md:8:3
  │
8 │ > [!WARNIGN] Title
  │   ^^^^^^^^^^
  │
  = hint: did you mean `[!WARNING]`?",
    );
}

const ONE_SOURCE: &str = "[unctad]\ntitle = \"Review of Maritime Transport\"\ntype = \"report\"\n";

/// #32: `[@k, pg. 4]` (a label that is none of CSL's) and `htps://` are no longer published in
/// silence; a label-less suffix (`table 3`), a known label and a scheme far from any web one
/// (`zotero:`) are left alone.
#[test]
fn an_unknown_locator_label_and_a_mistyped_scheme_are_reported_where_written() {
    let body = "Fell.[@unctad, pg. 4] Rose.[@unctad, Chp. 2] Flat.[@unctad, table 3]\n\
                Held.[@unctad, p. 4]\n\n\
                See [UNCTAD](htps://unctad.org), ![A chart](htp://unctad.org/c.png) and \
                [the library](zotero://select/items/1).\n";
    let s = Site::new()
        .file("content/sources.toml", ONE_SOURCE)
        .file("content/a.md", &page("A", "", body));
    fails_with(
        &s,
        "warning[W011]: `pg.` is not a locator label: \"pg. 4\" would be printed after the citation as written
  ┌─ content/a.md:5:16
  │
5 │ Fell.[@unctad, pg. 4] Rose.[@unctad, Chp. 2] Flat.[@unctad, table 3]
  │                ^^^^^
  │
  = hint: did you mean `p. 4`?

warning[W011]: `Chp.` is not a locator label: \"Chp. 2\" would be printed after the citation as written
  ┌─ content/a.md:5:38
  │
5 │ Fell.[@unctad, pg. 4] Rose.[@unctad, Chp. 2] Flat.[@unctad, table 3]
  │                                      ^^^^^^
  │
  = hint: did you mean `chap. 2`?

error[E072]: `htps:` is not a scheme a browser opens; the link would lead nowhere
  ┌─ content/a.md:8:5
  │
8 │ See [UNCTAD](htps://unctad.org), ![A chart](htp://unctad.org/c.png) and [the library](zotero://select/items/1).
  │     ^^^^^^^^^^^^^^^^^^^^^^^^^^^
  │
  = hint: write `https:` for `htps:`

error[E072]: `htp:` is not a scheme a browser opens; the link would lead nowhere
  ┌─ content/a.md:8:34
  │
8 │ See [UNCTAD](htps://unctad.org), ![A chart](htp://unctad.org/c.png) and [the library](zotero://select/items/1).
  │                                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  │
  = hint: write `http:` for `htp:`",
    );
}

/// #32: a link to `sources.toml` goes to the sources page, from any depth, and the TOML file
/// is not published; on a site with no source it is E073.
#[test]
fn a_link_to_sources_toml_goes_to_the_sources_page() {
    let s = Site::new()
        .file("content/sources.toml", ONE_SOURCE)
        .file(
            "content/a.md",
            &page("A", "", "Fell.[@unctad] See [all sources](sources.toml#unctad)."),
        )
        .file(
            "content/b/_index.md",
            &page("B", "", "See [the sources](../sources.toml)."),
        )
        .build_ok();
    let a = s.html("a/index.html");
    let links: Vec<_> = select(&a, "main p a")
        .into_iter()
        .filter(|e| e.text().eq(["all sources"]))
        .collect();
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].value().attr("href"), Some("../sources/#unctad"));
    assert_eq!(
        attrs(&s.html("b/index.html"), "main p a[href*=sources]", "href"),
        ["../sources/"]
    );
    assert!(s.public().join("sources/index.html").is_file());
    assert!(!s.public().join("sources.toml").exists());

    let none = Site::new().file("content/a.md", &page("A", "", "See [the sources](sources.toml)."));
    fails_with(
        &none,
        "error[E073]: a link to sources.toml goes to the sources page, and the site has none: it has no source
  ┌─ content/a.md:5:5
  │
5 │ See [the sources](sources.toml).
  │     ^^^^^^^^^^^^^^^^^^^^^^^^^^^
  │
  = hint: add a source to content/sources.toml, or remove the link",
    );
}

/// #32: a link-preview picture is checked like any image: a page's must exist (E045, at its
/// key), be a format previews show (E074) and say what it shows (W012); kagu.toml's must be
/// under static/ (E075, with the closest file).
#[test]
fn link_preview_pictures_are_checked_where_they_are_named() {
    let s = Site::new()
        .file("kagu.toml", &format!("{CONFIG}image = \"static/crad.png\"\n"))
        .file("static/card.png", "not read")
        .file(
            "content/a.md",
            &page("A", "image = \"mpa.png\"\nimage_alt = \"A map\"\n", "x"),
        )
        .file("content/b.md", &page("B", "image = \"map.svg\"\n", "x"))
        .file("content/c.md", &page("C", "image = \"map.png\"\n", "x"))
        .file("content/map.png", "not read")
        .file("content/map.svg", "<svg/>");
    fails_with(
        &s,
        "error[E075]: `image` `static/crad.png` is not a file under static/
  ┌─ kagu.toml:3:1
  │
3 │ image = \"static/crad.png\"
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^
  │
  = hint: did you mean `static/card.png`?

error[E045]: broken link: `mpa.png` is not a file under content/ or static/
  ┌─ content/a.md:3:1
  │
3 │ image = \"mpa.png\"
  │ ^^^^^^^^^^^^^^^^^
  │
  = hint: did you mean `map.png`?

error[E074]: `map.svg` cannot be a link-preview picture: previews show no such format
  ┌─ content/b.md:3:1
  │
3 │ image = \"map.svg\"
  │ ^^^^^^^^^^^^^^^^^
  │
  = hint: use a PNG, JPEG, GIF or WebP picture, best 1200 × 630 pixels

warning[W012]: the link-preview picture `map.png` has no `image_alt`
  ┌─ content/c.md:3:1
  │
3 │ image = \"map.png\"
  │ ^^^^^^^^^^^^^^^^^
  │
  = hint: say what it shows beside it: `image_alt = \"A map of the islands\"`",
    );
}
