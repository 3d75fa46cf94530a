//! Claims and responses: content/claims.toml, checked where written; `{{ claims() }}` blocks
//! with each response under its claim; citations as notes of the page; JSON-LD `Claim`s and
//! `Comment`s; claims.json.

use crate::harness::*;

const GLOSSARY: &str = "[darmanin]\nkind = \"person\"\nname = \"Gérald Darmanin\"\ndescription = \"France's interior minister.\"\n\n\
                        [azerbaijan]\nkind = \"place\"\nname = \"Azerbaijan\"\ndescription = \"A country.\"\n";

/// Two claims (the first undated), a response to each, one quoted.
const CLAIMS: &str = r#"[[claim]]
id = "turkey"
by = "A French radio report"
text = "Earlier claims were directed at Turkey."
tags = ["earlier"]

[[claim]]
id = "baku-backs"
by = "darmanin"
date = "2024-05"
against = "azerbaijan"
text = "Azerbaijan backs the separatists.[@rbc] See [the other page](b.md)."
tags = ["allegation"]

[[response]]
id = "defamation"
to = "baku-backs"
by = "Hikmet Hajizadeh"
date = "2024-05"
quote = true
text = "a defamation campaign"

[[response]]
id = "ankara"
to = "turkey"
by = "Turkey"
date = "2024"
text = "Ankara dismissed the claims as baseless and absurd."
"#;

fn site() -> Site {
    Site::new()
        .file("content/sources.toml", RBC_SOURCE)
        .file("content/glossary.toml", GLOSSARY)
        .file("content/claims.toml", CLAIMS)
        .file("content/glossary.md", &page("Glossary", "", "{{ glossary() }}\n"))
        .file(
            "content/a.md",
            &page("A", "", "Before.[^n]\n\n{{ claims() }}\n\n[^n]: A footnote.\n"),
        )
        .file(
            "content/b.md",
            &page("B", "", "{{ claims(tags = [\"allegation\"]) }}\n"),
        )
}

#[test]
fn claims_are_shown_in_the_order_written_each_with_its_responses_beneath_it() {
    let s = site().build_ok();
    let doc = s.html("a/index.html");
    assert_eq!(
        attrs(&doc, ".claims > .claim", "id"),
        ["claim-turkey", "claim-baku-backs"]
    );
    assert_eq!(
        words(&doc, ".claims > .claim > .claim-meta"),
        [
            "A French radio report",
            "Gérald Darmanin · May 2024 · about Azerbaijan"
        ]
    );
    assert_eq!(
        attrs(&doc, "#claim-baku-backs .responses > .response", "id"),
        ["response-defamation"]
    );
    assert_eq!(
        attrs(&doc, "#claim-turkey .responses > .response", "id"),
        ["response-ankara"]
    );
    assert_eq!(
        words(&doc, "#response-defamation .claim-meta"),
        ["Response: Hikmet Hajizadeh · May 2024"]
    );
    // A quote is a block quote, the rest are not.
    assert_eq!(
        words(&doc, "#response-defamation blockquote.claim-text"),
        ["a defamation campaign"]
    );
    assert!(select(&doc, "#claim-baku-backs > blockquote").is_empty());
    // Citations are notes of the page in its one numbering; links are checked and relative.
    assert_eq!(attrs(&doc, ".content sup.note-ref", "id"), ["ref-1-1", "ref-2-1"]);
    assert_eq!(
        attrs(&doc, "#claim-baku-backs .claim-text a[href=\"../b/\"]", "href"),
        ["../b/"]
    );
    // A block with tags shows those claims only.
    let b = s.html("b/index.html");
    assert_eq!(attrs(&b, ".claims > .claim", "id"), ["claim-baku-backs"]);
    // A speaker from the glossary is a mention of its entry.
    let glossary = s.html("glossary/index.html");
    assert_eq!(
        attrs(&glossary, "#term-darmanin + dd .term-mentions a", "href"),
        ["../a/", "../b/"]
    );
}

#[test]
fn claims_are_json_ld_claims_and_responses_comments_pointing_at_them() {
    let s = site().build_ok();
    let doc = s.html("b/index.html");
    let ld: Vec<serde_json::Value> = select(&doc, "script[type=\"application/ld+json\"]")
        .iter()
        .map(|e| serde_json::from_str(&e.inner_html()).expect("JSON-LD"))
        .collect();
    assert_eq!(ld.len(), 1);
    assert_eq!(ld[0]["@context"], "https://schema.org");
    assert_eq!(
        ld[0]["@graph"],
        serde_json::json!([
            {
                "@type": "Claim",
                "@id": "#claim-baku-backs",
                "author": { "@type": "Person", "name": "Gérald Darmanin" },
                "about": { "@type": "Place", "name": "Azerbaijan" },
                "datePublished": "2024-05",
                "text": "Azerbaijan backs the separatists. See the other page."
            },
            {
                "@type": "Comment",
                "@id": "#response-defamation",
                "author": { "name": "Hikmet Hajizadeh" },
                "datePublished": "2024-05",
                "parentItem": { "@id": "#claim-baku-backs" },
                "text": "a defamation campaign"
            }
        ])
    );
}

#[test]
fn claims_json_lists_each_claim_with_its_responses_and_where_it_is_shown() {
    let s = site().build_ok();
    let data: serde_json::Value = serde_json::from_str(&s.read("claims.json")).expect("claims.json");
    let claims = data["claims"].as_array().expect("claims");
    assert_eq!(claims.len(), 2);
    assert_eq!(claims[1]["id"], "baku-backs");
    assert_eq!(claims[1]["by"], "darmanin");
    assert_eq!(claims[1]["against"], "azerbaijan");
    assert_eq!(claims[1]["start"], "2024-05");
    assert_eq!(
        claims[1]["shown_on"],
        serde_json::json!(["a/#claim-baku-backs", "b/#claim-baku-backs"])
    );
    assert_eq!(claims[0]["start"], serde_json::Value::Null);
    assert_eq!(claims[1]["responses"][0]["id"], "defamation");
    assert_eq!(claims[1]["responses"][0]["quote"], true);
    assert_eq!(
        claims[0]["responses"][0]["text"],
        "Ankara dismissed the claims as baseless and absurd."
    );
}

#[test]
fn bad_claims_and_responses_are_errors_where_they_are_written() {
    let s = Site::new()
        .file("content/glossary.toml", GLOSSARY)
        .file("content/glossary.md", &page("Glossary", "", "{{ glossary() }}\n"))
        .file(
            "content/claims.toml",
            "[[claim]]\nid = \"a\"\nby = \"darmanim\"\ndate = \"2024-13\"\ntext = \"x\"\n\n[[claim]]\nid = \"a\"\nby = \"Someone\"\ndate = \"2024\"\ntext = \"y\"\n\n[[claim]]\nby = \"Someone\"\ndate = \"2024\"\n\n[[response]]\nid = \"r\"\nto = \"aa\"\nby = \"Someone\"\ndate = \"2024\"\ntext = \"z\"\n\n[[response]]\nid = \"r2\"\nto = \"a\"\nby = \"Someone\"\ntext = \"To a claim left out for its own mistakes: no second report.\"\n",
        )
        .file("content/a.md", &page("A", "", "{{ claims(tags = [\"none\"]) }}\n"));
    fails_with(
        &s,
        r#"error[E080]: this [[claim]] names `darmanim` in `by`, which is no key of the glossary
  ┌─ content/claims.toml:3:6
  │
3 │ by = "darmanim"
  │      ^^^^^^^^^^
  │
  = hint: did you mean `darmanin`? A name with capitals or spaces (`Gérald Darmanin`) is shown as written

error[E060]: this event's date cannot be read: `2024-13`: there is no month 13
  ┌─ content/claims.toml:4:8
  │
4 │ date = "2024-13"
  │        ^^^^^^^^^
  │
  = hint: write a date as YYYY, YYYY-MM or YYYY-MM-DD, a range as 2018/2021, a rough date as `c. 1850`

error[E080]: this [[claim]] has the id `a`, which another [[claim]] has
  ┌─ content/claims.toml:8:6
  │
8 │ id = "a"
  │      ^^^
  │
  = hint: give one of the claims another `id`

error[E080]: this [[claim]] has no `id`
   ┌─ content/claims.toml:13:1
   │
13 │ [[claim]]
   │ ^^^^^^^^^
   │
   = hint: give every [[claim]] an `id`, `by` and `text`, e.g. `id = "baku-denies"`

error[E080]: this [[claim]] has no `text`
   ┌─ content/claims.toml:13:1
   │
13 │ [[claim]]
   │ ^^^^^^^^^
   │
   = hint: give every [[claim]] an `id`, `by` and `text`, e.g. `text = "…"`

error[E080]: this [[response]] answers `aa`, which is no claim's id
   ┌─ content/claims.toml:19:6
   │
19 │ to = "aa"
   │      ^^^^
   │
   = hint: name a claim's `id`

warning[W007]: glossary entry `darmanin` is mentioned on no page
  ┌─ content/glossary.toml:1:2
  │
1 │ [darmanin]
  │  ^^^^^^^^
  │
  = hint: mention it on a page (by its name or an alias), or remove it

warning[W007]: glossary entry `azerbaijan` is mentioned on no page
  ┌─ content/glossary.toml:6:2
  │
6 │ [azerbaijan]
  │  ^^^^^^^^^^
  │
  = hint: mention it on a page (by its name or an alias), or remove it

error[E080]: this claims block cannot be shown: no claim has those tags and that speaker
  ┌─ content/a.md:5:1
  │
5 │ {{ claims(tags = ["none"]) }}
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  │
  = hint: show every claim with `{{ claims() }}`, or name tags and a speaker that claims.toml has"#,
    );
}

#[test]
fn a_claim_with_a_to_a_response_without_one_and_an_unknown_subject_are_errors() {
    let s = Site::new()
        .file("content/glossary.toml", GLOSSARY)
        .file("content/glossary.md", &page("Glossary", "", "{{ glossary() }}\n"))
        .file(
            "content/claims.toml",
            "[[claim]]\nid = \"a\"\nby = \"darmanin\"\nagainst = \"azerbaijn\"\ntext = \"x\"\n\n[[claim]]\nid = \"b\"\nby = \"Someone\"\nto = \"a\"\ntext = \"y\"\n\n[[response]]\nid = \"r\"\nby = \"Someone\"\ntext = \"z\"\n",
        )
        .file("content/a.md", &page("A", "", "Gérald Darmanin spoke of Azerbaijan.\n"));
    fails_with(
        &s,
        r#"error[E080]: this [[claim]] names `azerbaijn` in `against`, which is no key of the glossary
  ┌─ content/claims.toml:4:11
  │
4 │ against = "azerbaijn"
  │           ^^^^^^^^^^^
  │
  = hint: did you mean `azerbaijan`? A name with capitals or spaces (`Gérald Darmanin`) is shown as written

error[E080]: this [[claim]] has a `to`, which only a response has
   ┌─ content/claims.toml:10:6
   │
10 │ to = "a"
   │      ^^^
   │
   = hint: make it a [[response]], or remove `to`

error[E080]: this [[response]] has no `to`
   ┌─ content/claims.toml:13:1
   │
13 │ [[response]]
   │ ^^^^^^^^^^^^
   │
   = hint: give every [[response]] an `id`, `to`, `by` and `text`, e.g. `to = "the-claim-it-answers"`"#,
    );
}

#[test]
fn claims_blocks_that_cannot_be_shown_say_why_where_they_are() {
    let blocks = "{{ claims(foo = 1) }}\n\n{{ claims(by = 3) }}\n\n{{ claims(tags = \"x\") }}\n\n{{ claims(tags = ) }}\n";
    let s = Site::new()
        .file(
            "content/claims.toml",
            "[[claim]]\nid = \"a\"\nby = \"Someone\"\ntext = \"x\"\n",
        )
        .file("content/a.md", &page("A", "", blocks));
    fails_with(
        &s,
        r#"error[E080]: this claims block cannot be shown: a claims block takes `tags` and `by`, not `foo`
  ┌─ content/a.md:5:1
  │
5 │ {{ claims(foo = 1) }}
  │ ^^^^^^^^^^^^^^^^^^^^^
  │
  = hint: write `{{ claims() }}`, `{{ claims(tags = ["a tag"]) }}` or `{{ claims(by = "a speaker") }}`

error[E080]: this claims block cannot be shown: `by` is one speaker: `by = "a speaker"`
  ┌─ content/a.md:7:1
  │
7 │ {{ claims(by = 3) }}
  │ ^^^^^^^^^^^^^^^^^^^^
  │
  = hint: write `{{ claims() }}`, `{{ claims(tags = ["a tag"]) }}` or `{{ claims(by = "a speaker") }}`

error[E080]: this claims block cannot be shown: `tags` is a list of tags: `tags = ["a tag"]`
  ┌─ content/a.md:9:1
  │
9 │ {{ claims(tags = "x") }}
  │ ^^^^^^^^^^^^^^^^^^^^^^^^
  │
  = hint: write `{{ claims() }}`, `{{ claims(tags = ["a tag"]) }}` or `{{ claims(by = "a speaker") }}`

error[E080]: this claims block cannot be shown: `tags =` cannot be read: write `tags = ["a tag"]` or `by = "a speaker"`
   ┌─ content/a.md:11:1
   │
11 │ {{ claims(tags = ) }}
   │ ^^^^^^^^^^^^^^^^^^^^^
   │
   = hint: write `{{ claims() }}`, `{{ claims(tags = ["a tag"]) }}` or `{{ claims(by = "a speaker") }}`"#,
    );
    let none = Site::new().file("content/a.md", &page("A", "", "{{ claims() }}\n"));
    fails_with(
        &none,
        r#"error[E080]: this claims block cannot be shown: the site has no content/claims.toml to show
  ┌─ content/a.md:5:1
  │
5 │ {{ claims() }}
  │ ^^^^^^^^^^^^^^
  │
  = hint: write content/claims.toml with a [[claim]] (an `id`, `by` and `text`), or remove the block"#,
    );
}

/// A page that links to a claim: once in its text, once more further on.
fn linking_site() -> Site {
    site()
        .file(
            "content/sources.toml",
            &format!("{RBC_SOURCE}url = \"https://www.rbc.ru/interview\"\n"),
        )
        .file(
            "content/c.md",
            &page(
                "C",
                "",
                "As [the minister claims](claim:baku-backs), and [again](claim:baku-backs).\n",
            ),
        )
}

#[test]
fn a_link_to_a_claim_leads_to_where_a_block_first_shows_it_and_carries_its_card() {
    let s = linking_site().build_ok();
    let doc = s.html("c/index.html");
    assert_eq!(
        attrs(&doc, "a.claim-ref", "href"),
        ["../a/#claim-baku-backs", "../a/#claim-baku-backs"]
    );
    assert_eq!(
        attrs(&doc, "a.claim-ref", "data-claim"),
        ["baku-backs", "baku-backs"]
    );
    // Each link is followed by the card its popover shows, hidden until then.
    assert_eq!(
        words(&doc, "a.claim-ref + .claim-card[hidden]"),
        [
            "Gérald Darmanin · May 2024 · about Azerbaijan Azerbaijan backs the separatists. See the other page.",
            "Gérald Darmanin · May 2024 · about Azerbaijan Azerbaijan backs the separatists. See the other page."
        ]
    );
    // The page that shows the claim lists the page that links to it, once, under the claim's
    // text and above its responses; the claim no page links to lists none.
    let a = s.html("a/index.html");
    assert_eq!(
        words(&a, "#claim-baku-backs > .claim-mentions"),
        ["Mentioned on C."]
    );
    assert_eq!(
        attrs(&a, "#claim-baku-backs > .claim-mentions a", "href"),
        ["../c/"]
    );
    assert!(select(&a, "#claim-turkey .claim-mentions").is_empty());
    let order: Vec<String> = select(&a, "#claim-baku-backs > *")
        .iter()
        .map(|e| e.value().attr("class").unwrap_or_default().to_string())
        .collect();
    assert_eq!(order, ["claim-meta", "claim-text", "claim-mentions", "responses"]);
    assert_eq!(
        words(&s.html("b/index.html"), "#claim-baku-backs > .claim-mentions"),
        ["Mentioned on C."]
    );
}

#[test]
fn a_claim_that_cites_a_source_with_an_address_appears_there_in_json_ld() {
    let s = linking_site().build_ok();
    let doc = s.html("b/index.html");
    let ld: serde_json::Value =
        serde_json::from_str(&select(&doc, "script[type=\"application/ld+json\"]")[0].inner_html())
            .expect("JSON-LD");
    assert_eq!(
        ld["@graph"][0]["appearance"],
        serde_json::json!([{ "@type": "CreativeWork", "url": "https://www.rbc.ru/interview" }])
    );
    // A claim citing nothing, and a response, have no `appearance`.
    let a = s.html("a/index.html");
    let ld: serde_json::Value =
        serde_json::from_str(&select(&a, "script[type=\"application/ld+json\"]")[0].inner_html())
            .expect("JSON-LD");
    let items = ld["@graph"].as_array().expect("graph");
    let with: Vec<&str> = items
        .iter()
        .filter(|i| i.get("appearance").is_some())
        .map(|i| i["@id"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(with, ["#claim-baku-backs"]);
}

#[test]
fn links_to_a_claim_that_is_not_there_or_shown_nowhere_are_errors_where_they_are() {
    let s = site()
        .file(
            "content/a.md",
            &page("A", "", "No block here: [this](claim:turkey).\n"),
        )
        .file(
            "content/c.md",
            &page(
                "C",
                "",
                "A typo: [that](claim:baku-back), and [that](claim:nothing-like).\n",
            ),
        );
    fails_with(
        &s,
        r#"error[E080]: `claim:turkey` links to a claim that no page shows
  ┌─ content/a.md:5:16
  │
5 │ No block here: [this](claim:turkey).
  │                ^^^^^^^^^^^^^^^^^^^^
  │
  = hint: show it with a `{{ claims() }}` block on a page, or link to a page instead

error[E080]: `claim:baku-back` links to a claim that content/claims.toml does not have
  ┌─ content/c.md:5:9
  │
5 │ A typo: [that](claim:baku-back), and [that](claim:nothing-like).
  │         ^^^^^^^^^^^^^^^^^^^^^^^
  │
  = hint: did you mean `claim:baku-backs`?

error[E080]: `claim:nothing-like` links to a claim that content/claims.toml does not have
  ┌─ content/c.md:5:38
  │
5 │ A typo: [that](claim:baku-back), and [that](claim:nothing-like).
  │                                      ^^^^^^^^^^^^^^^^^^^^^^^^^^
  │
  = hint: link to the `id` of one of its [[claim]] entries"#,
    );
    let none = Site::new().file("content/a.md", &page("A", "", "[x](claim:a)\n"));
    fails_with(
        &none,
        r#"error[E080]: `claim:a` links to a claim, and the site has no content/claims.toml
  ┌─ content/a.md:5:1
  │
5 │ [x](claim:a)
  │ ^^^^^^^^^^^^
  │
  = hint: write the claim in content/claims.toml, or link to a page instead"#,
    );
}

#[test]
fn a_link_to_a_claim_on_the_page_that_shows_it_is_the_anchor_alone() {
    let s = site()
        .file(
            "content/a.md",
            &page("A", "", "See [this](claim:turkey).\n\n{{ claims() }}\n"),
        )
        .build_ok();
    let doc = s.html("a/index.html");
    assert_eq!(attrs(&doc, "a.claim-ref", "href"), ["#claim-turkey"]);
    // The page is not listed under the claim as a page that links to it.
    assert!(select(&doc, "#claim-turkey .claim-mentions").is_empty());
}
