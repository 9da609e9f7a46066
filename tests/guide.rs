//! weft's user guide, `docs/`, is a weft site: it builds with the real binary with no
//! diagnostic at all, every chapter of the guide is a page of it, and the README leads to each.

mod common;

use std::path::{Path, PathBuf};

/// The guide's chapters: source file in `docs/`, and the title its page has.
const CHAPTERS: [(&str, &str); 12] = [
    ("getting-started.md", "Getting started"),
    ("content.md", "Content and front matter"),
    ("links.md", "Links, wiki links, relations and backlinks"),
    ("taxonomies-and-map.md", "Taxonomies and the map"),
    ("theme.md", "The theme and templates"),
    ("live-preview.md", "Live preview"),
    ("publishing.md", "Search, feeds and publishing"),
    ("vaults.md", "Existing vaults and Markdown folders"),
    ("languages.md", "Languages"),
    ("diagnostics.md", "Diagnostics"),
    ("performance.md", "Performance"),
    ("development.md", "Working on weft"),
];

/// The references made from the code (`tests/reference.rs`), and the title of each.
const REFERENCES: [(&str, &str); 3] = [
    ("reference/cli.md", "Command line"),
    ("reference/templates.md", "Template variables"),
    ("reference/diagnostics.md", "Diagnostics"),
];

struct Built {
    _dir: tempfile::TempDir,
    out: PathBuf,
    stdout: String,
    stderr: String,
}

/// Builds `docs/` into a temp dir, as `weft build --root docs` does into `docs/.public/`.
fn build_guide() -> Built {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("guide");
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let output = common::weft_in(&docs, &["build", "--output", &out.display().to_string()]);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    Built {
        _dir: dir,
        out,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr,
    }
}

/// The output page of a source file in `docs/`: `links.md` → `links/index.html`.
fn page(out: &Path, source: &str) -> String {
    let path = out.join(source.trim_end_matches(".md")).join("index.html");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The text of a page's `<h1>`.
fn h1(html: &str) -> &str {
    let start = html.find("<h1").expect("an <h1>");
    let text = &html[start..];
    let text = &text[text.find('>').expect("<h1 ends") + 1..];
    &text[..text.find("</h1>").expect("</h1>")]
}

#[test]
fn the_guide_builds_with_only_its_summary_line() {
    let built = build_guide();
    assert_eq!(built.stdout, "", "nothing on stdout");
    let lines: Vec<&str> = built.stderr.lines().collect();
    assert!(
        lines.len() == 1 && lines[0].starts_with("built "),
        "the guide's build printed more than its summary line:\n{}",
        built.stderr
    );
}

#[test]
fn every_chapter_and_reference_is_a_page_the_home_page_links_to() {
    let built = build_guide();
    let home = std::fs::read_to_string(built.out.join("index.html")).expect("home page");
    assert_eq!(h1(&home), "The weft guide");
    for (source, title) in CHAPTERS.iter().chain(&REFERENCES) {
        let html = page(&built.out, source);
        assert_eq!(h1(&html), *title, "{source}");
        let url = format!("href=\"/{}/\"", source.trim_end_matches(".md"));
        assert!(home.contains(&url), "the home page has no link to {source}");
    }
    // The chapters name each other as related, and the map and the search index are there.
    let links = page(&built.out, "links.md");
    assert!(links.contains("Related"), "no related chapters on links.md");
    assert!(built.out.join("map/index.html").is_file());
    assert!(built.out.join("pagefind").is_dir());
}

#[test]
fn the_readme_leads_to_every_chapter_and_reference() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    for (source, _) in CHAPTERS.iter().chain(&REFERENCES) {
        assert!(
            readme.contains(&format!("](docs/{source})")),
            "README.md has no link to docs/{source}"
        );
        assert!(root.join("docs").join(source).is_file(), "no docs/{source}");
    }
}
