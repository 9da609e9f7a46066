//! The HTTP side of `weft serve`: the site's files from the latest good build, with the
//! live-reload script injected into every HTML page, and the endpoints that script uses.

use std::convert::Infallible;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::{Stream, StreamExt, stream};
use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};
use tokio::sync::broadcast;

use super::{Preview, Shared, notice};
use crate::output::Content;

/// The script that talks to the server, injected into every HTML page served.
const LIVERELOAD_JS: &str = include_str!("livereload.js");

/// The routes: weft's own under `/__weft/`, everything else from the site.
pub(super) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/__weft/events", get(events))
        .route("/__weft/status", get(status))
        .fallback(site_file)
        .with_state(shared)
}

/// The state of the preview as JSON, as in the first event of `/__weft/events`; for tools
/// and tests.
async fn status(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let body = notice(&shared.preview.load(), None);
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
}

/// Server-Sent Events: the current state, with what changed since the page's generation
/// (`?since=N`), then a notice after each build.
async fn events(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let since = uri
        .query()
        .and_then(|q| q.split('&').find_map(|pair| pair.strip_prefix("since=")))
        .and_then(|n| n.parse().ok());
    let receiver = shared.notices.subscribe();
    let now = notice(&shared.preview.load(), since);
    let later = stream::unfold((receiver, shared), |(mut receiver, shared)| async move {
        let message = match receiver.recv().await {
            Ok(message) => message,
            Err(broadcast::error::RecvError::Lagged(_)) => notice(&shared.preview.load(), None),
            Err(broadcast::error::RecvError::Closed) => return None,
        };
        Some((message, (receiver, shared)))
    });
    let all = stream::iter([now]).chain(later);
    Sse::new(all.map(|message| Ok(Event::default().data(message)))).keep_alive(KeepAlive::default())
}

/// Serves a file of the latest good build; a folder URL serves its `index.html`.
async fn site_file(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let mut preview = shared.preview.load_full();
    let Some(path) = request_path(uri.path()) else {
        return not_found(&shared, &preview).await;
    };
    // A file still being made for this build is served once it is.
    let pending = preview.pending.as_ref().filter(|p| p.paths.contains(&path));
    if let Some(mut done) = pending.map(|p| p.done.subscribe()) {
        let _ = done.wait_for(|done| *done).await;
        preview = shared.preview.load_full();
    }
    if let Some(content) = preview.files.get(&path) {
        let if_none_match = headers.get(header::IF_NONE_MATCH);
        if let Some(response) = respond(&shared, &preview, &path, content, if_none_match).await {
            return response;
        }
    } else if preview.files.contains_key(&format!("{path}/index.html")) {
        // `/guide` → `/guide/`, so that the page's relative links work; temporary, because
        // the preview changes.
        let mut location = folder_url(&path);
        if let Some(query) = uri.query() {
            location = format!("{location}?{query}");
        }
        return (
            StatusCode::TEMPORARY_REDIRECT,
            [(header::LOCATION, location)],
        )
            .into_response();
    }
    not_found(&shared, &preview).await
}

/// The URL of a folder, from its output path: `a b/c` → `/a%20b/c/`.
fn folder_url(path: &str) -> String {
    let mut url: String = path
        .split('/')
        .map(|segment| format!("/{}", utf8_percent_encode(segment, SEGMENT)))
        .collect();
    url.push('/');
    url
}

/// Characters escaped in a path segment of a redirect.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\');

/// The site's `404.html` with status 404, or a bare page when the site has none yet.
async fn not_found(shared: &Shared, preview: &Preview) -> Response {
    if let Some(content) = preview.files.get("404.html") {
        let found = respond(shared, preview, "404.html", content, None).await;
        if let Some(mut response) = found {
            *response.status_mut() = StatusCode::NOT_FOUND;
            return response;
        }
    }
    let page = b"<!DOCTYPE html>\n<title>Not found</title>\n<body><h1>Not found</h1></body>\n";
    let mut response = html_response(preview, "404.html", page);
    *response.status_mut() = StatusCode::NOT_FOUND;
    response
}

/// The response for one output file; `None` when a copied file cannot be read (any more),
/// or is a symbolic link that now leads out of the site. Pages get the live-reload script
/// and are never cached; other files are revalidated by their hash (`ETag`).
async fn respond(
    shared: &Shared,
    preview: &Preview,
    path: &str,
    content: &Content,
    if_none_match: Option<&HeaderValue>,
) -> Option<Response> {
    let html = path.ends_with(".html");
    let (body, tag): (Body, String) = match content {
        Content::Bytes(bytes) if html => return Some(html_response(preview, path, bytes)),
        Content::Bytes(bytes) => (bytes.clone().into(), etag(bytes)),
        Content::Static(bytes) => ((*bytes).into(), etag(bytes)),
        Content::Copy(from) => {
            let real = tokio::fs::canonicalize(from).await.ok()?;
            if !real.starts_with(&shared.root) {
                return None;
            }
            let bytes = tokio::fs::read(real).await.ok()?;
            if html {
                return Some(html_response(preview, path, &bytes));
            }
            let tag = etag(&bytes);
            (bytes.into(), tag)
        }
    };
    let unchanged = if_none_match.is_some_and(|value| value.as_bytes() == tag.as_bytes());
    let mut response = match unchanged {
        true => with_headers(Body::empty(), StatusCode::NOT_MODIFIED, content_type(path)),
        false => with_headers(body, StatusCode::OK, content_type(path)),
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(value) = HeaderValue::from_str(&tag) {
        headers.insert(header::ETAG, value);
    }
    Some(response)
}

/// A page with the live-reload script (inline, so that a reload fetches nothing more).
fn html_response(preview: &Preview, path: &str, html: &[u8]) -> Response {
    let script = format!(
        "<script id=\"weft-live-reload\" data-file=\"{}\" data-generation=\"{}\">\n{LIVERELOAD_JS}</script>\n",
        escape_attribute(path),
        preview.generation
    );
    let body = inject(html, &script);
    with_headers(
        body.into(),
        StatusCode::OK,
        "text/html; charset=utf-8".into(),
    )
}

fn with_headers(body: Body, status: StatusCode, content_type: String) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A strong validator for a file's bytes.
fn etag(bytes: &[u8]) -> String {
    let mut hasher = DefaultHasher::new();
    bytes.hash(&mut hasher);
    format!("\"{:016x}\"", hasher.finish())
}

fn content_type(path: &str) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let text = mime.type_() == mime_guess::mime::TEXT
        || matches!(
            mime.subtype().as_str(),
            "javascript" | "json" | "xml" | "svg"
        );
    if text {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    }
}

/// The output file a request path names, or `None` when it tries to leave the site or is
/// not a plain path: `..` or `.` segments (also percent-encoded), encoded slashes,
/// backslashes, NUL, invalid UTF-8. A path ending in `/` names the folder's `index.html`.
pub fn request_path(raw: &str) -> Option<String> {
    let rest = raw.strip_prefix('/')?;
    if rest.contains('\\') {
        return None;
    }
    let mut segments = Vec::new();
    for segment in rest.split('/') {
        let decoded = percent_decode_str(segment).decode_utf8().ok()?;
        if matches!(decoded.as_ref(), "." | "..") || decoded.contains(['/', '\\', '\0']) {
            return None;
        }
        if !decoded.is_empty() {
            segments.push(decoded.into_owned());
        }
    }
    if rest.is_empty() || rest.ends_with('/') {
        segments.push("index.html".into());
    }
    Some(segments.join("/"))
}

/// `html` with `tag` inserted before its last `</body>`, or appended when it has none.
fn inject(html: &[u8], tag: &str) -> Vec<u8> {
    const END: &[u8] = b"</body>";
    let at = html
        .windows(END.len())
        .rposition(|w| w.eq_ignore_ascii_case(END))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn escape_attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_request_paths_to_output_files() {
        assert_eq!(request_path("/").as_deref(), Some("index.html"));
        assert_eq!(
            request_path("/eu/ran/").as_deref(),
            Some("eu/ran/index.html")
        );
        assert_eq!(request_path("/eu/ran").as_deref(), Some("eu/ran"));
        assert_eq!(request_path("/weft.css").as_deref(), Some("weft.css"));
        assert_eq!(request_path("/a%20b/").as_deref(), Some("a b/index.html"));
        assert_eq!(request_path("//eu//x.css").as_deref(), Some("eu/x.css"));
        assert_eq!(
            request_path("/caf%C3%A9/").as_deref(),
            Some("café/index.html")
        );
    }

    #[test]
    fn refuses_paths_that_leave_the_site() {
        for raw in [
            "/../etc/passwd",
            "/eu/../../etc/passwd",
            "/..",
            "/./index.html",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2e%2e/etc/passwd",
            "/.%2e/etc/passwd",
            "/eu%2f..%2f..%2fetc/passwd",
            "/eu%2F..%2Fx",
            "/..\\etc\\passwd",
            "/eu%5c..%5cx",
            "/a%00b",
            "/%ff",
            "etc/passwd",
            "",
        ] {
            assert_eq!(request_path(raw), None, "{raw}");
        }
    }

    #[test]
    fn builds_folder_urls() {
        assert_eq!(folder_url("guide"), "/guide/");
        assert_eq!(folder_url("a b/c?d"), "/a%20b/c%3Fd/");
    }

    #[test]
    fn injects_before_the_last_body_end() {
        assert_eq!(
            inject(b"<p>x</p></BODY></html>", "<s>"),
            b"<p>x</p><s></BODY></html>"
        );
        assert_eq!(inject(b"<p>x", "<s>"), b"<p>x<s>");
        assert_eq!(
            inject(b"<pre></body></pre></body>", "<s>"),
            b"<pre></body></pre><s></body>"
        );
    }

    #[test]
    fn guesses_content_types() {
        assert_eq!(content_type("weft.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("weft.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("logo.png"), "image/png");
        assert_eq!(
            content_type("graph.json"),
            "application/json; charset=utf-8"
        );
    }
}
