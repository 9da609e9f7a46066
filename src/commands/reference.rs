//! The command line's reference, `docs/reference/cli.md`, made from clap's definitions (see
//! `tests/reference.rs`, which fails when the file is out of date).

use std::fmt::Write as _;

use clap::{Arg, Command};
use schemars::{Schema, schema_for};

use crate::map::MapDrawing;
use crate::render::context;

/// The reference of every command, option and argument, in Markdown.
pub fn cli() -> String {
    let mut weft = super::cli::command().bin_name("weft");
    weft.build();
    let mut out = String::from(
        "# Command line\n\n<!-- Made from src/commands/cli.rs by tests/reference.rs: do not edit by hand. -->\n\n",
    );
    if let Some(about) = weft.get_about() {
        let _ = writeln!(out, "{about}\n");
    }
    out.push_str("Options every command takes:\n\n");
    let globals: Vec<&Arg> = weft
        .get_arguments()
        .filter(|a| a.is_global_set() && !is_builtin(a))
        .collect();
    table(&mut out, &globals);
    out.push_str(
        "\nExit status: 0 on success, 1 on errors in the site, 2 on errors in the command line.\n",
    );
    for command in weft.get_subcommands() {
        section(&mut out, command, "weft");
    }
    out
}

/// One command's section, then its subcommands'.
fn section(out: &mut String, command: &Command, parent: &str) {
    let name = format!("{parent} {}", command.get_name());
    let _ = writeln!(out, "\n## `{name}`\n");
    if let Some(about) = command.get_long_about().or(command.get_about()) {
        let _ = writeln!(out, "{about}\n");
    }
    let mut usage = command.clone().bin_name(&name);
    let _ = writeln!(
        out,
        "```text\n{}\n```\n",
        usage
            .render_usage()
            .to_string()
            .trim_start_matches("Usage: ")
    );
    let own: Vec<&Arg> = command
        .get_arguments()
        .filter(|a| !a.is_global_set() && !is_builtin(a))
        .collect();
    if !own.is_empty() {
        table(out, &own);
    }
    for sub in command.get_subcommands() {
        section(out, sub, &name);
    }
}

/// A table of arguments: how each is written, its default, and what it does.
fn table(out: &mut String, args: &[&Arg]) {
    out.push_str("| argument | default | what it does |\n|---|---|---|\n");
    for arg in args {
        let value = arg
            .get_value_names()
            .map(|names| {
                names
                    .iter()
                    .map(|n| format!("<{n}>"))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_else(|| format!("<{}>", arg.get_id().as_str().to_uppercase()));
        let written = if arg.is_positional() {
            value
        } else {
            let flag = match (arg.get_short(), arg.get_long()) {
                (Some(short), Some(long)) => format!("-{short}, --{long}"),
                (None, Some(long)) => format!("--{long}"),
                (Some(short), None) => format!("-{short}"),
                (None, None) => String::new(),
            };
            if arg.get_action().takes_values() {
                format!("{flag} {value}")
            } else {
                flag
            }
        };
        let default: Vec<String> = arg
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        let default = if default.is_empty() {
            String::new()
        } else {
            format!("`{}`", default.join(" "))
        };
        let mut help = arg
            .get_long_help()
            .or(arg.get_help())
            .map(|h| h.to_string().replace('\n', " "))
            .unwrap_or_default();
        let choices: Vec<String> = arg
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| match v.get_help() {
                Some(h) => format!("`{}`: {}", v.get_name(), h.to_string().replace('\n', " ")),
                None => format!("`{}`", v.get_name()),
            })
            .collect();
        if !choices.is_empty() && arg.get_action().takes_values() && choices.len() < 8 {
            // clap's help has no full stop of its own: end the sentence before the choices.
            if !help.is_empty() && !help.ends_with('.') {
                help.push('.');
            }
            let _ = write!(help, " One of: {}.", choices.join("; "));
        }
        let _ = writeln!(
            out,
            "| `{written}` | {default} | {} |",
            help.replace('|', "\\|")
        );
    }
}

/// clap's own `--help` and `--version`.
fn is_builtin(arg: &Arg) -> bool {
    matches!(arg.get_id().as_str(), "help" | "version")
}

/// The reference of every template's variables, `docs/reference/templates.md`, in Markdown:
/// made from the types the renderer fills in ([`crate::render::context`]).
pub fn templates() -> String {
    let mut out = String::from(
        "# Template variables\n\n<!-- Made from src/render/context.rs by tests/reference.rs: do not edit by hand. -->\n\n\
         A theme's templates are [Tera](https://keats.github.io/tera/docs/) templates. These are the\n\
         variables each one gets; a site overrides a template by putting one of the same name in\n\
         `templates/`.\n\n\
         Besides Tera's own filters, weft adds three: `escape`, which escapes as autoescape does\n\
         and marks the text safe; `long_date`, which writes a `YYYY-MM-DD` date as readers of the\n\
         page's language do (`12 August 2016`, `12 augustus 2016`, `12. August 2016`,\n\
         `12 août 2016`, `12 de agosto de 2016`), and leaves it as it is in other languages; and\n\
         `count(n=…)`, which writes a word with a count (`{{ words.min_read | count(n=3) }}`), in\n\
         the form the page's language uses for that number.\n\n\
         On a site with several languages, each page is rendered in its own: `site`, `words` and\n\
         the filters are that language's.\n",
    );
    let templates = template_variables();
    for (template, variables) in &templates {
        let names: Vec<String> = variables.iter().map(|v| format!("`{}`", v.name)).collect();
        let _ = writeln!(out, "\n## `{template}`\n\nGets {}.", names.join(", "));
    }
    let mut described: Vec<(&str, &str)> = Vec::new();
    for (template, variables) in &templates {
        for variable in variables {
            if described.contains(&(variable.name, variable.about)) {
                continue;
            }
            // A name that means another thing in another template says which.
            let heading = if described.iter().any(|(name, _)| *name == variable.name) {
                format!("`{}` in `{template}`", variable.name)
            } else {
                format!("`{}`", variable.name)
            };
            described.push((variable.name, variable.about));
            let value = variable.schema.as_value();
            let _ = writeln!(out, "\n## {heading}\n\n{}\n", variable.about);
            out.push_str("| variable | type | what it is |\n|---|---|---|\n");
            let defs = value.get("$defs").cloned().unwrap_or_default();
            fields(&mut out, variable.name, value, &defs, &mut Vec::new());
        }
    }
    words(&mut out);
    out
}

/// The table of the theme's words: each key with its English, from the built-in table.
fn words(out: &mut String) {
    out.push_str(
        "\n## The words\n\n\
         `words.KEY` in every template. weft has them in English, Dutch, German, French and\n\
         Spanish; a site adds a language, or changes a word, in `i18n/CODE.yaml` (`i18n/nl.yaml`),\n\
         whose keys are these. A word missing there is printed in English, with a warning naming it.\n\
         A word with a count has a form for one and one for other numbers (`{ one: …, other: … }`),\n\
         and `{n}` stands for the number; other names in braces are filled in by the template.\n\n\
         | key | English |\n|---|---|\n",
    );
    let english = crate::i18n::built_in_words("en");
    for (key, value) in &english {
        let text = match value {
            serde_json::Value::String(text) => text.clone(),
            serde_json::Value::Object(forms) => forms
                .iter()
                .map(|(form, text)| format!("{form}: {}", text.as_str().unwrap_or("")))
                .collect::<Vec<_>>()
                .join("; "),
            other => other.to_string(),
        };
        let _ = writeln!(out, "| `{key}` | {} |", text.replace('|', "\\|"));
    }
}

/// Rows for each field of the object `schema`, under `path`, its objects and lists expanded.
fn fields(
    out: &mut String,
    path: &str,
    schema: &serde_json::Value,
    defs: &serde_json::Value,
    seen: &mut Vec<String>,
) {
    let schema = resolve(schema, defs);
    let Some(properties) = schema.get("properties").and_then(|p| p.as_object()) else {
        if path.contains('.') || path.contains('[') {
            return;
        }
        // A variable that is no object (`nav_html`).
        let _ = writeln!(out, "| `{path}` | {} | |", type_name(schema));
        return;
    };
    for (name, field) in properties {
        let field_path = format!("{path}.{name}");
        let about = field
            .get("description")
            .and_then(|d| d.as_str())
            .unwrap_or("")
            .replace('\n', " ");
        let _ = writeln!(out, "| `{field_path}` | {} | {about} |", type_name(field));
        // Expand an object, or a list of objects, once along each path.
        let (inner, inner_path) = match items(field, defs) {
            Some(item) => (item, format!("{field_path}[]")),
            None => (field.clone(), field_path.clone()),
        };
        if let Some(name) = def_name(&inner) {
            if seen.contains(&name) {
                continue;
            }
            seen.push(name);
            fields(out, &inner_path, &inner, defs, seen);
            seen.pop();
        }
    }
}

/// `schema` itself, or the definition it refers to.
fn resolve<'s>(
    schema: &'s serde_json::Value,
    defs: &'s serde_json::Value,
) -> &'s serde_json::Value {
    match def_name(schema) {
        Some(name) => defs.get(&name).unwrap_or(schema),
        None => schema,
    }
}

/// The definition `schema` refers to, through `anyOf` (an optional one) too.
fn def_name(schema: &serde_json::Value) -> Option<String> {
    if let Some(reference) = schema.get("$ref").and_then(|r| r.as_str()) {
        return reference.rsplit('/').next().map(str::to_string);
    }
    schema
        .get("anyOf")
        .and_then(|a| a.as_array())
        .and_then(|options| options.iter().find_map(def_name))
}

/// The item schema of a list, if `schema` is one.
fn items(schema: &serde_json::Value, defs: &serde_json::Value) -> Option<serde_json::Value> {
    let schema = resolve(schema, defs);
    let is_array = match schema.get("type") {
        Some(serde_json::Value::String(t)) => t == "array",
        Some(serde_json::Value::Array(types)) => types.iter().any(|t| t == "array"),
        _ => false,
    };
    is_array.then(|| schema.get("items").cloned()).flatten()
}

/// A field's type, as a template writer reads it.
fn type_name(schema: &serde_json::Value) -> String {
    if schema.as_bool() == Some(true) {
        return "any value".into();
    }
    if let Some(options) = schema.get("anyOf").and_then(|a| a.as_array()) {
        let named: Vec<String> = options
            .iter()
            .filter(|o| o.get("type").and_then(|t| t.as_str()) != Some("null"))
            .map(type_name)
            .collect();
        return format!("{}, or nothing", named.join(" or "));
    }
    if def_name(schema).is_some() {
        return "object".into();
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(serde_json::Value::String(t)) => vec![t.as_str()],
        Some(serde_json::Value::Array(types)) => types.iter().filter_map(|t| t.as_str()).collect(),
        _ => vec![],
    };
    let optional = types.contains(&"null");
    let main = types
        .iter()
        .find(|t| **t != "null")
        .copied()
        .unwrap_or("any value");
    let name = match main {
        "array" => match schema.get("items") {
            Some(item) if item.is_array() => "list of pairs".to_string(),
            Some(item) => format!("list of {}", plural(&type_name(item))),
            None => "list".into(),
        },
        "object" => "map".into(),
        "integer" => "number".into(),
        "boolean" => "true or false".into(),
        "string" => "text".into(),
        other => other.to_string(),
    };
    if optional {
        format!("{name}, or nothing")
    } else {
        name
    }
}

/// `object` → `objects`, `text` → `texts`.
fn plural(name: &str) -> String {
    match name {
        "text" => "texts".into(),
        "object" => "objects".into(),
        "number" => "numbers".into(),
        other => other.to_string(),
    }
}

/// One variable a template gets.
pub struct Variable {
    /// Its name in the template (`page`).
    pub name: &'static str,
    /// What it is.
    pub about: &'static str,
    /// Its type, as a JSON schema.
    pub schema: Schema,
}

/// Every template of a theme, with the variables it gets.
pub fn template_variables() -> Vec<(&'static str, Vec<Variable>)> {
    let site = || Variable {
        name: "site",
        about: "The site.",
        schema: schema_for!(context::SiteCtx<'static>),
    };
    let nav = || Variable {
        name: "nav_html",
        about: "The section navigation, as HTML (empty where there is none).",
        schema: schema_for!(String),
    };
    let toc = || Variable {
        name: "toc_html",
        about: "The page's table of contents, as nested `<ol>` lists of links (empty without headings).",
        schema: schema_for!(String),
    };
    let page = || Variable {
        name: "page",
        about: "The page.",
        schema: schema_for!(context::PageCtx<'static>),
    };
    let words = || Variable {
        name: "words",
        about: "The words the theme prints, in the page's language: see [the words](#the-words).",
        schema: schema_for!(std::collections::BTreeMap<String, serde_json::Value>),
    };
    let translations = || Variable {
        name: "translations",
        about: "The page in each other language, for a language switcher (empty on a site with one language).",
        schema: schema_for!(Vec<context::TranslationCtx<'static>>),
    };
    let alternates = || Variable {
        name: "alternates",
        about: "Every language the page is in, for `<link rel=\"alternate\" hreflang>` (empty on a site with one language).",
        schema: schema_for!(Vec<context::AlternateCtx<'static>>),
    };
    let common = || vec![site(), words(), translations(), alternates(), nav()];
    let with = |mut list: Vec<Variable>, more: Vec<Variable>| {
        list.extend(more);
        list
    };
    vec![
        ("page.html", with(common(), vec![page(), toc()])),
        ("section.html", with(common(), vec![page(), toc()])),
        ("index.html", with(common(), vec![page(), toc()])),
        (
            "taxonomy_list.html",
            with(
                common(),
                vec![Variable {
                    name: "taxonomy",
                    about: "The taxonomy.",
                    schema: schema_for!(context::TaxonomyCtx<'static>),
                }],
            ),
        ),
        (
            "taxonomy_term.html",
            with(
                common(),
                vec![
                    Variable {
                        name: "taxonomy",
                        about: "A link to the taxonomy's index page.",
                        schema: schema_for!(context::LinkCtx<'static>),
                    },
                    Variable {
                        name: "term",
                        about: "The term.",
                        schema: schema_for!(context::TermCtx<'static>),
                    },
                ],
            ),
        ),
        (
            "map.html",
            with(
                common(),
                vec![Variable {
                    name: "map",
                    about: "The map of the site, drawn.",
                    schema: schema_for!(MapDrawing),
                }],
            ),
        ),
        ("404.html", common()),
        (
            "alias.html",
            vec![
                site(),
                words(),
                Variable {
                    name: "target",
                    about: "The page the alias leads to.",
                    schema: schema_for!(context::TargetCtx<'static>),
                },
            ],
        ),
    ]
}
