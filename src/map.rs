//! The map: the graph of pages and their links drawn as SVG at build time, grouped by
//! top-level section, each node a link, so that it needs no JavaScript.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::links::{Edge, EdgeKind};
use crate::render::{Urls, escaped};
use crate::site::{PageId, PageKind};

/// What the map shows of the site: every page's place and the edges between them.
pub struct Outline<'a> {
    /// The home page.
    pub home: PageId,
    /// The home page's sections, in navigation order.
    pub sections: &'a [PageId],
    /// Every page, by [`PageId`].
    pub nodes: Vec<Node<'a>>,
    /// The edges of the link graph.
    pub edges: &'a [Edge],
}

/// One page on the map.
pub struct Node<'a> {
    /// Its title.
    pub title: &'a str,
    /// Its URL path.
    pub url: &'a str,
    /// Page or section.
    pub kind: PageKind,
    /// Its section.
    pub parent: Option<PageId>,
}

/// The drawn map, for the `map.html` template.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct MapDrawing {
    /// The `<svg>` element.
    pub svg: String,
    /// Number of pages drawn.
    pub nodes: usize,
    /// Number of edges drawn.
    pub edges: usize,
    /// The groups, for a legend and a text list.
    pub groups: Vec<MapGroup>,
}

/// One top-level section and its pages.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct MapGroup {
    /// Section title.
    pub title: String,
    /// Section URL.
    pub url: String,
    /// Colour class (`g0`, `g1`, …).
    pub class: String,
    /// Pages in the group: each its title and URL path.
    pub pages: Vec<(String, String)>,
}

/// Nodes above which labels are left to tooltips and the list under the map.
const LABELS_UP_TO: usize = 80;
/// Pages up to which repulsion is computed exactly, pair by pair.
const PAIRWISE_UP_TO: usize = 400;
/// Node-iterations the layout may spend on a large site.
const LAYOUT_BUDGET: usize = 30_000;
const LABEL_CHARS: usize = 28;
const WIDTH: f64 = 1000.0;
const MARGIN: f64 = 24.0;

/// The top-level section a page belongs to (the home page and pages at the top are one group).
fn group_of(site: &Outline, id: PageId) -> PageId {
    let mut current = id;
    while let Some(parent) = site.nodes[current.0 as usize].parent {
        if parent == site.home {
            return if site.nodes[current.0 as usize].kind == PageKind::Section {
                current
            } else {
                site.home
            };
        }
        current = parent;
    }
    site.home
}

/// Places the pages with ForceAtlas2 (the `fa2` crate): links pull pages together, every page
/// is tied to its section, and all repel, so sections form clusters. Deterministic: the
/// start is a fixed circle per section and the layout runs single-threaded.
fn layout(site: &Outline, group: &[usize], groups: usize) -> Vec<(f64, f64)> {
    let n = site.nodes.len();
    let mut data = fa2::FA2Data::<f64>::with_capacity(n, site.edges.len() + n);
    let mut seen_in_group = vec![0usize; groups];
    let mut size_of_group = vec![0usize; groups];
    for &g in group {
        size_of_group[g] += 1;
    }
    for (i, &g) in group.iter().enumerate() {
        let centre = std::f64::consts::TAU * g as f64 / groups.max(1) as f64;
        let k = seen_in_group[g];
        seen_in_group[g] += 1;
        let spread = std::f64::consts::TAU * k as f64 / size_of_group[g].max(1) as f64;
        let (r, small) = (100.0, 10.0 + (i % 7) as f64);
        data.add_node_with_position(
            r * centre.cos() + small * spread.cos(),
            r * centre.sin() + small * spread.sin(),
        );
    }
    for edge in site.edges {
        data.add_edge(edge.from.0 as usize, edge.to.0 as usize);
    }
    for (index, node) in site.nodes.iter().enumerate() {
        if let Some(parent) = node.parent {
            data.add_edge_with_weight(index, parent.0 as usize, 3.0);
        }
    }
    // Pairwise repulsion is exact but quadratic; above a few hundred pages Barnes-Hut keeps
    // each iteration at n log n, and fewer iterations keep the whole layout near-linear.
    let settings = fa2::FA2Settings::<f64>::from_graph_order(n).parallel(false);
    let (settings, iterations) = if n <= PAIRWISE_UP_TO {
        (settings.with_pairwise_repulsion(), 300)
    } else {
        (
            settings.with_barnes_hut_theta(0.8),
            (LAYOUT_BUDGET / n).clamp(5, 60),
        )
    };
    let mut runner = settings.build(data);
    runner.run(iterations);
    let positions: Vec<(f64, f64)> = runner.data().positions().collect();
    if positions
        .iter()
        .all(|(x, y)| x.is_finite() && y.is_finite())
    {
        positions
    } else {
        (0..n)
            .map(|i| ((i % 40) as f64 * 10.0, (i / 40) as f64 * 10.0))
            .collect()
    }
}

/// Lays out and draws the whole site.
pub fn draw(site: &Outline, urls: &Urls) -> MapDrawing {
    // Groups: the home page's group first, then the top-level sections in navigation order.
    let heads: Vec<PageId> = std::iter::once(site.home)
        .chain(site.sections.iter().copied())
        .collect();
    let group_index: BTreeMap<PageId, usize> =
        heads.iter().enumerate().map(|(i, &h)| (h, i)).collect();
    let group: Vec<usize> = ids(site)
        .map(|id| group_index[&group_of(site, id)])
        .collect();
    let labels = site.nodes.len() <= LABELS_UP_TO;
    let (position, height) = fit(&layout(site, &group, heads.len()), labels);
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"site-map\" viewBox=\"0 0 {WIDTH:.0} {height:.0}\" role=\"group\" aria-labelledby=\"weftMapTitle\"><title id=\"weftMapTitle\">Map of {} pages and the links between them</title>",
        site.nodes.len()
    );
    draw_edges(&mut svg, site, &position);
    let mut legend = Vec::new();
    for (g, head) in heads.iter().enumerate() {
        let members: Vec<PageId> = ids(site).filter(|id| group[id.0 as usize] == g).collect();
        if members.is_empty() {
            continue;
        }
        let class = format!("g{}", g % 8);
        let _ = write!(svg, "<g class=\"group {class}\">");
        let pages = members
            .iter()
            .map(|&id| {
                draw_node(
                    &mut svg,
                    site,
                    urls,
                    id,
                    position[id.0 as usize],
                    id == *head,
                    labels,
                )
            })
            .collect();
        svg.push_str("</g>");
        let head_page = &site.nodes[head.0 as usize];
        legend.push(MapGroup {
            title: head_page.title.to_string(),
            url: urls.path(head_page.url),
            class,
            pages,
        });
    }
    svg.push_str("</svg>");
    MapDrawing {
        svg,
        nodes: site.nodes.len(),
        edges: site.edges.len(),
        groups: legend,
    }
}

fn ids(site: &Outline) -> impl Iterator<Item = PageId> + use<> {
    (0..site.nodes.len() as u32).map(PageId)
}

/// Scales the layout's positions into the drawing's width; returns them and its height.
fn fit(raw: &[(f64, f64)], labels: bool) -> (Vec<(f64, f64)>, f64) {
    let (min_x, max_x, min_y, max_y) = raw.iter().fold(
        (f64::MAX, f64::MIN, f64::MAX, f64::MIN),
        |(a, b, c, d), &(x, y)| (a.min(x), b.max(x), c.min(y), d.max(y)),
    );
    let span = (max_x - min_x).max(max_y - min_y).max(1.0);
    let pad = if labels {
        8.0 * LABEL_CHARS as f64 / 2.0
    } else {
        MARGIN
    };
    let scale = (WIDTH - 2.0 * pad) / span;
    let height = ((max_y - min_y) * scale + 2.0 * MARGIN + 20.0).max(200.0);
    let position = raw
        .iter()
        .map(|&(x, y)| {
            (
                pad + (x - min_x) * scale,
                MARGIN + 14.0 + (y - min_y) * scale,
            )
        })
        .collect();
    (position, height)
}

fn draw_edges(svg: &mut String, site: &Outline, position: &[(f64, f64)]) {
    svg.push_str("<g class=\"edges\">");
    for edge in site.edges {
        let (x1, y1) = position[edge.from.0 as usize];
        let (x2, y2) = position[edge.to.0 as usize];
        let class = match edge.kind {
            EdgeKind::Link => "edge link",
            EdgeKind::Relation(_) => "edge relation",
        };
        let _ = write!(
            svg,
            "<line class=\"{class}\" x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\"/>"
        );
    }
    svg.push_str("</g>");
}

/// Draws one page as a linked circle, labelled when `labels` or it heads its group;
/// returns its title and URL for the list under the map.
fn draw_node(
    svg: &mut String,
    site: &Outline,
    urls: &Urls,
    id: PageId,
    (x, y): (f64, f64),
    hub: bool,
    labels: bool,
) -> (String, String) {
    let page = &site.nodes[id.0 as usize];
    let url = urls.path(page.url);
    let _ = write!(
        svg,
        "<a href=\"{}\"><title>{}</title><circle class=\"node{}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{}\"/>",
        escaped(&url),
        escaped(page.title),
        if hub { " section" } else { "" },
        if hub { 8 } else { 5 },
    );
    if labels || hub {
        let _ = write!(
            svg,
            "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            y - 10.0,
            escaped(&shorten(page.title))
        );
    }
    svg.push_str("</a>");
    (page.title.to_string(), url)
}

fn shorten(title: &str) -> String {
    if title.chars().count() <= LABEL_CHARS {
        return title.to_string();
    }
    let cut: String = title.chars().take(LABEL_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}
