//! The site: pages and sections in a tree, with their URLs, in the order readers see them.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::diag::{Code, Diagnostic};
use crate::discover::{AssetFile, MarkdownFile};
use crate::frontmatter::{self, FrontMatter, SortBy};
use crate::markdown::{self, Body};
use crate::source::{Source, SourceFile};

/// The index of a page or section in [`Site::pages`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PageId(pub u32);

/// Whether a node is a plain page or a section with pages under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// A `*.md` file or a page bundle's `index.md`.
    Page,
    /// A folder's `_index.md` (or the home page).
    Section,
}

/// A page or section, parsed and placed.
#[derive(Debug)]
pub struct Page {
    /// Page or section.
    pub kind: PageKind,
    /// The file it came from.
    pub source: Source,
    /// Path relative to `content/` (`european-union/ran-coe.md`).
    pub rel: PathBuf,
    /// The name wiki links use: the file stem, or the folder name for `_index.md`/`index.md`.
    pub stem: String,
    /// The URL path relative to the site root, ending in `/` (`""` for the home page).
    pub url: String,
    /// The title from front matter (or a section's folder name).
    pub title: String,
    /// The typed front matter.
    pub fm: Arc<FrontMatter>,
    /// The rendered body, with link placeholders.
    pub body: Arc<Body>,
    /// The section this page or section is in (`None` for the home page).
    pub parent: Option<PageId>,
    /// A section's pages, in its order.
    pub pages: Vec<PageId>,
    /// A section's subsections, in its order.
    pub subsections: Vec<PageId>,
}

/// All pages and sections of the site.
#[derive(Debug)]
pub struct Site {
    /// Pages and sections; [`PageId`] indexes this.
    pub pages: Vec<Page>,
    /// The home section.
    pub home: PageId,
    /// Files under `content/` that are not Markdown, with the URL path they are copied to.
    pub assets: Vec<(String, AssetFile)>,
    /// Markdown files under `content/` that could not be read (too large, not UTF-8, …), by
    /// path relative to `content/`. Their refusal is their one error: links to them are not
    /// reported. [`place`] sees only the files read: whoever read them fills this in.
    pub refused: BTreeSet<PathBuf>,
}

impl Site {
    /// The page with this id.
    pub fn page(&self, id: PageId) -> &Page {
        &self.pages[id.0 as usize]
    }

    /// Every page id, in source order.
    pub fn ids(&self) -> impl Iterator<Item = PageId> + '_ {
        (0..self.pages.len() as u32).map(PageId)
    }

    /// The sections above `id`, from the home page down (not including `id`).
    pub fn ancestors(&self, id: PageId) -> Vec<PageId> {
        let mut chain = Vec::new();
        let mut current = self.page(id).parent;
        while let Some(parent) = current {
            chain.push(parent);
            current = self.page(parent).parent;
        }
        chain.reverse();
        chain
    }
}

/// One Markdown file after front matter and Markdown parsing; cheap to clone, so that
/// `weft serve` can keep it between builds.
#[derive(Debug, Clone)]
pub struct Parsed {
    rel: PathBuf,
    source: Source,
    fm: Arc<FrontMatter>,
    body: Arc<Body>,
    kind: PageKind,
}

impl Parsed {
    /// The file it was parsed from.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// Its front matter.
    pub fn fm(&self) -> &FrontMatter {
        &self.fm
    }

    /// Its body.
    pub fn body(&self) -> &Body {
        &self.body
    }
}

impl Page {
    /// Takes the text, front matter and body of `parsed`, a new reading of this page's file
    /// that leaves its place in the site as it was (`weft serve` keeps the tree then).
    pub fn reparse(&mut self, parsed: &Parsed) {
        self.source = Arc::clone(&parsed.source);
        self.fm = Arc::clone(&parsed.fm);
        self.body = Arc::clone(&parsed.body);
    }
}

const SECTION_FILE: &str = "_index.md";
const BUNDLE_FILE: &str = "index.md";

/// Parses every Markdown file in parallel and places pages and sections in a tree.
pub fn parse_and_place(
    files: Vec<MarkdownFile>,
    content_assets: Vec<AssetFile>,
    config: &SiteConfig,
    drafts: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Site {
    let results: Vec<(Parsed, Vec<Diagnostic>)> = files
        .into_par_iter()
        .map(|file| parse_file(file, config))
        .collect();
    let mut parsed = Vec::with_capacity(results.len());
    for (file, problems) in results {
        diagnostics.extend(problems);
        parsed.push(file);
    }
    place(parsed, content_assets, config, drafts, diagnostics)
}

/// Places parsed files in a tree: drops drafts (unless `drafts`), adds a home page if there
/// is none, and gives every page its URL and position.
pub fn place(
    mut parsed: Vec<Parsed>,
    content_assets: Vec<AssetFile>,
    config: &SiteConfig,
    drafts: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Site {
    if !drafts {
        drop_drafts(&mut parsed, diagnostics);
    }
    if !parsed.iter().any(|p| p.rel == Path::new(SECTION_FILE)) {
        parsed.push(Parsed {
            rel: PathBuf::from(SECTION_FILE),
            source: SourceFile::new("content/_index.md", String::new()),
            fm: Arc::default(),
            body: Arc::default(),
            kind: PageKind::Section,
        });
    }
    parsed.sort_by(|a, b| a.rel.cmp(&b.rel));
    assemble(parsed, content_assets, config, diagnostics)
}

/// Drops the drafts, and the pages of draft sections. The home page is never dropped: a draft
/// home page would take the whole site with it, so it is an error instead.
fn drop_drafts(parsed: &mut Vec<Parsed>, diagnostics: &mut Vec<Diagnostic>) {
    let is_home = |p: &Parsed| p.rel == Path::new(SECTION_FILE);
    if let Some(home) = parsed.iter().find(|p| is_home(p) && p.fm.draft) {
        let span = frontmatter::key_span(&home.source, "draft").unwrap_or(0..0);
        diagnostics.push(
            Diagnostic::error(Code::DraftHomePage, "the home page cannot be a draft")
                .at(&home.source, span)
                .label("a draft home page would leave the site empty")
                .help("remove `draft: true` here and mark the pages or sections that are not ready instead, or build with `--drafts`"),
        );
    }
    let draft_dirs: Vec<PathBuf> = parsed
        .iter()
        .filter(|p| p.fm.draft && p.kind == PageKind::Section && !is_home(p))
        .filter_map(|p| p.rel.parent().map(Path::to_path_buf))
        .collect();
    parsed.retain(|p| {
        is_home(p) || (!p.fm.draft && !draft_dirs.iter().any(|d| p.rel.starts_with(d)))
    });
}

/// Parses one Markdown file: front matter and body.
pub fn parse_file(file: MarkdownFile, config: &SiteConfig) -> (Parsed, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let name = file
        .rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned());
    let kind = if name.as_deref() == Some(SECTION_FILE) {
        PageKind::Section
    } else {
        PageKind::Page
    };
    let (fm, body) = match frontmatter::split(&file.source) {
        Ok(split) => {
            let fm = frontmatter::parse(
                &file.source,
                &split,
                config,
                kind == PageKind::Section,
                &mut diagnostics,
            );
            let body = markdown::parse(
                &file.source,
                split.body.clone(),
                config.unsafe_html,
                &mut diagnostics,
            );
            if split.yaml.is_none() && kind == PageKind::Page {
                diagnostics.push(
                    Diagnostic::error(Code::MissingFrontMatter, "page has no front matter")
                        .at(&file.source, 0..0)
                        .label("expected `---` on the first line")
                        .help("start the file with `---`, a line `title: ...`, and `---`"),
                );
            } else if fm.title.is_none()
                && kind == PageKind::Page
                && !diagnostics.iter().any(|d| d.code == Code::InvalidYaml)
            {
                let yaml_start = split.yaml.as_ref().map_or(0, |r| r.start);
                diagnostics.push(
                    Diagnostic::error(Code::MissingTitle, "page has no title")
                        .at(
                            &file.source,
                            yaml_start.saturating_sub(4)..yaml_start.saturating_sub(1),
                        )
                        .label("front matter without `title`")
                        .help("add a line `title: ...` to the front matter"),
                );
            }
            (fm, body)
        }
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            (FrontMatter::default(), Body::default())
        }
    };
    let parsed = Parsed {
        rel: file.rel,
        source: file.source,
        fm: Arc::new(fm),
        body: Arc::new(body),
        kind,
    };
    (parsed, diagnostics)
}

/// The URL segment for a file or folder name: lowercase, spaces to `-`, unsafe characters dropped.
pub fn slugify(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for c in name.trim().chars() {
        if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
            slug.extend(c.to_lowercase());
        } else if c.is_whitespace() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('.').to_string();
    if slug.is_empty() { "page".into() } else { slug }
}

/// Whether `slug` is one safe URL segment.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && !slug.starts_with('.')
        && slug
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// The name wiki links use for the file at `rel` in content/: its file stem, or the folder
/// name for `_index.md` and `index.md`.
pub fn stem_of(rel: &Path) -> String {
    let name = rel.file_name().unwrap_or_default();
    let named = if name == SECTION_FILE || name == BUNDLE_FILE {
        rel.parent().and_then(Path::file_name)
    } else {
        rel.file_stem()
    };
    named.unwrap_or_default().to_string_lossy().into_owned()
}

/// A title made from a file or folder name: `getting-started` → `Getting started`.
pub fn title_from_name(stem: &str) -> String {
    let words = stem.replace(['-', '_'], " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn assemble(
    parsed: Vec<Parsed>,
    content_assets: Vec<AssetFile>,
    config: &SiteConfig,
    diagnostics: &mut Vec<Diagnostic>,
) -> Site {
    let dir_urls = folder_urls(&parsed, &content_assets, diagnostics);
    let mut pages: Vec<Page> = Vec::with_capacity(parsed.len());
    let mut section_of_dir: HashMap<PathBuf, PageId> = HashMap::new();
    for p in parsed {
        let dir = p.rel.parent().unwrap_or(Path::new("")).to_path_buf();
        let id = PageId(pages.len() as u32);
        if p.kind == PageKind::Section {
            section_of_dir.insert(dir.clone(), id);
        }
        let dir_url = dir_urls.get(&dir).map_or("", String::as_str);
        pages.push(new_page(p, dir_url, config, diagnostics));
    }
    let home = section_of_dir[Path::new("")];
    link_tree(&mut pages, &section_of_dir, home);
    check_unique_urls(&pages, diagnostics);

    let assets = content_assets
        .into_iter()
        .map(|asset| {
            let dir = asset.rel.parent().unwrap_or(Path::new(""));
            let name = asset.rel.file_name().unwrap_or_default().to_string_lossy();
            let url = format!("{}{}", dir_urls.get(dir).map_or("", String::as_str), name);
            (url, asset)
        })
        .collect();
    Site {
        pages,
        home,
        assets,
        refused: BTreeSet::new(),
    }
}

/// The URL path of every folder that holds a page or a file, top-down: a folder's segment
/// is its section's or bundle's slug, if it has one, else its name made a slug.
fn folder_urls(
    parsed: &[Parsed],
    content_assets: &[AssetFile],
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<PathBuf, String> {
    let mut dir_urls: BTreeMap<PathBuf, String> = BTreeMap::new();
    dir_urls.insert(PathBuf::new(), String::new());
    let slug_of_dir: HashMap<PathBuf, &Parsed> = parsed
        .iter()
        .filter(|p| {
            let name = p.rel.file_name().unwrap_or_default();
            name == SECTION_FILE || name == BUNDLE_FILE
        })
        .map(|p| (p.rel.parent().unwrap_or(Path::new("")).to_path_buf(), p))
        .collect();
    let mut all_dirs: Vec<PathBuf> = parsed
        .iter()
        .map(|p| p.rel.as_path())
        .chain(content_assets.iter().map(|a| a.rel.as_path()))
        .flat_map(|p| p.ancestors().skip(1))
        .filter(|d| !d.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .collect();
    all_dirs.sort_by_key(|d| (d.components().count(), d.clone()));
    all_dirs.dedup();
    for dir in &all_dirs {
        let parent_url = dir
            .parent()
            .and_then(|p| dir_urls.get(p))
            .cloned()
            .unwrap_or_default();
        let name = dir.file_name().unwrap_or_default().to_string_lossy();
        let segment = slug_of_dir
            .get(dir)
            .and_then(|p| checked_slug(p, diagnostics))
            .unwrap_or_else(|| slugify(&name));
        dir_urls.insert(dir.clone(), format!("{parent_url}{segment}/"));
    }
    dir_urls
}

/// A page of the tree, not yet linked to its section, from `p` in the folder at `dir_url`.
fn new_page(
    p: Parsed,
    dir_url: &str,
    config: &SiteConfig,
    diagnostics: &mut Vec<Diagnostic>,
) -> Page {
    let file_name = p.rel.file_name().unwrap_or_default().to_string_lossy();
    let is_folder_page = file_name == SECTION_FILE || file_name == BUNDLE_FILE;
    let stem = stem_of(&p.rel);
    let url = if is_folder_page {
        dir_url.to_string()
    } else {
        let segment = checked_slug(&p, diagnostics).unwrap_or_else(|| slugify(&stem));
        format!("{dir_url}{segment}/")
    };
    let title = p.fm.title.clone().unwrap_or_else(|| {
        if p.rel == Path::new(SECTION_FILE) {
            config.title.clone()
        } else {
            title_from_name(&stem)
        }
    });
    Page {
        kind: p.kind,
        source: p.source,
        rel: p.rel,
        stem,
        url,
        title,
        fm: p.fm,
        body: p.body,
        parent: None,
        pages: Vec::new(),
        subsections: Vec::new(),
    }
}

fn checked_slug(p: &Parsed, diagnostics: &mut Vec<Diagnostic>) -> Option<String> {
    let slug = p.fm.slug.as_ref()?;
    if is_valid_slug(&slug.value) {
        return Some(slug.value.clone());
    }
    diagnostics.push(
        Diagnostic::error(
            Code::InvalidSlug,
            format!("`{}` is not a valid slug", slug.value),
        )
        .at(&p.source, slug.span.clone())
        .label("a slug is one URL segment")
        .help("use letters, digits, `-`, `_` and `.` only, e.g. `slug: ran-coe`"),
    );
    None
}

/// Puts each page and section under the nearest section above it, in the section's order.
fn link_tree(pages: &mut [Page], section_of_dir: &HashMap<PathBuf, PageId>, home: PageId) {
    for index in 0..pages.len() {
        let id = PageId(index as u32);
        if id == home {
            continue;
        }
        let rel = &pages[index].rel;
        let own_dir = rel.parent().unwrap_or(Path::new(""));
        let start = if pages[index].kind == PageKind::Section || rel.ends_with(BUNDLE_FILE) {
            own_dir.parent()
        } else {
            Some(own_dir)
        };
        let parent = start
            .into_iter()
            .flat_map(Path::ancestors)
            .find_map(|d| section_of_dir.get(d).copied())
            .unwrap_or(home);
        pages[index].parent = Some(parent);
        match pages[index].kind {
            PageKind::Page => pages[parent.0 as usize].pages.push(id),
            PageKind::Section => pages[parent.0 as usize].subsections.push(id),
        }
    }
    for index in 0..pages.len() {
        let sort_by = pages[index].fm.sort_by;
        let mut children = std::mem::take(&mut pages[index].pages);
        sort_pages(&mut children, pages, sort_by);
        pages[index].pages = children;
        let mut subsections = std::mem::take(&mut pages[index].subsections);
        sort_pages(&mut subsections, pages, SortBy::Weight);
        pages[index].subsections = subsections;
    }
}

fn sort_pages(ids: &mut [PageId], pages: &[Page], sort_by: SortBy) {
    let page = |id: &PageId| &pages[id.0 as usize];
    match sort_by {
        SortBy::Weight => ids.sort_by_cached_key(|id| {
            let p = page(id);
            (
                p.fm.weight.is_none(),
                p.fm.weight,
                p.title.to_lowercase(),
                p.url.clone(),
            )
        }),
        SortBy::Title => {
            ids.sort_by_cached_key(|id| (page(id).title.to_lowercase(), page(id).url.clone()))
        }
        // Newest first; undated pages last.
        SortBy::Date => ids.sort_by_cached_key(|id| {
            let p = page(id);
            (
                Reverse(p.fm.date.clone()),
                p.title.to_lowercase(),
                p.url.clone(),
            )
        }),
    }
}

fn check_unique_urls(pages: &[Page], diagnostics: &mut Vec<Diagnostic>) {
    let mut by_url: BTreeMap<&str, Vec<&Page>> = BTreeMap::new();
    for page in pages {
        by_url.entry(&page.url).or_default().push(page);
    }
    for (url, group) in by_url {
        for later in group.iter().skip(1) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateUrl,
                    format!(
                        "`{}` and `{}` both map to the URL /{url}",
                        group[0].source.display_path(),
                        later.source.display_path()
                    ),
                )
                .at(&later.source, slug_span(later))
                .label("this file")
                .also_at(&group[0].source, slug_span(group[0]), "and this one")
                .help("rename one of the files, or give one a different `slug`"),
            );
        }
    }
}

/// Where a page's URL is chosen: its `slug`, or else the start of the file.
pub fn slug_span(page: &Page) -> std::ops::Range<usize> {
    page.fm.slug.as_ref().map_or(0..0, |slug| slug.span.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_segments() {
        assert_eq!(slugify("Ran CoE"), "ran-coe");
        assert_eq!(slugify("../x"), "x");
        assert!(is_valid_slug("ran-coe"));
        for bad in ["../../x", "a/b", "", ".hidden", "a b"] {
            assert!(!is_valid_slug(bad), "{bad}");
        }
    }
}
