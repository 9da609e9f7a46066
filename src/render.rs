//! Rendering: the templates (see [`crate::templates`]) filled with typed contexts that
//! borrow from the site.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Serialize;

use crate::config::SiteConfig;
use crate::diag::{Diagnostic, did_you_mean};
use crate::links::{EdgeKind, LinkGraph, Target};
use crate::markdown::{Heading, Placeholder, fill_placeholders};
use crate::site::{Page, PageId, PageKind, Site};
use crate::source::Source;
use crate::taxonomy::Taxonomy;
pub use crate::templates::{Theme, load_theme};

/// Where the site lives: the origin and the sub-path every URL starts with.
#[derive(Debug, Clone)]
pub struct Urls {
    origin: String,
    base_path: String,
}

impl Urls {
    /// Splits `base_url` (`https://example.org/docs/`) into origin and sub-path.
    pub fn new(base_url: &str) -> Self {
        let (origin, path) = match base_url.split_once("://") {
            Some((scheme, rest)) => {
                let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
                (format!("{scheme}://{host}"), path)
            }
            None => (String::new(), base_url),
        };
        let mut base_path = format!("/{}", path.trim_matches('/'));
        if !base_path.ends_with('/') {
            base_path.push('/');
        }
        Urls { origin, base_path }
    }

    /// The path from the host root to a site URL path (`eu/` → `/docs/eu/`).
    pub fn path(&self, url: &str) -> String {
        format!("{}{url}", self.base_path)
    }

    /// The absolute URL of a site URL path, for canonical links, feeds and sitemaps.
    pub fn permalink(&self, url: &str) -> String {
        format!("{}{}{url}", self.origin, self.base_path)
    }

    /// The sub-path every URL starts with (`/` or `/docs/`).
    pub fn base_path(&self) -> &str {
        &self.base_path
    }
}

/// A link to a page, for templates.
#[derive(Serialize)]
pub struct LinkCtx<'a> {
    title: &'a str,
    url: String,
}

#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    description: Option<&'a str>,
    language: &'a str,
    base_url: String,
    base_path: &'a str,
    sections: Vec<LinkCtx<'a>>,
    taxonomies: Vec<LinkCtx<'a>>,
    search: bool,
    feed_url: Option<String>,
    extra: &'a serde_json::Value,
}

#[derive(Serialize)]
struct TocEntry<'a> {
    level: u8,
    id: &'a str,
    title: &'a str,
    children: Vec<TocEntry<'a>>,
}

#[derive(Serialize)]
struct BacklinkCtx<'a> {
    title: &'a str,
    url: String,
    kind: &'a str,
    label: &'a str,
    /// The page already shows in one of this page's relation groups (e.g. as an inverse).
    in_relations: bool,
}

#[derive(Serialize)]
struct GroupCtx<'a> {
    key: &'a str,
    label: &'a str,
    pages: Vec<LinkCtx<'a>>,
}

#[derive(Serialize)]
struct SummaryCtx<'a> {
    title: &'a str,
    url: String,
    description: &'a str,
    date: Option<String>,
}

#[derive(Serialize)]
struct NavCtx<'a> {
    section: LinkCtx<'a>,
    pages: Vec<NavItem<'a>>,
    subsections: Vec<NavItem<'a>>,
    hidden_before: usize,
    hidden_after: usize,
}

#[derive(Serialize)]
struct NavItem<'a> {
    title: &'a str,
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct PageCtx<'a> {
    kind: &'static str,
    title: &'a str,
    /// `description` from the front matter, or else the summary.
    description: &'a str,
    /// The text of the first paragraph.
    summary: &'a str,
    url: String,
    permalink: String,
    source_path: String,
    content: String,
    toc: Vec<TocEntry<'a>>,
    date: Option<String>,
    updated: Option<String>,
    word_count: usize,
    reading_time: usize,
    extra: &'a serde_json::Value,
    taxonomies: Vec<GroupCtx<'a>>,
    relations: Vec<GroupCtx<'a>>,
    backlinks: Vec<BacklinkCtx<'a>>,
    backlinks_more: usize,
    ancestors: Vec<LinkCtx<'a>>,
    prev: Option<LinkCtx<'a>>,
    next: Option<LinkCtx<'a>>,
    pages: Vec<SummaryCtx<'a>>,
    subsections: Vec<SummaryCtx<'a>>,
    nav: Option<NavCtx<'a>>,
}

mod nav;

/// Everything rendering needs, borrowed from the earlier stages.
pub struct Renderer<'a> {
    /// The site configuration.
    pub config: &'a SiteConfig,
    /// The site.
    pub site: &'a Site,
    /// Resolved links and relations.
    pub graph: &'a LinkGraph,
    /// Taxonomies with their terms.
    pub taxonomies: &'a [Taxonomy],
    /// Per page: its taxonomy terms as (taxonomy, term) indexes.
    pub page_terms: &'a [Vec<(usize, usize)>],
    /// Site URLs.
    pub urls: &'a Urls,
    /// Templates.
    pub theme: &'a Theme,
    /// A context holding `site`, made on first use: it is the same for every page.
    base: OnceLock<tera::Context>,
}

/// Backlinks listed on a page; a hub's page says how many more there are instead, so that
/// its size does not grow with the site.
pub const MAX_BACKLINKS: usize = 200;

/// Pages around the current one shown in the section navigation, so that a page's size
/// does not grow with its section.
pub const NAV_WINDOW: usize = 8;

impl<'a> Renderer<'a> {
    /// A renderer over the stages of one build.
    pub fn new(
        config: &'a SiteConfig,
        site: &'a Site,
        graph: &'a LinkGraph,
        taxonomies: &'a [Taxonomy],
        page_terms: &'a [Vec<(usize, usize)>],
        urls: &'a Urls,
        theme: &'a Theme,
    ) -> Self {
        Renderer {
            config,
            site,
            graph,
            taxonomies,
            page_terms,
            urls,
            theme,
            base: OnceLock::new(),
        }
    }

    fn link(&self, id: PageId) -> LinkCtx<'a> {
        let page = self.site.page(id);
        LinkCtx {
            title: &page.title,
            url: self.urls.path(&page.url),
        }
    }

    fn site_ctx(&self) -> SiteCtx<'a> {
        let home = self.site.page(self.site.home);
        SiteCtx {
            title: &self.config.title,
            description: self.config.description.as_deref(),
            language: &self.config.language,
            base_url: self.urls.permalink(""),
            base_path: self.urls.base_path(),
            sections: home.subsections.iter().map(|&id| self.link(id)).collect(),
            taxonomies: self
                .taxonomies
                .iter()
                .map(|t| LinkCtx {
                    title: &t.name,
                    url: self.urls.path(&t.url),
                })
                .collect(),
            search: self.config.search,
            feed_url: self.config.feeds.then(|| self.urls.path("atom.xml")),
            extra: &self.config.extra,
        }
    }

    /// The page body with every link placeholder filled in.
    pub fn content(&self, id: PageId) -> String {
        let page = self.site.page(id);
        let targets = &self.graph.targets[id.0 as usize];
        fill_placeholders(&page.body.html, |placeholder| match placeholder {
            Placeholder::Url(n) => {
                let url = match targets.get(n).and_then(Option::as_ref) {
                    Some(Target::Page { id: to, anchor }) => {
                        let base = if *to == id {
                            String::new()
                        } else {
                            self.urls.path(&self.site.page(*to).url)
                        };
                        match anchor {
                            Some(anchor) => format!("{base}#{anchor}"),
                            None if base.is_empty() => "#".into(),
                            None => base,
                        }
                    }
                    Some(Target::File(url)) => self.urls.path(url),
                    None => page
                        .body
                        .links
                        .get(n)
                        .map(|l| l.dest.clone())
                        .unwrap_or_default(),
                };
                let mut out = String::new();
                let _ = pulldown_cmark_escape::escape_href(&mut out, &url);
                out
            }
            Placeholder::Text(n) => {
                let text = match targets.get(n).and_then(Option::as_ref) {
                    Some(Target::Page { id: to, anchor }) => {
                        let target = self.site.page(*to);
                        let heading = anchor
                            .as_ref()
                            .and_then(|a| target.body.headings.iter().find(|h| &h.id == a));
                        match heading {
                            Some(h) if *to == id => h.title.clone(),
                            Some(h) => format!("{} › {}", target.title, h.title),
                            None => target.title.clone(),
                        }
                    }
                    _ => page
                        .body
                        .links
                        .get(n)
                        .map(|l| l.dest.clone())
                        .unwrap_or_default(),
                };
                let mut out = String::new();
                let _ = pulldown_cmark_escape::escape_html(&mut out, &text);
                out
            }
        })
    }

    // `weft serve` re-renders a page when what this reads changes: keep
    // `Facts::page` in src/incremental/fingerprint.rs in step with it.
    fn page_ctx(&self, id: PageId) -> PageCtx<'a> {
        let page: &'a Page = self.site.page(id);
        let index = id.0 as usize;
        let siblings = page.parent.map(|p| &self.site.page(p).pages);
        let position = siblings.and_then(|s| s.iter().position(|&x| x == id));
        let (prev, next) = match (siblings, position) {
            (Some(s), Some(i)) if page.kind == PageKind::Page => (
                i.checked_sub(1).map(|j| self.link(s[j])),
                s.get(i + 1).map(|&n| self.link(n)),
            ),
            _ => (None, None),
        };
        PageCtx {
            kind: match page.kind {
                PageKind::Page => "page",
                PageKind::Section => "section",
            },
            title: &page.title,
            description: page.fm.description.as_deref().unwrap_or(&page.body.summary),
            summary: &page.body.summary,
            url: self.urls.path(&page.url),
            permalink: self.urls.permalink(&page.url),
            source_path: page.source.display_path(),
            content: self.content(id),
            toc: toc(&page.body.headings),
            date: page.fm.date.as_ref().map(|d| d.ymd()),
            updated: page.fm.updated.as_ref().map(|d| d.ymd()),
            word_count: page.body.word_count,
            reading_time: page.body.word_count.div_ceil(200).max(1),
            extra: &page.fm.extra,
            taxonomies: self.taxonomy_groups(index),
            relations: self.graph.relations[index]
                .iter()
                .map(|g| GroupCtx {
                    key: &g.key,
                    label: &g.label,
                    pages: g.pages.iter().map(|&p| self.link(p)).collect(),
                })
                .collect(),
            backlinks_more: self.graph.backlinks[index]
                .len()
                .saturating_sub(MAX_BACKLINKS),
            backlinks: self.graph.backlinks[index]
                .iter()
                .take(MAX_BACKLINKS)
                .map(|(from, kind)| BacklinkCtx {
                    in_relations: self.graph.relations[index]
                        .iter()
                        .any(|g| g.pages.contains(from)),
                    title: &self.site.page(*from).title,
                    url: self.urls.path(&self.site.page(*from).url),
                    kind: kind.name(),
                    label: match kind {
                        EdgeKind::Link => "link",
                        EdgeKind::Relation(key) => self
                            .config
                            .relations
                            .get(key)
                            .map_or(key.as_str(), |r| &r.label),
                    },
                })
                .collect(),
            ancestors: self
                .site
                .ancestors(id)
                .into_iter()
                .map(|a| self.link(a))
                .collect(),
            prev,
            next,
            pages: page.pages.iter().map(|&p| self.summary(p)).collect(),
            subsections: page.subsections.iter().map(|&p| self.summary(p)).collect(),
            nav: self.nav(id),
        }
    }

    fn taxonomy_groups(&self, index: usize) -> Vec<GroupCtx<'a>> {
        let mut groups: Vec<GroupCtx<'a>> = Vec::new();
        for &(t, i) in &self.page_terms[index] {
            let taxonomy = &self.taxonomies[t];
            let term = &taxonomy.terms[i];
            let link = LinkCtx {
                title: &term.name,
                url: self.urls.path(&term.url),
            };
            match groups.iter_mut().find(|g| g.key == taxonomy.name) {
                Some(group) => group.pages.push(link),
                None => groups.push(GroupCtx {
                    key: &taxonomy.name,
                    label: &taxonomy.name,
                    pages: vec![link],
                }),
            }
        }
        groups
    }

    fn summary(&self, id: PageId) -> SummaryCtx<'a> {
        let page: &'a Page = self.site.page(id);
        SummaryCtx {
            title: &page.title,
            url: self.urls.path(&page.url),
            description: page.fm.description.as_deref().unwrap_or(&page.body.summary),
            date: page.fm.date.as_ref().map(|d| d.ymd()),
        }
    }

    /// The section navigation: the pages of the current section, windowed around the page.
    fn nav(&self, id: PageId) -> Option<NavCtx<'a>> {
        let page = self.site.page(id);
        let section_id = if page.kind == PageKind::Section {
            id
        } else {
            page.parent?
        };
        let section = self.site.page(section_id);
        let position = section.pages.iter().position(|&p| p == id).unwrap_or(0);
        let start = position.saturating_sub(NAV_WINDOW);
        let end = (position + NAV_WINDOW + 1).min(section.pages.len());
        let item = |p: PageId| NavItem {
            title: &self.site.page(p).title,
            url: self.urls.path(&self.site.page(p).url),
            current: p == id,
        };
        Some(NavCtx {
            section: self.link(section_id),
            pages: section.pages[start..end].iter().map(|&p| item(p)).collect(),
            subsections: section
                .subsections
                .iter()
                .take(2 * NAV_WINDOW)
                .map(|&p| item(p))
                .collect(),
            hidden_before: start,
            hidden_after: section.pages.len() - end,
        })
    }

    /// Renders one page or section with its template.
    pub fn render_page(&self, id: PageId) -> Result<String, Diagnostic> {
        let page = self.site.page(id);
        let template = match (&page.fm.template, page.kind) {
            (Some(t), _) => {
                if !self.theme.has(&t.value) {
                    return Err(Diagnostic::error(
                        "missing-template",
                        format!("no template `{}`", t.value),
                    )
                    .at(&page.source, t.span.clone())
                    .label(
                        did_you_mean(&t.value, self.theme.names())
                            .unwrap_or_else(|| "not found".into()),
                    )
                    .help("put the template in templates/ or remove `template`"));
                }
                t.value.as_str()
            }
            (None, PageKind::Section) if id == self.site.home && self.theme.has("index.html") => {
                "index.html"
            }
            (None, PageKind::Section) => "section.html",
            (None, PageKind::Page) => "page.html",
        };
        let page = self.page_ctx(id);
        let nav_html = self.nav_html(&page.url, page.nav.as_ref(), &page.ancestors);
        let mut context = self.base_context();
        context.insert("page", &page);
        context.insert("nav_html", &nav_html);
        self.render(template, &context, None)
    }

    /// Renders `template` with `context`; errors name the template and the page.
    pub fn render(
        &self,
        template: &str,
        context: &tera::Context,
        page: Option<&Source>,
    ) -> Result<String, Diagnostic> {
        self.theme
            .render(template, context)
            .map_err(|mut diagnostic| {
                if let Some(page) = page {
                    diagnostic.message =
                        format!("{} (rendering {})", diagnostic.message, page.display_path());
                }
                diagnostic
            })
    }

    /// A context holding only `site`: the start of every page's context, and all of an alias
    /// redirect's.
    pub fn base_context(&self) -> tera::Context {
        // Cloning the finished value costs less than making and serializing it again.
        self.base
            .get_or_init(|| {
                let mut context = tera::Context::new();
                context.insert("site", &self.site_ctx());
                context
            })
            .clone()
    }

    /// A context holding `site` and the navigation as seen from URL path `here`, for the
    /// 404 page and the generated pages.
    pub fn context_at(&self, here: &str) -> tera::Context {
        let mut context = self.base_context();
        context.insert("nav_html", &self.nav_html(here, None, &[]));
        context
    }

    /// Renders a taxonomy's index page.
    pub fn render_taxonomy(&self, t: usize) -> Result<String, Diagnostic> {
        let taxonomy = &self.taxonomies[t];
        let mut context = self.context_at(&self.urls.path(&taxonomy.url));
        context.insert(
            "taxonomy",
            &serde_json::json!({
                "name": taxonomy.name,
                "url": self.urls.path(&taxonomy.url),
                "permalink": self.urls.permalink(&taxonomy.url),
                "terms": taxonomy.terms.iter().map(|term| serde_json::json!({
                    "name": term.name,
                    "url": self.urls.path(&term.url),
                    "count": term.pages.len(),
                })).collect::<Vec<_>>(),
            }),
        );
        self.render("taxonomy_list.html", &context, None)
    }

    /// Renders one term page of a taxonomy.
    pub fn render_term(&self, t: usize, i: usize) -> Result<String, Diagnostic> {
        let taxonomy = &self.taxonomies[t];
        let term = &taxonomy.terms[i];
        let mut context = self.context_at(&self.urls.path(&term.url));
        context.insert(
            "taxonomy",
            &LinkCtx {
                title: &taxonomy.name,
                url: self.urls.path(&taxonomy.url),
            },
        );
        context.insert(
            "term",
            &serde_json::json!({
                "name": term.name,
                "url": self.urls.path(&term.url),
                "permalink": self.urls.permalink(&term.url),
                "pages": term.pages.iter().map(|&p| self.summary(p)).collect::<Vec<_>>(),
            }),
        );
        self.render("taxonomy_term.html", &context, None)
    }
}

/// One diagnostic per distinct render failure, as `weft build` reports them: a broken
/// template fails every page that uses it, so it names the first page and counts the others.
pub fn group_failures(site: &Site, failures: Vec<(PageId, Diagnostic)>) -> Vec<Diagnostic> {
    type Failure = (String, Option<String>);
    let mut groups: BTreeMap<Failure, Vec<(PageId, Diagnostic)>> = BTreeMap::new();
    for (id, diagnostic) in failures {
        groups
            .entry((diagnostic.message.clone(), diagnostic.help.clone()))
            .or_default()
            .push((id, diagnostic));
    }
    groups
        .into_values()
        .map(|mut group| {
            let others = group.len() - 1;
            let (id, mut diagnostic) = group.swap_remove(0);
            let page = site.page(id).source.display_path();
            diagnostic.message = match others {
                0 => format!("{} (rendering {page})", diagnostic.message),
                n => format!(
                    "{} (rendering {page} and {n} other page{})",
                    diagnostic.message,
                    if n == 1 { "" } else { "s" }
                ),
            };
            diagnostic
        })
        .collect()
}

/// Nests headings into a table of contents by level.
fn toc(headings: &[Heading]) -> Vec<TocEntry<'_>> {
    fn take<'h>(headings: &'h [Heading], i: &mut usize, level: u8) -> Vec<TocEntry<'h>> {
        let mut entries = Vec::new();
        while let Some(h) = headings.get(*i) {
            if h.level < level {
                break;
            }
            *i += 1;
            let children = take(headings, i, h.level + 1);
            entries.push(TocEntry {
                level: h.level,
                id: &h.id,
                title: &h.title,
                children,
            });
        }
        entries
    }
    let top = headings.iter().map(|h| h.level).min().unwrap_or(1);
    let mut i = 0;
    take(headings, &mut i, top)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_keep_the_sub_path() {
        let urls = Urls::new("https://example.org/docs");
        assert_eq!(urls.path("eu/"), "/docs/eu/");
        assert_eq!(urls.permalink("eu/"), "https://example.org/docs/eu/");
        let root = Urls::new("/");
        assert_eq!(root.path(""), "/");
        assert_eq!(root.permalink("a/"), "/a/");
    }

    #[test]
    fn toc_nests_by_level() {
        let h = |level, id: &str| Heading {
            level,
            id: id.into(),
            title: id.into(),
        };
        let headings = [h(2, "a"), h(3, "b"), h(2, "c"), h(4, "d")];
        let toc = toc(&headings);
        assert_eq!(toc.len(), 2);
        assert_eq!(toc[0].children[0].id, "b");
        assert_eq!(toc[1].children[0].id, "d");
    }
}
