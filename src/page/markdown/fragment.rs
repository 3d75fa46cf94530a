//! A page's HTML with holes: what the parse pass writes, and how the renderer joins it.

use super::*;

/// HTML with holes for what is known only after every page is parsed: internal link targets and
/// the sidenotes beside note markers. One string and a list of typed holes with their positions,
/// so a large site holds one allocation per page body.
#[derive(Debug, Clone, Default)]
pub struct Fragment {
    pub(super) html: String,
    pub(super) holes: Vec<(usize, Hole)>,
}

#[derive(Debug, Clone, Copy)]
pub(super) enum Hole {
    /// The href of a link to a page.
    Link(LinkId),
    /// The href of a link or image to a file.
    File(FileRefId),
    /// The `width` and `height` attributes of an image.
    Size(FileRefId),
    /// What goes beside a note marker, or an in-text citation.
    Mark(Mark),
}

/// pulldown-cmark's HTML writer writing into a string that the pieces' iterator reads the
/// length of: each hole's position is the length written when the iterator reaches it.
struct SharedWriter<'s>(&'s std::cell::RefCell<String>);

impl std::fmt::Write for SharedWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.borrow_mut().push_str(s);
        Ok(())
    }
}

impl Fragment {
    /// Writes `pieces` after what the fragment holds: events as HTML (pulldown-cmark's writer),
    /// holes at the place they come in. The writer writes each event before it asks for the
    /// next, so the length written when a hole is reached is the hole's place.
    pub(super) fn append<'a>(&mut self, pieces: impl IntoIterator<Item = Piece<'a>>) {
        let html = std::cell::RefCell::new(std::mem::take(&mut self.html));
        let holes = &mut self.holes;
        let events = pieces.into_iter().filter_map(|p| match p {
            Piece::Md(e) => Some(e),
            Piece::Hole(h) => {
                holes.push((html.borrow().len(), h));
                None
            }
        });
        // Writing into a String cannot fail.
        let _ = pulldown_cmark::html::write_html_fmt(SharedWriter(&html), events);
        self.html = html.into_inner();
    }

    /// Gives back spare capacity (a page is kept for the whole build). The HTML, sized up front
    /// from the Markdown, has little to spare: copying it to free that (2 MiB at 10,000 pages)
    /// cost more time than it saved.
    pub(super) fn compact(&mut self) {
        use crate::base::compact::Compact;
        self.html.shrink_to_fit();
        self.holes.compact();
    }

    /// Joins the fragment, asking `href` for each link's target and `mark` for the markup
    /// beside each note marker and for each in-text citation.
    pub fn render(&self, href: impl Fn(LinkHole) -> String, mark: impl Fn(Mark) -> String) -> String {
        let mut out = String::with_capacity(self.html.len() + 64 * self.holes.len());
        let mut at = 0;
        for &(pos, hole) in &self.holes {
            out.push_str(&self.html[at..pos]);
            match hole {
                Hole::Link(i) => {
                    out.push_str(&html_attr_escape(&href(LinkHole::Page(i))));
                    // A page of another edition: its language closes the href.
                    let language = href(LinkHole::Language(i));
                    if !language.is_empty() {
                        out.push_str("\" hreflang=\"");
                        out.push_str(&html_attr_escape(&language));
                    }
                }
                Hole::File(j) => out.push_str(&html_attr_escape(&href(LinkHole::File(j)))),
                // Attributes kagu writes itself (numbers): not escaped.
                Hole::Size(j) => out.push_str(&href(LinkHole::Size(j))),
                Hole::Mark(m) => out.push_str(&mark(m)),
            }
            at = pos;
        }
        out.push_str(&self.html[at..]);
        out
    }
}
