//! Parse stage: content files to [`ParsedPage`]s.

pub(crate) mod frontmatter;
pub(crate) mod markdown;
pub(crate) mod updates;

use crate::base::diag::{Diagnostic, FileId, Files};
use crate::base::paths::ContentPath;
use crate::data::cite::citeproc::CiteMode;
use crate::project::load::ContentFile;
use frontmatter::FrontMatter;
use markdown::ParsedMarkdown;

/// One content file after parsing.
#[derive(Debug, Clone)]
pub(crate) struct ParsedPage {
    pub file: FileId,
    /// Path relative to `content/`, with `/` separators.
    pub rel: ContentPath,
    /// Is this an `_index.md` (a section, or the home page)?
    pub is_section: bool,
    pub meta: FrontMatter,
    /// Where the front matter names its template (or its opening fence).
    pub template_span: std::ops::Range<usize>,
    /// Where the front matter sets its tags.
    pub tags_span: std::ops::Range<usize>,
    pub md: ParsedMarkdown,
}

/// Parses one content file. A page always comes out, however broken its file: what could not be
/// read is reported and left out (a title falls back to the file's name), so that links to the
/// page still resolve and its body is still checked, and no error causes others.
impl ParsedPage {
    /// The heading a spot at byte `pos` of the file sits under, if any.
    pub(crate) fn heading_above(&self, pos: usize) -> Option<&markdown::Heading> {
        self.md.headings.iter().rev().find(|h| h.pos <= pos)
    }

    /// Does the page have a heading or figure with this id (a link's `#fragment`)?
    pub(crate) fn has_id(&self, id: &str) -> bool {
        self.md.headings.iter().any(|h| h.id == id) || self.md.anchor_ids.iter().any(|f| f == id)
    }

    /// Each link to a page, with the id of the heading it sits under (other pages' "Referenced
    /// in" lists name that heading).
    pub(crate) fn links_under_headings(
        &self,
    ) -> impl Iterator<Item = (&String, &Option<String>, Option<&str>)> {
        self.md
            .links
            .iter()
            .map(|l| (&l.path, &l.fragment, self.place_of(l).map(|(id, _)| id)))
    }

    /// The heading a link sits under, as (id, title); for one in a timeline event or glossary
    /// entry the page shows, that item's anchor and title; none for a link written elsewhere.
    pub(crate) fn place_of<'s>(&'s self, link: &'s markdown::LinkRef) -> Option<(&'s str, &'s str)> {
        match &link.under {
            Some(under) => Some((&under.0, &under.1)),
            None if link.file == self.file => self
                .heading_above(link.span.start)
                .map(|h| (h.id.as_str(), h.title.as_str())),
            None => None,
        }
    }

    /// Do two parses of a page link, cite and embed the same, in the same order (links to pages
    /// and files, citations, root links, figures)? Then the handles of one
    /// ([`markdown::LinkId`], [`markdown::FileRefId`], [`markdown::CiteId`]) name the same
    /// things in the other, and every resolved target stays true; only its headings may differ.
    pub(crate) fn same_links(&self, other: &ParsedPage) -> bool {
        use markdown::{CiteUse, FileRef, LinkRef};
        fn link(l: &LinkRef) -> (&String, &Option<String>) {
            (&l.path, &l.fragment)
        }
        fn cite(c: CiteUse<'_>) -> (&str, markdown::Anchor) {
            (c.key, c.anchor)
        }
        fn file(f: &FileRef) -> (&String, &Option<String>) {
            (&f.path, &f.fragment)
        }
        let (a, b) = (&self.md, &other.md);
        a.links.iter().map(link).eq(b.links.iter().map(link))
            && a.cites().map(cite).eq(b.cites().map(cite))
            && a.files.iter().map(file).eq(b.files.iter().map(file))
            && a.root_links.len() == b.root_links.len()
            && a.anchor_ids == b.anchor_ids
            && a.terms == b.terms
            && a.claims == b.claims
            && a.claim_refs
                .iter()
                .map(|c| &c.id)
                .eq(b.claim_refs.iter().map(|c| &c.id))
    }

    /// [`Self::same_links`], with the same headings: nothing another page shows or checks
    /// changed but (maybe) the front matter.
    pub(crate) fn same_body_shape(&self, other: &ParsedPage) -> bool {
        use markdown::Heading;
        fn heading(h: &Heading) -> (u8, &String, &String) {
            (h.level, &h.id, &h.title)
        }
        self.same_links(other)
            && self.links_under_headings().eq(other.links_under_headings())
            && self
                .md
                .headings
                .iter()
                .map(heading)
                .eq(other.md.headings.iter().map(heading))
    }
}

/// What every page's parse reads besides its own file.
#[derive(Clone, Copy)]
pub(crate) struct Inputs<'a> {
    /// How citations appear (the style's class).
    pub mode: CiteMode,
    /// The site's timeline and glossary, for blocks and mentions.
    pub site: &'a markdown::SiteData,
    /// The theme's blocks and words.
    pub blocks: &'a crate::base::markup::Blocks,
}

pub(crate) fn parse_one(files: &Files, c: &ContentFile, inputs: Inputs<'_>) -> (ParsedPage, Vec<Diagnostic>) {
    let mode = inputs.mode;
    let stem = c
        .rel
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .trim_end_matches(".md")
        .to_string();
    let is_section = c.rel == "_index.md" || c.rel.ends_with("/_index.md");
    let fallback = |diags| {
        let (md, _) = markdown::parse("", c.file, 0, mode, inputs.blocks);
        let page = ParsedPage {
            file: c.file,
            rel: c.rel.clone(),
            is_section,
            meta: FrontMatter::titled(&stem),
            template_span: 0..0,
            tags_span: 0..0,
            md,
        };
        (page, diags)
    };
    let (text, flaw) = files.read_for_parse(c.file);
    let mut diags: Vec<Diagnostic> = flaw
        .map(|f| Diagnostic::of_flaw(f, c.file, files))
        .into_iter()
        .collect();
    let Some(text) = text else {
        return fallback(diags);
    };
    let text = text.as_ref();
    let split = match frontmatter::split(text, c.file) {
        Ok(split) => split,
        Err(d) => {
            diags.push(d);
            return fallback(diags);
        }
    };
    let (mut meta, meta_diags) = FrontMatter::parse(&split, c.file, &stem);
    diags.extend(meta_diags);
    diags.extend(updates::check(&mut meta, &split, c.file, updates::today()));
    let dir = c.rel.rfind('/').map_or("", |i| &c.rel[..i]);
    let (mut md, md_diags) = markdown::parse_page(
        split.body,
        c.file,
        split.body_offset,
        inputs,
        (dir, &meta.updates),
    );
    diags.extend(md_diags);
    let front = split.front_offset..split.front_offset + split.front.len();
    if let Some(image) = &meta.image {
        let span = crate::base::tomldoc::key_span(text, &front, "image");
        diags.extend(card_image_problem(image, &meta.image_alt, c.file, &span));
        md.card_image = Some(md.front_matter_file(image, c.file, span));
    }
    diags.extend(meta.check_paths(text, &front, c.file));
    diags.extend(meta.check_plain_text(text, &front, c.file));
    let page = ParsedPage {
        file: c.file,
        rel: c.rel.clone(),
        is_section,
        template_span: crate::base::tomldoc::key_span(text, &front, "template"),
        tags_span: crate::base::tomldoc::key_span(text, &front, "tags"),
        meta,
        md,
    };
    (page, diags)
}

/// What is wrong with a link-preview picture (`image`, in kagu.toml or a page's front matter)
/// that can be told from its name: a format link previews do not show (E074), or no
/// `image_alt` (W012). Whether the file exists is checked as a link to it is.
pub(crate) fn card_image_problem(
    image: &str,
    alt: &str,
    file: FileId,
    span: &std::ops::Range<usize>,
) -> Option<Diagnostic> {
    use crate::base::diag::Kind;
    let ext = image.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let kind = if !matches!(ext.as_deref(), Some("png" | "jpg" | "jpeg" | "gif" | "webp")) {
        Kind::CardImageFormat {
            image: image.to_string(),
        }
    } else if alt.trim().is_empty() {
        Kind::CardImageAlt {
            image: image.to_string(),
        }
    } else {
        return None;
    };
    Some(Diagnostic::at(kind, file, span.clone()))
}
