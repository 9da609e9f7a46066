//! A static file server for the publish tests: serves a folder on 127.0.0.1 at a port the OS
//! chose, like `python3 -m http.server`, with std only. A folder URL gets its `index.html`
//! (a folder without its slash is redirected to it), a missing file a 404.

use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// A static file server in a thread; each connection gets a thread of its own. Stopped on drop.
pub struct StaticServer {
    port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl StaticServer {
    /// Serves `dir`; a site built into `dir/docs` is then at `http://127.0.0.1:PORT/docs/`.
    pub fn start(dir: &Path) -> StaticServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local address").port();
        let stop = Arc::new(AtomicBool::new(false));
        let root = dir.to_path_buf();
        let stopped = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let root = root.clone();
                std::thread::spawn(move || answer(stream, &root));
            }
        });
        StaticServer {
            port,
            stop,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`, without a slash at the end.
    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Where a site built into `dir/docs` is served.
    pub fn base_url(&self) -> String {
        format!("{}/docs/", self.origin())
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop, which then sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Reads one request from `stream` and answers it; the connection is then closed.
fn answer(mut stream: TcpStream, root: &Path) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Some((method, target)) = read_request(&stream) else {
        return;
    };
    let reply = match method.as_str() {
        "GET" | "HEAD" => locate(root, &target),
        _ => Reply::status(405, "Method Not Allowed"),
    };
    let _ = reply.write(&mut stream, method == "HEAD");
    let _ = stream.shutdown(Shutdown::Both);
}

/// The method and target of the request line; the header lines are read and dropped.
fn read_request(stream: &TcpStream) -> Option<(String, String)> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => return None,
            Ok(_) if header.trim_end().is_empty() => return Some((method, target)),
            Ok(_) => {}
        }
    }
}

/// An answer: status, headers and body.
struct Reply {
    code: u16,
    reason: &'static str,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn status(code: u16, reason: &'static str) -> Reply {
        Reply {
            code,
            reason,
            headers: vec![("Content-Type", "text/plain; charset=utf-8".into())],
            body: format!("{code} {reason}\n").into_bytes(),
        }
    }

    fn write(&self, stream: &mut TcpStream, head_only: bool) -> std::io::Result<()> {
        let mut out = format!("HTTP/1.1 {} {}\r\n", self.code, self.reason);
        for (name, value) in &self.headers {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        out.push_str(&format!(
            "Content-Length: {}\r\nConnection: close\r\n\r\n",
            self.body.len()
        ));
        stream.write_all(out.as_bytes())?;
        if !head_only {
            stream.write_all(&self.body)?;
        }
        stream.flush()
    }
}

/// The answer for a request target: a file, a folder's `index.html`, a redirect or an error.
fn locate(root: &Path, target: &str) -> Reply {
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (target, None),
    };
    let Some(file) = file_for(root, path) else {
        return Reply::status(400, "Bad Request");
    };
    if file.is_dir() && !path.ends_with('/') {
        // Like every static host: `/docs/eu` is `/docs/eu/`, so relative links resolve.
        let mut location = format!("{path}/");
        if let Some(query) = query {
            location = format!("{location}?{query}");
        }
        let mut reply = Reply::status(301, "Moved Permanently");
        reply.headers.push(("Location", location));
        return reply;
    }
    let file = if file.is_dir() {
        file.join("index.html")
    } else {
        file
    };
    match std::fs::read(&file) {
        Ok(body) => Reply {
            code: 200,
            reason: "OK",
            headers: vec![("Content-Type", content_type(&file))],
            body,
        },
        Err(_) => Reply::status(404, "Not Found"),
    }
}

/// The file a URL path names under `root`; `None` for a path that is not UTF-8 once
/// decoded or that climbs out of `root`.
fn file_for(root: &Path, path: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let mut file = root.to_path_buf();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            s if s.contains('\\') || s.contains('\0') => return None,
            s => file.push(s),
        }
    }
    Some(file)
}

/// The Content-Type of `file` by its extension; text types say they are UTF-8.
fn content_type(file: &Path) -> String {
    let mime = mime_guess::from_path(file).first_or_octet_stream();
    let textual = mime.type_() == "text"
        || matches!(
            mime.essence_str(),
            "application/javascript" | "application/json" | "application/xml" | "image/svg+xml"
        )
        || mime.suffix().is_some_and(|s| s == "xml" || s == "json");
    if textual {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}
