//! The references in `docs/reference/` are made from the code: the command line from clap's
//! definitions, the diagnostics from `diag::Code` with each example's real output. These tests
//! make them again and fail on any difference; `WEFT_BLESS=1 cargo test --test reference`
//! writes them. The shell completions are checked here too.

mod common;

use std::path::Path;
use std::process::Command;

use common::stderr;
use weft::diag::Code;

/// Compares `made` with the file at `path` (from the repository's root), or writes it when
/// `WEFT_BLESS` is set.
fn matches_file(path: &str, made: &str) {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    if std::env::var_os("WEFT_BLESS").is_some() {
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::fs::write(&full, made).expect("write");
        return;
    }
    let written = std::fs::read_to_string(&full).unwrap_or_default();
    assert!(
        written == made,
        "{path} is out of date: run `WEFT_BLESS=1 cargo test --test reference` and commit it"
    );
}

#[test]
fn the_command_line_reference_is_up_to_date() {
    matches_file("docs/reference/cli.md", &weft::commands::reference::cli());
}

#[test]
fn the_template_reference_is_up_to_date() {
    let made = weft::commands::reference::templates();
    for must in [
        "`page.title`",
        "`page.toc[].children`",
        "`site.base_path`",
        "`term.pages[].date`",
        "`map.groups[].pages`",
    ] {
        assert!(made.contains(must), "no {must} in the template reference");
    }
    matches_file("docs/reference/templates.md", &made);
}

/// Builds `files` (a site without `weft.yaml` gets `title: Example`) with `weft check` and
/// returns what it printed, paths relative to the site.
fn check(files: &[(&str, &str)]) -> (String, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut all: Vec<(&str, &str)> = files.to_vec();
    if !files.iter().any(|(p, _)| *p == "weft.yaml") {
        all.push(("weft.yaml", "title: Example\n"));
    }
    for (path, text) in &all {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::fs::write(full, text).expect("write");
    }
    let output = common::weft_in(dir.path(), &["check"]);
    let json = common::weft_in(dir.path(), &["check", "--format", "json"]);
    (
        stderr(&output, dir.path()),
        String::from_utf8_lossy(&json.stdout).into_owned(),
    )
}

/// Every code with an example gives that code on it, and the page of diagnostics shows each
/// example with what weft prints for it.
#[test]
fn the_diagnostics_reference_is_up_to_date() {
    let mut page = String::from(
        "# Diagnostics\n\n<!-- Made from src/diag/explain.rs by tests/reference.rs: do not edit by hand. -->\n\n\
         Every problem weft finds has a code, shown after `error` or `warning`, in `--format json`\n\
         and in GitHub's annotations. Here is each code: what it means, a small site that gives it,\n\
         what weft prints for it, and the fix.\n",
    );
    for code in Code::ALL {
        page.push_str(&format!("\n## `{code}`\n\n{}\n", code.meaning()));
        match code.example() {
            Some(files) => {
                let (shown, json) = check(files);
                assert!(
                    json.contains(&format!("\"code\":\"{code}\"")),
                    "the example of {code} does not give it:\n{shown}"
                );
                page.push_str("\nFor example:\n\n");
                for (path, text) in files {
                    let language = if path.ends_with(".md") {
                        "markdown"
                    } else if path.ends_with(".yaml") {
                        "yaml"
                    } else {
                        "text"
                    };
                    page.push_str(&format!("`{path}`:\n\n```{language}\n{text}```\n\n"));
                }
                page.push_str(&format!("`weft check` prints:\n\n```text\n{}```\n", shown.trim_end().to_string() + "\n"));
            }
            None => page.push_str("\nNo small site shows it: it comes from the files themselves, the network or a library.\n"),
        }
        page.push_str(&format!("\n**Fix:** {}\n", code.fix()));
    }
    matches_file("docs/reference/diagnostics.md", &page);
}

/// `weft completions bash` is a bash script that completes `weft b` to `build`; zsh's and
/// fish's scripts and the manual page are made too.
#[test]
fn completions_and_the_manual_page() {
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_weft"))
            .args(args)
            .output()
            .expect("run weft");
        assert!(output.status.success(), "{args:?}");
        String::from_utf8(output.stdout).expect("UTF-8")
    };
    let bash = run(&["completions", "bash"]);
    let dir = tempfile::tempdir().expect("temp dir");
    let script = dir.path().join("weft.bash");
    std::fs::write(&script, &bash).expect("write");
    let syntax = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .expect("bash");
    assert!(
        syntax.status.success(),
        "{}",
        String::from_utf8_lossy(&syntax.stderr)
    );
    let complete = format!(
        "source '{}'; COMP_WORDS=(weft b); COMP_CWORD=1; COMP_LINE='weft b'; COMP_POINT=6; _weft weft b weft; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display()
    );
    let completed = Command::new("bash")
        .args(["-c", &complete])
        .output()
        .expect("bash");
    let words = String::from_utf8_lossy(&completed.stdout);
    assert_eq!(
        words.trim(),
        "build",
        "{}",
        String::from_utf8_lossy(&completed.stderr)
    );
    assert!(run(&["completions", "zsh"]).contains("#compdef weft"));
    assert!(run(&["completions", "fish"]).contains("complete -c weft"));
    let man = run(&["man"]);
    assert!(man.contains(".TH weft 1") && man.contains("serve"), "{man}");
    let version = run(&["--version"]);
    assert!(
        version.starts_with(&format!("weft {}", env!("CARGO_PKG_VERSION"))),
        "{version}"
    );
}
