//! Dates as readers of a language write them ("12 August 2016", "12 augustus 2016"), for the
//! theme's `long_date` filter. Built in for English, Dutch, German, French and Spanish; in any
//! other language a date stays as written (`2016-08-12`), which every reader can read.

/// How one language writes a date.
struct Style {
    months: [&'static str; 12],
    /// `{d}`, `{m}` and `{y}` stand for the day, the month's name and the year.
    pattern: &'static str,
}

const ENGLISH: Style = Style {
    months: [
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
    ],
    pattern: "{d} {m} {y}",
};

const DUTCH: Style = Style {
    months: [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    pattern: "{d} {m} {y}",
};

const GERMAN: Style = Style {
    months: [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    pattern: "{d}. {m} {y}",
};

const FRENCH: Style = Style {
    months: [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    pattern: "{d} {m} {y}",
};

const SPANISH: Style = Style {
    months: [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    pattern: "{d} de {m} de {y}",
};

/// The style of a language tag (`en`, `en-GB`, `nl_BE`), by its primary subtag.
fn style(language: &str) -> Option<&'static Style> {
    let primary = language.split(['-', '_']).next().unwrap_or("");
    Some(match primary.to_ascii_lowercase().as_str() {
        "en" => &ENGLISH,
        "nl" => &DUTCH,
        "de" => &GERMAN,
        "fr" => &FRENCH,
        "es" => &SPANISH,
        _ => return None,
    })
}

/// `ymd` (`2016-08-12`, as weft gives dates to templates) written out in `language`; `None`
/// for a language without a built-in style or text that is not such a date.
pub fn long_date(ymd: &str, language: &str) -> Option<String> {
    let style = style(language)?;
    let mut parts = ymd.splitn(3, '-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(year, 4) && digits(month, 2) && digits(day, 2)) {
        return None;
    }
    let name = style
        .months
        .get(month.parse::<usize>().ok()?.checked_sub(1)?)?;
    let day: u8 = day.parse().ok()?;
    if day == 0 || day > 31 {
        return None;
    }
    Some(
        style
            .pattern
            .replace("{d}", &day.to_string())
            .replace("{m}", name)
            .replace("{y}", year),
    )
}

/// The `long_date` filter: `{{ page.date | long_date }}` writes the date in the site's
/// language, or leaves it as it is (see [`long_date`]).
pub struct LongDate {
    /// The site's `language`.
    pub language: String,
}

impl tera::Filter for LongDate {
    fn filter(
        &self,
        value: &serde_json::Value,
        _: &std::collections::HashMap<String, serde_json::Value>,
    ) -> tera::Result<serde_json::Value> {
        Ok(match value {
            serde_json::Value::String(ymd) => long_date(ymd, &self.language)
                .map(serde_json::Value::String)
                .unwrap_or_else(|| value.clone()),
            other => other.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_dates_as_each_language_does() {
        let cases = [
            ("en", "12 August 2016"),
            ("en-GB", "12 August 2016"),
            ("nl", "12 augustus 2016"),
            ("de", "12. August 2016"),
            ("fr", "12 août 2016"),
            ("es", "12 de agosto de 2016"),
        ];
        for (language, written) in cases {
            assert_eq!(long_date("2016-08-12", language).as_deref(), Some(written));
        }
        assert_eq!(
            long_date("2026-11-01", "nl").as_deref(),
            Some("1 november 2026")
        );
    }

    #[test]
    fn leaves_what_it_cannot_write() {
        assert_eq!(long_date("2016-08-12", "pt"), None);
        for odd in [
            "2016-13-01",
            "2016-00-01",
            "2016-08-32",
            "16-08-12",
            "today",
            "",
        ] {
            assert_eq!(long_date(odd, "en"), None, "{odd}");
        }
    }
}
