//! The command line's reference, `docs/reference/cli.md`, made from clap's definitions (see
//! `tests/reference.rs`, which fails when the file is out of date).

use std::fmt::Write as _;

use clap::{Arg, Command};

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
