//! The map: the graph of pages and their links drawn as SVG at build time, grouped by
//! top-level section, each node a link, so that it needs no JavaScript.

use std::collections::BTreeMap;
use std::f64::consts::TAU;
use std::fmt::Write as _;

use pulldown_cmark_escape::escape_html;
use serde::Serialize;

use crate::links::{EdgeKind, LinkGraph};
use crate::render::Urls;
use crate::site::{PageId, Site};

/// The drawn map, for the `map.html` template.
#[derive(Debug, Serialize)]
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
#[derive(Debug, Serialize)]
pub struct MapGroup {
    /// Section title.
    pub title: String,
    /// Section URL.
    pub url: String,
    /// Colour class (`g0`, `g1`, …).
    pub class: String,
    /// Pages in the group.
    pub pages: Vec<(String, String)>,
}

const NODE_GAP: f64 = 34.0;
const MIN_RADIUS: f64 = 60.0;
const LABEL_CHARS: usize = 26;

/// The top-level section a page belongs to (the home page is its own group).
fn group_of(site: &Site, id: PageId) -> PageId {
    let ancestors = site.ancestors(id);
    match ancestors.get(1) {
        Some(&top) => top,
        None if id == site.home || site.page(id).parent != Some(site.home) => site.home,
        None if site.page(id).kind == crate::site::PageKind::Section => id,
        None => site.home,
    }
}

/// Lays out and draws the whole site.
pub fn draw(site: &Site, graph: &LinkGraph, urls: &Urls) -> MapDrawing {
    let mut groups: BTreeMap<PageId, Vec<PageId>> = BTreeMap::new();
    for id in site.ids() {
        groups.entry(group_of(site, id)).or_default().push(id);
    }
    // Home first, then sections in their navigation order.
    let order: Vec<PageId> = std::iter::once(site.home)
        .chain(site.page(site.home).subsections.iter().copied())
        .filter(|g| groups.contains_key(g))
        .collect();
    let radii: Vec<f64> = order
        .iter()
        .map(|g| (groups[g].len() as f64 * NODE_GAP / TAU).max(MIN_RADIUS))
        .collect();
    let columns = (order.len() as f64).sqrt().ceil().max(1.0) as usize;
    let cell = radii.iter().copied().fold(MIN_RADIUS, f64::max) * 2.0 + 2.0 * label_width();
    let mut position = vec![(0.0, 0.0); site.pages.len()];
    let mut anchor_end = vec![false; site.pages.len()];
    let mut centres = Vec::new();
    for (g, group) in order.iter().enumerate() {
        let cx = cell * (g % columns) as f64 + cell / 2.0;
        let cy = cell * (g / columns) as f64 + cell / 2.0;
        centres.push((cx, cy));
        let members = &groups[group];
        for (i, &id) in members.iter().enumerate() {
            if members.len() == 1 || id == *group {
                position[id.0 as usize] = (cx, cy);
                continue;
            }
            let others = members.len() - usize::from(members.contains(group));
            let k = members
                .iter()
                .filter(|&&m| m != *group)
                .position(|&m| m == id)
                .unwrap_or(i);
            let angle = TAU * k as f64 / others as f64 - TAU / 4.0;
            position[id.0 as usize] = (cx + radii[g] * angle.cos(), cy + radii[g] * angle.sin());
            anchor_end[id.0 as usize] = angle.cos() < -0.01;
        }
    }
    let rows = order.len().div_ceil(columns);
    let (width, height) = (cell * columns as f64, cell * rows as f64);

    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"site-map\" viewBox=\"0 0 {width:.0} {height:.0}\" role=\"img\" aria-labelledby=\"map-title\"><title id=\"map-title\">Map of {} pages and their links</title>",
        site.pages.len()
    );
    svg.push_str("<g class=\"edges\">");
    let mut edge_count = 0;
    for edge in &graph.edges {
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
        edge_count += 1;
    }
    svg.push_str("</g>");
    let mut legend = Vec::new();
    for (g, group) in order.iter().enumerate() {
        let class = format!("g{}", g % 8);
        let _ = write!(svg, "<g class=\"group {class}\">");
        let (cx, cy) = centres[g];
        let _ = write!(
            svg,
            "<circle class=\"halo\" cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"{:.1}\"/>",
            radii[g] + 14.0
        );
        let mut pages = Vec::new();
        for &id in &groups[group] {
            let page = site.page(id);
            let (x, y) = position[id.0 as usize];
            let url = urls.path(&page.url);
            let label = shorten(&page.title);
            let mut title = String::new();
            let _ = escape_html(&mut title, &page.title);
            let mut href = String::new();
            let _ = escape_html(&mut href, &url);
            let main = id == *group;
            let (dx, anchor) = if main {
                (0.0, "middle")
            } else if anchor_end[id.0 as usize] {
                (-10.0, "end")
            } else {
                (10.0, "start")
            };
            let dy = if main { -14.0 } else { 4.0 };
            let mut text = String::new();
            let _ = escape_html(&mut text, &label);
            let _ = write!(
                svg,
                "<a href=\"{href}\"><title>{title}</title><circle class=\"node{}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{text}</text></a>",
                if main { " section" } else { "" },
                if main { 9 } else { 6 },
                x + dx,
                y + dy,
            );
            pages.push((page.title.clone(), url));
        }
        svg.push_str("</g>");
        let head = site.page(*group);
        legend.push(MapGroup {
            title: head.title.clone(),
            url: urls.path(&head.url),
            class,
            pages,
        });
    }
    svg.push_str("</svg>");
    MapDrawing {
        svg,
        nodes: site.pages.len(),
        edges: edge_count,
        groups: legend,
    }
}

fn label_width() -> f64 {
    LABEL_CHARS as f64 * 6.5
}

fn shorten(title: &str) -> String {
    if title.chars().count() <= LABEL_CHARS {
        return title.to_string();
    }
    let cut: String = title.chars().take(LABEL_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}
