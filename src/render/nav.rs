//! The site navigation (`nav_html` in templates), written here rather than in the theme's
//! Tera templates: it is on every page, twice in the default theme (phone menu and sidebar),
//! and as a template it cost about a third of the default theme's rendering time.
//!
//! Its size depends on the number of top-level sections and on the window
//! ([`NAV_WINDOW`](super::NAV_WINDOW)), never on the size of the site. Themes that want
//! another navigation can build their own from `page.nav`, `page.ancestors` and
//! `site.sections`, which carry the same facts.

use pulldown_cmark_escape::escape_html;

use super::{LinkCtx, NavCtx, Renderer, View};
use crate::i18n::{Lang, Language};

impl<'a> Renderer<'a> {
    /// The navigation as seen from URL path `here` (with the base path). For a page or a
    /// section, `nav` and `ancestors` are its `page.nav` and `page.ancestors`: its section is
    /// opened there.
    pub(super) fn nav_html(
        &self,
        v: &View<'_, 'a>,
        lang: Lang,
        here: &str,
        nav: Option<&NavCtx>,
        ancestors: &[LinkCtx],
    ) -> String {
        let base = self.urls.base_path();
        let language = self.language(lang);
        let word = |key| language.word(key);
        let prefix = &language.prefix;
        let home = self.urls.path(prefix);
        // `here` below the base path, to compare with the site's own URLs without making them.
        let local = here.strip_prefix(base);
        let mut html = String::with_capacity(4096);
        html.push_str("<nav class=\"nav-tree\" aria-label=\"");
        let _ = escape_html(&mut html, word("site_navigation"));
        html.push_str("\">\n<p class=\"nav-heading\">");
        let _ = escape_html(&mut html, word("contents"));
        html.push_str("</p>\n<ul>\n<li>");
        link(&mut html, base, prefix, word("home"), here == home);
        if let Some(nav) = nav.filter(|n| n.section.url == home) {
            pages(&mut html, nav, false, language);
        }
        html.push_str("</li>\n");
        for &section in v.children(v.home_of(lang)).1 {
            let section = v.link(section);
            let (url, title) = (section.url, section.title);
            if !local.is_some_and(|l| l.starts_with(url)) {
                html.push_str("<li>");
                link(&mut html, base, url, title, false);
                html.push_str("</li>\n");
                continue;
            }
            html.push_str("<li class=\"open\">");
            link(&mut html, base, url, title, local == Some(url));
            let full = self.urls.path(url);
            match nav {
                Some(nav) if nav.section.url == full => pages(&mut html, nav, true, language),
                Some(nav) if nav.section.url.starts_with(&full) => {
                    levels(&mut html, nav, &full, ancestors, here, language);
                }
                _ => {}
            }
            html.push_str("</li>\n");
        }
        html.push_str("</ul>\n<p class=\"nav-heading\">");
        let _ = escape_html(&mut html, word("browse"));
        html.push_str("</p>\n<ul>\n");
        for (_, taxonomy) in v.taxonomies_of(lang) {
            let url = taxonomy.url;
            html.push_str(if local.is_some_and(|l| l.starts_with(url)) {
                "<li class=\"open\">"
            } else {
                "<li>"
            });
            let title = capitalize(taxonomy.title);
            link(&mut html, base, url, &title, local == Some(url));
            html.push_str("</li>\n");
        }
        html.push_str("<li>");
        let map = format!("{prefix}map/");
        link(
            &mut html,
            base,
            &map,
            word("map_of_all_pages"),
            local == Some(map.as_str()),
        );
        html.push_str("</li>\n</ul>\n</nav>\n");
        html
    }
}

/// `<a href="base+url">title</a>`, marked as the current page when it is.
fn link(html: &mut String, base: &str, url: &str, title: &str, current: bool) {
    html.push_str("<a href=\"");
    let _ = escape_html(&mut *html, base);
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
fn pages(html: &mut String, nav: &NavCtx, subsections: bool, language: &Language) {
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
        link(html, "", &item.url, item.title, item.current);
        html.push_str("</li>\n");
    }
    more(html, nav, nav.hidden_before, language);
    for item in &nav.pages {
        html.push_str("<li>");
        link(html, "", &item.url, item.title, item.current);
        html.push_str("</li>\n");
    }
    more(html, nav, nav.hidden_after, language);
    html.push_str("</ul>");
}

/// "N more pages…", leading to the section, for the pages outside the window.
fn more(html: &mut String, nav: &NavCtx, hidden: usize, language: &Language) {
    if hidden > 0 {
        html.push_str("<li class=\"more\">");
        let text = language.counted("nav_more_pages", hidden);
        link(html, "", &nav.section.url, &text, false);
        html.push_str("</li>\n");
    }
}

/// The sections between top-level section `top` and the current one, nested, with the
/// current section's pages inside the innermost.
fn levels(
    html: &mut String,
    nav: &NavCtx,
    top: &str,
    ancestors: &[LinkCtx],
    here: &str,
    language: &Language,
) {
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
        link(html, "", url, title, here == *url);
    }
    pages(html, nav, true, language);
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
