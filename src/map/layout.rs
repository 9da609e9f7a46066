//! Where the map puts each page. A site of a few hundred pages gets a ForceAtlas2 layout,
//! where its links shape the picture; a larger one, where forces only make a tangle in the
//! time there is, gets one disc per section, packed in rows in navigation order, each a
//! sunflower with the section's own page at its centre and its most linked pages nearest it.

use super::Outline;

/// Pages up to which the map runs ForceAtlas2 (with exact, pairwise repulsion).
pub const FORCES_UP_TO: usize = 400;
/// Force-layout iterations.
const ITERATIONS: usize = 300;
/// The golden angle, which spreads a sunflower's seeds evenly.
const GOLDEN_ANGLE: f64 = 2.399_963_229_728_653;
/// How much wider than tall the rows of discs aim to be.
const ASPECT: f64 = 1.5;
/// Between two discs, in seeds' spacing.
const DISC_GAP: f64 = 3.0;

/// Every page's position, by index, in the layout's own units (the caller scales them).
/// `group` is each page's group, `heads` each group's page, `degree` each page's edge count.
pub fn positions(
    site: &Outline,
    group: &[usize],
    heads: &[usize],
    degree: &[usize],
) -> Vec<(f64, f64)> {
    if site.nodes.len() <= FORCES_UP_TO {
        forces(site, group, heads.len())
    } else {
        discs(group, heads, degree)
    }
}

/// ForceAtlas2 (the `fa2` crate): links pull pages together, every page is tied to its
/// section, and all repel, so sections form clusters. Deterministic: the start is a fixed
/// circle per section and the layout runs single-threaded.
fn forces(site: &Outline, group: &[usize], groups: usize) -> Vec<(f64, f64)> {
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
    for edge in site.edges.iter() {
        data.add_edge(edge.from.0 as usize, edge.to.0 as usize);
    }
    for (index, node) in site.nodes.iter().enumerate() {
        if let Some(parent) = node.parent {
            data.add_edge_with_weight(index, parent.0 as usize, 3.0);
        }
    }
    let settings = fa2::FA2Settings::<f64>::from_graph_order(n)
        .parallel(false)
        .with_pairwise_repulsion();
    let mut runner = settings.build(data);
    runner.run(ITERATIONS);
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

/// One disc per group, seeds one unit apart: the head at the centre, then the pages by
/// falling degree (ties by index) on a sunflower spiral. Time linear in the pages, plus a sort.
fn discs(group: &[usize], heads: &[usize], degree: &[usize]) -> Vec<(f64, f64)> {
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); heads.len()];
    for (page, &g) in group.iter().enumerate() {
        members[g].push(page);
    }
    for (g, pages) in members.iter_mut().enumerate() {
        pages.sort_by_key(|&p| (p != heads[g], std::cmp::Reverse(degree[p]), p));
    }
    let radius: Vec<f64> = members
        .iter()
        .map(|pages| (pages.len() as f64).sqrt() + 0.5)
        .collect();
    let centres = rows(&radius);
    let mut out = vec![(0.0, 0.0); group.len()];
    for (g, pages) in members.iter().enumerate() {
        let (cx, cy) = centres[g];
        for (k, &page) in pages.iter().enumerate() {
            let (r, angle) = ((k as f64).sqrt(), k as f64 * GOLDEN_ANGLE);
            out[page] = (cx + r * angle.cos(), cy + r * angle.sin());
        }
    }
    out
}

/// Centres for discs of the given radii (an empty group's is ignored), in order, packed left
/// to right in rows about [`ASPECT`] times wider than the stack of rows is tall; each row is
/// centred, and its discs on its middle line.
fn rows(radius: &[f64]) -> Vec<(f64, f64)> {
    let cell = |r: f64| 2.0 * r + DISC_GAP;
    let area: f64 = radius.iter().map(|&r| cell(r) * cell(r)).sum();
    let widest = radius.iter().copied().fold(0.0, f64::max);
    let target = (area * ASPECT).sqrt().max(cell(widest));
    // Rows as ranges of groups: a row takes discs until the next would pass the target.
    let mut rows: Vec<(usize, usize)> = Vec::new();
    let (mut start, mut width) = (0, 0.0);
    for (g, &r) in radius.iter().enumerate() {
        if width > 0.0 && width + cell(r) > target {
            rows.push((start, g));
            (start, width) = (g, 0.0);
        }
        width += cell(r);
    }
    rows.push((start, radius.len()));
    let mut centres = vec![(0.0, 0.0); radius.len()];
    let mut top = 0.0;
    for (start, end) in rows {
        let discs = &radius[start..end];
        let width: f64 = discs.iter().map(|&r| cell(r)).sum();
        let height = discs.iter().map(|&r| cell(r)).fold(0.0, f64::max);
        let mut left = (target - width) / 2.0;
        for (g, &r) in (start..end).zip(discs) {
            centres[g] = (left + cell(r) / 2.0, top + height / 2.0);
            left += cell(r);
        }
        top += height;
    }
    centres
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discs_do_not_overlap_and_hold_their_pages() {
        // Three groups of 1, 392 and 98 pages, interleaved.
        let group: Vec<usize> = (0..491)
            .map(|i| if i == 0 { 0 } else { 1 + i % 5 / 4 })
            .collect();
        let heads = [0, 1, 4];
        let degree: Vec<usize> = (0..491).map(|i| i % 13).collect();
        let at = discs(&group, &heads, &degree);
        let mut centre = [(0.0, 0.0); 3];
        for (g, &head) in heads.iter().enumerate() {
            centre[g] = at[head];
        }
        let mut size = [0usize; 3];
        for &g in &group {
            size[g] += 1;
        }
        let radius = |g: usize| (size[g] as f64).sqrt() + 0.5;
        for (page, &g) in group.iter().enumerate() {
            let (dx, dy) = (at[page].0 - centre[g].0, at[page].1 - centre[g].1);
            assert!(dx.hypot(dy) < radius(g), "page {page} outside its disc");
        }
        for a in 0..3 {
            for b in a + 1..3 {
                let d = (centre[a].0 - centre[b].0).hypot(centre[a].1 - centre[b].1);
                assert!(d >= radius(a) + radius(b), "discs {a} and {b} overlap");
            }
        }
    }

    #[test]
    fn the_most_linked_pages_sit_nearest_the_head() {
        let group = vec![0; 50];
        let mut degree = vec![1; 50];
        degree[37] = 9;
        let at = discs(&group, &[3], &degree);
        let from_head = |p: usize| (at[p].0 - at[3].0).hypot(at[p].1 - at[3].1);
        let nearest = (0..50)
            .filter(|&p| p != 3)
            .min_by(|&a, &b| from_head(a).total_cmp(&from_head(b)));
        assert_eq!(nearest, Some(37));
    }
}
