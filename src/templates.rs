//! Templates: the built-in theme, a site theme and per-site overrides loaded into tera, and
//! tera's errors turned into diagnostics that point at the template line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::Tera;

use crate::config::SiteConfig;
use crate::diag::{Code, Diagnostic};
use crate::i18n::{FORMS, Lang};
use crate::source::{Source, SourceFile};
use crate::theme;

/// The loaded templates and the theme's static files.
pub struct Theme {
    /// The templates, once per language: the filters that write dates and counts are the
    /// language's.
    teras: Vec<Tera>,
    sources: BTreeMap<String, Source>,
    /// Static files of the theme: (URL path, bytes or file).
    pub statics: Vec<(String, theme::StaticFile)>,
    /// Whether a template reads `words` other than as `words.KEY` of a word the tables have,
    /// which [`fold_words`] puts in as it is: then the pages' contexts hold `words`.
    pub words_read: bool,
}

impl Theme {
    /// Whether a template of this name exists.
    pub fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// The names of all templates, for suggestions.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.sources.keys().map(String::as_str)
    }

    /// Renders `template` with `context` in language `lang`; errors point into the template
    /// where tera allows.
    pub fn render(
        &self,
        template: &str,
        context: &tera::Context,
        lang: Lang,
    ) -> Result<String, Diagnostic> {
        self.teras[usize::from(lang)]
            .render(template, context)
            .map_err(|err| template_error(&err, &self.sources))
    }

    /// A hash of every template's name and text: themes with the same one render alike.
    pub fn fingerprint(&self) -> u64 {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for (name, source) in &self.sources {
            for text in [name, &source.text] {
                hasher.update(&(text.len() as u64).to_le_bytes());
                hasher.update(text.as_bytes());
            }
        }
        hasher.digest()
    }
}

/// Loads the built-in theme, then the site's theme, then `templates/` overrides by file name.
pub fn load_theme(root: &Path, config: &SiteConfig) -> Result<Theme, Vec<Diagnostic>> {
    let mut sources: BTreeMap<String, Source> = BTreeMap::new();
    for (name, text) in theme::TEMPLATES {
        sources.insert(
            name.to_string(),
            SourceFile::new(format!("themes/default/templates/{name}"), text.to_string()),
        );
    }
    let mut statics: Vec<(String, theme::StaticFile)> = theme::STATICS
        .iter()
        .map(|(name, bytes)| (name.to_string(), theme::StaticFile::Embedded(bytes)))
        .collect();
    let mut problems = Vec::new();
    let mut dirs = Vec::new();
    if let Some(name) = config.theme.as_deref().filter(|n| *n != "default") {
        let dir = root.join("themes").join(name);
        if !dir.is_dir() {
            problems.push(
                Diagnostic::error(Code::MissingTheme, format!("theme `{name}` not found in themes/"))
                    .help("create themes/NAME/templates/, or remove `theme` from weft.yaml to use the built-in theme"),
            );
        }
        for (url, path) in files_under(&dir.join("static")) {
            statics.retain(|(u, _)| *u != url);
            statics.push((url, theme::StaticFile::Disk(path)));
        }
        dirs.push(PathBuf::from("themes").join(name).join("templates"));
    }
    dirs.push(PathBuf::from("templates"));
    for dir in dirs {
        for (name, path) in files_under(&root.join(&dir)) {
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    sources.insert(name.clone(), SourceFile::new(dir.join(&name), text));
                }
                Err(err) => problems.push(Diagnostic::error(
                    Code::Io,
                    format!("cannot read {}: {err}", path.display()),
                )),
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let new_tera = |code: &str| {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape_text);
        tera.register_filter("escape", EscapeFilter);
        register_language_filters(&mut tera, code);
        tera
    };
    // Once per language, with its words folded in.
    let mut teras = Vec::with_capacity(config.languages.len());
    let mut words_read = false;
    for language in config.languages.all() {
        let folded: Vec<(&str, String)> = sources
            .iter()
            .map(|(name, source)| {
                let autoescaped = name.ends_with(".html") || name.ends_with(".xml");
                let (text, unfolded) = fold_words(&source.text, &language.words, autoescaped);
                words_read |= unfolded;
                (name.as_str(), text)
            })
            .collect();
        let mut tera = new_tera(&language.code);
        let raw = folded.iter().map(|(name, text)| (*name, text.as_str()));
        if let Err(folded_err) = tera.add_raw_templates(raw) {
            // Reported from the templates as written, whose columns the error's place names
            // (folding moves them).
            let raw = sources.iter().map(|(n, s)| (n.as_str(), s.text.as_str()));
            let err = new_tera("en")
                .add_raw_templates(raw)
                .err()
                .unwrap_or(folded_err);
            return Err(vec![template_error(&err, &sources)]);
        }
        teras.push(tera);
    }
    Ok(Theme {
        teras,
        sources,
        statics,
        words_read,
    })
}

/// `text`, a template, with each `words.KEY` inside its tags replaced by that word as a
/// string literal (a word with a count by its two forms, which `count` tells apart): the
/// words are the same on every page of a language, and a literal costs nothing per page,
/// where a `words` map in each page's context is copied for each. Also whether the template
/// still reads `words` otherwise (`words[key]`, a key the table lacks), so that pages need it.
///
/// In a template that Tera escapes (`autoescaped`: `.html`, `.xml`), a tag that prints a word
/// and nothing else becomes the word's escaped text.
pub fn fold_words(text: &str, words: &crate::i18n::Words, autoescaped: bool) -> (String, bool) {
    const NAME: &str = "words";
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut unfolded = false;
    let mut rest = text;
    while let Some(open) = rest.find("{{").into_iter().chain(rest.find("{%")).min() {
        let close = if rest[open..].starts_with("{{") {
            "}}"
        } else {
            "%}"
        };
        let Some(end) = rest[open..].find(close).map(|e| open + e + 2) else {
            break;
        };
        out.push_str(&rest[..open]);
        let tag = &rest[open..end];
        // A tag that prints a word and nothing else becomes the word's text, escaped as
        // Tera would print it: text of the template like any other.
        let bare = tag
            .strip_prefix("{{")
            .and_then(|t| t.strip_suffix("}}"))
            .map(str::trim)
            .and_then(|t| t.strip_prefix("words."))
            .filter(|key| autoescaped && !key.is_empty() && key.chars().all(ident))
            .and_then(|key| words.get(key)?.as_str());
        if let Some(text) = bare {
            out.push_str(&escape_text(text));
            rest = &rest[end..];
            continue;
        }
        let mut at = 0;
        while let Some(found) = tag[at..].find(NAME).map(|f| at + f) {
            let before = tag[..found].chars().next_back();
            let after = &tag[found + NAME.len()..];
            if before.is_some_and(|c| ident(c) || c == '.') {
                out.push_str(&tag[at..found + NAME.len()]);
                at = found + NAME.len();
                continue;
            }
            let key_len = after
                .strip_prefix('.')
                .map(|k| k.find(|c: char| !ident(c)).unwrap_or(k.len()));
            let literal = key_len
                .filter(|&len| len > 0)
                .and_then(|len| words.get(&after[1..=len]).map(|value| (len, value)))
                .and_then(|(len, value)| Some((len, literal_of(value)?)))
                .filter(|(len, _)| !after[1 + len..].starts_with(['.', '[']));
            match literal {
                Some((len, literal)) => {
                    out.push_str(&tag[at..found]);
                    out.push_str(&literal);
                    at = found + NAME.len() + 1 + len;
                }
                None => {
                    unfolded |= !after.starts_with(|c: char| ident(c));
                    out.push_str(&tag[at..found + NAME.len()]);
                    at = found + NAME.len();
                }
            }
        }
        out.push_str(&tag[at..]);
        rest = &rest[end..];
    }
    out.push_str(rest);
    (out, unfolded)
}

/// A word as a Tera string literal, if it can be one: Tera's literals have no escapes, so
/// it takes a quote the word does not hold.
fn literal_of(value: &serde_json::Value) -> Option<String> {
    let text = match value {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Object(forms) => {
            let form = |name: &str| forms.get(name).and_then(serde_json::Value::as_str);
            let other = form("other")?;
            format!("{}{FORMS}{other}", form("one").unwrap_or(other))
        }
        _ => return None,
    };
    let quote = ['"', '\'', '`'].into_iter().find(|q| !text.contains(*q))?;
    (!text.contains(['\n', '\r'])).then(|| format!("{quote}{text}{quote}"))
}

/// The filters that write in a language: `long_date` and `count`.
fn register_language_filters(tera: &mut Tera, code: &str) {
    tera.register_filter(
        "long_date",
        crate::dates::LongDate {
            language: code.to_string(),
        },
    );
    tera.register_filter(
        "count",
        crate::i18n::Count {
            code: code.to_string(),
        },
    );
    tera.register_filter("form", crate::i18n::Form);
}

/// Escapes `&`, `<`, `>`, `"` and `'`, and leaves `/` alone so URLs stay readable. Tera calls
/// it for every value a template prints, so it makes one string in one pass.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut done = 0;
    for (i, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // An ASCII byte is always a character boundary.
        out.push_str(&text[done..i]);
        out.push_str(entity);
        done = i + 1;
    }
    out.push_str(&text[done..]);
    out
}

/// `escape`, with the same escaping as autoescape, for text and numbers; marked safe, so that
/// a value escaped explicitly is never escaped twice (templates rendered with `set`, where
/// Tera does not autoescape, rely on it).
struct EscapeFilter;

impl tera::Filter for EscapeFilter {
    fn filter(
        &self,
        value: &serde_json::Value,
        _: &std::collections::HashMap<String, serde_json::Value>,
    ) -> tera::Result<serde_json::Value> {
        let text = match value {
            serde_json::Value::String(s) => escape_text(s),
            serde_json::Value::Null => String::new(),
            other => escape_text(&other.to_string()),
        };
        Ok(serde_json::Value::String(text))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

fn files_under(dir: &Path) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| !crate::discover::is_ignored_name(&e.file_name().to_string_lossy()))
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).ok()?;
            Some((crate::source::display_path(rel), e.path().to_path_buf()))
        })
        .collect()
}

/// Turns a tera error into a diagnostic, pointing at the template line when tera gives one.
fn template_error(err: &tera::Error, sources: &BTreeMap<String, Source>) -> Diagnostic {
    let mut chain = Vec::new();
    let mut current: Option<&dyn std::error::Error> = Some(err);
    while let Some(e) = current {
        chain.push(e.to_string());
        current = e.source();
    }
    let name = chain
        .iter()
        .find_map(|m| {
            m.split(['\'', '"'])
                .nth(1)
                .filter(|n| sources.contains_key(*n))
        })
        .map(str::to_string);
    let position = chain.iter().find_map(|m| {
        let after = m.split("--> ").nth(1)?;
        let (line, rest) = after.split_once(':')?;
        let col: String = rest.chars().take_while(char::is_ascii_digit).collect();
        Some((
            line.trim().parse::<usize>().ok()?,
            col.parse::<usize>().ok()?,
        ))
    });
    let detail = chain
        .last()
        .map(|m| {
            m.lines()
                .filter_map(|l| l.trim().strip_prefix("= "))
                .collect::<Vec<_>>()
                .join("; ")
        })
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| chain.last().cloned().unwrap_or_default());
    let message = format!(
        "template error: {}",
        chain.first().cloned().unwrap_or_default()
    );
    let mut diagnostic = Diagnostic::error(Code::Template, message).help(detail.clone());
    if let (Some(name), Some((line, col))) = (name, position) {
        diagnostic = diagnostic.help("templates use Tera's syntax: `{{ value }}`, `{% if x %}…{% endif %}`, `{% for x in xs %}…{% endfor %}`");
        let file = &sources[&name];
        let start = file.offset_of_line(line);
        let offset = file.text[start..]
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(start, |(i, _)| start + i);
        let end = file.text[offset..]
            .find(char::is_whitespace)
            .map_or(file.text.len(), |i| offset + i);
        diagnostic = diagnostic
            .at(file, offset..end.max(offset + 1).min(file.text.len()))
            .label(detail);
    } else if let Some((file, span)) = render_error_place(&detail, &chain, sources) {
        diagnostic = diagnostic.at(file, span).label("here");
    }
    diagnostic
}

/// Where a render-time error most likely is: tera names the missing variable or macro but not
/// the line, so look for that name in the template it was rendering, then in the others.
fn render_error_place<'s>(
    detail: &str,
    chain: &[String],
    sources: &'s BTreeMap<String, Source>,
) -> Option<(&'s Source, std::ops::Range<usize>)> {
    let name = detail.split('`').nth(1).filter(|n| !n.is_empty())?;
    let rendering = chain
        .iter()
        .rev()
        .filter_map(|m| m.split("while rendering '").nth(1)?.split('\'').next())
        .chain(
            chain
                .iter()
                .filter_map(|m| m.split("error happened in '").nth(1)?.split('\'').next()),
        );
    let preferred: Vec<&Source> = rendering.filter_map(|t| sources.get(t)).collect();
    preferred
        .into_iter()
        .chain(sources.values())
        .find_map(|file| file.text.find(name).map(|at| (file, at..at + name.len())))
}

#[cfg(test)]
mod tests {
    use super::escape_text;

    #[test]
    fn escapes_markup_and_quotes_but_not_slashes() {
        assert_eq!(escape_text(""), "");
        assert_eq!(escape_text("plain/path"), "plain/path");
        assert_eq!(
            escape_text(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
        assert_eq!(escape_text("café <b>ü</b>"), "café &lt;b&gt;ü&lt;/b&gt;");
    }
}

#[cfg(test)]
mod folding {
    use super::fold_words;

    #[test]
    fn the_default_theme_reads_every_word_as_folded() {
        let words = crate::i18n::built_in_words("en");
        for (name, text) in crate::theme::TEMPLATES {
            let (folded, unfolded) = fold_words(text, &words, true);
            assert!(!unfolded, "{name} reads `words` otherwise:\n{folded}");
            assert!(!folded.contains("words."), "{name}:\n{folded}");
        }
    }

    #[test]
    fn words_become_literals_inside_tags_only() {
        let words: crate::i18n::Words = serde_json::from_str(
            r#"{"a": "Say \"hi\"", "n": {"one": "{n} page", "other": "{n} pages"}}"#,
        )
        .expect("words");
        let (folded, unfolded) = fold_words(
            "words.a {{ words.a }} {{ words.n | count(n=2) }} {% if words.b %}",
            &words,
            true,
        );
        assert_eq!(
            folded,
            "words.a Say &quot;hi&quot; {{ \"{n} page\u{1f}{n} pages\" | count(n=2) }} {% if words.b %}"
        );
        assert!(unfolded);
        let (_, unfolded) = fold_words("{{ mywords.a }} {{ x.words }}", &words, true);
        assert!(!unfolded);
    }
}
