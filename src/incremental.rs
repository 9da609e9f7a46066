//! Incremental builds for `weft serve`: a [`BuildCache`] keeps what the last build read,
//! parsed and rendered, and after a change redoes only what the change can reach. Its result
//! is [`build_site`]'s, file for file, but for the search index, which `weft build` makes.
//!
//! - A changed Markdown file is read and parsed again; the others are not read.
//! - The tree, the links and the taxonomies are computed again from the parsed files: they
//!   are cheap, and a change anywhere can move them.
//! - A page is rendered again when the fingerprint of what its template reads changed (see
//!   `fingerprint.rs`): its own text, and the titles, URLs and summaries of the pages it
//!   shows. So are the generated files, but for the few cheap enough to make every time.
//! - A template change re-renders every page without parsing; a config change starts over.
//!
//! [`build_site`]: crate::commands::build::build_site

mod fingerprint;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::commands::build::{BuildOptions, Timings, page_file};
use crate::config::{self, SiteConfig};
use crate::diag::{Diagnostic, Diagnostics};
use crate::discover::{self, AssetFile, is_ignored_name};
use crate::generate;
use crate::links;
use crate::output::Content;
use crate::render::{self, Renderer, Theme, Urls};
use crate::site::{self, PageId, Parsed, Site};
use crate::source::{Source, display_path};
use crate::taxonomy;
use crate::theme::StaticFile;
use crate::watch::{Change, ChangeKind};

use fingerprint::Facts;

/// The site's output files, each shared between the builds that made it alike, so that a
/// build that re-renders ten pages of ten thousand copies no page.
pub type SharedFiles = BTreeMap<String, Arc<Content>>;

/// A site built from a [`BuildCache`].
pub struct Built {
    /// Every output file by relative path.
    pub files: SharedFiles,
    /// Pages (not sections) built.
    pub pages: usize,
    /// Sections built.
    pub sections: usize,
    /// Pages and generated files made anew; the others were the last build's.
    pub made: usize,
    /// Time per stage.
    pub timings: Timings,
}

/// What the last build read, parsed and made, kept between the builds of `weft serve`.
pub struct BuildCache {
    options: BuildOptions,
    /// `None` until the config loads.
    state: Option<State>,
}

impl BuildCache {
    /// An empty cache: the first [`BuildCache::update`] builds everything.
    pub fn new(options: BuildOptions) -> Self {
        BuildCache {
            options,
            state: None,
        }
    }

    /// Builds the site after `changes` (paths under the site's root, which should be canonical
    /// as the watcher's are), reusing what they cannot have changed. Returns what
    /// [`build_site`](crate::commands::build::build_site) would, but for the search index.
    pub fn update(&mut self, changes: &[Change]) -> (Option<Built>, Diagnostics) {
        let mut timings = Timings::start();
        let restart = changes.iter().any(|c| c.kind == ChangeKind::Config);
        let state = match self.state.take() {
            Some(mut state) if !restart => {
                state.apply(&self.options.root, changes);
                state
            }
            _ => match State::load(&self.options) {
                Ok(state) => state,
                Err(problems) => {
                    let mut diagnostics = Diagnostics::default();
                    diagnostics.extend(problems);
                    return (None, diagnostics);
                }
            },
        };
        timings.stage("read");
        let state = self.state.insert(state);
        let (built, problems) = state.build(&self.options, timings);
        let mut diagnostics = Diagnostics::default();
        diagnostics.extend(problems);
        match built {
            Some(_) if diagnostics.has_errors() => (None, diagnostics),
            built => (built, diagnostics),
        }
    }
}

/// A Markdown file as last read.
enum Markdown {
    Parsed {
        parsed: Parsed,
        /// A hash of its text.
        text: u64,
        problems: Vec<Diagnostic>,
    },
    Unreadable(Diagnostic),
}

/// A page or generated file as last made, with the fingerprint of what it was made from.
struct Made {
    fingerprint: u64,
    result: Result<Arc<Content>, Diagnostic>,
}

/// The two folders discovery walks.
const FOLDERS: [&str; 2] = ["content", "static"];

struct State {
    config: SiteConfig,
    theme: Result<Theme, Vec<Diagnostic>>,
    /// [`Theme::fingerprint`], or 0 without a theme.
    templates: u64,
    markdown: BTreeMap<PathBuf, Markdown>,
    /// Other files under `content/`, by path relative to it.
    content_assets: BTreeMap<PathBuf, AssetFile>,
    /// Files under `static/`, by path relative to it.
    statics: BTreeMap<PathBuf, AssetFile>,
    /// What walking each of [`FOLDERS`] found wrong (symbolic links out of the site, …).
    walk_problems: [Vec<Diagnostic>; 2],
    /// What the last build made.
    made: Outputs,
}

/// Pages and generated files as last made.
#[derive(Default)]
struct Outputs {
    /// Pages by path relative to `content/`.
    pages: HashMap<PathBuf, Made>,
    /// Generated files by output path.
    generated: HashMap<String, Made>,
}

impl State {
    /// Reads the config, the templates and every source file.
    fn load(options: &BuildOptions) -> Result<State, Vec<Diagnostic>> {
        let mut config = config::load(&options.root)?.config;
        if let Some(base_url) = &options.base_url {
            config.base_url = base_url.clone();
        }
        let theme = render::load_theme(&options.root, &config);
        let mut state = State {
            templates: theme.as_ref().map_or(0, Theme::fingerprint),
            config,
            theme,
            markdown: BTreeMap::new(),
            content_assets: BTreeMap::new(),
            statics: BTreeMap::new(),
            walk_problems: Default::default(),
            made: Outputs::default(),
        };
        for folder in 0..FOLDERS.len() {
            state.rescan(&options.root, folder, Path::new(""));
        }
        Ok(state)
    }

    /// Takes in `changes`, other than to the config: reads again what they name.
    fn apply(&mut self, root: &Path, changes: &[Change]) {
        let mut templates = false;
        for change in changes {
            let Ok(rel) = change.path.strip_prefix(root) else {
                continue;
            };
            let mut parts = rel.components();
            let first = parts.next().map(|c| c.as_os_str().to_string_lossy());
            match first.as_deref() {
                Some("templates" | "themes") => templates = true,
                Some(folder) if FOLDERS.contains(&folder) => {
                    let under = parts.as_path();
                    let index = usize::from(folder == FOLDERS[1]);
                    if !is_hidden(under) {
                        self.rescan(root, index, under);
                    }
                }
                _ => {}
            }
        }
        if templates {
            self.theme = render::load_theme(root, &self.config);
            self.templates = self.theme.as_ref().map_or(0, Theme::fingerprint);
        }
    }

    /// Reads again the files at or under `under` in `FOLDERS[folder]`: what is gone is
    /// forgotten, what is new or changed is read and parsed, what is unchanged is kept.
    fn rescan(&mut self, root: &Path, folder: usize, under: &Path) {
        let mut problems = Vec::new();
        let found = discover::walk_under(root, FOLDERS[folder], under, &mut problems);
        let whole = under.as_os_str().is_empty();
        let clean = problems.is_empty() && self.walk_problems[folder].is_empty();
        if !whole && !clean {
            // Walking problems are known for a folder as a whole; look at all of it.
            return self.rescan(root, folder, Path::new(""));
        }
        if whole {
            self.walk_problems[folder] = problems;
        }
        if folder == 1 {
            remove_under(&mut self.statics, under);
            self.statics
                .extend(found.into_iter().map(|f| (f.rel.clone(), f)));
            return;
        }
        remove_under(&mut self.content_assets, under);
        let mut old = remove_under(&mut self.markdown, under);
        let (markdown, assets): (Vec<_>, Vec<_>) = found
            .into_iter()
            .partition(|f| f.rel.extension().is_some_and(|e| e == "md"));
        self.content_assets
            .extend(assets.into_iter().map(|f| (f.rel.clone(), f)));
        let read: Vec<_> = markdown.par_iter().map(discover::read_markdown).collect();
        let mut unchanged = Vec::new();
        let mut to_parse = Vec::new();
        for (file, result) in markdown.iter().zip(read) {
            match result {
                Ok(read) => match old.remove(&read.rel) {
                    Some(entry @ Markdown::Parsed { .. }) if same_text(&entry, &read.source) => {
                        unchanged.push((read.rel, entry));
                    }
                    _ => to_parse.push(read),
                },
                Err(diagnostic) => {
                    unchanged.push((file.rel.clone(), Markdown::Unreadable(diagnostic)));
                }
            }
        }
        let config = &self.config;
        let parsed: Vec<(PathBuf, Markdown)> = to_parse
            .into_par_iter()
            .map(|file| {
                let rel = file.rel.clone();
                let text = xxhash_rust::xxh3::xxh3_64(file.source.text.as_bytes());
                let (parsed, problems) = site::parse_file(file, config);
                let entry = Markdown::Parsed {
                    parsed,
                    text,
                    problems,
                };
                (rel, entry)
            })
            .collect();
        self.markdown.extend(unchanged);
        self.markdown.extend(parsed);
    }

    /// Runs the stages after discovery, reusing every page and file whose inputs are unchanged.
    fn build(
        &mut self,
        options: &BuildOptions,
        mut timings: Timings,
    ) -> (Option<Built>, Vec<Diagnostic>) {
        let mut problems: Vec<Diagnostic> = self.walk_problems.concat();
        if let Err(theme_problems) = &self.theme {
            problems.extend(theme_problems.iter().cloned());
        }
        let mut parsed = Vec::with_capacity(self.markdown.len());
        let mut texts: HashMap<usize, u64> = HashMap::new();
        for entry in self.markdown.values() {
            match entry {
                Markdown::Parsed {
                    parsed: p,
                    text,
                    problems: found,
                } => {
                    problems.extend(found.iter().cloned());
                    texts.insert(Arc::as_ptr(p.source()).addr(), *text);
                    parsed.push(p.clone());
                }
                Markdown::Unreadable(diagnostic) => problems.push(diagnostic.clone()),
            }
        }
        let assets = self.content_assets.values().cloned().collect();
        let site = site::place(parsed, assets, &self.config, options.drafts, &mut problems);
        timings.stage("parse");

        let statics = self.static_files(&site);
        let known_files: HashSet<String> = statics.keys().cloned().collect();
        let graph = links::resolve(&site, &self.config, known_files, &mut problems);
        let taxonomies = taxonomy::collect(&site, &self.config);
        let page_terms = taxonomy::page_terms(&taxonomies, site.pages.len());
        let urls = Urls::new(&self.config.base_url);
        timings.stage("links");

        let mut files = SharedFiles::new();
        let mut made = 0;
        if let Ok(theme) = &self.theme {
            let renderer = Renderer {
                config: &self.config,
                site: &site,
                graph: &graph,
                taxonomies: &taxonomies,
                page_terms: &page_terms,
                urls: &urls,
                theme,
            };
            let text = |id: PageId| {
                let source = &site.page(id).source;
                texts
                    .get(&Arc::as_ptr(source).addr())
                    .copied()
                    .unwrap_or_else(|| xxhash_rust::xxh3::xxh3_64(source.text.as_bytes()))
            };
            let facts = Facts::new(&renderer, self.templates, text);
            made += self
                .made
                .render_pages(&renderer, &facts, &mut files, &mut problems);
            timings.stage("render");
            made += self
                .made
                .generate(&renderer, &facts, &mut files, &mut problems);
            timings.stage("generate");
        }
        merge_statics(&mut files, statics, &mut problems);
        let sections = site
            .pages
            .iter()
            .filter(|p| p.kind == site::PageKind::Section)
            .count();
        let built = Built {
            files,
            pages: site.pages.len() - sections,
            sections,
            made,
            timings,
        };
        (Some(built), problems)
    }

    /// The files copied as they are, by output path: the theme's, `static/`, content assets.
    fn static_files(&self, site: &Site) -> BTreeMap<String, Content> {
        let mut statics = BTreeMap::new();
        if let Ok(theme) = &self.theme {
            for (url, file) in &theme.statics {
                let content = match file {
                    StaticFile::Embedded(bytes) => Content::Static(bytes),
                    StaticFile::Disk(path) => Content::Copy(path.clone()),
                };
                statics.insert(url.clone(), content);
            }
        }
        for file in self.statics.values() {
            statics.insert(display_path(&file.rel), Content::Copy(file.abs.clone()));
        }
        for (url, asset) in &site.assets {
            statics.insert(url.clone(), Content::Copy(asset.abs.clone()));
        }
        statics
    }
}

impl Outputs {
    /// Renders the pages whose fingerprint changed and adds every page to `files`. Returns
    /// how many were rendered.
    fn render_pages(
        &mut self,
        renderer: &Renderer,
        facts: &Facts,
        files: &mut SharedFiles,
        problems: &mut Vec<Diagnostic>,
    ) -> usize {
        let site = renderer.site;
        let ids: Vec<PageId> = site.ids().collect();
        let fingerprints: Vec<u64> = ids.par_iter().map(|&id| facts.page(renderer, id)).collect();
        let mut old = std::mem::take(&mut self.pages);
        let mut todo = Vec::new();
        for &id in &ids {
            let rel = &site.page(id).rel;
            let fingerprint = fingerprints[id.0 as usize];
            match old.remove(rel) {
                Some(made) if made.fingerprint == fingerprint => {
                    self.pages.insert(rel.clone(), made);
                }
                _ => todo.push(id),
            }
        }
        let rendered: Vec<(PageId, Result<String, Diagnostic>)> = todo
            .par_iter()
            .map(|&id| {
                let html = renderer.render_page(id).map(|mut html| {
                    html.shrink_to_fit();
                    html
                });
                (id, html)
            })
            .collect();
        let count = rendered.len();
        for (id, result) in rendered {
            let made = Made {
                fingerprint: fingerprints[id.0 as usize],
                result: result.map(|html| Arc::new(Content::Bytes(html.into_bytes()))),
            };
            self.pages.insert(site.page(id).rel.clone(), made);
        }
        let mut failures = Vec::new();
        for id in ids {
            let page = site.page(id);
            match self.pages.get(&page.rel).map(|made| &made.result) {
                Some(Ok(content)) => {
                    files.insert(page_file(&page.url), Arc::clone(content));
                }
                Some(Err(diagnostic)) => failures.push((id, diagnostic.clone())),
                None => {}
            }
        }
        problems.extend(render_failures(site, failures));
        count
    }

    /// Makes the generated files whose fingerprint changed, and the cheap ones, and adds
    /// them and the alias redirects to `files`. Returns how many were made.
    fn generate(
        &mut self,
        renderer: &Renderer,
        facts: &Facts,
        files: &mut SharedFiles,
        problems: &mut Vec<Diagnostic>,
    ) -> usize {
        let list = generate::generated_files(renderer);
        let mut old = std::mem::take(&mut self.generated);
        let kept: Vec<(Option<u64>, Option<Made>)> = list
            .iter()
            .map(|(path, what)| {
                let fingerprint = facts.generated(renderer, *what);
                let made = old.remove(path);
                let kept = made.filter(|m| fingerprint == Some(m.fingerprint));
                (fingerprint, kept)
            })
            .collect();
        let made: Vec<Option<Result<String, Diagnostic>>> = list
            .par_iter()
            .zip(&kept)
            .map(|((_, what), (_, kept))| kept.is_none().then(|| generate::make(renderer, *what)))
            .collect();
        let count = made.iter().flatten().count();
        // In the order of `generate::add_generated`, so that collisions are reported alike.
        for (((path, _), (fingerprint, kept)), made) in list.into_iter().zip(kept).zip(made) {
            let made = match (kept, made) {
                (Some(kept), _) => kept,
                (None, Some(result)) => Made {
                    fingerprint: fingerprint.unwrap_or_default(),
                    result: result.map(|text| Arc::new(Content::Bytes(text.into_bytes()))),
                },
                (None, None) => continue,
            };
            match &made.result {
                Ok(_) if files.contains_key(&path) => {
                    problems.push(generate::duplicate_output(&path));
                }
                Ok(content) => {
                    files.insert(path.clone(), Arc::clone(content));
                }
                Err(diagnostic) => problems.push(diagnostic.clone()),
            }
            if fingerprint.is_some() {
                self.generated.insert(path, made);
            }
        }
        let aliases = generate::alias_pages(renderer, |path| files.contains_key(path), problems);
        for (path, html) in aliases {
            files.insert(path, Arc::new(Content::Bytes(html.into_bytes())));
        }
        count
    }
}

/// Whether a path under a source folder passes through a file or folder discovery skips.
fn is_hidden(under: &Path) -> bool {
    under.components().any(|c| match c {
        Component::Normal(name) => is_ignored_name(&name.to_string_lossy()),
        _ => true,
    })
}

fn same_text(entry: &Markdown, source: &Source) -> bool {
    matches!(entry, Markdown::Parsed { parsed, .. } if parsed.source().text == source.text)
}

/// Removes and returns the entries of `map` at or under `under`.
fn remove_under<T>(map: &mut BTreeMap<PathBuf, T>, under: &Path) -> BTreeMap<PathBuf, T> {
    let gone: Vec<PathBuf> = map
        .range::<Path, _>((std::ops::Bound::Included(under), std::ops::Bound::Unbounded))
        .map(|(path, _)| path)
        .take_while(|path| path.starts_with(under))
        .cloned()
        .collect();
    gone.into_iter()
        .filter_map(|path| map.remove(&path).map(|entry| (path, entry)))
        .collect()
}

/// One diagnostic per distinct render failure, as `weft build` reports them: a broken
/// template fails every page that uses it, so it names the first page and counts the others.
fn render_failures(site: &Site, failures: Vec<(PageId, Diagnostic)>) -> Vec<Diagnostic> {
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

/// Adds the copied files, as `weft build` does: none may take a page's place.
fn merge_statics(
    files: &mut SharedFiles,
    statics: BTreeMap<String, Content>,
    problems: &mut Vec<Diagnostic>,
) {
    for (path, content) in statics {
        if files.contains_key(&path) {
            problems.push(
                Diagnostic::error(
                    "duplicate-output",
                    format!("`{path}` is both a copied file and a generated page"),
                )
                .help("rename the file in static/ or content/, or change the page's slug"),
            );
            continue;
        }
        files.insert(path, Arc::new(content));
    }
}

#[cfg(test)]
mod tests;
