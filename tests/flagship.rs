//! The flagship knowledge base in `content/`: it builds without a diagnostic, names every
//! body of the source, and keeps the link-graph properties readers rely on.

mod common;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;

use serde_json::Value;

struct Built {
    _dir: tempfile::TempDir,
    out: std::path::PathBuf,
    stderr: String,
}

fn build_flagship() -> Built {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("public");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = common::weft_in(root, &["build", "--output", &out.display().to_string()]);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    Built {
        _dir: dir,
        out,
        stderr,
    }
}

fn read(out: &Path, url: &str) -> String {
    let path = out.join(url.trim_start_matches('/')).join("index.html");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

struct Graph {
    nodes: Vec<(String, String)>,
    edges: Vec<(String, String, String)>,
}

/// The flagship's languages, by the folder of their pages: English at the root, Dutch in nl/.
const LANGUAGES: [&str; 2] = ["", "nl/"];

/// The link graph of one language's pages (`prefix` is its folder, `""` or `nl/`).
fn graph(out: &Path, prefix: &str) -> Graph {
    let path = out.join(prefix).join("graph.json");
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("graph.json"))
        .expect("valid JSON");
    let text = |v: &Value, k: &str| v[k].as_str().expect("string").to_string();
    Graph {
        nodes: json["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .map(|n| (text(n, "url"), text(n, "section")))
            .collect(),
        edges: json["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .map(|e| (text(e, "from"), text(e, "to"), text(e, "kind")))
            .collect(),
    }
}

#[test]
fn builds_with_zero_diagnostics() {
    let built = build_flagship();
    let lines: Vec<&str> = built.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "only the summary line:\n{}", built.stderr);
    assert!(lines[0].starts_with("built "));
}

#[test]
fn every_initiative_and_body_has_its_own_page() {
    let built = build_flagship();
    for url in [
        "/overview/",
        "/european-union/",
        "/european-union/eu-presidency-2016/",
        "/european-union/comprehensive-local-approach/",
        "/european-union/ran-coe/",
        "/european-union/eu-internet-referral-unit/",
        "/european-union/sscat/",
        "/european-union/directive-2017-541/",
        "/timeline/",
        "/gctf/",
        "/gctf/gctf-ftf-working-group/",
        "/anti-isis-coalition/",
        "/anti-isis-coalition/coalition-ftf-working-group/",
        "/anti-isis-coalition/counter-isis-finance-group/",
        "/anti-isis-coalition/inclusive-narrative-group/",
        "/organisations/fatf/",
        "/organisations/united-nations/",
        "/partner-profiles/morocco/",
        "/partner-profiles/turkey/",
        "/partner-profiles/europol/",
    ] {
        read(&built.out, url);
    }
}

#[test]
fn every_page_links_out_twice_is_linked_to_and_is_two_clicks_from_home() {
    let built = build_flagship();
    for prefix in LANGUAGES {
        links_out_twice_in(&graph(&built.out, prefix), &format!("/{prefix}"));
    }
}

/// The link graph `g` of one language, whose home page is at `home`, has every page with two
/// links out, one in, and within two clicks of home.
fn links_out_twice_in(g: &Graph, home: &str) {
    let mut outgoing: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut incoming: BTreeMap<&str, usize> = BTreeMap::new();
    for (from, to, kind) in &g.edges {
        if kind == "link" {
            outgoing.entry(from).or_default().insert(to);
        }
        *incoming.entry(to).or_default() += 1;
    }
    for (url, _) in &g.nodes {
        let out = outgoing.get(url.as_str()).map_or(0, BTreeSet::len);
        assert!(out >= 2, "{url} has {out} outgoing internal links");
        if url != home {
            assert!(
                incoming.get(url.as_str()).copied().unwrap_or(0) >= 1,
                "{url} has no backlink"
            );
        }
    }
    // Clicks: body links, and a section's listing of its pages.
    let mut next: BTreeMap<&str, BTreeSet<&str>> = outgoing.clone();
    for (url, section) in &g.nodes {
        next.entry(section).or_default().insert(url);
    }
    let mut depth: BTreeMap<&str, usize> = BTreeMap::from([(home, 0)]);
    let mut queue = VecDeque::from([home]);
    while let Some(url) = queue.pop_front() {
        for &to in next.get(url).into_iter().flatten() {
            if !depth.contains_key(to) {
                depth.insert(to, depth[url] + 1);
                queue.push_back(to);
            }
        }
    }
    for (url, _) in &g.nodes {
        let d = depth.get(url.as_str()).copied();
        assert!(d.is_some_and(|d| d <= 2), "{url} is {d:?} clicks from home");
    }
}

#[test]
fn every_edge_shows_on_its_target_among_relations_and_backlinks() {
    let built = build_flagship();
    for prefix in LANGUAGES {
        edges_show_on_their_targets(&built, &graph(&built.out, prefix));
    }
}

fn edges_show_on_their_targets(built: &Built, g: &Graph) {
    assert!(g.edges.len() > 50, "{} edges", g.edges.len());
    for (from, to, kind) in &g.edges {
        let html = read(&built.out, to);
        // The connections panel: relation groups (with inverses) and the "linked from" list.
        let start = html
            .find("class=\"connections\"")
            .unwrap_or_else(|| panic!("{to} has no connections panel"));
        let panel = &html[start..start + html[start..].find("</section>").expect("panel end")];
        assert!(
            panel.contains(&format!("href=\"{from}\"")),
            "{to} does not list {from} ({kind}) among its backlinks"
        );
    }
}

#[test]
fn inverse_relations_show_on_their_targets() {
    let built = build_flagship();
    let eu = read(&built.out, "/european-union/");
    let includes = eu
        .split("Includes")
        .nth(1)
        .expect("the EU page lists what it includes");
    assert!(includes.contains("href=\"/european-union/ran-coe/\""));
    let morocco = read(&built.out, "/partner-profiles/morocco/");
    let co_chairs = morocco
        .split("Co-chairs")
        .nth(1)
        .expect("Morocco lists what it co-chairs");
    assert!(co_chairs.contains("href=\"/gctf/\""));
}

#[test]
fn the_map_links_every_page() {
    let built = build_flagship();
    for prefix in LANGUAGES {
        let map = read(&built.out, &format!("/{prefix}map/"));
        let start = map.find("class=\"site-map\"").expect("the map's svg");
        let svg = &map[start..start + map[start..].find("</svg>").expect("svg end")];
        for (url, _) in graph(&built.out, prefix).nodes {
            assert!(
                svg.contains(&format!("<a href=\"{url}\">")),
                "the map has no node for {url}"
            );
        }
    }
}

#[test]
fn every_page_is_in_both_languages() {
    let pages = content_pages();
    let paths: BTreeSet<&str> = pages.iter().map(|p| p.path.as_str()).collect();
    for page in &pages {
        if page.path.ends_with(".nl.md") {
            let english = page.path.replace(".nl.md", ".md");
            assert!(
                paths.contains(english.as_str()),
                "{} translates no page",
                page.path
            );
        } else {
            let dutch = page.path.replace(".md", ".nl.md");
            assert!(
                paths.contains(dutch.as_str()),
                "{} has no Dutch version",
                page.path
            );
        }
    }
}

/// One Markdown file of `content/`: its path inside `content/` and its text after the front matter.
struct Page {
    path: String,
    body: String,
}

fn content_pages() -> Vec<Page> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut pages = Vec::new();
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry.expect("a readable content entry");
        if entry.path().extension().is_some_and(|ext| ext == "md") {
            let text = std::fs::read_to_string(entry.path()).expect("page text");
            let path = entry.path().strip_prefix(&root).expect("inside content/");
            pages.push(Page {
                path: path.display().to_string(),
                body: without_front_matter(&text).to_string(),
            });
        }
    }
    assert!(pages.len() >= 32, "only {} pages in content/", pages.len());
    pages
}

fn without_front_matter(text: &str) -> &str {
    text.strip_prefix("---\n")
        .and_then(|rest| rest.find("\n---\n").map(|end| &rest[end + 5..]))
        .unwrap_or(text)
}

/// A footnote definition line, `[^id]: text`, as (id, text).
fn footnote_definition(line: &str) -> Option<(&str, &str)> {
    line.strip_prefix("[^")?.split_once("]:")
}

fn is_source_line(line: &str) -> bool {
    line.starts_with("Source: ") || line.starts_with("Bron: ")
}

/// The ids of the footnote references (`[^id]`) in a line that is not a definition.
fn footnote_references(line: &str) -> Vec<&str> {
    line.match_indices("[^")
        .filter_map(|(at, _)| line[at + 2..].split_once(']').map(|(id, _)| id))
        .collect()
}

/// A Markdown line as plain text: link targets, footnote references, heading ids and
/// emphasis removed; `[[target|label]]` becomes its label.
fn plain(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("[[") {
            let (inner, tail) = after.split_once("]]").unwrap_or((after, ""));
            out.push_str(inner.rsplit('|').next().unwrap_or(inner));
            rest = tail;
        } else if let Some(after) = rest.strip_prefix("[^") {
            rest = after.split_once(']').map_or("", |(_, tail)| tail);
        } else if let Some(after) = rest.strip_prefix("](") {
            rest = after.split_once(')').map_or("", |(_, tail)| tail);
        } else if let Some(after) = rest.strip_prefix("{#") {
            rest = after.split_once('}').map_or("", |(_, tail)| tail);
        } else {
            if !matches!(c, '[' | ']' | '*' | '`' | '#' | '>') {
                out.push(if c == '|' { '\n' } else { c });
            }
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// The sentences of a page's prose, each as its lower-case words joined by one space.
/// The Source line and footnote definitions are not prose; a table cell, list item or
/// heading ends a sentence, and a paragraph may run over several lines.
fn sentences(body: &str) -> Vec<String> {
    let mut blocks: Vec<String> = vec![String::new()];
    for line in body.lines() {
        let line = line.trim();
        if line.is_empty() || is_source_line(line) || footnote_definition(line).is_some() {
            blocks.push(String::new());
            continue;
        }
        let starts_block = line.starts_with(['#', '-', '|', '>']) || line.starts_with("* ");
        if starts_block {
            blocks.push(String::new());
        }
        let block = blocks.last_mut().expect("a block");
        block.push(' ');
        block.push_str(&plain(line.trim_start_matches("- ")));
        if starts_block {
            blocks.push(String::new());
        }
    }
    let mut found = Vec::new();
    for block in &blocks {
        for part in block.split('\n') {
            let mut words: Vec<String> = Vec::new();
            for token in part.split_whitespace() {
                let word = token.trim_matches(|c: char| !c.is_alphanumeric());
                if !word.is_empty() {
                    words.push(word.to_lowercase());
                }
                if token.ends_with(['.', '!', '?', ':', ';']) && !words.is_empty() {
                    found.push(words.join(" "));
                    words.clear();
                }
            }
            if !words.is_empty() {
                found.push(words.join(" "));
            }
        }
    }
    found
}

#[test]
fn no_page_disclaims_what_the_knowledge_base_does_not_cover() {
    const DISCLAIMERS: &[&str] = &[
        "does not describe",
        "does not cover",
        "do not cover",
        "not described here",
        "not covered here",
        "is not covered in",
        "beyond the scope",
        "outside the scope",
        "does not record",
        "not recorded here",
        "records no",
        "gives no date",
        "this knowledge base does not",
        "this knowledge base gives no",
        "this knowledge base records",
    ];
    let mut found = Vec::new();
    for page in content_pages() {
        let text = page.body.to_lowercase();
        for phrase in DISCLAIMERS {
            if text.contains(phrase) {
                found.push(format!("{}: \"{phrase}\"", page.path));
            }
        }
    }
    assert!(found.is_empty(), "disclaimers:\n{}", found.join("\n"));
}

#[test]
fn no_sentence_of_twelve_words_or_more_appears_on_two_pages() {
    let mut pages_of: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for page in content_pages() {
        for sentence in sentences(&page.body) {
            if sentence.split(' ').count() >= 12 {
                pages_of
                    .entry(sentence)
                    .or_default()
                    .insert(page.path.clone());
            }
        }
    }
    assert!(
        pages_of.len() > 100,
        "only {} long sentences",
        pages_of.len()
    );
    let repeated: Vec<String> = pages_of
        .iter()
        .filter(|(_, pages)| pages.len() > 1)
        .map(|(sentence, pages)| format!("{pages:?}: {sentence}"))
        .collect();
    assert!(repeated.is_empty(), "repeated:\n{}", repeated.join("\n"));
}

#[test]
fn sentences_are_split_as_a_reader_would_read_them() {
    let body = "Intro [link](a.md) with *emphasis*.[^x] Second\nline of it.\n\n\
                | Cell one | Cell two |\n- An [[target|item]]\n\nSource: not prose.\n[^x]: Nor this.\n";
    assert_eq!(
        sentences(body),
        [
            "intro link with emphasis",
            "second line of it",
            "cell one",
            "cell two",
            "an item"
        ]
    );
}

#[test]
fn every_page_has_a_source_line() {
    for page in content_pages() {
        let sources: Vec<&str> = page.body.lines().filter(|l| is_source_line(l)).collect();
        assert_eq!(
            sources.len(),
            1,
            "{} has {} Source lines",
            page.path,
            sources.len()
        );
        assert!(
            sources[0].contains("*International cooperation*"),
            "{}: the Source line does not name the NCTV's text",
            page.path
        );
    }
}

#[test]
fn every_footnote_is_referenced_defined_and_gives_title_date_and_url() {
    for page in content_pages() {
        let mut defined = BTreeSet::new();
        let mut referenced = BTreeSet::new();
        for line in page.body.lines() {
            if let Some((id, text)) = footnote_definition(line) {
                assert!(defined.insert(id), "{}: [^{id}] defined twice", page.path);
                assert!(
                    text.contains("<https://") || text.contains("<http://"),
                    "{}: [^{id}] has no URL",
                    page.path
                );
                let dated = text.contains("undated")
                    || text.contains("ongedateerd")
                    || text
                        .split(|c: char| !c.is_ascii_digit())
                        .any(|n| n.len() == 4 && (n.starts_with("19") || n.starts_with("20")));
                assert!(dated, "{}: [^{id}] has no date", page.path);
                assert!(
                    // A news item without a title of its own (in Arabic) names what it is.
                    text.contains(" *")
                        || text.contains("News item")
                        || text.contains("Nieuwsbericht"),
                    "{}: [^{id}] has no title",
                    page.path
                );
            } else {
                referenced.extend(footnote_references(line));
            }
        }
        assert_eq!(
            defined, referenced,
            "{}: footnotes defined and footnotes referenced differ",
            page.path
        );
    }
}

#[test]
fn the_guideline_url_redirects_to_the_directive() {
    let built = build_flagship();
    let redirect = read(&built.out, "/european-union/counter-terrorism-guideline/");
    assert!(
        redirect.contains("url=/european-union/directive-2017-541/"),
        "{redirect}"
    );
    let directive = read(&built.out, "/european-union/directive-2017-541/");
    assert!(directive.contains("15 March 2017"));
    let redirect = read(
        &built.out,
        "/nl/european-union/counter-terrorism-guideline/",
    );
    assert!(
        redirect.contains("url=/nl/european-union/directive-2017-541/"),
        "{redirect}"
    );
    let richtlijn = read(&built.out, "/nl/european-union/directive-2017-541/");
    assert!(richtlijn.contains("15 maart 2017"), "{richtlijn}");
}

#[test]
fn the_gctf_names_both_dutch_co_chairs_and_the_timeline_links_every_entry() {
    let built = build_flagship();
    let gctf = read(&built.out, "/gctf/");
    let start = gctf
        .find("class=\"connections\"")
        .expect("a connections panel");
    let panel = &gctf[start..];
    let co_chaired = panel
        .split("Co-chaired with")
        .nth(1)
        .expect("the GCTF lists its co-chairs");
    for partner in ["/partner-profiles/turkey/", "/partner-profiles/morocco/"] {
        assert!(
            co_chaired.contains(&format!("href=\"{partner}\"")),
            "{partner}"
        );
    }

    let timeline = content_pages()
        .into_iter()
        .find(|page| page.path == "timeline.md")
        .expect("content/timeline.md");
    let entries: Vec<&str> = timeline
        .body
        .lines()
        .filter(|line| line.starts_with("- "))
        .collect();
    assert!(entries.len() >= 30, "{} timeline entries", entries.len());
    for entry in &entries {
        assert!(
            entry.contains("](") || entry.contains("[["),
            "unlinked: {entry}"
        );
    }
    assert!(entries[0].contains("2011"), "starts with {}", entries[0]);
    assert!(entries[entries.len() - 1].contains("2026"));
}
