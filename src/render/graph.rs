//! A page's local graph: the page, the pages next to it in the link graph (body links and
//! relations, both ways) and theirs, drawn at build time as an SVG of rings around the page.
//!
//! Which pages it shows, at most [`MAX_NODES`] with the page itself (the edges drawn are those
//! between them with the page or a page one link away at one end):
//! 1. every page one link away; if there are more than fit, those with the most neighbours;
//! 2. then pages two links away, those joined to the most pages of step 1 first;
//!
//! ties going to the page whose source path sorts first. Rings cost a sort per page, where a
//! force layout would cost iterations per page: at 10,000 pages the graphs must stay cheap.

use std::fmt::Write as _;

use pulldown_cmark_escape::{escape_href, escape_html};

use super::Urls;
use super::context::GraphCtx;
use super::facts::View;
use crate::site::PageId;

/// The most pages a local graph shows, the page itself among them.
pub const MAX_NODES: usize = 30;
/// Up to this many pages one link away, each is labelled; beyond it, only the page itself.
const LABELLED_UP_TO: usize = 12;
const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 360.0;

/// A page on a local graph.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The page.
    pub id: PageId,
    /// 0 for the page itself, 1 or 2 for how many links away.
    pub depth: u8,
    /// Its place in the drawing.
    pub x: f64,
    /// Its place in the drawing.
    pub y: f64,
}

/// A page's local graph.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalGraph {
    /// The page first, then the pages one link away, then two.
    pub nodes: Vec<Node>,
    /// Pairs of indexes into `nodes` that are joined, and whether by a relation.
    pub edges: Vec<(usize, usize, bool)>,
}

/// The local graph of page `id`, or `None` for a page with no neighbour.
pub fn local_graph(v: &View<'_, '_>, id: PageId) -> Option<LocalGraph> {
    let around = v.neighbours(id);
    if around.is_empty() {
        return None;
    }
    // One link away: the best connected first.
    // Ids are in the order of the pages' source paths (`site::place` numbers them so), which
    // is what ties go by: the order is the same whatever pages come and go around them.
    let mut first: Vec<(usize, PageId)> = around
        .iter()
        .map(|n| (v.neighbours(n.id).len(), n.id))
        .collect();
    first.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    first.truncate(MAX_NODES - 1);
    // A few dozen pages: sorted vectors beat hash maps here, on every page of the site.
    let mut shown: Vec<PageId> = first.iter().map(|&(_, n)| n).collect();
    shown.push(id);
    shown.sort_unstable();
    // Two links away: joined to the most of those, then by path; each remembers the first
    // page of step 1 it is joined to, to sit beyond it.
    let mut reached: Vec<(PageId, usize)> = Vec::new();
    if first.len() < MAX_NODES - 1 {
        for (i, &(_, near)) in first.iter().enumerate() {
            let next = v.neighbours(near).iter();
            reached.extend(
                next.filter(|n| shown.binary_search(&n.id).is_err())
                    .map(|n| (n.id, i)),
            );
        }
    }
    reached.sort_unstable();
    let mut second: Vec<(usize, usize, PageId)> = Vec::new();
    for (n, parent) in reached {
        match second.last_mut() {
            Some(last) if last.2 == n => last.0 += 1,
            _ => second.push((1, parent, n)),
        }
    }
    let keep = MAX_NODES - 1 - first.len();
    let best =
        |a: &(usize, usize, PageId), b: &(usize, usize, PageId)| b.0.cmp(&a.0).then(a.2.cmp(&b.2));
    if second.len() > keep {
        second.select_nth_unstable_by(keep, best);
        second.truncate(keep);
    }
    // Drawn around the page: those one link away on the inner ring in their order, those two
    // away on the outer ring, each beyond the page that brought it.
    second.sort_unstable_by(|a, b| a.1.cmp(&b.1).then(a.2.cmp(&b.2)));
    let mut nodes = Vec::with_capacity(1 + first.len() + second.len());
    nodes.push(Node {
        id,
        depth: 0,
        x: WIDTH / 2.0,
        y: HEIGHT / 2.0,
    });
    let ring = |i: usize, count: usize, rx: f64, ry: f64, turn: f64| {
        let angle =
            std::f64::consts::TAU * (i as f64 + turn) / count as f64 - std::f64::consts::FRAC_PI_2;
        (
            WIDTH / 2.0 + rx * angle.cos(),
            HEIGHT / 2.0 + ry * angle.sin(),
        )
    };
    for (i, &(_, n)) in first.iter().enumerate() {
        let (x, y) = ring(i, first.len(), 150.0, 92.0, 0.0);
        nodes.push(Node {
            id: n,
            depth: 1,
            x,
            y,
        });
    }
    // Half a step round, so that the outer ring does not sit in line with the inner one.
    for (i, &(_, _, n)) in second.iter().enumerate() {
        let (x, y) = ring(i, second.len(), 285.0, 158.0, 0.5);
        nodes.push(Node {
            id: n,
            depth: 2,
            x,
            y,
        });
    }
    let mut index: Vec<(PageId, usize)> =
        nodes.iter().enumerate().map(|(i, n)| (n.id, i)).collect();
    index.sort_unstable();
    let index_of = |id: PageId| {
        index
            .binary_search_by_key(&id, |&(n, _)| n)
            .ok()
            .map(|at| index[at].1)
    };
    // Every edge with the page or a page one link away at one end; those between two pages
    // two links away would cross the drawing and say little about this page.
    let mut edges = Vec::new();
    for (a, node) in nodes.iter().enumerate().take(1 + first.len()) {
        let list = match node.depth {
            0 => around,
            _ => v.neighbours(node.id),
        };
        for n in list {
            if let Some(b) = index_of(n.id) {
                if a < b {
                    edges.push((a, b, n.relation));
                }
            }
        }
    }
    Some(LocalGraph { nodes, edges })
}

/// The graph as HTML. Its pages are lists of links, placed on the rings by CSS: the lists are
/// the drawing's nodes and its text at once, so each page's link is written once, and
/// screen readers and pages without styles get two plain lists. Only the edges are an
/// `<svg>`, hidden from assistive technology.
pub fn html(graph: &LocalGraph, v: &View<'_, '_>, urls: &Urls) -> GraphCtx {
    let labelled_near = graph.nodes.iter().filter(|n| n.depth == 1).count() <= LABELLED_UP_TO;
    let mut lists = [String::new(), String::new(), String::new()];
    for node in &graph.nodes {
        let link = v.link(node.id);
        let out = &mut lists[node.depth as usize];
        // In tenths of a percent, written as integers: float formatting showed in profiles.
        let x = (node.x / WIDTH * 1000.0).round() as i32;
        let y = (node.y / HEIGHT * 1000.0).round() as i32;
        // Labels go on the side away from the page.
        let side = if node.depth > 0 && x < 500 {
            " class=\"lg-w\""
        } else {
            ""
        };
        let _ = write!(
            out,
            "<li{side} style=\"left:{}.{}%;top:{}.{}%\"><a href=\"{}",
            x / 10,
            x % 10,
            y / 10,
            y % 10,
            urls.base_path()
        );
        let _ = escape_href(&mut *out, link.url);
        out.push_str(if node.depth == 0 {
            "\" aria-current=\"page\">"
        } else {
            "\">"
        });
        // The whole title: the CSS shortens what it shows, and hides it on dots that carry no
        // label (`.lg-far`, and `.lg-quiet` when more pages are one link away than labels fit).
        out.push_str("<span>");
        let _ = escape_html(&mut *out, link.title);
        out.push_str("</span>");
        out.push_str("</a></li>");
    }
    let [page, near, far] = lists;
    let list = |class: &str, items: String| match items.is_empty() {
        true => items,
        false => format!("<ul class=\"{class}\">{items}</ul>"),
    };
    GraphCtx {
        edges: edges(graph),
        page: list("lg-self", page),
        near: list(
            if labelled_near {
                "lg-near"
            } else {
                "lg-near lg-quiet"
            },
            near,
        ),
        far: list("lg-far", far),
        pages: graph.nodes.len() - 1,
        far_pages: graph.nodes.iter().filter(|n| n.depth == 2).count(),
    }
}

/// The edges, as one path per kind in an `<svg>` the size of the rings' box.
fn edges(graph: &LocalGraph) -> String {
    let mut svg = String::with_capacity(160 + graph.edges.len() * 18);
    let _ = write!(
        svg,
        "<svg class=\"lg-edges\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" aria-hidden=\"true\" focusable=\"false\">"
    );
    let at = |n: &Node| (n.x.round() as i32, n.y.round() as i32);
    for (relation, class) in [(false, "lg-link"), (true, "lg-rel")] {
        let mut drawn = graph.edges.iter().filter(|e| e.2 == relation).peekable();
        if drawn.peek().is_none() {
            continue;
        }
        let _ = write!(svg, "<path class=\"{class}\" d=\"");
        for &(a, b, _) in drawn {
            let ((x1, y1), (x2, y2)) = (at(&graph.nodes[a]), at(&graph.nodes[b]));
            let _ = write!(svg, "M{x1} {y1}L{x2} {y2}");
        }
        svg.push_str("\"/>");
    }
    svg.push_str("</svg>");
    svg
}
