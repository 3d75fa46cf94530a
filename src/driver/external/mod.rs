//! `kagu check --external`: every web address the site publishes (its sources' `url` and
//! `archive_url`, and the links and images of its pages and of the events and entries they
//! show) is asked for, and each one that fails is a diagnostic where it is written. Sources whose
//! address fails are listed with the pages that cite them. Results are kept in a cache for
//! `cache_hours`, so a scheduled run does not ask the same hosts again. Only this command makes
//! a request; build and serve never do.

mod cache;
mod fetch;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::time::Duration;

use crate::base::diag::{Archive, Diagnostic, FileId, Files, Kind};
use crate::project::config::External;

pub(crate) use fetch::Outcome;

/// One place a web address is written.
#[derive(Debug, Clone)]
pub(crate) struct Place {
    pub url: String,
    pub file: FileId,
    pub span: Range<usize>,
    /// The source whose `url` (not `archive_url`) this is.
    pub source: Option<String>,
}

/// A source's addresses, from its sources file.
#[derive(Debug, Clone, Default)]
pub(crate) struct SourceUrls {
    pub url: Option<(String, Range<usize>)>,
    pub archive_url: Option<(String, Range<usize>)>,
}

/// The sources' addresses in a sources file (TOML, or BibLaTeX's `url`), by key.
pub(crate) fn source_urls(text: &str, bib: bool) -> BTreeMap<String, SourceUrls> {
    let mut out = BTreeMap::new();
    if bib {
        for e in crate::data::bibscan::scan(text).0.entries {
            // The span of the address itself, inside the field's braces or quotes.
            let url = e.field("url").map(|f| {
                let url = f.value.trim().to_string();
                let at = text.get(f.value_span.clone()).and_then(|raw| raw.find(&url));
                let span = at.map_or(f.value_span.clone(), |i| {
                    f.value_span.start + i..f.value_span.start + i + url.len()
                });
                (url, span)
            });
            out.insert(
                e.key,
                SourceUrls {
                    url,
                    archive_url: None,
                },
            );
        }
        return out;
    }
    type Fields = BTreeMap<String, toml::Spanned<toml::Value>>;
    let Ok(table) = toml::from_str::<BTreeMap<String, toml::Spanned<Fields>>>(text) else {
        return out;
    };
    for (key, fields) in table {
        let field = |name: &str| {
            let v = fields.get_ref().get(name)?;
            Some((v.get_ref().as_str()?.to_string(), v.span()))
        };
        // `archived = true`: the live copy is known to be gone, and not linked.
        let archived = fields
            .get_ref()
            .get("archived")
            .and_then(|v| v.get_ref().as_bool())
            == Some(true);
        out.insert(
            key,
            SourceUrls {
                url: field("url").filter(|_| !archived),
                archive_url: field("archive_url"),
            },
        );
    }
    out
}

/// The web addresses a template writes as they are (`href="https://…"`, `src='http://…'`):
/// those it computes (`{{ … }}`) are checked where their values are written.
pub(crate) fn template_urls(text: &str) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    for attr in ["href=", "src="] {
        for (at, _) in text.match_indices(attr) {
            let rest = &text[at + attr.len()..];
            let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            let Some(len) = rest[1..].find(quote) else {
                continue;
            };
            let value = &rest[1..1 + len];
            let web = value.starts_with("http://") || value.starts_with("https://");
            if web && !value.contains("{{") && !value.contains("{%") {
                let start = at + attr.len() + 1;
                out.push((value.to_string(), start..start + len));
            }
        }
    }
    out
}

/// Is the address skipped by `skip` (a host, or the start of an address)?
fn skipped(url: &str, skip: &[String]) -> bool {
    let host = url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string));
    skip.iter().any(|s| {
        if s.contains("://") {
            url.starts_with(s.as_str())
        } else {
            host.as_deref() == Some(s.as_str())
        }
    })
}

/// What was found: the diagnostics, and the sources whose address fails with the pages that
/// cite them, a line each, for the summary.
pub(crate) struct Findings {
    pub diagnostics: Vec<Diagnostic>,
    pub unverifiable: Vec<String>,
    /// Addresses asked for (not from the cache).
    pub asked: usize,
    pub checked: usize,
}

/// Checks every place's address (each address once), with the cache at `cache_file`.
pub(crate) fn check(
    places: &[Place],
    archives: &BTreeMap<String, String>,
    cited_on: &BTreeMap<String, Vec<String>>,
    settings: &External,
    cache_file: Option<&std::path::Path>,
) -> Findings {
    let urls: BTreeSet<&str> = places
        .iter()
        .map(|p| p.url.as_str())
        .chain(archives.values().map(String::as_str))
        .filter(|u| !skipped(u, &settings.skip))
        .collect();
    let lifetime = Duration::from_secs(settings.cache_hours.saturating_mul(3600));
    let mut cache = cache_file
        .map(|f| cache::Cache::read(f, lifetime))
        .unwrap_or_default();
    let wanted: Vec<String> = urls
        .iter()
        .filter(|u| cache.get(u).is_none())
        .map(|u| (*u).to_string())
        .collect();
    let manner = fetch::Manner {
        timeout: Duration::from_secs(settings.timeout.max(1)),
        per_host: settings.per_host,
        delay: Duration::from_millis(settings.delay_ms),
        hosts_at_once: 16,
        backoff: Duration::from_millis(500),
    };
    let fresh = fetch::check_all(&wanted, &manner);
    for (u, o) in &fresh {
        cache.put(u, o.clone());
    }
    if let Some(f) = cache_file {
        cache.write(f);
    }
    let outcome = |u: &str| cache.get(u).cloned();
    let mut diagnostics = Vec::new();
    let mut unverifiable = Vec::new();
    for p in places {
        let Some(o) = outcome(&p.url) else { continue };
        if o == Outcome::Fine {
            continue;
        }
        let archive = p.source.as_ref().and_then(|k| archives.get(k));
        let kind = match &o {
            Outcome::Moved { to } => Kind::ExternalMoved {
                url: p.url.clone(),
                to: to.clone(),
            },
            _ => Kind::ExternalBroken {
                url: p.url.clone(),
                what: what_happened(&o),
                archive: match (&p.source, archive.map(|a| outcome(a).is_some_and(|o| o.works()))) {
                    (None, _) => Archive::NotASource,
                    (Some(_), None) => Archive::None,
                    (Some(_), Some(true)) => Archive::Works,
                    (Some(_), Some(false)) => Archive::Fails,
                },
            },
        };
        if let (Some(key), false) = (&p.source, o.works()) {
            let pages = cited_on
                .get(key)
                .map_or_else(|| "cited on no page".to_string(), |p| p.join(", "));
            unverifiable.push(format!("  {key} ({}): {pages}", p.url));
        }
        diagnostics.push(Diagnostic::at(kind, p.file, p.span.clone()));
    }
    Findings {
        diagnostics,
        unverifiable,
        asked: wanted.len(),
        checked: urls.len(),
    }
}

/// What happened, in a few words: "404 Not Found", "no answer within 10 s".
fn what_happened(o: &Outcome) -> String {
    match o {
        Outcome::Status { code } => {
            let reason = match code {
                400 => " Bad Request",
                401 => " Unauthorized",
                403 => " Forbidden",
                404 => " Not Found",
                410 => " Gone",
                429 => " Too Many Requests",
                500 => " Internal Server Error",
                502 => " Bad Gateway",
                503 => " Service Unavailable",
                _ => "",
            };
            format!("it answers {code}{reason}")
        }
        Outcome::NoSuchHost => "no server has that name (DNS)".into(),
        Outcome::Refused => "nothing answers there (connection refused)".into(),
        Outcome::Timeout => "no answer in time".into(),
        Outcome::Tls { why } => format!("its secure connection fails ({why})"),
        Outcome::RedirectLoop => "its redirects go round in a loop".into(),
        Outcome::TooManyRedirects => "it redirects more than 10 times".into(),
        Outcome::Failed { why } => format!("the request failed ({why})"),
        Outcome::Fine | Outcome::Moved { .. } => String::new(),
    }
}

/// Where the cache lives: `KAGU_CACHE_DIR`, or the user's cache folder (`XDG_CACHE_HOME`, or
/// `~/.cache`), under `kagu/`; one file per project folder.
pub(crate) fn cache_file(root: &std::path::Path) -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("KAGU_CACHE_DIR")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("XDG_CACHE_HOME").map(|d| std::path::PathBuf::from(d).join("kagu")))
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".cache/kagu")))?;
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    use sha2::Digest;
    let digest = sha2::Sha256::digest(root.to_string_lossy().as_bytes());
    let name: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    Some(dir.join(format!("external-{name}.json")))
}

/// The places of a project's addresses: its sources' (from their files), its templates' and
/// its pages'.
pub(crate) fn places(
    files: &Files,
    bibliographies: &[(FileId, String)],
    templates: &[(String, FileId)],
    pages: impl IntoIterator<Item = crate::page::markdown::ExternalRef>,
) -> (Vec<Place>, BTreeMap<String, String>) {
    let mut places = Vec::new();
    for (_, id) in templates {
        for (url, span) in template_urls(files.text(*id)) {
            places.push(Place {
                url,
                file: *id,
                span,
                source: None,
            });
        }
    }
    let mut archives = BTreeMap::new();
    for (id, rel) in bibliographies {
        for (key, urls) in source_urls(files.text(*id), rel.ends_with(".bib")) {
            if let Some((url, span)) = urls.url {
                places.push(Place {
                    url,
                    file: *id,
                    span,
                    source: Some(key.clone()),
                });
            }
            if let Some((url, span)) = urls.archive_url {
                places.push(Place {
                    url: url.clone(),
                    file: *id,
                    span,
                    source: None,
                });
                archives.insert(key, url);
            }
        }
    }
    places.extend(pages.into_iter().map(|e| Place {
        url: e.url,
        file: e.file,
        span: e.span,
        source: None,
    }));
    places.sort_by_key(|p| (p.file.0, p.span.start));
    places.dedup_by(|a, b| a.file == b.file && a.span == b.span);
    (places, archives)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_templates_own_addresses_are_found_and_computed_ones_left() {
        let t = "<a href=\"https://example.org/about\">x</a> <img src='http://example.org/a.png'>\
                 <a href=\"{{ site.base_url }}\"> <a href=\"https://x.org/{{ page.path }}\"> <a href=\"#top\">";
        let found: Vec<String> = template_urls(t)
            .into_iter()
            .map(|(u, r)| {
                assert_eq!(&t[r], u);
                u
            })
            .collect();
        assert_eq!(found, ["https://example.org/about", "http://example.org/a.png"]);
    }

    #[test]
    fn sources_addresses_are_read_with_their_places() {
        let toml = "[a]\ntitle = \"A\"\nurl = \"https://a.org/\"\narchive_url = \"https://web.archive.org/a\"\n\n\
                    [b]\ntitle = \"B\"\nurl = \"https://b.org/\"\narchived = true\narchive_url = \"https://w.org/b\"\n";
        let found = source_urls(toml, false);
        let a = &found["a"];
        assert_eq!(
            a.url.as_ref().map(|(u, r)| (u.as_str(), &toml[r.clone()])),
            Some(("https://a.org/", "\"https://a.org/\""))
        );
        assert_eq!(
            found["b"].url, None,
            "archived: the live address is not asked for"
        );
        let bib = "@online{c, title = {C}, url = {https://c.org/x}}";
        let c = &source_urls(bib, true)["c"];
        assert_eq!(
            c.url.as_ref().map(|(u, r)| (u.as_str(), &bib[r.clone()])),
            Some(("https://c.org/x", "https://c.org/x"))
        );
    }
}
