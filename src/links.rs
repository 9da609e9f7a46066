//! Links: resolves every body link and relation to a page (or file), checks anchors, and
//! builds the link graph: edges, backlinks and the relations shown on each page.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::config::{Severity, SiteConfig};
use crate::diag::{Code, Diagnostic, Suggester, suggest};
use crate::frontmatter::{self, Spanned};
use crate::i18n::Lang;
use crate::markdown::{Embed, Heading, LinkKind, LinkRef, embed_of};
use crate::site::{Page, PageId, PageKind, Site, slugify, stem_of, title_from_name};
use crate::source::display_path;

mod embeds;

pub use embeds::{MAX_DEPTH as MAX_EMBED_DEPTH, MAX_SHOWN as MAX_EMBEDS_SHOWN};

/// Why one page points at another.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EdgeKind {
    /// A link in the body.
    Link,
    /// A typed relation declared in front matter, by its key.
    Relation(String),
}

impl EdgeKind {
    /// The name used in `graph.json` and templates: `link` or the relation key.
    pub fn name(&self) -> &str {
        match self {
            EdgeKind::Link => "link",
            EdgeKind::Relation(key) => key,
        }
    }
}

/// One directed edge of the link graph.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    /// The page that links or declares.
    pub from: PageId,
    /// The page pointed at.
    pub to: PageId,
    /// Body link or relation.
    pub kind: EdgeKind,
}

/// Where a body link goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A page or section, maybe a heading on it.
    Page {
        /// The page.
        id: PageId,
        /// The heading id after `#`, if any.
        anchor: Option<String>,
    },
    /// A file copied into the site (static or page-bundle asset), by URL path.
    File(String),
}

/// A group of related pages shown on a page ("Part of: European Union").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationGroup {
    /// The relation or inverse key.
    pub key: String,
    /// What the panel calls it.
    pub label: String,
    /// The related pages.
    pub pages: Vec<PageId>,
}

/// Everything the link stage learned about the site.
#[derive(Debug, Default)]
pub struct LinkGraph {
    /// Per page, per body link (in [`crate::markdown::Body::links`] order): its target; then,
    /// for a page with an `image`, the image's.
    pub targets: Vec<Vec<Option<Target>>>,
    /// Every edge, sorted, without duplicates.
    pub edges: Vec<Edge>,
    /// Per page: who points at it, and how.
    pub backlinks: Vec<Vec<(PageId, EdgeKind)>>,
    /// Per page: its relations, declared and inverse.
    pub relations: Vec<Vec<RelationGroup>>,
    /// Per page: the pages it links to or is linked from, by body link or relation, each once,
    /// sorted by id; what a local graph is drawn from.
    pub neighbours: Vec<Vec<Neighbour>>,
}

/// A page next to another in the link graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Neighbour {
    /// The page.
    pub id: PageId,
    /// Whether a relation joins them (in either direction); else only body links do.
    pub relation: bool,
}

/// Each page's [`Neighbour`]s, from the sorted `edges`.
fn neighbours(pages: usize, edges: &[Edge]) -> Vec<Vec<Neighbour>> {
    let mut neighbours = vec![Vec::new(); pages];
    for edge in edges {
        let relation = matches!(edge.kind, EdgeKind::Relation(_));
        for (at, other) in [(edge.from, edge.to), (edge.to, edge.from)] {
            neighbours[at.0 as usize].push(Neighbour {
                id: other,
                relation,
            });
        }
    }
    neighbours
        .par_iter_mut()
        .for_each(|list: &mut Vec<Neighbour>| {
            list.sort_unstable_by_key(|n| (n.id, !n.relation));
            // A relation and a link between the same two pages: one neighbour, by relation.
            list.dedup_by_key(|n| n.id);
        });
    neighbours
}

/// Finds pages and files by the names editors write, as Obsidian finds them ("shortest path
/// when possible"): by path relative to the note, then from the content folder, then by file
/// name anywhere, case-insensitively; and weft's own names besides: slugs, titles, aliases and
/// output URLs.
pub struct Resolver<'a> {
    site: &'a Site,
    /// Whether the site has several languages: names then find the page in the linking
    /// page's language.
    multilingual: bool,
    /// Pages in a language other than the default by their own file's path, lower-cased,
    /// without `.md` (`about.nl`): a link that names the file names that page and no other.
    by_file: HashMap<String, PageId>,
    /// Pages by their path in the content folder, lower-cased, without `.md`; a section also
    /// by its folder's path.
    by_path: HashMap<String, Vec<PageId>>,
    /// Pages by file name, lower-cased, without `.md` (a section's `_index.md` by its folder's).
    by_name: HashMap<String, Vec<PageId>>,
    /// Pages by title, slug, name alias and URL path, lower-cased.
    by_title: HashMap<String, Vec<PageId>>,
    by_url: HashMap<&'a str, PageId>,
    /// Files in the content folder by their path there: their URL may differ (slugs).
    assets: HashMap<String, &'a str>,
    /// Their URLs by file name, lower-cased, for attachments found by name.
    assets_by_name: HashMap<String, Vec<(String, &'a str)>>,
    files: HashSet<String>,
    anchors: Vec<Anchors<'a>>,
    /// The content paths of the Markdown files weft refused to read.
    refused_paths: HashSet<String>,
    /// Their names, as [`path_names`] gives them.
    refused_names: HashSet<String>,
    /// The pages left out of the site, by every name a link may use for them.
    left_out: HashMap<String, usize>,
    /// The file names, indexed for "did you mean" on the first miss.
    name_suggester: OnceLock<Suggester>,
    /// The titles, likewise.
    title_suggester: OnceLock<Suggester>,
    /// The content paths, likewise.
    path_suggester: OnceLock<Suggester>,
}

/// The places on one page a link may point at after `#`.
struct Anchors<'a> {
    /// Heading ids.
    ids: HashSet<&'a str>,
    /// Block ids (`^id`), without the `^`.
    blocks: HashSet<&'a str>,
}

/// A reference that did not resolve, with a suggestion when one is close.
struct Miss {
    message: String,
    label: String,
    help: Option<String>,
    code: Code,
}

/// Why a reference did not resolve.
enum Unresolved {
    /// Nothing has that name or path: an error at the reference.
    Miss(Miss),
    /// It names a Markdown file weft refused to read: the refusal is the one error.
    Refused,
    /// It names a page left out of the site (by its index in [`Site::left_out`]).
    LeftOut(usize),
}

impl From<Miss> for Unresolved {
    fn from(miss: Miss) -> Self {
        Unresolved::Miss(miss)
    }
}

/// Where a reference is written, for help that says how to write it there.
#[derive(Clone, Copy)]
enum Written<'a> {
    /// A link in the body.
    Link,
    /// A target of the relation with this key, in front matter.
    Relation(&'a str),
}

/// The page a name or path found.
#[derive(Clone, Copy)]
struct Found {
    id: PageId,
    /// Whether the link named that very file (`about.nl.md`), in whatever language.
    named: bool,
}

/// Adds `id` to the list at `key`, once.
fn add(index: &mut HashMap<String, Vec<PageId>>, key: String, id: PageId) {
    if key.is_empty() {
        return;
    }
    let entry = index.entry(key).or_default();
    if !entry.contains(&id) {
        entry.push(id);
    }
}

/// A path or name as the indexes hold it: lower-cased, `/`-separated, without `.md`.
fn key_of(path: &str) -> String {
    let lower = path.trim().trim_matches('/').to_lowercase();
    let lower = lower.strip_suffix(".md").unwrap_or(&lower);
    lower.strip_prefix("./").unwrap_or(lower).to_string()
}

impl<'a> Resolver<'a> {
    /// Indexes `site`; `files` are the URL paths of static files and content assets.
    pub fn new(site: &'a Site, files: HashSet<String>) -> Self {
        let mut by_path = HashMap::new();
        let mut by_name = HashMap::new();
        let mut by_title = HashMap::new();
        let mut by_file = HashMap::new();
        for id in site.ids() {
            let page = site.page(id);
            // A translation is found by the names of its page (`about`), in its language.
            let [stem, path] = path_names(&page.base);
            if page.rel != page.base && !page.generated {
                by_file.insert(key_of(&display_path(&page.rel)), id);
            }
            if page.kind == PageKind::Section {
                // A folder is no note in Obsidian: its path names its page after every note.
                let folder = page.base.parent().map(display_path).unwrap_or_default();
                add(&mut by_title, key_of(&folder), id);
            }
            if page.generated {
                add(&mut by_title, stem, id);
            } else {
                add(&mut by_path, key_of(&display_path(&page.base)), id);
                if page.kind == PageKind::Section {
                    add(&mut by_title, path, id);
                } else {
                    add(&mut by_path, path, id);
                }
                add(&mut by_name, stem, id);
            }
            add(
                &mut by_title,
                page.url.trim_end_matches('/').to_lowercase(),
                id,
            );
            if let Some(slug) = &page.fm.slug {
                add(&mut by_title, slug.value.to_lowercase(), id);
            }
            add(&mut by_title, page.title.to_lowercase(), id);
            add(&mut by_title, slugify(&page.title), id);
            for alias in &page.fm.aliases {
                add(
                    &mut by_title,
                    alias.value.trim_matches('/').to_lowercase(),
                    id,
                );
            }
        }
        let anchors = site
            .pages
            .iter()
            .map(|p| Anchors {
                ids: p.body.headings.iter().map(|h| h.id.as_str()).collect(),
                blocks: p.body.blocks.iter().map(String::as_str).collect(),
            })
            .collect();
        let by_url = site
            .ids()
            .map(|id| (site.page(id).url.trim_end_matches('/'), id))
            .collect();
        let mut assets = HashMap::new();
        let mut assets_by_name: HashMap<String, Vec<(String, &str)>> = HashMap::new();
        for (url, asset) in &site.assets {
            assets.insert(display_path(&asset.rel), url.as_str());
            let name = asset.rel.file_name().unwrap_or_default().to_string_lossy();
            let rel = display_path(&asset.rel).to_lowercase();
            assets_by_name
                .entry(name.to_lowercase())
                .or_default()
                .push((rel, url.as_str()));
        }
        let mut left_out = HashMap::new();
        for (index, page) in site.left_out.iter().enumerate() {
            let [stem, path] = path_names(&page.base);
            let titles = page.title.iter().chain(&page.aliases);
            for name in [stem, path].into_iter().chain(titles.map(|t| key_of(t))) {
                left_out.entry(name).or_insert(index);
            }
        }
        Resolver {
            site,
            multilingual: site.homes.len() > 1,
            by_file,
            by_path,
            by_name,
            by_title,
            by_url,
            assets,
            assets_by_name,
            files,
            anchors,
            refused_paths: site
                .refused
                .iter()
                .map(|rel| key_of(&display_path(rel)))
                .collect(),
            refused_names: site
                .refused
                .iter()
                .flat_map(|rel| path_names(rel))
                .collect(),
            left_out,
            name_suggester: OnceLock::new(),
            title_suggester: OnceLock::new(),
            path_suggester: OnceLock::new(),
        }
    }

    /// The page that `target` (a path or name, without `#`) names, written in a page in
    /// folder `from_dir`: by path from there, by path from the content folder, by file name
    /// (a path suffix choosing among pages that share it), then by title, slug or alias.
    fn find_page(
        &self,
        from_dir: &Path,
        target: &str,
        written: Written,
        lang: Lang,
    ) -> Result<Found, Unresolved> {
        let trimmed = target.trim();
        let rooted = trimmed
            .strip_prefix("@/")
            .or_else(|| trimmed.strip_prefix('/'));
        let key = key_of(rooted.unwrap_or(trimmed));
        let mut tried = Vec::new();
        let climbs = key.starts_with("../") || key == "..";
        match rooted {
            None => match normalize(from_dir, &key) {
                Some(near) => tried.push(display_path(&near).to_lowercase()),
                None if climbs => return Err(self.outside(target, written)),
                None => {}
            },
            Some(_) if climbs => return Err(self.outside(target, written)),
            Some(_) => {}
        }
        if !climbs {
            tried.push(key.clone());
        }
        for path in &tried {
            if let Some(&id) = self.by_file.get(path) {
                return Ok(Found { id, named: true });
            }
            if let Some(found) = self.by_path.get(path) {
                return self.pick(found, target, written, lang);
            }
        }
        if rooted.is_none() {
            let name = key.rsplit('/').next().unwrap_or(&key);
            if let Some(named) = self.by_name.get(name) {
                let suffix = format!("/{key}");
                let matching: Vec<PageId> = named
                    .iter()
                    .copied()
                    .filter(|&id| {
                        let [_, path] = path_names(&self.site.page(id).rel);
                        !key.contains('/') || path == key || path.ends_with(&suffix)
                    })
                    .collect();
                if !matching.is_empty() {
                    return self.pick(&matching, target, written, lang);
                }
            }
            if let Some(found) = self.by_title.get(&key) {
                return self.pick(found, target, written, lang);
            }
        }
        let left_out = tried
            .iter()
            .chain([&key])
            .find_map(|k| self.left_out.get(k));
        if let Some(&index) = left_out {
            return Err(Unresolved::LeftOut(index));
        }
        if self.refused_names.contains(&key) || tried.iter().any(|p| self.refused_paths.contains(p))
        {
            return Err(Unresolved::Refused);
        }
        let near = tried.first().map_or(key.as_str(), String::as_str);
        Err(self.no_page(target, near, from_dir, written))
    }

    /// The page of `found` that a link in language `lang` means: on a site with several
    /// languages, those in `lang` if any are, else each found page's version in `lang`, else
    /// in the default language; then the one page, or the error that there are several.
    fn pick(
        &self,
        found: &[PageId],
        target: &str,
        written: Written,
        lang: Lang,
    ) -> Result<Found, Unresolved> {
        if !self.multilingual {
            let id = self.one_of(found, target, written)?;
            return Ok(Found { id, named: false });
        }
        let lang_of = |id: PageId| self.site.page(id).lang;
        let same: Vec<PageId> = found
            .iter()
            .copied()
            .filter(|&id| lang_of(id) == lang)
            .collect();
        if !same.is_empty() {
            let id = self.one_of(&same, target, written)?;
            return Ok(Found { id, named: false });
        }
        let mut versions: Vec<PageId> = found
            .iter()
            .map(|&id| {
                let page = self.site.page(id);
                let version = |l: Lang| page.translations.get(usize::from(l)).copied().flatten();
                version(lang)
                    .or_else(|| version(crate::i18n::DEFAULT))
                    .unwrap_or(id)
            })
            .collect();
        versions.sort_unstable();
        versions.dedup();
        let id = self.one_of(&versions, target, written)?;
        Ok(Found { id, named: false })
    }

    /// The error for a path that climbs out of the content folder.
    fn outside(&self, target: &str, written: Written) -> Unresolved {
        let help = match written {
            Written::Link => "link to pages inside the content folder, e.g. `section/page.md` or `@/section/page.md`".into(),
            Written::Relation(key) => format!("name a page inside the content folder, e.g. `{key}: section/page.md`"),
        };
        Unresolved::Miss(Miss {
            code: Code::BrokenLink,
            message: format!("link `{target}` leads outside the content folder"),
            label: "outside the content folder".into(),
            help: Some(help),
        })
    }

    /// The one page of `found`, or the error that `target` could mean several.
    fn one_of(
        &self,
        found: &[PageId],
        target: &str,
        written: Written,
    ) -> Result<PageId, Unresolved> {
        if let [one] = found {
            return Ok(*one);
        }
        let paths: Vec<String> = found
            .iter()
            .map(|&id| {
                display_path(&self.site.page(id).rel)
                    .trim_end_matches(".md")
                    .to_string()
            })
            .collect();
        let candidates: Vec<String> = paths.iter().map(|p| format!("`{p}`")).collect();
        let example = match written {
            Written::Link => format!("[[{}]]", paths[0]),
            Written::Relation(key) => format!("`{key}: {}.md`", paths[0]),
        };
        Err(Unresolved::Miss(Miss {
            code: Code::AmbiguousLink,
            message: format!("`{target}` could mean {} pages", found.len()),
            label: format!("matches {}", candidates.join(", ")),
            help: Some(format!(
                "write more of the path to choose one, e.g. {example}"
            )),
        }))
    }

    /// The error for a page that nothing names `target`; `key` is the path it was looked for
    /// at first (from the linking page's folder `from_dir`).
    fn no_page(&self, target: &str, key: &str, from_dir: &Path, written: Written) -> Unresolved {
        let trimmed = target.trim();
        let suggestion = if trimmed.contains('/') {
            let paths = self.path_suggester.get_or_init(|| {
                Suggester::new(
                    // The files' paths, a translation's without its language's code; a
                    // section weft made has no file to name.
                    self.site
                        .pages
                        .iter()
                        .filter(|p| !p.generated)
                        .map(|p| display_path(&p.base).trim_end_matches(".md").to_string()),
                )
            });
            paths.suggest(key).map(|s| {
                if trimmed.starts_with("@/") {
                    format!("@/{s}.md")
                } else if trimmed.ends_with(".md") {
                    relative_path(from_dir, Path::new(&format!("{s}.md")))
                } else {
                    s.to_string()
                }
            })
        } else {
            // File names first, as most links are written; then titles.
            let names = self
                .name_suggester
                .get_or_init(|| Suggester::new(self.site.pages.iter().map(|p| p.stem.clone())));
            let titles = self
                .title_suggester
                .get_or_init(|| Suggester::new(self.site.pages.iter().map(|p| p.title.clone())));
            let name = key.rsplit('/').next().unwrap_or(key);
            names
                .suggest(name)
                .or_else(|| titles.suggest(name))
                .map(|s| {
                    if trimmed.ends_with(".md") {
                        format!("{s}.md")
                    } else {
                        s.to_string()
                    }
                })
        };
        let help = match written {
            Written::Link => "a link names a page by its file name (with or without `.md`, anywhere in the content folder), its path, slug, title or alias".to_string(),
            Written::Relation(key) => format!(
                "`{key}` names a page by its file name, path, slug, title or alias, e.g. `{key}: section/page.md`"
            ),
        };
        Unresolved::Miss(Miss {
            code: Code::BrokenLink,
            message: format!("no page `{target}` to link to"),
            label: suggestion.map_or("no page has this name".into(), |s| {
                format!("did you mean `{s}`?")
            }),
            help: Some(help),
        })
    }

    /// The heading or block that `anchor` (after `#`, decoded) names on page `id`: its id.
    /// A heading is found by its id or its text as written (`#Working method`), a nested one
    /// by the headings above it (`#Part#Detail`), and a block by `^id`.
    fn find_anchor(&self, id: PageId, anchor: &str) -> Result<Option<String>, Miss> {
        let anchors = &self.anchors[id.0 as usize];
        let page = self.site.page(id);
        if anchor.is_empty() {
            return Ok(None);
        }
        if let Some(block) = anchor.strip_prefix('^') {
            if anchors.blocks.contains(block) {
                return Ok(Some(anchor.to_string()));
            }
            let suggestion = suggest(block, anchors.blocks.iter().copied());
            return Err(Miss {
                code: Code::BrokenAnchor,
                message: format!("no block `^{block}` in `{}`", page.source.display_path()),
                label: suggestion.map_or("no block has this id".into(), |s| {
                    format!("did you mean `^{s}`?")
                }),
                help: Some(
                    "a block is named by ` ^id` at the end of a paragraph or list item".into(),
                ),
            });
        }
        if anchors.ids.contains(anchor) {
            return Ok(Some(anchor.to_string()));
        }
        // `#Working method` is most often the heading whose id its text makes.
        let slug = crate::markdown::heading_id(anchor);
        if !anchor.contains('#') && anchors.ids.contains(slug.as_str()) {
            return Ok(Some(slug));
        }
        // By text, as Obsidian writes it: each level of a nested link in order.
        let parts: Vec<String> = anchor
            .split('#')
            .map(heading_words)
            .filter(|p| !p.is_empty())
            .collect();
        let mut next = 0;
        for heading in &page.body.headings {
            if parts.get(next).is_some_and(|p| {
                *p == heading_words(&heading.title) || *p == heading_words(&heading.id)
            }) {
                next += 1;
                if next == parts.len() {
                    return Ok(Some(heading.id.clone()));
                }
            }
        }
        // The heading that became the page's title is the top of the page.
        if parts.len() == 1
            && page
                .body
                .title
                .as_deref()
                .is_some_and(|t| heading_words(t) == parts[0])
        {
            return Ok(None);
        }
        let suggestion = suggest(anchor, anchors.ids.iter().copied());
        Err(Miss {
            code: Code::BrokenAnchor,
            message: format!("no heading `#{anchor}` in `{}`", page.source.display_path()),
            label: suggestion.map_or("no heading has this id or text".into(), |s| {
                format!("did you mean `#{s}`?")
            }),
            help: Some(headings_help(&page.body.headings, anchor)),
        })
    }

    /// The file that `path` names from folder `from_dir`: beside the page, in `static/` (from
    /// the root, `/path`), or by file name anywhere in the content folder.
    fn find_file(&self, from_dir: &Path, written: &str, path: &str) -> Result<Target, Miss> {
        let url = match path.strip_prefix('/') {
            Some(absolute) => normalize(Path::new(""), absolute),
            None => normalize(from_dir, path),
        }
        .map(|p| display_path(&p));
        let Some(url) = url else {
            return Err(Miss {
                code: Code::BrokenLink,
                message: format!("link `{written}` leads outside the site"),
                label: "outside the site".into(),
                help: None,
            });
        };
        if !path.starts_with('/') {
            if let Some(asset_url) = self.assets.get(&url) {
                return Ok(Target::File(asset_url.to_string()));
            }
        }
        if self.files.contains(&url) {
            return Ok(Target::File(url));
        }
        // By name anywhere, the path written being the end of the file's; of several, the one
        // nearest the page.
        let name = path.rsplit('/').next().unwrap_or(path).to_lowercase();
        if let Some(named) = self.assets_by_name.get(&name) {
            let suffix = path.trim_start_matches(['.', '/']).to_lowercase();
            let here = display_path(from_dir).to_lowercase();
            let shared = |rel: &str| {
                rel.split('/')
                    .zip(here.split('/'))
                    .take_while(|(a, b)| a == b)
                    .count()
            };
            let nearest = named
                .iter()
                .filter(|(rel, _)| *rel == suffix || rel.ends_with(&format!("/{suffix}")))
                .max_by_key(|(rel, _)| (shared(rel), std::cmp::Reverse(rel.len())));
            if let Some((_, url)) = nearest {
                return Ok(Target::File(url.to_string()));
            }
        }
        let suggestion = if path.starts_with('/') {
            suggest(&url, self.files.iter().map(String::as_str))
        } else {
            suggest(&url, self.assets.keys().map(String::as_str))
        };
        let suggestion = suggestion.map(|s| {
            if path.starts_with('/') {
                format!("/{s}")
            } else {
                relative_path(from_dir, Path::new(s))
            }
        });
        Err(Miss {
            code: Code::BrokenLink,
            message: format!("no file `{written}` to link to"),
            label: suggestion.map_or("not in static/ or the content folder".into(), |s| format!("did you mean `{s}`?")),
            help: Some("files are found by name in the content folder, by path from the page's folder, or from the site root as `/path` for static/".into()),
        })
    }

    /// The page that a link written as an output URL names: `/guide/`, `../cli/index.html`,
    /// `page.html`, from page `from`.
    fn find_url(&self, from: PageId, path: &str) -> Option<PageId> {
        let page = self.site.page(from);
        let bare = path
            .strip_suffix("index.html")
            .or_else(|| path.strip_suffix(".html"))
            .or_else(|| path.strip_suffix(".htm"))
            .unwrap_or(path);
        if let Some(absolute) = bare.strip_prefix('/') {
            return self.by_url.get(absolute.trim_end_matches('/')).copied();
        }
        // As the page's file sees it (mdBook, a wiki), then as its URL does.
        let from_dir = page.base.parent().unwrap_or(Path::new(""));
        // A folder (`../cli/`) is its section, which the folder's path names after the notes.
        let by_source = normalize(from_dir, bare.trim_end_matches('/')).and_then(|p| {
            let key = key_of(&display_path(&p));
            let found = self.by_path.get(&key).or_else(|| self.by_title.get(&key))?;
            (found.len() == 1).then(|| found[0])
        });
        by_source.or_else(|| {
            let url_dir = Path::new(page.url.trim_end_matches('/'));
            let at = normalize(url_dir, bare.trim_end_matches('/'))?;
            self.by_url.get(display_path(&at).as_str()).copied()
        })
    }

    /// Resolves a body link `link` written in `page`; with whether it named the page it leads
    /// to so that no other language's version is meant (its file, or its URL).
    fn resolve_link(
        &self,
        from: PageId,
        link: &LinkRef,
    ) -> Result<(Option<Target>, bool), Unresolved> {
        if !link.internal {
            return Ok((None, true));
        }
        let page = self.site.page(from);
        let from_dir = page.base.parent().unwrap_or(Path::new(""));
        let dest = decode(&link.dest);
        let (path, anchor) = match dest.split_once('#') {
            Some((path, anchor)) => (path, Some(anchor)),
            None => (dest.as_str(), None),
        };
        let path = path.split('?').next().unwrap_or("").trim();
        let extension = Path::new(path)
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase());
        let is_url = path.ends_with('/') || matches!(extension.as_deref(), Some("html" | "htm"));
        let is_wiki = matches!(link.kind, LinkKind::Wiki { .. });
        let is_note = extension.as_deref().is_none_or(|e| e == "md");
        let as_file = || -> Result<(Option<Target>, bool), Unresolved> {
            let file = self.find_file(from_dir, &link.dest, path)?;
            Ok((Some(Self::with_fragment(file, anchor)), true))
        };
        let mut named = true;
        let id = if path.is_empty() {
            from
        } else if is_url && !is_wiki {
            // Written as an output URL (`../cli/index.html`, `/guide/`), else a file.
            match self.find_url(from, path) {
                Some(id) => id,
                None => return as_file(),
            }
        } else if is_note || is_wiki {
            match self.find_page(from_dir, path, Written::Link, page.lang) {
                Ok(found) => {
                    named = found.named;
                    found.id
                }
                // `[x](guide)`: a folder's page, by its URL.
                Err(missed) if extension.is_none() => self.find_url(from, path).ok_or(missed)?,
                Err(missed) if is_note => return Err(missed),
                // `[[chart.png]]`, unless a note is called so (`Node.js`): a file.
                Err(missed) => return as_file().map_err(|_| missed),
            }
        } else {
            return as_file();
        };
        let anchor = match anchor {
            Some(anchor) => self.find_anchor(id, anchor)?,
            None => None,
        };
        Ok((Some(Target::Page { id, anchor }), named))
    }

    /// A file target with the fragment written after it (`doc.pdf#page=3`), which is for the
    /// viewer: weft does not check it.
    fn with_fragment(file: Target, fragment: Option<&str>) -> Target {
        match (file, fragment) {
            (Target::File(url), Some(fragment)) if !fragment.is_empty() => {
                Target::File(format!("{url}#{fragment}"))
            }
            (file, _) => file,
        }
    }

    /// Resolves a target of relation `key` written in front matter: a content path or a page
    /// name, maybe written as a wiki link.
    fn resolve_relation(
        &self,
        key: &str,
        target: &Spanned,
        lang: Lang,
    ) -> Result<Found, Unresolved> {
        let value = target.value.trim();
        let name = value
            .strip_prefix("[[")
            .and_then(|v| v.strip_suffix("]]"))
            .unwrap_or(value);
        // `[[Note|text]]` and `[[Note#Heading]]` name the note.
        let name = name.split(['|', '#']).next().unwrap_or(name);
        self.find_page(Path::new(""), name, Written::Relation(key), lang)
    }
}

/// Heading text as Obsidian compares it: lower-cased words, punctuation as spaces.
fn heading_words(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    spaced
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The names a wiki link or relation may use for the file at `rel` in content/, lowercased:
/// its stem (a folder page's folder name) and its path without `.md` (and without the file
/// name of a folder page).
fn path_names(rel: &Path) -> [String; 2] {
    let path = display_path(rel).to_lowercase();
    let path = path.trim_end_matches(".md");
    let path = path
        .trim_end_matches("/_index")
        .trim_end_matches("/index")
        .to_string();
    [stem_of(rel).to_lowercase(), path]
}

/// The help of a broken anchor `#anchor`: the ids of the page's first headings, if it has any.
fn headings_help(headings: &[Heading], anchor: &str) -> String {
    const SHOWN: usize = 8;
    if headings.is_empty() {
        return format!("that page has no headings; link to the page without `#{anchor}`");
    }
    let mut ids: Vec<String> = headings
        .iter()
        .take(SHOWN)
        .map(|h| format!("#{}", h.id))
        .collect();
    if headings.len() > SHOWN {
        ids.push("…".into());
    }
    format!("headings on that page: {}", ids.join(", "))
}

fn decode(dest: &str) -> String {
    percent_encoding::percent_decode_str(dest)
        .decode_utf8()
        .map_or_else(|_| dest.to_string(), |s| s.into_owned())
}

/// Joins `rel` onto `base` and folds `.` and `..`; `None` if it climbs above the root.
pub fn normalize(base: &Path, rel: &str) -> Option<PathBuf> {
    let mut parts: Vec<String> = Vec::new();
    let joined = base.join(rel);
    for component in joined.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.iter().collect())
}

/// The path from folder `from` to `to`, both relative to the same root, with `/`.
pub fn relative_path(from: &Path, to: &Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to_parts: Vec<_> = to.components().collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<String> = vec!["..".into(); from.len() - common];
    parts.extend(
        to_parts[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

impl Unresolved {
    /// What to report of a reference at `span` in `page` that did not resolve, if anything:
    /// a miss is an error, or a warning where the site says so (`unresolved_links: warning`);
    /// a page left out is a warning.
    fn into_diagnostic(
        self,
        site: &Site,
        page: &Page,
        span: std::ops::Range<usize>,
        config: &SiteConfig,
    ) -> Option<Diagnostic> {
        match self {
            Unresolved::Miss(miss) => {
                let warn = config.unresolved_links == Severity::Warning
                    && miss.code != Code::AmbiguousLink;
                let diagnostic = if warn {
                    Diagnostic::warning(miss.code, miss.message)
                } else {
                    Diagnostic::error(miss.code, miss.message)
                };
                Some(
                    diagnostic
                        .at(&page.source, span)
                        .label(miss.label)
                        .maybe_help(miss.help),
                )
            }
            Unresolved::LeftOut(index) => {
                let left = &site.left_out[index];
                Some(
                    Diagnostic::warning(
                        Code::LinkToLeftOut,
                        format!("`{}` is {}: the link shows as plain text", display_path(&left.rel), left.why),
                    )
                    .at(&page.source, span)
                    .label("this page is left out of the site")
                    .help("publish that page, or take the link out; its title and URL are not in the output"),
                )
            }
            Unresolved::Refused => None,
        }
    }
}

/// Resolves every link and relation of `site` and builds the graph.
pub fn resolve(
    site: &Site,
    config: &SiteConfig,
    files: HashSet<String>,
    diagnostics: &mut Vec<Diagnostic>,
) -> LinkGraph {
    let resolver = Resolver::new(site, files);
    // Each page's links and relations resolve on their own, in parallel.
    let resolved: Vec<PageLinks> = site
        .ids()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|id| resolve_page(&resolver, site, config, id))
        .collect();
    let mut graph = LinkGraph::default();
    let mut edges = Vec::new();
    let mut declared = Vec::with_capacity(resolved.len());
    for page in resolved {
        graph.targets.push(page.targets);
        edges.extend(page.edges);
        declared.push(page.declared);
        diagnostics.extend(page.diagnostics);
    }
    edges.par_sort_unstable();
    edges.dedup();
    graph.edges = edges;
    embeds::check(site, &graph.targets, diagnostics);
    graph.backlinks = backlinks(site, &graph.edges);
    graph.relations = relation_groups(site, config, &declared, &graph.edges);
    graph.neighbours = if site.homes.len() > 1 {
        let within: Vec<Edge> = graph
            .edges
            .iter()
            .filter(|e| same_language(site, e))
            .cloned()
            .collect();
        neighbours(site.pages.len(), &within)
    } else {
        neighbours(site.pages.len(), &graph.edges)
    };
    graph
}

/// What one page's links and relations resolve to.
struct PageLinks {
    targets: Vec<Option<Target>>,
    edges: Vec<Edge>,
    declared: BTreeMap<String, Vec<PageId>>,
    diagnostics: Vec<Diagnostic>,
}

fn resolve_page(resolver: &Resolver, site: &Site, config: &SiteConfig, id: PageId) -> PageLinks {
    let page = site.page(id);
    let mut resolved = PageLinks {
        targets: Vec::with_capacity(page.body.links.len()),
        edges: Vec::new(),
        declared: BTreeMap::new(),
        diagnostics: Vec::new(),
    };
    for link in &page.body.links {
        match resolver.resolve_link(id, link) {
            Ok((target, named)) => {
                if let Some(Target::Page { id: to, .. }) = &target {
                    if !named {
                        resolved.diagnostics.extend(untranslated(
                            site,
                            config,
                            page,
                            *to,
                            link.span.clone(),
                        ));
                    }
                    // An embedded note is linked to; an image is not.
                    let links = link.kind != LinkKind::Image || embed_of(&link.dest) == Embed::Note;
                    if *to != id && links {
                        resolved.edges.push(Edge {
                            from: id,
                            to: *to,
                            kind: EdgeKind::Link,
                        });
                    }
                }
                resolved.targets.push(target);
            }
            Err(unresolved) => {
                let span = link.span.clone();
                resolved
                    .diagnostics
                    .extend(unresolved.into_diagnostic(site, page, span, config));
                resolved.targets.push(None);
            }
        }
    }
    // The page's picture (`image` or `cover`), found as an attachment is: one target more.
    if let Some(image) = &page.fm.image {
        // Written as a path, an address, or a wiki link (`"[[harbour.png]]"`).
        let image = image.trim();
        let image = image
            .strip_prefix("![[")
            .or_else(|| image.strip_prefix("[["))
            .and_then(|i| i.strip_suffix("]]"))
            .map_or(image, |i| i.split('|').next().unwrap_or(i));
        let link = LinkRef {
            internal: !crate::markdown::is_external(image),
            dest: image.to_string(),
            kind: LinkKind::Image,
            span: frontmatter::key_span(&page.source, "image")
                .or_else(|| frontmatter::key_span(&page.source, "cover"))
                .unwrap_or(0..0),
            title: String::new(),
        };
        match resolver.resolve_link(id, &link) {
            Ok((target, _)) => resolved.targets.push(target),
            Err(unresolved) => {
                let span = link.span.clone();
                resolved
                    .diagnostics
                    .extend(unresolved.into_diagnostic(site, page, span, config));
                resolved.targets.push(None);
            }
        }
    }
    for (key, values) in &page.fm.relations {
        for value in values {
            match resolver.resolve_relation(key, value, page.lang) {
                Ok(found) if found.id == id => resolved.diagnostics.push(
                    Diagnostic::error(
                        Code::SelfRelation,
                        format!("page relates to itself by `{key}`"),
                    )
                    .at(&page.source, value.span.clone())
                    .label("this is the page itself"),
                ),
                Ok(Found { id: to, named }) => {
                    if !named {
                        resolved.diagnostics.extend(untranslated(
                            site,
                            config,
                            page,
                            to,
                            value.span.clone(),
                        ));
                    }
                    resolved.declared.entry(key.clone()).or_default().push(to);
                    resolved.edges.push(Edge {
                        from: id,
                        to,
                        kind: EdgeKind::Relation(key.clone()),
                    });
                }
                Err(unresolved) => {
                    let span = value.span.clone();
                    resolved
                        .diagnostics
                        .extend(unresolved.into_diagnostic(site, page, span, config));
                }
            }
        }
    }
    resolved
}

/// The warning (or error, with `untranslated_links: error`) for a link or relation in `page`
/// that leads to `to`, a page in another language, as `page`'s language has no version of it.
fn untranslated(
    site: &Site,
    config: &SiteConfig,
    page: &Page,
    to: PageId,
    span: std::ops::Range<usize>,
) -> Option<Diagnostic> {
    let target = site.page(to);
    if target.lang == page.lang {
        return None;
    }
    let code = |lang| config.languages.get(lang).code.as_str();
    let message = format!(
        "`{}` is not translated into `{}`: the link leads to the `{}` page",
        display_path(&target.base),
        code(page.lang),
        code(target.lang)
    );
    let diagnostic = match config.untranslated_links {
        Severity::Warning => Diagnostic::warning(Code::UntranslatedLink, message),
        Severity::Error => Diagnostic::error(Code::UntranslatedLink, message),
    };
    let translation = crate::i18n::with_code(&target.base, code(page.lang));
    Some(
        diagnostic
            .at(&page.source, span)
            .label(format!("leads to {}", target.source.display_path()))
            .help(format!(
                "translate the page as `{}`; `untranslated_links: error` in weft.yaml makes this an error",
                display_path(&translation)
            )),
    )
}

/// Whether an edge joins two pages of one language: backlinks, relations and neighbours are
/// per language, and a link that falls back to the default language's page is none of its.
fn same_language(site: &Site, edge: &Edge) -> bool {
    site.page(edge.from).lang == site.page(edge.to).lang
}

fn backlinks(site: &Site, edges: &[Edge]) -> Vec<Vec<(PageId, EdgeKind)>> {
    let mut backlinks = vec![Vec::new(); site.pages.len()];
    for edge in edges.iter().filter(|e| same_language(site, e)) {
        backlinks[edge.to.0 as usize].push((edge.from, edge.kind.clone()));
    }
    backlinks.par_iter_mut().for_each(|list| {
        list.sort_by_cached_key(|(from, kind)| {
            (site.page(*from).title.to_lowercase(), *from, kind.clone())
        });
    });
    backlinks
}

fn relation_groups(
    site: &Site,
    config: &SiteConfig,
    declared: &[BTreeMap<String, Vec<PageId>>],
    edges: &[Edge],
) -> Vec<Vec<RelationGroup>> {
    let mut incoming: Vec<BTreeMap<String, Vec<PageId>>> = vec![BTreeMap::new(); site.pages.len()];
    for edge in edges.iter().filter(|e| same_language(site, e)) {
        if let EdgeKind::Relation(key) = &edge.kind {
            // A property that links (`up: "[[Home]]"`) shows on its target as its inverse.
            let shown_as = match config.relations.get(key) {
                Some(decl) if decl.symmetric => Some(key.clone()),
                Some(decl) => decl.inverse.clone(),
                None => Some(inverse_of_property(key)),
            };
            if let Some(shown_as) = shown_as {
                incoming[edge.to.0 as usize]
                    .entry(shown_as)
                    .or_default()
                    .push(edge.from);
            }
        }
    }
    let mut groups = Vec::with_capacity(site.pages.len());
    for id in site.ids() {
        let language = config.languages.get(site.page(id).lang);
        // "{label} (inverse)", in the page's language.
        let inverse_of = |label: &str| language.word("inverse_label").replace("{label}", label);
        let mut page_groups = Vec::new();
        for (key, decl) in &config.relations {
            let own = language.decl.relations.get(key);
            let label = own.and_then(|o| o.label.as_deref()).unwrap_or(&decl.label);
            let mut pages: Vec<PageId> = declared[id.0 as usize]
                .get(key)
                .cloned()
                .unwrap_or_default();
            if decl.symmetric {
                pages.extend(incoming[id.0 as usize].get(key).into_iter().flatten());
            }
            push_group(&mut page_groups, site, key, label, pages);
            if let Some(inverse) = &decl.inverse {
                let label = own
                    .and_then(|o| o.inverse_label.clone())
                    .or_else(|| decl.inverse_label.clone())
                    .unwrap_or_else(|| inverse_of(label));
                let pages = incoming[id.0 as usize]
                    .get(inverse)
                    .cloned()
                    .unwrap_or_default();
                push_group(&mut page_groups, site, inverse, &label, pages);
            }
        }
        let properties = declared[id.0 as usize]
            .keys()
            .filter(|key| !config.relations.contains_key(*key));
        for key in properties {
            let pages = declared[id.0 as usize][key].clone();
            push_group(&mut page_groups, site, key, &title_from_name(key), pages);
        }
        for (inverse, pages) in &incoming[id.0 as usize] {
            if let Some(key) = inverse.strip_suffix(INVERSE_SUFFIX) {
                if !config.relations.contains_key(key) {
                    let label = inverse_of(&title_from_name(key));
                    push_group(&mut page_groups, site, inverse, &label, pages.clone());
                }
            }
        }
        groups.push(page_groups);
    }
    groups
}

/// What marks the inverse of a property that links, as its target shows it.
const INVERSE_SUFFIX: &str = "_inverse";

/// The key under which a property that links shows on its target.
fn inverse_of_property(key: &str) -> String {
    format!("{key}{INVERSE_SUFFIX}")
}

fn push_group(
    groups: &mut Vec<RelationGroup>,
    site: &Site,
    key: &str,
    label: &str,
    mut pages: Vec<PageId>,
) {
    let mut seen = HashSet::new();
    pages.retain(|id| seen.insert(*id));
    pages.sort_by_cached_key(|&id| (site.page(id).title.to_lowercase(), id));
    if !pages.is_empty() {
        groups.push(RelationGroup {
            key: key.to_string(),
            label: label.to_string(),
            pages,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::MarkdownFile;
    use crate::source::SourceFile;

    #[test]
    fn references_to_refused_files_are_not_reported() {
        let config: SiteConfig =
            serde_yaml::from_str("title: T\nrelations:\n  part_of: { label: Part of }\n")
                .expect("config");
        let text = "---\ntitle: A\npart_of: big.md\n---\n\
                    [big](big.md) [[Big]] [[sub/latin#x]] [gone](gone.md)\n";
        let files = vec![MarkdownFile {
            rel: PathBuf::from("a.md"),
            source: SourceFile::new("content/a.md", text.to_string()),
        }];
        let mut problems = Vec::new();
        let mut site =
            crate::site::parse_and_place(files, Vec::new(), &config, false, &mut problems);
        site.refused = ["big.md", "sub/latin.md"].map(PathBuf::from).into();
        resolve(&site, &config, HashSet::new(), &mut problems);
        let messages: Vec<&str> = problems.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["no page `gone.md` to link to"]);
    }

    #[test]
    fn normalizes_relative_paths() {
        assert_eq!(
            normalize(Path::new("eu"), "../gctf/_index.md"),
            Some(PathBuf::from("gctf/_index.md"))
        );
        assert_eq!(
            normalize(Path::new("eu"), "./ran.md"),
            Some(PathBuf::from("eu/ran.md"))
        );
        assert_eq!(normalize(Path::new("eu"), "../../x.md"), None);
        assert_eq!(normalize(Path::new(""), "/etc/passwd"), None);
    }

    #[test]
    fn relative_paths_between_folders() {
        assert_eq!(
            relative_path(Path::new("eu"), Path::new("eu/ran.md")),
            "ran.md"
        );
        assert_eq!(
            relative_path(Path::new("eu"), Path::new("gctf/_index.md")),
            "../gctf/_index.md"
        );
        assert_eq!(relative_path(Path::new(""), Path::new("a/b.md")), "a/b.md");
    }
}
