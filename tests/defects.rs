//! Defects a review found, one scenario each: what the build says and does about them.

mod common;

use common::{Site, page, stderr};

const HOME: &str = "---\ntitle: Home\n---\n";

/// Builds `site`, expects it to fail, and returns stderr with the temp dir redacted.
fn failed_build(site: &Site, args: &[&str]) -> String {
    let output = site.weft(args);
    let text = stderr(&output, site.root());
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(!text.contains("panicked"), "{text}");
    text
}

/// A folder outside the site with one file in it.
fn outside_folder(name: &str, text: &str) -> tempfile::TempDir {
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(outside.path().join(name), text).expect("write");
    outside
}

#[test]
fn a_static_folder_linked_outside_the_site_is_refused() {
    let outside = outside_folder("secret.txt", "secret text");
    let site = Site::new(&[("content/_index.md", HOME)]);
    std::os::unix::fs::symlink(outside.path(), site.root().join("static")).expect("symlink");
    let text = failed_build(&site, &["build"]);
    assert!(!site.public().join("secret.txt").exists());
    insta::assert_snapshot!("static_folder_linked_outside", text);
}

#[test]
fn a_content_folder_linked_outside_the_site_is_refused() {
    let outside = outside_folder("_index.md", "---\ntitle: Secret\n---\nsecret text\n");
    let site = Site::new(&[]);
    std::os::unix::fs::symlink(outside.path(), site.root().join("content")).expect("symlink");
    let text = failed_build(&site, &["build"]);
    assert!(!site.public().join("index.html").exists());
    insta::assert_snapshot!("content_folder_linked_outside", text);
}

#[test]
fn a_static_folder_linked_inside_the_site_is_copied() {
    let site = Site::new(&[("content/_index.md", HOME), ("assets/logo.svg", "<svg/>")]);
    std::os::unix::fs::symlink(site.root().join("assets"), site.root().join("static"))
        .expect("symlink");
    let output = site.weft(&["build"]);
    assert!(output.status.success(), "{}", stderr(&output, site.root()));
    assert_eq!(site.out("logo.svg"), "<svg/>");
}

#[test]
fn a_draft_home_page_stops_the_build() {
    let site = Site::new(&[
        (
            "content/_index.md",
            "---\ntitle: Home\ndraft: true\n---\nWelcome.\n",
        ),
        ("content/a.md", &page("A", "Text.")),
    ]);
    let text = failed_build(&site, &["build"]);
    assert!(!site.public().exists(), "nothing is written");
    insta::assert_snapshot!("draft_home_page", text);
}

#[test]
fn a_draft_home_page_builds_with_drafts() {
    let site = Site::new(&[
        (
            "content/_index.md",
            "---\ntitle: Home\ndraft: true\n---\nWelcome.\n",
        ),
        ("content/a.md", &page("A", "Text.")),
    ]);
    let output = site.weft(&["build", "--drafts"]);
    assert!(output.status.success(), "{}", stderr(&output, site.root()));
    assert!(site.out("index.html").contains("Welcome."));
    assert!(site.out("a/index.html").contains("Text."));
}

#[test]
fn a_broken_anchor_on_a_page_without_headings_says_so() {
    let site = Site::new(&[
        ("content/_index.md", HOME),
        ("content/plain.md", &page("Plain", "No headings here.")),
        ("content/a.md", &page("A", "See [the plan](plain.md#plan).")),
    ]);
    let text = failed_build(&site, &["build"]);
    insta::assert_snapshot!("anchor_on_page_without_headings", text);
}

#[test]
fn a_broken_relation_gets_help_about_relations() {
    let site = Site::new(&[
        ("content/_index.md", HOME),
        ("content/eu/_index.md", &page("European Union", "Text.")),
        (
            "content/a.md",
            "---\ntitle: A\npart_of: european-unon\nrelated: eu/index.md\n---\nText.\n",
        ),
    ]);
    let text = failed_build(&site, &["build"]);
    insta::assert_snapshot!("broken_relation", text);
}

#[test]
fn links_to_refused_pages_are_not_reported_missing() {
    let body = "Lorem ipsum dolor sit amet.\n\n".repeat(400_000);
    let site = Site::new(&[
        ("content/_index.md", HOME),
        ("content/big.md", &format!("---\ntitle: Big\n---\n{body}")),
        (
            "content/a.md",
            "---\ntitle: A\npart_of: big.md\nrelated: \"[[latin]]\"\n---\n\
             See [big](big.md), [[big]], [[big#part]], [latin](sub/latin.md) and [[sub/latin]].\n",
        ),
    ]);
    site.write_bytes("content/sub/latin.md", b"---\ntitle: Latin\n---\ncaf\xe9\n");
    let text = failed_build(&site, &["build"]);
    insta::assert_snapshot!("links_to_refused_pages", text);
}
