//! `weft build` and `weft check`: the pipeline from `content/` to the site. `build` sends
//! each page to the output as it is rendered (see [`output::Writer`]), where the site shows
//! only when nothing failed; `check` renders every page and keeps none.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::commands::progress::Progress;
use crate::config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::discover;
use crate::generate;
use crate::links;
use crate::output::{self, Content, Files};
use crate::render::{self, Renderer, Urls};
use crate::site::{self, PageId};
use crate::taxonomy;
use crate::theme::StaticFile;

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

/// What becomes of the rendered pages, which are most of a site's bytes.
#[derive(Clone, Copy)]
pub enum Pages<'a> {
    /// Kept in [`BuiltSite::files`].
    Keep,
    /// Written as they are rendered; [`BuiltSite::files`] lists them as [`Content::Streamed`].
    Write(&'a output::Writer),
    /// Rendered, to check them, and thrown away, without a search index (`weft check`).
    Discard,
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

/// A site built in memory, ready to be written.
pub struct BuiltSite {
    /// Every output file by relative path.
    pub files: Files,
    /// Pages (not sections) built.
    pub pages: usize,
    /// Sections built.
    pub sections: usize,
    /// Time per stage.
    pub timings: Timings,
}

/// Runs every stage; returns the site and the warnings, or every diagnostic if any is an error.
/// `pages` says where the rendered pages go.
pub fn build_site(options: &BuildOptions, pages: Pages) -> (Option<BuiltSite>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let mut timings = Timings::start();
    let mut config = match config::load(&options.root) {
        Ok(loaded) => loaded.config,
        Err(problems) => {
            diagnostics.extend(problems);
            return (None, diagnostics);
        }
    };
    if let Some(base_url) = &options.base_url {
        config.base_url = base_url.clone();
    }
    let mut problems = Vec::new();
    let theme = render::load_theme(&options.root, &config)
        .map_err(|p| problems.extend(p))
        .ok();
    timings.stage("config");
    let found = discover::discover(&options.root, &mut problems);
    timings.stage("discover");
    let site = site::build(
        found.markdown,
        found.content_assets,
        &config,
        options.drafts,
        &mut problems,
    );
    timings.stage("parse");

    let mut statics: BTreeMap<String, Content> = BTreeMap::new();
    if let Some(theme) = &theme {
        for (url, file) in &theme.statics {
            let content = match file {
                StaticFile::Embedded(bytes) => Content::Static(bytes),
                StaticFile::Disk(path) => Content::Copy(path.clone()),
            };
            statics.insert(url.clone(), content);
        }
    }
    for file in &found.statics {
        statics.insert(
            crate::source::display_path(&file.rel),
            Content::Copy(file.abs.clone()),
        );
    }
    for (url, asset) in &site.assets {
        statics.insert(url.clone(), Content::Copy(asset.abs.clone()));
    }
    let known_files: HashSet<String> = statics.keys().cloned().collect();
    let graph = links::resolve(&site, &config, known_files, &mut problems);
    let taxonomies = taxonomy::collect(&site, &config);
    let page_terms = taxonomy::page_terms(&taxonomies, site.pages.len());
    let urls = Urls::new(&config.base_url);
    timings.stage("links");

    let mut files = Files::new();
    if let Some(theme) = &theme {
        let renderer = Renderer::new(
            &config,
            &site,
            &graph,
            &taxonomies,
            &page_terms,
            &urls,
            theme,
        );
        let search = config.search && !matches!(pages, Pages::Discard);
        // The generated files (the map's layout above all) are made beside the pages.
        let (rendered, generated) = rayon::join(
            || render_all(&renderer, pages, search),
            || {
                let writer = match pages {
                    Pages::Write(writer) => Some(writer),
                    Pages::Keep | Pages::Discard => None,
                };
                generate::make_all(&renderer, writer)
            },
        );
        files = rendered.files;
        problems.extend(rendered.problems);
        // Pages and generated files; when writing, the pages' writes too.
        timings.stage("render");
        if search {
            let entries = rendered.entries;
            crate::search::add_index(&mut files, entries, &config.language, &mut problems);
            timings.stage("search");
        }
        generate::add_generated(&renderer, generated, &mut files, &mut problems);
        timings.stage("aliases");
    }
    merge_statics(&mut files, statics, &mut problems);
    diagnostics.extend(problems);
    if diagnostics.has_errors() {
        return (None, diagnostics);
    }
    let sections = site
        .pages
        .iter()
        .filter(|p| p.kind == site::PageKind::Section)
        .count();
    let built = BuiltSite {
        files,
        pages: site.pages.len() - sections,
        sections,
        timings,
    };
    (Some(built), diagnostics)
}

/// The pages as [`render_all`] leaves them.
struct RenderedPages {
    /// Each page's file: its bytes if kept, else [`Content::Streamed`].
    files: Files,
    /// Each page's search entry, when search is on.
    entries: Vec<(String, String)>,
    /// One diagnostic per distinct render failure.
    problems: Vec<Diagnostic>,
}

/// Renders every page and section in parallel, sending each where `pages` says, and makes
/// their search entries when `search` is on.
fn render_all(renderer: &Renderer, pages: Pages, search: bool) -> RenderedPages {
    struct One {
        id: PageId,
        path: String,
        content: Result<Content, Diagnostic>,
        entry: Option<(String, String)>,
    }
    let language = &renderer.config.language;
    let rendered: Vec<One> = renderer
        .site
        .ids()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|id| {
            let path = page_file(&renderer.site.page(id).url);
            let mut entry = None;
            let content = renderer.render_page(id).map(|mut html| {
                if search {
                    entry = Some(crate::search::entry(&path, &html, language));
                }
                match pages {
                    Pages::Keep => {
                        // Tera's output grows by doubling; keeping the spare capacity
                        // of 10,000 pages would cost as much memory as the pages.
                        html.shrink_to_fit();
                        Content::Bytes(html.into_bytes())
                    }
                    Pages::Write(writer) => {
                        writer.put(&path, html.as_bytes());
                        Content::Streamed
                    }
                    Pages::Discard => Content::Streamed,
                }
            });
            One {
                id,
                path,
                content,
                entry,
            }
        })
        .collect();
    let mut files = Files::new();
    let mut entries = Vec::new();
    let mut failures = Vec::new();
    for one in rendered {
        match one.content {
            Ok(content) => {
                files.insert(one.path, content);
            }
            Err(diagnostic) => failures.push((one.id, diagnostic)),
        }
        entries.extend(one.entry);
    }
    RenderedPages {
        files,
        entries,
        problems: crate::render::group_failures(renderer.site, failures),
    }
}

/// The output file of a URL path: `eu/ran/` → `eu/ran/index.html`.
pub fn page_file(url: &str) -> String {
    format!("{url}index.html")
}

/// A copied file (static or content asset) would take a generated file's place.
pub(crate) fn static_collision(path: &str) -> Diagnostic {
    Diagnostic::error(
        "duplicate-output",
        format!("`{path}` is both a copied file and a page or file that weft makes"),
    )
    .help("rename the file in static/ or content/, or change the page's slug")
}

fn merge_statics(
    files: &mut Files,
    statics: BTreeMap<String, Content>,
    problems: &mut Vec<Diagnostic>,
) {
    for (path, content) in statics {
        if files.contains_key(&path) {
            problems.push(static_collision(&path));
            continue;
        }
        files.insert(path, content);
    }
}

/// Whether diagnostics should be coloured on stderr.
pub fn use_color() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// Prints diagnostics to stderr.
pub fn report(diagnostics: Diagnostics, quiet: bool) {
    if quiet && !diagnostics.has_errors() {
        return;
    }
    let text = diagnostics.render(use_color());
    if !text.is_empty() {
        eprint!("{text}");
    }
}

/// `weft build`: builds and, if nothing failed, writes the site. Returns the exit code.
pub fn run(options: &BuildOptions, output: Option<&Path>, quiet: bool, verbose: bool) -> u8 {
    let started = Instant::now();
    let out = output.map_or_else(|| options.root.join("public"), Path::to_path_buf);
    if let Err(problem) = guard_output(&options.root, &out) {
        eprintln!("error: {problem}");
        return 1;
    }
    let fingerprint = input_fingerprint(options);
    let manifest = manifest_path(&options.root, &out);
    if let Some((pages, sections)) = up_to_date(&out, &manifest, &fingerprint) {
        if !quiet {
            eprintln!(
                "built {pages} pages and {sections} sections into {}: nothing changed, 0 files written in {} ms",
                out.display(),
                started.elapsed().as_millis()
            );
        }
        return 0;
    }
    let writer = match output::Writer::begin(&out, &manifest) {
        Ok(writer) => writer,
        Err(problem) => {
            eprintln!("error: cannot write the site: {problem}");
            return 1;
        }
    };
    let progress = Progress::start("building the site", quiet);
    let (built, diagnostics) = build_site(options, Pages::Write(&writer));
    progress.finish();
    let clean = diagnostics.counts() == (0, 0);
    report(diagnostics, quiet);
    let Some(mut built) = built else {
        writer.abandon();
        eprintln!("error: build failed; {} was left as it was", out.display());
        return 1;
    };
    // A build with warnings is not remembered as up to date, so its warnings show again.
    let stamp = clean.then(|| format!("{fingerprint} {} {}", built.pages, built.sections));
    let books = output::Bookkeeping {
        manifest: &manifest,
        fingerprint: stamp.as_deref(),
    };
    let written = writer.finish(&built.files, books);
    built.timings.stage("write");
    if verbose {
        eprint!("{}", built.timings.report());
    }
    match written {
        Ok(stats) => {
            if !quiet {
                eprintln!(
                    "built {} pages and {} sections into {}: {} files written, {} unchanged, {} removed in {} ms",
                    built.pages,
                    built.sections,
                    out.display(),
                    stats.written,
                    stats.unchanged,
                    stats.removed,
                    started.elapsed().as_millis()
                );
            }
            0
        }
        Err(problem) => {
            eprintln!("error: cannot write the site: {problem}");
            1
        }
    }
}

/// Identifies this build's inputs: the weft binary, the options and every source file's metadata.
fn input_fingerprint(options: &BuildOptions) -> String {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::metadata(p).ok());
    let exe_stamp = exe.map(|m| (m.len(), m.modified().ok()));
    let salt = format!(
        "{} {:?} {:?} {}",
        env!("CARGO_PKG_VERSION"),
        exe_stamp,
        options.base_url,
        options.drafts
    );
    discover::fingerprint(&options.root, &salt)
}

/// Where the manifest of output folder `out` is kept: in the site's `.weft-cache/`.
fn manifest_path(root: &Path, out: &Path) -> PathBuf {
    let absolute = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
    let key = xxhash_rust::xxh3::xxh3_64(absolute.as_os_str().as_encoded_bytes());
    root.join(".weft-cache")
        .join(format!("output-{key:016x}.manifest"))
}

/// If `out` was written from exactly these inputs and is intact, its page and section counts.
fn up_to_date(out: &Path, manifest: &Path, fingerprint: &str) -> Option<(usize, usize)> {
    if !out.join(output::MARKER).is_file() {
        return None;
    }
    let manifest = output::Manifest::read(manifest);
    let recorded = manifest.fingerprint.as_deref()?;
    let mut parts = recorded.split(' ');
    if parts.next()? != fingerprint {
        return None;
    }
    let pages = parts.next()?.parse().ok()?;
    let sections = parts.next()?.parse().ok()?;
    manifest.files_intact(out).then_some((pages, sections))
}

/// `weft check`: every validation of build, nothing written.
pub fn check(options: &BuildOptions, quiet: bool, verbose: bool) -> u8 {
    let progress = Progress::start("checking the site", quiet);
    let (built, diagnostics) = build_site(options, Pages::Discard);
    progress.finish();
    report(diagnostics, quiet);
    match built {
        Some(built) => {
            if verbose {
                eprint!("{}", built.timings.report());
            }
            if !quiet {
                eprintln!(
                    "checked {} pages and {} sections: no errors",
                    built.pages, built.sections
                );
            }
            0
        }
        None => 1,
    }
}

/// Refuses output folders that would overwrite the site's own files.
fn guard_output(root: &Path, out: &Path) -> Result<(), String> {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let root = absolute(root);
    let out_abs = absolute(out);
    let protected = ["content", "static", "templates", "themes"].map(|d| root.join(d));
    if root.starts_with(&out_abs) || protected.iter().any(|p| out_abs.starts_with(p)) {
        return Err(format!(
            "output folder {} would overlap the site's sources; choose a folder such as public/",
            out.display()
        ));
    }
    Ok(())
}
