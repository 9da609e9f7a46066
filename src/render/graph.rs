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
use std::sync::OnceLock;

use pulldown_cmark_escape::{escape_href, escape_html};

use super::context::GraphCtx;
use super::facts::View;
use crate::site::PageId;

/// The most pages a local graph shows, the page itself among them.
pub const MAX_NODES: usize = 30;
/// Up to this many pages one link away, each is labelled; beyond it, only the page itself.
const LABELLED_UP_TO: usize = 12;
const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 360.0;
/// The rings' radii across and down, and how far round (in steps) each starts: the outer ring
/// sits half a step round, so that it is not in line with the inner one. `weft.css` places the
/// nodes with the same figures, as percentages of the box (checked by a test).
const NEAR_RING: Ring = Ring {
    rx: 150.0,
    ry: 92.0,
    turn: 0.0,
};
const FAR_RING: Ring = Ring {
    rx: 285.0,
    ry: 158.0,
    turn: 0.5,
};

struct Ring {
    rx: f64,
    ry: f64,
    turn: f64,
}

impl Ring {
    /// Where the `i`th of `count` pages on the ring goes, clockwise from the top.
    fn at(&self, i: usize, count: usize) -> (f64, f64) {
        let angle = std::f64::consts::TAU * (i as f64 + self.turn) / count as f64
            - std::f64::consts::FRAC_PI_2;
        (
            WIDTH / 2.0 + self.rx * angle.cos(),
            HEIGHT / 2.0 + self.ry * angle.sin(),
        )
    }
}

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
    for (i, &(_, n)) in first.iter().enumerate() {
        let (x, y) = NEAR_RING.at(i, first.len());
        nodes.push(Node {
            id: n,
            depth: 1,
            x,
            y,
        });
    }
    for (i, &(_, _, n)) in second.iter().enumerate() {
        let (x, y) = FAR_RING.at(i, second.len());
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

/// Each page's link as a graph node ends, from its URL to `</li>`: made once a build, the
/// first time a graph shows the page, rather than escaped anew on each of the many graphs
/// that show it. The table is small and read in place, where the pages' titles and URLs lie
/// all over the heap; at 10,000 pages that was most of what the graphs cost.
pub struct NodeLinks {
    base_path: String,
    links: Vec<OnceLock<Box<str>>>,
}

impl NodeLinks {
    /// An empty table for a site of `pages` pages under `base_path`.
    pub fn new(pages: usize, base_path: &str) -> Self {
        NodeLinks {
            base_path: base_path.to_string(),
            links: (0..pages).map(|_| OnceLock::new()).collect(),
        }
    }

    /// `/base/eu/ran/"><span>RAN</span></a></li>`, escaped.
    fn get<'s>(&'s self, v: &View<'_, '_>, id: PageId) -> &'s str {
        // Every graph that shows the page reads its link, whoever made the entry.
        v.link_read(id);
        self.links[id.0 as usize].get_or_init(|| {
            let link = v.link(id);
            let mut out = self.base_path.clone();
            let _ = escape_href(&mut out, link.url);
            // The whole title: the CSS shortens what it shows, and hides it on dots that
            // carry no label (`.lg-far`, and `.lg-quiet` when more pages are one link away
            // than labels fit).
            out.push_str("\"><span>");
            let _ = escape_html(&mut out, link.title);
            out.push_str("</span></a></li>");
            out.into()
        })
    }
}

/// The graph as HTML. Its pages are lists of links, placed on the rings by CSS: the lists are
/// the drawing's nodes and its text at once, so each page's link is written once, and
/// screen readers and pages without styles get two plain lists. Only the edges are an
/// `<svg>`, hidden from assistive technology.
///
/// A ring's list says how many pages it holds (`n7`), and the stylesheet places each item by
/// its position in the list, with the same angles as [`local_graph`]: no inline style, and a
/// few bytes a node instead of its coordinates.
pub fn html(graph: &LocalGraph, v: &View<'_, '_>, links: &NodeLinks) -> GraphCtx {
    let count = |depth: u8| graph.nodes.iter().filter(|n| n.depth == depth).count();
    let (near_pages, far_pages) = (count(1), count(2));
    let mut lists = [String::new(), String::new(), String::new()];
    for node in &graph.nodes {
        let out = &mut lists[node.depth as usize];
        // Labels go on the side away from the page.
        out.push_str(match node.depth {
            0 => "<li><a aria-current=\"page\" href=\"",
            _ if node.x < WIDTH / 2.0 => "<li class=\"lg-w\"><a href=\"",
            _ => "<li><a href=\"",
        });
        out.push_str(links.get(v, node.id));
    }
    let [page, near, far] = lists;
    let list = |class: &str, pages: usize, items: String| match items.is_empty() {
        true => items,
        false => format!("<ul class=\"{class} n{pages}\">{items}</ul>"),
    };
    let quiet = near_pages > LABELLED_UP_TO;
    GraphCtx {
        edges: edges(graph),
        page: format!("<ul class=\"lg-self\">{page}</ul>"),
        near: list(
            if quiet { "lg-near lg-quiet" } else { "lg-near" },
            near_pages,
            near,
        ),
        far: list("lg-far", far_pages, far),
        pages: graph.nodes.len() - 1,
        far_pages,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The stylesheet places the nodes; the edges drawn here must meet them.
    #[test]
    fn the_stylesheet_places_nodes_on_the_same_rings() {
        let css = include_str!("../../themes/default/static/weft.css");
        for (class, ring) in [("lg-near", NEAR_RING), ("lg-far", FAR_RING)] {
            let rule = format!(
                ".{class} {{ --rx: {:.4}%; --ry: {:.4}%; --t: {}; }}",
                ring.rx / WIDTH * 100.0,
                ring.ry / HEIGHT * 100.0,
                1.0 - ring.turn
            );
            assert!(css.contains(&rule), "weft.css lacks `{rule}`");
        }
        for n in 1..MAX_NODES {
            let (count, place) = (
                format!(".lg .n{n} {{ --n: {n}; }}"),
                format!(".lg li:nth-child({n}) {{ --i: {n}; }}"),
            );
            assert!(css.contains(&count), "weft.css lacks `{count}`");
            assert!(css.contains(&place), "weft.css lacks `{place}`");
        }
    }
}
