//! `weft.yaml`: the site's configuration, typed, with unknown keys rejected. A folder without
//! one is a site too: its own folder is the content, and every key has its default.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde::Deserialize;

use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::source::{Source, SourceFile};
use crate::yaml;

/// The file name of the site configuration.
pub const CONFIG_FILE: &str = "weft.yaml";

/// The site configuration as written in `weft.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The site's name, shown in the header and in every `<title>`; the folder's name when unset.
    #[serde(default)]
    pub title: String,
    /// The folder of the Markdown, relative to the site's folder: `content` when unset, or the
    /// site's folder itself (`.`) when it has neither `weft.yaml` nor `content/`.
    #[serde(default)]
    pub content: Option<PathBuf>,
    /// Globs of paths in the content folder that are not read (`private/**`, `*.excalidraw.md`).
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Whether an unknown front matter key is an error; otherwise it is kept for templates.
    #[serde(default)]
    pub strict: bool,
    /// Whether only notes with `publish: true` are published, as Quartz's explicit-publish mode.
    #[serde(default)]
    pub explicit_publish: bool,
    /// Whether a link that goes nowhere fails the build (`error`) or is a `warning`, its text
    /// left as plain text.
    #[serde(default)]
    pub unresolved_links: Severity,
    /// Where the site is published, e.g. `https://example.org/docs/`; may carry a sub-path.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// The language of the content, for `<html lang>`; with `languages`, the first of them.
    #[serde(default = "default_language")]
    pub language: String,
    /// The languages of a site written in several: code → title, description and the words
    /// of its own (taxonomy names, relation labels, term names). The first is the default.
    #[serde(default, rename = "languages")]
    pub declared_languages: crate::i18n::Declared,
    /// Whether a link in a translation to a page not translated into its language fails the
    /// build (`error`) or leads to the default language's page with a `warning`.
    #[serde(default = "warning")]
    pub untranslated_links: Severity,
    /// The languages, as [`Languages`](crate::i18n::Languages) reads them, with their words
    /// (not in `weft.yaml`).
    #[serde(skip)]
    pub languages: crate::i18n::Languages,
    /// What loading found that does not stop a build: words missing in a language.
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
    /// The site's description, the fallback meta description.
    #[serde(default)]
    pub description: Option<String>,
    /// A theme under `themes/NAME/`; `default` (built in) when unset.
    #[serde(default)]
    pub theme: Option<String>,
    /// Taxonomy names such as `topics`; each becomes a front matter key.
    #[serde(default)]
    pub taxonomies: Vec<String>,
    /// Typed relations between pages; each becomes a front matter key.
    #[serde(default)]
    pub relations: BTreeMap<String, RelationDecl>,
    /// Whether to build the search index.
    #[serde(default = "yes")]
    pub search: bool,
    /// Whether to write the Atom feed.
    #[serde(default = "yes")]
    pub feeds: bool,
    /// Whether raw HTML in Markdown passes through (`true`) or is escaped.
    #[serde(default = "yes")]
    pub unsafe_html: bool,
    /// Whether each page shows its local graph: the pages within two links of it.
    #[serde(default = "yes")]
    pub local_graph: bool,
    /// The themes of highlighted code in light and dark mode: `{ light: github-light-default,
    /// dark: github-dark-default }` when unset, which pass axe's contrast check on the default
    /// theme; any of giallo's themes.
    #[serde(default)]
    pub highlight: crate::markdown::Themes,
    /// Free values for templates.
    #[serde(default)]
    pub extra: serde_json::Value,
}

/// A typed relation: its label, and how it shows on the target page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationDecl {
    /// Shown on the page that declares the relation ("Part of").
    pub label: String,
    /// The key of the inverse relation shown on the target ("has_part").
    #[serde(default)]
    pub inverse: Option<String>,
    /// The label of the inverse ("Includes").
    #[serde(default)]
    pub inverse_label: Option<String>,
    /// The relation reads the same both ways ("Related").
    #[serde(default)]
    pub symmetric: bool,
}

/// How a link that goes nowhere is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// It fails the build.
    #[default]
    Error,
    /// It is reported and the build goes on; the link shows as plain text.
    Warning,
}

fn default_base_url() -> String {
    "/".into()
}

fn warning() -> Severity {
    Severity::Warning
}

fn default_language() -> String {
    "en".into()
}

fn yes() -> bool {
    true
}

/// Front matter keys that weft itself defines, Obsidian's among them; taxonomies and relations
/// may not reuse them.
pub const BUILTIN_KEYS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "draft",
    "weight",
    "slug",
    "aliases",
    "template",
    "sort_by",
    "extra",
    "tags",
    "cssclasses",
    "publish",
    "permalink",
    "image",
    "cover",
    "translation_key",
];

/// The taxonomy every site has without declaring it: Obsidian's `tags`.
pub const TAGS: &str = "tags";

/// The content folder of a site with `weft.yaml` that does not name one.
pub const CONTENT_DIR: &str = "content";

/// Reads and checks `weft.yaml` under `root`. Without one, the site is the folder as it is:
/// its `content/` if it has one, else the folder itself.
pub fn load(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
    let path = root.join(CONFIG_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => {
            return Err(vec![Diagnostic::error(
                Code::Io,
                format!("cannot read {}: {err}", path.display()),
            )]);
        }
    };
    let Some(text) = text else {
        let mut config: SiteConfig = serde_yaml::from_str("{}")
            .map_err(|err| vec![Diagnostic::error(Code::Io, err.to_string())])?;
        if !root.join(CONTENT_DIR).is_dir() {
            config.content = Some(PathBuf::from("."));
        }
        return Ok(config.finish(root));
    };
    let source = SourceFile::new(CONFIG_FILE, text);
    let config: SiteConfig = if source.text.trim().is_empty() {
        serde_yaml::from_str("{}")
    } else {
        serde_yaml::from_str(&source.text)
    }
    .map_err(|err| vec![yaml::error_to_diagnostic(&err, &source, 0, CONFIG_FILE)])?;
    let problems = validate(&config, &source);
    if problems.is_empty() {
        Ok(config.finish(root))
    } else {
        Err(problems)
    }
}

fn validate(config: &SiteConfig, source: &Source) -> Vec<Diagnostic> {
    let at_key = |key: &str| yaml::key_span(&source.text, key).unwrap_or(0..0);
    let mut problems = crate::i18n::validate(
        &config.declared_languages,
        yaml::key_span(&source.text, "language").is_some(),
        &config.language,
        source,
    );
    if !(config.base_url.starts_with('/')
        || config.base_url.starts_with("http://")
        || config.base_url.starts_with("https://"))
    {
        problems.push(
            Diagnostic::error(
                Code::InvalidConfig,
                format!("base_url `{}` is not a URL", config.base_url),
            )
            .at(source, at_key("base_url"))
            .label("expected http(s)://host/path/ or /path/")
            .help("write the address the site is published at, e.g. `https://example.org/docs/`"),
        );
    }
    if let Some(content) = &config.content {
        let inside = content
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        if !inside {
            problems.push(
                Diagnostic::error(
                    Code::InvalidConfig,
                    format!(
                        "content folder `{}` is not inside the site",
                        content.display()
                    ),
                )
                .at(source, at_key("content"))
                .label("expected a folder inside the site's folder")
                .help("write a path relative to weft.yaml, e.g. `content: notes` or `content: .`"),
            );
        }
    }
    for glob in &config.ignore {
        if let Err(err) = globset::Glob::new(glob) {
            problems.push(
                Diagnostic::error(
                    Code::InvalidConfig,
                    format!("`{glob}` is not a glob: {}", err.kind()),
                )
                .at(
                    source,
                    yaml::value_span(&source.text, "ignore", glob).unwrap_or(0..0),
                )
                .label("this pattern")
                .help("write globs such as `private/**` or `*.excalidraw.md`"),
            );
        }
    }
    let mut names: Vec<(&str, &str)> = Vec::new();
    for taxonomy in &config.taxonomies {
        names.push((taxonomy, "taxonomies"));
    }
    for (key, decl) in &config.relations {
        names.push((key, "relations"));
        if let Some(inverse) = &decl.inverse {
            names.push((inverse, "relations"));
        }
        if decl.symmetric && decl.inverse.is_some() {
            problems.push(
                Diagnostic::error(
                    Code::InvalidConfig,
                    format!("relation `{key}` is symmetric and has an inverse"),
                )
                .at(
                    source,
                    yaml::value_span(&source.text, "relations", key).unwrap_or(0..0),
                )
                .label("symmetric relations are their own inverse")
                .help("remove `inverse` or `symmetric: true`"),
            );
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for (name, key) in names {
        let span = yaml::value_span(&source.text, key, name).unwrap_or(0..0);
        let valid = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
        if !valid {
            problems.push(
                Diagnostic::error(Code::InvalidConfig, format!("`{name}` is not a valid name"))
                    .at(source, span.clone())
                    .label("use lowercase letters, digits, `_` and `-`")
                    .help("taxonomy and relation names become front matter keys and URLs"),
            );
        }
        // `tags` is a taxonomy without declaring it; declaring it is no harm.
        let builtin = BUILTIN_KEYS.contains(&name) && !(key == "taxonomies" && name == TAGS);
        if builtin || !seen.insert(name) {
            problems.push(
                Diagnostic::error(Code::InvalidConfig, format!("`{name}` is used twice as a front matter key"))
                    .at(source, span)
                    .label("already taken")
                    .help("give each taxonomy, relation and inverse its own name, different from the built-in keys"),
            );
        }
    }
    problems
}

impl SiteConfig {
    /// Fills in what depends on the site's folder `root`.
    fn finish(mut self, root: &Path) -> SiteConfig {
        if self.title.trim().is_empty() {
            let folder = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
            self.title = folder
                .file_name()
                .map_or_else(|| "Notes".into(), |n| n.to_string_lossy().into_owned());
        }
        if let Some((first, _)) = self.declared_languages.0.first() {
            self.language = first.clone();
        }
        self.languages = crate::i18n::Languages::new(
            &self.declared_languages,
            &self.language,
            &self.title,
            self.description.as_deref(),
        );
        let mut warnings = Vec::new();
        self.languages.load_words(root, &mut warnings);
        self.warnings = warnings;
        self
    }

    /// The content folder, relative to the site's folder (empty for the folder itself).
    pub fn content_dir(&self) -> PathBuf {
        match &self.content {
            None => PathBuf::from(CONTENT_DIR),
            Some(dir) => dir
                .components()
                .filter(|c| matches!(c, Component::Normal(_)))
                .collect(),
        }
    }

    /// The `ignore` globs, matched against paths in the content folder.
    pub fn ignored(&self) -> globset::GlobSet {
        let mut set = globset::GlobSetBuilder::new();
        for glob in &self.ignore {
            if let Ok(glob) = globset::Glob::new(glob) {
                set.add(glob);
            }
        }
        set.build().unwrap_or_else(|_| globset::GlobSet::empty())
    }

    /// Every front matter key a page may use, for suggestions.
    pub fn front_matter_keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = BUILTIN_KEYS.to_vec();
        keys.extend(self.taxonomies.iter().map(String::as_str));
        keys.extend(self.relations.keys().map(String::as_str));
        keys
    }

    /// A suggestion for an unknown front matter key.
    pub fn suggest_key(&self, key: &str) -> Option<String> {
        did_you_mean(key, self.front_matter_keys())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_may_be_declared_or_not() {
        let source = SourceFile::new(CONFIG_FILE, "taxonomies: [tags, topics]\n".into());
        let config: SiteConfig = serde_yaml::from_str(&source.text).expect("config");
        assert!(validate(&config, &source).is_empty());
        let source = SourceFile::new(CONFIG_FILE, "taxonomies: [title]\n".into());
        let config: SiteConfig = serde_yaml::from_str(&source.text).expect("config");
        assert_eq!(validate(&config, &source).len(), 1);
    }
}
