//! `weft.yaml`: the site's configuration, typed, with unknown keys rejected.

use std::collections::BTreeMap;
use std::path::Path;

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
    /// The site's name, shown in the header and in every `<title>`.
    pub title: String,
    /// Where the site is published, e.g. `https://example.org/docs/`; may carry a sub-path.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// The language of the content, for `<html lang>`.
    #[serde(default = "default_language")]
    pub language: String,
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

fn default_base_url() -> String {
    "/".into()
}

fn default_language() -> String {
    "en".into()
}

fn yes() -> bool {
    true
}

/// Front matter keys that weft itself defines; taxonomies and relations may not reuse them.
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
];

/// Reads and checks `weft.yaml` under `root`.
pub fn load(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
    let path = root.join(CONFIG_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Err(vec![
                Diagnostic::error(Code::NoConfig, format!("no {CONFIG_FILE} in {}", root.display()))
                    .help("run weft in the site's folder, pass --root DIR, or create a site with `weft new site DIR`"),
            ]);
        }
        Err(err) => {
            return Err(vec![Diagnostic::error(
                Code::Io,
                format!("cannot read {}: {err}", path.display()),
            )]);
        }
    };
    let source = SourceFile::new(CONFIG_FILE, text);
    let config: SiteConfig = serde_yaml::from_str(&source.text)
        .map_err(|err| vec![yaml::error_to_diagnostic(&err, &source, 0, CONFIG_FILE)])?;
    let problems = validate(&config, &source);
    if problems.is_empty() {
        Ok(config)
    } else {
        Err(problems)
    }
}

fn validate(config: &SiteConfig, source: &Source) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let at_key = |key: &str| yaml::key_span(&source.text, key).unwrap_or(0..0);
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
        if BUILTIN_KEYS.contains(&name) || !seen.insert(name) {
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
