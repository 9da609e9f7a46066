//! Publishing: a site built for a sub-path and served from one has no broken links, and the
//! scaffolds of `weft new` build at once.
//!
//! The site is served by a static file server in the test (`publish/server.rs`) and crawled
//! by a link checker written for these tests (`publish/crawl.rs`): every link on every page,
//! also outside the start folder, must answer 200 and every `#fragment` must name an element.
//! Neither Python nor LinkChecker is needed. CI also crawls the flagship site and the browser
//! fixture with LinkChecker, a link checker not written by us (`tests/publish/linkcheck.sh`,
//! run by `.ci/run`).

mod common;
#[path = "publish/crawl.rs"]
mod crawl;
#[path = "publish/server.rs"]
mod server;

use std::path::{Path, PathBuf};
use std::time::Instant;

use common::{Site, page, snapshot_tree, stderr, weft_in};
use crawl::{Broken, Crawl, crawl};
use server::StaticServer;

/// A site with every kind of link and output: sections, a bundle with an asset, a static
/// file, an alias, taxonomies, relations, wiki links and anchors.
fn linked_site() -> Site {
    Site::new(&[
        (
            "content/_index.md",
            "---\ntitle: Home\n---\n\nStart at the [EU](eu/_index.md), [[ran-coe|the RAN centre]] or [the chart](@/chart/index.md).\n",
        ),
        (
            "content/eu/_index.md",
            "---\ntitle: European Union\ndescription: The EU section.\n---\n\n## Information exchange\n\nSee [[ran-coe]] and [the guideline](guideline.md#scope).\n",
        ),
        (
            "content/eu/ran-coe.md",
            "---\ntitle: RAN CoE\ndate: 2016-03-01\ntopics: [Prevention]\npart_of: european-union\naliases: [/old/ran/]\n---\n\n## Mission {#mission}\n\nBack to [the EU](_index.md#information-exchange); the [logo](/logo.svg).\n",
        ),
        (
            "content/eu/guideline.md",
            "---\ntitle: Guideline\ndate: 2017-05-01\ntopics: [Prevention, Law]\nrelated: [ran-coe]\n---\n\n## Scope\n\nSee [RAN](@/eu/ran-coe.md#mission) and ![Logo](/logo.svg).\n",
        ),
        (
            "content/chart/index.md",
            "---\ntitle: Chart\n---\n\n![A chart](data.svg) belongs to [[guideline]]; [download it](data.svg).\n",
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

/// Where a crawl starts besides the home page: what a host or a search engine reaches without
/// a link (`robots.txt` leads to the sitemap).
const ENTRY_POINTS: [&str; 2] = ["robots.txt", "404.html"];

/// Builds `root` into `<served>/docs` for the server's sub-path and crawls it from the home
/// page and `entry_points`.
fn build_and_crawl(root: &Path, entry_points: &[&str]) -> Crawl {
    let served = tempfile::tempdir().expect("temp dir");
    let server = StaticServer::start(served.path());
    let out: PathBuf = served.path().join("docs");
    let base_url = server.base_url();
    let output = weft_in(
        root,
        &[
            "build",
            "--output",
            &out.display().to_string(),
            "--base-url",
            &base_url,
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output, root));
    let page = std::fs::read_to_string(out.join("index.html")).expect("home page");
    assert!(
        page.contains("href=\"/docs/"),
        "links do not carry the sub-path"
    );
    // A page that does not exist is a 404, so the crawl would see a broken link.
    assert_eq!(http_status(&format!("{base_url}no-such-page/")), 404);
    let started = Instant::now();
    let crawl = crawl(&base_url, entry_points);
    eprintln!(
        "crawled {base_url}: {} URLs, {} links, {} external (not fetched), {} broken, in {:?}",
        crawl.checked,
        crawl.links,
        crawl.external.len(),
        crawl.broken.len(),
        started.elapsed()
    );
    crawl
}

/// Crawls `root` served from a sub-path: no broken links, and at least `min_urls` URLs checked.
fn assert_no_broken_links(root: &Path, entry_points: &[&str], min_urls: usize) {
    let crawl = build_and_crawl(root, entry_points);
    assert!(
        crawl.broken.is_empty(),
        "{} broken links:\n{}",
        crawl.broken.len(),
        crawl.report()
    );
    assert!(
        crawl.checked >= min_urls,
        "only {} URLs checked; did the crawl follow the links?",
        crawl.checked
    );
}

/// The HTTP status of a GET, redirects not followed.
fn http_status(url: &str) -> u16 {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let response = agent
        .get(url)
        .call()
        .unwrap_or_else(|e| panic!("{url}: {e}"));
    response.status().as_u16()
}

#[test]
fn a_site_served_from_a_sub_path_has_no_broken_links() {
    let site = linked_site();
    // Pages, sections, taxonomy pages, the map, the alias, assets, the feed and the sitemap.
    let entry_points = [ENTRY_POINTS.as_slice(), &["old/ran/"]].concat();
    assert_no_broken_links(site.root(), &entry_points, 20);
}

#[test]
fn the_flagship_site_served_from_a_sub_path_has_no_broken_links() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert_no_broken_links(repo, &ENTRY_POINTS, 50);
}

/// A static page with every kind of broken link next to good ones; weft copies it as is.
const BROKEN_PAGE: &str = r##"<!DOCTYPE html>
<html lang="en">
<head>
<title>Broken</title>
<link rel="stylesheet" href="missing.css">
</head>
<body>
<h1 id="heading">Links, good and broken</h1>
<p><a href="./">Home</a>, <a href="#heading">up</a>, <a href="#nowhere">nowhere</a>.</p>
<p><a href="eu/#information-exchange">A heading</a>, <a href="eu/#no-such-heading">no heading</a>,
<a href="eu">a folder without its slash</a>.</p>
<p><a href="no-such-page/">A page that is not there</a>, <a href="/elsewhere/">outside the site</a>,
<a href="again.html">again</a>.</p>
<img src="missing.png" alt=""> <img srcset="logo.svg 1x, missing-2x.png 2x" src="logo.svg" alt="">
<p><a href="https://example.com/">Another host</a>, <a href="mailto:someone@example.org">mail</a>.</p>
</body>
</html>
"##;

#[test]
fn the_crawler_reports_every_broken_link_with_the_page_it_is_on() {
    let site = linked_site();
    site.write(
        "content/_index.md",
        "---\ntitle: Home\n---\n\nStart at the [EU](eu/_index.md) or [a static page](/broken.html).\n",
    );
    site.write("static/broken.html", BROKEN_PAGE);
    site.write(
        "static/again.html",
        "<!DOCTYPE html>\n<title>Again</title>\n<a href=\"no-such-page/\">The same broken link</a>\n",
    );
    let crawl = build_and_crawl(site.root(), &ENTRY_POINTS);
    let broken = |page: &str, link: &str, problem: &str| Broken {
        page: crawl.start.join(page).expect("URL").to_string(),
        link: link.into(),
        problem: problem.into(),
    };
    let expected = vec![
        broken("again.html", "no-such-page/", "HTTP 404"),
        broken("broken.html", "#nowhere", "no id=\"nowhere\" on the page"),
        broken("broken.html", "/elsewhere/", "HTTP 404"),
        broken(
            "broken.html",
            "eu/#no-such-heading",
            "no id=\"no-such-heading\" on the page",
        ),
        broken("broken.html", "missing-2x.png", "HTTP 404"),
        broken("broken.html", "missing.css", "HTTP 404"),
        broken("broken.html", "missing.png", "HTTP 404"),
        broken("broken.html", "no-such-page/", "HTTP 404"),
    ];
    assert_eq!(crawl.broken, expected, "\n{}", crawl.report());
    assert!(
        crawl.external.contains("https://example.com/"),
        "{:?}",
        crawl.external
    );
}

#[test]
fn the_static_server_answers_like_a_static_host() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in [
        ("docs/index.html", "<!DOCTYPE html><title>Home</title>"),
        ("docs/eu/index.html", "<!DOCTYPE html><title>EU</title>"),
        ("docs/empty/.keep", ""),
        ("docs/weft.css", "body {}"),
        (
            "docs/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
        ("docs/a file.txt", "spaced"),
    ] {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::fs::write(full, text).expect("write");
    }
    let server = StaticServer::start(dir.path());
    let base = server.base_url();
    let get = |path: &str| -> (u16, String, String) {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        let mut response = agent.get(format!("{base}{path}")).call().expect("answer");
        let header = |name: &str| {
            let value = response.headers().get(name);
            value
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        let (kind, location) = (header("content-type"), header("location"));
        let body = response.body_mut().read_to_string().expect("body");
        let detail = if location.is_empty() { body } else { location };
        (response.status().as_u16(), kind, detail)
    };
    let html = "text/html; charset=utf-8".to_string();
    let home = "<!DOCTYPE html><title>Home</title>".to_string();
    assert_eq!(get(""), (200, html.clone(), home));
    assert_eq!(get("eu/").0, 200);
    assert_eq!(
        get("eu").2,
        "/docs/eu/",
        "a folder is redirected to its slash"
    );
    assert_eq!(get("eu").0, 301);
    assert_eq!(get("empty/").0, 404, "a folder without index.html");
    assert_eq!(get("missing.html").0, 404);
    assert_eq!(get("weft.css").1, "text/css; charset=utf-8");
    assert_eq!(get("logo.svg").1, "image/svg+xml; charset=utf-8");
    assert_eq!(get("a%20file.txt").2, "spaced");
    assert_eq!(http_status(&format!("{}/", server.origin())), 404);
}

#[test]
fn a_new_site_builds_at_once_without_a_diagnostic() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("kb");
    let root_arg = root.display().to_string();
    let created = weft_in(dir.path(), &["new", "site", &root_arg]);
    assert!(created.status.success(), "{}", stderr(&created, dir.path()));
    let built = weft_in(&root, &["build"]);
    let text = stderr(&built, &root);
    assert!(built.status.success(), "{text}");
    assert!(
        !text.contains("warning") && !text.contains("error"),
        "diagnostics on a new site:\n{text}"
    );
    assert!(text.starts_with("built "), "{text}");
    assert!(root.join("public/index.html").is_file());
    assert!(root.join("public/pagefind/pagefind.js").is_file());
    // A second `weft new site` into the same folder refuses and leaves it alone.
    let before = snapshot_tree(&root);
    let again = weft_in(dir.path(), &["new", "site", &root_arg]);
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(before, snapshot_tree(&root));
}

#[test]
fn a_new_page_has_its_title_and_date_filled_in_and_builds() {
    let site = Site::new(&[("content/_index.md", &page("Home", "Welcome."))]);
    let output = site.weft(&["new", "page", "guide/install-notes"]);
    assert!(output.status.success(), "{}", stderr(&output, site.root()));
    let text = std::fs::read_to_string(site.root().join("content/guide/install-notes.md"))
        .expect("the new page");
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    assert!(text.starts_with("---\n"), "{text}");
    assert!(text.contains("title: \"Install notes\"\n"), "{text}");
    assert!(text.contains(&format!("date: {today}\n")), "{text}");
    let built = site.weft(&["build"]);
    let summary = stderr(&built, site.root());
    assert!(built.status.success(), "{summary}");
    assert!(!summary.contains("warning"), "{summary}");
    assert!(
        site.out("guide/install-notes/index.html")
            .contains("Install notes")
    );
    // An existing page is never overwritten.
    let again = site.weft(&["new", "page", "content/guide/install-notes.md"]);
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(site.root().join("content/guide/install-notes.md")).expect("page"),
        text
    );
}

#[test]
fn check_reports_a_broken_link_at_its_line_and_writes_nothing() {
    let site = Site::new(&[
        ("content/_index.md", &page("Home", "See [[ran]].")),
        (
            "content/ran.md",
            &page(
                "RAN",
                "Intro.\n\nBack [home](_index.md), on to [the EU](eu.md).",
            ),
        ),
    ]);
    let before = snapshot_tree(site.root());
    let output = site.weft(&["check"]);
    let text = stderr(&output, site.root());
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("error[broken-link]"), "{text}");
    assert!(text.contains("content/ran.md:7:"), "{text}");
    assert!(text.contains("eu.md"), "{text}");
    assert_eq!(before, snapshot_tree(site.root()), "check wrote something");
}
