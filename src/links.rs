//! Links: resolves every body link and relation to a page (or file), checks anchors, and
//! builds the link graph: edges, backlinks and the relations shown on each page.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::diag::{Code, Diagnostic, Suggester, suggest};
use crate::frontmatter::Spanned;
use crate::markdown::{Heading, LinkKind, LinkRef};
use crate::site::{Page, PageId, Site, slugify, stem_of};
use crate::source::display_path;

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
    /// Per page, per body link (in [`crate::markdown::Body::links`] order): its target.
    pub targets: Vec<Vec<Option<Target>>>,
    /// Every edge, sorted, without duplicates.
    pub edges: Vec<Edge>,
    /// Per page: who points at it, and how.
    pub backlinks: Vec<Vec<(PageId, EdgeKind)>>,
    /// Per page: its relations, declared and inverse.
    pub relations: Vec<Vec<RelationGroup>>,
}

/// Finds pages by the names editors write: file paths, stems, slugs, titles and aliases.
pub struct Resolver<'a> {
    site: &'a Site,
    by_path: HashMap<String, PageId>,
    by_name: HashMap<String, Vec<PageId>>,
    by_title: HashMap<String, Vec<PageId>>,
    by_url: HashMap<&'a str, PageId>,
    /// Files beside pages in content/, by content path: their URL may differ (slugs).
    assets: HashMap<String, &'a str>,
    files: HashSet<String>,
    anchors: Vec<HashSet<&'a str>>,
    /// The content paths of the Markdown files weft refused to read.
    refused_paths: HashSet<String>,
    /// Their names, as [`path_names`] gives them.
    refused_names: HashSet<String>,
    /// The names and titles, indexed for "did you mean" on the first miss.
    name_suggester: OnceLock<Suggester>,
    /// The content paths, likewise.
    path_suggester: OnceLock<Suggester>,
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

impl<'a> Resolver<'a> {
    /// Indexes `site`; `files` are the URL paths of static files and content assets.
    pub fn new(site: &'a Site, files: HashSet<String>) -> Self {
        let mut by_path = HashMap::new();
        let mut by_name: HashMap<String, Vec<PageId>> = HashMap::new();
        let mut by_title: HashMap<String, Vec<PageId>> = HashMap::new();
        for id in site.ids() {
            let page = site.page(id);
            by_path.insert(display_path(&page.rel), id);
            let mut names = path_names(&page.rel).to_vec();
            names.push(page.url.trim_end_matches('/').to_lowercase());
            if let Some(slug) = &page.fm.slug {
                names.push(slug.value.to_lowercase());
            }
            names.sort();
            names.dedup();
            for name in names.into_iter().filter(|n| !n.is_empty()) {
                by_name.entry(name).or_default().push(id);
            }
            let mut titles = vec![page.title.to_lowercase(), slugify(&page.title)];
            titles.extend(
                page.fm
                    .aliases
                    .iter()
                    .map(|a| a.value.trim_matches('/').to_lowercase()),
            );
            for title in titles {
                let entry = by_title.entry(title).or_default();
                if !entry.contains(&id) {
                    entry.push(id);
                }
            }
        }
        let anchors = site
            .pages
            .iter()
            .map(|p| p.body.headings.iter().map(|h| h.id.as_str()).collect())
            .collect();
        let by_url = site
            .ids()
            .map(|id| (site.page(id).url.trim_end_matches('/'), id))
            .collect();
        let assets = site
            .assets
            .iter()
            .map(|(url, asset)| (display_path(&asset.rel), url.as_str()))
            .collect();
        Resolver {
            site,
            by_path,
            by_name,
            by_title,
            by_url,
            assets,
            files,
            anchors,
            refused_paths: site.refused.iter().map(|rel| display_path(rel)).collect(),
            refused_names: site
                .refused
                .iter()
                .flat_map(|rel| path_names(rel))
                .collect(),
            name_suggester: OnceLock::new(),
            path_suggester: OnceLock::new(),
        }
    }

    fn find_name(&self, name: &str, written: Written) -> Result<PageId, Unresolved> {
        let key = name.trim().trim_matches('/').to_lowercase();
        for index in [&self.by_name, &self.by_title] {
            match index.get(&key).map(Vec::as_slice) {
                Some([one]) => return Ok(*one),
                Some(many) if many.len() > 1 => {
                    let candidates: Vec<String> = many
                        .iter()
                        .map(|&id| {
                            format!(
                                "`{}`",
                                display_path(&self.site.page(id).rel).trim_end_matches(".md")
                            )
                        })
                        .collect();
                    let first = candidates[0].trim_matches('`');
                    let example = match written {
                        Written::Link => format!("[[{first}]]"),
                        Written::Relation(key) => format!("`{key}: {first}.md`"),
                    };
                    return Err(Unresolved::Miss(Miss {
                        code: Code::AmbiguousLink,
                        message: format!("`{name}` could mean {} pages", many.len()),
                        label: format!("matches {}", candidates.join(", ")),
                        help: Some(format!("write the path to choose one, e.g. {example}")),
                    }));
                }
                _ => {}
            }
        }
        if self.refused_names.contains(&key) {
            return Err(Unresolved::Refused);
        }
        let names = self.name_suggester.get_or_init(|| {
            Suggester::new(self.by_name.keys().chain(self.by_title.keys()).cloned())
        });
        let help = match written {
            Written::Link => {
                "a wiki link names a page by its file name, slug, title or alias".into()
            }
            Written::Relation(key) => format!(
                "`{key}` names a page by its file name, slug, title or alias, or by its path in content/, e.g. `{key}: section/page.md`"
            ),
        };
        Err(Unresolved::Miss(Miss {
            code: Code::BrokenLink,
            message: format!("no page named `{name}`"),
            label: names
                .suggest(&key)
                .map_or("no page has this name".into(), |s| {
                    format!("did you mean `{s}`?")
                }),
            help: Some(help),
        }))
    }

    fn find_path(
        &self,
        from_dir: &Path,
        dest: &str,
        path: &str,
        written: Written,
    ) -> Result<PageId, Unresolved> {
        let (base, rest) = match path.strip_prefix("@/") {
            Some(rest) => (Path::new(""), rest),
            None => (from_dir, path),
        };
        let Some(normal) = normalize(base, rest) else {
            let help = match written {
                Written::Link => "link to pages inside content/, e.g. `@/section/page.md`".into(),
                Written::Relation(key) => format!(
                    "name a page inside content/ by its path there, e.g. `{key}: section/page.md`"
                ),
            };
            return Err(Unresolved::Miss(Miss {
                code: Code::BrokenLink,
                message: format!("link `{dest}` leads outside the content folder"),
                label: "outside content/".into(),
                help: Some(help),
            }));
        };
        let key = display_path(&normal);
        if let Some(&id) = self.by_path.get(&key) {
            return Ok(id);
        }
        if self.refused_paths.contains(&key) {
            return Err(Unresolved::Refused);
        }
        let paths = self
            .path_suggester
            .get_or_init(|| Suggester::new(self.by_path.keys().cloned()));
        let suggestion = paths.suggest(&key).map(|s| {
            if path.starts_with("@/") {
                format!("@/{s}")
            } else {
                relative_path(from_dir, Path::new(s))
            }
        });
        let help = match written {
            Written::Link => {
                format!(
                    "links to `.md` files are resolved against content/ (`{key}` does not exist)"
                )
            }
            Written::Relation(relation) => format!(
                "a `{relation}` target ending in `.md` is a path in content/ (`{key}` does not exist)"
            ),
        };
        Err(Unresolved::Miss(Miss {
            code: Code::BrokenLink,
            message: format!("no page `{}` to link to", path),
            label: suggestion.map_or("no such page in content/".into(), |s| {
                format!("did you mean `{s}`?")
            }),
            help: Some(help),
        }))
    }

    fn check_anchor(&self, id: PageId, anchor: &str) -> Result<(), Miss> {
        if anchor.is_empty() || self.anchors[id.0 as usize].contains(anchor) {
            return Ok(());
        }
        let page = self.site.page(id);
        let ids = self.anchors[id.0 as usize].iter().copied();
        let suggestion = suggest(anchor, ids);
        Err(Miss {
            code: Code::BrokenAnchor,
            message: format!("no heading `#{anchor}` in `{}`", page.source.display_path()),
            label: suggestion.map_or("no heading has this id".into(), |s| {
                format!("did you mean `#{s}`?")
            }),
            help: Some(headings_help(&page.body.headings, anchor)),
        })
    }

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
        let bare = url.trim_end_matches('/');
        if !path.starts_with('/') {
            if let Some(asset_url) = self.assets.get(&url) {
                return Ok(Target::File(asset_url.to_string()));
            }
        }
        if self.files.contains(&url) {
            return Ok(Target::File(url));
        }
        if let Some(&id) = self.by_url.get(bare) {
            return Ok(Target::Page { id, anchor: None });
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
            label: suggestion.map_or("not in static/ or beside the page".into(), |s| format!("did you mean `{s}`?")),
            help: Some("files are linked relative to the page's folder in content/, or from the site root as `/path` for static/".into()),
        })
    }

    /// Resolves a body link `link` written in `page`.
    fn resolve_link(&self, from: PageId, link: &LinkRef) -> Result<Option<Target>, Unresolved> {
        if !link.internal {
            return Ok(None);
        }
        let page = self.site.page(from);
        let from_dir = page.rel.parent().unwrap_or(Path::new(""));
        let dest = decode(&link.dest);
        let (path, anchor) = match dest.split_once('#') {
            Some((path, anchor)) => (path, Some(anchor)),
            None => (dest.as_str(), None),
        };
        let path = path.split('?').next().unwrap_or("");
        let id = match link.kind {
            LinkKind::Wiki { .. } if path.is_empty() => from,
            LinkKind::Wiki { .. } => self.find_name(path, Written::Link)?,
            _ if path.is_empty() => from,
            _ if path.ends_with(".md") => {
                self.find_path(from_dir, &link.dest, path, Written::Link)?
            }
            _ => return Ok(Some(self.find_file(from_dir, &link.dest, path)?)),
        };
        if let Some(anchor) = anchor {
            self.check_anchor(id, anchor)?;
        }
        Ok(Some(Target::Page {
            id,
            anchor: anchor.filter(|a| !a.is_empty()).map(str::to_string),
        }))
    }

    /// Resolves a target of relation `key` written in front matter: a content path or a page
    /// name.
    fn resolve_relation(&self, key: &str, target: &Spanned) -> Result<PageId, Unresolved> {
        let value = target.value.trim();
        let name = value
            .strip_prefix("[[")
            .and_then(|v| v.strip_suffix("]]"))
            .unwrap_or(value);
        let written = Written::Relation(key);
        if name.ends_with(".md") {
            let path = name.strip_prefix("@/").unwrap_or(name);
            self.find_path(Path::new(""), name, path, written)
        } else {
            self.find_name(name, written)
        }
    }
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

impl Miss {
    fn into_diagnostic(self, page: &Page, span: std::ops::Range<usize>) -> Diagnostic {
        Diagnostic::error(self.code, self.message)
            .at(&page.source, span)
            .label(self.label)
            .maybe_help(self.help)
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
        .map(|id| resolve_page(&resolver, site, id))
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
    graph.backlinks = backlinks(site, &graph.edges);
    graph.relations = relation_groups(site, config, &declared, &graph.edges);
    graph
}

/// What one page's links and relations resolve to.
struct PageLinks {
    targets: Vec<Option<Target>>,
    edges: Vec<Edge>,
    declared: BTreeMap<String, Vec<PageId>>,
    diagnostics: Vec<Diagnostic>,
}

fn resolve_page(resolver: &Resolver, site: &Site, id: PageId) -> PageLinks {
    let page = site.page(id);
    let mut resolved = PageLinks {
        targets: Vec::with_capacity(page.body.links.len()),
        edges: Vec::new(),
        declared: BTreeMap::new(),
        diagnostics: Vec::new(),
    };
    for link in &page.body.links {
        match resolver.resolve_link(id, link) {
            Ok(target) => {
                if let Some(Target::Page { id: to, .. }) = &target {
                    if *to != id && link.kind != LinkKind::Image {
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
                if let Unresolved::Miss(miss) = unresolved {
                    resolved
                        .diagnostics
                        .push(miss.into_diagnostic(page, link.span.clone()));
                }
                resolved.targets.push(None);
            }
        }
    }
    for (key, values) in &page.fm.relations {
        for value in values {
            match resolver.resolve_relation(key, value) {
                Ok(to) if to == id => resolved.diagnostics.push(
                    Diagnostic::error(
                        Code::SelfRelation,
                        format!("page relates to itself by `{key}`"),
                    )
                    .at(&page.source, value.span.clone())
                    .label("this is the page itself"),
                ),
                Ok(to) => {
                    resolved.declared.entry(key.clone()).or_default().push(to);
                    resolved.edges.push(Edge {
                        from: id,
                        to,
                        kind: EdgeKind::Relation(key.clone()),
                    });
                }
                Err(Unresolved::Miss(miss)) => resolved
                    .diagnostics
                    .push(miss.into_diagnostic(page, value.span.clone())),
                Err(Unresolved::Refused) => {}
            }
        }
    }
    resolved
}

fn backlinks(site: &Site, edges: &[Edge]) -> Vec<Vec<(PageId, EdgeKind)>> {
    let mut backlinks = vec![Vec::new(); site.pages.len()];
    for edge in edges {
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
    for edge in edges {
        if let EdgeKind::Relation(key) = &edge.kind {
            let decl = &config.relations[key];
            let shown_as = if decl.symmetric {
                Some(key.clone())
            } else {
                decl.inverse.clone()
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
        let mut page_groups = Vec::new();
        for (key, decl) in &config.relations {
            let mut pages: Vec<PageId> = declared[id.0 as usize]
                .get(key)
                .cloned()
                .unwrap_or_default();
            if decl.symmetric {
                pages.extend(incoming[id.0 as usize].get(key).into_iter().flatten());
            }
            push_group(&mut page_groups, site, key, &decl.label, pages);
            if let Some(inverse) = &decl.inverse {
                let label = decl
                    .inverse_label
                    .clone()
                    .unwrap_or_else(|| format!("{} (inverse)", decl.label));
                let pages = incoming[id.0 as usize]
                    .get(inverse)
                    .cloned()
                    .unwrap_or_default();
                push_group(&mut page_groups, site, inverse, &label, pages);
            }
        }
        groups.push(page_groups);
    }
    groups
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
