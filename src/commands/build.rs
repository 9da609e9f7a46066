//! `weft build` and `weft check`: [`pipeline::build`] run once. `build` sends each output to
//! the output folder as it is rendered (see [`output::Writer`]), where the site shows only
//! when nothing failed; `check` renders every output and keeps none.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::commands::progress::Progress;
use crate::config;
use crate::diag::{Diagnostics, Format};
use crate::discover::{self, Layout};
use crate::external;
use crate::output;
use crate::pipeline::{self, BuildOptions, Pages};

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

/// Where and how `build` and `check` tell what they found: diagnostics for people on
/// stderr, for tools ([`Format::Json`], [`Format::Github`]) on stdout; the summary lines
/// always on stderr, and none with `quiet`.
pub struct Reporter {
    format: Format,
    quiet: bool,
    /// The site's folder as a prefix of paths, for GitHub's annotations (`docs/`).
    prefix: String,
}

impl Reporter {
    /// A reporter for the site in `root`.
    pub fn new(format: Format, quiet: bool, root: &Path) -> Reporter {
        // GitHub wants paths from the repository's root, where the workflow runs weft.
        let cwd = std::env::current_dir().ok();
        let root = cwd
            .as_deref()
            .and_then(|cwd| root.strip_prefix(cwd).ok())
            .unwrap_or(root);
        let root = root.to_string_lossy().replace('\\', "/");
        let prefix = match root.trim_start_matches("./").trim_end_matches('/') {
            "" | "." => String::new(),
            folder => format!("{folder}/"),
        };
        Reporter {
            format,
            quiet,
            prefix,
        }
    }

    /// Writes `diagnostics`; with `quiet`, only when one is an error.
    pub fn diagnostics(&self, diagnostics: Diagnostics) {
        if self.format == Format::Human {
            return report(diagnostics, self.quiet);
        }
        if self.quiet && !diagnostics.has_errors() {
            return;
        }
        print!(
            "{}",
            diagnostics.render_as(self.format, false, &self.prefix)
        );
    }
}

/// `weft build`: builds and, if nothing failed, writes the site. Returns the exit code.
pub fn run(
    options: &BuildOptions,
    output: Option<&Path>,
    reporter: &Reporter,
    verbose: bool,
) -> u8 {
    let quiet = reporter.quiet;
    let started = Instant::now();
    // The layout, for where the sources and the output are; a config that does not load
    // fails the build below, with its diagnostics.
    let layout = config::load(&options.root)
        .map_or_else(|_| Layout::default(), |config| Layout::new(&config));
    let out = output.map_or_else(|| default_output(&options.root, &layout), Path::to_path_buf);
    if let Err(problem) = guard_output(&options.root, &layout, &out) {
        eprintln!("error: {problem}");
        return 1;
    }
    let fingerprint = input_fingerprint(options, &layout);
    let manifest = manifest_path(&options.root, &out);
    if let Some(counts) = up_to_date(&out, &manifest, &fingerprint) {
        if !quiet {
            eprintln!(
                "built {counts} into {}: nothing changed, 0 files written in {} ms",
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
    let (built, diagnostics) = pipeline::build(options, Pages::Write(&writer));
    progress.finish();
    let clean = diagnostics.counts() == (0, 0);
    reporter.diagnostics(diagnostics);
    let Some(mut built) = built else {
        writer.abandon();
        eprintln!("error: build failed; {} was left as it was", out.display());
        return 1;
    };
    // A build with warnings is not remembered as up to date, so its warnings show again.
    let counts = built.counts;
    let stamp = clean.then(|| format!("{fingerprint} {} {}", counts.pages, counts.sections));
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
                    "built {counts} into {}: {} files written, {} unchanged, {} removed in {} ms",
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
fn input_fingerprint(options: &BuildOptions, layout: &Layout) -> String {
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
    discover::fingerprint(&options.root, layout, &salt)
}

/// Where the manifest of output folder `out` is kept: in the site's `.weft-cache/`.
fn manifest_path(root: &Path, out: &Path) -> PathBuf {
    let absolute = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
    let key = xxhash_rust::xxh3::xxh3_64(absolute.as_os_str().as_encoded_bytes());
    root.join(".weft-cache")
        .join(format!("output-{key:016x}.manifest"))
}

/// If `out` was written from exactly these inputs and is intact, its page and section counts.
fn up_to_date(out: &Path, manifest: &Path, fingerprint: &str) -> Option<pipeline::Counts> {
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
    let counts = pipeline::Counts { pages, sections };
    manifest.files_intact(out).then_some(counts)
}

/// `weft check`: every validation of build, nothing written.
pub fn check(options: &BuildOptions, reporter: &Reporter, verbose: bool) -> u8 {
    let quiet = reporter.quiet;
    let progress = Progress::start("checking the site", quiet);
    let (built, diagnostics) = pipeline::build(options, Pages::Discard);
    progress.finish();
    reporter.diagnostics(diagnostics);
    match built {
        Some(built) => {
            if verbose {
                eprint!("{}", built.timings.report());
            }
            if !quiet {
                eprintln!("checked {}: no errors", built.counts);
            }
            0
        }
        None => 1,
    }
}

/// `weft check --external`: every validation of `weft check`, then the external links of
/// the same parse of the site. Writes nothing but the cache. Returns the exit code.
pub fn check_external(
    options: &BuildOptions,
    settings: &external::Settings,
    reporter: &Reporter,
) -> u8 {
    let quiet = reporter.quiet;
    let progress = Progress::start("checking the site", quiet);
    let (site, mut diagnostics) = pipeline::run(options, Pages::Discard);
    progress.finish();
    // A site with errors still has its external links checked, so all show at once.
    let checked = match &site {
        Ok(built) => external::check_site(&built.site, &options.root, settings),
        Err(Some(site)) => external::check_site(site, &options.root, settings),
        Err(None) => {
            reporter.diagnostics(diagnostics);
            return 1;
        }
    };
    if let Some(problem) = &checked.cache_error {
        eprintln!("warning: {problem}");
    }
    diagnostics.extend(checked.diagnostics);
    let failed = diagnostics.has_errors();
    reporter.diagnostics(diagnostics);
    if !quiet {
        let counts = match &site {
            Ok(built) => format!("{}, ", built.counts),
            Err(_) => String::new(),
        };
        eprintln!(
            "checked {counts}{} external links ({} known good from {}){}",
            checked.links,
            checked.cached,
            external::CACHE_FILE,
            if failed { "" } else { ": no errors" }
        );
    }
    u8::from(failed)
}

/// Where a site is built when `--output` does not say: `public/`, or, when the content folder
/// is the site's folder itself (a vault), the dot-folder `.public/`, which Obsidian and weft
/// do not read as notes.
pub fn default_output(root: &Path, layout: &Layout) -> PathBuf {
    root.join(if layout.is_root() {
        ".public"
    } else {
        "public"
    })
}

/// Refuses output folders that would overwrite the site's own files. Inside a content folder
/// that is the site's folder, only a folder that is never read as content will do.
fn guard_output(root: &Path, layout: &Layout, out: &Path) -> Result<(), String> {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let root = absolute(root);
    let out_abs = absolute(out);
    // A folder of notes in there is refused by the writer: it holds no mark of weft's output.
    let mut protected: Vec<PathBuf> = discover::SOURCE_FOLDERS.map(|d| root.join(d)).to_vec();
    if !layout.is_root() {
        protected.push(root.join(&layout.content));
    }
    if root.starts_with(&out_abs) || protected.iter().any(|p| out_abs.starts_with(p)) {
        return Err(format!(
            "output folder {} would overlap the site's sources; choose a folder such as public/",
            out.display()
        ));
    }
    Ok(())
}
