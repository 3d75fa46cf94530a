//! The site language's locale: how it writes a date, and which of hayagriva's locales to decode.

use super::*;

/// A date in words as a CSL locale writes it (its `<date form="text">`): "May 13, 2024" in
/// en-US, "13 May 2024" in en-GB, "13 mai 2024" in fr-FR.
#[derive(Debug, Clone, PartialEq)]
pub struct DateFormat {
    /// (part, prefix, suffix) in the locale's order.
    parts: Vec<(DatePartName, String, String)>,
    months: [String; 12],
}

impl Default for DateFormat {
    /// en-US, CSL's fallback locale, written out so that an empty bibliography decodes no
    /// locale (a test checks it against hayagriva's en-US).
    fn default() -> Self {
        DateFormat {
            parts: vec![
                (DatePartName::Month, String::new(), " ".into()),
                (DatePartName::Day, String::new(), ", ".into()),
                (DatePartName::Year, String::new(), String::new()),
            ],
            months: crate::data::timeline::MONTHS.map(String::from),
        }
    }
}

impl DateFormat {
    pub(super) fn of(locale: &Locale) -> Option<DateFormat> {
        let text = locale
            .date
            .iter()
            .find(|d| d.form == Some(hayagriva::citationberg::DateForm::Text))?;
        let parts = text
            .date_part
            .iter()
            .map(|p| {
                let a = &p.affixes;
                (
                    p.name,
                    a.prefix.clone().unwrap_or_default(),
                    a.suffix.clone().unwrap_or_default(),
                )
            })
            .collect::<Vec<_>>();
        let month = |i: u8| {
            let term = OtherTerm::month(i)?;
            locale
                .term(Term::Other(term), TermForm::Long)?
                .single()
                .map(str::to_string)
        };
        let months: Vec<String> = (0..12).map(month).collect::<Option<_>>()?;
        Some(DateFormat {
            parts,
            months: months.try_into().ok()?,
        })
    }

    /// `year-month-day` in words.
    pub fn format(&self, year: u16, month: u8, day: u8) -> String {
        self.written(year, Some(month), Some(day))
    }

    /// A date as precise as it is known, in words: `13 mai 2024`, `mai 2024`, `2024` (the
    /// locale's order and punctuation, the parts not known left out with their affixes).
    pub fn written(&self, year: u16, month: Option<u8>, day: Option<u8>) -> String {
        let mut out = String::new();
        let parts = self.parts.iter().filter(|(part, ..)| match part {
            DatePartName::Day => day.is_some() && month.is_some(),
            DatePartName::Month => month.is_some(),
            DatePartName::Year => true,
        });
        let (month, day) = (month.unwrap_or(1), day.unwrap_or(1));
        let shown: Vec<_> = parts.collect();
        for (i, (part, prefix, suffix)) in shown.iter().enumerate() {
            out.push_str(prefix);
            match part {
                DatePartName::Year => out.push_str(&year.to_string()),
                DatePartName::Month => out.push_str(
                    self.months
                        .get(usize::from(month).wrapping_sub(1))
                        .map_or("", String::as_str),
                ),
                DatePartName::Day => out.push_str(&day.to_string()),
            }
            // The last part shown keeps no suffix meant to lead to a part left out.
            if i + 1 < shown.len() || matches!(part, DatePartName::Year) {
                out.push_str(suffix);
            }
        }
        out
    }
}

/// The locale of the site's language among `locales` (from [`locales_for`]): its exact code,
/// else en-US for English, else the first of its language, else en-US.
pub(super) fn site_locale<'a>(locales: &'a [Locale], language: &str) -> Option<&'a Locale> {
    let lang = language.replace('_', "-");
    let primary = lang.split('-').next().unwrap_or("en").to_string();
    let code = |l: &&Locale| l.lang.as_ref().map(|c| c.0.clone()).unwrap_or_default();
    locales
        .iter()
        .find(|l| code(l).eq_ignore_ascii_case(&lang))
        .or_else(|| {
            let prefer = if primary == "en" {
                "en-US".to_string()
            } else {
                format!("{primary}-")
            };
            locales.iter().find(|l| code(l).starts_with(&prefer))
        })
        .or_else(|| locales.iter().find(|l| code(l) == "en-US"))
}

/// The bundled CSL locales for `language` (e.g. "en" or "fr-FR"), plus en-US, the CSL fallback.
/// Deserializing all of hayagriva's locales took most of a small site's build, so only the
/// blobs that name the language are decoded.
pub(super) fn locales_for(language: &str) -> Vec<Locale> {
    // A locale's `lang` is a 5-character CBOR text string: header byte 0x65, then e.g. "fr-FR".
    let lang = language.replace('_', "-");
    let primary = lang.split('-').next().unwrap_or("en");
    let mut wanted: Vec<Vec<u8>> = vec![[&[0x65u8][..], b"en-US"].concat()];
    wanted.push([&[0x65u8][..], primary.as_bytes(), b"-"].concat());
    // Both searched for at once (the blobs are 600 KB in all; compared window by window, on the
    // one core that loads a build, they took 5 ms). Two names of a few bytes are always within
    // what the automaton takes: the error branch is never met.
    let Ok(names) = aho_corasick::AhoCorasick::new(&wanted) else {
        return Vec::new();
    };
    LOCALES
        .iter()
        .enumerate()
        .filter(|(_, blob)| names.is_match(**blob))
        .filter_map(|(i, _)| decoded(i))
        .collect()
}

/// Bundled locale `i`, decoded once for the whole process: a build asks for its language's
/// locales for its dates and again for its citations, each edition of a site for its own, and
/// the dev server on every reload; decoding one took about 2 ms.
fn decoded(i: usize) -> Option<Locale> {
    static DECODED: std::sync::LazyLock<Vec<std::sync::OnceLock<Option<Locale>>>> =
        std::sync::LazyLock::new(|| LOCALES.iter().map(|_| std::sync::OnceLock::new()).collect());
    let blob = LOCALES.get(i)?;
    DECODED
        .get(i)?
        .get_or_init(|| ciborium::de::from_reader::<Locale, _>(*blob).ok())
        .clone()
}
