//! The readers' search: each rendered page's text (its title, its description and its article,
//! without notes, sidenotes, popover cards or navigation) handed to Pagefind's indexer, whose
//! chunked index and browser search API go in the edition's `pagefind/` folder.

use std::collections::BTreeMap;
use std::sync::Mutex;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::base::text::html_attr_escape;

/// The folder, under each edition's root, that the index goes in.
pub(crate) const SEARCH_DIR: &str = "pagefind/";

/// What in a page's article is not searched: note markers and sidenotes (the notes would repeat
/// every source on every page), popover cards, the "Mentioned on" lines, and data.
const LEFT_OUT: [&str; 8] = [
    ".note-ref",
    ".sidenote",
    ".term-card",
    ".term-mentions",
    ".event-mentions",
    ".claim-mentions",
    "script",
    "template",
];

/// One page as the index reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SearchDoc {
    /// Its address from the edition's root, starting with `/` (`/allegations/`).
    pub url: String,
    /// A small HTML document: the page's title as its `h1`, its description, its article.
    pub html: String,
}

impl SearchDoc {
    /// The document for a page at `path` (from the edition's root) of kind `kind` (`page`,
    /// `section`, `timeline`, `glossary`, `sources`): headings, glossary entries and timeline
    /// events keep their ids, which results link to.
    pub(crate) fn new(path: &str, kind: &str, title: &str, description: &str, article: &str) -> SearchDoc {
        let description = if description.is_empty() {
            String::new()
        } else {
            format!("<p>{}</p>", html_attr_escape(description))
        };
        let html = format!(
            "<!DOCTYPE html><html><body data-pagefind-body data-pagefind-filter=\"kind:{kind}\"><h1>{}</h1>{description}{article}</body></html>",
            html_attr_escape(title),
        );
        SearchDoc {
            url: format!("/{path}"),
            html,
        }
    }
}

/// The pages rendered in one build, gathered from the threads that render them (none when
/// `closed`: a check writes no index).
#[derive(Debug, Default)]
pub(crate) struct SearchDocs {
    docs: Mutex<Vec<SearchDoc>>,
    pub closed: bool,
}

impl SearchDocs {
    pub(crate) fn push(&self, doc: SearchDoc) {
        if !self.closed {
            self.docs
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(doc);
        }
    }

    pub(crate) fn take(&self) -> Vec<SearchDoc> {
        std::mem::take(
            &mut *self
                .docs
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }
}

/// The index of `docs` (handed over, not copied: a large site's text is tens of megabytes) in
/// `language`: each file's path under [`SEARCH_DIR`] and its bytes, or what went wrong. Pagefind's own interfaces are left out: the theme has its own.
pub(crate) fn index(mut docs: Vec<SearchDoc>, language: &str) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| e.to_string())?;
    let options = PagefindServiceConfig::builder()
        .force_language(language.to_string())
        .exclude_selectors(LEFT_OUT.iter().map(ToString::to_string).collect())
        .build();
    let mut index = PagefindIndex::new(Some(options)).map_err(|e| e.to_string())?;
    // In one order, whatever order the pages were rendered in: the same site, the same index.
    docs.sort_by(|a, b| a.url.cmp(&b.url));
    runtime.block_on(async {
        for doc in docs {
            index
                .add_html_file(None, Some(doc.url.clone()), doc.html)
                .await
                .map_err(|e| format!("{}: {e}", doc.url))?;
        }
        let files = index.get_files().await.map_err(|e| e.to_string())?;
        Ok(files
            .into_iter()
            .filter(|f| {
                !f.filename.to_string_lossy().contains("-ui.")
                    && !f.filename.ends_with("pagefind-highlight.js")
            })
            .map(|f| {
                let path = f.filename.to_string_lossy().replace('\\', "/");
                (path, f.contents)
            })
            .collect())
    })
}
