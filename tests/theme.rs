//! The default theme stays lean and self-contained.

use std::io::Write;

use kagu::output::theme::BUILTIN_STATIC;

#[test]
fn all_css_and_js_together_stay_under_30_kb_gzipped() {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    for (_, bytes) in BUILTIN_STATIC {
        gz.write_all(bytes).expect("gzip");
    }
    let size = gz.finish().expect("gzip").len();
    assert!(
        size < 30 * 1024,
        "the theme's CSS and JS weigh {size} bytes gzipped"
    );
}

#[test]
fn the_theme_asks_no_other_host_for_anything() {
    for (name, bytes) in BUILTIN_STATIC {
        // An SVG names its XML namespace by a URL; nothing is fetched from it.
        let text = String::from_utf8_lossy(bytes).replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        for needle in ["http://", "https://", "@import", "url(//"] {
            assert!(!text.contains(needle), "{name} refers to another host: {needle}");
        }
    }
    let blocks = kagu::base::markup::Block::ALL
        .iter()
        .map(|b| (b.def().template, b.def().builtin));
    for (name, text) in kagu::output::theme::BUILTIN_TEMPLATES
        .iter()
        .copied()
        .chain(blocks)
    {
        for needle in ["src=\"http", "href=\"http", "src=\"//", "href=\"//"] {
            assert!(
                !text.contains(needle),
                "{name} loads something from another host: {needle}"
            );
        }
    }
}
