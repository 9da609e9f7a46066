//! Cross-linking: every link form resolves to the target's URL, and a typo in any of them
//! fails the build with file:line:col and a suggestion (snapshots of the diagnostics).

mod common;

use common::{Site, stderr};

/// Two sections, a page bundle with an asset, a static file, relations and aliases.
fn site() -> Site {
    Site::new(&[
        (
            "content/_index.md",
            "---\ntitle: Home\n---\n\nSee [[ran-coe]] and [[gctf]].\n",
        ),
        (
            "content/eu/_index.md",
            "---\ntitle: European Union\n---\n\n## Information exchange\n\nPages: [[ran-coe]].\n",
        ),
        (
            "content/eu/ran-coe.md",
            "---\ntitle: RAN Centre of Excellence\naliases: [/old/ran/]\n---\n\n## Mission\n\nBack to [the EU](_index.md).\n",
        ),
        (
            "content/gctf/_index.md",
            "---\ntitle: Global Counterterrorism Forum\nslug: forum\n---\n\n## Agenda\n\nSee [[ran-coe]].\n",
        ),
        (
            "content/gctf/chart/index.md",
            "---\ntitle: Chart\n---\n\n![The chart](data.svg) for [[gctf]].\n",
        ),
        (
            "content/gctf/chart/data.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
        ("static/files/report.pdf", "%PDF"),
    ])
}

/// Adds `content/eu/new.md` with `body` (and `front` matter lines) and builds.
fn build_with(front: &str, body: &str) -> (Site, std::process::Output) {
    let site = site();
    site.write(
        "content/eu/new.md",
        &format!("---\ntitle: New\n{front}---\n\n{body}\n"),
    );
    let output = site.weft(&["build"]);
    (site, output)
}

#[test]
fn every_link_form_resolves() {
    let body = "[rel](ran-coe.md) [up](../gctf/_index.md#agenda) [root](@/eu/ran-coe.md#mission) \
                [[ran-coe]] [[ran-coe|the centre]] [[gctf#agenda]] [[Global Counterterrorism Forum]] \
                [[old/ran]] [self](#intro) [pdf](/files/report.pdf) [chart](../gctf/chart/data.svg)\n\n## Intro";
    let (site, output) = build_with("", body);
    assert!(output.status.success(), "{}", stderr(&output, site.root()));
    let html = site.out("eu/new/index.html");
    for expected in [
        "<a href=\"/eu/ran-coe/\">rel</a>",
        "<a href=\"/forum/#agenda\">up</a>",
        "<a href=\"/eu/ran-coe/#mission\">root</a>",
        "<a href=\"/eu/ran-coe/\">RAN Centre of Excellence</a>",
        "<a href=\"/eu/ran-coe/\">the centre</a>",
        "<a href=\"/forum/#agenda\">Global Counterterrorism Forum › Agenda</a>",
        "<a href=\"/forum/\">Global Counterterrorism Forum</a>",
        "<a href=\"#intro\">self</a>",
        "<a href=\"/files/report.pdf\">pdf</a>",
        "<a href=\"/forum/chart/data.svg\">chart</a>",
    ] {
        assert!(html.contains(expected), "missing {expected}");
    }
    assert!(
        html.contains("<a href=\"/eu/ran-coe/\">RAN Centre of Excellence</a>"),
        "an alias resolves too"
    );
    assert!(
        site.out("forum/chart/index.html")
            .contains("src=\"/forum/chart/data.svg\"")
    );
}

/// Builds with one broken reference and snapshots the diagnostic.
fn assert_broken(name: &str, front: &str, body: &str) {
    let (site, output) = build_with(front, body);
    assert_eq!(output.status.code(), Some(1), "{name} must fail the build");
    let text = stderr(&output, site.root());
    assert!(
        text.contains(" --> content/eu/"),
        "{name}: no file:line in\n{text}"
    );
    insta::assert_snapshot!(name, text);
}

#[test]
fn typo_in_a_relative_link() {
    assert_broken("typo_relative", "", "The [centre](ran-cooe.md) helps.");
}

#[test]
fn typo_in_a_content_root_link() {
    assert_broken("typo_content_root", "", "The [forum](@/gctf/_indx.md) met.");
}

#[test]
fn typo_in_a_wiki_link() {
    assert_broken("typo_wiki", "", "See [[ran-coee]].");
}

#[test]
fn typo_in_an_anchor_of_a_relative_link() {
    assert_broken(
        "typo_anchor_relative",
        "",
        "See [the mission](ran-coe.md#misson).",
    );
}

#[test]
fn typo_in_an_anchor_of_a_wiki_link() {
    assert_broken("typo_anchor_wiki", "", "See [[gctf#agnda]].");
}

#[test]
fn typo_in_a_same_page_anchor() {
    assert_broken(
        "typo_anchor_same_page",
        "",
        "Jump to [the intro](#intrduction).\n\n## Introduction",
    );
}

#[test]
fn typo_in_a_static_file_link() {
    assert_broken("typo_static", "", "Read [the report](/files/reprot.pdf).");
}

#[test]
fn typo_in_a_bundle_asset_link() {
    assert_broken("typo_asset", "", "See ![the chart](../gctf/chart/dat.svg).");
}

#[test]
fn typo_in_a_relation_target() {
    assert_broken(
        "typo_relation",
        "part_of: european-unon\n",
        "Body [[ran-coe]].",
    );
}

#[test]
fn an_undeclared_relation_key() {
    assert_broken(
        "undeclared_relation",
        "relatd: ran-coe\n",
        "Body [[ran-coe]].",
    );
}

#[test]
fn an_inverse_relation_written_by_hand() {
    assert_broken(
        "inverse_by_hand",
        "has_part: ran-coe\n",
        "Body [[ran-coe]].",
    );
}

#[test]
fn an_alias_taken_twice() {
    assert_broken(
        "alias_taken_twice",
        "aliases: [/old/ran/]\n",
        "Body [[ran-coe]].",
    );
}
