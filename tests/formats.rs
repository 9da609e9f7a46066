//! `--format json` and `--format github`: diagnostics for editors and CI on stdout, one per
//! line, with the place of each; the human summary stays on stderr.

mod common;

use common::{Site, page};

fn broken_site() -> Site {
    Site::new(&[
        ("content/_index.md", &page("Home", "See [x](x.md).")),
        (
            "content/x.md",
            "---\ntitle: X\n---\n\nA [broken link](nowhere.md) and ![](/a.svg).\n",
        ),
        (
            "static/a.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
    ])
}

#[test]
fn json_gives_one_object_per_diagnostic_with_its_place() {
    let site = broken_site();
    for command in ["build", "check"] {
        let output = site.weft(&[command, "--format", "json"]);
        assert_eq!(output.status.code(), Some(1), "{command}");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let objects: Vec<serde_json::Value> = stdout
            .lines()
            .map(|line| serde_json::from_str(line).expect("each line is a JSON object"))
            .collect();
        assert_eq!(objects.len(), 2, "{command}: {stdout}");
        let broken = &objects[0];
        assert_eq!(broken["code"], "broken-link");
        assert_eq!(broken["severity"], "error");
        assert_eq!(broken["file"], "content/x.md");
        assert_eq!(broken["line"], 5);
        assert_eq!(broken["column"], 17);
        assert_eq!(broken["end"]["line"], 5);
        assert_eq!(broken["end"]["column"], 27);
        assert!(
            broken["message"]
                .as_str()
                .is_some_and(|m| m.contains("nowhere.md"))
        );
        assert!(broken["help"].is_string());
        assert_eq!(objects[1]["severity"], "warning");
        assert_eq!(objects[1]["code"], "missing-alt");
        // No snippet on stdout, and no JSON on stderr.
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stdout.contains("-->"), "{stdout}");
        assert!(!stderr.contains("\"code\""), "{stderr}");
    }
}

#[test]
fn github_annotates_the_line() {
    let site = broken_site();
    let output = site.weft(&["check", "--format", "github"]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    // The file is named from where weft runs: here, the test's folder is elsewhere.
    let file = format!("{}/content/x.md", site.root().display());
    assert!(
        lines[0].starts_with(&format!(
            "::error file={file},line=5,col=17,endLine=5,endColumn=27,title=broken-link::"
        )),
        "{stdout}"
    );
    assert!(lines[0].contains("%0Ahelp: "), "{stdout}");
    assert!(
        lines[1].starts_with(&format!("::warning file={file},line=5,")),
        "{stdout}"
    );
}

#[test]
fn a_clean_site_prints_nothing_on_stdout() {
    let site = Site::new(&[("content/_index.md", &page("Home", "Hello."))]);
    let output = site.weft(&["check", "--format", "json"]);
    assert!(output.status.success());
    assert!(output.stdout.is_empty());
}
