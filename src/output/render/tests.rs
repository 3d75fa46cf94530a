//! Unit tests of the render stage.

use super::*;

#[test]
fn the_sections_window_is_bounded_and_holds_the_current_one() {
    assert_eq!(section_window(7, Some(3)), 0..7);
    assert_eq!(section_window(1000, None), 0..SECTION_WINDOW);
    assert_eq!(section_window(1000, Some(0)), 0..SECTION_WINDOW);
    assert_eq!(section_window(1000, Some(500)), 495..506);
    assert_eq!(section_window(1000, Some(999)), 989..1000);
    for at in 0..40 {
        let w = section_window(40, Some(at));
        assert!(w.contains(&at) && w.len() == SECTION_WINDOW);
    }
}

#[test]
fn backref_labels_go_a_to_z_then_aa() {
    assert_eq!(backref_label(0), "a");
    assert_eq!(backref_label(25), "z");
    assert_eq!(backref_label(26), "aa");
}

/// The sidenote text as it was made before it took one pass: a scan for each block tag and a
/// replace for each change.
fn sidenote_by_replaces(html: &str) -> Option<String> {
    const BLOCKS: [&str; 8] = ["<ul", "<ol", "<table", "<pre", "<blockquote", "<h", "<div", "<hr"];
    if html.is_empty() || BLOCKS.iter().any(|b| html.contains(b)) {
        return None;
    }
    let inline = html.replace("<p>", "").replace("</p>", " ");
    let inline = inline.replace(" id=\"cite-", " data-cite=\"");
    Some(inline.trim().replace("<a ", "<a tabindex=\"-1\" "))
}

#[test]
fn a_sidenote_is_a_notes_text_inline() {
    assert_eq!(
        sidenote_text("<p>See <a href=\"x\">this</a> and <span class=\"cite\" id=\"cite-1-2\">(Doe)</span>.</p>\n<p>More.</p>"),
        Some("See <a tabindex=\"-1\" href=\"x\">this</a> and <span class=\"cite\" data-cite=\"1-2\">(Doe)</span>. \nMore.".into())
    );
    assert_eq!(sidenote_text("<p>A list:</p><ul><li>one</li></ul>"), None);
    assert_eq!(sidenote_text("<h3>Head</h3>"), None);
    assert_eq!(sidenote_text(""), None);
}

proptest::proptest! {
    /// Notes as the renderer writes them: a tag that opens is whole.
    #[test]
    fn a_sidenote_in_one_pass_is_what_the_replaces_made(
        parts in proptest::collection::vec(proptest::sample::select(vec![
            "<p>", "</p>", "<span id=\"cite-1\">", "</span>", "<a href=\"#n\">", "</a>", "<i>", "</i>", "text", " ", "\n",
            "é", "<ul>", "<hr>", "<h2>", "<table>", "<pre>", "<div>", "<blockquote>", "<ol>", "&lt;p&gt;",
        ]), 0..24)
    ) {
        let html = parts.concat();
        proptest::prop_assert_eq!(sidenote_text(&html), sidenote_by_replaces(&html));
    }
}
