//! The site's address, `base_url`, parsed once with the `url` crate: whether it is a full
//! address (sitemaps, feeds and canonical links need one), its path (for the 404 page), and the
//! text as written with one trailing slash (what links are made from, so output keeps the
//! writer's spelling).

use serde::{Deserialize, Serialize};

/// The `base_url` a new site gets from `kagu init`, which a build warns about until it is changed.
pub const INIT_ADDRESS: &str = "https://example.org/my-explainer/";

/// `base_url` as written and as parsed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(from = "String", into = "String")]
pub struct BaseUrl {
    written: String,
    /// The parsed address, when it is a full one (`https://example.org/x/`); None for a path
    /// (`/`, `/sub/`) or text that is no address.
    url: Option<::url::Url>,
}

impl From<String> for BaseUrl {
    fn from(written: String) -> Self {
        let url = ::url::Url::parse(&written)
            .ok()
            .filter(|u| !u.cannot_be_a_base() && u.has_host());
        BaseUrl { written, url }
    }
}

impl From<BaseUrl> for String {
    fn from(b: BaseUrl) -> String {
        b.written
    }
}

impl BaseUrl {
    /// As written in kagu.toml or on the command line.
    pub fn as_str(&self) -> &str {
        &self.written
    }

    /// Is it a full address (`https://…`)?
    pub fn is_absolute(&self) -> bool {
        self.url.is_some()
    }

    /// Is it the address `kagu init` writes ([`INIT_ADDRESS`]), not yet changed?
    pub fn is_init_address(&self) -> bool {
        let with_slash = ::url::Url::parse(&self.with_slash()).ok();
        self.url.is_some() && with_slash == ::url::Url::parse(INIT_ADDRESS).ok()
    }

    /// As written, with exactly one trailing slash.
    pub fn with_slash(&self) -> String {
        format!("{}/", self.written.trim_end_matches('/'))
    }

    /// Its path, always starting and ending with `/` (for the 404 page, which hosts serve at
    /// any depth and so cannot use relative links).
    pub fn path(&self) -> String {
        let path = self.url.as_ref().map_or(self.written.as_str(), ::url::Url::path);
        let trimmed = path.trim_matches('/');
        if trimmed.is_empty() {
            "/".into()
        } else {
            format!("/{trimmed}/")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_comes_from_the_address() {
        let path = |s: &str| BaseUrl::from(s.to_string()).path();
        assert_eq!(path("https://example.org/explainer"), "/explainer/");
        assert_eq!(path("https://example.org"), "/");
        assert_eq!(path("https://example.org/a/b/"), "/a/b/");
        assert_eq!(path("/"), "/");
        assert_eq!(path("/sub/"), "/sub/");
    }

    #[test]
    fn only_a_full_address_is_absolute() {
        let abs = |s: &str| BaseUrl::from(s.to_string()).is_absolute();
        assert!(abs("https://example.org/x/"));
        assert!(abs("http://localhost:1111/"));
        assert!(!abs("/"));
        assert!(!abs("/sub/"));
        assert!(!abs("example.org/x"));
        assert!(!abs("mailto:desk@example.org"));
    }

    #[test]
    fn only_the_address_kagu_init_writes_is_warned_about() {
        let init = |s: &str| BaseUrl::from(s.to_string()).is_init_address();
        assert!(init("https://example.org/my-explainer/"));
        assert!(init("https://EXAMPLE.org/my-explainer/"));
        assert!(init("https://example.org/my-explainer"));
        assert!(!init("https://example.org/my-explainer/x/"));
        assert!(!init("https://example.org/explainer/"));
        assert!(!init("/"));
    }

    #[test]
    fn links_keep_the_spelling_written() {
        let b = BaseUrl::from("https://Example.org/Ex%41//".to_string());
        assert_eq!(b.with_slash(), "https://Example.org/Ex%41/");
        assert_eq!(String::from(b), "https://Example.org/Ex%41//");
    }
}
