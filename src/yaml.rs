//! Helpers shared by the YAML readers (config and front matter): turning serde_yaml errors
//! into diagnostics, and finding where a top-level key or value sits in the text.

use std::collections::HashMap;
use std::ops::Range;

use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::source::Source;

/// Turns a serde_yaml error into a diagnostic at its position; `base` is the byte offset
/// of the YAML text inside `file`.
pub fn error_to_diagnostic(
    err: &serde_yaml::Error,
    file: &Source,
    base: usize,
    what: &str,
) -> Diagnostic {
    let full = err.to_string();
    let message = strip_location(&full);
    let offset = err.location().map_or(base, |l| base + l.index());
    let span = offset..next_token_end(&file.text, offset);
    if let Some((field, expected)) = unknown_field(message) {
        let suggestion = did_you_mean(field, expected.iter().map(String::as_str));
        return Diagnostic::error(Code::UnknownKey, format!("unknown key `{field}` in {what}"))
            .at(file, span)
            .label(suggestion.unwrap_or_else(|| "not a known key".into()))
            .help(format!("known keys here: {}", expected.join(", ")));
    }
    let help = if message.contains("limit exceeded") {
        "YAML anchors and aliases (`&a`, `*a`) expand too far here; write the values out instead"
    } else {
        "check the indentation and quoting on this line; YAML strings with `: ` or `#` need quotes"
    };
    Diagnostic::error(
        Code::InvalidYaml,
        format!("invalid YAML in {what}: {message}"),
    )
    .at(file, span)
    .label("here")
    .help(help)
}

/// serde_yaml appends " at line L column C" to its messages; the snippet shows that already.
fn strip_location(message: &str) -> &str {
    message
        .find(" at line ")
        .map_or(message, |i| &message[..i])
        .trim_end_matches(',')
}

/// Parses serde's "unknown field `x`, expected one of `a`, `b`" (or "expected `a`").
fn unknown_field(message: &str) -> Option<(&str, Vec<String>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, rest) = rest.split_once('`')?;
    let expected = rest
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    Some((field, expected))
}

fn next_token_end(text: &str, offset: usize) -> usize {
    let rest = text.get(offset..).unwrap_or("");
    let len = rest
        .find(|c: char| c == ':' || c.is_whitespace())
        .unwrap_or(rest.len());
    offset + len.max(usize::from(!rest.is_empty()))
}

/// The byte range of a top-level key `key:` in `yaml` (offsets relative to `yaml`).
pub fn key_span(yaml: &str, key: &str) -> Option<Range<usize>> {
    let mut offset = 0;
    for line in yaml.split_inclusive('\n') {
        let unquoted = line.strip_prefix('"').or_else(|| line.strip_prefix('\''));
        let candidate = unquoted.unwrap_or(line);
        let quote = usize::from(unquoted.is_some());
        if let Some(after) = candidate.strip_prefix(key) {
            let after = after.trim_start_matches(['"', '\'']);
            if after.trim_start().starts_with(':') {
                return Some(offset + quote..offset + quote + key.len());
            }
        }
        offset += line.len();
    }
    None
}

/// The byte range of `value` written under the top-level `key` (offsets relative to `yaml`):
/// searched from the key's line up to the next top-level key.
pub fn value_span(yaml: &str, key: &str, value: &str) -> Option<Range<usize>> {
    let start = key_span(yaml, key)?.end;
    let block_end = block_end(yaml, start);
    let found = yaml[start..block_end].find(value)?;
    Some(start + found..start + found + value.len())
}

/// The top-level keys of a YAML text and where each is written, found in one pass: looking
/// up every key of a long front matter stays linear, where [`key_span`] per key would not.
/// Finds what [`key_span`] finds, except keys that have `: ` inside.
pub struct Keys<'a> {
    yaml: &'a str,
    spans: HashMap<&'a str, Range<usize>>,
}

impl<'a> Keys<'a> {
    /// Indexes the first line of each key in `yaml`.
    pub fn new(yaml: &'a str) -> Keys<'a> {
        let mut spans = HashMap::new();
        let mut offset = 0;
        for line in yaml.split_inclusive('\n') {
            let unquoted = line.strip_prefix('"').or_else(|| line.strip_prefix('\''));
            let candidate = unquoted.unwrap_or(line);
            let quote = usize::from(unquoted.is_some());
            let colon = candidate.match_indices(':').find(|(i, _)| {
                candidate[i + 1..]
                    .chars()
                    .next()
                    .is_none_or(char::is_whitespace)
            });
            if let Some((colon, _)) = colon {
                let key = candidate[..colon].trim_end().trim_end_matches(['"', '\'']);
                let start = offset + quote;
                spans.entry(key).or_insert(start..start + key.len());
            }
            offset += line.len();
        }
        Keys { yaml, spans }
    }

    /// The byte range of the top-level key `key:`, as [`key_span`] finds it.
    pub fn span(&self, key: &str) -> Option<Range<usize>> {
        self.spans.get(key).cloned()
    }

    /// The byte ranges of `values`, written in this order under `key`: each is searched after
    /// the one before, up to the next top-level key. Searches that find nothing stop once
    /// they have read a few times the block, so that a long list stays linear.
    pub fn value_spans(&self, key: &str, values: &[String]) -> Vec<Option<Range<usize>>> {
        let Some(key) = self.span(key) else {
            return vec![None; values.len()];
        };
        let yaml = self.yaml;
        let block_end = block_end(yaml, key.end);
        let mut cursor = key.end;
        let mut budget = 4 * (block_end - key.end) + 4096;
        let mut spans = Vec::with_capacity(values.len());
        for value in values {
            let found = (budget > 0)
                .then(|| yaml[cursor..block_end].find(value.as_str()))
                .flatten();
            match found {
                Some(i) => {
                    let start = cursor + i;
                    cursor = start + value.len();
                    spans.push(Some(start..cursor));
                }
                None => {
                    budget = budget.saturating_sub(block_end - cursor);
                    spans.push(None);
                }
            }
        }
        spans
    }
}

/// Where the block of the key that ends at `start` ends: at the next top-level line.
fn block_end(yaml: &str, start: usize) -> usize {
    yaml[start..]
        .match_indices('\n')
        .map(|(i, _)| start + i + 1)
        .find(|&i| {
            yaml[i..]
                .chars()
                .next()
                .is_some_and(|c| !c.is_whitespace() && c != '-' && c != '#')
        })
        .unwrap_or(yaml.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_and_values() {
        let yaml = "title: A\npart_of:\n  - eu\n  - gctf\nweight: 2\n";
        assert_eq!(key_span(yaml, "part_of"), Some(9..16));
        assert_eq!(value_span(yaml, "part_of", "gctf"), Some(29..33));
        assert_eq!(value_span(yaml, "weight", "gctf"), None);
        assert_eq!(key_span("\"title\": x", "title"), Some(1..6));
    }

    #[test]
    fn indexed_keys_and_values_match_the_scans() {
        let yaml =
            "title: A\n'slug' : b\npart_of:\n  - eu\n  - gctf\nurl: http://x\naliases: [a, a]\n";
        let keys = Keys::new(yaml);
        for key in ["title", "slug", "part_of", "url", "aliases", "missing"] {
            assert_eq!(keys.span(key), key_span(yaml, key), "{key}");
        }
        let values = ["eu".to_string(), "gctf".to_string(), "nowhere".to_string()];
        let spans = keys.value_spans("part_of", &values);
        assert_eq!(spans, [Some(33..35), Some(40..44), None]);
        let twice = keys.value_spans("aliases", &["a".to_string(), "a".to_string()]);
        assert_eq!(twice, [Some(69..70), Some(72..73)]);
    }

    #[test]
    fn parses_unknown_field_messages() {
        let (field, expected) =
            unknown_field("unknown field `titel`, expected one of `title`, `weight`").unwrap();
        assert_eq!(field, "titel");
        assert_eq!(expected, ["title", "weight"]);
    }
}
