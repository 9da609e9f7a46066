//! The site navigation (`nav_html` in templates), written here rather than in the theme's
//! Tera templates: it is on every page, twice in the default theme (phone menu and sidebar),
//! and as a template it cost about a third of the default theme's rendering time.
//!
//! Its size depends on the number of top-level sections and on the window
//! ([`NAV_WINDOW`](super::NAV_WINDOW)), never on the size of the site. Themes that want
//! another navigation can build their own from `page.nav`, `page.ancestors` and
//! `site.sections`, which carry the same facts.

use pulldown_cmark_escape::escape_html;

use super::{LinkCtx, NavCtx, Renderer};
use crate::site::PageId;

impl Renderer<'_> {
    /// The navigation as seen from the page at URL path `here` (with the base path), and
    /// from page `id` when `here` is a page's or section's: its section is opened there.
    pub fn nav_html(&self, here: &str, id: Option<PageId>) -> String {
        let nav = id.and_then(|id| self.nav(id));
        let ancestors: Vec<LinkCtx> = id
            .map(|id| {
                self.site
                    .ancestors(id)
                    .into_iter()
                    .map(|a| self.link(a))
                    .collect()
            })
            .unwrap_or_default();
        let base = self.urls.base_path();
        let mut html = String::with_capacity(4096);
        html.push_str(
            "<nav class=\"nav-tree\" aria-label=\"Site\">\n<p class=\"nav-heading\">Contents</p>\n<ul>\n",
        );
        html.push_str("<li>");
        link(&mut html, base, "Home", here == base);
        if let Some(nav) = nav.as_ref().filter(|n| n.section.url == base) {
            pages(&mut html, nav, false);
        }
        html.push_str("</li>\n");
        for section in &self.site.page(self.site.home).subsections {
            let section = self.link(*section);
            if !here.starts_with(&section.url) {
                html.push_str("<li>");
                link(&mut html, &section.url, section.title, false);
                html.push_str("</li>\n");
                continue;
            }
            html.push_str("<li class=\"open\">");
            link(&mut html, &section.url, section.title, here == section.url);
            match &nav {
                Some(nav) if nav.section.url == section.url => pages(&mut html, nav, true),
                Some(nav) if nav.section.url.starts_with(&section.url) => {
                    levels(&mut html, nav, &section.url, &ancestors, here);
                }
                _ => {}
            }
            html.push_str("</li>\n");
        }
        html.push_str("</ul>\n<p class=\"nav-heading\">Browse</p>\n<ul>\n");
        for taxonomy in self.taxonomies {
            let url = self.urls.path(&taxonomy.url);
            html.push_str(if here.starts_with(&url) {
                "<li class=\"open\">"
            } else {
                "<li>"
            });
            link(&mut html, &url, &capitalize(&taxonomy.name), here == url);
            html.push_str("</li>\n");
        }
        let map = format!("{base}map/");
        html.push_str("<li>");
        link(&mut html, &map, "Map of all pages", here == map);
        html.push_str("</li>\n</ul>\n</nav>\n");
        html
    }
}

/// `<a href="url">title</a>`, marked as the current page when it is.
fn link(html: &mut String, url: &str, title: &str, current: bool) {
    html.push_str("<a href=\"");
    let _ = escape_html(&mut *html, url);
    html.push('"');
    if current {
        html.push_str(" aria-current=\"page\"");
    }
    html.push('>');
    let _ = escape_html(&mut *html, title);
    html.push_str("</a>");
}

/// The window of the current section's pages, after its subsections unless `subsections`
/// is false (the home page's subsections are the top-level list itself).
fn pages(html: &mut String, nav: &NavCtx, subsections: bool) {
    let subsections = if subsections {
        &nav.subsections[..]
    } else {
        &[]
    };
    if subsections.is_empty() && nav.pages.is_empty() {
        return;
    }
    html.push_str("\n<ul>\n");
    for item in subsections {
        html.push_str("<li>");
        link(html, &item.url, item.title, item.current);
        html.push_str("</li>\n");
    }
    more(html, nav, nav.hidden_before);
    for item in &nav.pages {
        html.push_str("<li>");
        link(html, &item.url, item.title, item.current);
        html.push_str("</li>\n");
    }
    more(html, nav, nav.hidden_after);
    html.push_str("</ul>");
}

/// "N more pages…", leading to the section, for the pages outside the window.
fn more(html: &mut String, nav: &NavCtx, hidden: usize) {
    if hidden > 0 {
        html.push_str("<li class=\"more\">");
        link(
            html,
            &nav.section.url,
            &format!("{hidden} more pages…"),
            false,
        );
        html.push_str("</li>\n");
    }
}

/// The sections between top-level section `top` and the current one, nested, with the
/// current section's pages inside the innermost.
fn levels(html: &mut String, nav: &NavCtx, top: &str, ancestors: &[LinkCtx], here: &str) {
    let mut chain: Vec<(&str, &str)> = ancestors
        .iter()
        .filter(|a| a.url.starts_with(top) && a.url != top)
        .map(|a| (a.url.as_str(), a.title))
        .collect();
    if !chain.iter().any(|(url, _)| *url == nav.section.url) {
        chain.push((&nav.section.url, nav.section.title));
    }
    for (url, title) in &chain {
        html.push_str("\n<ul><li class=\"open\">");
        link(html, url, title, here == *url);
    }
    pages(html, nav, true);
    for _ in &chain {
        html.push_str("</li></ul>");
    }
}

/// The first letter in upper case and the rest in lower case, as Tera's `capitalize`.
fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}
