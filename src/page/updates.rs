//! A page's log of changes after it was published: `[[updates]]` in its front matter, each a
//! `correction`, an `update` or a `clarification` with its `date` and `text` (Markdown, read in
//! the page's pass, so its citations are notes of the page and its links are checked). Each is
//! checked where it is written; the page shows them at its top, newest first, and its `updated`
//! date is the newest one's.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::base::diag::{did_you_mean, Diagnostic, FileId, Kind};
use crate::base::tomldoc::{table_header, value_span, SpannedFields};
use crate::data::timeline::{description_at, DescriptionAt};

use super::frontmatter::{FrontMatter, Split};

/// The kinds an update may have, as written.
pub(crate) const KINDS: [&str; 3] = ["correction", "update", "clarification"];

/// One `[[updates]]` entry of a page's front matter.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Update {
    pub(crate) date: Option<toml::value::Datetime>,
    #[serde(default)]
    pub(crate) kind: String,
    #[serde(default)]
    pub(crate) text: String,
    /// Its anchor on the page (`update-2024-05-20`), set once it is checked.
    #[serde(skip)]
    pub(crate) id: String,
    /// Where its text is in the page's file, set once it is checked.
    #[serde(skip)]
    pub(crate) at: Option<DescriptionAt>,
}

impl Update {
    /// Its day as (year, month, day); every checked update has one.
    pub(crate) fn day(&self) -> (u16, u8, u8) {
        self.date.as_ref().and_then(day_of).unwrap_or_default()
    }

    /// Its day as ISO 8601 (`2024-05-20`).
    pub(crate) fn iso(&self) -> String {
        let (y, m, d) = self.day();
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// The catalogue's key for its label ("Correction").
    pub(crate) fn word_key(&self) -> String {
        format!("update_{}", self.kind)
    }
}

/// Today's date in UTC, as (year, month, day).
pub(crate) fn today() -> (u16, u8, u8) {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil(i64::try_from(secs / 86_400).unwrap_or(0))
}

/// The calendar date `days` after 1970-01-01 (the proleptic Gregorian calendar's days-to-civil
/// conversion, by 400-year eras).
fn civil(days: i64) -> (u16, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        u16::try_from(year).unwrap_or(u16::MAX),
        u8::try_from(month).unwrap_or(1),
        u8::try_from(day).unwrap_or(1),
    )
}

/// A TOML date's day as (year, month, day); None for a time of day.
fn day_of(d: &toml::value::Datetime) -> Option<(u16, u8, u8)> {
    d.date.map(|d| (d.year, d.month, d.day))
}

/// What is wrong with one update, as (the key it is at, None for its `[[updates]]` line; what
/// is wrong; how to fix it). `page_day` is the page's `date`, `today` bounds the date.
fn problems(
    u: &Update,
    page_day: Option<(u16, u8, u8)>,
    today: (u16, u8, u8),
) -> Vec<(Option<&'static str>, String, String)> {
    let mut out = Vec::new();
    if u.kind.is_empty() {
        out.push((
            None,
            "has no `kind`".to_string(),
            "give it `kind = \"correction\"`, `\"update\"` or `\"clarification\"`".to_string(),
        ));
    } else if !KINDS.contains(&u.kind.as_str()) {
        let hint = did_you_mean(&u.kind, KINDS).map_or_else(
            || "use `correction`, `update` or `clarification`".to_string(),
            |s| format!("did you mean `{s}`?"),
        );
        let problem = format!(
            "has the kind `{}`, which is none of `correction`, `update`, `clarification`",
            u.kind
        );
        out.push((Some("kind"), problem, hint));
    }
    match u.date {
        None => out.push((
            None,
            "has no `date`".into(),
            "give it the day the change was published, e.g. `date = 2024-05-20`".into(),
        )),
        Some(d) => match day_of(&d) {
            None => out.push((
                Some("date"),
                "has a time of day for its `date`, without the day".into(),
                "write the day, e.g. `date = 2024-05-20`".into(),
            )),
            Some(day) if page_day.is_some_and(|p| day < p) => out.push((
                Some("date"),
                format!("is dated {d}, before the page's `date`"),
                "a change comes after the page it changes: fix this date, or the page's `date`".into(),
            )),
            Some(day) if day > today => out.push((
                Some("date"),
                format!("is dated {d}, in the future"),
                "date it the day the change is published".into(),
            )),
            Some(_) => {}
        },
    }
    if u.text.trim().is_empty() {
        out.push((
            None,
            "has no `text`".into(),
            "say what changed, e.g. `text = \"An earlier version misstated the date.\"`".into(),
        ));
    }
    out
}

/// Checks the page's updates (dropping each bad one, reported where it is written), gives each
/// its anchor and the place of its text, orders them newest first and makes the page's
/// `updated` date the newest one's. `today` bounds their dates.
pub(crate) fn check(
    fm: &mut FrontMatter,
    split: &Split<'_>,
    file: FileId,
    today: (u16, u8, u8),
) -> Vec<Diagnostic> {
    if fm.updates.is_empty() {
        return Vec::new();
    }
    // The tables again, with their places (the front matter's reading keeps none).
    #[derive(Deserialize)]
    struct Spans {
        #[serde(default)]
        updates: Vec<toml::Spanned<SpannedFields>>,
    }
    let tables = toml::from_str::<Spans>(split.front).map_or_else(|_| Vec::new(), |s| s.updates);
    let off = split.front_offset;
    let shift = |r: Range<usize>| r.start + off..r.end + off;
    let page_day = fm.date.as_ref().and_then(day_of);
    let mut diags = Vec::new();
    let mut kept = Vec::new();
    for (i, mut u) in std::mem::take(&mut fm.updates).into_iter().enumerate() {
        let table = tables.get(i);
        let header = table.map_or(0..0, |t| table_header(split.front, t.span().start, "[[updates]]"));
        let value = |key: &str| table.and_then(|t| value_span(t.get_ref(), key));
        let found = problems(&u, page_day, today);
        let ok = found.is_empty();
        for (key, problem, hint) in found {
            let at = key.and_then(value).unwrap_or(header.clone());
            diags.push(Diagnostic::at(Kind::BadUpdate { problem, hint }, file, shift(at)));
        }
        if !ok {
            continue;
        }
        u.at = Some(
            match description_at(split.front, value("text"), &u.text, &header) {
                DescriptionAt::Exact(at) => DescriptionAt::Exact(at + off),
                DescriptionAt::Value(r) => DescriptionAt::Value(shift(r)),
            },
        );
        kept.push(u);
    }
    // Newest first; updates of one day keep their written order.
    kept.sort_by_key(|u| std::cmp::Reverse(u.day()));
    let mut seen = std::collections::HashMap::new();
    for u in &mut kept {
        let n: &mut usize = seen.entry(u.iso()).or_default();
        *n += 1;
        u.id = match *n {
            1 => format!("update-{}", u.iso()),
            n => format!("update-{}-{n}", u.iso()),
        };
    }
    if let Some(newest) = kept.first() {
        if fm.updated.as_ref().and_then(day_of) < Some(newest.day()) {
            fm.updated = newest.date;
        }
    }
    fm.updates = kept;
    diags
}

#[cfg(test)]
mod tests {
    use super::civil;

    #[test]
    fn days_are_calendar_dates() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(19_723), (2024, 1, 1));
        assert_eq!(civil(19_782), (2024, 2, 29));
        assert_eq!(civil(20_792), (2026, 12, 5));
    }
}
