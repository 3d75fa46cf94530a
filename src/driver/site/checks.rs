//! What kagu.toml says that only the whole site can tell wrong: an address the output would
//! carry (W005, W010) and the site's link-preview picture (E074, E075, W012).

use super::{Flavour, Site};
use crate::base::diag::{did_you_mean, Diagnostic, Kind};
use crate::driver::external;

impl Site {
    /// The site-wide checks of kagu.toml; `builds` when nothing else stops the build (what the
    /// output leaves out is said only then).
    pub(super) fn config_checks(&self, builds: bool) -> Vec<Diagnostic> {
        let config = &self.set.config;
        let mut checks = Vec::new();
        if builds && !config.base_url.is_absolute() {
            checks.push(Diagnostic::global(Kind::RelativeBaseUrl {
                url: config.base_url.as_str().to_string(),
            }));
        }
        // A build to publish (not the dev server's, whose address is its own) with the address
        // `kagu init` wrote: said at kagu.toml's line, or of --base-url.
        if self.flavour == Flavour::Publish && config.base_url.is_init_address() {
            let kind = Kind::PlaceholderBaseUrl {
                url: config.base_url.as_str().to_string(),
            };
            checks.push(match self.opts.base_url {
                None => self.at_config_key(kind, "base_url"),
                Some(_) => Diagnostic::global(kind),
            });
        }
        if let Some(image) = &config.image {
            let on_disk = config
                .card_image_output()
                .is_some_and(|out| self.set.static_files.iter().any(|s| s.rel.as_str() == out));
            if !on_disk {
                let statics = self
                    .set
                    .static_files
                    .iter()
                    .map(|s| format!("static/{}", s.rel.as_str()));
                let statics: Vec<String> = statics.collect();
                let kind = Kind::MissingCardImage {
                    image: image.clone(),
                    suggestion: did_you_mean(image, statics.iter().map(String::as_str)),
                };
                checks.push(self.at_config_key(kind, "image"));
            } else if let Some(id) = self.set.config_file {
                let text = self.set.files.text(id);
                let span = crate::base::tomldoc::key_span(text, &(0..text.len()), "image");
                checks.extend(crate::page::card_image_problem(
                    image,
                    &config.image_alt,
                    id,
                    &span,
                ));
            }
        }
        checks
    }

    /// `--external`: checks the web addresses of the site's sources and pages; their problems
    /// join the run's.
    pub(crate) fn check_external(&mut self) {
        use std::collections::BTreeMap;
        let pages = self.parsed.values().map(|(p, _)| p);
        let refs = pages.clone().flat_map(|p| p.md.external.iter().cloned());
        let set = &self.set;
        let (places, archives) = external::places(&set.files, &set.bibliographies, &set.templates, refs);
        let mut cited_on: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for p in pages {
            let mut keys: Vec<&str> = p.md.cites().map(|c| c.key).collect();
            keys.sort_unstable();
            keys.dedup();
            for k in keys {
                cited_on
                    .entry(k.to_string())
                    .or_default()
                    .push(format!("content/{}", p.rel.as_str()));
            }
        }
        let cache = external::cache_file(&self.opts.root);
        let found = external::check(
            &places,
            &archives,
            &cited_on,
            &self.set.config.external,
            cache.as_deref(),
        );
        // Pages are not held in memory: read back those the problems point into.
        self.set
            .files
            .restore(found.diagnostics.iter().filter_map(|d| d.file));
        self.report.diagnostics.extend(found.diagnostics);
        self.report.diagnostics.sort(&self.set.files);
        self.report.external = Some((found.checked, found.asked, found.unverifiable));
    }

    /// A problem of kagu.toml, at the line that sets `key` (or of the whole site, without one).
    fn at_config_key(&self, kind: Kind, key: &str) -> Diagnostic {
        match self.set.config_file {
            Some(id) => {
                let text = self.set.files.text(id);
                Diagnostic::at(
                    kind,
                    id,
                    crate::base::tomldoc::key_span(text, &(0..text.len()), key),
                )
            }
            None => Diagnostic::global(kind),
        }
    }
}
