//! Rendering: the templates (see [`crate::templates`]) filled with typed contexts that
//! borrow from the site.

use std::cell::RefCell;
use std::sync::OnceLock;

use serde::Serialize;

use crate::config::{SiteConfig, TAGS};
use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::frontmatter::PageDate;
use crate::i18n::{Lang, Language};
use crate::links::{EdgeKind, Target};
use crate::markdown::{Heading, Placeholder, fill_placeholders};
use crate::site::{Page, PageId, PageKind};
pub use crate::templates::{Theme, load_theme};

pub mod facts;

use facts::TermFact;
pub use facts::{Data, Fact, View};

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

pub mod context;
mod embed;
pub mod graph;
mod nav;

use context::{
    AlternateCtx, BacklinkCtx, GraphCtx, GroupCtx, LanguageCtx, LinkCtx, NavCtx, NavItem, PageCtx,
    SiteCtx, SummaryCtx, TargetCtx, TaxonomyCtx, TermCountCtx, TermCtx, TocEntry, TranslationCtx,
};

use embed::Embeds;

/// What one output read of the site, when recorded: see [`facts`].
pub type Reads = RefCell<Vec<Fact>>;

/// Everything rendering needs: the templates, the config, and the site through [`View`].
pub struct Renderer<'a> {
    /// The site configuration.
    pub config: &'a SiteConfig,
    /// Site URLs.
    pub urls: &'a Urls,
    /// Templates.
    pub theme: &'a Theme,
    data: Data<'a>,
    /// Per language, a context holding `site` and `words`, made on first use (it is the same
    /// for every page of the language), with the facts it read.
    base: Vec<OnceLock<(tera::Context, Vec<Fact>)>>,
    /// The pages' links as the local graphs write them.
    node_links: graph::NodeLinks,
}

/// Backlinks listed on a page; a hub's page says how many more there are instead, so that
/// its size does not grow with the site.
pub const MAX_BACKLINKS: usize = 200;

/// Pages around the current one shown in the section navigation, so that a page's size
/// does not grow with its section.
pub const NAV_WINDOW: usize = 8;

impl<'a> Renderer<'a> {
    /// A renderer over the stages of one build.
    pub fn new(config: &'a SiteConfig, data: Data<'a>, urls: &'a Urls, theme: &'a Theme) -> Self {
        Renderer {
            config,
            urls,
            theme,
            node_links: graph::NodeLinks::new(data.page_count(), urls.base_path()),
            data,
            base: (0..config.languages.len())
                .map(|_| OnceLock::new())
                .collect(),
        }
    }

    /// The site as the stages left it, noting what is read in `reads`, if given.
    pub fn view<'r>(&'r self, reads: Option<&'r Reads>) -> View<'r, 'a> {
        View::new(&self.data, reads)
    }

    /// What the stages found, for fingerprints of facts.
    pub fn data(&self) -> &Data<'a> {
        &self.data
    }

    fn link(&self, v: &View<'_, 'a>, id: PageId) -> LinkCtx<'a> {
        let link = v.link(id);
        LinkCtx {
            title: link.title,
            url: self.urls.path(link.url),
        }
    }

    /// The language at `lang`.
    fn language(&self, lang: Lang) -> &'a Language {
        self.config.languages.get(lang)
    }

    /// A language's own name: `name` in weft.yaml, else the theme's `language_name`.
    fn language_name(&self, lang: Lang) -> &'a str {
        self.language(lang).own_name()
    }

    fn site_ctx(&self, v: &View<'_, 'a>, lang: Lang) -> SiteCtx<'a> {
        let home = v.home_of(lang);
        let language = self.language(lang);
        SiteCtx {
            title: &language.title,
            description: language.description.as_deref(),
            language: &language.code,
            dir: if language.rtl { "rtl" } else { "ltr" },
            home_url: self.urls.path(&language.prefix),
            map_url: self.urls.path(&format!("{}map/", language.prefix)),
            languages: self
                .config
                .languages
                .indexes()
                .map(|other| LanguageCtx {
                    code: &self.language(other).code,
                    name: self.language_name(other),
                    url: self.urls.path(&self.language(other).prefix),
                    current: other == lang,
                })
                .collect(),
            base_url: self.urls.permalink(""),
            base_path: self.urls.base_path(),
            sections: v
                .children(home)
                .1
                .iter()
                .map(|&id| self.link(v, id))
                .collect(),
            taxonomies: v
                .taxonomies_of(lang)
                .into_iter()
                .map(|(_, t)| LinkCtx {
                    title: t.title,
                    url: self.urls.path(t.url),
                })
                .collect(),
            search: self.config.search,
            feed_url: self
                .config
                .feeds
                .then(|| self.urls.path(&format!("{}atom.xml", language.prefix))),
            extra: language.decl.extra.as_ref().unwrap_or(&self.config.extra),
        }
    }

    /// The page `id` in the other languages, for the language switcher, and every version of
    /// it, for `hreflang`: empty on a site with one language.
    fn translations(
        &self,
        v: &View<'_, 'a>,
        id: PageId,
    ) -> (Vec<TranslationCtx<'a>>, Vec<AlternateCtx<'a>>) {
        let lang = v.lang(id);
        let versions = v.translations(id);
        self.versions(v, lang, |other| {
            versions
                .get(usize::from(other))
                .copied()
                .flatten()
                .map(|t| v.link(t).url.to_string())
        })
    }

    /// Like [`Renderer::translations`], for an output in language `lang` whose URL path in
    /// each language `url_in` gives, if it is in that language.
    fn versions(
        &self,
        v: &View<'_, 'a>,
        lang: Lang,
        url_in: impl Fn(Lang) -> Option<String>,
    ) -> (Vec<TranslationCtx<'a>>, Vec<AlternateCtx<'a>>) {
        if !self.config.languages.multilingual {
            return (Vec::new(), Vec::new());
        }
        let mut switcher = Vec::new();
        let mut alternates = Vec::new();
        for other in self.config.languages.indexes() {
            let language = self.language(other);
            let url = url_in(other);
            if let Some(url) = &url {
                alternates.push(AlternateCtx {
                    hreflang: &language.code,
                    permalink: self.urls.permalink(url),
                });
                if other == crate::i18n::DEFAULT {
                    alternates.push(AlternateCtx {
                        hreflang: "x-default",
                        permalink: self.urls.permalink(url),
                    });
                }
            }
            if other != lang {
                let missing = url.is_none();
                let url = url.unwrap_or_else(|| v.link(v.home_of(other)).url.to_string());
                switcher.push(TranslationCtx {
                    code: &language.code,
                    name: self.language_name(other),
                    url: self.urls.path(&url),
                    missing,
                });
            }
        }
        (switcher, alternates)
    }

    /// The body of page `id` with every placeholder filled in: links, tags and embedded notes.
    pub fn content(&self, v: &View<'_, 'a>, id: PageId) -> String {
        let mut embeds = Embeds {
            chain: vec![id],
            shown: 0,
        };
        self.fill(v, id, &mut embeds)
    }

    /// The body of page `id`, filled in, inside the embeds of `embeds`.
    fn fill(&self, v: &View<'_, 'a>, id: PageId, embeds: &mut Embeds) -> String {
        let page = v.page(id);
        let targets = v.targets(id);
        let written = |n: usize| {
            page.body
                .links
                .get(n)
                .map(|l| l.dest.clone())
                .unwrap_or_default()
        };
        let target = |n: usize| targets.get(n).and_then(Option::as_ref);
        // Shown in another page, a note's links to its own headings need its URL.
        let shown_in_another = embeds.chain.len() > 1;
        let url = |n: usize| {
            let url = match target(n) {
                Some(Target::Page { id: to, anchor }) => {
                    let base = if *to == id && !shown_in_another {
                        String::new()
                    } else {
                        self.urls.path(v.link(*to).url)
                    };
                    match anchor {
                        Some(anchor) => format!("{base}#{anchor}"),
                        None if base.is_empty() => "#".into(),
                        None => base,
                    }
                }
                Some(Target::File(url)) => self.urls.path(url),
                None => written(n),
            };
            let mut out = String::new();
            let _ = pulldown_cmark_escape::escape_href(&mut out, &url);
            out
        };
        let title_of = |n: usize| match target(n) {
            Some(Target::Page { id: to, anchor }) => {
                let title = v.link(*to).title;
                let heading = anchor
                    .as_ref()
                    .and_then(|a| v.headings(*to).iter().find(|h| &h.id == a));
                match heading {
                    Some(h) if *to == id => h.title.clone(),
                    Some(h) => format!("{title} › {}", h.title),
                    None => title.to_string(),
                }
            }
            _ => written(n),
        };
        let escaped = |text: &str| {
            let mut out = String::new();
            let _ = pulldown_cmark_escape::escape_html(&mut out, text);
            out
        };
        fill_placeholders(&page.body.html, |placeholder| match placeholder {
            // A link that goes nowhere is its text, marked, with no URL.
            Placeholder::Open(n) if target(n).is_none() => {
                "<span class=\"link-unresolved\">".into()
            }
            Placeholder::Close(n) if target(n).is_none() => "</span>".into(),
            Placeholder::Close(_) => "</a>".into(),
            Placeholder::Open(n) => {
                let mut tag = format!("<a href=\"{}\"", url(n));
                let title = page.body.links.get(n).map_or("", |l| l.title.as_str());
                if !title.is_empty() {
                    tag.push_str(" title=\"");
                    let _ = pulldown_cmark_escape::escape_html(&mut tag, title);
                    tag.push('"');
                }
                tag.push('>');
                tag
            }
            Placeholder::Url(n) => url(n),
            Placeholder::Text(n) => escaped(&title_of(n)),
            Placeholder::Tag(n) => {
                let tag = page.body.tags.get(n).map_or("", String::as_str);
                let mut out = String::new();
                let prefix = &self.language(page.lang).prefix;
                let path = format!("{prefix}{TAGS}/{}/", crate::taxonomy::term_slug(tag));
                let _ = pulldown_cmark_escape::escape_href(&mut out, &self.urls.path(&path));
                out
            }
            Placeholder::Embed(n) => match target(n) {
                // A part of the page itself is shown once: in it, the embed is a link.
                Some(Target::Page { id: to, anchor })
                    if embeds.may_show(*to)
                        || (*to == id && anchor.is_some() && embeds.chain.len() == 1) =>
                {
                    embeds.shown += 1;
                    embeds.chain.push(*to);
                    let html = self.fill(v, *to, embeds);
                    embeds.chain.pop();
                    let part = embed::part(&html, anchor.as_deref(), v.headings(*to));
                    format!(
                        "<div class=\"embed\">\n<p class=\"embed-source\"><a href=\"{}\">{}</a></p>\n{}</div>\n",
                        url(n),
                        escaped(&title_of(n)),
                        embed::without_ids(part)
                    )
                }
                // A cycle, or past a bound (both reported): a link.
                Some(_) => format!("<a href=\"{}\">{}</a>", url(n), escaped(&title_of(n))),
                None => format!(
                    "<span class=\"link-unresolved\">{}</span>",
                    escaped(&written(n))
                ),
            },
        })
    }

    /// The sections above page `id`, from the home page down.
    fn ancestors(&self, v: &View<'_, 'a>, id: PageId) -> Vec<PageId> {
        let mut chain = Vec::new();
        let mut current = v.place(id).1;
        while let Some(parent) = current {
            chain.push(parent);
            current = v.place(parent).1;
        }
        chain.reverse();
        chain
    }

    fn page_ctx(&self, v: &View<'_, 'a>, id: PageId) -> PageCtx<'a> {
        let page: &'a Page = v.page(id);
        let siblings = page.parent.map(|p| v.children(p).0);
        let position = siblings.and_then(|s| s.iter().position(|&x| x == id));
        let (prev, next) = match (siblings, position) {
            (Some(s), Some(i)) if page.kind == PageKind::Page => (
                i.checked_sub(1).map(|j| self.link(v, s[j])),
                s.get(i + 1).map(|&n| self.link(v, n)),
            ),
            _ => (None, None),
        };
        let relations = v.relations(id);
        let backlinks = v.backlinks(id);
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
            content: self.content(v, id),
            toc: toc(&page.body.headings),
            date: page.fm.date.as_ref().map(|d| d.ymd()),
            updated: page.fm.updated.as_ref().map(|d| d.ymd()),
            word_count: page.body.word_count,
            reading_time: page.body.word_count.div_ceil(200).max(1),
            extra: &page.fm.extra,
            params: &page.fm.params,
            classes: &page.fm.cssclasses,
            image: page.fm.image.as_ref().and_then(|written| {
                match v
                    .targets(id)
                    .get(page.body.links.len())
                    .and_then(Option::as_ref)
                {
                    Some(Target::File(url)) => Some(self.urls.permalink(url)),
                    Some(Target::Page { .. }) => None,
                    None if crate::markdown::is_external(written) => Some(written.clone()),
                    None => None,
                }
            }),
            taxonomies: self.taxonomy_groups(v, id),
            relations: relations
                .iter()
                .map(|g| GroupCtx {
                    key: &g.key,
                    label: &g.label,
                    pages: g.pages.iter().map(|&p| self.link(v, p)).collect(),
                })
                .collect(),
            backlinks_more: backlinks.len().saturating_sub(MAX_BACKLINKS),
            backlinks: backlinks
                .iter()
                .take(MAX_BACKLINKS)
                .map(|(from, kind)| {
                    let link = self.link(v, *from);
                    BacklinkCtx {
                        in_relations: relations.iter().any(|g| g.pages.contains(from)),
                        title: link.title,
                        url: link.url,
                        kind: kind.name(),
                        label: match kind {
                            EdgeKind::Link => "link",
                            EdgeKind::Relation(key) => self.relation_label(page.lang, key),
                        },
                    }
                })
                .collect(),
            ancestors: self
                .ancestors(v, id)
                .into_iter()
                .map(|a| self.link(v, a))
                .collect(),
            prev,
            next,
            pages: page.pages.iter().map(|&p| self.summary(v, p)).collect(),
            subsections: page
                .subsections
                .iter()
                .map(|&p| self.summary(v, p))
                .collect(),
            nav: self.nav(v, id),
            graph: self.graph(v, id),
        }
    }

    /// The label of relation `key` in language `lang`.
    fn relation_label(&self, lang: Lang, key: &'a str) -> &'a str {
        let own = self
            .language(lang)
            .decl
            .relations
            .get(key)
            .and_then(|r| r.label.as_deref());
        own.or_else(|| self.config.relations.get(key).map(|r| r.label.as_str()))
            .unwrap_or(key)
    }

    /// The local graph of page `id` (see [`graph`]).
    fn graph(&self, v: &View<'_, 'a>, id: PageId) -> Option<GraphCtx> {
        if !self.config.local_graph {
            return None;
        }
        graph::local_graph(v, id).map(|drawn| graph::html(&drawn, v, &self.node_links))
    }

    fn taxonomy_groups(&self, v: &View<'_, 'a>, id: PageId) -> Vec<GroupCtx<'a>> {
        let mut groups: Vec<GroupCtx<'a>> = Vec::new();
        for (taxonomy, term) in v.terms(id) {
            let link = LinkCtx {
                title: term.title,
                url: self.urls.path(term.url),
            };
            match groups.iter_mut().find(|g| g.key == taxonomy.title) {
                Some(group) => group.pages.push(link),
                None => groups.push(GroupCtx {
                    key: taxonomy.title,
                    label: taxonomy.title,
                    pages: vec![link],
                }),
            }
        }
        groups
    }

    fn summary(&self, v: &View<'_, 'a>, id: PageId) -> SummaryCtx<'a> {
        let summary = v.summary(id);
        SummaryCtx {
            title: summary.title,
            url: self.urls.path(summary.url),
            description: summary.description,
            date: summary.date.map(PageDate::ymd),
        }
    }

    /// The section navigation: the pages of the current section, windowed around the page.
    fn nav(&self, v: &View<'_, 'a>, id: PageId) -> Option<NavCtx<'a>> {
        let (kind, parent) = v.place(id);
        let section_id = if kind == PageKind::Section {
            id
        } else {
            parent?
        };
        let (pages, subsections) = v.children(section_id);
        let position = pages.iter().position(|&p| p == id).unwrap_or(0);
        let start = position.saturating_sub(NAV_WINDOW);
        let end = (position + NAV_WINDOW + 1).min(pages.len());
        let item = |p: PageId| {
            let link = self.link(v, p);
            NavItem {
                title: link.title,
                url: link.url,
                current: p == id,
            }
        };
        Some(NavCtx {
            section: self.link(v, section_id),
            pages: pages[start..end].iter().map(|&p| item(p)).collect(),
            subsections: subsections
                .iter()
                .take(2 * NAV_WINDOW)
                .map(|&p| item(p))
                .collect(),
            hidden_before: start,
            hidden_after: pages.len() - end,
        })
    }

    /// Renders one page or section with its template; `reads`, if given, learns what of the
    /// site it read.
    pub fn render_page(&self, id: PageId, reads: Option<&Reads>) -> Result<String, Diagnostic> {
        let v = self.view(reads);
        let page = v.page(id);
        let template = match (&page.fm.template, page.kind) {
            (Some(t), _) => {
                if !self.theme.has(&t.value) {
                    return Err(Diagnostic::error(
                        Code::MissingTemplate,
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
            (None, PageKind::Section) if id == v.home() && self.theme.has("index.html") => {
                "index.html"
            }
            (None, PageKind::Section) => "section.html",
            (None, PageKind::Page) => "page.html",
        };
        let lang = v.lang(id);
        let page = self.page_ctx(&v, id);
        let nav_html = self.nav_html(&v, lang, &page.url, page.nav.as_ref(), &page.ancestors);
        let toc_html = toc_html(&page.toc);
        let mut context = self.base_context(&v, lang);
        context.insert("page", &page);
        context.insert("nav_html", &nav_html);
        context.insert("toc_html", &toc_html);
        if self.config.languages.multilingual {
            let (translations, alternates) = self.translations(&v, id);
            context.insert("translations", &translations);
            context.insert("alternates", &alternates);
        }
        self.render(template, &context, lang)
    }

    /// Renders `template` with `context` in language `lang`.
    pub fn render(
        &self,
        template: &str,
        context: &tera::Context,
        lang: Lang,
    ) -> Result<String, Diagnostic> {
        self.theme.render(template, context, lang)
    }

    /// A context holding `site` and `words` of language `lang` (and no `translations` and
    /// `alternates` yet): the start of every page's context, and all of an alias redirect's.
    pub fn base_context(&self, v: &View, lang: Lang) -> tera::Context {
        // Cloning the finished value costs less than making and serializing it again.
        let (context, reads) = self.base[usize::from(lang)].get_or_init(|| {
            let reads = Reads::default();
            let mut context = tera::Context::new();
            context.insert("site", &self.site_ctx(&self.view(Some(&reads)), lang));
            if self.theme.words_read {
                context.insert("words", &self.language(lang).words);
            }
            context.insert("translations", &[] as &[TranslationCtx]);
            context.insert("alternates", &[] as &[AlternateCtx]);
            (context, reads.into_inner())
        });
        v.replay(reads);
        context.clone()
    }

    /// A context holding `site`, `words` and the navigation as seen from URL path `here`, in
    /// language `lang`, for the 404 page and the generated pages; with the output's versions
    /// in each language, which `url_in` gives.
    pub fn context_at(
        &self,
        v: &View<'_, 'a>,
        lang: Lang,
        here: &str,
        url_in: impl Fn(Lang) -> Option<String>,
    ) -> tera::Context {
        let mut context = self.base_context(v, lang);
        context.insert("nav_html", &self.nav_html(v, lang, here, None, &[]));
        if self.config.languages.multilingual {
            let (translations, alternates) = self.versions(v, lang, url_in);
            context.insert("translations", &translations);
            context.insert("alternates", &alternates);
        }
        context
    }

    /// Where an alias of the page titled `title` at `url` redirects.
    pub fn target<'t>(&self, title: &'t str, url: &str) -> impl Serialize + use<'t> {
        TargetCtx {
            title,
            url: self.urls.path(url),
            permalink: self.urls.permalink(url),
        }
    }

    /// Renders a taxonomy's index page.
    pub fn render_taxonomy(&self, v: &View<'_, 'a>, t: usize) -> Result<String, Diagnostic> {
        let (taxonomy, terms) = v.taxonomy_index(t);
        let lang = v.taxonomy_lang(t);
        let same = v.same_taxonomy(t);
        let mut context = self.context_at(v, lang, &self.urls.path(taxonomy.url), |other| {
            same.get(usize::from(other))
                .copied()
                .flatten()
                .map(|t| v.taxonomy_index(t).0.url.to_string())
        });
        context.insert(
            "taxonomy",
            &TaxonomyCtx {
                name: taxonomy.title,
                url: self.urls.path(taxonomy.url),
                permalink: self.urls.permalink(taxonomy.url),
                terms: terms
                    .iter()
                    .map(|(term, count)| TermCountCtx {
                        name: term.title,
                        url: self.urls.path(term.url),
                        count: *count,
                    })
                    .collect(),
            },
        );
        self.render("taxonomy_list.html", &context, lang)
    }

    /// Renders one term page of a taxonomy.
    pub fn render_term(&self, v: &View<'_, 'a>, t: usize, i: usize) -> Result<String, Diagnostic> {
        let TermFact { taxonomy, term } = v.term(t, i);
        let lang = v.taxonomy_lang(t);
        let same = v.same_taxonomy(t);
        let mut context = self.context_at(v, lang, &self.urls.path(&term.url), |other| {
            let other = same.get(usize::from(other)).copied().flatten()?;
            v.same_term(other, &term.key)
                .map(|term| term.url.to_string())
        });
        context.insert(
            "taxonomy",
            &LinkCtx {
                title: taxonomy.title,
                url: self.urls.path(taxonomy.url),
            },
        );
        context.insert(
            "term",
            &TermCtx {
                name: &term.name,
                url: self.urls.path(&term.url),
                permalink: self.urls.permalink(&term.url),
                pages: term.pages.iter().map(|&p| self.summary(v, p)).collect(),
            },
        );
        self.render("taxonomy_term.html", &context, lang)
    }
}

/// `text` escaped for HTML and XML.
pub fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

/// The table of contents as nested lists of links (`toc_html` in templates), empty for a page
/// without headings. Made here rather than by a recursive template macro, which cost about a
/// twentieth of the default theme's time; themes that want another shape have `page.toc`.
fn toc_html(entries: &[TocEntry]) -> String {
    fn list(out: &mut String, entries: &[TocEntry]) {
        out.push_str("<ol>\n");
        for e in entries {
            out.push_str("<li><a href=\"#");
            let _ = pulldown_cmark_escape::escape_html(&mut *out, e.id);
            out.push_str("\">");
            let _ = pulldown_cmark_escape::escape_html(&mut *out, e.title);
            out.push_str("</a>");
            if !e.children.is_empty() {
                list(out, &e.children);
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ol>");
    }
    let mut out = String::new();
    if !entries.is_empty() {
        list(&mut out, entries);
    }
    out
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
        assert_eq!(
            toc_html(&toc),
            "<ol>\n<li><a href=\"#a\">a</a><ol>\n<li><a href=\"#b\">b</a></li>\n</ol></li>\n\
             <li><a href=\"#c\">c</a><ol>\n<li><a href=\"#d\">d</a></li>\n</ol></li>\n</ol>"
        );
        assert_eq!(toc_html(&[]), "");
    }
}
