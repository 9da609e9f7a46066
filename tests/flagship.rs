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

fn graph(out: &Path) -> Graph {
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("graph.json")).expect("graph.json"))
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
        "/european-union/counter-terrorism-guideline/",
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
    let g = graph(&built.out);
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
        if url != "/" {
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
    let mut depth: BTreeMap<&str, usize> = BTreeMap::from([("/", 0)]);
    let mut queue = VecDeque::from(["/"]);
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
    let g = graph(&built.out);
    assert!(g.edges.len() > 50);
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
    let map = read(&built.out, "/map/");
    let start = map.find("class=\"site-map\"").expect("the map's svg");
    let svg = &map[start..start + map[start..].find("</svg>").expect("svg end")];
    for (url, _) in graph(&built.out).nodes {
        assert!(
            svg.contains(&format!("<a href=\"{url}\">")),
            "the map has no node for {url}"
        );
    }
}
