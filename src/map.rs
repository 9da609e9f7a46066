//! The map: the graph of pages and their links drawn as SVG at build time, grouped by
//! top-level section, each node a link, so that it needs no JavaScript (the theme's `map.js`
//! adds pan, zoom and "find a page"). It stays readable and light at 10,000 pages: a large site
//! is drawn as one disc per section ([`layout`]), only the labels that fit are placed
//! ([`labels`]), and the lines are capped to those between the most linked pages.

mod labels;
mod layout;

use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use labels::Label;

pub use labels::{Anchor, Dot, Rect, label_rect};

use crate::links::{Edge, EdgeKind};
use crate::render::{Urls, escaped};
use crate::site::{PageId, PageKind};

/// What the map shows of the site: every page's place and the edges between them.
pub struct Outline<'a> {
    /// The home page.
    pub home: PageId,
    /// The home page's sections, in navigation order.
    pub sections: std::borrow::Cow<'a, [PageId]>,
    /// Every page, by [`PageId`] (on a site with several languages, those of one language,
    /// numbered in order).
    pub nodes: Vec<Node<'a>>,
    /// The edges of the link graph between them.
    pub edges: std::borrow::Cow<'a, [Edge]>,
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
    /// How many of their dots are links: all up to 2,000 pages; above, the labelled ones.
    pub links: usize,
    /// Number of edges (links and relations) between the pages.
    pub edges: usize,
    /// How many of them are drawn as lines: all, unless there are more than 2,000 lines to
    /// draw; then those between the most linked pages (an edge and its reverse share a line).
    pub edges_drawn: usize,
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

/// The drawing's width, in its own units (about CSS pixels on a desktop screen).
const WIDTH: f64 = 1000.0;
/// Room left around the dots, across and down.
const PAD_X: f64 = 40.0;
const PAD_Y: f64 = 32.0;
/// Pages tried for a label, the most important first.
const LABEL_CANDIDATES: usize = 400;
/// Lines drawn at most; above, only those between the most linked pages.
const LINES_UP_TO: usize = 2000;
/// Pages up to which every dot is a link with its title as a tooltip. Above, only the
/// labelled pages' dots are; the others of a section are drawn as one path, in the order of
/// the section's list under the map (which links every page, and which `map.js` matches with
/// the path's dots). 10,000 links with titles are 30,000 elements: Chromium took a second to
/// style them.
const LINKED_DOTS_UP_TO: usize = 2000;

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

/// The map's groups: the home page's first, then the top-level sections in navigation order.
struct Groups {
    /// Each group's own page.
    heads: Vec<usize>,
    /// Each page's group.
    of: Vec<usize>,
    /// Each group's pages, in order.
    members: Vec<Vec<usize>>,
}

fn groups(site: &Outline) -> Groups {
    let heads: Vec<usize> = std::iter::once(site.home)
        .chain(site.sections.iter().copied())
        .map(|id| id.0 as usize)
        .collect();
    let index: BTreeMap<usize, usize> = heads.iter().enumerate().map(|(i, &h)| (h, i)).collect();
    let of: Vec<usize> = ids(site)
        .map(|id| index[&(group_of(site, id).0 as usize)])
        .collect();
    let mut members = vec![Vec::new(); heads.len()];
    for (page, &g) in of.iter().enumerate() {
        members[g].push(page);
    }
    Groups { heads, of, members }
}

/// Lays out and draws the whole site; `title` names the drawing for screen readers (its
/// words with a count, `map_title`, in the language of the page).
pub fn draw(site: &Outline, urls: &Urls, title: &str) -> MapDrawing {
    let n = site.nodes.len();
    let groups = groups(site);
    let mut degree = vec![0usize; n];
    for edge in site.edges.iter() {
        degree[edge.from.0 as usize] += 1;
        degree[edge.to.0 as usize] += 1;
    }
    let heads = &groups.heads;
    let (position, height) = fit(&layout::positions(site, &groups.of, heads, &degree));
    let dots = dots(&position, height, heads, &degree);
    let labels = place_labels(site, &dots, heads, &degree, height);
    let dense = dots.iter().map(|d| d.r).fold(f64::MAX, f64::min) < 4.0;

    let mut svg = String::with_capacity(n * 100 + 4096);
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"site-map{}\" viewBox=\"0 0 {WIDTH:.0} {height:.0}\" role=\"group\" aria-labelledby=\"weftMapTitle\"><title id=\"weftMapTitle\">{}</title>",
        if dense { " dense" } else { "" },
        crate::render::escaped(title),
    );
    let edges_drawn = draw_edges(&mut svg, site, &dots, &degree);
    let mut labelled = vec![false; n];
    for label in &labels {
        labelled[label.node] = true;
    }
    let legend = draw_groups(&mut svg, site, urls, &groups, &dots, &labelled);
    // Labelled pages last, so that their text is drawn over every other dot.
    svg.push_str("<g class=\"labelled\">");
    for label in &labels {
        let i = label.node;
        let class = format!("g{}", groups.of[i] % 8);
        let hub = heads.contains(&i);
        draw_node(
            &mut svg,
            site,
            urls,
            i,
            &dots[i],
            hub,
            Some((&class, label)),
        );
    }
    svg.push_str("</g></svg>");
    MapDrawing {
        svg,
        nodes: n,
        links: if n <= LINKED_DOTS_UP_TO {
            n
        } else {
            labels.len()
        },
        edges: site.edges.len(),
        edges_drawn,
        groups: legend,
    }
}

/// Draws each group's unlabelled pages in a `<g>` of its colour (as links, or on a large map
/// as one path; `map.js` matches the groups in order with the lists under the map) and returns
/// the groups for those lists.
fn draw_groups(
    svg: &mut String,
    site: &Outline,
    urls: &Urls,
    groups: &Groups,
    dots: &[Dot],
    labelled: &[bool],
) -> Vec<MapGroup> {
    let mut legend = Vec::new();
    for (g, (&head, members)) in groups.heads.iter().zip(&groups.members).enumerate() {
        if members.is_empty() {
            continue;
        }
        let class = format!("g{}", g % 8);
        let _ = write!(svg, "<g class=\"{class}\">");
        let unlabelled = members.iter().filter(|&&i| !labelled[i]);
        if site.nodes.len() <= LINKED_DOTS_UP_TO {
            for &i in unlabelled {
                draw_node(svg, site, urls, i, &dots[i], i == head, None);
            }
        } else {
            draw_dots(svg, unlabelled.map(|&i| &dots[i]));
        }
        svg.push_str("</g>");
        let page = |i: usize| {
            (
                site.nodes[i].title.to_string(),
                urls.path(site.nodes[i].url),
            )
        };
        let (title, url) = page(head);
        legend.push(MapGroup {
            title,
            url,
            class,
            pages: members.iter().map(|&i| page(i)).collect(),
        });
    }
    legend
}

fn ids(site: &Outline) -> impl Iterator<Item = PageId> + use<> {
    (0..site.nodes.len() as u32).map(PageId)
}

/// Scales the layout's positions into the drawing's width, in whole units; returns them and
/// the drawing's height.
fn fit(raw: &[(f64, f64)]) -> (Vec<(f64, f64)>, f64) {
    let (min_x, max_x, min_y, max_y) = raw.iter().fold(
        (f64::MAX, f64::MIN, f64::MAX, f64::MIN),
        |(a, b, c, d), &(x, y)| (a.min(x), b.max(x), c.min(y), d.max(y)),
    );
    let span = (max_x - min_x).max(max_y - min_y).max(1.0);
    let scale = (WIDTH - 2.0 * PAD_X) / span;
    let height = ((max_y - min_y) * scale + 2.0 * PAD_Y).max(200.0).round();
    let position = raw
        .iter()
        .map(|&(x, y)| {
            (
                (PAD_X + (x - min_x) * scale).round(),
                (PAD_Y + (y - min_y) * scale).round(),
            )
        })
        .collect();
    (position, height)
}

/// Each page's dot: a size for the map's density (5 units when there is room, down to 1.5),
/// larger for the most linked pages, and larger still for the sections' own pages.
fn dots(position: &[(f64, f64)], height: f64, heads: &[usize], degree: &[usize]) -> Vec<Dot> {
    let area = (WIDTH - 2.0 * PAD_X) * (height - 2.0 * PAD_Y).max(1.0);
    let base = (0.3 * (area / position.len().max(1) as f64).sqrt()).clamp(1.5, 5.0);
    let most = degree.iter().copied().max().unwrap_or(0).max(1) as f64;
    position
        .iter()
        .enumerate()
        .map(|(i, &(x, y))| {
            let r = if heads.contains(&i) {
                base * 1.6
            } else {
                base * (0.75 + 0.5 * (degree[i] as f64 / most).sqrt())
            };
            Dot {
                x,
                y,
                r: (r * 10.0).round() / 10.0,
            }
        })
        .collect()
}

/// Labels for the sections' pages first (the home page's first), then for the most linked
/// pages, wherever they fit. On a dense map a label may cover unlabelled dots.
fn place_labels(
    site: &Outline,
    dots: &[Dot],
    heads: &[usize],
    degree: &[usize],
    height: f64,
) -> Vec<Label> {
    let mut order: Vec<usize> = (0..dots.len()).filter(|i| !heads.contains(i)).collect();
    order.sort_by_key(|&i| (Reverse(degree[i]), i));
    let order: Vec<usize> = heads
        .iter()
        .copied()
        .chain(order)
        .take(LABEL_CANDIDATES)
        .collect();
    let bounds = Rect {
        left: 2.0,
        top: 2.0,
        right: WIDTH - 2.0,
        bottom: height - 2.0,
    };
    let every_dot = dots.len() <= layout::FORCES_UP_TO;
    labels::place(dots, |i| site.nodes[i].title, &order, bounds, every_dot)
}

/// One line of the drawing: a pair of pages and the kind of their edges (an edge and its
/// reverse share it).
struct Line {
    ends: (usize, usize),
    relation: bool,
    /// The first edge it draws, by index, to keep the edges' order.
    first: usize,
    /// How many edges it draws.
    edges: usize,
}

/// Draws the edges as two paths, links and relations, one line per pair of pages (at most
/// [`LINES_UP_TO`], those whose pages are the most linked); returns how many edges they draw.
fn draw_edges(svg: &mut String, site: &Outline, dots: &[Dot], degree: &[usize]) -> usize {
    let mut by_pair: BTreeMap<(usize, usize, bool), Line> = BTreeMap::new();
    // An edge from a page to itself needs no line: it counts as drawn.
    let mut to_itself = 0;
    for (index, edge) in site.edges.iter().enumerate() {
        let (a, b) = (edge.from.0 as usize, edge.to.0 as usize);
        if a == b {
            to_itself += 1;
            continue;
        }
        let (ends, relation) = (
            (a.min(b), a.max(b)),
            matches!(edge.kind, EdgeKind::Relation(_)),
        );
        by_pair
            .entry((ends.0, ends.1, relation))
            .or_insert(Line {
                ends,
                relation,
                first: index,
                edges: 0,
            })
            .edges += 1;
    }
    let mut lines: Vec<Line> = by_pair.into_values().collect();
    if lines.len() > LINES_UP_TO {
        // The lines whose less linked page is the most linked, then by the other page.
        lines.sort_by_key(|line| {
            let (a, b) = (degree[line.ends.0], degree[line.ends.1]);
            (Reverse(a.min(b)), Reverse(a.max(b)), line.first)
        });
        lines.truncate(LINES_UP_TO);
    }
    lines.sort_by_key(|line| line.first);
    svg.push_str("<g class=\"edges\">");
    for (relation, class) in [(false, ""), (true, " class=\"relation\"")] {
        let mut d = String::new();
        for line in lines.iter().filter(|line| line.relation == relation) {
            let (from, to) = (dots[line.ends.0], dots[line.ends.1]);
            let _ = write!(d, "M{} {}L{} {}", from.x, from.y, to.x, to.y);
        }
        if !d.is_empty() {
            let _ = write!(svg, "<path{class} d=\"{d}\"/>");
        }
    }
    svg.push_str("</g>");
    to_itself + lines.iter().map(|line| line.edges).sum::<usize>()
}

/// Draws dots that are not links as one path of zero-length lines with round caps, all the
/// size of the smallest.
fn draw_dots<'d>(svg: &mut String, dots: impl Iterator<Item = &'d Dot>) {
    let mut d = String::new();
    let mut r = f64::MAX;
    for dot in dots {
        let _ = write!(d, "M{} {}h0", dot.x, dot.y);
        r = r.min(dot.r);
    }
    if !d.is_empty() {
        let _ = write!(
            svg,
            "<path class=\"dots\" stroke-width=\"{}\" d=\"{d}\"/>",
            (r * 20.0).round() / 10.0
        );
    }
}

/// Draws one page as a linked dot, with its label if it has one.
fn draw_node(
    svg: &mut String,
    site: &Outline,
    urls: &Urls,
    i: usize,
    dot: &Dot,
    hub: bool,
    label: Option<(&str, &Label)>,
) {
    let page = &site.nodes[i];
    // A labelled dot is drawn outside its group: its colour class goes on the circle.
    let class = match (label.map(|(c, _)| c), hub) {
        (Some(c), true) => format!(" class=\"{c} hub\""),
        (Some(c), false) => format!(" class=\"{c}\""),
        (None, true) => " class=\"hub\"".to_string(),
        (None, false) => String::new(),
    };
    let _ = write!(
        svg,
        "<a href=\"{}\"><title>{}</title><circle{class} cx=\"{}\" cy=\"{}\" r=\"{}\"/>",
        escaped(&urls.path(page.url)),
        escaped(page.title),
        dot.x,
        dot.y,
        dot.r,
    );
    if let Some((_, label)) = label {
        let anchor = match label.anchor {
            labels::Anchor::Start => "",
            labels::Anchor::Middle => " text-anchor=\"middle\"",
            labels::Anchor::End => " text-anchor=\"end\"",
        };
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\"{anchor}>{}</text>",
            label.x,
            label.y,
            escaped(&label.text)
        );
    }
    svg.push_str("</a>");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A generated site: a home page, `sections` sections of `per` pages each, every page
    /// linking to three others across the site and every seventh with a relation.
    fn site(sections: usize, per: usize) -> (Vec<Node<'static>>, Vec<PageId>, Vec<Edge>) {
        let mut nodes = vec![Node {
            title: "Home",
            url: "",
            kind: PageKind::Section,
            parent: None,
        }];
        let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
        let mut heads = Vec::new();
        for s in 0..sections {
            heads.push(PageId(nodes.len() as u32));
            nodes.push(Node {
                title: leak(format!("Section {s}")),
                url: leak(format!("s{s}/")),
                kind: PageKind::Section,
                parent: Some(PageId(0)),
            });
            let head = *heads.last().expect("a head");
            for p in 0..per {
                nodes.push(Node {
                    title: leak(format!(
                        "A page called {p} in {s}{}",
                        " and so on".repeat(p % 3)
                    )),
                    url: leak(format!("s{s}/p{p}/")),
                    kind: PageKind::Page,
                    parent: Some(head),
                });
            }
        }
        let n = nodes.len();
        let edges = (1..n)
            .flat_map(|i| {
                (1..4).map(move |k| Edge {
                    from: PageId(i as u32),
                    to: PageId(((i * 37 + k * 101) % (n - 1) + 1) as u32),
                    kind: if i % 7 == 0 && k == 1 {
                        EdgeKind::Relation("related".into())
                    } else {
                        EdgeKind::Link
                    },
                })
            })
            .collect();
        (nodes, heads, edges)
    }

    #[test]
    fn no_two_placed_labels_overlap_on_a_generated_graph() {
        for (sections, per) in [(5, 30), (8, 300)] {
            let (nodes, heads, edges) = site(sections, per);
            let outline = Outline {
                home: PageId(0),
                sections: heads.as_slice().into(),
                nodes,
                edges: edges.as_slice().into(),
            };
            let groups = groups(&outline);
            let mut degree = vec![0; outline.nodes.len()];
            for e in &edges {
                degree[e.from.0 as usize] += 1;
                degree[e.to.0 as usize] += 1;
            }
            let raw = layout::positions(&outline, &groups.of, &groups.heads, &degree);
            let (position, height) = fit(&raw);
            let dots = dots(&position, height, &groups.heads, &degree);
            let labels = place_labels(&outline, &dots, &groups.heads, &degree, height);
            assert!(labels.len() > sections, "{} labels", labels.len());
            let every_dot = outline.nodes.len() <= layout::FORCES_UP_TO;
            for (i, a) in labels.iter().enumerate() {
                for b in &labels[i + 1..] {
                    assert!(!a.rect.overlaps(&b.rect), "{a:?} overlaps {b:?}");
                }
                for (j, dot) in dots.iter().enumerate() {
                    let blocks = every_dot || labels.iter().any(|l| l.node == j);
                    assert!(
                        j == a.node || !blocks || !a.rect.covers(dot),
                        "{a:?} on {j}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_small_map_links_every_dot_and_draws_every_edge() {
        let (nodes, heads, edges) = site(5, 30);
        let n = nodes.len();
        let outline = Outline {
            home: PageId(0),
            sections: heads.as_slice().into(),
            nodes,
            edges: edges.as_slice().into(),
        };
        let drawing = draw(&outline, &Urls::new("https://example.org/docs/"), "Map");
        assert_eq!(drawing.svg.matches("<a href=\"/docs/").count(), n);
        assert_eq!((drawing.links, drawing.nodes), (n, n));
        assert_eq!(drawing.edges_drawn, drawing.edges);
        assert_eq!(
            drawing.svg.matches("<path").count(),
            2,
            "links and relations"
        );
        assert_eq!(drawing.groups.len(), 6);
        assert_eq!(drawing.groups[1].pages.len(), 31);
    }
}
