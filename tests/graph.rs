//! Local graphs: on a site of 60 pages with a hub, each page's graph shows exactly the pages
//! within two links of it, capped as `src/render/graph.rs` documents: every neighbour (the best
//! connected first, 29 at most), then pages two links away by how many of those they join,
//! ties by path. Checked page by page against the same rule worked out here from `graph.json`.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::Site;
use scraper::{Html, Selector};

const PAGES: usize = 60;

/// Page `i`'s links: two spread over the site, the hub (`p00`) from every page, and a relation
/// from every seventh.
fn site() -> Site {
    let mut files = vec![(
        "weft.yaml".to_string(),
        "title: Graphs\nrelations:\n  related: { label: Related, symmetric: true }\n".to_string(),
    )];
    for i in 0..PAGES {
        let mut body = format!(
            "See [[p{:02}]] and [[p{:02}]].",
            (i * 7 + 3) % PAGES,
            (i * 13 + 5) % PAGES
        );
        if i != 0 {
            body.push_str(" Back to [[p00]].");
        }
        let front = if i % 7 == 0 {
            format!("title: Page {i:02}\nrelated: [p{:02}]\n", (i + 30) % PAGES)
        } else {
            format!("title: Page {i:02}\n")
        };
        files.push((
            format!("content/p{i:02}.md"),
            format!("---\n{front}---\n{body}\n"),
        ));
    }
    files.push((
        "content/_index.md".into(),
        "---\ntitle: Home\n---\nStart at [[p01]].\n".into(),
    ));
    Site::built(&files)
}

/// Every page's neighbours, by URL, from `graph.json`.
fn neighbours(site: &Site) -> BTreeMap<String, BTreeSet<String>> {
    let graph: serde_json::Value = serde_json::from_str(&site.out("graph.json")).expect("JSON");
    let mut around: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for node in graph["nodes"].as_array().expect("nodes") {
        around
            .entry(node["url"].as_str().expect("url").into())
            .or_default();
    }
    for edge in graph["edges"].as_array().expect("edges") {
        let (from, to) = (
            edge["from"].as_str().expect("from"),
            edge["to"].as_str().expect("to"),
        );
        around.get_mut(from).expect("from").insert(to.into());
        around.get_mut(to).expect("to").insert(from.into());
    }
    around
}

/// The rule, worked out again: (near, in order; far, as a set).
fn expected(
    around: &BTreeMap<String, BTreeSet<String>>,
    page: &str,
) -> (Vec<String>, BTreeSet<String>) {
    const CAP: usize = 29;
    let degree = |url: &String| around[url].len();
    // Pages here are `content/pNN.md` at `/pNN/` (and the home page): paths sort as URLs do.
    let mut near: Vec<String> = around[page].iter().cloned().collect();
    near.sort_by(|a, b| degree(b).cmp(&degree(a)).then(a.cmp(b)));
    near.truncate(CAP);
    let mut scores: BTreeMap<String, usize> = BTreeMap::new();
    if near.len() < CAP {
        for u in &near {
            for v in &around[u] {
                if v != page && !near.contains(v) {
                    *scores.entry(v.clone()).or_default() += 1;
                }
            }
        }
    }
    let mut far: Vec<(usize, String)> = scores.into_iter().map(|(v, s)| (s, v)).collect();
    far.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    far.truncate(CAP - near.len());
    (near, far.into_iter().map(|(_, v)| v).collect())
}

fn hrefs(html: &Html, selector: &str) -> Vec<String> {
    let selector = Selector::parse(selector).expect("selector");
    html.select(&selector)
        .map(|a| a.value().attr("href").expect("href").to_string())
        .collect()
}

#[test]
fn each_local_graph_shows_the_pages_within_two_links_capped_as_documented() {
    let site = site();
    let around = neighbours(&site);
    let mut capped = 0;
    for (url, next) in &around {
        let html =
            Html::parse_document(&site.out(&format!("{}index.html", url.trim_start_matches('/'))));
        let (near, far) = expected(&around, url);
        if next.is_empty() {
            assert!(
                hrefs(&html, ".local-graph a").is_empty(),
                "{url} has no neighbour but a graph"
            );
            continue;
        }
        assert_eq!(
            hrefs(&html, ".lg-self a"),
            std::slice::from_ref(url),
            "{url} is not at the centre of its graph"
        );
        assert_eq!(
            hrefs(&html, ".lg-near a"),
            near,
            "the pages one link from {url}"
        );
        let drawn_far: BTreeSet<String> = hrefs(&html, ".lg-far a").into_iter().collect();
        assert_eq!(drawn_far, far, "the pages two links from {url}");
        // Each page once: the lists are the drawing's nodes.
        assert_eq!(
            hrefs(&html, ".local-graph a").len(),
            1 + near.len() + far.len(),
            "{url}"
        );
        if next.len() > 29 {
            capped += 1;
        }
    }
    assert!(capped >= 1, "the hub's graph is capped");
}

#[test]
fn a_setting_turns_local_graphs_off() {
    let site = site();
    site.write(
        "weft.yaml",
        "title: Graphs\nlocal_graph: false\nrelations:\n  related: { label: Related, symmetric: true }\n",
    );
    let output = site.weft(&["build"]);
    assert!(output.status.success());
    assert!(!site.out("p01/index.html").contains("local-graph"));
}
