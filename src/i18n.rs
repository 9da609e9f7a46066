//! Languages: the languages a site is written in, which language each file is in, and the
//! words the theme prints in each.
//!
//! A site without `languages` in `weft.yaml` has one language, its `language` (English unless
//! set), and every page is in it. With `languages`, the first is the default, at the site's
//! root; each other lives under its code (`/nl/`), and a file is in it when its name says so
//! (`page.nl.md`, `_index.nl.md`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::{Code, Diagnostic};
use crate::source::{Source, SourceFile};
use crate::yaml;

/// A language's index among the site's languages; 0 is the default.
pub type Lang = u8;

/// The default language's index.
pub const DEFAULT: Lang = 0;

/// What `weft.yaml` says of one language under `languages`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageDecl {
    /// The site's title in this language.
    #[serde(default)]
    pub title: Option<String>,
    /// The site's description in this language.
    #[serde(default)]
    pub description: Option<String>,
    /// The language's own name, as the language switcher shows it ("Nederlands"); the
    /// theme's `language_name` when unset.
    #[serde(default)]
    pub name: Option<String>,
    /// `rtl` or `ltr`; right-to-left for Arabic, Hebrew, Persian, Urdu and the like when unset.
    #[serde(default)]
    pub direction: Option<Direction>,
    /// Taxonomy names in this language, by taxonomy (`topics: Onderwerpen`).
    #[serde(default)]
    pub taxonomies: BTreeMap<String, String>,
    /// Relation labels in this language, by relation key.
    #[serde(default)]
    pub relations: BTreeMap<String, RelationWords>,
    /// Term names in this language, by taxonomy, then by the term as pages write it.
    #[serde(default)]
    pub terms: BTreeMap<String, BTreeMap<String, String>>,
    /// Free values for templates, in place of the top-level `extra`.
    #[serde(default)]
    pub extra: Option<serde_json::Value>,
}

/// A relation's labels in one language.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationWords {
    /// Shown on the page that declares the relation.
    #[serde(default)]
    pub label: Option<String>,
    /// Shown on the target, for a relation with an inverse.
    #[serde(default)]
    pub inverse_label: Option<String>,
}

/// Which way a language is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Left to right.
    Ltr,
    /// Right to left.
    Rtl,
}

/// The languages of `weft.yaml`, in the order written: the first is the default.
#[derive(Debug, Clone, Default)]
pub struct Declared(pub Vec<(String, LanguageDecl)>);

impl<'de> Deserialize<'de> for Declared {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Ordered;
        impl<'de> serde::de::Visitor<'de> for Ordered {
            type Value = Declared;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map from language codes to their settings, e.g. `en: {}`")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Declared, A::Error> {
                let mut list = Vec::new();
                while let Some((code, decl)) = map.next_entry::<String, Option<LanguageDecl>>()? {
                    list.push((code, decl.unwrap_or_default()));
                }
                Ok(Declared(list))
            }
        }
        deserializer.deserialize_map(Ordered)
    }
}

/// ISO 639-1: the two-letter language codes a language's code starts with.
const ISO_639_1: &str = "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca \
ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv \
ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks \
ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr \
nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss \
st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

/// Languages written right to left.
const RIGHT_TO_LEFT: &[&str] = &[
    "ar", "dv", "fa", "he", "ks", "ku", "ps", "sd", "ug", "ur", "yi",
];

/// Whether `code` is a language code weft knows: an ISO 639-1 language, lower-case, maybe
/// with a script (`zh-hant`) or a region (`pt-br`, `es-419`).
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or("");
    let known = primary.len() == 2 && ISO_639_1.split_whitespace().any(|c| c == primary);
    known
        && parts.all(|part| {
            let letters = part.chars().all(|c| c.is_ascii_lowercase());
            let digits = part.chars().all(|c| c.is_ascii_digit());
            (letters && (part.len() == 2 || part.len() == 4)) || (digits && part.len() == 3)
        })
}

/// The file name weft would read as `code`'s version of a page: the language code before
/// `.md` (`page.nl.md`), as Hugo and Zola name translations.
pub fn code_in_name(rel: &Path) -> Option<&str> {
    let name = rel.file_name()?.to_str()?;
    let stem = name.strip_suffix(".md")?;
    let (_, code) = stem.rsplit_once('.')?;
    Some(code)
}

/// The path of `rel`'s version in language `code` (`a/page.md` → `a/page.nl.md`).
pub fn with_code(rel: &Path, code: &str) -> PathBuf {
    let stem = rel.file_stem().unwrap_or_default().to_string_lossy();
    rel.with_file_name(format!("{stem}.{code}.md"))
}

/// The path a file in language `code` has without its code (`a/page.nl.md` → `a/page.md`).
pub fn without_code(rel: &Path, code: &str) -> PathBuf {
    let name = rel.file_name().unwrap_or_default().to_string_lossy();
    let bare = name
        .strip_suffix(&format!(".{code}.md"))
        .map_or_else(|| name.to_string(), |stem| format!("{stem}.md"));
    rel.with_file_name(bare)
}

/// One language of the site, as rendering and linking use it.
#[derive(Debug, Clone)]
pub struct Language {
    /// Its code (`nl`, `pt-br`), for `<html lang>` and `hreflang`.
    pub code: String,
    /// Where its pages live: `""` for the default language, else `nl/`.
    pub prefix: String,
    /// The site's title in it.
    pub title: String,
    /// The site's description in it.
    pub description: Option<String>,
    /// Its own name, set in `weft.yaml` (else the theme's `language_name`).
    pub name: Option<String>,
    /// Whether it is written right to left.
    pub rtl: bool,
    /// What `weft.yaml` says of it besides.
    pub decl: LanguageDecl,
    /// The words the theme prints in it (see [`words`]); loaded with the config.
    pub words: Words,
}

impl Language {
    /// A word (its key, if no table has it).
    pub fn word<'w>(&'w self, key: &'w str) -> &'w str {
        self.words
            .get(key)
            .and_then(serde_json::Value::as_str)
            .unwrap_or(key)
    }

    /// A word with a count, for `n` (its key, if no table has it).
    pub fn counted(&self, key: &str, n: usize) -> String {
        match self.words.get(key) {
            Some(word) => counted(word, i64::try_from(n).unwrap_or(i64::MAX), &self.code),
            None => key.to_string(),
        }
    }

    /// Its own name: `name` in weft.yaml, else the theme's `language_name`.
    pub fn own_name(&self) -> &str {
        self.name
            .as_deref()
            .unwrap_or_else(|| self.word("language_name"))
    }
}

/// The site's languages: one, or those of `languages`, the default first.
#[derive(Debug, Clone)]
pub struct Languages {
    list: Vec<Language>,
    /// Whether `weft.yaml` names several (`languages`), so that file names say a language.
    pub multilingual: bool,
}

impl Languages {
    /// The languages of a site whose top-level title, description and language are these.
    pub fn new(
        declared: &Declared,
        language: &str,
        title: &str,
        description: Option<&str>,
    ) -> Languages {
        let one = |code: &str, decl: LanguageDecl, prefix: String| Language {
            code: code.to_string(),
            prefix,
            title: decl.title.clone().unwrap_or_else(|| title.to_string()),
            description: decl
                .description
                .clone()
                .or_else(|| description.map(str::to_string)),
            name: decl.name.clone(),
            rtl: match decl.direction {
                Some(direction) => direction == Direction::Rtl,
                None => {
                    let primary = code.split('-').next().unwrap_or(code);
                    RIGHT_TO_LEFT.contains(&primary)
                }
            },
            decl,
            words: Words::new(),
        };
        if declared.0.is_empty() {
            return Languages {
                list: vec![one(language, LanguageDecl::default(), String::new())],
                multilingual: false,
            };
        }
        let list = declared
            .0
            .iter()
            .enumerate()
            .map(|(i, (code, decl))| {
                let prefix = if i == 0 {
                    String::new()
                } else {
                    format!("{code}/")
                };
                one(code, decl.clone(), prefix)
            })
            .collect();
        Languages {
            list,
            multilingual: true,
        }
    }

    /// Every language, the default first.
    pub fn all(&self) -> &[Language] {
        &self.list
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there are none (never: a site has at least its default language).
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The language at `lang`.
    pub fn get(&self, lang: Lang) -> &Language {
        &self.list[usize::from(lang)]
    }

    /// The default language.
    pub fn default_language(&self) -> &Language {
        &self.list[0]
    }

    /// The languages' indexes.
    pub fn indexes(&self) -> impl Iterator<Item = Lang> + use<> {
        (0..self.list.len()).map(|i| i as Lang)
    }

    /// The language a content file is in, by its name, and its path without the code:
    /// `page.nl.md` is Dutch `page.md` when `nl` is one of the site's languages; any other
    /// file is in the default language (`Node.js.md` is a page called `Node.js`), `page.en.md`
    /// too when `en` is the default.
    pub fn of_file(&self, rel: &Path) -> (Lang, PathBuf) {
        if self.multilingual {
            if let Some(code) = code_in_name(rel) {
                if let Some(i) = self.list.iter().position(|l| l.code == code) {
                    return (i as Lang, without_code(rel, code));
                }
            }
        }
        (DEFAULT, rel.to_path_buf())
    }

    /// Loads each language's words from the built-in tables and the site's `i18n/` folder
    /// under `root`; what is missing is reported in `problems`.
    pub fn load_words(&mut self, root: &Path, problems: &mut Vec<Diagnostic>) {
        for language in &mut self.list {
            language.words = words(root, &language.code, problems);
        }
    }

    /// The index of the language with this code.
    pub fn by_code(&self, code: &str) -> Option<Lang> {
        self.list
            .iter()
            .position(|l| l.code == code)
            .map(|i| i as Lang)
    }
}

/// Checks `languages` in `weft.yaml` (its text is `source`): codes weft knows, each once.
pub fn validate(
    declared: &Declared,
    language_set: bool,
    language: &str,
    source: &Source,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let at = |code: &str| yaml::value_span(&source.text, "languages", code).unwrap_or(0..0);
    for (code, _) in &declared.0 {
        if !is_language_code(code) {
            let lower = code.to_lowercase().replace('_', "-");
            let help = if lower != *code && is_language_code(&lower) {
                format!("write it `{lower}`: lower case, with `-` before a region")
            } else {
                "use an ISO 639-1 code, maybe with a region: `en`, `nl`, `de`, `pt-br`, `zh-hant`"
                    .to_string()
            };
            problems.push(
                Diagnostic::error(
                    Code::UnknownLanguage,
                    format!("`{code}` is not a language code"),
                )
                .at(source, at(code))
                .label("not a language code weft knows")
                .help(help),
            );
        }
    }
    if let Some((first, _)) = declared.0.first() {
        if language_set && language != first {
            problems.push(
                Diagnostic::error(
                    Code::InvalidConfig,
                    format!("`language: {language}` is not the first of `languages` (`{first}`)"),
                )
                .at(
                    source,
                    yaml::key_span(&source.text, "language").unwrap_or(0..0),
                )
                .label("the first of `languages` is the default language")
                .help("remove `language`, or list that language first under `languages`"),
            );
        }
    }
    problems
}

/// What separates a word's forms for one and for other numbers when the templates have them
/// folded into one text (see `templates::fold_words`), for the `count` and `form` filters.
pub const FORMS: char = '\u{1f}';

/// The words the theme prints, in one language: key → text, or key → `{one, other}` for a
/// word with a count (`{n}` is the number).
pub type Words = serde_json::Map<String, serde_json::Value>;

/// The built-in word tables, by language code.
const BUILT_IN: &[(&str, &str)] = &[
    ("en", include_str!("../themes/default/i18n/en.yaml")),
    ("nl", include_str!("../themes/default/i18n/nl.yaml")),
    ("de", include_str!("../themes/default/i18n/de.yaml")),
    ("fr", include_str!("../themes/default/i18n/fr.yaml")),
    ("es", include_str!("../themes/default/i18n/es.yaml")),
];

/// The built-in table of `code` (empty if weft has none), for the template reference.
pub fn built_in_words(code: &str) -> Words {
    built_in(code).unwrap_or_default()
}

/// The built-in table of `code`, or of its language without the region (`pt-br` → `pt`).
fn built_in(code: &str) -> Option<Words> {
    let primary = code.split('-').next().unwrap_or(code);
    let text = BUILT_IN
        .iter()
        .find(|(c, _)| *c == code)
        .or_else(|| BUILT_IN.iter().find(|(c, _)| *c == primary))?
        .1;
    serde_yaml::from_str(text).ok()
}

/// The folder of a site's own word tables (`i18n/nl.yaml`).
pub const WORDS_DIR: &str = "i18n";

/// The words of `code`: the built-in table, then the site's `i18n/CODE.yaml` over it, and
/// English for any key still missing, with a warning that names it.
pub fn words(root: &Path, code: &str, problems: &mut Vec<Diagnostic>) -> Words {
    let english = built_in("en").unwrap_or_default();
    let mut words = built_in(code);
    let path = PathBuf::from(WORDS_DIR).join(format!("{code}.yaml"));
    let site_file = match std::fs::read_to_string(root.join(&path)) {
        Ok(text) => Some(SourceFile::new(path.clone(), text)),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => {
            problems.push(Diagnostic::error(
                Code::Io,
                format!("cannot read {}: {err}", path.display()),
            ));
            None
        }
    };
    if let Some(source) = &site_file {
        match serde_yaml::from_str::<Option<Words>>(&source.text) {
            Ok(own) => words
                .get_or_insert_with(Words::new)
                .extend(own.unwrap_or_default()),
            Err(err) => problems.push(yaml::error_to_diagnostic(
                &err,
                source,
                0,
                &path.display().to_string(),
            )),
        }
    }
    let mut words = match words {
        Some(words) => words,
        None => {
            if code.split('-').next() != Some("en") {
                problems.push(
                    Diagnostic::warning(
                        Code::MissingWord,
                        format!("weft has no words for `{code}`: the theme prints English"),
                    )
                    .help(format!("translate themes' words in {} (weft's English words are in the template reference)", path.display())),
                );
            }
            english.clone()
        }
    };
    let mut missing: Vec<&String> = english.keys().filter(|k| !words.contains_key(*k)).collect();
    missing.sort();
    if let (Some(source), false) = (&site_file, missing.is_empty()) {
        // One warning for the file, naming every word it lacks.
        let named: Vec<String> = missing.iter().map(|k| format!("`{k}`")).collect();
        let (noun, pronoun) = if missing.len() == 1 {
            ("word", "it")
        } else {
            ("words", "them")
        };
        problems.push(
            Diagnostic::warning(
                Code::MissingWord,
                format!(
                    "no {noun} {} for `{code}`: the theme prints {pronoun} in English",
                    named.join(", ")
                ),
            )
            .at(source, 0..0)
            .label(format!("{} {noun} missing in this file", missing.len()))
            .help(format!(
                "add them to {} (`{}: …`); weft's English words are in the template reference",
                path.display(),
                missing[0]
            )),
        );
    }
    for key in missing {
        words.insert(key.clone(), english[key.as_str()].clone());
    }
    words
}

/// The form of a word with a count that language `code` uses for `n`: `one` or `other`.
pub fn plural_form(code: &str, n: i64) -> &'static str {
    let primary = code.split('-').next().unwrap_or(code);
    let one = match primary {
        // Languages without a singular form of nouns after numbers.
        "ja" | "zh" | "ko" | "th" | "vi" | "id" | "ms" => false,
        // 0 and 1 are singular.
        "fr" | "hy" => n == 0 || n == 1,
        "pt" if code == "pt" || code == "pt-br" => n == 0 || n == 1,
        _ => n == 1,
    };
    if one { "one" } else { "other" }
}

/// The text of a word `value` (text, or `{one, other}`) for the number `n` in language
/// `code`, with `{n}` filled in.
pub fn counted(value: &serde_json::Value, n: i64, code: &str) -> String {
    let text = match value {
        // Both forms, as the templates have them folded in.
        serde_json::Value::String(text) if text.contains(FORMS) => {
            let (one, other) = text.split_once(FORMS).unwrap_or((text, text));
            if plural_form(code, n) == "one" {
                one
            } else {
                other
            }
        }
        serde_json::Value::String(text) => text.as_str(),
        serde_json::Value::Object(forms) => forms
            .get(plural_form(code, n))
            .or_else(|| forms.get("other"))
            .and_then(serde_json::Value::as_str)
            .unwrap_or(""),
        _ => "",
    };
    text.replace("{n}", &n.to_string())
}

/// The Tera filter `form(name="one")`: one form of a word with a count, `{n}` left in (for
/// scripts, which count themselves).
pub struct Form;

impl tera::Filter for Form {
    fn filter(
        &self,
        value: &serde_json::Value,
        args: &std::collections::HashMap<String, serde_json::Value>,
    ) -> tera::Result<serde_json::Value> {
        let name = args
            .get("name")
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| tera::Error::msg("`form` needs a name: `form(name=\"one\")`"))?;
        let text = match value {
            serde_json::Value::Object(forms) => forms
                .get(name)
                .or_else(|| forms.get("other"))
                .cloned()
                .unwrap_or_default(),
            serde_json::Value::String(text) => {
                let (one, other) = text.split_once(FORMS).unwrap_or((text, text));
                serde_json::Value::String(if name == "one" { one } else { other }.to_string())
            }
            other => other.clone(),
        };
        Ok(text)
    }
}

/// The Tera filter `count(n=…)`: a word with a count, in the language of the pages it renders.
pub struct Count {
    /// The language's code.
    pub code: String,
}

impl tera::Filter for Count {
    fn filter(
        &self,
        value: &serde_json::Value,
        args: &std::collections::HashMap<String, serde_json::Value>,
    ) -> tera::Result<serde_json::Value> {
        let n = args
            .get("n")
            .and_then(|n| n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)))
            .ok_or_else(|| {
                tera::Error::msg("`count` needs a number: `count(n=page.reading_time)`")
            })?;
        Ok(serde_json::Value::String(counted(value, n, &self.code)))
    }
}

impl Default for Languages {
    /// One language, English.
    fn default() -> Self {
        Languages::new(&Declared::default(), "en", "", None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes() {
        for good in ["en", "nl", "pt-br", "zh-hant", "es-419", "ar"] {
            assert!(is_language_code(good), "{good}");
        }
        for bad in ["EN", "english", "xx", "pt_BR", "pt-BR", "", "n"] {
            assert!(!is_language_code(bad), "{bad}");
        }
    }

    #[test]
    fn file_names_say_their_language() {
        let declared = Declared(vec![
            ("en".into(), LanguageDecl::default()),
            ("nl".into(), LanguageDecl::default()),
            ("pt-br".into(), LanguageDecl::default()),
        ]);
        let languages = Languages::new(&declared, "en", "T", None);
        let of = |p: &str| {
            let (lang, base) = languages.of_file(Path::new(p));
            (lang, base.to_string_lossy().into_owned())
        };
        assert_eq!(of("a/page.nl.md"), (1, "a/page.md".into()));
        assert_eq!(of("a/_index.nl.md"), (1, "a/_index.md".into()));
        assert_eq!(of("page.pt-br.md"), (2, "page.md".into()));
        assert_eq!(of("page.en.md"), (0, "page.md".into()));
        assert_eq!(of("Node.js.md"), (0, "Node.js.md".into()));
        assert_eq!(of("page.fr.md"), (0, "page.fr.md".into()));
        let one = Languages::new(&Declared::default(), "nl", "T", None);
        assert_eq!(one.of_file(Path::new("page.nl.md")).0, 0);
        assert_eq!(
            one.of_file(Path::new("page.nl.md")).1,
            Path::new("page.nl.md")
        );
    }

    #[test]
    fn plural_forms() {
        let value = serde_json::json!({ "one": "{n} page", "other": "{n} pages" });
        assert_eq!(counted(&value, 1, "en"), "1 page");
        assert_eq!(counted(&value, 0, "en"), "0 pages");
        assert_eq!(counted(&value, 0, "fr"), "0 page");
        assert_eq!(counted(&serde_json::json!("{n} min"), 3, "nl"), "3 min");
    }

    #[test]
    fn built_in_tables_have_every_english_key() {
        let english = built_in("en").expect("en");
        for (code, _) in BUILT_IN {
            let table = built_in(code).unwrap_or_else(|| panic!("{code} does not parse"));
            for key in english.keys() {
                assert!(table.contains_key(key), "{code} lacks `{key}`");
            }
        }
    }
}
