//! Diagnostics: problems in the user's site, as data, and their rendering.

use std::fmt::Write as _;
use std::ops::Range;

use annotate_snippets::{Level, Renderer, Snippet};

use crate::source::{Source, floor_char_boundary};

/// How bad a diagnostic is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The build cannot produce a correct site.
    Error,
    /// The site builds, but something deserves a look.
    Warning,
}

mod explain;

pub use explain::Files;

/// What kind of problem a diagnostic is: each has a stable kebab-case name (`broken-link`),
/// shown after `error`, in `--format json` and in GitHub's annotations. What each means, an
/// example and the fix: [`Code::meaning`], [`Code::example`], [`Code::fix`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    AmbiguousLink,
    BrokenAnchor,
    BrokenExternalLink,
    BrokenLink,
    DraftHomePage,
    DuplicateAlias,
    DuplicateId,
    DuplicateOutput,
    DuplicateTranslation,
    DuplicateUrl,
    EmbedCycle,
    EmbedLimit,
    InvalidAlias,
    InvalidConfig,
    InvalidDate,
    InvalidFrontMatter,
    InvalidSlug,
    InvalidUtf8,
    InvalidYaml,
    Io,
    LinkToLeftOut,
    MathError,
    MissingAlt,
    MissingTemplate,
    MissingTheme,
    MissingWord,
    OutsideRoot,
    PageTooLarge,
    SearchIndex,
    SelfRelation,
    Template,
    UnclosedFrontMatter,
    UnknownKey,
    UnknownLanguage,
    UntranslatedLink,
    UnverifiedExternalLink,
}

impl Code {
    /// Every code, in the order of their names.
    pub const ALL: [Code; 36] = [
        Code::AmbiguousLink,
        Code::BrokenAnchor,
        Code::BrokenExternalLink,
        Code::BrokenLink,
        Code::DraftHomePage,
        Code::DuplicateAlias,
        Code::DuplicateId,
        Code::DuplicateOutput,
        Code::DuplicateTranslation,
        Code::DuplicateUrl,
        Code::EmbedCycle,
        Code::EmbedLimit,
        Code::InvalidAlias,
        Code::InvalidConfig,
        Code::InvalidDate,
        Code::InvalidFrontMatter,
        Code::InvalidSlug,
        Code::InvalidUtf8,
        Code::InvalidYaml,
        Code::Io,
        Code::LinkToLeftOut,
        Code::MathError,
        Code::MissingAlt,
        Code::MissingTemplate,
        Code::MissingTheme,
        Code::MissingWord,
        Code::OutsideRoot,
        Code::PageTooLarge,
        Code::SearchIndex,
        Code::SelfRelation,
        Code::Template,
        Code::UnclosedFrontMatter,
        Code::UnknownKey,
        Code::UnknownLanguage,
        Code::UntranslatedLink,
        Code::UnverifiedExternalLink,
    ];

    /// The stable name: `broken-link`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::AmbiguousLink => "ambiguous-link",
            Code::BrokenAnchor => "broken-anchor",
            Code::BrokenExternalLink => "broken-external-link",
            Code::BrokenLink => "broken-link",
            Code::DraftHomePage => "draft-home-page",
            Code::DuplicateAlias => "duplicate-alias",
            Code::DuplicateId => "duplicate-id",
            Code::DuplicateOutput => "duplicate-output",
            Code::DuplicateTranslation => "duplicate-translation",
            Code::DuplicateUrl => "duplicate-url",
            Code::EmbedCycle => "embed-cycle",
            Code::EmbedLimit => "embed-limit",
            Code::InvalidAlias => "invalid-alias",
            Code::InvalidConfig => "invalid-config",
            Code::InvalidDate => "invalid-date",
            Code::InvalidFrontMatter => "invalid-front-matter",
            Code::InvalidSlug => "invalid-slug",
            Code::InvalidUtf8 => "invalid-utf8",
            Code::InvalidYaml => "invalid-yaml",
            Code::Io => "io",
            Code::LinkToLeftOut => "link-to-left-out",
            Code::MathError => "math-error",
            Code::MissingAlt => "missing-alt",
            Code::MissingTemplate => "missing-template",
            Code::MissingTheme => "missing-theme",
            Code::MissingWord => "missing-word",
            Code::OutsideRoot => "outside-root",
            Code::PageTooLarge => "page-too-large",
            Code::SearchIndex => "search-index",
            Code::SelfRelation => "self-relation",
            Code::Template => "template",
            Code::UnclosedFrontMatter => "unclosed-front-matter",
            Code::UnknownKey => "unknown-key",
            Code::UnknownLanguage => "unknown-language",
            Code::UntranslatedLink => "untranslated-link",
            Code::UnverifiedExternalLink => "unverified-external-link",
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place in a source file.
#[derive(Debug, Clone)]
pub struct Location {
    /// The file the span points into.
    pub file: Source,
    /// Byte range in `file.text`.
    pub span: Range<usize>,
}

/// One problem found in the site, with where it is and how to fix it.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What kind of problem it is.
    pub code: Code,
    /// What is wrong, in one line.
    pub message: String,
    /// Where it is, when it is somewhere in particular.
    pub location: Option<Location>,
    /// A short note under the caret.
    pub label: String,
    /// Other places it concerns, each with its note: the other file of a duplicate URL.
    pub also: Box<[(Location, String)]>,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A new error with the given code and message.
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            location: None,
            label: String::new(),
            also: Box::default(),
            help: None,
        }
    }

    /// A new warning with the given code and message.
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// Points the diagnostic at `span` in `file`.
    pub fn at(mut self, file: &Source, span: Range<usize>) -> Self {
        let start = floor_char_boundary(&file.text, span.start);
        let end = floor_char_boundary(&file.text, span.end.max(start));
        self.location = Some(Location {
            file: file.clone(),
            span: start..end,
        });
        self
    }

    /// Points the diagnostic at another place too, with a note of its own.
    pub fn also_at(mut self, file: &Source, span: Range<usize>, label: impl Into<String>) -> Self {
        let start = floor_char_boundary(&file.text, span.start);
        let end = floor_char_boundary(&file.text, span.end.max(start));
        let place = Location {
            file: file.clone(),
            span: start..end,
        };
        let mut also = std::mem::take(&mut self.also).into_vec();
        also.push((place, label.into()));
        self.also = also.into_boxed_slice();
        self
    }

    /// Sets the note shown under the caret.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// Sets the help line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the help line when there is one.
    pub fn maybe_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// Whether this diagnostic fails the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn sort_key(&self) -> (String, usize, Severity, &str) {
        match &self.location {
            Some(loc) => (
                loc.file.display_path(),
                loc.span.start,
                self.severity,
                &self.message,
            ),
            None => (String::new(), 0, self.severity, &self.message),
        }
    }

    /// Renders the diagnostic in the style of rustc, with a snippet and a caret.
    pub fn render(&self, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
        };
        let mut renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let mut message = level.title(&self.message).id(self.code.as_str());
        // The main place, then the others, each its own snippet.
        let places: Vec<(&Location, &str, Level)> = self
            .location
            .iter()
            .map(|loc| (loc, self.label.as_str(), level))
            .chain(
                self.also
                    .iter()
                    .map(|(loc, label)| (loc, label.as_str(), Level::Note)),
            )
            .collect();
        let origins: Vec<String> = places
            .iter()
            .map(|(loc, ..)| loc.file.display_path())
            .collect();
        for ((loc, label, level), origin) in places.into_iter().zip(&origins) {
            let (text, line, range, width) = excerpt(loc);
            if let Some(width) = width {
                renderer = renderer.term_width(width);
            }
            message = message.snippet(
                Snippet::source(text)
                    .line_start(line)
                    .origin(origin)
                    .fold(false)
                    .annotation(level.span(range).label(label)),
            );
        }
        if let Some(help) = &self.help {
            message = message.footer(Level::Help.title(help));
        }
        let mut out = renderer.render(message).to_string();
        out.push('\n');
        out
    }
}

/// The lines around `loc` to show, the number of the first, the span within them, and the
/// terminal width to render them at when a long line needs one.
fn excerpt(loc: &Location) -> (&str, usize, Range<usize>, Option<usize>) {
    let window = loc.file.lines_around(&loc.span);
    let mut text = &loc.file.text[window.clone()];
    let (line, _) = loc.file.line_col(window.start);
    let start = loc.span.start - window.start;
    let mut end = (loc.span.end.min(window.end) - window.start).max(start);
    let mut width = None;
    if margin_overflows(text, start) {
        // Show the first line, up to the annotation, without trimming it.
        let line_end = text.find('\n').unwrap_or(text.len());
        let cut = floor_char_boundary(text, line_end.min(end.max(start + 1).max(100)));
        text = &text[..cut];
        end = end.min(cut);
        width = Some(cut + 64);
    }
    (text, line, start..end, width)
}

/// Whether annotate-snippets 0.11 would overflow on `text` annotated from `start` (a panic in
/// debug builds, in `Margin::compute`): when a line is too long for the terminal and the
/// annotation lies left of the indentation of every line shown. Errs on the side of yes.
fn margin_overflows(text: &str, start: usize) -> bool {
    /// `ELLIPSIS_PASSING` there.
    const PADDING: usize = 6;
    if text.split('\n').all(|line| line.len() <= 100) {
        return false;
    }
    let indent = text
        .split('\n')
        .filter(|line| line.chars().any(|c| !c.is_whitespace()))
        .map(|line| {
            let leading = line.chars().take_while(|c| c.is_whitespace());
            leading
                .map(|c| if c == '\t' { 4 } else { 1 })
                .sum::<usize>()
        })
        .min();
    // The annotation starts at least one column further per space or visible ASCII character
    // before it, and is at least one column wide.
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let columns = text[line_start..start]
        .chars()
        .filter(|c| *c == ' ' || c.is_ascii_graphic())
        .count();
    indent.is_some_and(|indent| indent.saturating_sub(PADDING) > columns + 1 + PADDING)
}

/// Diagnostics shown per file; the rest are counted.
const MAX_PER_FILE: usize = 20;
/// Diagnostics shown in all; the rest are counted.
const MAX_SHOWN: usize = 200;

/// All diagnostics of one build, collected across stages.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Adds many diagnostics.
    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(diagnostics);
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// The number of errors and of warnings.
    pub fn counts(&self) -> (usize, usize) {
        let errors = self.items.iter().filter(|d| d.is_error()).count();
        (errors, self.items.len() - errors)
    }

    /// The diagnostics sorted by file, then position, as the user reads them.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.items.dedup_by(|a, b| {
            a.code == b.code
                && a.message == b.message
                && a.location.as_ref().map(|l| (&l.file.path, &l.span))
                    == b.location.as_ref().map(|l| (&l.file.path, &l.span))
        });
        self.items
    }

    /// Renders every diagnostic, sorted, followed by a count line when there are any.
    pub fn render(self, color: bool) -> String {
        let (errors, warnings) = self.counts();
        let mut out = String::new();
        let mut shown_in_file = 0;
        let mut shown = 0;
        let mut hidden = 0;
        let mut last_file = None;
        for diagnostic in self.sorted() {
            let file = diagnostic.location.as_ref().map(|l| l.file.path.clone());
            if file != last_file {
                shown_in_file = 0;
                last_file = file;
            }
            if shown_in_file >= MAX_PER_FILE || shown >= MAX_SHOWN {
                hidden += 1;
                continue;
            }
            shown_in_file += 1;
            shown += 1;
            out.push_str(&diagnostic.render(color));
            out.push('\n');
        }
        if hidden > 0 {
            let _ = writeln!(
                out,
                "… and {hidden} more (at most {MAX_PER_FILE} are shown per file and {MAX_SHOWN} in all)\n"
            );
        }
        if errors + warnings > 0 {
            let _ = writeln!(
                out,
                "{} error{}, {} warning{}",
                errors,
                plural(errors),
                warnings,
                plural(warnings)
            );
        }
        out
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// How diagnostics are written out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// For people: rustc's style, with a snippet and a caret, and a count line.
    #[default]
    Human,
    /// For editors and tools: a JSON object per line (see [`Diagnostic::to_json`]).
    Json,
    /// For GitHub Actions: a workflow command per diagnostic, which annotates the line.
    Github,
}

impl Diagnostic {
    /// The diagnostic as one JSON object: `code`, `severity`, `message`, `file`, `line`,
    /// `column`, `end` (`line` and `column` after the span), `label` and `help`; the place
    /// fields are null for a diagnostic without one. Lines and columns count from 1, columns
    /// in characters.
    pub fn to_json(&self) -> serde_json::Value {
        let place = self.location.as_ref().map(|loc| {
            let (line, column) = loc.file.line_col(loc.span.start);
            let (end_line, end_column) = loc.file.line_col(loc.span.end);
            (loc.file.display_path(), line, column, end_line, end_column)
        });
        serde_json::json!({
            "code": self.code.as_str(),
            "severity": match self.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            "message": self.message,
            "file": place.as_ref().map(|p| &p.0),
            "line": place.as_ref().map(|p| p.1),
            "column": place.as_ref().map(|p| p.2),
            "end": place.as_ref().map(|p| serde_json::json!({ "line": p.3, "column": p.4 })),
            "label": (!self.label.is_empty()).then_some(&self.label),
            "help": self.help,
            "related": self.also.iter().map(|(loc, label)| {
                let (line, column) = loc.file.line_col(loc.span.start);
                let (end_line, end_column) = loc.file.line_col(loc.span.end);
                serde_json::json!({
                    "file": loc.file.display_path(),
                    "line": line,
                    "column": column,
                    "end": { "line": end_line, "column": end_column },
                    "label": label,
                })
            }).collect::<Vec<_>>(),
        })
    }

    /// The diagnostic as a GitHub Actions workflow command (`::error file=…,line=…::…`);
    /// `prefix` is the site's folder as seen from the repository's root.
    pub fn to_github(&self, prefix: &str) -> String {
        let command = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut properties = Vec::new();
        if let Some(loc) = &self.location {
            let (line, column) = loc.file.line_col(loc.span.start);
            let (end_line, end_column) = loc.file.line_col(loc.span.end);
            let file = format!("{prefix}{}", loc.file.display_path());
            properties.push(format!("file={}", github_property(&file)));
            properties.push(format!("line={line},col={column}"));
            properties.push(format!("endLine={end_line},endColumn={end_column}"));
        }
        properties.push(format!("title={}", github_property(self.code.as_str())));
        let mut message = self.message.clone();
        if let Some(help) = &self.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        format!(
            "::{command} {}::{}\n",
            properties.join(","),
            github_data(&message)
        )
    }
}

/// Escapes a workflow command's message, as GitHub's toolkit does.
fn github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value, as GitHub's toolkit does.
fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

impl Diagnostics {
    /// Every diagnostic, sorted, in `format`; `prefix` is the site's folder as seen from the
    /// repository's root, for [`Format::Github`].
    pub fn render_as(self, format: Format, color: bool, prefix: &str) -> String {
        match format {
            Format::Human => self.render(color),
            Format::Json => self
                .sorted()
                .iter()
                .map(|d| format!("{}\n", d.to_json()))
                .collect(),
            Format::Github => self.sorted().iter().map(|d| d.to_github(prefix)).collect(),
        }
    }
}

/// The candidate nearest to `wanted` by edit distance, if it is close enough to be a likely typo.
pub fn suggest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    nearest(wanted, &wanted.to_lowercase(), candidates)
}

/// The edits a suggestion may be away from `wanted`: a third of its length, 1 to 4.
fn edit_limit(wanted: &str) -> usize {
    (wanted.chars().count() / 3).clamp(1, 4)
}

/// The candidate nearest to `wanted` (whose lower case is `wanted_lower`) within
/// [`edit_limit`], the first in order among equals; never `wanted` itself.
fn nearest<'a>(
    wanted: &str,
    wanted_lower: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = edit_limit(wanted);
    candidates
        .into_iter()
        .filter(|c| *c != wanted)
        .map(|c| {
            (
                strsim::damerau_levenshtein(wanted_lower, &c.to_lowercase()),
                c,
            )
        })
        .filter(|&(d, _)| d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// [`suggest`] over a fixed list of candidates, indexed once, for sites where many names
/// are looked up among many: a lookup compares `wanted` only with the candidates that share
/// enough of its three-letter pieces to be within reach, never with every name.
///
/// It finds what [`suggest`] finds, but for names made mostly of pieces that most names
/// have. Two strings `d` edits apart (insertions, deletions, substitutions, swaps of
/// neighbours) share all but at most `4 d` of the `len + 2` three-letter pieces of the
/// first, padded with two marks on each side; a candidate that shares fewer, or whose length
/// differs by more than the limit, is out of reach. When the pieces left after the common
/// ones cannot rule a candidate out, the candidates that share the most are compared.
#[derive(Debug, Default)]
pub struct Suggester {
    names: Vec<String>,
    lowered: Vec<Vec<char>>,
    /// The candidates holding each piece, once each.
    pieces: std::collections::HashMap<u64, Vec<u32>>,
}

/// Candidates compared with a name made of common pieces only, when the pieces cannot rule
/// any out.
const MOST_SHARED: usize = 64;

/// The padded three-letter pieces of `chars`, each packed in a number.
fn pieces(chars: &[char]) -> impl Iterator<Item = u64> + '_ {
    const PAD: char = '\u{1}';
    let padded: Vec<char> = [PAD, PAD]
        .into_iter()
        .chain(chars.iter().copied())
        .chain([PAD, PAD])
        .collect();
    (0..padded.len() - 2).map(move |i| {
        let [a, b, c] = [padded[i], padded[i + 1], padded[i + 2]].map(u64::from);
        (a << 42) | (b << 21) | c
    })
}

impl Suggester {
    /// Indexes `candidates`.
    pub fn new<S: Into<String>>(candidates: impl IntoIterator<Item = S>) -> Suggester {
        let mut suggester = Suggester::default();
        for (index, name) in candidates.into_iter().enumerate() {
            let name: String = name.into();
            let lowered: Vec<char> = name.to_lowercase().chars().collect();
            let mut own: Vec<u64> = pieces(&lowered).collect();
            own.sort_unstable();
            own.dedup();
            for piece in own {
                suggester
                    .pieces
                    .entry(piece)
                    .or_default()
                    .push(index as u32);
            }
            suggester.names.push(name);
            suggester.lowered.push(lowered);
        }
        suggester
    }

    /// The candidate nearest to `wanted`, as [`suggest`] would choose it.
    pub fn suggest(&self, wanted: &str) -> Option<&str> {
        let lowered: Vec<char> = wanted.to_lowercase().chars().collect();
        let limit = edit_limit(wanted);
        let need = (lowered.len() + 2).saturating_sub(4 * limit);
        let in_reach = |index: usize| self.lowered[index].len().abs_diff(lowered.len()) <= limit;
        // Pieces most names have (`not`, `ion`) say little and cost much: they are left out
        // of the count, and the share a candidate needs is lowered by as many.
        let common = (self.names.len() / 50).max(64);
        let mut shared: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
        let mut skipped = 0;
        if need > 0 {
            for piece in pieces(&lowered) {
                match self.pieces.get(&piece) {
                    Some(list) if list.len() > common => skipped += 1,
                    Some(list) => {
                        for &index in list {
                            *shared.entry(index).or_default() += 1;
                        }
                    }
                    None => {}
                }
            }
        }
        let floor = need.saturating_sub(skipped);
        let candidates: Vec<usize> = if need == 0 || (floor == 0 && shared.is_empty()) {
            // Too short to need a shared piece, or made of common pieces only: every
            // candidate of a near length.
            (0..self.names.len()).filter(|&i| in_reach(i)).collect()
        } else if floor > 0 {
            // Every candidate in reach shares at least `floor` of the pieces counted.
            shared
                .into_iter()
                .filter(|&(index, count)| count >= floor && in_reach(index as usize))
                .map(|(index, _)| index as usize)
                .collect()
        } else {
            // The pieces counted cannot rule a candidate out: those that share the most.
            let mut ranked: Vec<(usize, u32)> = shared
                .into_iter()
                .filter(|&(index, _)| in_reach(index as usize))
                .map(|(index, count)| (count, index))
                .collect();
            ranked.sort_unstable_by(|a, b| b.cmp(a));
            ranked.truncate(MOST_SHARED);
            ranked
                .into_iter()
                .map(|(_, index)| index as usize)
                .collect()
        };
        let wanted_lower: String = lowered.iter().collect();
        let names = candidates.into_iter().map(|i| self.names[i].as_str());
        nearest(wanted, &wanted_lower, names)
    }
}

/// "did you mean `x`?" for the nearest candidate, if any.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    suggest(wanted, candidates).map(|c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_github_formats_carry_the_place() {
        let file = crate::source::SourceFile::new(
            "content/x.md",
            "---\ntitle: a, b\n---\nbé [x](y.md)\n".into(),
        );
        let diagnostic = Diagnostic::error(Code::BrokenLink, "no page `y.md`: 50% gone")
            .at(&file, 24..28)
            .label("here")
            .help("fix it");
        let json = diagnostic.to_json();
        assert_eq!(json["file"], "content/x.md");
        assert_eq!(
            (json["line"].as_u64(), json["column"].as_u64()),
            (Some(4), Some(4))
        );
        assert_eq!(
            (json["end"]["line"].as_u64(), json["end"]["column"].as_u64()),
            (Some(4), Some(8))
        );
        assert_eq!(json["severity"], "error");
        assert_eq!(json["help"], "fix it");
        assert_eq!(
            diagnostic.to_github("docs/"),
            "::error file=docs/content/x.md,line=4,col=4,endLine=4,endColumn=8,title=broken-link::no page `y.md`: 50%25 gone%0Ahelp: fix it\n"
        );
        let both = diagnostic
            .clone()
            .also_at(&file, 4..8, "and here")
            .to_json();
        assert_eq!(both["related"][0]["line"], 2);
        assert_eq!(both["related"][0]["label"], "and here");
        let nowhere = Diagnostic::warning(Code::SearchIndex, "a, b").to_json();
        assert!(nowhere["file"].is_null() && nowhere["line"].is_null());
    }

    #[test]
    fn the_index_suggests_what_a_scan_suggests() {
        // Names and misspellings made from a few letters, so that many are near each other.
        let mut state = 7u64;
        let mut next = move |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let letters = ['a', 'b', 'c', 'd', 'E', 'é', '-', ' '];
        let word = |next: &mut dyn FnMut(usize) -> usize| -> String {
            let len = 1 + next(12);
            (0..len).map(|_| letters[next(letters.len())]).collect()
        };
        let names: Vec<String> = (0..400).map(|_| word(&mut next)).collect();
        let index = Suggester::new(names.iter().cloned());
        let mut found = 0;
        for _ in 0..2000 {
            let wanted = if next(2) == 0 {
                word(&mut next)
            } else {
                // A near miss of a name.
                let mut chars: Vec<char> = names[next(names.len())].chars().collect();
                for _ in 0..1 + next(3) {
                    let at = next(chars.len() + 1);
                    match next(3) {
                        0 => chars.insert(at, letters[next(letters.len())]),
                        1 if at < chars.len() => {
                            chars.remove(at);
                        }
                        _ if at + 1 < chars.len() => chars.swap(at, at + 1),
                        _ => {}
                    }
                }
                chars.into_iter().collect()
            };
            let scanned = suggest(&wanted, names.iter().map(String::as_str));
            assert_eq!(index.suggest(&wanted), scanned, "{wanted:?}");
            found += usize::from(scanned.is_some());
        }
        assert!(found > 500, "only {found} lookups found a name");
    }

    #[test]
    fn the_index_finds_a_name_made_of_common_pieces() {
        let names: Vec<String> = (0..5000).map(|n| format!("the-note-about-{n}")).collect();
        let index = Suggester::new(names.iter().cloned());
        assert_eq!(
            index.suggest("the-note-abuot-1234"),
            Some("the-note-about-1234")
        );
        assert_eq!(
            index.suggest("the-note-about-12345"),
            Some("the-note-about-1234")
        );
        assert_eq!(index.suggest("nothing-like-it"), None);
    }

    #[test]
    fn suggests_near_names_only() {
        let names = ["title", "description", "weight"];
        assert_eq!(suggest("titel", names), Some("title"));
        assert_eq!(suggest("wieght", names), Some("weight"));
        assert_eq!(suggest("colour", names), None);
    }

    #[test]
    fn renders_a_caret_left_of_a_long_indented_line() {
        // Found by fuzzing front matter: a tab error at the start of a long, indented line.
        let text = format!("---\n{}{}\n---\n", "\t".repeat(40), "\u{FFFD}".repeat(200));
        let file = crate::source::SourceFile::new("content/x.md", text);
        let shown = Diagnostic::error(Code::InvalidYaml, "found a tab character")
            .at(&file, 4..5)
            .label("here")
            .render(false);
        assert!(shown.contains("--> content/x.md:2:1"), "{shown}");
    }
}
