//! Helpers shared by the YAML readers (config and front matter): turning serde_yaml errors
//! into diagnostics, and finding where a top-level key or value sits in the text.

use std::ops::Range;

use crate::diag::{Diagnostic, did_you_mean};
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
        return Diagnostic::error("unknown-key", format!("unknown key `{field}` in {what}"))
            .at(file, span)
            .label(suggestion.unwrap_or_else(|| "not a known key".into()))
            .help(format!("known keys here: {}", expected.join(", ")));
    }
    let help = if message.contains("limit exceeded") {
        "YAML anchors and aliases (`&a`, `*a`) expand too far here; write the values out instead"
    } else {
        "check the indentation and quoting on this line; YAML strings with `: ` or `#` need quotes"
    };
    Diagnostic::error("invalid-yaml", format!("invalid YAML in {what}: {message}"))
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
    let block_end = yaml[start..]
        .match_indices('\n')
        .map(|(i, _)| start + i + 1)
        .find(|&i| {
            yaml[i..]
                .chars()
                .next()
                .is_some_and(|c| !c.is_whitespace() && c != '-' && c != '#')
        })
        .unwrap_or(yaml.len());
    let found = yaml[start..block_end].find(value)?;
    Some(start + found..start + found + value.len())
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
    fn parses_unknown_field_messages() {
        let (field, expected) =
            unknown_field("unknown field `titel`, expected one of `title`, `weight`").unwrap();
        assert_eq!(field, "titel");
        assert_eq!(expected, ["title", "weight"]);
    }
}
