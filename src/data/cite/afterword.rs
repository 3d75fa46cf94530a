//! What kagu writes after a source's entry, which CSL styles leave out.

/// What kagu writes after a source's formatted entry, because CSL styles leave it out: its
/// archived copy, as an explicit link after the live URL, and the writer's note.
#[derive(Debug, Clone, Default)]
pub(super) struct Afterword {
    archive_url: Option<String>,
    /// The live address, gone (`archived = true`): said, not linked.
    gone: Option<String>,
    note: Option<String>,
}

impl Afterword {
    /// What follows the entry of a source with these fields.
    pub(super) fn of(
        archived: bool,
        url: &Option<String>,
        archive: &Option<String>,
        note: &Option<String>,
    ) -> Afterword {
        Afterword {
            archive_url: archive.clone().filter(|_| !archived),
            gone: url.clone().filter(|_| archived),
            note: note.clone(),
        }
    }

    /// As HTML, in the theme's words (`archived_copy`, `original_gone`).
    pub(super) fn html(&self, words: &crate::base::markup::Blocks) -> String {
        let esc = crate::base::text::html_attr_escape;
        let mut out = String::new();
        if let Some(a) = &self.archive_url {
            out.push_str(&format!(
                " <a class=\"archived\" href=\"{}\">{}</a>.",
                esc(a),
                esc(words.word("archived_copy"))
            ));
        }
        if let Some(g) = &self.gone {
            out.push_str(&format!(
                " <span class=\"gone\">{}.</span>",
                esc(&words.word("original_gone").replace("{url}", g))
            ));
        }
        if let Some(n) = self.note.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            out.push(' ');
            out.push_str(&esc(n));
            if !n.ends_with(['.', '!', '?']) {
                out.push('.');
            }
        }
        out
    }
}
