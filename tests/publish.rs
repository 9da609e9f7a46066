//! Publishing: a site built for a sub-path and served from one has no broken links (crawled by
//! LinkChecker, a real link checker), and the scaffolds of `weft new` build at once.
//!
//! LinkChecker must be installed (`pip install linkchecker==10.6.0`); without it these tests
//! fail, since CI installs it.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Site, page, snapshot_tree, stderr, weft_in};

/// Python's static file server on 127.0.0.1 at a port it chose, stopped on drop.
struct StaticServer {
    child: Child,
    port: u16,
}

impl StaticServer {
    /// Serves `dir`; a site built into `dir/docs` is then at `http://127.0.0.1:PORT/docs/`.
    fn start(dir: &Path) -> StaticServer {
        let mut child = Command::new("python3")
            .args([
                "-u",
                "-m",
                "http.server",
                "0",
                "--bind",
                "127.0.0.1",
                "--directory",
            ])
            .arg(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 runs (it serves the built site)");
        let stdout = child.stdout.take().expect("stdout");
        // "Serving HTTP on 127.0.0.1 port 40123 (http://127.0.0.1:40123/) ..."
        let line = BufReader::new(stdout)
            .lines()
            .next()
            .and_then(Result::ok)
            .unwrap_or_default();
        let port = line
            .split("port ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("http.server said {line:?}"));
        StaticServer { child, port }
    }

    fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/docs/", self.port)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Crawls `url` with LinkChecker, every link (also outside the start folder) checked, and
/// returns the number of URLs it checked; panics with its report when a link is broken.
fn crawl(url: &str) -> usize {
    let started = Instant::now();
    let output = Command::new("linkchecker")
        .args([
            "--no-status",
            "--check-extern",
            "--threads",
            "8",
            "--timeout",
            "20",
            url,
        ])
        .output();
    let output = match output {
        Ok(output) => output,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => panic!(
            "LinkChecker is not installed: `pip install linkchecker==10.6.0` (these tests need a real link checker)"
        ),
        Err(err) => panic!("cannot run linkchecker: {err}"),
    };
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "broken links under {url}:\n{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // "That's it. 61 links in 61 URLs checked. 0 warnings found. 0 errors found."
    let checked = report
        .lines()
        .find_map(|l| {
            l.split(" links in ")
                .nth(1)?
                .split(' ')
                .next()?
                .parse()
                .ok()
        })
        .unwrap_or_else(|| panic!("no summary in LinkChecker's report:\n{report}"));
    eprintln!(
        "linkchecker: {checked} URLs under {url} in {:?}",
        started.elapsed()
    );
    checked
}

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

/// Builds `root` into `<served>/docs` for the server's sub-path and crawls it.
fn build_and_crawl(root: &Path, min_urls: usize) {
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
    let checked = crawl(&base_url);
    assert!(
        checked >= min_urls,
        "LinkChecker checked only {checked} URLs; did it crawl the site?"
    );
    // A page that does not exist is a 404, so the crawl would have seen broken links.
    let missing = http_status(&format!("{base_url}no-such-page/"));
    assert_eq!(missing, 404);
}

/// The HTTP status of a GET, with std only.
fn http_status(url: &str) -> u16 {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").expect("http URL");
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut stream = std::net::TcpStream::connect(host).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.0\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[test]
fn a_site_served_from_a_sub_path_has_no_broken_links() {
    let site = linked_site();
    // Pages, sections, taxonomy pages, the map, the alias, assets, feeds and the search index.
    build_and_crawl(site.root(), 20);
}

#[test]
fn the_flagship_site_served_from_a_sub_path_has_no_broken_links() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    build_and_crawl(repo, 50);
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
