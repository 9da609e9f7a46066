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
use crate::i18n::{DEFAULT, Lang, Languages};
use crate::markdown::{self, Body};
use crate::source::{Source, SourceFile, display_path};

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
    /// Whether weft made it, for a folder without a page of its own: it has no file.
    pub generated: bool,
    /// The file it came from.
    pub source: Source,
    /// Path relative to `content/` (`european-union/ran-coe.md`).
    pub rel: PathBuf,
    /// Its language, by its index among the site's.
    pub lang: Lang,
    /// Its path without the language's code (`european-union/ran-coe.md` for
    /// `european-union/ran-coe.nl.md`): where it sits in the tree, and what links name it by.
    pub base: PathBuf,
    /// The same page in each language, by language index (itself among them); empty on a
    /// site with one language.
    pub translations: Vec<Option<PageId>>,
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
    /// The home section of the default language.
    pub home: PageId,
    /// The home section of each language, by language index.
    pub homes: Vec<PageId>,
    /// Files under `content/` that are not Markdown, with the URL path they are copied to.
    pub assets: Vec<(String, AssetFile)>,
    /// Markdown files under `content/` that could not be read (too large, not UTF-8, …), by
    /// path relative to `content/`. Their refusal is their one error: links to them are not
    /// reported. [`place`] sees only the files read: whoever read them fills this in.
    pub refused: BTreeSet<PathBuf>,
    /// The pages left out (drafts, `publish: false`), which links may still name: such a link
    /// renders as plain text, with a warning.
    pub left_out: Vec<LeftOut>,
}

/// A page left out of the site, by the names a link may use for it.
#[derive(Debug, Clone)]
pub struct LeftOut {
    /// Path relative to the content folder.
    pub rel: PathBuf,
    /// That path without its language's code.
    pub base: PathBuf,
    /// Its title, if its front matter gives one.
    pub title: Option<String>,
    /// Its name aliases.
    pub aliases: Vec<String>,
    /// Why: `a draft` or `not published`.
    pub why: &'static str,
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

    /// Whether a page has a Mermaid diagram, so that the site needs Mermaid.
    pub fn has_diagrams(&self) -> bool {
        self.pages.iter().any(|page| page.body.diagrams)
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
    /// Its language, from its file name.
    lang: Lang,
    /// `rel` without the language's code.
    base: PathBuf,
    source: Source,
    fm: Arc<FrontMatter>,
    body: Arc<Body>,
    kind: PageKind,
    /// Made by weft for a folder without a page of its own; no file.
    generated: bool,
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
/// A folder's page in a GitHub wiki, an mdBook or a `docs/` folder, when it has no `_index.md`.
const README_FILE: &str = "README.md";

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

/// Places parsed files in a tree: drops drafts and unpublished pages (unless `drafts`), makes
/// every folder of pages a section, and gives every page its URL and position.
pub fn place(
    mut parsed: Vec<Parsed>,
    content_assets: Vec<AssetFile>,
    config: &SiteConfig,
    drafts: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Site {
    let languages = &config.languages;
    if languages.multilingual {
        check_translations(&mut parsed, languages, diagnostics);
    }
    let left_out = leave_out(&mut parsed, config, drafts, diagnostics);
    parsed.sort_by(|a, b| a.rel.cmp(&b.rel));
    make_sections(&mut parsed, &config.content_dir(), languages);
    parsed.sort_by(|a, b| a.rel.cmp(&b.rel));
    let mut site = assemble(parsed, content_assets, config, diagnostics);
    site.left_out = left_out;
    site
}

/// Gives every folder that holds pages, and the home, a section: its `_index.md`, else its
/// `README.md` (or the home's `index.md`), else its folder note (`Guide/Guide.md`), else an
/// empty one that lists its pages. A folder with `index.md` is a page bundle, not a section.
/// In a site with several languages, each language has its own sections, found so in its
/// own files: the home page and the sections of every folder that holds its pages.
fn make_sections(parsed: &mut Vec<Parsed>, content_dir: &Path, languages: &Languages) {
    let mut added = Vec::new();
    for lang in languages.indexes() {
        added.extend(
            sections_to_make(parsed, lang)
                .into_iter()
                .map(|dir| (lang, dir)),
        );
    }
    for (lang, dir) in added {
        let base = dir.join(SECTION_FILE);
        let rel = if lang == DEFAULT {
            base.clone()
        } else {
            dir.join(format!("_index.{}.md", languages.get(lang).code))
        };
        let shown = display_path(&content_dir.join(&rel));
        parsed.push(Parsed {
            rel,
            lang,
            base,
            source: SourceFile::new(shown, String::new()),
            fm: Arc::default(),
            body: Arc::default(),
            kind: PageKind::Section,
            generated: true,
        });
    }
}

/// Marks the pages of language `lang` that are their folder's page sections, and returns
/// the folders that need one made.
fn sections_to_make(parsed: &mut [Parsed], lang: Lang) -> Vec<PathBuf> {
    let mut folders: BTreeMap<PathBuf, Vec<usize>> = BTreeMap::new();
    folders.insert(PathBuf::new(), Vec::new());
    for (i, p) in parsed.iter().enumerate().filter(|(_, p)| p.lang == lang) {
        let dir = p.base.parent().unwrap_or(Path::new(""));
        folders.entry(dir.to_path_buf()).or_default().push(i);
        for above in dir.ancestors().skip(1) {
            folders.entry(above.to_path_buf()).or_default();
        }
    }
    let mut added = Vec::new();
    for (dir, files) in &folders {
        let named = |name: &str| {
            files.iter().copied().find(|&i| {
                parsed[i]
                    .base
                    .file_name()
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
        };
        if named(SECTION_FILE).is_some() {
            continue;
        }
        let home = dir.as_os_str().is_empty();
        if !home && named(BUNDLE_FILE).is_some() {
            continue;
        }
        let folder_note = dir
            .file_name()
            .map(|n| format!("{}.md", n.to_string_lossy()))
            .and_then(|name| named(&name));
        // A page whose `permalink` is the folder's own URL, as Obsidian Publish writes them.
        let folder_slug: String = dir
            .iter()
            .map(|part| slugify(&part.to_string_lossy()))
            .collect::<Vec<_>>()
            .join("/");
        let claimed = files.iter().copied().find(|&i| {
            parsed[i].fm.permalink.as_ref().is_some_and(|permalink| {
                let url = permalink.value.trim_matches('/');
                url == folder_slug
                    || (!home
                        && url.rsplit('/').next()
                            == Some(folder_slug.rsplit('/').next().unwrap_or("")))
            })
        });
        let page = named(README_FILE)
            .or_else(|| if home { named(BUNDLE_FILE) } else { None })
            .or(folder_note)
            .or(claimed);
        match page {
            Some(i) => parsed[i].kind = PageKind::Section,
            None => added.push(dir.clone()),
        }
    }
    added
}

/// In a site with several languages: reports, and leaves out, a second file for the same
/// page and language (`page.md` and `page.en.md` when English is the default), and reports
/// a file named as a translation into a language the site does not have.
fn check_translations(
    parsed: &mut Vec<Parsed>,
    languages: &Languages,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut seen: HashMap<(Lang, PathBuf), usize> = HashMap::new();
    let mut drop = Vec::new();
    let bases: std::collections::HashSet<&Path> = parsed.iter().map(|p| p.base.as_path()).collect();
    for (i, p) in parsed.iter().enumerate() {
        if p.lang == DEFAULT {
            if let Some(code) = crate::i18n::code_in_name(&p.rel) {
                let bare = crate::i18n::without_code(&p.rel, code);
                let named = languages.by_code(code).is_some();
                if !named && crate::i18n::is_language_code(code) && bases.contains(bare.as_path()) {
                    let known: Vec<&str> =
                        languages.all().iter().map(|l| l.code.as_str()).collect();
                    diagnostics.push(
                        Diagnostic::error(
                            Code::UnknownLanguage,
                            format!(
                                "`{}` is named as a translation into `{code}`, which weft.yaml's `languages` does not have",
                                display_path(&p.rel)
                            ),
                        )
                        .at(&p.source, 0..0)
                        .label(format!("the site's languages are {}", known.join(", ")))
                        .help(format!("add `{code}` under `languages` in weft.yaml, or rename the file if it is no translation")),
                    );
                }
            }
        }
        match seen.entry((p.lang, p.base.clone())) {
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(i);
            }
            std::collections::hash_map::Entry::Occupied(mut first) => {
                // The file named with its code is the one reported and left out.
                let (kept, extra) =
                    if parsed[*first.get()].rel != parsed[*first.get()].base && p.rel == p.base {
                        let previous = first.insert(i);
                        (i, previous)
                    } else {
                        (*first.get(), i)
                    };
                drop.push(extra);
                let (kept, extra) = (&parsed[kept], &parsed[extra]);
                diagnostics.push(
                    Diagnostic::error(
                        Code::DuplicateTranslation,
                        format!(
                            "`{}` and `{}` are both the {} version of `{}`",
                            kept.source.display_path(),
                            extra.source.display_path(),
                            languages.get(p.lang).code,
                            display_path(&p.base)
                        ),
                    )
                    .at(&extra.source, 0..0)
                    .label("this file")
                    .also_at(&kept.source, 0..0, "and this one")
                    .help("keep one of them: a file without a language code is in the default language"),
                );
            }
        }
    }
    drop.sort_unstable();
    for i in drop.into_iter().rev() {
        parsed.remove(i);
    }
}

/// Drops the drafts and the unpublished pages (`publish: false`, or no `publish: true` when
/// the site publishes only those), and the pages of such sections; returns them. The home page
/// is never dropped: a draft home page would take the whole site with it, so it is an error
/// instead.
fn leave_out(
    parsed: &mut Vec<Parsed>,
    config: &SiteConfig,
    drafts: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<LeftOut> {
    let why = |p: &Parsed| -> Option<&'static str> {
        if drafts {
            None
        } else if p.fm.draft {
            Some("a draft")
        } else if p.fm.publish == Some(false)
            || (config.explicit_publish && p.fm.publish != Some(true))
        {
            Some("not published")
        } else {
            None
        }
    };
    let is_home = |p: &Parsed| p.base == Path::new(SECTION_FILE);
    if let Some(home) = parsed.iter().find(|p| is_home(p) && why(p).is_some()) {
        let key = if home.fm.draft { "draft" } else { "publish" };
        let span = frontmatter::key_span(&home.source, key).unwrap_or(0..0);
        diagnostics.push(
            Diagnostic::error(Code::DraftHomePage, "the home page cannot be left out")
                .at(&home.source, span)
                .label("a home page left out would leave the site empty")
                .help("remove `draft: true` or `publish: false` here and mark the pages or sections that are not ready instead, or build with `--drafts`"),
        );
    }
    let left_dirs: Vec<(Lang, PathBuf, &'static str)> = parsed
        .iter()
        .filter(|p| p.kind == PageKind::Section && !is_home(p))
        .filter_map(|p| Some((p.lang, p.base.parent()?.to_path_buf(), why(p)?)))
        .collect();
    let mut left_out = Vec::new();
    parsed.retain(|p| {
        if is_home(p) {
            return true;
        }
        let reason = why(p).or_else(|| {
            left_dirs
                .iter()
                .find(|(lang, dir, _)| p.lang == *lang && p.base.starts_with(dir))
                .map(|(.., why)| *why)
        });
        let Some(reason) = reason else {
            return true;
        };
        left_out.push(LeftOut {
            rel: p.rel.clone(),
            base: p.base.clone(),
            title: p.fm.title.clone().or_else(|| p.body.title.clone()),
            aliases: p.fm.aliases.iter().map(|a| a.value.clone()).collect(),
            why: reason,
        });
        false
    });
    left_out
}

/// Parses one Markdown file: front matter and body.
pub fn parse_file(file: MarkdownFile, config: &SiteConfig) -> (Parsed, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let (lang, base) = config.languages.of_file(&file.rel);
    let name = base.file_name().map(|n| n.to_string_lossy().into_owned());
    let kind = if name.as_deref() == Some(SECTION_FILE) {
        PageKind::Section
    } else {
        PageKind::Page
    };
    let (fm, body) = match frontmatter::split(&file.source) {
        Ok(split) => {
            // A README or folder note may turn out to be its folder's page.
            let may_be_section = kind == PageKind::Section
                || name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(README_FILE))
                || base
                    .parent()
                    .and_then(Path::file_name)
                    .is_some_and(|dir| base.file_stem() == Some(dir));
            let fm = frontmatter::parse(
                &file.source,
                &split,
                config,
                may_be_section,
                &mut diagnostics,
            );
            let body = markdown::parse(
                &file.source,
                split.body.clone(),
                markdown::Dialect {
                    unsafe_html: config.unsafe_html,
                    title_from_h1: fm.title.is_none(),
                    themes: Some(&config.highlight),
                    language: Some(config.languages.get(lang)),
                },
                &mut diagnostics,
            );
            (fm, body)
        }
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            (FrontMatter::default(), Body::default())
        }
    };
    let parsed = Parsed {
        rel: file.rel,
        lang,
        base,
        source: file.source,
        fm: Arc::new(fm),
        body: Arc::new(body),
        kind,
        generated: false,
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

/// A title made from a file or folder name: a name written as words stays as written
/// (`Bases syntax`); a name written as a slug reads as words (`getting-started` → `Getting
/// started`).
pub fn title_from_name(stem: &str) -> String {
    if stem.contains(' ') || stem.chars().any(char::is_uppercase) {
        return stem.to_string();
    }
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
    let languages = &config.languages;
    // Each language's folders: its own slugs, else the default language's.
    let default_segments = folder_segments(&parsed, DEFAULT, &content_assets, None, diagnostics);
    let dir_urls: Vec<BTreeMap<PathBuf, String>> = languages
        .indexes()
        .map(|lang| {
            let prefix = &languages.get(lang).prefix;
            if lang == DEFAULT {
                folder_urls(&default_segments, prefix)
            } else {
                let own = folder_segments(&parsed, lang, &[], Some(&default_segments), diagnostics);
                folder_urls(&own, prefix)
            }
        })
        .collect();
    let mut pages: Vec<Page> = Vec::with_capacity(parsed.len());
    let mut section_of_dir: HashMap<(Lang, PathBuf), PageId> = HashMap::new();
    for p in parsed {
        let dir = p.base.parent().unwrap_or(Path::new("")).to_path_buf();
        let id = PageId(pages.len() as u32);
        if p.kind == PageKind::Section {
            section_of_dir.insert((p.lang, dir.clone()), id);
        }
        let urls = &dir_urls[usize::from(p.lang)];
        let dir_url = urls.get(&dir).map_or("", String::as_str);
        pages.push(new_page(p, dir_url, config, diagnostics));
    }
    let homes: Vec<PageId> = languages
        .indexes()
        .map(|lang| section_of_dir[&(lang, PathBuf::new())])
        .collect();
    link_tree(&mut pages, &section_of_dir, &homes);
    if languages.multilingual {
        pair_translations(&mut pages, languages.len(), diagnostics);
    }
    check_unique_urls(&pages, config, diagnostics);

    let assets = content_assets
        .into_iter()
        .map(|asset| {
            let dir = asset.rel.parent().unwrap_or(Path::new(""));
            let name = asset.rel.file_name().unwrap_or_default().to_string_lossy();
            let url = format!(
                "{}{}",
                dir_urls[0].get(dir).map_or("", String::as_str),
                name
            );
            (url, asset)
        })
        .collect();
    Site {
        pages,
        home: homes[0],
        homes,
        assets,
        refused: BTreeSet::new(),
        left_out: Vec::new(),
    }
}

/// Joins each folder's translations: the same page in each language, by `translation_key`,
/// else by its path without the language's code (a section by its folder). Two pages of one
/// language with one `translation_key` are an error.
fn pair_translations(pages: &mut [Page], languages: usize, diagnostics: &mut Vec<Diagnostic>) {
    let mut groups: HashMap<String, Vec<Option<PageId>>> = HashMap::new();
    let mut group_of = Vec::with_capacity(pages.len());
    for (index, page) in pages.iter().enumerate() {
        let key = match (&page.fm.translation_key, page.kind) {
            (Some(key), _) => format!("key:{}", key.value),
            (None, PageKind::Section) => format!(
                "dir:{}",
                display_path(page.base.parent().unwrap_or(Path::new("")))
            ),
            (None, PageKind::Page) => format!("path:{}", display_path(&page.base)),
        };
        let group = groups
            .entry(key.clone())
            .or_insert_with(|| vec![None; languages]);
        let slot = &mut group[usize::from(page.lang)];
        match slot {
            None => *slot = Some(PageId(index as u32)),
            Some(first) => {
                let first = &pages[first.0 as usize];
                let span = |p: &Page| {
                    p.fm.translation_key
                        .as_ref()
                        .map_or(0..0, |k| k.span.clone())
                };
                diagnostics.push(
                    Diagnostic::error(
                        Code::DuplicateTranslation,
                        format!(
                            "`{}` and `{}` are the same page in the same language",
                            first.source.display_path(),
                            page.source.display_path()
                        ),
                    )
                    .at(&page.source, span(page))
                    .label("this page")
                    .also_at(&first.source, span(first), "and this one")
                    .help("give each translation of a page its own language, and each page its own `translation_key`"),
                );
            }
        }
        group_of.push(key);
    }
    for (page, key) in pages.iter_mut().zip(group_of) {
        page.translations = groups[&key].clone();
    }
}

/// The URL segment of every folder that holds a page of language `lang` (or, for the default
/// language, a file): its section's or bundle's slug, if it has one, else `fallback`'s (the
/// default language's), else its name made a slug.
fn folder_segments(
    parsed: &[Parsed],
    lang: Lang,
    content_assets: &[AssetFile],
    fallback: Option<&BTreeMap<PathBuf, String>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<PathBuf, String> {
    let mine = || parsed.iter().filter(move |p| p.lang == lang);
    let slug_of_dir: HashMap<PathBuf, &Parsed> = mine()
        .filter(|p| p.kind == PageKind::Section || p.base.file_name() == Some(BUNDLE_FILE.as_ref()))
        .map(|p| (p.base.parent().unwrap_or(Path::new("")).to_path_buf(), p))
        .collect();
    let mut all_dirs: Vec<PathBuf> = mine()
        .map(|p| p.base.as_path())
        .chain(content_assets.iter().map(|a| a.rel.as_path()))
        .flat_map(|p| p.ancestors().skip(1))
        .filter(|d| !d.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .collect();
    all_dirs.sort();
    all_dirs.dedup();
    all_dirs
        .into_iter()
        .map(|dir| {
            let segment = slug_of_dir
                .get(&dir)
                .and_then(|p| checked_slug(p, diagnostics))
                .or_else(|| fallback.and_then(|f| f.get(&dir)).cloned())
                .unwrap_or_else(|| slugify(&dir.file_name().unwrap_or_default().to_string_lossy()));
            (dir, segment)
        })
        .collect()
}

/// The URL path of every folder of `segments`, top-down, under `prefix` (`nl/`, or nothing).
fn folder_urls(segments: &BTreeMap<PathBuf, String>, prefix: &str) -> BTreeMap<PathBuf, String> {
    let mut dirs: Vec<&PathBuf> = segments.keys().collect();
    dirs.sort_by_key(|d| d.components().count());
    let mut dir_urls: BTreeMap<PathBuf, String> = BTreeMap::new();
    dir_urls.insert(PathBuf::new(), prefix.to_string());
    for dir in dirs {
        let parent_url = dir
            .parent()
            .and_then(|p| dir_urls.get(p))
            .cloned()
            .unwrap_or_else(|| prefix.to_string());
        dir_urls.insert(dir.clone(), format!("{parent_url}{}/", segments[dir]));
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
    let stem = stem_of(&p.base);
    let language = config.languages.get(p.lang);
    // A folder's page has the folder's URL; a `permalink` chose it for its folder, if it did.
    let url = if p.kind == PageKind::Section || p.base.file_name() == Some(BUNDLE_FILE.as_ref()) {
        dir_url.to_string()
    } else if let Some(url) = checked_permalink(&p, diagnostics) {
        format!("{}{url}", language.prefix)
    } else {
        let segment = checked_slug(&p, diagnostics).unwrap_or_else(|| slugify(&stem));
        format!("{dir_url}{segment}/")
    };
    let title =
        p.fm.title
            .clone()
            .or_else(|| p.body.title.clone())
            .unwrap_or_else(|| {
                if p.kind == PageKind::Section && p.base.parent() == Some(Path::new("")) {
                    language.title.clone()
                } else {
                    // The file name as written, as Obsidian shows it.
                    stem.clone()
                }
            });
    Page {
        kind: p.kind,
        generated: p.generated,
        source: p.source,
        rel: p.rel,
        lang: p.lang,
        base: p.base,
        translations: Vec::new(),
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

/// The URL path of a page's `permalink`, if it has a good one: segments that are slugs.
fn checked_permalink(p: &Parsed, diagnostics: &mut Vec<Diagnostic>) -> Option<String> {
    let permalink = p.fm.permalink.as_ref()?;
    let segments: Vec<&str> = permalink
        .value
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    if !segments.is_empty() && segments.iter().all(|s| is_valid_slug(s)) {
        return Some(format!("{}/", segments.join("/")));
    }
    diagnostics.push(
        Diagnostic::error(
            Code::InvalidSlug,
            format!("`{}` is not a valid permalink", permalink.value),
        )
        .at(&p.source, permalink.span.clone())
        .label("a permalink is a URL path inside the site")
        .help("use segments of letters, digits, `-`, `_` and `.`, e.g. `permalink: guide/start`"),
    );
    None
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
fn link_tree(
    pages: &mut [Page],
    section_of_dir: &HashMap<(Lang, PathBuf), PageId>,
    homes: &[PageId],
) {
    for index in 0..pages.len() {
        let id = PageId(index as u32);
        let lang = pages[index].lang;
        let home = homes[usize::from(lang)];
        if id == home {
            continue;
        }
        let rel = &pages[index].base;
        let own_dir = rel.parent().unwrap_or(Path::new(""));
        let start = if pages[index].kind == PageKind::Section || rel.ends_with(BUNDLE_FILE) {
            own_dir.parent()
        } else {
            Some(own_dir)
        };
        let parent = start
            .into_iter()
            .flat_map(Path::ancestors)
            .find_map(|d| section_of_dir.get(&(lang, d.to_path_buf())).copied())
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

fn check_unique_urls(pages: &[Page], config: &SiteConfig, diagnostics: &mut Vec<Diagnostic>) {
    let mut by_url: BTreeMap<&str, Vec<&Page>> = BTreeMap::new();
    for page in pages {
        by_url.entry(&page.url).or_default().push(page);
    }
    for (url, group) in by_url {
        for later in group.iter().skip(1) {
            if later.lang != group[0].lang {
                let code = |p: &Page| config.languages.get(p.lang).code.as_str();
                // The default language's page is the one in another language's folder.
                let (owner, stray) = if later.lang == DEFAULT {
                    (group[0], *later)
                } else {
                    (*later, group[0])
                };
                diagnostics.push(
                    Diagnostic::error(
                        Code::DuplicateUrl,
                        format!(
                            "`{}` ({}) and `{}` ({}) both map to the URL /{url}",
                            group[0].source.display_path(),
                            code(group[0]),
                            later.source.display_path(),
                            code(later)
                        ),
                    )
                    .at(&later.source, slug_span(later))
                    .label("this file")
                    .also_at(&group[0].source, slug_span(group[0]), "and this one")
                    .help(format!(
                        "the pages in `{}` live under /{}; give `{}` a `slug` or `permalink` outside it",
                        code(owner),
                        config.languages.get(owner.lang).prefix,
                        stray.source.display_path()
                    )),
                );
                continue;
            }
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
