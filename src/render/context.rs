//! What templates get: one typed context per variable, each field documented. The template
//! reference, `docs/reference/templates.md`, is made from these types (see
//! `commands::reference::templates` and `tests/reference.rs`), so it cannot drift from them.

use schemars::JsonSchema;
use serde::Serialize;

/// A link to a page.
#[derive(Serialize, JsonSchema)]
pub struct LinkCtx<'a> {
    /// The page's title.
    pub title: &'a str,
    /// Its URL path, from the site's root (`/docs/guide/`).
    pub url: String,
}

/// The site, the same on every page of a language: `site`.
#[derive(Serialize, JsonSchema)]
pub struct SiteCtx<'a> {
    /// `title` from weft.yaml (the language's own, if it has one), or the folder's name.
    pub title: &'a str,
    /// `description` from weft.yaml (the language's own, if it has one).
    pub description: Option<&'a str>,
    /// The code of the page's language (`en`, `nl`, `pt-br`), for `<html lang>`.
    pub language: &'a str,
    /// Which way the language is written, for `<html dir>`: `ltr` or `rtl`.
    pub dir: &'static str,
    /// The URL path of the language's home page (`/`, `/nl/`).
    pub home_url: String,
    /// The URL path of the language's map of all pages (`/map/`, `/nl/map/`).
    pub map_url: String,
    /// Every language of the site, the default first; one on a site with one language.
    pub languages: Vec<LanguageCtx<'a>>,
    /// The site's address, ending in `/` (`https://example.org/docs/`).
    pub base_url: String,
    /// The sub-path every URL starts with (`/docs/`, or `/`).
    pub base_path: &'a str,
    /// The home page's sections, in order.
    pub sections: Vec<LinkCtx<'a>>,
    /// Every taxonomy's index page, titled in the language.
    pub taxonomies: Vec<LinkCtx<'a>>,
    /// Whether the search index is built (`search`).
    pub search: bool,
    /// The language's Atom feed's URL path, when `feeds` is on.
    pub feed_url: Option<String>,
    /// `extra` from weft.yaml (the language's own, if it has one), as written.
    pub extra: &'a serde_json::Value,
}

/// One of the site's languages: an entry of `site.languages`.
#[derive(Serialize, JsonSchema)]
pub struct LanguageCtx<'a> {
    /// Its code (`nl`).
    pub code: &'a str,
    /// Its own name ("Nederlands"): `name` in weft.yaml, else the theme's `language_name`.
    pub name: &'a str,
    /// The URL path of its home page.
    pub url: String,
    /// Whether it is the page's language.
    pub current: bool,
}

/// The page in another language: an entry of `translations`, which every page and generated
/// page has (empty on a site with one language), for the language switcher.
#[derive(Serialize, JsonSchema)]
pub struct TranslationCtx<'a> {
    /// The language's code.
    pub code: &'a str,
    /// The language's own name.
    pub name: &'a str,
    /// The URL path of the page in that language, or of that language's home page when it
    /// has no such page.
    pub url: String,
    /// Whether the page is not in that language (`url` is then the language's home).
    pub missing: bool,
}

/// One version of the page for `<link rel="alternate" hreflang>`: an entry of `alternates`,
/// which lists every language the page is in, itself included, and `x-default` (the default
/// language's version); empty on a site with one language.
#[derive(Serialize, JsonSchema)]
pub struct AlternateCtx<'a> {
    /// The language's code, or `x-default`.
    pub hreflang: &'a str,
    /// The version's absolute URL.
    pub permalink: String,
}

/// One heading in a table of contents, with the headings under it.
#[derive(Serialize, JsonSchema)]
pub struct TocEntry<'a> {
    /// 1 to 6.
    pub level: u8,
    /// Its id, the anchor after `#`.
    pub id: &'a str,
    /// Its text.
    pub title: &'a str,
    /// The headings under it.
    pub children: Vec<TocEntry<'a>>,
}

/// A page that links to this one, or relates to it.
#[derive(Serialize, JsonSchema)]
pub struct BacklinkCtx<'a> {
    /// Its title.
    pub title: &'a str,
    /// Its URL path.
    pub url: String,
    /// How it points here: `link`, or the relation's key.
    pub kind: &'a str,
    /// That, as a reader reads it: `link`, or the relation's label.
    pub label: &'a str,
    /// Whether the page already shows in one of this page's relation groups.
    pub in_relations: bool,
}

/// A group of pages under one label: a relation, or a taxonomy's terms.
#[derive(Serialize, JsonSchema)]
pub struct GroupCtx<'a> {
    /// The relation's key, or the taxonomy's name.
    pub key: &'a str,
    /// What the group is called ("Part of", "Topics").
    pub label: &'a str,
    /// The pages, or the terms' pages.
    pub pages: Vec<LinkCtx<'a>>,
}

/// A page as a list shows it.
#[derive(Serialize, JsonSchema)]
pub struct SummaryCtx<'a> {
    /// Its title.
    pub title: &'a str,
    /// Its URL path.
    pub url: String,
    /// Its description, or else its first paragraph.
    pub description: &'a str,
    /// Its `date`, as `YYYY-MM-DD`.
    pub date: Option<String>,
}

/// The navigation of the page's section, windowed around the page.
#[derive(Serialize, JsonSchema)]
pub struct NavCtx<'a> {
    /// The section.
    pub section: LinkCtx<'a>,
    /// Its pages around this one.
    pub pages: Vec<NavItem<'a>>,
    /// Its subsections.
    pub subsections: Vec<NavItem<'a>>,
    /// How many of its pages come before the window.
    pub hidden_before: usize,
    /// How many come after it.
    pub hidden_after: usize,
}

/// One entry of the section navigation.
#[derive(Serialize, JsonSchema)]
pub struct NavItem<'a> {
    /// Its title.
    pub title: &'a str,
    /// Its URL path.
    pub url: String,
    /// Whether it is the page being shown.
    pub current: bool,
}

/// The page being rendered: `page`.
#[derive(Serialize, JsonSchema)]
pub struct PageCtx<'a> {
    /// `page` or `section`.
    pub kind: &'static str,
    /// Its title: `title`, else the `# H1` that opens it, else the file name.
    pub title: &'a str,
    /// `description` from the front matter, or else the summary.
    pub description: &'a str,
    /// The text of the first paragraph, shortened.
    pub summary: &'a str,
    /// Its URL path.
    pub url: String,
    /// Its absolute URL.
    pub permalink: String,
    /// Its file, from the site's folder (`content/guide/install.md`).
    pub source_path: String,
    /// The body, as HTML.
    pub content: String,
    /// The table of contents.
    pub toc: Vec<TocEntry<'a>>,
    /// `date`, as `YYYY-MM-DD`.
    pub date: Option<String>,
    /// `updated`, as `YYYY-MM-DD`.
    pub updated: Option<String>,
    /// Words in the body.
    pub word_count: usize,
    /// Minutes to read it, at 200 words a minute (at least 1).
    pub reading_time: usize,
    /// `extra` from the front matter, as written.
    pub extra: &'a serde_json::Value,
    /// Every front matter key weft does not know, as written.
    pub params: &'a serde_json::Map<String, serde_json::Value>,
    /// Classes for the page's article (`cssclasses`).
    pub classes: &'a [String],
    /// The absolute URL of the page's picture (`image` or `cover`), for link previews.
    pub image: Option<String>,
    /// Its terms, by taxonomy.
    pub taxonomies: Vec<GroupCtx<'a>>,
    /// Its relations, declared here and inverse.
    pub relations: Vec<GroupCtx<'a>>,
    /// The pages that point here (at most 200).
    pub backlinks: Vec<BacklinkCtx<'a>>,
    /// How many more point here than `backlinks` lists.
    pub backlinks_more: usize,
    /// The sections above it, from the home page down.
    pub ancestors: Vec<LinkCtx<'a>>,
    /// The page before it in its section.
    pub prev: Option<LinkCtx<'a>>,
    /// The page after it.
    pub next: Option<LinkCtx<'a>>,
    /// A section's pages, in its order.
    pub pages: Vec<SummaryCtx<'a>>,
    /// A section's subsections.
    pub subsections: Vec<SummaryCtx<'a>>,
    /// The navigation of its section.
    pub nav: Option<NavCtx<'a>>,
    /// Its local graph, when it has neighbours and `local_graph` is on.
    pub graph: Option<GraphCtx>,
}

/// A page's local graph: `page.graph`. Made as HTML in Rust, as `nav_html` is: it is on every
/// page. The pages are lists of links that the default theme's CSS places on rings around
/// the page, each item by its place in its list (a ring's list names its count, `n7`), in a
/// 16:9 box; without styles they are plain lists, which is what screen readers read.
#[derive(Serialize, JsonSchema)]
pub struct GraphCtx {
    /// The edges: an `<svg>` with a 640 by 360 `viewBox`, hidden from assistive technology.
    pub edges: String,
    /// The page itself, a `<ul class="lg-self">` of one link.
    pub page: String,
    /// The pages one link away (body links and relations, both ways), best connected first:
    /// a `<ul class="lg-near nN">` of links, N of them (`lg-near lg-quiet nN` when there are
    /// too many to label).
    pub near: String,
    /// The pages two links away that it shows, a `<ul class="lg-far nN">`; empty when none.
    pub far: String,
    /// How many pages two links away it shows: what to test, rather than `far` (Tera escapes
    /// a string to test it, and this one is long).
    pub far_pages: usize,
    /// How many pages it shows besides this one.
    pub pages: usize,
}

/// A taxonomy's index page: `taxonomy` in `taxonomy_list.html`.
#[derive(Serialize, JsonSchema)]
pub struct TaxonomyCtx<'a> {
    /// The taxonomy's title ("Topics").
    pub name: &'a str,
    /// Its index page's URL path.
    pub url: String,
    /// Its absolute URL.
    pub permalink: String,
    /// Its terms, alphabetically.
    pub terms: Vec<TermCountCtx<'a>>,
}

/// A term in a taxonomy's index.
#[derive(Serialize, JsonSchema)]
pub struct TermCountCtx<'a> {
    /// The term, as first written.
    pub name: &'a str,
    /// Its page's URL path.
    pub url: String,
    /// How many pages have it.
    pub count: usize,
}

/// A term's page: `term` in `taxonomy_term.html` (with `taxonomy`, a link to its index).
#[derive(Serialize, JsonSchema)]
pub struct TermCtx<'a> {
    /// The term, as first written.
    pub name: &'a str,
    /// Its page's URL path.
    pub url: String,
    /// Its absolute URL.
    pub permalink: String,
    /// The pages that have it, by title.
    pub pages: Vec<SummaryCtx<'a>>,
}

/// Where an alias redirects: `target` in `alias.html`.
#[derive(Serialize, JsonSchema)]
pub struct TargetCtx<'a> {
    /// The page's title.
    pub title: &'a str,
    /// Its URL path.
    pub url: String,
    /// Its absolute URL.
    pub permalink: String,
}
