//! Front matter: split the YAML block off a Markdown file and read it into typed values,
//! each with its span in the file so later stages can point at it.

use std::collections::BTreeMap;
use std::ops::Range;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime};
use serde_yaml::Value;

use crate::config::SiteConfig;
use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::source::Source;
use crate::yaml;

/// Where the front matter and the body are in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The YAML between the fences, if the file has front matter.
    pub yaml: Option<Range<usize>>,
    /// The Markdown after the closing fence.
    pub body: Range<usize>,
}

/// Splits `text` into front matter and body. A file that opens a front matter block
/// without closing it is an error.
pub fn split(file: &Source) -> Result<Split, Diagnostic> {
    let text = file.text.as_str();
    let start = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    let Some(first_end) = fence_line(text, start) else {
        return Ok(Split {
            yaml: None,
            body: start..text.len(),
        });
    };
    let mut line_start = first_end;
    while line_start < text.len() {
        if let Some(end) = fence_line(text, line_start) {
            return Ok(Split {
                yaml: Some(first_end..line_start),
                body: end..text.len(),
            });
        }
        line_start = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i + 1);
    }
    Err(
        Diagnostic::error(Code::UnclosedFrontMatter, "front matter is never closed")
            .at(file, start..start + 3)
            .label("front matter opened here")
            .help("add a line with only `---` after the last front matter key"),
    )
}

/// If a `---` fence line starts at `at`, the offset just after it.
fn fence_line(text: &str, at: usize) -> Option<usize> {
    let rest = text[at..].strip_prefix("---")?;
    let line_len = rest.find('\n').map_or(rest.len(), |i| i + 1);
    rest[..line_len]
        .trim()
        .is_empty()
        .then_some(at + 3 + line_len)
}

/// Where the top-level front matter key `key` is written in `file`, if it is.
pub fn key_span(file: &Source, key: &str) -> Option<Range<usize>> {
    let yaml = split(file).ok()?.yaml?;
    let found = yaml::key_span(&file.text[yaml.clone()], key)?;
    Some(yaml.start + found.start..yaml.start + found.end)
}

/// A string value with the span it was written at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned {
    /// The value.
    pub value: String,
    /// Byte range in the file.
    pub span: Range<usize>,
}

/// A date from `date` or `updated`: a day, or a moment with an offset.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PageDate(pub DateTime<FixedOffset>);

impl PageDate {
    /// `2026-11-28`, for display and sitemaps.
    pub fn ymd(&self) -> String {
        // Every listed page asks for this; chrono's `format` parses its pattern each time.
        let day = self.0.date_naive();
        format!("{:04}-{:02}-{:02}", day.year(), day.month(), day.day())
    }

    /// RFC 3339, for feeds.
    pub fn rfc3339(&self) -> String {
        self.0.to_rfc3339()
    }

    fn parse(text: &str) -> Option<PageDate> {
        let utc = FixedOffset::east_opt(0)?;
        if let Ok(moment) = DateTime::parse_from_rfc3339(text) {
            return Some(PageDate(moment));
        }
        for format in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M"] {
            if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
                return naive.and_local_timezone(utc).single().map(PageDate);
            }
        }
        let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
        day.and_hms_opt(0, 0, 0)?
            .and_local_timezone(utc)
            .single()
            .map(PageDate)
    }
}

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    /// By `weight`, then title (the default).
    #[default]
    Weight,
    /// Newest first.
    Date,
    /// Alphabetically.
    Title,
}

/// The typed front matter of one page or section.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    /// The page title.
    pub title: Option<String>,
    /// A one-line summary for listings and the meta description.
    pub description: Option<String>,
    /// When the page was written.
    pub date: Option<PageDate>,
    /// When the page was last changed.
    pub updated: Option<PageDate>,
    /// Drafts are built only with `--drafts`.
    pub draft: bool,
    /// Order within the section, lowest first.
    pub weight: Option<i64>,
    /// Replaces the last segment of the URL.
    pub slug: Option<Spanned>,
    /// Old URLs that redirect here.
    pub aliases: Vec<Spanned>,
    /// A template other than `page.html` / `section.html`.
    pub template: Option<Spanned>,
    /// Page order in a section (`_index.md` only).
    pub sort_by: SortBy,
    /// Terms per taxonomy: the configured ones, and `tags`.
    pub taxonomies: BTreeMap<String, Vec<String>>,
    /// Targets per relation, as written: the configured relations, and any other key whose
    /// value is a wiki link or a list of them (`up: "[[Home]]"`).
    pub relations: BTreeMap<String, Vec<Spanned>>,
    /// Free values for templates.
    pub extra: serde_json::Value,
    /// Classes for the page's article (Obsidian's `cssclasses`).
    pub cssclasses: Vec<String>,
    /// `publish: true` or `false`, if written.
    pub publish: Option<bool>,
    /// The page's URL path, in place of the one its file gives it.
    pub permalink: Option<Spanned>,
    /// The page's picture for previews (`image` or `cover`), as written.
    pub image: Option<String>,
    /// What pairs it with its translations when their file names differ (Hugo's
    /// `translationKey`).
    pub translation_key: Option<Spanned>,
    /// Every other key, kept for templates as `page.params`.
    pub params: serde_json::Map<String, serde_json::Value>,
}

/// Keys that Obsidian, Quartz or Hugo document: never taken for a misspelt key of weft's.
const DOCUMENTED_KEYS: &[&str] = &[
    "audio",
    "author",
    "authors",
    "banner",
    "build",
    "cascade",
    "categories",
    "comments",
    "created",
    "enableToc",
    "expiryDate",
    "headless",
    "images",
    "isCJKLanguage",
    "keywords",
    "lang",
    "lastmod",
    "layout",
    "linkTitle",
    "markup",
    "menus",
    "modified",
    "outputs",
    "params",
    "publishDate",
    "published",
    "resources",
    "series",
    "sitemap",
    "socialDescription",
    "socialImage",
    "summary",
    "translationKey",
    "type",
    "url",
    "videos",
];

/// The name a key goes by: Obsidian's older singular names are its current ones.
fn canonical_key(key: &str) -> &str {
    match key {
        "tag" => "tags",
        "alias" => "aliases",
        "cssclass" => "cssclasses",
        "translationKey" => "translation_key",
        other => other,
    }
}

/// The known key that `key` is most likely a misspelling of: one edit, or one swap of two
/// adjacent letters, away from a known key of five letters or more.
fn likely_typo<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    if DOCUMENTED_KEYS.contains(&key) {
        return None;
    }
    let lower = key.to_lowercase();
    known
        .iter()
        .copied()
        .filter(|k| k.chars().count() >= 5)
        .find(|k| strsim::osa_distance(&lower, k) == 1)
}

/// Whether a front matter value is a wiki link (`"[[Home]]"`) or a list of them.
fn is_link_value(value: &Value) -> bool {
    let is_link = |v: &Value| {
        v.as_str().is_some_and(|s| {
            let s = s.trim();
            s.starts_with("[[") && s.ends_with("]]") && s.len() > 4
        })
    };
    match value {
        Value::Sequence(items) => !items.is_empty() && items.iter().all(is_link),
        other => is_link(other),
    }
}

/// Reads the front matter YAML of `file` into typed values. Problems are collected, and
/// whatever could be read is still returned so that later stages can go on.
pub fn parse(
    file: &Source,
    split: &Split,
    config: &SiteConfig,
    is_section: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> FrontMatter {
    let mut fm = FrontMatter::default();
    let Some(range) = split.yaml.clone() else {
        return fm;
    };
    let text = &file.text[range.clone()];
    let value: Value = match serde_yaml::from_str(text) {
        Ok(value) => value,
        Err(err) => {
            diagnostics.push(yaml::error_to_diagnostic(
                &err,
                file,
                range.start,
                "front matter",
            ));
            return fm;
        }
    };
    let mapping = match value {
        Value::Mapping(mapping) => mapping,
        Value::Null => return fm,
        _ => {
            diagnostics.push(
                Diagnostic::error(
                    Code::InvalidFrontMatter,
                    "front matter must be a list of `key: value` lines",
                )
                .at(file, range.start..range.start)
                .label("expected `title: ...`")
                .help("write one `key: value` per line between the `---` fences"),
            );
            return fm;
        }
    };
    let reader = Reader {
        file,
        keys: yaml::Keys::new(text),
        base: range.start,
    };
    for (key, value) in mapping {
        let key = match key {
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            other => other.as_str().map(str::to_string),
        };
        let Some(key) = key else {
            diagnostics.push(
                Diagnostic::error(
                    Code::InvalidFrontMatter,
                    "front matter keys must be plain words",
                )
                .at(file, range.start..range.start)
                .label("a key here is not a string"),
            );
            continue;
        };
        if let Err(diagnostic) = reader.read_key(&mut fm, &key, value, config, is_section) {
            diagnostics.push(diagnostic);
        }
    }
    fm
}

struct Reader<'a> {
    file: &'a Source,
    keys: yaml::Keys<'a>,
    base: usize,
}

impl Reader<'_> {
    fn key_span(&self, key: &str) -> Range<usize> {
        self.keys.span(key).map_or(self.base..self.base, |r| {
            self.base + r.start..self.base + r.end
        })
    }

    fn value_span(&self, key: &str, value: &str) -> Range<usize> {
        let value = [value.to_string()];
        self.spanned(key, value.into()).remove(0).span
    }

    fn wrong_type(&self, key: &str, expected: &str) -> Diagnostic {
        Diagnostic::error(
            Code::InvalidFrontMatter,
            format!("`{key}` must be {expected}"),
        )
        .at(self.file, self.key_span(key))
        .label(format!("expected {expected}"))
    }

    fn string(&self, key: &str, value: &Value) -> Result<String, Diagnostic> {
        match value {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            // `- Copy: Files & Folders`, unquoted, is YAML for a map of one key: the text meant.
            Value::Mapping(map) if map.len() == 1 => {
                let (k, v) = map
                    .iter()
                    .next()
                    .ok_or_else(|| self.wrong_type(key, "a text value"))?;
                Ok(format!(
                    "{}: {}",
                    self.string(key, k)?,
                    self.string(key, v)?
                ))
            }
            _ => Err(self.wrong_type(key, "a text value")),
        }
    }

    /// A text value, or `None` for an empty one (`key:` with nothing after it, or `""`).
    fn text(&self, key: &str, value: &Value) -> Result<Option<String>, Diagnostic> {
        if value.is_null() {
            return Ok(None);
        }
        let text = self.string(key, value)?;
        Ok((!text.trim().is_empty()).then_some(text))
    }

    /// A list of texts: one text counts as a list of one, and empty items are no items.
    fn strings(&self, key: &str, value: &Value) -> Result<Vec<String>, Diagnostic> {
        let items = match value {
            Value::Sequence(items) => items
                .iter()
                .filter(|item| !item.is_null())
                .map(|item| self.string(key, item))
                .collect::<Result<Vec<_>, _>>()?,
            Value::Null => Vec::new(),
            other => vec![self.string(key, other)?],
        };
        Ok(items.into_iter().filter(|s| !s.trim().is_empty()).collect())
    }

    fn spanned(&self, key: &str, values: Vec<String>) -> Vec<Spanned> {
        let spans = self.keys.value_spans(key, &values);
        values
            .into_iter()
            .zip(spans)
            .map(|(value, span)| Spanned {
                span: span.map_or_else(
                    || self.key_span(key),
                    |r| self.base + r.start..self.base + r.end,
                ),
                value,
            })
            .collect()
    }

    fn date(&self, key: &str, value: &Value) -> Result<PageDate, Diagnostic> {
        let text = self.string(key, value)?;
        PageDate::parse(&text).ok_or_else(|| {
            Diagnostic::error(
                Code::InvalidDate,
                format!("`{key}` is not a date: `{text}`"),
            )
            .at(self.file, self.value_span(key, &text))
            .label("expected YYYY-MM-DD or an RFC 3339 date-time")
            .help("write dates like `2026-11-28` or `2026-11-28T09:30:00+01:00`")
        })
    }

    /// `sort_by`, which only a section may have.
    fn sort_by(&self, key: &str, value: &Value, is_section: bool) -> Result<SortBy, Diagnostic> {
        if !is_section {
            return Err(Diagnostic::error(
                Code::InvalidFrontMatter,
                "`sort_by` applies to sections only",
            )
            .at(self.file, self.key_span(key))
            .label("this is a page")
            .help("move `sort_by` to the section's `_index.md`"));
        }
        match self.string(key, value)?.as_str() {
            "weight" => Ok(SortBy::Weight),
            "date" => Ok(SortBy::Date),
            "title" => Ok(SortBy::Title),
            other => Err(self
                .wrong_type(key, "`weight`, `date` or `title`")
                .maybe_help(did_you_mean(other, ["weight", "date", "title"]))),
        }
    }

    /// The error for a key that is neither weft's nor a declared taxonomy or relation: in a
    /// `strict` site any such key, else one that looks like a misspelt known key.
    fn unknown_key(&self, key: &str, config: &SiteConfig) -> Diagnostic {
        let suggestion = config.suggest_key(key);
        let help = if config
            .relations
            .values()
            .any(|r| r.inverse.as_deref() == Some(key))
        {
            format!(
                "`{key}` is an inverse relation: weft adds it on the target page; declare the relation on the other page instead"
            )
        } else if config.strict {
            "this site is `strict: true`: custom values go under `extra:`; new taxonomies and relations are declared in weft.yaml".to_string()
        } else {
            "a key this close to one of weft's is taken for a misspelling: correct it, or write custom values under `extra:`".to_string()
        };
        Diagnostic::error(
            Code::UnknownKey,
            format!("unknown front matter key `{key}`"),
        )
        .at(self.file, self.key_span(key))
        .label(suggestion.unwrap_or_else(|| "not a known key".into()))
        .help(help)
    }

    fn read_key(
        &self,
        fm: &mut FrontMatter,
        key: &str,
        value: Value,
        config: &SiteConfig,
        is_section: bool,
    ) -> Result<(), Diagnostic> {
        let written = key;
        let key = canonical_key(key);
        // An empty value is no value, whatever the key.
        let empty = value.is_null();
        match key {
            _ if empty && !config.strict && !config.relations.contains_key(key) => {}
            "title" => fm.title = self.text(key, &value)?,
            "description" => fm.description = self.text(key, &value)?,
            "date" => fm.date = Some(self.date(key, &value)?),
            "updated" => fm.updated = Some(self.date(key, &value)?),
            "draft" => fm.draft = self.flag(key, &value)?,
            "publish" => fm.publish = Some(self.flag(key, &value)?),
            "weight" => {
                fm.weight = Some(
                    value
                        .as_i64()
                        .ok_or_else(|| self.wrong_type(key, "a whole number"))?,
                )
            }
            "slug" => {
                let slug = self.string(key, &value)?;
                fm.slug = self.spanned(key, vec![slug]).pop();
            }
            "translation_key" => {
                let key = self.string(written, &value)?;
                fm.translation_key = self.spanned(written, vec![key]).pop();
            }
            "permalink" => {
                let permalink = self.string(written, &value)?;
                fm.permalink = self.spanned(written, vec![permalink]).pop();
            }
            "aliases" => fm.aliases = self.spanned(written, self.strings(key, &value)?),
            "cssclasses" => fm.cssclasses = self.strings(key, &value)?,
            "image" | "cover" => fm.image = self.text(key, &value)?,
            "tags" => {
                let tags = self.strings(key, &value)?;
                fm.taxonomies.insert(
                    key.to_string(),
                    tags.iter()
                        .map(|t| t.trim().trim_start_matches('#').to_string())
                        .collect(),
                );
            }
            "template" => {
                let template = self.string(key, &value)?;
                fm.template = self.spanned(key, vec![template]).pop();
            }
            "sort_by" => fm.sort_by = self.sort_by(key, &value, is_section)?,
            "extra" => {
                fm.extra = serde_json::to_value(&value).map_err(|err| {
                    self.wrong_type(key, "a map of values")
                        .help(err.to_string())
                })?;
            }
            _ if config.taxonomies.iter().any(|t| t == key) => {
                fm.taxonomies
                    .insert(key.to_string(), self.strings(key, &value)?);
            }
            _ if config.relations.contains_key(key) => {
                let targets = self.strings(key, &value)?;
                fm.relations
                    .insert(key.to_string(), self.spanned(key, targets));
            }
            _ if config.strict => return Err(self.unknown_key(key, config)),
            // An inverse relation is weft's to fill in, on the target page.
            _ if config
                .relations
                .values()
                .any(|r| r.inverse.as_deref() == Some(key)) =>
            {
                return Err(self.unknown_key(key, config));
            }
            _ => {
                if let Some(known) = likely_typo(key, &config.front_matter_keys()) {
                    return Err(self
                        .unknown_key(key, config)
                        .label(format!("did you mean `{known}`?")));
                }
                if is_link_value(&value) {
                    let targets = self.strings(key, &value)?;
                    fm.relations
                        .insert(key.to_string(), self.spanned(key, targets));
                }
                if let Ok(value) = serde_json::to_value(&value) {
                    fm.params.insert(key.to_string(), value);
                }
            }
        }
        Ok(())
    }

    /// `true` or `false` (also written `yes`/`no` by some tools, as text).
    fn flag(&self, key: &str, value: &Value) -> Result<bool, Diagnostic> {
        match value {
            Value::Bool(b) => Ok(*b),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
            _ => Err(self.wrong_type(key, "`true` or `false`")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    #[test]
    fn splits_front_matter_from_body() {
        let file = SourceFile::new("a.md", "---\ntitle: A\n---\nBody\n".into());
        let split = split(&file).unwrap();
        assert_eq!(&file.text[split.yaml.unwrap()], "title: A\n");
        assert_eq!(&file.text[split.body], "Body\n");
    }

    #[test]
    fn a_file_without_fences_is_all_body() {
        let file = SourceFile::new("a.md", "# Hi\n".into());
        assert_eq!(
            split(&file).unwrap(),
            Split {
                yaml: None,
                body: 0..5
            }
        );
    }

    #[test]
    fn an_unclosed_fence_is_an_error() {
        let file = SourceFile::new("a.md", "---\ntitle: A\nBody\n".into());
        assert_eq!(split(&file).unwrap_err().code, Code::UnclosedFrontMatter);
    }

    #[test]
    fn dates_take_days_and_moments() {
        assert_eq!(PageDate::parse("2016-01-01").unwrap().ymd(), "2016-01-01");
        assert_eq!(PageDate::parse("0999-03-04").unwrap().ymd(), "0999-03-04");
        // The day where the moment was written, not in UTC.
        let late = PageDate::parse("2016-01-01T23:30:00-05:00").unwrap();
        assert_eq!(late.ymd(), "2016-01-01");
        assert_eq!(late.ymd(), late.0.format("%Y-%m-%d").to_string());
        assert_eq!(
            PageDate::parse("2016-01-01T10:00:00+01:00")
                .unwrap()
                .rfc3339(),
            "2016-01-01T10:00:00+01:00"
        );
        assert!(PageDate::parse("first half of 2016").is_none());
    }
}
