//! What the fuzz targets share: the text a page would have after `discover` read it, a site
//! configuration and theme loaded once, a small site around the fuzzed page, and the checks
//! every diagnostic must pass.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use weft::config::SiteConfig;
use weft::diag::Diagnostic;
use weft::discover::MarkdownFile;
use weft::render::{self, Theme};
use weft::site::{self, Site};
use weft::source::{Source, SourceFile};

/// A configuration with a taxonomy and the relations of the flagship site, so that fuzzed
/// front matter can reach every kind of key.
const CONFIG: &str = "\
title: Fuzz
base_url: https://example.org/docs/
search: false
taxonomies: [topics, partners]
relations:
  part_of: { label: \"Part of\", inverse: has_part, inverse_label: \"Includes\" }
  related: { label: \"Related\", symmetric: true }
";

/// Pages around the fuzzed one, for its links, wiki links and relations to reach.
const NEIGHBOURS: &[(&str, &str)] = &[
    (
        "_index.md",
        "---\ntitle: Home\n---\nSee [[x]] and [EU](eu/_index.md#members).\n",
    ),
    (
        "eu/_index.md",
        "---\ntitle: European Union\nsort_by: date\n---\n## Members\n\nThe [RAN](ran-coe.md).\n",
    ),
    (
        "eu/ran-coe.md",
        "---\ntitle: RAN Centre\ndate: 2026-11-28\naliases: [/old/ran/]\ntopics: [prevention]\npart_of: eu\n---\n# Mission {#mission}\n\n![chart](chart.png)\n",
    ),
    (
        "eu/notes.md",
        "---\ntitle: Notes\nslug: ran-notes\nrelated: [\"[[ran-coe]]\"]\n---\nText.\n",
    ),
];

/// The configuration every target uses.
pub fn config() -> &'static SiteConfig {
    static CONFIG_ONCE: OnceLock<SiteConfig> = OnceLock::new();
    CONFIG_ONCE.get_or_init(|| serde_yaml::from_str(CONFIG).expect("the fuzz config is valid"))
}

/// The built-in theme, compiled once.
pub fn theme() -> &'static Theme {
    static THEME: OnceLock<Theme> = OnceLock::new();
    THEME.get_or_init(|| {
        let nowhere = Path::new("/nonexistent/weft-fuzz-site");
        render::load_theme(nowhere, config()).unwrap_or_else(|_| panic!("the built-in theme loads"))
    })
}

/// The text of a page as `discover::read_markdown` hands it on: valid UTF-8 (invalid files
/// are refused there) without NUL (replaced there).
pub fn page_text(data: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(data).ok()?;
    Some(text.replace('\0', "\u{FFFD}"))
}

/// A source file under `content/`.
pub fn source(rel: &str, text: String) -> Source {
    SourceFile::new(Path::new("content").join(rel), text)
}

/// Builds the neighbours plus the fuzzed page at `content/{rel}`, as `site::parse_and_place` does
/// after discovery; the fuzzed page replaces a neighbour of the same path.
pub fn site_with(rel: &str, text: String, diagnostics: &mut Vec<Diagnostic>) -> Site {
    let mut files = vec![MarkdownFile {
        rel: PathBuf::from(rel),
        source: source(rel, text),
    }];
    for (path, neighbour) in NEIGHBOURS.iter().filter(|(path, _)| *path != rel) {
        files.push(MarkdownFile {
            rel: PathBuf::from(path),
            source: source(path, neighbour.to_string()),
        });
    }
    site::parse_and_place(files, Vec::new(), config(), false, diagnostics)
}

/// The files links may point at besides pages: the theme's static files.
pub fn known_files() -> HashSet<String> {
    theme().statics.iter().map(|(url, _)| url.clone()).collect()
}

/// Every diagnostic points inside its file, on character boundaries, and renders.
pub fn check_diagnostics(diagnostics: &[Diagnostic]) {
    for diagnostic in diagnostics {
        if let Some(location) = &diagnostic.location {
            let text = &location.file.text;
            let span = &location.span;
            assert!(
                span.start <= span.end && span.end <= text.len(),
                "span {span:?} outside the file ({} bytes): {diagnostic:?}",
                text.len()
            );
            assert!(
                text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
                "span {span:?} splits a character: {diagnostic:?}"
            );
        }
        let shown = diagnostic.render(false);
        assert!(shown.contains(&diagnostic.message), "{shown}");
    }
}

/// Runs the stages after parsing on `site` (links, taxonomies) and hands `f` the renderer,
/// as `pipeline::build` does.
pub fn with_renderer<T>(
    site: &Site,
    diagnostics: &mut Vec<Diagnostic>,
    f: impl FnOnce(&render::Renderer, &mut Vec<Diagnostic>) -> T,
) -> T {
    let graph = weft::links::resolve(site, config(), known_files(), diagnostics);
    let taxonomies = weft::taxonomy::collect(site, config());
    let page_terms = weft::taxonomy::page_terms(&taxonomies, site.pages.len());
    let urls = render::Urls::new(&config().base_url);
    let data = render::Data::new(site, &graph, &taxonomies, &page_terms);
    let renderer = render::Renderer::new(config(), data, &urls, theme());
    f(&renderer, diagnostics)
}

/// The page of `site` that came from `content/{rel}`, unless it was dropped (a draft).
pub fn page_from(site: &Site, rel: &str) -> Option<site::PageId> {
    site.ids().find(|&id| site.page(id).rel == Path::new(rel))
}
