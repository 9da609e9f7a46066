//! Incremental builds for `weft serve`: a [`BuildCache`] keeps what the last build read,
//! parsed and rendered, and after a change redoes only what the change can reach. Its result
//! is [`build_site`]'s, file for file, but for the search index, which `weft build` makes.
//!
//! - A changed Markdown file is read and parsed again; the others are not read (`sources.rs`).
//! - The tree, the links and the taxonomies are kept when the changed files leave alone all
//!   they read (titles, order keys, slugs, aliases, headings, links, relations, terms), with
//!   the new text swapped in; otherwise they are derived again (`derived.rs`).
//! - A page or generated file is made again when the fingerprint of what its template reads
//!   changed (`fingerprint.rs`): its own text, and the titles, URLs and summaries of the
//!   pages it shows (`outputs.rs`). The map and `graph.json` can be left for later
//!   ([`BuildCache::defer`]).
//! - A template change re-renders every page without parsing; a config change starts over.
//!
//! [`build_site`]: crate::commands::build::build_site

mod derived;
mod fingerprint;
mod outputs;
mod sources;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::commands::build::{BuildOptions, Timings};
use crate::config::{self, SiteConfig};
use crate::diag::{Diagnostic, Diagnostics};
use crate::discover::AssetFile;
use crate::output::Content;
use crate::render::{self, Renderer, Theme, Urls};
use crate::site::{PageId, PageKind, Site};
use crate::source::display_path;
use crate::theme::StaticFile;
use crate::watch::{Change, ChangeKind};

use derived::Derived;
use fingerprint::Facts;
use outputs::{Outputs, merge_statics};
use sources::{FOLDERS, Sources};

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
    /// Output files that hold the last build's version until [`BuildCache::finish`] makes
    /// theirs (see [`BuildCache::defer`]).
    pub pending: Vec<String>,
    /// Time per stage.
    pub timings: Timings,
}

/// What the last build read, parsed and made, kept between the builds of `weft serve`.
pub struct BuildCache {
    options: BuildOptions,
    defer: bool,
    /// `None` until the config loads.
    state: Option<State>,
}

impl BuildCache {
    /// An empty cache: the first [`BuildCache::update`] builds everything.
    pub fn new(options: BuildOptions) -> Self {
        BuildCache {
            options,
            defer: false,
            state: None,
        }
    }

    /// Leaves the map and `graph.json`, slow to make on a large site and seldom looked at
    /// while writing, to [`BuildCache::finish`]: [`BuildCache::update`] gives their last
    /// version meanwhile, and names them in [`Built::pending`].
    pub fn defer(&mut self, defer: bool) {
        self.defer = defer;
    }

    /// Makes what the last [`BuildCache::update`] left pending; returns those files by output
    /// path, and what making them found wrong.
    pub fn finish(&mut self) -> (Vec<(String, Arc<Content>)>, Diagnostics) {
        let mut problems = Vec::new();
        let files = match &mut self.state {
            Some(state) => state.finish(&mut problems),
            None => Vec::new(),
        };
        let mut diagnostics = Diagnostics::default();
        diagnostics.extend(problems);
        (files, diagnostics)
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
        state.made.defer = self.defer;
        let (built, problems) = state.build(&self.options, timings);
        let mut diagnostics = Diagnostics::default();
        diagnostics.extend(problems);
        match built {
            Some(_) if diagnostics.has_errors() => (None, diagnostics),
            built => (built, diagnostics),
        }
    }
}

struct State {
    config: SiteConfig,
    theme: Result<Theme, Vec<Diagnostic>>,
    /// [`Theme::fingerprint`], or 0 without a theme.
    templates: u64,
    sources: Sources,
    /// The tree, links and taxonomies of the last build.
    derived: Option<Derived>,
    /// What its pages show of each other; kept and derived alike.
    facts: Option<Facts>,
    /// What the last build made.
    made: Outputs,
}

impl State {
    /// Reads the config, the templates and every source file.
    fn load(options: &BuildOptions) -> Result<State, Vec<Diagnostic>> {
        let mut config = config::load(&options.root)?.config;
        if let Some(base_url) = &options.base_url {
            config.base_url = base_url.clone();
        }
        let theme = render::load_theme(&options.root, &config);
        Ok(State {
            templates: theme.as_ref().map_or(0, Theme::fingerprint),
            sources: Sources::load(&options.root, &config),
            config,
            theme,
            derived: None,
            facts: None,
            made: Outputs::default(),
        })
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
                    let index = usize::from(folder == FOLDERS[1]);
                    self.sources
                        .rescan(root, &self.config, index, parts.as_path());
                }
                _ => {}
            }
        }
        if templates {
            self.theme = render::load_theme(root, &self.config);
            self.templates = self.theme.as_ref().map_or(0, Theme::fingerprint);
            // The theme's own files may have come or gone: links may lead elsewhere.
            self.derived = None;
        }
    }

    /// Runs the stages after discovery, reusing every page and file whose inputs are unchanged.
    fn build(
        &mut self,
        options: &BuildOptions,
        mut timings: Timings,
    ) -> (Option<Built>, Vec<Diagnostic>) {
        let mut problems = self.sources.problems();
        if let Err(theme_problems) = &self.theme {
            problems.extend(theme_problems.iter().cloned());
        }
        let reparsed = match &mut self.derived {
            Some(derived) if !self.sources.moved => derived.reparse(&self.sources),
            _ => None,
        };
        if reparsed.is_none() {
            self.derived = None;
            self.facts = None;
        }
        if self.derived.is_none() {
            let (theme, statics) = (&self.theme, &self.sources.statics);
            let known = |site: &Site| static_files(theme, statics, site).into_keys().collect();
            let derived = Derived::new(
                &self.sources,
                &self.config,
                options.drafts,
                known,
                &mut timings,
            );
            self.derived = Some(derived);
        } else {
            timings.stage("reparse");
        }
        self.sources.settle();
        let mut files = SharedFiles::new();
        let made = self.make(reparsed.as_deref(), &mut timings, &mut files, &mut problems);
        let Some(derived) = &self.derived else {
            return (None, problems);
        };
        problems.extend(derived.problems.iter().cloned());
        let site = &derived.site;
        let statics = static_files(&self.theme, &self.sources.statics, site);
        merge_statics(&mut files, statics, &mut problems);
        let sections = site
            .pages
            .iter()
            .filter(|p| p.kind == PageKind::Section)
            .count();
        let built = Built {
            files,
            pages: site.pages.len() - sections,
            sections,
            made,
            pending: self.made.pending.clone(),
            timings,
        };
        (Some(built), problems)
    }

    /// Renders the pages and generated files whose fingerprint changed, and adds every page
    /// and generated file to `files`; `reparsed` are the pages whose text alone changed, when
    /// the tree was kept. Returns how many were made.
    fn make(
        &mut self,
        reparsed: Option<&[PageId]>,
        timings: &mut Timings,
        files: &mut SharedFiles,
        problems: &mut Vec<Diagnostic>,
    ) -> usize {
        let (Some(derived), Ok(theme)) = (&self.derived, &self.theme) else {
            return 0;
        };
        let site = &derived.site;
        let urls = Urls::new(&self.config.base_url);
        let renderer = Renderer::new(
            &self.config,
            site,
            &derived.graph,
            &derived.taxonomies,
            &derived.page_terms,
            &urls,
            theme,
        );
        let texts = self.sources.texts();
        let text = |id: PageId| {
            let source = &site.page(id).source;
            texts
                .get(&Arc::as_ptr(source).addr())
                .copied()
                .unwrap_or_else(|| xxhash_rust::xxh3::xxh3_64(source.text.as_bytes()))
        };
        let facts = match (&mut self.facts, reparsed) {
            (Some(facts), Some(ids)) => {
                facts.refresh(&renderer, ids, text);
                facts
            }
            (slot, _) => slot.insert(Facts::new(&renderer, self.templates, text)),
        };
        timings.stage("facts");
        let mut made = self.made.render_pages(&renderer, facts, files, problems);
        timings.stage("render");
        made += self.made.generate(&renderer, facts, files, problems);
        timings.stage("generate");
        made
    }

    /// See [`BuildCache::finish`].
    fn finish(&mut self, problems: &mut Vec<Diagnostic>) -> Vec<(String, Arc<Content>)> {
        let (Some(derived), Ok(theme), Some(facts)) = (&self.derived, &self.theme, &self.facts)
        else {
            self.made.pending.clear();
            return Vec::new();
        };
        let urls = Urls::new(&self.config.base_url);
        let renderer = Renderer::new(
            &self.config,
            &derived.site,
            &derived.graph,
            &derived.taxonomies,
            &derived.page_terms,
            &urls,
            theme,
        );
        self.made.finish(&renderer, facts, problems)
    }
}

/// The files copied as they are, by output path: the theme's, `static/`, content assets.
fn static_files(
    theme: &Result<Theme, Vec<Diagnostic>>,
    statics: &BTreeMap<PathBuf, AssetFile>,
    site: &Site,
) -> BTreeMap<String, Content> {
    let mut files = BTreeMap::new();
    if let Ok(theme) = theme {
        for (url, file) in &theme.statics {
            let content = match file {
                StaticFile::Embedded(bytes) => Content::Static(bytes),
                StaticFile::Disk(path) => Content::Copy(path.clone()),
            };
            files.insert(url.clone(), content);
        }
    }
    for file in statics.values() {
        files.insert(display_path(&file.rel), Content::Copy(file.abs.clone()));
    }
    for (url, asset) in &site.assets {
        files.insert(url.clone(), Content::Copy(asset.abs.clone()));
    }
    files
}

#[cfg(test)]
mod tests;
