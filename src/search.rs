//! Site search that needs no server: a [Pagefind](https://pagefind.app) index of the rendered
//! pages, built in memory during the build and added to the site's files under `pagefind/`,
//! so a failed build writes none of it and any static host can serve it.
//!
//! The index holds URLs from the site root (`/eu/ran-coe/`); `pagefind.js` prefixes the path
//! it was loaded from, so one index works under any `base_url` sub-path.
//!
//! Pagefind's library indexes the pages given to one index one at a time, so a large site is
//! split into shards (one per 1,250 pages, at most 8), indexed in parallel: the first is the
//! bundle itself (`pagefind/`), each other one a bundle of its own (`pagefind/shard-N/`), and
//! `pagefind/shards.json` lists them for the theme's search script, which merges them into
//! one search with Pagefind's `mergeIndex`. Pages are dealt to the shards in turn, so that
//! every shard holds a like mix of the site and scores results alike.

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use rayon::prelude::*;

use crate::diag::{Code, Diagnostic};
use crate::output::{Content, Files};

/// The folder of the output that holds the index and Pagefind's scripts.
pub const BUNDLE_DIR: &str = "pagefind";

/// Parts of a page that are not worth finding: heading anchors (`#`) and the table of contents.
const EXCLUDE: &[&str] = &["a.anchor", "nav", ".toc-inline"];

/// At most this many fragment files (one per page below it, pages grouped above it), so a
/// large site does not write, and deploy, one more file per page. Shared by the shards.
const MAX_FRAGMENT_FILES: u32 = 1000;

/// Pages per shard: a site of up to this many pages has one index. Small shards share two
/// cores better and hold less memory at once: a 10,000-page build with search took 3.8 s
/// with 8 shards against 6.1 s with 2 (on a RAM disk), at half the peak memory.
const SHARD_PAGES: usize = 1250;

/// At most this many shards, so that a search never fetches from more bundles than this.
const MAX_SHARDS: usize = 8;

/// The list of the shards after the first, in the bundle folder.
const SHARDS_FILE: &str = "shards.json";

/// How many indexes a site of `pages` pages is split into. It depends on the site alone,
/// never on the machine, so that builds stay byte-identical.
fn shard_count(pages: usize, shard_pages: usize) -> usize {
    pages.div_ceil(shard_pages.max(1)).clamp(1, MAX_SHARDS)
}

/// What the index needs of one page: its URL from the site root and the part of its HTML
/// worth finding. Made while the pages are rendered, in parallel, so the pages themselves need
/// not be kept for the index.
pub fn entry(path: &str, html: &str, language: &str) -> (String, String) {
    (page_url(path), searchable_part(html, language))
}

/// Indexes the pages' [`entry`]s and adds the index files to `files`.
///
/// Give it the rendered pages and sections only (not aliases, taxonomy pages or `404.html`),
/// so that search finds content, not lists and redirects.
pub fn add_index(
    files: &mut Files,
    pages: Vec<(String, String)>,
    language: Option<&str>,
    problems: &mut Vec<Diagnostic>,
) {
    add_sharded_index(files, pages, language, SHARD_PAGES, problems);
}

fn add_sharded_index(
    files: &mut Files,
    pages: Vec<(String, String)>,
    language: Option<&str>,
    shard_pages: usize,
    problems: &mut Vec<Diagnostic>,
) {
    let count = shard_count(pages.len(), shard_pages);
    let mut shards: Vec<Vec<(String, String)>> = vec![Vec::new(); count];
    for (i, page) in pages.into_iter().enumerate() {
        shards[i % count].push(page);
    }
    let fragments = MAX_FRAGMENT_FILES / count as u32;
    let built: Vec<anyhow::Result<Bundle>> = shards
        .into_par_iter()
        .map(|shard| build_index(shard, language, fragments))
        .collect();
    let mut names = Vec::new();
    for (n, index) in built.into_iter().enumerate() {
        let index = match index {
            Ok(index) => index,
            Err(err) => {
                problems.push(
                    Diagnostic::error(
                        Code::SearchIndex,
                        format!("cannot build the search index: {err:#}"),
                    )
                    .help("set `search: false` in weft.yaml to build the site without search"),
                );
                return;
            }
        };
        let folder = match n {
            0 => BUNDLE_DIR.to_string(),
            n => {
                names.push(format!("shard-{n}/"));
                format!("{BUNDLE_DIR}/shard-{n}")
            }
        };
        for (path, bytes) in index {
            // The other shards are read by the first one's scripts and WebAssembly.
            if n > 0 && !is_index_data(&path) {
                continue;
            }
            files.insert(format!("{folder}/{path}"), Content::Bytes(bytes));
        }
    }
    let list = serde_json::to_vec(&names).unwrap_or_else(|_| b"[]".to_vec());
    files.insert(format!("{BUNDLE_DIR}/{SHARDS_FILE}"), Content::Bytes(list));
}

/// The files of one Pagefind bundle, by path inside it.
type Bundle = Vec<(String, Vec<u8>)>;

/// Whether a file of a Pagefind bundle is index data (entry, metadata, index chunks and
/// fragments) rather than a script or WebAssembly, which only the first shard needs.
fn is_index_data(path: &str) -> bool {
    path == "pagefind-entry.json"
        || path.ends_with(".pf_meta")
        || path.starts_with("index/")
        || path.starts_with("fragment/")
        || path.starts_with("filter/")
}

/// The attribute that marks what a page's search entry holds (the theme puts it on `<article>`).
const BODY_MARK: &str = "data-pagefind-body";

/// The parts of a page marked [`BODY_MARK`], as a small page of their own, so Pagefind parses
/// a fraction of each page; the whole page when nothing is marked.
fn searchable_part(html: &str, language: &str) -> String {
    let mut parts = String::new();
    let mut from = 0;
    while let Some((start, end)) = marked_element(html, from) {
        parts.push_str(&html[start..end]);
        from = end;
    }
    if parts.is_empty() {
        return html.to_string();
    }
    let mut lang = String::new();
    let _ = pulldown_cmark_escape::escape_html(&mut lang, language);
    format!("<!DOCTYPE html><html lang=\"{lang}\"><body>{parts}</body></html>")
}

/// The byte range of the next element at or after `from` whose start tag carries [`BODY_MARK`].
fn marked_element(html: &str, from: usize) -> Option<(usize, usize)> {
    let mut search = from;
    let (start, name, open_end) = loop {
        let mark = search + html.get(search..)?.find(BODY_MARK)?;
        search = mark + BODY_MARK.len();
        let start = html[..mark].rfind('<')?;
        if start < from || html[start..mark].contains('>') {
            continue; // text that mentions the attribute, not a tag carrying it
        }
        let name: String = html[start + 1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        if name.is_empty() {
            continue;
        }
        break (
            start,
            name.to_ascii_lowercase(),
            mark + html[mark..].find('>')? + 1,
        );
    };
    let (open, close) = (format!("<{name}"), format!("</{name}>"));
    let lower = html[open_end..].to_ascii_lowercase();
    let mut depth = 1usize;
    let mut at = 0;
    while depth > 0 {
        let next_close = lower[at..].find(&close)? + at;
        let nested_open = lower[at..next_close].match_indices(&open).find(|(i, _)| {
            let after = lower.as_bytes().get(at + i + open.len()).copied();
            matches!(after, Some(b' ' | b'>' | b'\t' | b'\n' | b'\r' | b'/'))
        });
        match nested_open {
            Some((i, _)) => {
                depth += 1;
                at += i + open.len();
            }
            None => {
                depth -= 1;
                at = next_close + close.len();
            }
        }
    }
    Some((start, open_end + at))
}

/// The URL of an output file from the site root: `eu/ran/index.html` → `/eu/ran/`.
fn page_url(path: &str) -> String {
    format!("/{}", path.strip_suffix("index.html").unwrap_or(path))
}

/// Runs Pagefind on `(url, html)` pages; returns the index files, by path inside the bundle.
fn build_index(
    pages: Vec<(String, String)>,
    language: Option<&str>,
    max_fragments: u32,
) -> anyhow::Result<Bundle> {
    let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    runtime.block_on(async {
        let exclude = || EXCLUDE.iter().map(|s| s.to_string()).collect();
        let options = match language {
            Some(language) => PagefindServiceConfig::builder()
                .force_language(language.to_string())
                .exclude_selectors(exclude())
                .max_fragments(max_fragments)
                .build(),
            None => PagefindServiceConfig::builder()
                .exclude_selectors(exclude())
                .max_fragments(max_fragments)
                .build(),
        };
        let mut index = PagefindIndex::new(Some(options))?;
        for (url, html) in pages {
            index.add_html_file(None, Some(url), html).await?;
        }
        let files = index.get_files().await?;
        Ok(files
            .into_iter()
            .filter(|file| !is_unused_ui(&file.filename))
            .map(|file| {
                let path = crate::source::display_path(&file.filename);
                (path, file.contents)
            })
            .collect())
    })
}

/// Pagefind's ready-made search interfaces: the theme's `search.js` uses `pagefind.js` itself.
fn is_unused_ui(path: &std::path::Path) -> bool {
    let name = path.to_string_lossy();
    name.starts_with("pagefind-ui.")
        || name.starts_with("pagefind-modular-ui.")
        || name.starts_with("pagefind-component-ui.")
        || name.starts_with("pagefind-highlight.")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(title: &str, body: &str) -> String {
        format!(
            "<!DOCTYPE html><html lang=\"en\"><head><title>{title}</title></head><body>\
             <nav>Menu everywhere</nav><article data-pagefind-body><h1>{title}</h1>{body}</article></body></html>"
        )
    }

    #[test]
    fn urls_are_from_the_site_root() {
        assert_eq!(page_url("index.html"), "/");
        assert_eq!(page_url("eu/ran/index.html"), "/eu/ran/");
    }

    #[test]
    fn only_the_marked_element_is_kept() {
        let page = "<html><body><nav>Menu</nav><article class=\"x\" data-pagefind-body><h1>T</h1>\
                    <article>inner</article><p>data-pagefind-body in text</p></article><footer>F</footer></body></html>";
        let part = searchable_part(page, "en");
        assert_eq!(
            part,
            "<!DOCTYPE html><html lang=\"en\"><body><article class=\"x\" data-pagefind-body><h1>T</h1>\
             <article>inner</article><p>data-pagefind-body in text</p></article></body></html>"
        );
        let plain = "<html><body><p>No mark</p></body></html>";
        assert_eq!(searchable_part(plain, "en"), plain);
        let unclosed = "<html><body><main data-pagefind-body><p>x</p></body></html>";
        assert_eq!(searchable_part(unclosed, "en"), unclosed);
    }

    #[test]
    fn indexes_pages_into_the_bundle_folder_deterministically() {
        let pages = vec![
            entry(
                "index.html",
                &html("Home", "<p>Welcome to the network.</p>"),
                "en",
            ),
            entry(
                "eu/ran/index.html",
                &html("RAN", "<p>Practitioners prevent radicalisation.</p>"),
                "en",
            ),
        ];
        let mut files = Files::new();
        files.insert("weft.css".into(), Content::Static(b"body{}"));
        let mut again = files.clone();
        let mut problems = Vec::new();
        add_index(&mut files, pages.clone(), Some("en"), &mut problems);
        add_index(&mut again, pages, Some("en"), &mut problems);
        assert!(problems.is_empty());
        for needed in ["pagefind/pagefind.js", "pagefind/pagefind-entry.json"] {
            assert!(files.contains_key(needed), "{needed} missing");
        }
        assert!(files.keys().any(|p| p.ends_with(".pf_fragment")));
        let bytes = |f: &Files| -> Vec<(String, Vec<u8>)> {
            f.iter()
                .map(|(p, c)| match c {
                    Content::Bytes(b) => (p.clone(), b.clone()),
                    _ => (p.clone(), Vec::new()),
                })
                .collect()
        };
        assert_eq!(bytes(&files), bytes(&again));
    }

    #[test]
    fn a_large_site_is_split_into_shards_that_the_first_lists() {
        assert_eq!(shard_count(1, SHARD_PAGES), 1);
        assert_eq!(shard_count(SHARD_PAGES, SHARD_PAGES), 1);
        assert_eq!(shard_count(SHARD_PAGES + 1, SHARD_PAGES), 2);
        assert_eq!(shard_count(100 * SHARD_PAGES, SHARD_PAGES), MAX_SHARDS);

        let pages: Vec<(String, String)> = ["a", "b", "c", "d", "e"]
            .iter()
            .map(|name| {
                let path = format!("{name}/index.html");
                entry(
                    &path,
                    &html(name, "<p>Cooperation against terrorism.</p>"),
                    "en",
                )
            })
            .collect();
        let build = || {
            let mut files = Files::new();
            let mut problems = Vec::new();
            add_sharded_index(&mut files, pages.clone(), Some("en"), 2, &mut problems);
            assert!(problems.is_empty());
            files
        };
        let files = build();
        let list = match &files["pagefind/shards.json"] {
            Content::Bytes(bytes) => String::from_utf8(bytes.clone()).unwrap(),
            _ => panic!("shards.json is not made"),
        };
        assert_eq!(list, r#"["shard-1/","shard-2/"]"#);
        for shard in ["pagefind", "pagefind/shard-1", "pagefind/shard-2"] {
            assert!(
                files.contains_key(&format!("{shard}/pagefind-entry.json")),
                "{shard}"
            );
            assert!(
                files
                    .keys()
                    .any(|p| p.starts_with(&format!("{shard}/index/"))),
                "{shard}"
            );
        }
        // Scripts and WebAssembly only in the first.
        assert!(files.contains_key("pagefind/pagefind.js"));
        assert!(!files.keys().any(
            |p| p.starts_with("pagefind/shard-") && (p.ends_with(".js") || p.contains("wasm"))
        ));
        let same = |a: &Files, b: &Files| {
            a.len() == b.len()
                && a.iter().zip(b).all(|((pa, ca), (pb, cb))| {
                    pa == pb && matches!((ca, cb), (Content::Bytes(x), Content::Bytes(y)) if x == y)
                })
        };
        assert!(same(&files, &build()), "two builds differ");
    }
}
