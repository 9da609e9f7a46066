//! Behaviour tests for `weft build` and `weft check`: the real binary on small fixture sites.

mod common;

use common::{Site, page, snapshot_tree, stderr};

/// A small site with a section, pages, a bundle with an asset, a static file, a template override.
fn good_site() -> Site {
    Site::new(&[
        (
            "content/_index.md",
            "---\ntitle: Home\n---\n\nStart at the [EU](eu/_index.md) or [[ran-coe|the RAN centre]].\n",
        ),
        (
            "content/eu/_index.md",
            "---\ntitle: European Union\ndescription: The EU section.\nsort_by: weight\n---\n\n## Information exchange\n\nSee [[ran-coe]] and [the guideline](guideline.md).\n",
        ),
        (
            "content/eu/ran-coe.md",
            "---\ntitle: RAN CoE\nweight: 1\ntopics: [Prevention]\npart_of: european-union\ndate: 2016-03-01\n---\n\n# Mission {#mission}\n\nBack to [the EU](_index.md#information-exchange) and [[guideline#scope]].\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> [!NOTE]\n> Based in the Netherlands.[^1]\n\n[^1]: A footnote.\n\n- [x] done\n- ~~old~~\n",
        ),
        (
            "content/eu/guideline.md",
            "---\ntitle: Guideline\nweight: 2\ntopics: [Prevention, Law]\nrelated: [\"[[ran-coe]]\"]\n---\n\n## Scope\n\nSee [RAN](@/eu/ran-coe.md#mission), ![Logo](/logo.svg) and [the chart](../chart/index.md).\n",
        ),
        (
            "content/chart/index.md",
            "---\ntitle: Chart\n---\n\n![A chart](data.svg) belongs to [[guideline]] and [home](../_index.md).\n",
        ),
        (
            "content/chart/data.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
        (
            "static/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
    ])
}

/// Overrides the page template so snapshots show what weft computes, not the theme's markup.
const PLAIN_PAGE: &str = "{{ page.title }}\n{% for a in page.ancestors %}> {{ a.title }} {{ a.url }}\n{% endfor %}toc:{% for t in page.toc %} {{ t.id }}{% for c in t.children %} ({{ c.id }}){% endfor %}{% endfor %}\n{% for g in page.relations %}{{ g.label }}:{% for p in g.pages %} {{ p.url }}{% endfor %}\n{% endfor %}backlinks:{% for b in page.backlinks %} {{ b.url }}({{ b.kind }}){% endfor %}\nterms:{% for t in page.taxonomies %}{% for p in t.pages %} {{ p.url }}{% endfor %}{% endfor %}\n{{ page.content | safe }}";

#[test]
fn a_good_site_builds_with_clean_urls_and_checked_links() {
    let site = good_site();
    site.write("templates/page.html", PLAIN_PAGE);
    let output = site.weft(&["build"]);
    assert!(output.status.success(), "{}", stderr(&output, site.root()));
    insta::assert_snapshot!("ran_coe_page", site.out("eu/ran-coe/index.html"));
    insta::assert_snapshot!("guideline_page", site.out("eu/guideline/index.html"));
    for file in [
        "index.html",
        "eu/index.html",
        "chart/index.html",
        "chart/data.svg",
        "logo.svg",
        "404.html",
        "topics/index.html",
        "topics/prevention/index.html",
        "map/index.html",
        "graph.json",
        "sitemap.xml",
        "robots.txt",
        "atom.xml",
        "weft.css",
        "code.css",
        "favicon.svg",
    ] {
        assert!(site.public().join(file).is_file(), "missing {file}");
    }
    let summary = stderr(&output, site.root());
    assert_eq!(
        summary.trim(),
        "built 3 pages and 2 sections into [ROOT]/public: 23 files written, 0 unchanged, 0 removed in [T] ms"
    );
}

#[test]
fn the_default_theme_writes_valid_head_elements() {
    let site = good_site();
    assert!(site.weft(&["build"]).status.success());
    let html = site.out("eu/ran-coe/index.html");
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\""));
    assert!(html.contains("<title>RAN CoE · Test site</title>"));
    assert!(html.contains("<link rel=\"canonical\" href=\"https://example.org/eu/ran-coe/\">"));
    assert!(html.contains("<meta name=\"description\""));
    // Nothing the page loads comes from elsewhere: scripts, images, stylesheets and icons are local.
    for tag in html.split('<') {
        let loads = tag.starts_with("script")
            || tag.starts_with("img")
            || tag.contains("rel=\"stylesheet\"")
            || tag.contains("rel=\"icon\"");
        for attr in ["src=\"", "href=\""].into_iter().filter(|_| loads) {
            if let Some(value) = tag.split(attr).nth(1).and_then(|v| v.split('"').next()) {
                let local = (value.starts_with('/') && !value.starts_with("//"))
                    || value.starts_with("data:");
                assert!(local, "<{tag}> loads from elsewhere");
            }
        }
    }
    // Each page is linked from its section.
    assert!(site.out("eu/index.html").contains("href=\"/eu/ran-coe/\""));
}

/// The sidebar navigation of `html` (the second copy; the first is in the phone menu).
fn sidebar_nav(html: &str) -> String {
    let start = html.find("<div class=\"sidebar\">").expect("sidebar");
    let end = start + html[start..].find("</nav>").expect("end of nav");
    html[start..end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_navigation_opens_the_current_section_and_windows_long_ones() {
    let mut files = vec![
        (
            "content/_index.md".to_string(),
            "---\ntitle: Home\n---\n".to_string(),
        ),
        (
            "content/a/_index.md".into(),
            "---\ntitle: A & Co\n---\n".into(),
        ),
        (
            "content/a/b/_index.md".into(),
            "---\ntitle: B\n---\n".into(),
        ),
        (
            "content/a/b/deep.md".into(),
            "---\ntitle: Deep <page>\n---\n".into(),
        ),
        (
            "content/long/_index.md".into(),
            "---\ntitle: Long\nsort_by: title\n---\n".into(),
        ),
    ];
    for n in 10..40 {
        files.push((
            format!("content/long/p{n}.md"),
            format!("---\ntitle: P{n}\n---\n"),
        ));
    }
    let site = Site::built(&files);

    // A page two sections down: its top-level section is open, the sections between are
    // nested, the page is marked, and titles are escaped.
    let deep = sidebar_nav(&site.out("a/b/deep/index.html"));
    assert!(deep.contains(
        "<li class=\"open\"><a href=\"/a/\">A &amp; Co</a> <ul><li class=\"open\"><a href=\"/a/b/\">B</a> <ul> \
         <li><a href=\"/a/b/deep/\" aria-current=\"page\">Deep &lt;page&gt;</a></li> </ul></li></ul></li>"
    ), "{deep}");
    assert!(
        deep.contains("<li><a href=\"/long/\">Long</a></li>"),
        "{deep}"
    );

    // In a section of 30 pages only a window around the page is listed, with the rest
    // counted; the map and the taxonomy are always there.
    let long = sidebar_nav(&site.out("long/p25/index.html"));
    assert!(
        long.contains("<a href=\"/long/\">7 more pages…</a>"),
        "{long}"
    );
    assert!(
        long.contains("<a href=\"/long/p25/\" aria-current=\"page\">P25</a>"),
        "{long}"
    );
    assert!(
        long.contains("<a href=\"/long/\">6 more pages…</a>"),
        "{long}"
    );
    assert!(
        !long.contains("/long/p10/") && !long.contains("/long/p39/"),
        "{long}"
    );
    assert!(long.contains("<a href=\"/topics/\">Topics</a>"), "{long}");
    assert!(
        long.contains("<a href=\"/map/\">Map of all pages</a>"),
        "{long}"
    );

    // Generated pages mark themselves.
    let map = sidebar_nav(&site.out("map/index.html"));
    assert!(
        map.contains("<a href=\"/map/\" aria-current=\"page\">Map of all pages</a>"),
        "{map}"
    );
}

#[test]
fn the_lede_shows_a_description_but_never_repeats_the_first_paragraph() {
    let site = Site::new(&[
        ("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n"),
        (
            "content/plain.md",
            "---\ntitle: Plain\n---\nThe first paragraph of a page.\n\nThe second.\n",
        ),
        (
            "content/described.md",
            "---\ntitle: Described\ndescription: A line of its own.\n---\nThe body.\n",
        ),
    ]);
    assert!(site.weft(&["build"]).status.success());
    let plain = site.out("plain/index.html");
    // In the meta description, and once in the page.
    assert!(
        plain.contains("<meta name=\"description\" content=\"The first paragraph of a page.\">")
    );
    assert_eq!(plain.matches(">The first paragraph of a page.<").count(), 1);
    assert!(!plain.contains("class=\"lede\""));
    let described = site.out("described/index.html");
    assert!(described.contains("<p class=\"lede\">A line of its own.</p>"));
}

#[test]
fn two_builds_are_byte_identical() {
    let site = good_site();
    let (one, two) = (site.root().join("one"), site.root().join("two"));
    let first = site.weft(&["build", "--output", &one.display().to_string()]);
    assert!(first.status.success(), "{}", stderr(&first, site.root()));
    assert!(
        site.weft(&["build", "--output", &two.display().to_string()])
            .status
            .success()
    );
    let strip = |tree: std::collections::BTreeMap<_, (Vec<u8>, _)>| {
        tree.into_iter()
            .map(|(p, (bytes, _))| (p, bytes))
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(snapshot_tree(&one)), strip(snapshot_tree(&two)));
}

#[test]
fn rebuilding_rewrites_only_changes_and_removes_stale_files() {
    let site = good_site();
    assert!(site.weft(&["build"]).status.success());
    let before = snapshot_tree(&site.public());
    site.write(
        "content/eu/guideline.md",
        "---\ntitle: Guideline v2\nweight: 2\n---\n\n## Scope\n\nNew text, see [[ran-coe]].\n",
    );
    site.remove("content/chart/index.md");
    site.remove("content/chart/data.svg");
    let output = site.weft(&["build"]);
    assert!(output.status.success(), "{}", stderr(&output, site.root()));
    let after = snapshot_tree(&site.public());
    assert!(!after.contains_key(std::path::Path::new("chart/index.html")));
    assert!(!after.contains_key(std::path::Path::new("chart/data.svg")));
    let unchanged = std::path::Path::new("logo.svg");
    assert_eq!(
        before[unchanged], after[unchanged],
        "unchanged file keeps its mtime"
    );
    assert!(site.out("eu/guideline/index.html").contains("Guideline v2"));
}

/// Builds a good site, breaks it with `files`, and checks the diagnostic, the exit code,
/// and that the earlier output is untouched.
fn assert_bad_input(name: &str, files: &[(&str, &[u8])]) {
    let site = good_site();
    assert!(site.weft(&["build"]).status.success());
    let before = snapshot_tree(&site.public());
    for (path, bytes) in files {
        site.write_bytes(path, bytes);
    }
    let output = site.weft(&["build"]);
    assert_eq!(output.status.code(), Some(1), "exit code for {name}");
    let text = stderr(&output, site.root());
    assert!(!text.contains("panicked"), "{text}");
    insta::assert_snapshot!(name, text);
    assert_eq!(
        before,
        snapshot_tree(&site.public()),
        "{name} touched the old output"
    );
    let check = site.weft(&["check"]);
    assert_eq!(check.status.code(), Some(1), "check agrees for {name}");
}

#[test]
fn malformed_yaml() {
    assert_bad_input(
        "malformed_yaml",
        &[(
            "content/eu/bad.md",
            b"---\ntitle: [unclosed\nweight: 1\n---\nBody\n",
        )],
    );
}

#[test]
fn missing_closing_fence() {
    assert_bad_input(
        "missing_fence",
        &[(
            "content/eu/bad.md",
            b"---\ntitle: Bad\n\nNo closing fence.\n",
        )],
    );
}

#[test]
fn invalid_utf8() {
    assert_bad_input(
        "invalid_utf8",
        &[(
            "content/eu/bad.md",
            b"---\ntitle: Bad\n---\n\nCaf\xe9 au lait\n",
        )],
    );
}

#[test]
fn unknown_front_matter_key() {
    assert_bad_input(
        "unknown_key",
        &[(
            "content/eu/bad.md",
            b"---\ntitle: Bad\nwieght: 3\n---\n\nBody\n",
        )],
    );
}

#[test]
fn two_files_with_one_url() {
    assert_bad_input(
        "duplicate_url",
        &[(
            "content/eu/other.md",
            b"---\ntitle: Other\nslug: ran-coe\n---\n\nBody\n",
        )],
    );
}

#[test]
fn broken_links_of_every_form() {
    assert_bad_input(
        "broken_links",
        &[(
            "content/eu/bad.md",
            b"---\ntitle: Bad\npart_of: european-unoin\n---\n\nThe [RAN](ran-co.md), [root](@/eu/guidline.md), [[ran-coe]],\n[anchor](ran-coe.md#misson), [[guideline#scop]], [here](#nowhere) and ![img](/logo.sv).\n",
        )],
    );
}

#[test]
fn template_syntax_error() {
    assert_bad_input(
        "template_error",
        &[("templates/page.html", b"<p>\n{{ page.title }\n</p>\n")],
    );
}

#[test]
fn slug_that_climbs_out() {
    assert_bad_input(
        "slug_traversal",
        &[(
            "content/eu/bad.md",
            b"---\ntitle: Bad\nslug: ../../x\n---\n\nBody\n",
        )],
    );
}

#[test]
fn unknown_config_key() {
    assert_bad_input(
        "unknown_config_key",
        &[(
            "weft.yaml",
            b"title: Test\nbase_ulr: https://example.org/\n",
        )],
    );
}

#[test]
fn ambiguous_wiki_link() {
    assert_bad_input(
        "ambiguous_wiki_link",
        &[
            (
                "content/_index.md",
                b"---\ntitle: Home\n---\n\nSee [[notes]].\n",
            ),
            (
                "content/gctf/notes.md",
                b"---\ntitle: GCTF notes\n---\n\nBody\n",
            ),
            (
                "content/eu/notes.md",
                b"---\ntitle: EU notes\n---\n\nBody\n",
            ),
        ],
    );
}

#[test]
fn alias_colliding_with_a_page() {
    assert_bad_input(
        "alias_collision",
        &[(
            "content/eu/bad.md",
            b"---\ntitle: Bad\naliases: [/eu/ran-coe/, /old/bad/]\n---\n\nBody\n",
        )],
    );
}

/// Generated files are written as they are made; one whose path a page or a static file
/// has must neither fail silently nor leave anything in the output.
#[test]
fn generated_files_colliding_with_a_page_or_a_static_file() {
    assert_bad_input(
        "generated_collision",
        &[
            (
                "content/map.md",
                b"---\ntitle: Map\n---\n\nA page at /map/.\n",
            ),
            ("static/graph.json", b"{}"),
        ],
    );
    // Into a fresh folder: nothing is left, not even the staging folder.
    let site = good_site();
    site.write("content/map.md", "---\ntitle: Map\n---\n\nBody\n");
    let output = site.weft(&["build", "--output", "fresh"]);
    assert_eq!(output.status.code(), Some(1));
    let left: Vec<_> = std::fs::read_dir(site.root())
        .expect("site folder")
        .map(|e| e.expect("entry").file_name())
        .filter(|name| name.to_string_lossy().contains("fresh"))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn aliases_redirect() {
    let site = good_site();
    site.write(
        "content/eu/moved.md",
        "---\ntitle: Moved\naliases: [/old/moved/]\n---\n\nBody [[ran-coe]]\n",
    );
    assert!(site.weft(&["build"]).status.success());
    let redirect = site.out("old/moved/index.html");
    assert!(redirect.contains("<meta http-equiv=\"refresh\" content=\"0; url=/eu/moved/\">"));
    assert!(redirect.contains("<link rel=\"canonical\" href=\"https://example.org/eu/moved/\">"));
    assert!(redirect.contains("<a href=\"/eu/moved/\">Moved</a>"));
}

#[test]
fn drafts_only_with_the_flag() {
    let site = good_site();
    site.write(
        "content/eu/draft.md",
        "---\ntitle: Draft\ndraft: true\n---\n\nBody\n",
    );
    assert!(site.weft(&["build"]).status.success());
    assert!(!site.public().join("eu/draft/index.html").exists());
    assert!(site.weft(&["build", "--drafts"]).status.success());
    assert!(site.public().join("eu/draft/index.html").exists());
}

#[test]
fn refuses_to_clean_a_folder_it_did_not_write() {
    let site = good_site();
    site.write("elsewhere/precious.txt", "keep me");
    let output = site.weft(&[
        "build",
        "--output",
        &site.root().join("elsewhere").display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(site.root().join("elsewhere/precious.txt").exists());
}

#[test]
fn usage_errors_exit_2() {
    let site = good_site();
    assert_eq!(
        site.weft(&["build", "--no-such-flag"]).status.code(),
        Some(2)
    );
}

#[test]
fn a_sub_path_base_url_prefixes_every_link() {
    let site = good_site();
    assert!(
        site.weft(&["build", "--base-url", "https://example.org/docs/"])
            .status
            .success()
    );
    let html = site.out("eu/guideline/index.html");
    assert!(html.contains("href=\"/docs/eu/ran-coe/#mission\""));
    assert!(html.contains("src=\"/docs/logo.svg\""));
    assert!(html.contains("href=\"/docs/weft.css\""));
    assert!(html.contains("href=\"/docs/favicon.svg\""));
    assert!(
        site.out("sitemap.xml")
            .contains("<loc>https://example.org/docs/eu/guideline/</loc>")
    );
}

#[test]
fn raw_html_is_escaped_when_unsafe_html_is_off() {
    let site = good_site();
    site.write(
        "weft.yaml",
        &format!("{}unsafe_html: false\n", common::CONFIG),
    );
    site.write(
        "content/eu/raw.md",
        &page("Raw", "<script>alert(1)</script> [[ran-coe]]"),
    );
    assert!(site.weft(&["build"]).status.success());
    let html = site.out("eu/raw/index.html");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<script>alert(1)"));
}

#[test]
fn a_template_error_at_render_time_is_reported_once() {
    assert_bad_input(
        "template_render_error",
        &[(
            "templates/page.html",
            b"<p>{{ page.title }}</p>\n<p>{{ page.no_such_field }}</p>\n",
        )],
    );
}

#[test]
fn missing_alt_text_is_a_warning() {
    let site = good_site();
    site.write(
        "content/eu/pic.md",
        "---\ntitle: Pic\n---\n\n![](/logo.svg) and [[ran-coe]]\n",
    );
    let output = site.weft(&["build"]);
    assert!(output.status.success());
    let text = stderr(&output, site.root());
    assert!(
        text.contains("warning[missing-alt]: image has no alt text"),
        "{text}"
    );
    assert!(text.contains("content/eu/pic.md:5:1"), "{text}");
}

#[test]
fn a_rebuild_with_nothing_changed_writes_nothing() {
    let site = good_site();
    assert!(site.weft(&["build"]).status.success());
    let before = snapshot_tree(&site.public());
    let again = site.weft(&["build"]);
    assert!(stderr(&again, site.root()).contains("nothing changed, 0 files written"));
    assert_eq!(before, snapshot_tree(&site.public()));
    // A file deleted from the output is noticed and written again.
    std::fs::remove_file(site.public().join("eu/ran-coe/index.html")).unwrap();
    let repaired = site.weft(&["build"]);
    assert!(
        stderr(&repaired, site.root()).contains("1 files written"),
        "{}",
        stderr(&repaired, site.root())
    );
    assert!(site.public().join("eu/ran-coe/index.html").is_file());
}

#[test]
fn front_matter_values_are_escaped_by_the_default_theme() {
    let site = good_site();
    site.write(
        "content/eu/evil.md",
        "---\ntitle: \"<script>alert(1)</script> & co\"\ndescription: \"\\\"><img src=x onerror=alert(2)>\"\ntopics: [\"<b>bold</b>\"]\n---\n\nBody [[ran-coe]].\n",
    );
    let output = site.weft(&["build"]);
    assert!(output.status.success(), "{}", stderr(&output, site.root()));
    for page in [
        "eu/evil/index.html",
        "eu/index.html",
        "topics/index.html",
        "topics/bboldb/index.html",
        "map/index.html",
    ] {
        let html = site.out(page);
        assert!(
            !html.contains("<script>alert(1)"),
            "{page} has the raw title"
        );
        assert!(
            !html.contains("<img src=x"),
            "{page} has the raw description"
        );
        assert!(!html.contains("<b>bold</b>"), "{page} has the raw term");
    }
    let html = site.out("eu/evil/index.html");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
}

#[test]
fn counts_are_singular_for_one() {
    let site = Site::new(&[
        ("content/_index.md", &page("Home", "Hello.")),
        ("content/one.md", &page("One", "Just one page.")),
    ]);
    let output = site.weft(&["build"]);
    assert!(output.status.success());
    let text = stderr(&output, site.root());
    assert!(
        text.starts_with("built 1 page and 1 section into "),
        "{text}"
    );
    let output = site.weft(&["check"]);
    let text = stderr(&output, site.root());
    assert_eq!(text.trim(), "checked 1 page and 1 section: no errors");
}

/// The theme writes dates as readers of the site's `language` do, in the page's own line and
/// in its section's list; a language weft has no style for keeps `YYYY-MM-DD`.
#[test]
fn dates_are_written_in_the_sites_language() {
    for (language, written) in [
        ("en", "12 August 2016"),
        ("nl", "12 augustus 2016"),
        ("de-AT", "12. August 2016"),
        ("fr", "12 août 2016"),
        ("es", "12 de agosto de 2016"),
        ("pt", "2016-08-12"),
    ] {
        let site = Site::new(&[
            (
                "weft.yaml",
                &format!(
                    "title: T\nbase_url: https://example.org/\nsearch: false\nlanguage: {language}\n"
                ),
            ),
            ("content/_index.md", "---\ntitle: Home\n---\n"),
            ("content/notes/_index.md", "---\ntitle: Notes\n---\n"),
            (
                "content/notes/a.md",
                "---\ntitle: A\ndate: 2016-08-12\n---\n\nText.\n",
            ),
        ]);
        let output = site.weft(&["build"]);
        assert!(output.status.success(), "{}", stderr(&output, site.root()));
        let time = format!("<time datetime=\"2016-08-12\">{written}</time>");
        assert!(
            site.out("notes/a/index.html").contains(&time),
            "{language}: the page lacks {time}"
        );
        assert!(
            site.out("notes/index.html").contains(&time),
            "{language}: the list lacks {time}"
        );
    }
}
