//! CSS and JS: optionally minified, then written under content-hashed names (`kagu.3f2a9c1b04.css`)
//! so hosts can cache them forever. Templates find the hashed name through `site.assets`.
//! Also the HTML minifier, so every use of minify-html sits in one place.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use crate::output::theme::BUILTIN_STATIC;
use crate::project::load::StaticFile;

/// The favicon the pages link: the site's `static/favicon.svg`, `.png` or `.ico` when it has
/// one, else the theme's; (path, MIME type).
pub fn favicon(assets: &Assets) -> (String, &'static str) {
    for (name, mime) in [
        ("favicon.svg", "image/svg+xml"),
        ("favicon.png", "image/png"),
        ("favicon.ico", "image/x-icon"),
    ] {
        if assets.copies.iter().any(|c| c.rel == name) {
            return (name.to_string(), mime);
        }
    }
    let builtin = assets
        .names
        .get("favicon.svg")
        .cloned()
        .unwrap_or_else(|| "favicon.svg".into());
    (builtin, "image/svg+xml")
}

/// Static files after hashing: the bytes to write and the map from original to hashed names.
#[derive(Debug, Default)]
pub struct Assets {
    /// Output path and bytes of each CSS/JS file, under both its hashed and its original name.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Original name → hashed name, for templates.
    pub names: BTreeMap<String, String>,
    /// Static files copied as they are (everything but CSS and JS).
    pub copies: Vec<StaticFile>,
}

fn ext(name: &str) -> Option<&str> {
    name.rsplit_once('.').map(|(_, e)| e).filter(|e| !e.contains('/'))
}

/// `dir/name.ext` → `dir/name.<first 10 hex digits of SHA-256>.ext`.
pub fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex = digest.iter().take(5).fold(String::new(), |mut hex, b| {
        use std::fmt::Write;
        let _ = write!(hex, "{b:02x}");
        hex
    });
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hex}.{ext}"),
        None => format!("{name}.{hex}"),
    }
}

/// `--minify`, with the `minify` feature: minify-html for HTML, and (through it) CSS and JS.
#[cfg(feature = "minify")]
pub mod minify {
    /// Whether this kagu can minify (`kagu build --minify` is E014 otherwise).
    pub const AVAILABLE: bool = true;

    fn cfg() -> minify_html::Cfg {
        let mut c = minify_html::Cfg::new();
        c.minify_css = true;
        c.minify_js = true;
        c.keep_closing_tags = true;
        c.keep_html_and_head_opening_tags = true;
        c
    }

    /// The HTML, minified (inline styles and scripts too).
    pub fn html(html: &[u8]) -> Vec<u8> {
        minify_html::minify(html, &cfg())
    }

    /// Minifies a stylesheet or script by handing it to minify-html inside its element.
    fn inside(tag: &str, code: &[u8]) -> Vec<u8> {
        let open = format!("<{tag}>");
        let close = format!("</{tag}>");
        let doc = [open.as_bytes(), code, close.as_bytes()].concat();
        let out = minify_html::minify(&doc, &cfg());
        let inner = out
            .strip_prefix(open.as_bytes())
            .and_then(|o| o.strip_suffix(close.as_bytes()));
        inner.map_or_else(|| code.to_vec(), <[u8]>::to_vec)
    }

    /// The stylesheet, minified.
    pub fn css(css: &[u8]) -> Vec<u8> {
        inside("style", css)
    }

    /// The script, minified.
    pub fn js(js: &[u8]) -> Vec<u8> {
        inside("script", js)
    }
}

/// Without the `minify` feature the build refuses `--minify` before it starts (E014), so these
/// are never asked to minify; they hand the bytes back as they are.
#[cfg(not(feature = "minify"))]
pub mod minify {
    /// Whether this binary can minify (built with the `minify` feature).
    pub const AVAILABLE: bool = false;

    /// The HTML as it is.
    pub fn html(html: &[u8]) -> Vec<u8> {
        html.to_vec()
    }
    /// The stylesheet as it is.
    pub fn css(css: &[u8]) -> Vec<u8> {
        css.to_vec()
    }
    /// The script as it is.
    pub fn js(js: &[u8]) -> Vec<u8> {
        js.to_vec()
    }
}

/// The built-in theme's assets, then the site's static files (later wins). Reads the site's
/// CSS and JS; other static files are copied at write time.
/// Without `hash` (the dev server) every asset keeps its plain name, so a stylesheet edit does not
/// change every page.
pub fn prepare(statics: &[StaticFile], minify: bool, hash: bool) -> std::io::Result<Assets> {
    let mut sources: BTreeMap<String, Vec<u8>> = BUILTIN_STATIC
        .iter()
        .map(|(n, b)| (n.to_string(), b.to_vec()))
        .collect();
    let mut copies = Vec::new();
    for s in statics {
        // The site's own file of a built-in's name (favicon.svg) replaces the built-in.
        if ext(&s.rel) != Some("css") && ext(&s.rel) != Some("js") {
            sources.remove(s.rel.as_str());
        }
        match ext(&s.rel) {
            Some("css" | "js") => {
                sources.insert(s.rel.to_string(), std::fs::read(&s.abs)?);
            }
            _ => copies.push(s.clone()),
        }
    }
    let mut assets = Assets {
        copies,
        ..Assets::default()
    };
    for (name, bytes) in sources {
        let bytes = match (minify, ext(&name)) {
            (true, Some("css")) => minify::css(&bytes),
            (true, Some("js")) => minify::js(&bytes),
            _ => bytes,
        };
        let hashed = if hash {
            hashed_name(&name, &bytes)
        } else {
            name.clone()
        };
        assets.files.insert(hashed.clone(), bytes.clone());
        assets.files.insert(name.clone(), bytes);
        assets.names.insert(name, hashed);
    }
    Ok(assets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_depend_on_content_only() {
        let a = hashed_name("css/site.css", b"body{}");
        assert!(
            a.starts_with("css/site.") && a.ends_with(".css") && a.len() == "css/site..css".len() + 10,
            "{a}"
        );
        assert_eq!(a, hashed_name("css/site.css", b"body{}"));
        assert_ne!(a, hashed_name("css/site.css", b"body{ }"));
    }

    #[test]
    #[cfg(feature = "minify")]
    fn minify_makes_css_and_js_smaller_and_keeps_their_meaning() {
        let css = minify::css(b"body {\n  color : red ;\n}\n\n/* note */\n");
        assert_eq!(String::from_utf8_lossy(&css), "body{color:red}");
        let js = minify::js(b"function add ( a , b ) {\n  return a + b ;\n}\nwindow.add = add;\n");
        let js = String::from_utf8_lossy(&js);
        assert!(js.len() < 50 && js.contains("return"), "{js}");
    }
}
