//! Links in a page: what a destination is (a page, a file, a path from the site's root, an
//! external address), and the holes that the graph fills with each link's target.

use super::*;

/// What a link destination points at.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Dest {
    /// Another page's Markdown file, or an anchor on this page.
    Page,
    /// Another site, a mail address, or anything with a scheme: left as it is.
    External,
    /// A path from the site root.
    Root,
    /// A `.md` path with something after it (`page.md/`, `page.md?x`): the fixed path.
    MalformedPage(String),
    /// A file that is not a page, relative to this page's file.
    File,
}

pub(super) fn classify_dest(dest: &str) -> Dest {
    if dest.starts_with('#') {
        return Dest::Page;
    }
    let has_scheme = dest.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty() && !s.contains('/') && s.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if dest.is_empty() || has_scheme || dest.starts_with("//") {
        return Dest::External;
    }
    if dest.starts_with('/') {
        return Dest::Root;
    }
    let path = dest.split('#').next().unwrap_or_default();
    if path.ends_with(".md") {
        return Dest::Page;
    }
    if let Some(i) = path.find(".md/").or_else(|| path.find(".md?")) {
        return Dest::MalformedPage(path[..i + 3].to_string());
    }
    Dest::File
}

/// Schemes a link may have that a browser or a common app opens.
const KNOWN_SCHEMES: [&str; 20] = [
    "http", "https", "mailto", "tel", "sms", "ftp", "ftps", "sftp", "ssh", "git", "irc", "ircs", "xmpp",
    "geo", "urn", "doi", "news", "webcal", "magnet", "data",
];

/// A destination whose scheme is a typo of a web or mail one (`htps://`, `mialto:`): the scheme
/// as written and the one meant. Schemes far from those (`zotero:`) are left alone.
pub(super) fn mistyped_scheme(dest: &str) -> Option<(String, String)> {
    let (scheme, _) = dest.split_once(':')?;
    let lower = scheme.to_ascii_lowercase();
    if classify_dest(dest) != Dest::External
        || dest.starts_with("//")
        || KNOWN_SCHEMES.contains(&lower.as_str())
    {
        return None;
    }
    let meant = crate::base::diag::did_you_mean(&lower, ["http", "https", "mailto", "ftp"])?;
    Some((scheme.to_string(), meant))
}

/// `dest` cut into its path and fragment.
pub(super) fn path_and_fragment(dest: &str) -> (String, Option<String>) {
    match dest.split_once('#') {
        Some((p, f)) => (p.to_string(), Some(f.to_string())),
        None => (dest.to_string(), None),
    }
}

impl State<'_> {
    /// Records a link or image to a web address, for `kagu check --external`.
    pub(super) fn external(&mut self, dest: &str, range: &Range<usize>) {
        let scheme = dest.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
        if matches!(scheme.as_deref(), Some("http" | "https")) {
            let span = self.span(range);
            self.out.external.push(ExternalRef {
                url: dest.to_string(),
                file: self.file,
                span,
            });
        }
    }

    /// A link or image whose scheme is mistyped is E072 where it is written.
    pub(super) fn check_scheme(&mut self, dest: &str, range: &Range<usize>) {
        if let Some((scheme, suggestion)) = mistyped_scheme(dest) {
            let span = self.span(range);
            self.diags.push(Diagnostic::at(
                Kind::MistypedScheme { scheme, suggestion },
                self.file,
                span,
            ));
        }
    }

    /// The start of a link that is not external: to a page, a file, a root path, or a page
    /// written as a folder.
    pub(super) fn link_start(&mut self, dest_url: &str, title: &str, range: &Range<usize>) {
        let span = self.span(range);
        let title = if title.is_empty() {
            String::new()
        } else {
            format!(" title=\"{}\"", html_attr_escape(title))
        };
        match classify_dest(dest_url) {
            Dest::Page => {
                self.page_link(dest_url, self.file, span, self.data.in_event);
                self.html(format!("\"{title}>"));
            }
            Dest::File => {
                let j = self.file_ref(dest_url, span);
                self.html("<a href=\"".into());
                self.hole(Hole::File(j));
                self.html(format!("\"{title}>"));
            }
            Dest::Root => {
                self.out.root_links.push(RootLink {
                    file: self.file,
                    path: dest_url.to_string(),
                    span,
                });
                self.html(format!("<a href=\"{}\"{title}>", html_attr_escape(dest_url)));
            }
            Dest::MalformedPage(fixed) => {
                self.diags.push(Diagnostic::at(
                    Kind::MalformedPageLink {
                        target: dest_url.to_string(),
                        fixed,
                    },
                    self.file,
                    span,
                ));
                self.html(format!("<a href=\"{}\"{title}>", html_attr_escape(dest_url)));
            }
            Dest::External => {}
        }
    }

    /// Records a link to a page, written in `file` (relative to content/ when `from_content`),
    /// and writes `<a href="` with the hole for its target; the caller closes the tag.
    pub(super) fn page_link(&mut self, dest: &str, file: FileId, span: Range<usize>, from_content: bool) {
        self.html("<a href=\"".into());
        self.link_hole(dest, file, span, from_content);
    }

    /// Records a link to a page (see [`Self::page_link`]) and puts the hole for its target.
    pub(super) fn link_hole(&mut self, dest: &str, file: FileId, span: Range<usize>, from_content: bool) {
        let (path, fragment) = path_and_fragment(dest);
        let idx = LinkId::new(self.out.links.len());
        let path = self.page_relative(path, from_content);
        self.out.links.push(LinkRef {
            path,
            fragment,
            file,
            span,
            under: self.data.under.clone().map(Box::new),
        });
        self.hole(Hole::Link(idx));
    }

    /// Records a link or image to a file.
    pub(super) fn file_ref(&mut self, dest_url: &str, span: Range<usize>) -> FileRefId {
        let (path, fragment) = path_and_fragment(dest_url);
        let j = FileRefId::new(self.out.files.len());
        let (path, file) = (self.page_relative(path, self.data.in_event), self.file);
        self.out.files.push(FileRef {
            path,
            fragment,
            file,
            span,
        });
        j
    }
}
