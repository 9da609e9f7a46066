//! `weft serve` end to end: the real binary on a small site in a temp dir, on a free port,
//! with plain HTTP requests. Changes are awaited by polling against a deadline.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;

use std::time::{Duration, Instant};

use common::Server;

const DEADLINE: Duration = Duration::from_secs(15);

/// A small site: a home page, a section with a linked page and an unlinked one, a stylesheet.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let files = [
        ("weft.yaml", "title: \"Serve fixture\"\n"),
        (
            "content/_index.md",
            "---\ntitle: Home\n---\nWelcome. Read the [guide](guide/_index.md).\n",
        ),
        (
            "content/guide/_index.md",
            "---\ntitle: Guide\n---\nStart with [install](install.md).\n",
        ),
        (
            "content/guide/install.md",
            "---\ntitle: Install\n---\nOriginal install text.\n",
        ),
        (
            "content/guide/orphan.md",
            "---\ntitle: Orphan\n---\nNobody links here.\n",
        ),
        (
            "content/guide/other.md",
            "---\ntitle: Other\n---\nNor here.\n",
        ),
        ("static/site.css", "body { color: black; }\n"),
    ];
    for (path, text) in files {
        write(dir.path(), path, text);
    }
    dir
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

impl Server {
    fn start(root: &Path) -> Server {
        Server::on_port(root, 0)
    }

    fn on_port(root: &Path, port: u16) -> Server {
        Server::launch(root, port)
    }

    fn get(&self, path: &str) -> Reply {
        request(&self.address, path, "")
    }

    fn status(&self) -> String {
        self.get("/__weft/status").body
    }

    /// Polls `path` until `check` accepts the reply; panics with the server's log at the deadline.
    fn wait_for(&self, what: &str, path: &str, check: impl Fn(&Reply) -> bool) -> Reply {
        let started = Instant::now();
        loop {
            let reply = self.get(path);
            if check(&reply) {
                return reply;
            }
            if started.elapsed() > DEADLINE {
                panic!(
                    "timed out waiting for {what}; last reply to {path}: {} {}\nserver log:\n{}",
                    reply.status,
                    reply.body,
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

#[derive(Debug)]
struct Reply {
    status: u16,
    headers: String,
    body: String,
}

/// One HTTP/1.1 request with the path sent exactly as given, and `headers` (CRLF-ended lines).
fn request(address: &str, path: &str, headers: &str) -> Reply {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n{headers}\r\n"
    )
    .expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8_lossy(&raw);
    let (headers, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = headers
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Reply {
        status,
        headers: headers.to_lowercase(),
        body: body.to_string(),
    }
}

#[test]
fn serves_pages_with_the_reload_script() {
    let site = site();
    let server = Server::start(site.path());
    let page = server.get("/guide/install/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Original install text."));
    assert!(
        page.headers
            .contains("content-type: text/html; charset=utf-8")
    );
    let script = page
        .body
        .find("<script id=\"weft-live-reload\"")
        .expect("reload script injected");
    assert!(script < page.body.rfind("</body>").expect("</body>"));
    assert!(page.body[script..].contains("new EventSource(\"/__weft/events?since=\""));

    let css = server.get("/site.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.body, "body { color: black; }\n");
    assert!(css.headers.contains("cache-control: no-cache"));
    let etag = css
        .headers
        .lines()
        .find_map(|l| l.strip_prefix("etag: "))
        .expect("etag");
    let again = request(
        &server.address,
        "/site.css",
        &format!("If-None-Match: {etag}\r\n"),
    );
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());

    let folder = server.get("/guide");
    assert_eq!(folder.status, 307);
    assert!(
        folder.headers.contains("location: /guide/\r\n"),
        "{folder:?}"
    );
    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("weft-live-reload"));
    assert!(server.status().contains("\"error\":null"));
}

#[test]
fn refuses_requests_that_leave_the_site() {
    let site = site();
    let server = Server::start(site.path());
    for path in [
        "/../weft.yaml",
        "/guide/../../weft.yaml",
        "/%2e%2e/weft.yaml",
        "/%2E%2E/%2e%2e/weft.yaml",
        "/.%2e/weft.yaml",
        "/guide%2f..%2f..%2fweft.yaml",
        "/guide/..%2f..%2fweft.yaml",
        "/..%5cweft.yaml",
        "/..\\weft.yaml",
        "/static/site.css",
        "/content/guide/install.md",
        "/weft.yaml",
    ] {
        let reply = server.get(path);
        assert_eq!(reply.status, 404, "{path}: {reply:?}");
        assert!(!reply.body.contains("Serve fixture\"\n"), "{path}");
    }
}

#[test]
fn editing_a_page_changes_what_is_served() {
    let site = site();
    let server = Server::start(site.path());
    assert!(server.get("/guide/install/").body.contains("Original"));
    write(
        site.path(),
        "content/guide/install.md",
        "---\ntitle: Install\n---\nEdited install text.\n",
    );
    server.wait_for("the edit", "/guide/install/", |r| {
        r.body.contains("Edited install text.")
    });
    assert!(server.status().contains("\"generation\":2"));
}

/// Whether `graph.json` has an edge between the two URL paths.
fn has_edge(graph: &str, from: &str, to: &str) -> bool {
    let graph: serde_json::Value = serde_json::from_str(graph).expect("graph.json is JSON");
    graph["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .any(|e| e["from"] == from && e["to"] == to)
}

#[test]
fn a_new_link_shows_in_the_map_served_after_the_build() {
    let site = site();
    let server = Server::start(site.path());
    let graph = server.get("/graph.json");
    assert!(!has_edge(&graph.body, "/guide/install/", "/guide/orphan/"));
    write(
        site.path(),
        "content/guide/install.md",
        "---\ntitle: Install\n---\nSee the [orphan](orphan.md).\n",
    );
    server.wait_for("the rebuild", "/__weft/status", |r| {
        r.body.contains("\"generation\":2")
    });
    // The map and graph.json are made after the pages; asked for meanwhile, they are served
    // once made, never in the last build's version.
    let graph = server.get("/graph.json");
    assert!(
        has_edge(&graph.body, "/guide/install/", "/guide/orphan/"),
        "{}",
        graph.body
    );
    assert!(server.get("/map/").body.contains("href=\"/guide/orphan/\""));
}

#[test]
fn broken_front_matter_keeps_the_last_good_page_and_shows_the_error() {
    let site = site();
    let server = Server::start(site.path());
    write(
        site.path(),
        "content/guide/install.md",
        "---\ntitle: [Install\n---\nBroken text.\n",
    );
    let status = server.wait_for("the error", "/__weft/status", |r| {
        r.body.contains("content/guide/install.md:")
    });
    assert!(
        status.body.contains("error[invalid-yaml]"),
        "{}",
        status.body
    );
    assert!(!status.body.contains('\u{1b}'), "plain, without colour");
    let page = server.get("/guide/install/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Original install text."));

    write(
        site.path(),
        "content/guide/install.md",
        "---\ntitle: Install\n---\nFixed text.\n",
    );
    server.wait_for("the fix", "/guide/install/", |r| {
        r.body.contains("Fixed text.")
    });
    assert!(server.status().contains("\"error\":null"));
}

#[test]
fn deleted_and_renamed_pages_move_and_links_to_them_become_errors() {
    let site = site();
    let server = Server::start(site.path());
    assert_eq!(server.get("/guide/orphan/").status, 200);
    std::fs::remove_file(site.path().join("content/guide/orphan.md")).expect("rm");
    let gone = server.wait_for("the page to go", "/guide/orphan/", |r| r.status == 404);
    assert!(gone.body.contains("weft-live-reload"));

    let guide = site.path().join("content/guide");
    std::fs::rename(guide.join("other.md"), guide.join("moved.md")).expect("mv");
    server.wait_for("the renamed page", "/guide/moved/", |r| r.status == 200);
    assert_eq!(server.get("/guide/other/").status, 404);

    std::fs::remove_file(site.path().join("content/guide/install.md")).expect("rm");
    let status = server.wait_for("the broken link", "/__weft/status", |r| {
        r.body.contains("broken-link")
    });
    assert!(
        status.body.contains("content/guide/_index.md:4"),
        "{}",
        status.body
    );
    assert_eq!(server.get("/guide/install/").status, 200, "last good build");
}

#[test]
fn survives_editor_save_patterns() {
    let site = site();
    let server = Server::start(site.path());
    let root = site.path();
    let page = root.join("content/guide/install.md");
    let backup = root.join("content/guide/install.md~");

    // vim: probe with 4913, keep a swap file, rename the file to a backup, write anew.
    write(root, "content/guide/.install.md.swp", "swap");
    write(root, "content/guide/4913", "");
    std::fs::remove_file(root.join("content/guide/4913")).expect("rm 4913");
    std::fs::rename(&page, &backup).expect("rename to backup");
    write(
        root,
        "content/guide/install.md",
        "---\ntitle: Install\n---\nVim text.\n",
    );
    std::fs::remove_file(&backup).expect("rm backup");
    server.wait_for("vim's save", "/guide/install/", |r| {
        r.body.contains("Vim text.")
    });

    // JetBrains: write a temp file, move the original away, rename the temp file over it.
    let tmp = root.join("content/guide/install.md___jb_tmp___");
    let old = root.join("content/guide/install.md___jb_old___");
    std::fs::write(&tmp, "---\ntitle: Install\n---\nJetBrains text.\n").expect("write");
    std::fs::rename(&page, &old).expect("move away");
    std::fs::rename(&tmp, &page).expect("rename over");
    std::fs::remove_file(&old).expect("rm old");
    server.wait_for("JetBrains' save", "/guide/install/", |r| {
        r.body.contains("JetBrains text.")
    });

    // A burst of saves ends with the last one served.
    for i in 0..10 {
        write(
            root,
            "content/guide/install.md",
            &format!("---\ntitle: Install\n---\nSave {i}.\n"),
        );
    }
    server.wait_for("the last save", "/guide/install/", |r| {
        r.body.contains("Save 9.")
    });
    assert!(
        server.status().contains("\"error\":null"),
        "{}",
        server.status()
    );
    assert_eq!(server.get("/guide/4913").status, 404);
    assert_eq!(server.get("/guide/.install.md.swp").status, 404);
}

/// A connection to `/__weft/events{query}` that yields the data of each event.
struct Events(BufReader<TcpStream>);

impl Events {
    fn open(server: &Server, query: &str) -> Events {
        let mut stream = TcpStream::connect(&server.address).expect("connect");
        write!(
            stream,
            "GET /__weft/events{query} HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("send");
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .expect("timeout");
        Events(BufReader::new(stream))
    }

    fn next(&mut self) -> String {
        let started = Instant::now();
        while started.elapsed() < DEADLINE {
            let mut line = String::new();
            if self.0.read_line(&mut line).is_ok() {
                if let Some(json) = line.trim().strip_prefix("data:") {
                    return json.trim().to_string();
                }
            }
        }
        panic!("no event");
    }
}

#[test]
fn a_stylesheet_change_is_announced_over_server_sent_events() {
    let site = site();
    let server = Server::start(site.path());
    let mut events = Events::open(&server, "");
    assert_eq!(
        events.next(),
        r#"{"generation":1,"error":null,"since":null,"changed":null}"#
    );
    write(site.path(), "static/site.css", "body { color: red; }\n");
    // One write is one rebuild, unless a loaded machine delivers its events in two batches:
    // then the news is of the next generation, with all that changed since the first.
    let event = events.next();
    let generation: u64 =
        serde_json::from_str::<serde_json::Value>(&event).expect("JSON")["generation"]
            .as_u64()
            .expect("a generation");
    assert!((2..=3).contains(&generation), "{event}");
    assert_eq!(
        event,
        format!(r#"{{"generation":{generation},"error":null,"since":1,"changed":["site.css"]}}"#)
    );
    // A second batch may still come; what follows is about the generation served at last.
    std::thread::sleep(Duration::from_millis(300));
    let status: serde_json::Value = serde_json::from_str(&server.status()).expect("JSON");
    let generation = status["generation"].as_u64().expect("a generation");
    assert_eq!(server.get("/site.css").body, "body { color: red; }\n");

    // A page that comes back learns what changed since the build it shows.
    assert_eq!(
        Events::open(&server, "?since=1").next(),
        format!(r#"{{"generation":{generation},"error":null,"since":1,"changed":["site.css"]}}"#)
    );
    assert_eq!(
        Events::open(&server, &format!("?since={generation}")).next(),
        format!(r#"{{"generation":{generation},"error":null,"since":{generation},"changed":[]}}"#)
    );
    assert_eq!(
        Events::open(&server, "?since=7").next(),
        format!(r#"{{"generation":{generation},"error":null,"since":null,"changed":null}}"#)
    );
}

#[test]
fn a_port_in_use_gives_the_next_free_port() {
    let site = site();
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let server = Server::on_port(site.path(), port);
    assert_ne!(server.address, format!("127.0.0.1:{port}"));
    assert!(server.log().contains(&format!("port {port} is in use")));
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn a_site_with_errors_at_start_is_served_once_fixed() {
    let site = site();
    write(
        site.path(),
        "content/guide/install.md",
        "---\ntitle: [\n---\n",
    );
    let server = Server::start(site.path());
    assert_eq!(server.get("/guide/install/").status, 404);
    assert!(server.status().contains("invalid-yaml"));
    write(
        site.path(),
        "content/guide/install.md",
        "---\ntitle: Install\n---\nNow fine.\n",
    );
    server.wait_for("the first good build", "/guide/install/", |r| {
        r.body.contains("Now fine.")
    });
}

/// A folder of notes with no weft.yaml and no content/ is served as it is: a new note, and an
/// edit to a note in a folder with spaces, show up; the `.obsidian/` folder is not watched for
/// pages.
#[test]
fn a_folder_of_notes_is_served_and_followed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    write(root, "Home.md", "# Home\n\nSee [[Daily note]].\n");
    write(root, "Daily notes/Daily note.md", "First version.\n");
    write(root, ".obsidian/app.json", "{}\n");
    let server = Server::start(root);
    assert!(
        server
            .get("/home/")
            .body
            .contains("/daily-notes/daily-note/")
    );
    write(root, "Daily notes/Daily note.md", "Second version.\n");
    server.wait_for("the edit", "/daily-notes/daily-note/", |r| {
        r.body.contains("Second version.")
    });
    write(root, "New idea.md", "Linked from [[Home]].\n");
    server.wait_for("the new note", "/new-idea/", |r| {
        r.body.contains("Linked from")
    });
    write(
        root,
        ".obsidian/workspace.json",
        "{\"active\": \"Home.md\"}\n",
    );
    assert_eq!(server.get("/obsidian/workspace/").status, 404);
}
