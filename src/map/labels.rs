//! The map's labels: placed greedily, the most important page first, above, below, right or
//! left of its dot, wherever the text's box (its width estimated from the characters, on the
//! generous side) overlaps no label placed before it and no dot that matters; a page with no
//! room keeps only its dot and its tooltip.

/// A page's dot: centre and radius, in the drawing's units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dot {
    /// Centre, across.
    pub x: f64,
    /// Centre, down.
    pub y: f64,
    /// Radius.
    pub r: f64,
}

/// A box in the drawing's units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub left: f64,
    /// Top edge.
    pub top: f64,
    /// Right edge.
    pub right: f64,
    /// Bottom edge.
    pub bottom: f64,
}

impl Rect {
    /// Whether the two boxes share more than an edge.
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.left < other.right
            && other.left < self.right
            && self.top < other.bottom
            && other.top < self.bottom
    }

    /// Whether the box covers any of the dot.
    pub fn covers(&self, dot: &Dot) -> bool {
        let dx = dot.x - dot.x.clamp(self.left, self.right);
        let dy = dot.y - dot.y.clamp(self.top, self.bottom);
        dx * dx + dy * dy < dot.r * dot.r
    }

    fn inside(&self, bounds: &Rect) -> bool {
        self.left >= bounds.left
            && self.right <= bounds.right
            && self.top >= bounds.top
            && self.bottom <= bounds.bottom
    }
}

/// Where a label's text is anchored on its point (SVG `text-anchor`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// The text starts at the point.
    Start,
    /// The text is centred on the point.
    Middle,
    /// The text ends at the point.
    End,
}

/// A placed label: the page's index, its text, the baseline point and the box it may fill.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    /// Index of the page's dot.
    pub node: usize,
    /// The text shown (the title, shortened).
    pub text: String,
    /// Anchor point, across (whole units).
    pub x: f64,
    /// Baseline (whole units).
    pub y: f64,
    /// How the text sits on `x`.
    pub anchor: Anchor,
    /// The box the text and its halo may fill.
    pub rect: Rect,
}

/// The labels' font size in the drawing's units (the stylesheet's `.site-map` font size).
pub const FONT: f64 = 13.0;
/// Above the baseline and below it, in ems: DejaVu Sans's ascender and descender, taller than
/// most sans-serif fonts' glyphs.
const ASCENT: f64 = 0.93;
const DESCENT: f64 = 0.24;
/// The halo drawn around the text (the map's `feMorphology` radius), with a little to spare.
const HALO: f64 = 3.0;
/// Between a dot and its label.
const GAP: f64 = 3.0;
/// Characters a label keeps of a longer title.
const LABEL_CHARS: usize = 28;

/// An upper bound of the width of `text` at `font`: the widths of DejaVu Sans (the widest of
/// the usual sans-serif fonts, and Linux's fallback), rounded up, by class of character.
pub fn text_width(text: &str, font: f64) -> f64 {
    let ems: f64 = text
        .chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '!' | '|' | 'I' => 0.34,
            'f' | 't' | 'r' | ' ' | '(' | ')' | '[' | ']' | '-' | '/' | '"' => 0.46,
            'm' | 'w' | 'M' | 'W' | '%' | '@' | '—' | '…' => 1.02,
            'A'..='Z' | '&' => 0.8,
            c if c.is_ascii() => 0.66,
            // CJK and other wide scripts: a full em.
            c if c >= '\u{2E80}' => 1.02,
            _ => 0.8,
        })
        .sum();
    ems * font
}

/// The title as a label: at most [`LABEL_CHARS`] characters, cut with an ellipsis.
pub fn shorten(title: &str) -> String {
    if title.chars().count() <= LABEL_CHARS {
        return title.to_string();
    }
    let cut: String = title.chars().take(LABEL_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

/// Places labels for the pages in `order` (most important first) whose text fits: inside
/// `bounds`, clear of every label placed before and of the dots that block. When `every_dot`
/// is set every dot blocks; otherwise (a dense map) only labelled pages' dots do, and a page
/// whose dot lies under a label placed before it gets none.
pub fn place<'t>(
    dots: &[Dot],
    title: impl Fn(usize) -> &'t str,
    order: &[usize],
    bounds: Rect,
    every_dot: bool,
) -> Vec<Label> {
    let mut placed: Vec<Label> = Vec::new();
    for &node in order {
        let dot = dots[node];
        if placed.iter().any(|l| l.rect.covers(&dot)) {
            continue;
        }
        let text = shorten(title(node));
        let width = text_width(&text, FONT);
        let fits = |rect: &Rect| {
            rect.inside(&bounds)
                && !placed.iter().any(|l| l.rect.overlaps(rect))
                && if every_dot {
                    !dots
                        .iter()
                        .enumerate()
                        .any(|(i, d)| i != node && rect.covers(d))
                } else {
                    !placed.iter().any(|l| rect.covers(&dots[l.node]))
                }
        };
        let spot = SPOTS
            .iter()
            .map(|spot| spot(dot, width))
            .find(|(_, _, _, rect)| fits(rect));
        if let Some((x, y, anchor, rect)) = spot {
            placed.push(Label {
                node,
                text,
                x,
                y,
                anchor,
                rect,
            });
        }
    }
    placed
}

type Spot = fn(Dot, f64) -> (f64, f64, Anchor, Rect);

/// Above the dot, below it, to its right, to its left: the anchor point and the box.
const SPOTS: [Spot; 4] = [
    |d, w| {
        let y = (d.y - d.r - GAP - DESCENT * FONT).floor();
        spot(d.x.round(), y, Anchor::Middle, w)
    },
    |d, w| {
        let y = (d.y + d.r + GAP + ASCENT * FONT).ceil();
        spot(d.x.round(), y, Anchor::Middle, w)
    },
    |d, w| {
        let y = (d.y + 0.35 * FONT).round();
        spot((d.x + d.r + GAP).ceil(), y, Anchor::Start, w)
    },
    |d, w| {
        let y = (d.y + 0.35 * FONT).round();
        spot((d.x - d.r - GAP).floor(), y, Anchor::End, w)
    },
];

fn spot(x: f64, y: f64, anchor: Anchor, width: f64) -> (f64, f64, Anchor, Rect) {
    (x, y, anchor, rect(x, y, anchor, width))
}

/// The box a label of `width` anchored at (`x`, baseline `y`) may fill, with its halo.
fn rect(x: f64, y: f64, anchor: Anchor, width: f64) -> Rect {
    let left = match anchor {
        Anchor::Start => x,
        Anchor::Middle => x - width / 2.0,
        Anchor::End => x - width,
    };
    Rect {
        left: left - HALO,
        top: y - ASCENT * FONT - HALO,
        right: left + width + HALO,
        bottom: y + DESCENT * FONT + HALO,
    }
}

/// The box that `text`, drawn at (`x`, baseline `y`) with `anchor`, may fill by the same
/// estimate as [`place`]: for checking a drawn map.
pub fn label_rect(text: &str, x: f64, y: f64, anchor: Anchor) -> Rect {
    rect(x, y, anchor, text_width(text, FONT))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOUNDS: Rect = Rect {
        left: 0.0,
        top: 0.0,
        right: 1000.0,
        bottom: 700.0,
    };

    /// A crowded, deterministic scatter of `n` dots with titles of varied lengths.
    fn scatter(n: usize) -> (Vec<Dot>, Vec<String>) {
        let mut seed = 0x2545_f491_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % 10_000) as f64 / 10_000.0
        };
        let dots = (0..n)
            .map(|_| Dot {
                x: 20.0 + next() * 960.0,
                y: 20.0 + next() * 660.0,
                r: 3.0 + next() * 5.0,
            })
            .collect();
        let titles = (0..n)
            .map(|i| format!("Page {i} {}", "about Something ".repeat(i % 4)))
            .collect();
        (dots, titles)
    }

    fn assert_apart(labels: &[Label], dots: &[Dot], every_dot: bool) {
        for (i, a) in labels.iter().enumerate() {
            assert!(a.rect.inside(&BOUNDS), "{a:?} leaves the drawing");
            for b in &labels[i + 1..] {
                assert!(!a.rect.overlaps(&b.rect), "{a:?} overlaps {b:?}");
            }
            for (j, dot) in dots.iter().enumerate() {
                let blocks = every_dot || labels.iter().any(|l| l.node == j);
                if j != a.node && blocks {
                    assert!(!a.rect.covers(dot), "{a:?} covers dot {j}: {dot:?}");
                }
            }
        }
    }

    #[test]
    fn no_two_labels_overlap_on_a_crowded_graph() {
        for (n, every_dot) in [(40, true), (300, true), (3000, false)] {
            let (dots, titles) = scatter(n);
            let order: Vec<usize> = (0..n).collect();
            let labels = place(&dots, |i| &titles[i], &order, BOUNDS, every_dot);
            assert!(labels.len() >= 10, "{n} dots: only {} labels", labels.len());
            assert_apart(&labels, &dots, every_dot);
        }
    }

    #[test]
    fn a_dot_in_the_way_moves_a_label_or_loses_its_own() {
        let dots = [
            Dot {
                x: 500.0,
                y: 300.0,
                r: 5.0,
            },
            // Just above the first, where its label would go.
            Dot {
                x: 500.0,
                y: 290.0,
                r: 2.0,
            },
        ];
        let titles = ["A long first title here", "Second"];
        // Every dot blocks: the first label goes below, the second above its dot.
        let labels = place(&dots, |i| titles[i], &[0, 1], BOUNDS, true);
        assert_eq!(labels.iter().map(|l| l.node).collect::<Vec<_>>(), [0, 1]);
        assert!(labels[0].y > 300.0 && labels[1].y < 290.0, "{labels:?}");
        // A dense map: the first label covers the second dot, which gets none.
        let labels = place(&dots, |i| titles[i], &[0, 1], BOUNDS, false);
        assert_eq!(labels.iter().map(|l| l.node).collect::<Vec<_>>(), [0]);
        assert!(labels[0].rect.covers(&dots[1]));
    }

    #[test]
    fn a_label_moves_aside_near_the_edge() {
        let dots = [Dot {
            x: 990.0,
            y: 20.0,
            r: 5.0,
        }];
        let labels = place(&dots, |_| "Near the corner", &[0], BOUNDS, true);
        assert_eq!(labels[0].anchor, Anchor::End, "{labels:?}");
    }

    #[test]
    fn widths_are_generous_and_long_titles_shortened() {
        // DejaVu Sans at 13px: "Counter-terrorism cooperation" is about 196px wide.
        assert!(text_width("Counter-terrorism cooperation", FONT) >= 196.0);
        assert!(text_width("WWW", FONT) >= 3.0 * 0.98 * FONT);
        assert_eq!(
            shorten("Global Counterterrorism Forum (GCTF)"),
            "Global Counterterrorism For…"
        );
        assert_eq!(shorten("Europol"), "Europol");
    }
}
