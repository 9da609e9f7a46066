//! Generated files beside the pages: taxonomy pages, the 404 page, alias redirects,
//! `graph.json` and the map, `sitemap.xml`, `robots.txt` and the Atom feed.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::config::SiteConfig;
use crate::diag::{Code, Diagnostic};
use crate::i18n::Lang;
use crate::links::normalize;
use crate::map::{self, Node, Outline};
use crate::render::{Reads, Renderer, View, escaped as xml};
use crate::site::{PageId, Site};
use crate::source::display_path;
use crate::taxonomy::Taxonomy;

/// One file weft makes besides the pages and the alias redirects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generated {
    /// A taxonomy's index page, by its index among the configured taxonomies.
    Taxonomy(usize),
    /// A term's page: taxonomy index, term index.
    Term(usize, usize),
    /// `404.html` (`nl/404.html`), in a language.
    NotFound(Lang),
    /// `map/index.html`, in a language.
    Map(Lang),
    /// `graph.json`, of a language's pages.
    Graph(Lang),
    /// `sitemap.xml`, of every language.
    Sitemap,
    /// `robots.txt`.
    Robots,
    /// `atom.xml`, of a language's pages.
    Atom(Lang),
}

/// The output file of a URL path: `eu/ran/` → `eu/ran/index.html`.
pub fn page_file(url: &str) -> String {
    format!("{url}index.html")
}

/// The files weft makes besides the pages and the aliases, with their output paths, in order.
pub fn generated_files(taxonomies: &[Taxonomy], config: &SiteConfig) -> Vec<(String, Generated)> {
    let mut generated = Vec::new();
    for (t, taxonomy) in taxonomies.iter().enumerate() {
        generated.push((page_file(&taxonomy.url), Generated::Taxonomy(t)));
        for (i, term) in taxonomy.terms.iter().enumerate() {
            generated.push((page_file(&term.url), Generated::Term(t, i)));
        }
    }
    for lang in config.languages.indexes() {
        let prefix = &config.languages.get(lang).prefix;
        generated.push((format!("{prefix}404.html"), Generated::NotFound(lang)));
        generated.push((format!("{prefix}map/index.html"), Generated::Map(lang)));
        generated.push((format!("{prefix}graph.json"), Generated::Graph(lang)));
        if config.feeds {
            generated.push((format!("{prefix}atom.xml"), Generated::Atom(lang)));
        }
    }
    generated.push(("sitemap.xml".into(), Generated::Sitemap));
    generated.push(("robots.txt".into(), Generated::Robots));
    generated
}

/// Makes one generated file; `reads`, if given, learns what of the site it read.
pub fn make(
    renderer: &Renderer,
    what: Generated,
    reads: Option<&Reads>,
) -> Result<String, Diagnostic> {
    let v = renderer.view(reads);
    match what {
        Generated::Taxonomy(t) => renderer.render_taxonomy(&v, t),
        Generated::Term(t, i) => renderer.render_term(&v, t, i),
        Generated::NotFound(lang) => {
            // Its language links lead to each language's home page; it has no alternates.
            let home = |other: Lang| Some(renderer.config.languages.get(other).prefix.clone());
            let mut context = renderer.context_at(&v, lang, "", home);
            context.insert("alternates", &[] as &[()]);
            renderer.render("404.html", &context, lang)
        }
        Generated::Map(lang) => render_map(renderer, &v, lang),
        Generated::Graph(lang) => Ok(graph_json(renderer, &v, lang)),
        Generated::Sitemap => Ok(sitemap(renderer, &v)),
        Generated::Robots => Ok(format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            renderer.urls.permalink("sitemap.xml")
        )),
        Generated::Atom(lang) => Ok(atom(renderer, &v, lang)),
    }
}

/// The error for a generated file whose path a page already has, at that page's `slug`, or
/// at its start.
pub fn duplicate_output(site: &Site, path: &str) -> Diagnostic {
    let diagnostic = Diagnostic::error(
        Code::DuplicateOutput,
        format!("a page already has the URL of the generated `{path}`"),
    )
    .help("taxonomy pages, /map/, 404.html, graph.json, sitemap.xml, robots.txt and atom.xml are made by weft; rename the page or give it another slug");
    match site.pages.iter().find(|page| page_file(&page.url) == path) {
        Some(page) => diagnostic
            .at(&page.source, crate::site::slug_span(page))
            .label("this page"),
        None => diagnostic,
    }
}

/// Every page's place, and the edges, as the map and `graph.json` show them: on a site with
/// several languages, those of language `lang`, numbered in order.
fn outline<'a>(v: &View<'_, 'a>, lang: Lang, multilingual: bool) -> Outline<'a> {
    let (ids, _) = v.ids();
    let home = v.home_of(lang);
    let node = |id: PageId| {
        let link = v.link(id);
        let (kind, parent) = v.place(id);
        Node {
            title: link.title,
            url: link.url,
            kind,
            parent,
        }
    };
    if !multilingual {
        return Outline {
            home,
            sections: v.children(home).1.into(),
            nodes: ids.map(|id| node(PageId(id))).collect(),
            edges: v.edges().into(),
        };
    }
    // Each page of the language by its place among them.
    let mut number: Vec<Option<PageId>> = Vec::with_capacity(ids.len());
    let mut nodes = Vec::new();
    for id in ids.map(PageId) {
        if v.lang(id) == lang {
            number.push(Some(PageId(nodes.len() as u32)));
            nodes.push(node(id));
        } else {
            number.push(None);
        }
    }
    let renumber = |id: PageId| number[id.0 as usize];
    for node in &mut nodes {
        node.parent = node.parent.and_then(renumber);
    }
    let edges: Vec<crate::links::Edge> = v
        .edges()
        .iter()
        .filter_map(|e| {
            Some(crate::links::Edge {
                from: renumber(e.from)?,
                to: renumber(e.to)?,
                kind: e.kind.clone(),
            })
        })
        .collect();
    let sections: Vec<PageId> = v
        .children(home)
        .1
        .iter()
        .filter_map(|&s| renumber(s))
        .collect();
    Outline {
        home: renumber(home).unwrap_or(PageId(0)),
        sections: sections.into(),
        nodes,
        edges: edges.into(),
    }
}

fn render_map(renderer: &Renderer, v: &View, lang: Lang) -> Result<String, Diagnostic> {
    let multilingual = renderer.config.languages.multilingual;
    let outline = outline(v, lang, multilingual);
    let language = renderer.config.languages.get(lang);
    let title = language.counted("map_title", outline.nodes.len());
    let drawing = map::draw(&outline, renderer.urls, &title);
    let map_url = |lang: Lang| format!("{}map/", renderer.config.languages.get(lang).prefix);
    let here = renderer.urls.path(&map_url(lang));
    let mut context = renderer.context_at(v, lang, &here, |other| Some(map_url(other)));
    context.insert("map", &drawing);
    renderer.render("map.html", &context, lang)
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

fn graph_json(renderer: &Renderer, v: &View, lang: Lang) -> String {
    let site = outline(v, lang, renderer.config.languages.multilingual);
    // Every page's URL once: the edges name them by reference.
    let urls: Vec<String> = site
        .nodes
        .iter()
        .map(|n| renderer.urls.path(n.url))
        .collect();
    let url = |id: PageId| urls[id.0 as usize].as_str();
    let nodes = site
        .nodes
        .iter()
        .enumerate()
        .map(|(index, node)| GraphNode {
            url: &urls[index],
            title: node.title,
            section: url(node.parent.unwrap_or(PageId(index as u32))),
        })
        .collect();
    let edges = site
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

fn sitemap(renderer: &Renderer, v: &View) -> String {
    let languages = &renderer.config.languages;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"",
    );
    if languages.multilingual {
        out.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    out.push_str(">\n");
    for id in v.ids().0 {
        let id = PageId(id);
        let page = v.summary(id);
        let _ = write!(
            out,
            "  <url><loc>{}</loc>",
            xml(&renderer.urls.permalink(page.url))
        );
        if let Some(date) = page.updated.or(page.date) {
            let _ = write!(out, "<lastmod>{}</lastmod>", date.ymd());
        }
        // Every version of the page, itself included, as Google reads them.
        let versions = v.translations(id);
        if versions.iter().flatten().count() > 1 {
            for (lang, version) in versions.iter().enumerate() {
                if let Some(version) = version {
                    let _ = write!(
                        out,
                        "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                        xml(&languages.get(lang as Lang).code),
                        xml(&renderer.urls.permalink(v.link(*version).url))
                    );
                }
            }
        }
        out.push_str("</url>\n");
    }
    for t in 0..v.taxonomies().len() {
        let (taxonomy, terms) = v.taxonomy_index(t);
        let _ = writeln!(
            out,
            "  <url><loc>{}</loc></url>",
            xml(&renderer.urls.permalink(taxonomy.url))
        );
        for (term, _) in terms {
            let _ = writeln!(
                out,
                "  <url><loc>{}</loc></url>",
                xml(&renderer.urls.permalink(term.url))
            );
        }
    }
    out.push_str("</urlset>\n");
    out
}

/// Entries in the Atom feed, newest first.
const FEED_ENTRIES: usize = 50;

fn atom(renderer: &Renderer, v: &View, lang: Lang) -> String {
    let language = renderer.config.languages.get(lang);
    let prefix = &language.prefix;
    let mut dated: Vec<_> = v
        .ids()
        .0
        .map(PageId)
        .filter(|&id| v.lang(id) == lang)
        .map(|id| v.summary(id))
        .filter(|page| page.date.is_some())
        .collect();
    dated.sort_by(|a, b| {
        let (a_changed, b_changed) = (a.updated.or(a.date), b.updated.or(b.date));
        b_changed.cmp(&a_changed).then_with(|| a.url.cmp(b.url))
    });
    dated.truncate(FEED_ENTRIES);
    let updated = dated
        .iter()
        .filter_map(|page| page.updated.or(page.date))
        .max()
        .map_or_else(|| "1970-01-01T00:00:00+00:00".to_string(), |d| d.rfc3339());
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"",
    );
    let _ = writeln!(out, " xml:lang=\"{}\">", xml(&language.code));
    let _ = writeln!(out, "  <title>{}</title>", xml(&language.title));
    let _ = writeln!(
        out,
        "  <link href=\"{}\" rel=\"self\"/>",
        xml(&renderer.urls.permalink(&format!("{prefix}atom.xml")))
    );
    let _ = writeln!(
        out,
        "  <link href=\"{}\"/>",
        xml(&renderer.urls.permalink(prefix))
    );
    let _ = writeln!(out, "  <id>{}</id>", xml(&renderer.urls.permalink(prefix)));
    let _ = writeln!(out, "  <updated>{updated}</updated>");
    let _ = writeln!(out, "  <generator>weft</generator>");
    // Atom requires an author for the feed unless every entry has one (RFC 4287, 4.1.1).
    let _ = writeln!(
        out,
        "  <author><name>{}</name></author>",
        xml(&language.title)
    );
    for page in dated {
        let permalink = renderer.urls.permalink(page.url);
        let date = page.date.map(|d| d.rfc3339()).unwrap_or_default();
        let changed = page.updated.map_or_else(|| date.clone(), |d| d.rfc3339());
        out.push_str("  <entry>\n");
        let _ = writeln!(out, "    <title>{}</title>", xml(page.title));
        let _ = writeln!(out, "    <link href=\"{}\"/>", xml(&permalink));
        let _ = writeln!(out, "    <id>{}</id>", xml(&permalink));
        let _ = writeln!(out, "    <published>{date}</published>");
        let _ = writeln!(out, "    <updated>{changed}</updated>");
        let _ = writeln!(out, "    <summary>{}</summary>", xml(page.description));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// An alias redirect: the page it leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Alias(pub PageId);

/// Whether an alias is an old URL path (`/old/ran/`, `old/ran.html`) rather than a name
/// (`RAN`, or Obsidian's `Sync/Third-party services`, which has words, not URL segments).
pub fn is_path_alias(alias: &str) -> bool {
    let alias = alias.trim();
    alias.starts_with('/')
        || alias.ends_with(".html")
        || (alias.contains('/') && !alias.contains(char::is_whitespace))
}

/// The redirect of each alias, by output path; `exists` tells which paths are taken.
pub fn alias_files(
    site: &Site,
    exists: impl Fn(&str) -> bool,
    problems: &mut Vec<Diagnostic>,
) -> Vec<(String, Alias)> {
    let mut files = Vec::new();
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    for id in site.ids() {
        let page = site.page(id);
        // An alias that is a name (`RAN`) names the page for links, as in Obsidian; one that is
        // a path (`/old/ran/`) is an old URL that redirects, as in Hugo and Zola.
        for alias in page.fm.aliases.iter().filter(|a| is_path_alias(&a.value)) {
            let path = normalize(
                std::path::Path::new(""),
                alias.value.trim_start_matches('/'),
            )
            .map(|p| display_path(&p))
            .filter(|p| !p.is_empty());
            let Some(path) = path else {
                problems.push(
                    Diagnostic::error(
                        Code::InvalidAlias,
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
                        Code::DuplicateAlias,
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
                        Code::DuplicateAlias,
                        format!("alias `{}` is the URL of an existing page", alias.value),
                    )
                    .at(&page.source, alias.span.clone())
                    .label("a page lives here")
                    .help("an alias must be an old URL that no page uses now"),
                );
                continue;
            }
            taken.insert(file.clone(), page.source.display_path());
            files.push((file, Alias(id)));
        }
    }
    files
}

/// Renders the redirect page of an alias.
pub fn make_alias(
    renderer: &Renderer,
    Alias(id): Alias,
    reads: Option<&Reads>,
) -> Result<String, Diagnostic> {
    let v = renderer.view(reads);
    let target = v.link(id);
    let lang = v.lang(id);
    let mut context = renderer.base_context(&v, lang);
    context.insert("target", &renderer.target(target.title, target.url));
    renderer.render("alias.html", &context, lang)
}
