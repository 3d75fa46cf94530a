//! The timeline: events from content/timeline.toml in date order, checked dates, `{{ timeline() }}`
//! blocks on any page, citations in events as notes of the page that shows them, links to events,
//! JSON-LD and timeline.json.

use crate::harness::*;

const SOURCES: &str = "[rbc]\ntitle = \"Darmanin interview\"\ntype = \"article\"\noutlet = \"RBC\"\n\n\
                       [doe]\ntitle = \"Conference report\"\nauthor = \"Doe, Jane\"\n";

/// Written out of order, with two events of one date, a range and a rough date.
const EVENTS: &str = r#"[[event]]
date = "2024-05"
title = "Reform"
description = "Riots followed.[@rbc] See [the page](a.md)."
tags = ["2024"]

[[event]]
date = "c. 1853"
title = "Annexation"

[[event]]
date = "2018/2021"
title = "Referendums"
id = "votes"
tags = ["votes"]

[[event]]
date = "2024-05"
title = "Deaths"
tags = ["2024"]

[[event]]
date = "2024-04-15"
title = "Conference"
description = "Held in Baku.[@doe]"
tags = ["2024"]
"#;

fn site() -> Site {
    Site::new()
        .file("content/sources.toml", SOURCES)
        .file("content/timeline.toml", EVENTS)
        .file(
            "content/a.md",
            &page(
                "A",
                "",
                "A claim.[^n]\n\n{{ timeline() }}\n\nAfter.[@rbc]\n\n[^n]: A footnote.\n",
            ),
        )
        .file(
            "content/part/_index.md",
            &page("Part", "", "See [the votes](../a.md#event-votes).\n"),
        )
        .file(
            "content/part/b.md",
            &page("B", "", "{{ timeline(tags = [\"2024\"]) }}\n"),
        )
}

#[test]
fn events_are_in_date_order_and_one_date_keeps_file_order() {
    let s = site().build_ok();
    let doc = s.html("a/index.html");
    assert_eq!(
        words(&doc, ".timeline .event-title"),
        ["Annexation", "Referendums", "Conference", "Reform", "Deaths"]
    );
    assert_eq!(
        words(&doc, ".timeline .event-date"),
        ["c. 1853", "2018–2021", "April 15, 2024", "May 2024", "May 2024"]
    );
    assert_eq!(
        attrs(&doc, ".timeline time", "datetime"),
        ["1853", "2018", "2024-04-15", "2024-05", "2024-05"]
    );
    assert_eq!(
        attrs(&doc, ".timeline .event", "id"),
        [
            "event-1853-annexation",
            "event-votes",
            "event-2024-04-15-conference",
            "event-2024-05-reform",
            "event-2024-05-deaths"
        ]
    );
}

#[test]
fn a_block_with_tags_shows_those_events_and_its_links_work_from_any_folder() {
    let s = site().build_ok();
    let doc = s.html("part/b/index.html");
    assert_eq!(
        words(&doc, ".timeline .event-title"),
        ["Conference", "Reform", "Deaths"]
    );
    // Written relative to content/, the description's link works from part/b/.
    assert!(attrs(&doc, ".event-text a", "href").contains(&"../../a/".to_string()));
}

#[test]
fn citations_in_events_are_notes_of_the_page_in_its_one_numbering() {
    let s = site().build_ok();
    let doc = s.html("a/index.html");
    // The footnote before the block is 1, the events' citations 2 and 3, the citation after 4.
    assert_eq!(
        attrs(&doc, ".content sup.note-ref", "id"),
        ["ref-1-1", "ref-2-1", "ref-3-1", "ref-4-1"]
    );
    let notes = words(&doc, "#notes li, .notes li");
    assert_eq!(notes.len(), 4, "{notes:?}");
    assert!(notes[1].contains("Conference Report"), "{notes:?}");
    assert!(notes[2].contains("Darmanin Interview"), "{notes:?}");
    // The sources page links each citing spot, the events' included.
    let sources = s.html("sources/index.html");
    let cited = attrs(&sources, ".cited-at a", "href");
    assert!(cited.contains(&"../a/#ref-2-1".to_string()), "{cited:?}");
    assert!(cited.contains(&"../part/b/#ref-1-1".to_string()), "{cited:?}");
}

#[test]
fn an_event_lists_the_pages_that_link_to_it() {
    let s = site().build_ok();
    let doc = s.html("a/index.html");
    assert_eq!(
        words(&doc, "#event-votes .event-mentions"),
        ["Mentioned in Part."]
    );
    assert_eq!(
        attrs(&doc, "#event-votes .event-mentions a", "href"),
        ["../part/"]
    );
    assert!(select(&doc, "#event-1853-annexation .event-mentions").is_empty());
}

#[test]
fn events_are_schema_org_json_ld_and_timeline_json() {
    let s = site().build_ok();
    let doc = s.html("a/index.html");
    let ld: Vec<String> = select(&doc, "script[type=\"application/ld+json\"]")
        .iter()
        .map(scraper::ElementRef::inner_html)
        .collect();
    assert_eq!(ld.len(), 1);
    let ld: serde_json::Value = serde_json::from_str(&ld[0]).expect("JSON-LD");
    assert_eq!(ld["@context"], "https://schema.org");
    let graph = ld["@graph"].as_array().expect("graph");
    assert_eq!(graph.len(), 5);
    assert_eq!(graph[1]["@type"], "Event");
    assert_eq!(graph[1]["name"], "Referendums");
    assert_eq!(graph[1]["startDate"], "2018");
    assert_eq!(graph[1]["endDate"], "2021");
    assert_eq!(graph[3]["description"], "Riots followed. See the page.");
    let data: serde_json::Value = serde_json::from_str(&s.read("timeline.json")).expect("timeline.json");
    let events = data["events"].as_array().expect("events");
    assert_eq!(events.len(), 5);
    assert_eq!(events[3]["id"], "event-2024-05-reform");
    assert_eq!(
        events[3]["shown_on"],
        serde_json::json!(["a/#event-2024-05-reform", "part/b/#event-2024-05-reform"])
    );
}

#[test]
fn bad_events_are_located_in_the_timeline_file() {
    let s = Site::new()
        .file(
            "content/timeline.toml",
            "[[event]]\ndate = \"2024-13\"\ntitle = \"A\"\n\n[[event]]\ntitle = \"No date\"\n\n[[event]]\ndate = \"2023-02-29\"\ntitle = \"B\"\n\n[[event]]\ndate = 2024\ntitle = \"C\"\n\n[[event]]\ndate = \"2021/2018\"\ntitle = \"D\"\nid = \"d\"\n\n[[event]]\ndate = \"2020\"\ntitle = \"E\"\nid = \"d\"\n\n[[event]]\ndate = \"2020\"\ntitle = \"F\"\ndescription = \"See [x](nowhere.md).\"\n",
        )
        .file("content/a.md", &page("A", "", "{{ timeline() }}\n"));
    fails_with(
        &s,
        r#"error[E060]: this event's date cannot be read: `2024-13`: there is no month 13
  ┌─ content/timeline.toml:2:8
  │
2 │ date = "2024-13"
  │        ^^^^^^^^^
  │
  = hint: write a date as YYYY, YYYY-MM or YYYY-MM-DD, a range as 2018/2021, a rough date as `c. 1850`

error[E061]: this event has no date
  ┌─ content/timeline.toml:5:1
  │
5 │ [[event]]
  │ ^^^^^^^^^
  │
  = hint: give every [[event]] a `date` and a `title`

error[E060]: this event's date cannot be read: `2023-02-29`: February 2023 has 28 days
  ┌─ content/timeline.toml:9:8
  │
9 │ date = "2023-02-29"
  │        ^^^^^^^^^^^^
  │
  = hint: write a date as YYYY, YYYY-MM or YYYY-MM-DD, a range as 2018/2021, a rough date as `c. 1850`

error[E060]: this event's date cannot be read: `2021/2018`: the range ends before it starts
   ┌─ content/timeline.toml:17:8
   │
17 │ date = "2021/2018"
   │        ^^^^^^^^^^^
   │
   = hint: write a date as YYYY, YYYY-MM or YYYY-MM-DD, a range as 2018/2021, a rough date as `c. 1850`

error[E040]: broken link: `nowhere.md` does not exist
   ┌─ content/timeline.toml:29:20
   │
29 │ description = "See [x](nowhere.md)."
   │                    ^^^^^^^^^^^^^^^
   │
   = hint: link to a .md file under content/, relative to this file"#,
    );
}

#[test]
fn two_events_with_one_id_and_blocks_that_show_nothing_are_errors() {
    let s = Site::new()
        .file(
            "content/timeline.toml",
            "[[event]]\ndate = \"2020\"\ntitle = \"E\"\nid = \"d\"\n\n[[event]]\ndate = \"2021\"\ntitle = \"F\"\nid = \"d\"\n",
        )
        .file(
            "content/a.md",
            &page("A", "", "{{ timeline(tags = [\"x\"]) }}\n\n{{ timeline(colour = \"red\") }}\n"),
        );
    fails_with(
        &s,
        r#"error[E062]: another event has the id `event-d`
  ┌─ content/timeline.toml:9:6
  │
9 │ id = "d"
  │      ^^^
  │
  = hint: give one of the events another `id`

error[E063]: this timeline block shows nothing: no event has the tag `x`; no event has tags
  ┌─ content/a.md:5:1
  │
5 │ {{ timeline(tags = ["x"]) }}
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  │
  = hint: write `{{ timeline() }}` for every event, or `{{ timeline(tags = ["a tag"]) }}` for some

error[E063]: this timeline block shows nothing: a timeline block takes `tags`, not `colour`
  ┌─ content/a.md:7:1
  │
7 │ {{ timeline(colour = "red") }}
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  │
  = hint: write `{{ timeline() }}` for every event, or `{{ timeline(tags = ["a tag"]) }}` for some"#,
    );
}

#[test]
fn a_block_without_a_timeline_file_says_so() {
    let s = Site::new().file("content/a.md", &page("A", "", "{{ timeline() }}\n"));
    fails_with(
        &s,
        r#"error[E063]: this timeline block shows nothing: the site has no content/timeline.toml to show
  ┌─ content/a.md:5:1
  │
5 │ {{ timeline() }}
  │ ^^^^^^^^^^^^^^^^
  │
  = hint: write `{{ timeline() }}` for every event, or `{{ timeline(tags = ["a tag"]) }}` for some"#,
    );
}

#[test]
fn blocks_that_cannot_be_read_and_a_timeline_without_events_are_errors() {
    let s = Site::new()
        .file("content/timeline.toml", "# Nothing yet.\n")
        .file(
            "content/a.md",
            &page(
                "A",
                "",
                "{{ timeline() }}\n\n{{ timeline(tags = \"2024\") }}\n\n{{ timeline(tags = [2024]) }}\n",
            ),
        );
    fails_with(
        &s,
        r#"error[E063]: this timeline block shows nothing: content/timeline.toml has no events to show
  ┌─ content/a.md:5:1
  │
5 │ {{ timeline() }}
  │ ^^^^^^^^^^^^^^^^
  │
  = hint: write `{{ timeline() }}` for every event, or `{{ timeline(tags = ["a tag"]) }}` for some

error[E063]: this timeline block shows nothing: `tags` is a list of tags: `tags = ["a tag"]`
  ┌─ content/a.md:7:1
  │
7 │ {{ timeline(tags = "2024") }}
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  │
  = hint: write `{{ timeline() }}` for every event, or `{{ timeline(tags = ["a tag"]) }}` for some

error[E063]: this timeline block shows nothing: `2024` is not a tag: tags are strings
  ┌─ content/a.md:9:1
  │
9 │ {{ timeline(tags = [2024]) }}
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  │
  = hint: write `{{ timeline() }}` for every event, or `{{ timeline(tags = ["a tag"]) }}` for some"#,
    );
}

#[test]
fn a_timeline_file_that_is_not_toml_is_located() {
    let s = Site::new()
        .file(
            "content/timeline.toml",
            "[[event]]\ndate = \"2024\ntitle = \"A\"\n",
        )
        .file("content/a.md", &page("A", "", "Text.\n"));
    fails_with(
        &s,
        r#"error[E001]: invalid TOML in the timeline: invalid basic string, expected `"`
  ┌─ content/timeline.toml:2:13
  │
2 │ date = "2024
  │             ^
  │
  = hint: fix the TOML syntax at the marked spot"#,
    );
}

/// #32: a link in an event is listed under "Referenced in" by the event that holds it (its
/// anchor and title), not by a heading of the page found at the link's place in timeline.toml.
#[test]
fn a_link_in_an_event_is_referenced_from_that_event() {
    let s = site()
        .file(
            "content/part/b.md",
            &page(
                "B",
                "",
                "## Early {#early}\n\nText.\n\n## Later\n\n{{ timeline(tags = [\"2024\"]) }}\n",
            ),
        )
        .build_ok();
    let a = s.html("a/index.html");
    assert_eq!(texts(&a, ".backlinks li a"), ["Part", "B › Reform"]);
    assert_eq!(
        attrs(&a, ".backlinks li a", "href"),
        ["../part/", "../part/b/#event-2024-05-reform"]
    );
}

/// #28 item 2: one date path. The timeline's dates are written as the site's language writes a
/// date, by its CSL locale, as the page's own date is: `mai 2024` in French, not `May 2024`.
#[test]
fn timeline_dates_are_written_as_the_page_writes_its_date() {
    let events =
        "[[event]]\ndate = \"2024-05-13\"\ntitle = \"A\"\n\n[[event]]\ndate = \"2024-04\"\ntitle = \"B\"\n\n\
                  [[event]]\ndate = \"2018/2021\"\ntitle = \"C\"\n";
    for (language, dates, page_date) in [
        ("fr", ["2018–2021", "avril 2024", "13 mai 2024"], "13 mai 2024"),
        (
            "es",
            ["2018–2021", "abril de 2024", "13 de mayo de 2024"],
            "13 de mayo de 2024",
        ),
        ("en", ["2018–2021", "April 2024", "May 13, 2024"], "May 13, 2024"),
        ("en-GB", ["2018–2021", "April 2024", "13 May 2024"], "13 May 2024"),
    ] {
        let s = Site::new()
            .file("kagu.toml", &format!("{CONFIG}language = \"{language}\"\n"))
            .file("content/timeline.toml", events)
            .file(
                "content/a.md",
                &page("A", "date = 2024-05-13\n", "{{ timeline() }}\n"),
            )
            .build_ok();
        let doc = s.html("a/index.html");
        assert_eq!(texts(&doc, ".timeline .event-date"), dates, "{language}");
        assert_eq!(
            texts(&doc, ".meta time").first().map(String::as_str),
            Some(page_date),
            "{language}"
        );
    }
}
