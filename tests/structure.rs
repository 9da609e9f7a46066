//! The shape of `src/`: the library's modules import each other in one direction only (no
//! cycle, a module and its submodules counting as one), and only the command line's own
//! modules import from `commands/`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each top-level module of `src/` and the top-level modules it names through `crate::`.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.expect("src/ is readable");
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(&src).expect("under src/");
        let first = rel.components().next().expect("a file");
        let module = first.as_os_str().to_string_lossy();
        let module = module.trim_end_matches(".rs").to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("readable");
        let names = graph.entry(module.clone()).or_default();
        for name in crate_paths(&text) {
            if name != module {
                names.insert(name);
            }
        }
    }
    graph
}

/// The first segment of every `crate::` path in `text`, comments left out; a group
/// (`crate::{a, b::c}`) gives each of its members.
fn crate_paths(text: &str) -> Vec<String> {
    let code: String = text
        .lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let mut names = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut member = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        names.push(first_segment(&member));
                        member.clear();
                        continue;
                    }
                    _ => {}
                }
                member.push(c);
            }
            names.push(first_segment(&member));
        } else {
            names.push(first_segment(rest));
        }
    }
    names.retain(|n| !n.is_empty());
    names
}

fn first_segment(path: &str) -> String {
    path.trim()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

#[test]
fn only_the_command_line_imports_commands() {
    let importers: Vec<String> = imports()
        .into_iter()
        .filter(|(module, names)| module != "commands" && names.contains("commands"))
        .map(|(module, _)| module)
        .collect();
    assert!(
        importers.is_empty(),
        "these library modules import from commands/: {importers:?}"
    );
}

#[test]
fn no_modules_import_each_other() {
    let graph = imports();
    // A cycle is a module that reaches itself: walk from each, keeping the path.
    for start in graph.keys() {
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((module, path)) = stack.pop() {
            for next in graph.get(&module).into_iter().flatten() {
                if next == start {
                    panic!("import cycle: {} → {start}", path.join(" → "));
                }
                if seen.insert(next.clone()) {
                    let mut longer = path.clone();
                    longer.push(next.clone());
                    stack.push((next.clone(), longer));
                }
            }
        }
    }
}

#[test]
fn the_check_finds_paths_in_groups_and_skips_comments() {
    let text = "use crate::{a, b::{c, d}, e::f};\n// crate::g\nlet x = crate::h::i();";
    assert_eq!(crate_paths(text), ["a", "b", "e", "h"]);
}
