//! The map (`/map/`) as weft writes it: on the flagship site no label overlaps another or
//! covers a dot; on a site of 2,100 pages it is drawn as one disc of dots per section, with
//! only the labelled pages as links, at most 2,000 lines, and every page in the list under it,
//! each section's dots in the order of its list (which `map.js` relies on).
//!
//! The labels' boxes are worked out again from the SVG with weft's own width estimate
//! (`map::label_rect`); `tests/browser/map.mjs` checks the boxes Chromium draws.

mod common;

use std::path::Path;

use common::Site;
use scraper::{ElementRef, Html, Selector};
use weft::map::{Anchor, Dot, Rect, label_rect};

fn select<'a>(html: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    html.select(&Selector::parse(css).expect("selector"))
        .collect()
}

fn number(e: &ElementRef, name: &str) -> f64 {
    e.value()
        .attr(name)
        .unwrap_or_else(|| panic!("no {name} on {:?}", e.value()))
        .parse()
        .expect("a number")
}

fn dot(circle: &ElementRef) -> Dot {
    Dot {
        x: number(circle, "cx"),
        y: number(circle, "cy"),
        r: number(circle, "r"),
    }
}

/// Each labelled dot's link, its label's box and its dot.
fn labels(map: &Html) -> Vec<(String, Rect, Dot)> {
    select(map, "svg.site-map a")
        .into_iter()
        .filter_map(|a| {
            let text = a.select(&Selector::parse("text").expect("text")).next()?;
            let anchor = match text.value().attr("text-anchor") {
                None => Anchor::Start,
                Some("middle") => Anchor::Middle,
                Some("end") => Anchor::End,
                Some(other) => panic!("text-anchor {other}"),
            };
            let label: String = text.text().collect();
            let rect = label_rect(&label, number(&text, "x"), number(&text, "y"), anchor);
            let circle = a.select(&Selector::parse("circle").expect("c")).next()?;
            let href = a.value().attr("href").expect("href").to_string();
            Some((href, rect, dot(&circle)))
        })
        .collect()
}

fn assert_apart(labels: &[(String, Rect, Dot)], dots: &[(String, Dot)]) {
    for (i, (href, rect, _)) in labels.iter().enumerate() {
        for (other, other_rect, _) in &labels[i + 1..] {
            assert!(
                !rect.overlaps(other_rect),
                "the labels of {href} and {other} overlap: {rect:?} {other_rect:?}"
            );
        }
        for (other, dot) in dots {
            assert!(
                other == href || !rect.covers(dot),
                "the label of {href} covers the dot of {other}"
            );
        }
    }
}

#[test]
fn no_label_overlaps_another_or_a_dot_on_the_flagship() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("public");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let built = common::weft_in(root, &["build", "--output", &out.display().to_string()]);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let map = Html::parse_document(
        &std::fs::read_to_string(out.join("map/index.html")).expect("the map"),
    );
    let dots: Vec<(String, Dot)> = select(&map, "svg.site-map a")
        .iter()
        .map(|a| {
            let circle = a
                .select(&Selector::parse("circle").expect("c"))
                .next()
                .expect("a dot");
            (
                a.value().attr("href").expect("href").to_string(),
                dot(&circle),
            )
        })
        .collect();
    let labels = labels(&map);
    // Some dots may go without a label, but few: the flagship has 32 pages.
    assert!(labels.len() >= 26, "only {} labels", labels.len());
    assert_eq!(dots.len(), 32, "every page a linked dot");
    assert_apart(&labels, &dots);
}

const SECTIONS: usize = 6;
const PAGES: usize = 350;

/// 6 sections of 350 pages, each page linking to three others across the site.
fn large_site() -> Site {
    let mut files = Vec::new();
    for s in 0..SECTIONS {
        files.push((
            format!("content/s{s}/_index.md"),
            format!("---\ntitle: Section {s}\n---\n"),
        ));
        for p in 0..PAGES {
            let link = |k: usize| {
                let n = (s * PAGES + p) * 7 + k * 131 + 1;
                format!("[x](/s{}/p{}/)", n / 7 % SECTIONS, n % PAGES)
            };
            files.push((
                format!("content/s{s}/p{p}.md"),
                format!(
                    "---\ntitle: Page {p} of section {s}\n---\n{} {} {}\n",
                    link(0),
                    link(1),
                    link(2)
                ),
            ));
        }
    }
    files.push(("content/_index.md".into(), "---\ntitle: Home\n---\n".into()));
    Site::built(&files)
}

#[test]
fn a_large_site_is_a_disc_per_section_with_the_labelled_pages_as_links() {
    let site = large_site();
    let text = site.out("map/index.html");
    let map = Html::parse_document(&text);
    let pages = SECTIONS * PAGES + SECTIONS + 1;
    assert!(
        text.len() < pages * 170,
        "the map weighs {} bytes for {pages} pages",
        text.len()
    );

    // The labelled pages are the links, apart from each other and from each other's dots.
    let labels = labels(&map);
    let linked = select(&map, "svg.site-map a");
    assert_eq!(labels.len(), linked.len(), "a link without a label");
    assert!(labels.len() > SECTIONS, "only {} labels", labels.len());
    let labelled_dots: Vec<(String, Dot)> = labels
        .iter()
        .map(|(href, _, dot)| (href.clone(), *dot))
        .collect();
    assert_apart(&labels, &labelled_dots);
    let lede: String = select(&map, ".map-page .lede")[0].text().collect();
    assert!(
        lede.contains(&format!("the {} labelled", linked.len())),
        "{lede}"
    );

    // At most 2,000 lines, and the lede says that not every edge is one.
    let lines: usize = select(&map, "svg.site-map .edges path")
        .iter()
        .map(|p| p.value().attr("d").expect("d").matches('M').count())
        .sum();
    assert_eq!(lines, 2000);
    assert!(lede.contains("Lines show"), "{lede}");

    // Each section's other pages are its path's dots, in the order of its list.
    let groups = select(&map, "svg.site-map > g:not(.edges):not(.labelled)");
    let lists = select(&map, ".map-group ul");
    assert_eq!(groups.len(), lists.len());
    let mut listed = 0;
    for (group, list) in groups.iter().zip(&lists) {
        let items: Vec<&str> = list
            .select(&Selector::parse("a").expect("a"))
            .map(|a| a.value().attr("href").expect("href"))
            .collect();
        listed += items.len();
        let unlinked = items
            .iter()
            .filter(|href| !labels.iter().any(|(h, _, _)| h == *href))
            .count();
        let seeds = group
            .select(&Selector::parse("path.dots").expect("dots"))
            .map(|p| p.value().attr("d").expect("d").matches("h0").count())
            .sum::<usize>();
        assert_eq!(seeds, unlinked, "a section's dots and its list differ");
    }
    assert_eq!(listed, pages, "every page in the list");
}
