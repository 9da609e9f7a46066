//! The one pipeline behind `weft build`, `weft check` and `weft serve`.
//!
//! [`Inputs`] reads the config, the templates and every source file; [`Derived`] places the
//! pages in a tree and resolves their links and terms; [`Plan`] lists every output file,
//! with every collision between them found before anything is rendered; [`make`] renders
//! one output of the plan. [`build`] runs them all once, for `build` and `check`; `weft
//! serve`'s cache ([`crate::incremental`]) keeps them between builds and only decides which
//! outputs of the plan to make again.

mod derived;
mod plan;
mod sources;

use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;

use crate::config::{self, SiteConfig};
use crate::diag::{Diagnostic, Diagnostics};
use crate::output::{Content, Files, Writer};
use crate::render::{self, Reads, Renderer, Theme, Urls};
use crate::site::{PageId, PageKind, Site};

pub use derived::Derived;
pub use plan::{Output, Plan};
pub use sources::Sources;

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site's folder.
    pub root: PathBuf,
    /// Replaces `base_url` from weft.yaml.
    pub base_url: Option<String>,
    /// Include pages marked `draft: true`.
    pub drafts: bool,
}

/// How long each stage took, for `--verbose`.
#[derive(Debug, Default)]
pub struct Timings {
    last: Option<Instant>,
    /// Stage name and duration, in order.
    pub stages: Vec<(&'static str, std::time::Duration)>,
}

impl Timings {
    /// Starts timing: the first stage runs from now.
    pub fn start() -> Self {
        Timings {
            last: Some(Instant::now()),
            stages: Vec::new(),
        }
    }

    /// Records the time since the previous stage ended.
    pub fn stage(&mut self, name: &'static str) {
        let now = Instant::now();
        if let Some(last) = self.last.replace(now) {
            self.stages.push((name, now - last));
        }
    }

    /// One line per stage, for stderr.
    pub fn report(&self) -> String {
        self.stages
            .iter()
            .map(|(name, d)| format!("  {name:<10} {:>8.1} ms\n", d.as_secs_f64() * 1000.0))
            .collect()
    }
}

/// How many pages and sections a site has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Pages, not sections.
    pub pages: usize,
    /// Sections, the home page among them.
    pub sections: usize,
}

impl Counts {
    /// Counts the pages and sections of `site`.
    pub fn of(site: &Site) -> Counts {
        let sections = site
            .pages
            .iter()
            .filter(|p| p.kind == PageKind::Section)
            .count();
        Counts {
            pages: site.pages.len() - sections,
            sections,
        }
    }
}

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        write!(
            f,
            "{} and {}",
            plural(self.pages, "page", "pages"),
            plural(self.sections, "section", "sections")
        )
    }
}

/// What a build read: the config, the templates and the source files.
pub struct Inputs {
    /// The site configuration, with `--base-url` applied.
    pub config: SiteConfig,
    /// The templates, or what is wrong with them.
    pub theme: Result<Theme, Vec<Diagnostic>>,
    /// The source files, parsed.
    pub sources: Sources,
}

impl Inputs {
    /// Reads the config, the templates and every source file.
    pub fn load(options: &BuildOptions) -> Result<Inputs, Vec<Diagnostic>> {
        let mut config = config::load(&options.root)?;
        if let Some(base_url) = &options.base_url {
            config.base_url = base_url.clone();
        }
        let theme = render::load_theme(&options.root, &config);
        let sources = Sources::load(&options.root, &config);
        Ok(Inputs {
            config,
            theme,
            sources,
        })
    }

    /// Reads the templates again.
    pub fn reload_theme(&mut self, root: &std::path::Path) {
        self.theme = render::load_theme(root, &self.config);
    }

    /// What reading found wrong: the templates and the source files.
    pub fn problems(&self) -> Vec<Diagnostic> {
        let mut problems = self.sources.problems();
        problems.extend(self.config.warnings.iter().cloned());
        if let Err(theme) = &self.theme {
            problems.extend(theme.iter().cloned());
        }
        problems
    }

    /// Places, links and files the parsed pages.
    pub fn derive(&self, drafts: bool, timings: &mut Timings) -> Derived {
        let theme = self.theme.as_ref().ok();
        Derived::new(
            &self.sources,
            &self.config,
            drafts,
            |site| {
                plan::copied_files(theme, &self.sources, site)
                    .into_keys()
                    .collect()
            },
            timings,
        )
    }

    /// Lists every output of `derived`, finding collisions.
    pub fn plan(&self, derived: &Derived) -> Plan {
        Plan::new(
            derived,
            &self.config,
            self.theme.as_ref().ok(),
            &self.sources,
        )
    }
}

/// Makes one output of the plan; `reads`, if given, learns what of the site it read.
pub fn make(
    renderer: &Renderer,
    output: Output,
    reads: Option<&Reads>,
) -> Result<String, Diagnostic> {
    match output {
        Output::Page(id) => renderer.render_page(id, reads),
        Output::Generated(what) => crate::generate::make(renderer, what, reads),
        Output::Alias(alias) => crate::generate::make_alias(renderer, alias, reads),
    }
}

/// The page an output is about, to name in its render failure.
pub fn page_of(output: Output) -> Option<PageId> {
    match output {
        Output::Page(id) | Output::Alias(crate::generate::Alias(id)) => Some(id),
        Output::Generated(_) => None,
    }
}

/// What becomes of the rendered outputs, which are most of a site's bytes.
#[derive(Clone, Copy)]
pub enum Pages<'a> {
    /// Kept in [`BuiltSite::files`].
    Keep,
    /// Written as they are rendered; [`BuiltSite::files`] holds only the rest.
    Write(&'a Writer),
    /// Rendered, to check them, and thrown away, without a search index (`weft check`).
    Discard,
}

/// A site built once.
pub struct BuiltSite {
    /// The files still to write: all of them with [`Pages::Keep`]; with [`Pages::Write`],
    /// those not yet handed to the writer (copied files, the search index).
    pub files: Files,
    /// How many pages and sections it has.
    pub counts: Counts,
    /// Time per stage.
    pub timings: Timings,
    /// The site, for checks that read it again (`weft check --external`).
    pub site: Site,
}

/// Runs every stage once; returns the site and the warnings, or every diagnostic if any is
/// an error. `pages` says where the rendered outputs go.
pub fn build(options: &BuildOptions, pages: Pages) -> (Option<BuiltSite>, Diagnostics) {
    let (built, diagnostics) = run(options, pages);
    (built.ok(), diagnostics)
}

/// Like [`build`], but a build that failed still gives the site, when it got so far, for
/// checks that read its pages (`weft check --external` reports all problems at once).
pub fn run(options: &BuildOptions, pages: Pages) -> (Result<BuiltSite, Option<Site>>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let mut timings = Timings::start();
    let inputs = match Inputs::load(options) {
        Ok(inputs) => inputs,
        Err(problems) => {
            diagnostics.extend(problems);
            return (Err(None), diagnostics);
        }
    };
    timings.stage("read");
    let mut problems = inputs.problems();
    let derived = inputs.derive(options.drafts, &mut timings);
    problems.extend(derived.problems.iter().cloned());
    let plan = inputs.plan(&derived);
    problems.extend(plan.problems.iter().cloned());
    let mut files = Files::new();
    if let Ok(theme) = &inputs.theme {
        let config = &inputs.config;
        let urls = Urls::new(&config.base_url);
        let renderer = Renderer::new(config, derived.data(), &urls, theme);
        let search = config.search && !matches!(pages, Pages::Discard);
        let rendered = render_all(&renderer, &plan, pages, search);
        files = rendered.files;
        problems.extend(group_failures(&derived.site, rendered.failures));
        timings.stage("render");
        if search {
            // One language: Pagefind is told it. Several: it reads each page's `lang`, and
            // makes an index for each, which the search box of a page of that language reads.
            let language = (!config.languages.multilingual).then_some(config.language.as_str());
            crate::search::add_index(&mut files, rendered.entries, language, &mut problems);
            timings.stage("search");
        }
    }
    for (path, content) in plan.copies {
        files.insert(path, content);
    }
    diagnostics.extend(problems);
    if diagnostics.has_errors() {
        return (Err(Some(derived.site)), diagnostics);
    }
    let built = BuiltSite {
        files,
        counts: Counts::of(&derived.site),
        timings,
        site: derived.site,
    };
    (Ok(built), diagnostics)
}

/// The outputs as [`render_all`] leaves them.
struct Rendered {
    /// Each output's bytes, when kept.
    files: Files,
    /// Each page's search entry, when search is on.
    entries: Vec<(String, String)>,
    /// Each output that failed, with the page it is about.
    failures: Vec<(Option<PageId>, Diagnostic)>,
}

/// Renders every output of `plan` in parallel, sending each where `pages` says, and makes
/// the pages' search entries when `search` is on.
fn render_all(renderer: &Renderer, plan: &Plan, pages: Pages, search: bool) -> Rendered {
    let mut made: Vec<_> = plan
        .slow_first()
        .into_par_iter()
        .map(|i| {
            let (path, output) = &plan.outputs[i];
            let mut entry = None;
            let kept = make(renderer, *output, None).map(|mut html| {
                if let (true, Output::Page(id)) = (search, output) {
                    let language = &renderer
                        .config
                        .languages
                        .get(renderer.data().lang(*id))
                        .code;
                    entry = Some(crate::search::entry(path, &html, language));
                }
                match pages {
                    Pages::Keep => {
                        // Tera's output grows by doubling; keeping the spare capacity
                        // of 10,000 pages would cost as much memory as the pages.
                        html.shrink_to_fit();
                        Some(Content::Bytes(html.into_bytes()))
                    }
                    Pages::Write(writer) => {
                        writer.put(path, html.as_bytes());
                        None
                    }
                    Pages::Discard => None,
                }
            });
            (i, kept, entry)
        })
        .collect();
    made.sort_unstable_by_key(|(i, ..)| *i);
    let mut rendered = Rendered {
        files: Files::new(),
        entries: Vec::new(),
        failures: Vec::new(),
    };
    for ((path, output), (_, kept, entry)) in plan.outputs.iter().zip(made) {
        match kept {
            Ok(Some(content)) => {
                rendered.files.insert(path.clone(), content);
            }
            Ok(None) => {}
            Err(diagnostic) => rendered.failures.push((page_of(*output), diagnostic)),
        }
        rendered.entries.extend(entry);
    }
    rendered
}

/// One diagnostic per distinct render failure: a broken template fails every output that
/// uses it (through every template that includes or extends it), so it names the first
/// page and counts the other outputs. Failures at the same place in a template are one.
pub fn group_failures(site: &Site, failures: Vec<(Option<PageId>, Diagnostic)>) -> Vec<Diagnostic> {
    #[derive(PartialEq, Eq, PartialOrd, Ord)]
    enum Failure {
        At(PathBuf, usize, usize),
        Said(String, Option<String>),
    }
    let mut groups: std::collections::BTreeMap<Failure, Vec<(Option<PageId>, Diagnostic)>> =
        std::collections::BTreeMap::new();
    for (id, diagnostic) in failures {
        let key = match &diagnostic.location {
            Some(at) => Failure::At(at.file.path.clone(), at.span.start, at.span.end),
            None => Failure::Said(diagnostic.message.clone(), diagnostic.help.clone()),
        };
        groups.entry(key).or_default().push((id, diagnostic));
    }
    groups
        .into_values()
        .map(|mut group| {
            // Name a page when one failed, as directly as any: a template that fails
            // through another that extends it says so at more length.
            let first = (0..group.len())
                .min_by_key(|&i| (group[i].0.is_none(), group[i].1.message.len()))
                .unwrap_or(0);
            let others = group.len() - 1;
            let (id, mut diagnostic) = group.swap_remove(first);
            let what = id.map_or_else(
                || "a generated page".to_string(),
                |id| site.page(id).source.display_path(),
            );
            diagnostic.message = match others {
                0 => format!("{} (rendering {what})", diagnostic.message),
                n => format!(
                    "{} (rendering {what} and {n} other output{})",
                    diagnostic.message,
                    if n == 1 { "" } else { "s" }
                ),
            };
            diagnostic
        })
        .collect()
}
