//! Generated files beside the pages: taxonomy pages, the 404 page, alias redirects,
//! `graph.json` and the map, `sitemap.xml`, `robots.txt` and the Atom feed.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;

use pulldown_cmark_escape::escape_html;
use rayon::prelude::*;
use serde::Serialize;

use crate::commands::build::page_file;
use crate::diag::Diagnostic;
use crate::links::normalize;
use crate::map;
use crate::output::{Content, Files, Writer};
use crate::render::Renderer;
use crate::site::{PageId, Site};
use crate::source::display_path;

/// Every generated file but the aliases, made in parallel, by output path, in the order of
/// [`generated_files`]: its bytes, or [`Content::Streamed`] once written.
pub type Made = Vec<(String, Result<Content, Diagnostic>)>;

/// Makes every generated file but the aliases; see [`add_generated`]. With a `writer`, each
/// file is written as soon as it is made, like the pages, unless a page has its path: that
/// collision is [`add_generated`]'s to report, and nothing of the page is written over.
pub fn make_all(renderer: &Renderer, writer: Option<&Writer>) -> Made {
    let page_paths: HashSet<String> = match writer {
        Some(_) => renderer
            .site
            .pages
            .iter()
            .map(|p| page_file(&p.url))
            .collect(),
        None => HashSet::new(),
    };
    generated_files(renderer)
        .into_par_iter()
        .map(|(path, what)| {
            let made = make(renderer, what).map(|text| match writer {
                Some(writer) if !page_paths.contains(&path) => {
                    writer.put(&path, text.as_bytes());
                    Content::Streamed
                }
                _ => Content::Bytes(text.into_bytes()),
            });
            (path, made)
        })
        .collect()
}

/// Adds the files [`make_all`] made, and the aliases, to `files` (which holds the pages);
/// collisions with pages are diagnostics.
pub fn add_generated(
    renderer: &Renderer,
    generated: Made,
    files: &mut Files,
    problems: &mut Vec<Diagnostic>,
) {
    for (path, result) in generated {
        match result {
            Ok(content) => insert_unique(renderer.site, files, path, content, problems),
            Err(diagnostic) => problems.push(diagnostic),
        }
    }
    add_aliases(renderer, files, problems);
}

/// One file weft makes besides the pages and the alias redirects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generated {
    /// A taxonomy's index page, by index in [`Renderer::taxonomies`].
    Taxonomy(usize),
    /// A term's page: taxonomy index, term index.
    Term(usize, usize),
    /// `404.html`.
    NotFound,
    /// `map/index.html`.
    Map,
    /// `graph.json`.
    Graph,
    /// `sitemap.xml`.
    Sitemap,
    /// `robots.txt`.
    Robots,
    /// `atom.xml`.
    Atom,
}

/// The files [`add_generated`] makes before the aliases, with their output paths, in order.
pub fn generated_files(renderer: &Renderer) -> Vec<(String, Generated)> {
    let mut generated = Vec::new();
    for (t, taxonomy) in renderer.taxonomies.iter().enumerate() {
        generated.push((page_file(&taxonomy.url), Generated::Taxonomy(t)));
        for (i, term) in taxonomy.terms.iter().enumerate() {
            generated.push((page_file(&term.url), Generated::Term(t, i)));
        }
    }
    generated.push(("404.html".into(), Generated::NotFound));
    generated.push(("map/index.html".into(), Generated::Map));
    generated.push(("graph.json".into(), Generated::Graph));
    generated.push(("sitemap.xml".into(), Generated::Sitemap));
    generated.push(("robots.txt".into(), Generated::Robots));
    if renderer.config.feeds {
        generated.push(("atom.xml".into(), Generated::Atom));
    }
    generated
}

/// Makes one generated file.
pub fn make(renderer: &Renderer, what: Generated) -> Result<String, Diagnostic> {
    match what {
        Generated::Taxonomy(t) => renderer.render_taxonomy(t),
        Generated::Term(t, i) => renderer.render_term(t, i),
        Generated::NotFound => renderer.render("404.html", &renderer.context_at(""), None),
        Generated::Map => render_map(renderer),
        Generated::Graph => Ok(graph_json(renderer)),
        Generated::Sitemap => Ok(sitemap(renderer)),
        Generated::Robots => Ok(format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            renderer.urls.permalink("sitemap.xml")
        )),
        Generated::Atom => Ok(atom(renderer)),
    }
}

/// The error for a generated file whose path a page already has, at that page's `slug`, or
/// at its start.
pub fn duplicate_output(site: &Site, path: &str) -> Diagnostic {
    let diagnostic = Diagnostic::error(
        "duplicate-output",
        format!("a page already has the URL of the generated `{path}`"),
    )
    .help("taxonomy pages, /map/, 404.html, graph.json, sitemap.xml, robots.txt and atom.xml are made by weft; rename the page or give it another slug");
    match site.pages.iter().find(|page| page_file(&page.url) == path) {
        Some(page) => {
            let span = page.fm.slug.as_ref().map_or(0..0, |slug| slug.span.clone());
            diagnostic.at(&page.source, span).label("this page")
        }
        None => diagnostic,
    }
}

fn insert_unique(
    site: &Site,
    files: &mut Files,
    path: String,
    content: Content,
    problems: &mut Vec<Diagnostic>,
) {
    if files.contains_key(&path) {
        problems.push(duplicate_output(site, &path));
        return;
    }
    files.insert(path, content);
}

fn render_map(renderer: &Renderer) -> Result<String, Diagnostic> {
    let drawing = map::draw(renderer.site, renderer.graph, renderer.urls);
    let here = renderer.urls.path("map/");
    let mut context = renderer.context_at(&here);
    context.insert("map", &drawing);
    renderer.render("map.html", &context, None)
}

#[derive(Serialize)]
struct GraphNode<'a> {
    url: &'a str,
    title: &'a str,
    section: &'a str,
}

#[derive(Serialize)]
struct GraphEdge<'a> {
    from: &'a str,
    to: &'a str,
    kind: &'a str,
}

#[derive(Serialize)]
struct Graph<'a> {
    nodes: Vec<GraphNode<'a>>,
    edges: Vec<GraphEdge<'a>>,
}

fn graph_json(renderer: &Renderer) -> String {
    let site = renderer.site;
    // Every page's URL once: the edges name them by reference.
    let urls: Vec<String> = site
        .ids()
        .map(|id| renderer.urls.path(&site.page(id).url))
        .collect();
    let url = |id: PageId| urls[id.0 as usize].as_str();
    let nodes = site
        .ids()
        .map(|id| GraphNode {
            url: url(id),
            title: &site.page(id).title,
            section: url(site.page(id).parent.unwrap_or(id)),
        })
        .collect();
    let edges = renderer
        .graph
        .edges
        .iter()
        .map(|e| GraphEdge {
            from: url(e.from),
            to: url(e.to),
            kind: e.kind.name(),
        })
        .collect();
    let mut json = serde_json::to_string_pretty(&Graph { nodes, edges }).unwrap_or_default();
    json.push('\n');
    json
}

fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = escape_html(&mut out, text);
    out
}

fn sitemap(renderer: &Renderer) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for id in renderer.site.ids() {
        let page = renderer.site.page(id);
        let _ = write!(
            out,
            "  <url><loc>{}</loc>",
            xml(&renderer.urls.permalink(&page.url))
        );
        if let Some(date) = page.fm.updated.as_ref().or(page.fm.date.as_ref()) {
            let _ = write!(out, "<lastmod>{}</lastmod>", date.ymd());
        }
        out.push_str("</url>\n");
    }
    for taxonomy in renderer.taxonomies {
        let _ = writeln!(
            out,
            "  <url><loc>{}</loc></url>",
            xml(&renderer.urls.permalink(&taxonomy.url))
        );
        for term in &taxonomy.terms {
            let _ = writeln!(
                out,
                "  <url><loc>{}</loc></url>",
                xml(&renderer.urls.permalink(&term.url))
            );
        }
    }
    out.push_str("</urlset>\n");
    out
}

/// Entries in the Atom feed, newest first.
const FEED_ENTRIES: usize = 50;

fn atom(renderer: &Renderer) -> String {
    let site = renderer.site;
    let mut dated: Vec<_> = site
        .ids()
        .filter(|&id| site.page(id).fm.date.is_some())
        .collect();
    dated.sort_by_cached_key(|&id| {
        let page = site.page(id);
        (
            std::cmp::Reverse(page.fm.updated.clone().or(page.fm.date.clone())),
            page.url.clone(),
        )
    });
    dated.truncate(FEED_ENTRIES);
    let updated = dated
        .iter()
        .filter_map(|&id| {
            site.page(id)
                .fm
                .updated
                .clone()
                .or(site.page(id).fm.date.clone())
        })
        .max()
        .map_or_else(|| "1970-01-01T00:00:00+00:00".to_string(), |d| d.rfc3339());
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"",
    );
    let _ = writeln!(out, " xml:lang=\"{}\">", xml(&renderer.config.language));
    let _ = writeln!(out, "  <title>{}</title>", xml(&renderer.config.title));
    let _ = writeln!(
        out,
        "  <link href=\"{}\" rel=\"self\"/>",
        xml(&renderer.urls.permalink("atom.xml"))
    );
    let _ = writeln!(
        out,
        "  <link href=\"{}\"/>",
        xml(&renderer.urls.permalink(""))
    );
    let _ = writeln!(out, "  <id>{}</id>", xml(&renderer.urls.permalink("")));
    let _ = writeln!(out, "  <updated>{updated}</updated>");
    let _ = writeln!(out, "  <generator>weft</generator>");
    // Atom requires an author for the feed unless every entry has one (RFC 4287, 4.1.1).
    let _ = writeln!(
        out,
        "  <author><name>{}</name></author>",
        xml(&renderer.config.title)
    );
    for id in dated {
        let page = site.page(id);
        let permalink = renderer.urls.permalink(&page.url);
        let date = page
            .fm
            .date
            .as_ref()
            .map(|d| d.rfc3339())
            .unwrap_or_default();
        let changed = page
            .fm
            .updated
            .as_ref()
            .map_or_else(|| date.clone(), |d| d.rfc3339());
        out.push_str("  <entry>\n");
        let _ = writeln!(out, "    <title>{}</title>", xml(&page.title));
        let _ = writeln!(out, "    <link href=\"{}\"/>", xml(&permalink));
        let _ = writeln!(out, "    <id>{}</id>", xml(&permalink));
        let _ = writeln!(out, "    <published>{date}</published>");
        let _ = writeln!(out, "    <updated>{changed}</updated>");
        let summary = page.fm.description.as_deref().unwrap_or(&page.body.summary);
        let _ = writeln!(out, "    <summary>{}</summary>", xml(summary));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// Writes a redirect page for each alias; an alias may not take a page's place or another alias's.
fn add_aliases(renderer: &Renderer, files: &mut Files, problems: &mut Vec<Diagnostic>) {
    for (file, html) in alias_pages(renderer, |path| files.contains_key(path), problems) {
        files.insert(file, Content::Bytes(html.into_bytes()));
    }
}

/// The redirect page of each alias, by output path; `exists` tells which paths are taken.
pub fn alias_pages(
    renderer: &Renderer,
    exists: impl Fn(&str) -> bool,
    problems: &mut Vec<Diagnostic>,
) -> Vec<(String, String)> {
    let mut pages = Vec::new();
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    for id in renderer.site.ids() {
        let page = renderer.site.page(id);
        for alias in &page.fm.aliases {
            let path = normalize(
                std::path::Path::new(""),
                alias.value.trim_start_matches('/'),
            )
            .map(|p| display_path(&p))
            .filter(|p| !p.is_empty());
            let Some(path) = path else {
                problems.push(
                    Diagnostic::error(
                        "invalid-alias",
                        format!("alias `{}` is not a path inside the site", alias.value),
                    )
                    .at(&page.source, alias.span.clone())
                    .label("leads outside the site")
                    .help("write the old URL path, e.g. `/old/ran/`"),
                );
                continue;
            };
            let file = if path.ends_with(".html") {
                path.clone()
            } else {
                page_file(&format!("{path}/"))
            };
            if let Some(other) = taken.get(&file) {
                problems.push(
                    Diagnostic::error(
                        "duplicate-alias",
                        format!("alias `{}` is already an alias of `{other}`", alias.value),
                    )
                    .at(&page.source, alias.span.clone())
                    .label("taken")
                    .help("keep the alias on one page only"),
                );
                continue;
            }
            if exists(&file) {
                problems.push(
                    Diagnostic::error(
                        "duplicate-alias",
                        format!("alias `{}` is the URL of an existing page", alias.value),
                    )
                    .at(&page.source, alias.span.clone())
                    .label("a page lives here")
                    .help("an alias must be an old URL that no page uses now"),
                );
                continue;
            }
            taken.insert(file.clone(), page.source.display_path());
            let mut context = renderer.base_context();
            context.insert(
                "target",
                &serde_json::json!({
                    "title": page.title,
                    "url": renderer.urls.path(&page.url),
                    "permalink": renderer.urls.permalink(&page.url),
                }),
            );
            match renderer.render("alias.html", &context, Some(&page.source)) {
                Ok(html) => pages.push((file, html)),
                Err(diagnostic) => problems.push(diagnostic),
            }
        }
    }
    pages
}
