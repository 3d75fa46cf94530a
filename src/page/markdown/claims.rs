//! A `{{ claims() }}` block: the claims of content/claims.toml it asks for (by tag, by
//! speaker), in the order written, each with who made it, when (where known) and about whom, its text (read in the page's pass, so
//! its citations are notes of the page and its links are checked) and its responses beneath it;
//! and each as a schema.org `Claim` in JSON-LD, its responses pointing at it.

use super::blocks::Level;
use super::*;
use crate::base::diag::did_you_mean;
use crate::data::claims::{entry_of, name_of, Statement};

/// What a claims block asks for: `tags = ["a tag"]`, `by = "speaker"`, both or neither.
fn claims_args(args: &str) -> Result<(Vec<String>, Option<String>), String> {
    if args.is_empty() {
        return Ok((Vec::new(), None));
    }
    let table: toml::Table = toml::from_str(args).map_err(|_| {
        format!("`{args}` cannot be read: write `tags = [\"a tag\"]` or `by = \"a speaker\"`")
    })?;
    let (mut tags, mut by) = (Vec::new(), None);
    for (key, value) in table {
        match (key.as_str(), value) {
            ("tags", toml::Value::Array(list)) => {
                for t in list {
                    match t {
                        toml::Value::String(t) => tags.push(t),
                        other => return Err(format!("`{other}` is not a tag: tags are strings")),
                    }
                }
            }
            ("by", toml::Value::String(s)) => by = Some(s),
            ("tags", _) => return Err("`tags` is a list of tags: `tags = [\"a tag\"]`".into()),
            ("by", _) => return Err("`by` is one speaker: `by = \"a speaker\"`".into()),
            (other, _) => return Err(format!("a claims block takes `tags` and `by`, not `{other}`")),
        }
    }
    Ok((tags, by))
}

impl<'a> State<'a> {
    /// A `{{ claims(…) }}` block.
    pub(super) fn claims_block(&mut self, call: &str, range: &Range<usize>) {
        let at = self.block_span(range);
        let site: &'a SiteData = self.data.site;
        let claims = &site.claims;
        const WRITE: &str =
            "write content/claims.toml with a [[claim]] (an `id`, `by` and `text`), or remove the block";
        let chosen = match claims_args(call) {
            Err(problem) => Err((
                problem,
                "write `{{ claims() }}`, `{{ claims(tags = [\"a tag\"]) }}` or `{{ claims(by = \"a speaker\") }}`",
            )),
            Ok(_) if claims.file.is_none() => Err(("the site has no content/claims.toml to show".into(), WRITE)),
            Ok((tags, by)) => match claims.select(&tags, by.as_deref()) {
                chosen if !chosen.is_empty() => Ok(chosen),
                _ if tags.is_empty() && by.is_none() => {
                    Err(("content/claims.toml has no claims to show".into(), WRITE))
                }
                _ => Err((
                    "no claim has those tags and that speaker".into(),
                    "show every claim with `{{ claims() }}`, or name tags and a speaker that claims.toml has",
                )),
            },
        };
        let chosen = match chosen {
            Ok(chosen) => chosen,
            Err((problem, hint)) => {
                let problem = format!("this claims block cannot be shown: {problem}");
                let hint = hint.to_string();
                self.diags
                    .push(Diagnostic::at(Kind::BadClaim { problem, hint }, self.file, at));
                return;
            }
        };
        let file = claims.file.unwrap_or(self.file);
        self.put(Block::ClaimsStart, 0, 0, &[], Level::Block);
        let mut graph = Vec::new();
        for c in chosen {
            let (id, cited) = self.statement(Block::Claim, file, c, 0);
            let mut item = self.statement_ld("Claim", &id, c);
            if !cited.is_empty() {
                item["appearance"] = serde_json::json!(cited);
            }
            if let Some(against) = &c.against {
                item["about"] = self.party(against);
            }
            graph.push(item);
            let responses: Vec<&Statement> = claims.responses_to(&c.id).collect();
            let count = responses.len();
            for (i, r) in responses.into_iter().enumerate() {
                let flags = usize::from(i == 0) << 1 | usize::from(i + 1 == count) << 2;
                let (rid, _) = self.statement(Block::Response, file, r, flags);
                let mut item = self.statement_ld("Comment", &rid, r);
                item["parentItem"] = serde_json::json!({ "@id": format!("#{id}") });
                graph.push(item);
            }
            self.put(Block::ClaimEnd, 0, 0, &[], Level::Block);
        }
        self.put(Block::ClaimsEnd, 0, 0, &[], Level::Block);
        // The renderer gives each claim the URLs of the sources it cites.
        let ld = LdId::new(self.out.ld.len());
        self.out.ld.push(serde_json::Value::Array(graph));
        self.hole(Hole::Mark(Mark::Ld(ld)));
    }

    /// The glossary entry a speaker or subject names by its key (None for a name as written).
    fn entry_of(&self, who: &str) -> Option<usize> {
        entry_of(who, &self.data.site.glossary)
    }

    /// One claim or response, its text read where claims.toml has it; its anchor and the keys
    /// of the sources its text cites.
    fn statement(
        &mut self,
        block: Block,
        file: FileId,
        s: &'a Statement,
        flags: usize,
    ) -> (String, Vec<String>) {
        let prefix = if block == Block::Claim {
            "claim"
        } else {
            "response"
        };
        let shown = self.anchor(&s.id, format!("{prefix}-{}", s.id));
        let anchor = shown.anchor.clone();
        if block == Block::Claim {
            self.out.claims.push(shown);
        }
        let blocks = self.blocks;
        // A speaker or subject from the glossary is mentioned on the page that shows it.
        for key in std::iter::once(&s.by).chain(&s.against) {
            if let Some(i) = self.entry_of(key).filter(|_| !self.out.terms.contains(key)) {
                self.mention(i);
            }
        }
        let by = name_of(&s.by, &self.data.site.glossary).to_string();
        let against = s
            .against
            .as_deref()
            .map_or("", |a| name_of(a, &self.data.site.glossary));
        let (datetime, date) = s.date.map_or_else(Default::default, |d| {
            (
                d.datetime(),
                d.written(&self.data.site.dates, blocks.word("circa")),
            )
        });
        let label = if block == Block::Claim {
            blocks.word("claim_about")
        } else {
            blocks.word("claim_response")
        };
        // Claim: quote, about, dated; response: quote, first, last, dated.
        let dated = usize::from(s.date.is_some()) << if block == Block::Claim { 2 } else { 3 };
        let about = usize::from(!against.is_empty() && block == Block::Claim) << 1;
        let flags = flags | usize::from(s.quote) | about | dated;
        let values = [anchor.as_str(), &by, &datetime, &date, label, against, "", ""];
        let title = if date.is_empty() {
            by.clone()
        } else {
            format!("{by} · {date}")
        };
        self.put(block, flags, 0, &values, Level::Block);
        let before = self.out.citations.len();
        self.read_elsewhere(file, &s.text_at, &s.text, (&anchor, &title));
        let mut cited: Vec<String> = Vec::new();
        for c in self.out.citations[before..].iter().flat_map(|g| &g.items) {
            if !cited.contains(&c.key) {
                cited.push(c.key.clone());
            }
        }
        // A claim's last slot: the pages that link to it.
        let shown = ClaimId::new(self.out.claims.len().saturating_sub(1));
        let mut mentions = |st: &mut Self, _| st.hole(Hole::Mark(Mark::Linked(shown)));
        self.put_with(block, flags, 1, &values, Level::Block, &mut mentions);
        (anchor, cited)
    }

    /// The start of a `[text](claim:id)` link: a hole for its tag, once the graph knows where
    /// the claim is shown; an id that claims.toml does not have is E080 here.
    pub(super) fn claim_link(&mut self, id: &str, range: &Range<usize>) {
        let claims = &self.data.site.claims;
        if claims.claims.iter().any(|c| c.id == id) {
            let at = match self.out.claim_refs.iter().position(|c| c.id == id) {
                Some(i) => i,
                None => {
                    let span = self.span(range);
                    let (id, file) = (id.to_string(), self.file);
                    self.out.claim_refs.push(ClaimRef { id, file, span });
                    self.out.claim_refs.len() - 1
                }
            };
            let c = ClaimRefId::new(at);
            self.hole(Hole::Mark(Mark::ClaimOpen(c)));
            self.data.term_link = Some(Some(Mark::ClaimClose(c)));
            return;
        }
        let (problem, hint) = if claims.file.is_none() {
            (
                format!("`claim:{id}` links to a claim, and the site has no content/claims.toml"),
                "write the claim in content/claims.toml, or link to a page instead".to_string(),
            )
        } else {
            let suggestion = did_you_mean(id, claims.claims.iter().map(|c| c.id.as_str()));
            (
                format!("`claim:{id}` links to a claim that content/claims.toml does not have"),
                suggestion.map_or_else(
                    || "link to the `id` of one of its [[claim]] entries".to_string(),
                    |s| format!("did you mean `claim:{s}`?"),
                ),
            )
        };
        let span = self.span(range);
        self.diags
            .push(Diagnostic::at(Kind::BadClaim { problem, hint }, self.file, span));
        self.data.term_link = Some(None);
    }

    /// A speaker or subject as schema.org has it: typed by its glossary entry's kind.
    fn party(&self, who: &str) -> serde_json::Value {
        match self.entry_of(who).map(|i| &self.data.site.glossary.entries[i]) {
            Some(e) => serde_json::json!({ "@type": e.kind.schema(), "name": e.name }),
            None => serde_json::json!({ "name": who }),
        }
    }

    /// A claim or response as a schema.org item.
    fn statement_ld(&self, kind: &str, id: &str, s: &Statement) -> serde_json::Value {
        let mut item = serde_json::json!({
            "@type": kind,
            "@id": format!("#{id}"),
            "author": self.party(&s.by),
            "text": plain_text(&s.text),
        });
        if let Some(d) = s.date {
            item["datePublished"] = serde_json::Value::String(d.start.iso());
        }
        item
    }
}
