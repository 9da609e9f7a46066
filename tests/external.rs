//! `weft check --external` against a local HTTP server that answers 200, 404, redirects, and
//! not at all: which links are reported where, the per-host limit, and the cache.

mod common;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{Site, snapshot_tree, stderr};

/// What the test server saw: requests per path.
#[derive(Default)]
struct Seen {
    requests: BTreeMap<String, usize>,
}

/// An HTTP server on 127.0.0.1 in a thread; each connection gets a thread of its own.
fn start_server() -> (String, Arc<Mutex<Seen>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let origin = format!("http://{}", listener.local_addr().expect("address"));
    let seen = Arc::new(Mutex::new(Seen::default()));
    let shared = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let seen = Arc::clone(&shared);
            std::thread::spawn(move || answer(stream, &seen));
        }
    });
    (origin, seen)
}

fn answer(mut stream: TcpStream, seen: &Mutex<Seen>) {
    let mut request = Vec::new();
    let mut buf = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&request);
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
    {
        let mut seen = seen.lock().expect("lock");
        *seen.requests.entry(path.clone()).or_default() += 1;
    }
    let reply = match path.as_str() {
        "/ok" | "/ok-too" => "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok".to_string(),
        "/moved" => {
            "HTTP/1.1 301 Moved Permanently\r\nLocation: /ok\r\nConnection: close\r\nContent-Length: 0\r\n\r\n".into()
        }
        "/moved-away" => {
            "HTTP/1.1 302 Found\r\nLocation: /gone\r\nConnection: close\r\nContent-Length: 0\r\n\r\n".into()
        }
        "/private" => "HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n".into(),
        p if p.starts_with("/slow") => {
            // Never answers: holds the connection until the client gives up (or 5 s pass).
            let _ = stream.set_read_timeout(Some(Duration::from_millis(50)));
            let started = std::time::Instant::now();
            while started.elapsed() < Duration::from_secs(5) {
                if matches!(stream.read(&mut buf), Ok(0)) {
                    break;
                }
            }
            String::new()
        }
        _ => "HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n".into(),
    };
    let _ = stream.write_all(reply.as_bytes());
}

fn site_linking_to(origin: &str) -> Site {
    let links = format!(
        "---\ntitle: Links\n---\n\nGood: [ok]({origin}/ok#part), <{origin}/ok-too>, [moved]({origin}/moved).\n\
         Broken: [gone]({origin}/gone).\n\
         Redirected to a broken page: [away]({origin}/moved-away).\n\
         Slow: [one]({origin}/slow-1), [two]({origin}/slow-2), [three]({origin}/slow-3).\n\
         Closed to robots: [private]({origin}/private).\n\
         Not checked: [mail](mailto:someone@example.org), [home](_index.md).\n"
    );
    Site::new(&[
        (
            "content/_index.md",
            "---\ntitle: Home\n---\n\nSee [[links]]; the [same page]({origin}/gone) again.\n"
                .replace("{origin}", origin)
                .as_str(),
        ),
        ("content/links.md", &links),
    ])
}

fn redact(text: &str, origin: &str) -> String {
    text.replace(origin, "http://[HOST]")
}

#[test]
fn broken_external_links_are_reported_where_they_are_written_and_good_ones_cached() {
    let (origin, seen) = start_server();
    let site = site_linking_to(&origin);
    let started = std::time::Instant::now();
    let first = site.weft(&["check", "--external", "--timeout", "1"]);
    let took = started.elapsed();
    let text = redact(&stderr(&first, site.root()), &origin);
    assert_eq!(first.status.code(), Some(1), "{text}");
    insta::assert_snapshot!("external_first_run", text);
    assert!(!site.public().exists(), "check wrote the site");
    {
        let seen = seen.lock().expect("lock");
        // Each URL is asked once, however often it is written; the fragment is not sent.
        assert_eq!(seen.requests.get("/gone"), Some(&2), "{:?}", seen.requests); // + the redirect
        assert_eq!(seen.requests.get("/ok"), Some(&2), "{:?}", seen.requests); // + the redirect
    }
    // At most two requests at once to one host: the three links that never answer wait
    // their second(s) in two rounds, not one.
    assert!(
        took >= Duration::from_millis(1900),
        "{took:?}: no limit per host"
    );

    let cache = std::fs::read_to_string(site.root().join(".weft-cache/external.json"))
        .expect("the cache file");
    for good in ["/ok\"", "/ok-too\"", "/moved\""] {
        assert!(cache.contains(good), "{good} not cached:\n{cache}");
    }
    for broken in ["/gone\"", "/slow-1\"", "/private\""] {
        assert!(!cache.contains(broken), "{broken} cached:\n{cache}");
    }

    // The second run asks again only for what was not good.
    seen.lock().expect("lock").requests.clear();
    let before = snapshot_tree(&site.root().join(".weft-cache"));
    let second = site.weft(&["check", "--external", "--timeout", "1"]);
    let text = redact(&stderr(&second, site.root()), &origin);
    assert_eq!(second.status.code(), Some(1), "{text}");
    let requests = seen.lock().expect("lock").requests.clone();
    for cached in ["/ok", "/ok-too", "/moved"] {
        assert!(
            !requests.contains_key(cached),
            "{cached} asked again: {requests:?}"
        );
    }
    for asked in ["/gone", "/moved-away", "/slow-1", "/private"] {
        assert!(
            requests.contains_key(asked),
            "{asked} not asked again: {requests:?}"
        );
    }
    assert!(
        text.ends_with("9 external links (3 known good from .weft-cache/external.json)"),
        "{text}"
    );
    let after = snapshot_tree(&site.root().join(".weft-cache"));
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
}

#[test]
fn a_site_whose_external_links_work_passes() {
    let (origin, _) = start_server();
    let site = Site::new(&[(
        "content/_index.md",
        &format!("---\ntitle: Home\n---\n\n[ok]({origin}/ok) and [moved]({origin}/moved).\n"),
    )]);
    let output = site.weft(&["check", "--external", "--timeout", "2"]);
    let text = redact(&stderr(&output, site.root()), &origin);
    assert!(output.status.success(), "{text}");
    assert_eq!(
        text.trim(),
        "checked 0 pages and 1 section, 2 external links (0 known good from .weft-cache/external.json): no errors"
    );
}

#[test]
fn timeout_needs_external() {
    let site = Site::new(&[("content/_index.md", "---\ntitle: Home\n---\n")]);
    let output = site.weft(&["check", "--timeout", "1"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn a_site_with_errors_still_has_its_external_links_checked() {
    let (origin, _) = start_server();
    let site = Site::new(&[(
        "content/_index.md",
        &format!("---\ntitle: Home\n---\n\n[gone]({origin}/gone) and [nowhere](nowhere.md).\n"),
    )]);
    let output = site.weft(&["check", "--external", "--timeout", "2"]);
    let text = redact(&stderr(&output, site.root()), &origin);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("error[broken-link]"), "{text}");
    assert!(text.contains("error[broken-external-link]"), "{text}");
    assert!(text.contains("checked 1 external links"), "{text}");
}
