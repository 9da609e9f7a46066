//! The whole pipeline on one page: any file as `content/x.md` (or as a section, a bundle,
//! or in place of a neighbour) in a small site, parsed, linked, rendered with the built-in
//! theme, with the generated files. Nothing panics, the theme renders every page that does
//! not ask for a template of its own, and every output path stays inside the site.

#![no_main]

use libfuzzer_sys::fuzz_target;
use weft::generate;
use weft_fuzz::{check_diagnostics, page_text, site_with, with_renderer};

const PLACES: &[&str] = &[
    "x.md",
    "eu/x.md",
    "x/index.md",
    "x/_index.md",
    "eu/_index.md",
];

fuzz_target!(|data: &[u8]| {
    let Some((&place, rest)) = data.split_first() else {
        return;
    };
    let Some(text) = page_text(rest) else {
        return;
    };
    let rel = PLACES[usize::from(place) % PLACES.len()];
    let mut diagnostics = Vec::new();
    let site = site_with(rel, text, &mut diagnostics);
    let files = with_renderer(&site, &mut diagnostics, |renderer, problems| {
        let mut files = Vec::new();
        for id in site.ids() {
            let page = site.page(id);
            let html = renderer.render_page(id, None);
            if page.fm.template.is_none() {
                let html = html.unwrap_or_else(|d| panic!("{}", d.render(false)));
                assert!(!html.contains('\0'), "a marker is left in {}", page.url);
            }
            files.push(generate::page_file(&page.url));
        }
        let taxonomies = weft::taxonomy::collect(&site, weft_fuzz::config());
        for (path, what) in generate::generated_files(&taxonomies, weft_fuzz::config()) {
            if let Err(problem) = generate::make(renderer, what, None) {
                problems.push(problem);
            }
            files.push(path);
        }
        let taken: std::collections::HashSet<String> = files.iter().cloned().collect();
        let aliases = generate::alias_files(&site, |path| taken.contains(path), problems);
        for (path, alias) in aliases {
            if let Err(problem) = generate::make_alias(renderer, alias, None) {
                problems.push(problem);
            }
            files.push(path);
        }
        files
    });
    for path in &files {
        let inside = !path.is_empty()
            && !path.starts_with('/')
            && !path.contains('\\')
            && path
                .split('/')
                .all(|s| !s.is_empty() && s != "." && s != "..");
        assert!(inside, "output path {path:?} leaves the site");
    }
    check_diagnostics(&diagnostics);
});
