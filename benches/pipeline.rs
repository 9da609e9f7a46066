//! Criterion benches of the build pipeline's stages, on a generated site of 1,000 pages
//! (20 sections, each page with headings, a table, a code block, six links to other pages
//! and a taxonomy term): `cargo bench --bench pipeline`.
//!
//! Each stage is timed on the output of the stages before it, so a regression shows in the
//! stage that caused it. Whole builds against Hugo are timed by bench/build.py.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use rayon::prelude::*;
use weft::pipeline::{self, BuildOptions, Pages};
use weft::render::{Data, Renderer, Urls};
use weft::{config, discover, links, render, site, taxonomy};

const PAGES: usize = 1000;
const SECTIONS: usize = 20;
const TOPICS: [&str; 4] = [
    "radicalisation",
    "financing",
    "online-content",
    "rehabilitation",
];

/// Writes the generated site into `root`.
fn generate(root: &Path) {
    let content = root.join("content");
    std::fs::create_dir_all(&content).expect("content folder");
    std::fs::write(
        root.join("weft.yaml"),
        "title: Bench\nbase_url: https://example.org/\nsearch: false\ntaxonomies: [topics]\n",
    )
    .expect("weft.yaml");
    std::fs::write(
        content.join("_index.md"),
        "---\ntitle: Home\n---\nThe bench site.\n",
    )
    .expect("home");
    let per_section = PAGES / SECTIONS;
    for s in 0..SECTIONS {
        let dir = content.join(format!("area-{s}"));
        std::fs::create_dir_all(&dir).expect("section folder");
        std::fs::write(
            dir.join("_index.md"),
            format!("---\ntitle: Area {s}\n---\nPages of area {s}.\n"),
        )
        .expect("section");
        for p in 0..per_section {
            let n = s * per_section + p;
            let mut body = String::new();
            let _ = write!(
                body,
                "---\ntitle: Page {n}\ndate: 2024-01-{:02}\ntopics: [{}]\n---\n",
                p % 28 + 1,
                TOPICS[n % TOPICS.len()]
            );
            for h in 0..3 {
                let (a, b) = ((n + 7 * h + 1) % PAGES, (n + 13 * h + 5) % PAGES);
                let _ = write!(
                    body,
                    "\n## Part {h}\n\nPractitioners share what works, with [page {a}](../area-{}/page-{a}.md) \
                     and [[page-{b}]] close by. Cooperation across borders *matters*.\n\n\
                     | Partner | Role |\n|---|---|\n| EU | funding |\n| UN | norms |\n\n\
                     ```\nshare(information);\n```\n",
                    a / per_section
                );
            }
            std::fs::write(dir.join(format!("page-{n}.md")), body).expect("page");
        }
    }
}

fn stages(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    generate(root);
    let config = config::load(root).expect("config");
    let layout = discover::Layout::new(&config);
    let mut problems = Vec::new();

    c.bench_function("discover (walk and read 1,000 pages)", |b| {
        b.iter(|| discover::discover(black_box(root), &layout, &mut Vec::new()))
    });

    let found = discover::discover(root, &layout, &mut problems);
    c.bench_function("parse (front matter + Markdown + tree)", |b| {
        b.iter_batched(
            || discover::discover(root, &layout, &mut Vec::new()),
            |found| {
                site::parse_and_place(
                    found.markdown,
                    found.content_assets,
                    &config,
                    false,
                    &mut Vec::new(),
                )
            },
            BatchSize::LargeInput,
        )
    });

    let site = site::parse_and_place(
        found.markdown,
        found.content_assets,
        &config,
        false,
        &mut problems,
    );
    c.bench_function("links (resolve and build the graph)", |b| {
        b.iter(|| links::resolve(black_box(&site), &config, HashSet::new(), &mut Vec::new()))
    });

    let graph = links::resolve(&site, &config, HashSet::new(), &mut problems);
    let taxonomies = taxonomy::collect(&site, &config);
    let page_terms = taxonomy::page_terms(&taxonomies, site.pages.len());
    let urls = Urls::new(&config.base_url);
    let theme = render::load_theme(root, &config).expect("theme");
    let data = Data::new(&site, &graph, &taxonomies, &page_terms);
    let renderer = Renderer::new(&config, data, &urls, &theme);
    c.bench_function("render (default theme, 1,000 pages)", |b| {
        b.iter(|| {
            site.ids()
                .collect::<Vec<_>>()
                .into_par_iter()
                .map(|id| renderer.render_page(id, None).map_or(0, |html| html.len()))
                .sum::<usize>()
        })
    });
    assert!(problems.is_empty(), "the bench site has problems");

    let options = BuildOptions {
        root: root.to_path_buf(),
        base_url: None,
        drafts: false,
    };
    c.bench_function("whole build in memory (weft check)", |b| {
        b.iter(|| {
            pipeline::build(black_box(&options), Pages::Discard)
                .0
                .is_some()
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = stages
}
criterion_main!(benches);
