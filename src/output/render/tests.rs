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
