//! Hostile input: huge, deep and malicious files give a diagnostic or build in bounded time,
//! never a panic, and nothing is written outside the output folder.

mod common;

use common::{Site, stderr};

fn assert_no_panic(site: &Site, args: &[&str]) -> std::process::Output {
    let output = site.weft(args);
    let text = stderr(&output, site.root());
    assert!(!text.contains("panicked"), "{text}");
    assert!(output.status.code().is_some(), "killed by a signal");
    output
}

#[test]
fn an_oversized_page_is_refused() {
    let site = Site::new(&[("content/_index.md", "---\ntitle: Home\n---\n")]);
    let body = "Lorem ipsum dolor sit amet.\n\n".repeat(400_000);
    site.write("content/big.md", &format!("---\ntitle: Big\n---\n{body}"));
    let output = assert_no_panic(&site, &["build"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output, site.root());
    let expected =
        "error[page-too-large]: `content/big.md` is 11.6 MB; weft reads pages up to 10 MB";
    assert!(text.contains(expected), "{text}");
}

#[test]
fn a_yaml_alias_bomb_is_refused() {
    let mut yaml = String::from(
        "---\ntitle: Bomb\nextra:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        yaml.push_str(&format!(
            "  {name}: &{name} [{}]\n",
            vec![format!("*{prev}"); 9].join(",")
        ));
    }
    yaml.push_str("---\nBody\n");
    let site = Site::new(&[
        ("content/_index.md", "---\ntitle: Home\n---\n"),
        ("content/bomb.md", &yaml),
    ]);
    let output = assert_no_panic(&site, &["build"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output, site.root());
    assert!(
        text.contains("repetition limit exceeded") && text.contains("content/bomb.md:"),
        "{text}"
    );
}

#[test]
fn deep_and_wide_markdown_builds() {
    let headings: String = (0..10_000)
        .map(|i| format!("## Heading {i}\n\ntext\n\n"))
        .collect();
    // `- - - item` opens a list inside a list on one line: 10,000 levels in 20 KB.
    let lists = format!("{}item\n", "- ".repeat(10_000));
    let quotes = format!("{} deep\n", ">".repeat(10_000));
    let front = format!(
        "---\ntitle: FM\nextra:\n  blob: \"{}\"\n---\nbody\n",
        "x".repeat(1_000_000)
    );
    let site = Site::new(&[
        ("content/_index.md", "---\ntitle: Home\n---\n"),
        (
            "content/headings.md",
            &format!("---\ntitle: Heads\n---\n{headings}"),
        ),
        (
            "content/lists.md",
            &format!("---\ntitle: Lists\n---\n{lists}"),
        ),
        (
            "content/quotes.md",
            &format!("---\ntitle: Quotes\n---\n{quotes}"),
        ),
        ("content/front.md", &front),
    ]);
    let output = assert_no_panic(&site, &["build"]);
    assert!(output.status.success(), "{}", stderr(&output, site.root()));
    let html = site.out("headings/index.html");
    assert!(html.contains("id=\"heading-9999\""));
}

#[test]
fn nothing_is_read_or_written_outside_the_site() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: Secret\n---\nsecret text\n",
    )
    .unwrap();
    let site = Site::new(&[
        (
            "content/_index.md",
            "---\ntitle: Home\n---\n[up](../../secret.md) and [abs](/../../etc/passwd)\n",
        ),
        (
            "content/a.md",
            "---\ntitle: A\nslug: ..\naliases: [\"../../../escaped\", \"/../x/\"]\n---\n",
        ),
    ]);
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        site.root().join("content/link.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), site.root().join("static")).unwrap();
    let output = assert_no_panic(&site, &["build"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output, site.root());
    for expected in [
        "`content/link.md` is a symbolic link that points outside the site",
        "link `../../secret.md` leads outside the content folder",
        "`..` is not a valid slug",
        "alias `../../../escaped` is not a path inside the site",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    assert!(!text.contains("secret text"));
    let leftovers: Vec<_> = std::fs::read_dir(outside.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["secret.md"]);
    assert!(!site.root().join("escaped").exists() && !site.root().join("x").exists());
}
