//! The site's timeline: dated events read from `content/timeline.toml`, checked (every date, every
//! event's title), in date order (events of one date in file order). Pages show them with a
//! `{{ timeline() }}` block, parsed in the page's own Markdown pass (`parse::markdown`), so the
//! citations in an event's description are notes of that page like any other.

use std::ops::Range;

use serde::Deserialize;

use crate::base::diag::{Diagnostic, Diagnostics, FileId, Files, Kind};
use crate::base::tomldoc::{read_data, table_header, value_span, SpannedFields, TomlDoc};

/// A date as precise as the writer knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Ymd {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

/// When an event happened: a date, or a range of dates, perhaps only roughly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EventDate {
    pub start: Ymd,
    pub end: Option<Ymd>,
    pub circa: bool,
}

/// The months' English names (page dates in English, the timeline's dates).
pub(crate) const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Ymd {
    /// `2024`, `2024-05` or `2024-05-13`, checked (the month exists, the day is in it).
    fn parse(s: &str) -> Result<Ymd, String> {
        let parts: Vec<&str> = s.split('-').collect();
        let number = |p: &str, digits: usize| {
            (p.len() == digits && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse::<i32>().ok())
                .flatten()
        };
        let shape = || format!("`{s}` is not a date: write YYYY, YYYY-MM or YYYY-MM-DD");
        let year = parts.first().and_then(|y| number(y, 4)).ok_or_else(shape)?;
        let month = match parts.get(1) {
            None => None,
            Some(m) => {
                let m = number(m, 2).ok_or_else(shape)?;
                if !(1..=12).contains(&m) {
                    return Err(format!("`{s}`: there is no month {m}"));
                }
                Some(u8::try_from(m).unwrap_or(1))
            }
        };
        let day = match (parts.get(2), month) {
            (None, _) => None,
            (Some(d), Some(m)) => {
                let d = number(d, 2).ok_or_else(shape)?;
                let last = days_in(year, m);
                if !(1..=i32::from(last)).contains(&d) {
                    return Err(format!(
                        "`{s}`: {} {year} has {last} days",
                        MONTHS[usize::from(m) - 1]
                    ));
                }
                Some(u8::try_from(d).unwrap_or(1))
            }
            (Some(_), None) => return Err(shape()),
        };
        if parts.len() > 3 {
            return Err(shape());
        }
        Ok(Ymd { year, month, day })
    }

    /// As ISO 8601 writes it, to the precision known: `2024`, `2024-05`, `2024-05-13`.
    pub(crate) fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    /// As a reader reads it, as `dates` writes a date: `13 mai 2024`, `mai 2024`, `2024`.
    fn written(&self, dates: &crate::data::cite::DateFormat) -> String {
        match u16::try_from(self.year) {
            Ok(year) => dates.written(year, self.month, self.day),
            Err(_) => self.year.to_string(),
        }
    }
}

fn days_in(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl EventDate {
    /// A date (`2024-05`), a range (`2018/2021`, ISO 8601's interval) or a rough date
    /// (`c. 1850`, `circa 1850`).
    /// A date as TOML holds it: a string (`"2024-05"`), a TOML date, or a year (`2024`).
    pub(crate) fn of_value(value: &toml::Value) -> Result<EventDate, String> {
        let written = match value {
            toml::Value::String(s) => s.clone(),
            toml::Value::Datetime(d) => d.to_string(),
            toml::Value::Integer(y) => format!("{y:04}"),
            other => other.to_string(),
        };
        EventDate::parse(&written)
    }

    pub(crate) fn parse(s: &str) -> Result<EventDate, String> {
        let t = s.trim();
        let (circa, t) = match t.strip_prefix("c.").or_else(|| t.strip_prefix("circa ")) {
            Some(rest) => (true, rest.trim_start()),
            None => (false, t),
        };
        let (start, end) = match t.split_once('/') {
            Some((a, b)) => (Ymd::parse(a.trim())?, Some(Ymd::parse(b.trim())?)),
            None => (Ymd::parse(t)?, None),
        };
        if end.is_some_and(|e| e < start) {
            return Err(format!("`{s}`: the range ends before it starts"));
        }
        Ok(EventDate { start, end, circa })
    }

    /// The `datetime` attribute: the start (a range's start; HTML has no intervals).
    pub(crate) fn datetime(&self) -> String {
        self.start.iso()
    }

    /// As a reader reads it in English (en-US): `May 2024`, `2018–2021`, `c. 1850`
    /// (timeline.json's `date`).
    pub(crate) fn words(&self) -> String {
        self.written(&crate::data::cite::DateFormat::default(), "c.")
    }

    /// As a reader reads it in the site's language: its dates as `dates` writes them (the
    /// pages' own), a rough one after `circa` (`c.`, `vers`).
    pub(crate) fn written(&self, dates: &crate::data::cite::DateFormat, circa: &str) -> String {
        let mut s = String::new();
        if self.circa {
            s.push_str(circa);
            s.push(' ');
        }
        s.push_str(&self.start.written(dates));
        if let Some(e) = self.end {
            s.push('–');
            s.push_str(&e.written(dates));
        }
        s
    }
}

/// One event of the timeline.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Event {
    /// Its anchor on a page that shows it (`event-…`).
    pub id: String,
    pub date: EventDate,
    pub title: String,
    /// Markdown; links in it are relative to content/.
    pub description: String,
    /// Where the description's text starts in timeline.toml, when it stands there as it reads
    /// (no escapes); otherwise the span of its value, where its problems are reported.
    pub description_at: DescriptionAt,
    pub tags: Vec<String>,
}

/// Where an event's description is in timeline.toml.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum DescriptionAt {
    /// Its text starts at this byte: every place in it is exact.
    Exact(usize),
    /// Written with escapes: its problems are shown at its value.
    Value(Range<usize>),
}

/// An event as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventDef {
    date: Option<toml::Value>,
    title: Option<String>,
    description: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    id: Option<String>,
}

/// The timeline: its file (if the site has one) and its events in date order.
#[derive(Debug, Default, Clone)]
pub(crate) struct Timeline {
    pub file: Option<FileId>,
    pub events: Vec<Event>,
}

impl Timeline {
    /// The events with any of these tags (every event for no tags), in date order.
    pub(crate) fn select(&self, tags: &[String]) -> Vec<&Event> {
        self.events
            .iter()
            .filter(|e| tags.is_empty() || e.tags.iter().any(|t| tags.contains(t)))
            .collect()
    }

    /// Every tag of the events.
    pub(crate) fn tags(&self) -> Vec<&str> {
        let mut tags: Vec<&str> = self
            .events
            .iter()
            .flat_map(|e| e.tags.iter().map(String::as_str))
            .collect();
        tags.sort_unstable();
        tags.dedup();
        tags
    }
}

/// Reads the timeline file (None: the site has none). Every bad event field is reported where it
/// is; an event without a readable date or title is left out.
pub(crate) fn load(files: &Files, file: Option<FileId>, diags: &mut Diagnostics) -> Timeline {
    let Some(file) = file else {
        return Timeline::default();
    };
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        #[serde(default)]
        event: Vec<toml::Spanned<SpannedFields>>,
    }
    let Some((doc, parsed)) = read_data::<Doc>(files, file, "the timeline", diags) else {
        return Timeline {
            file: Some(file),
            events: Vec::new(),
        };
    };
    let text = doc.text;
    let event_doc = TomlDoc {
        what: "an event",
        ..doc
    };
    let mut events: Vec<Event> = Vec::new();
    let mut ids: std::collections::HashSet<String> = std::collections::HashSet::new();
    for spanned in parsed.event {
        let table = spanned.span();
        let header = table_header(text, table.start, "[[event]]");
        let fields = spanned.into_inner();
        let [date_span, description_span, id_span] =
            ["date", "description", "id"].map(|k| value_span(&fields, k));
        let (def, problems) = event_doc.fields::<EventDef>(fields);
        let failed = !problems.is_empty();
        diags.extend(problems);
        let def = def.unwrap_or_default();
        let date = match (&def.date, &date_span) {
            (None, _) if !failed => {
                diags.push(Diagnostic::at(
                    Kind::MissingEventField { field: "date" },
                    file,
                    header.clone(),
                ));
                None
            }
            (None, _) => None,
            (Some(value), span) => match EventDate::of_value(value) {
                Ok(d) => Some(d),
                Err(problem) => {
                    diags.push(Diagnostic::at(
                        Kind::BadEventDate { problem },
                        file,
                        span.clone().unwrap_or(header.clone()),
                    ));
                    None
                }
            },
        };
        let title = def.title.filter(|t| !t.trim().is_empty());
        if title.is_none() && !failed {
            diags.push(Diagnostic::at(
                Kind::MissingEventField { field: "title" },
                file,
                header.clone(),
            ));
        }
        let (Some(date), Some(title)) = (date, title) else {
            continue;
        };
        let id = def
            .id
            .clone()
            .unwrap_or_else(|| crate::base::text::github_slug(&format!("{} {title}", date.start.iso())));
        let id = format!("event-{id}");
        if !ids.insert(id.clone()) {
            diags.push(Diagnostic::at(
                Kind::DuplicateEventId { id: id.clone() },
                file,
                id_span.unwrap_or(header.clone()),
            ));
            continue;
        }
        let description = def.description.unwrap_or_default();
        let description_at = description_at(text, description_span, &description, &header);
        events.push(Event {
            id,
            date,
            title,
            description,
            description_at,
            tags: def.tags,
        });
    }
    // Stable: events of one date keep their file order.
    events.sort_by_key(|e| e.date.start);
    Timeline {
        file: Some(file),
        events,
    }
}

/// Where a description is in its TOML file: where its text starts when it stands there as it
/// reads, else its value (or `fallback` when there is none).
pub(crate) fn description_at(
    text: &str,
    span: Option<Range<usize>>,
    description: &str,
    fallback: &Range<usize>,
) -> DescriptionAt {
    match span {
        Some(span) => match string_inner(text, &span) {
            Some(at) if text.get(at..at + description.len()) == Some(description) => DescriptionAt::Exact(at),
            _ => DescriptionAt::Value(span),
        },
        None => DescriptionAt::Value(fallback.clone()),
    }
}

/// Where a TOML string value's text starts: after `"`, `'`, or `"""`/`'''` and the newline
/// that may follow them.
fn string_inner(text: &str, span: &Range<usize>) -> Option<usize> {
    let raw = text.get(span.clone())?;
    for quote in ["\"\"\"", "'''"] {
        if let Some(rest) = raw.strip_prefix(quote) {
            let skip = if rest.starts_with("\r\n") {
                2
            } else {
                usize::from(rest.starts_with('\n'))
            };
            return Some(span.start + quote.len() + skip);
        }
    }
    (raw.starts_with('"') || raw.starts_with('\'')).then_some(span.start + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_precise_as_written() {
        let d = EventDate::parse("2024-05").expect("date");
        assert_eq!(
            (d.words(), d.datetime()),
            ("May 2024".to_string(), "2024-05".to_string())
        );
        let d = EventDate::parse("2018/2021").expect("range");
        assert_eq!(d.words(), "2018–2021");
        let d = EventDate::parse("c. 1853").expect("circa");
        assert_eq!(d.words(), "c. 1853");
        assert_eq!(
            EventDate::parse("2024-02-29").expect("leap").words(),
            "February 29, 2024"
        );
    }

    #[test]
    fn impossible_dates_say_what_is_wrong() {
        let e = |s: &str| EventDate::parse(s).expect_err(s);
        assert_eq!(e("2024-13"), "`2024-13`: there is no month 13");
        assert_eq!(e("2023-02-29"), "`2023-02-29`: February 2023 has 28 days");
        assert_eq!(
            e("May 2024"),
            "`May 2024` is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"
        );
        assert_eq!(e("2021/2018"), "`2021/2018`: the range ends before it starts");
        assert_eq!(e("24"), "`24` is not a date: write YYYY, YYYY-MM or YYYY-MM-DD");
    }
}
