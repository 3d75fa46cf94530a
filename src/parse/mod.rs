//! Parse stage: content files to [`ParsedPage`]s.

pub mod cite_syntax;
pub mod frontmatter;
pub mod markdown;
pub mod tomldoc;

use std::sync::Arc;

use rayon::prelude::*;

use crate::diag::{Diagnostic, FileId, Files};
use crate::load::ContentFile;
use frontmatter::FrontMatter;
use markdown::ParsedMarkdown;

/// One content file after parsing.
#[derive(Debug, Clone)]
pub struct ParsedPage {
    pub file: FileId,
    /// Path relative to `content/`, with `/` separators.
    pub rel: String,
    /// Is this an `_index.md` (a section, or the home page)?
    pub is_section: bool,
    pub meta: FrontMatter,
    /// Where the front matter names its template (or its opening fence).
    pub template_span: std::ops::Range<usize>,
    pub md: ParsedMarkdown,
}

pub fn parse_one(files: &Files, c: &ContentFile) -> Result<(ParsedPage, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (text, mut diags) = files.read_for_parse(c.file);
    let Some(text) = text else {
        return Err(diags);
    };
    let text = text.as_ref();
    let split = frontmatter::split(text, c.file).map_err(|d| {
        diags.push(d);
        std::mem::take(&mut diags)
    })?;
    let meta = FrontMatter::parse(&split, c.file);
    let (md, md_diags) = markdown::parse(split.body, c.file, split.body_offset);
    diags.extend(md_diags);
    let front = split.front_offset..split.front_offset + split.front.len();
    match meta {
        Ok(mut meta) => {
            diags.extend(meta.check_paths(text, &front, c.file));
            Ok((
                ParsedPage {
                    file: c.file,
                    rel: c.rel.clone(),
                    is_section: c.rel == "_index.md" || c.rel.ends_with("/_index.md"),
                    template_span: tomldoc::key_span(text, &front, "template"),
                    meta,
                    md,
                },
                diags,
            ))
        }
        Err(d) => {
            diags.push(d);
            Err(diags)
        }
    }
}

/// Parses every content file in parallel; results keep the input order.
/// Each page goes into its `Arc` as soon as it is parsed, so a large site's pages are never
/// held twice (once in a list of results, once in the list of shared pages).
pub fn parse_all(files: &Files, content: &[ContentFile]) -> (Vec<Arc<ParsedPage>>, Vec<Diagnostic>) {
    let results: Vec<_> = content
        .par_iter()
        .map(|c| parse_one(files, c).map(|(p, d)| (Arc::new(p), d)))
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    let mut diags = Vec::new();
    for r in results {
        match r {
            Ok((p, d)) => {
                pages.push(p);
                diags.extend(d);
            }
            Err(d) => diags.extend(d),
        }
    }
    (pages, diags)
}
