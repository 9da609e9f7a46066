//! `weft serve`: builds the site in memory, serves the latest good build, and on every change
//! rebuilds what the change reaches ([`crate::incremental`]), swaps the result in whole and
//! tells the browser what changed. Watching and comparing builds live in [`crate::watch`], the
//! HTTP side in `serve/http.rs`, the browser side in `serve/livereload.js`.

mod http;

use std::collections::{BTreeSet, VecDeque};
use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use arc_swap::ArcSwap;
use serde::Serialize;
use tokio::sync::broadcast;

use crate::commands::build;
use crate::diag::Diagnostics;
use crate::incremental::BuildCache;
use crate::output::SharedFiles;
use crate::pipeline::BuildOptions;
use crate::watch::{self, Change, ChangeKind, SiteWatcher};

/// Past this many changed files, the browser is told that anything may have changed.
const MAX_CHANGED: usize = 500;
/// How many generations back a page that reconnects can be told what changed.
const HISTORY: usize = 32;
/// How many ports after `--port` to try when it is in use.
const PORT_TRIES: u16 = 20;

/// What to serve and where.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site and how to build it; `base_url` is replaced by the server's address.
    pub build: BuildOptions,
    /// The address to listen on.
    pub bind: IpAddr,
    /// The first port to try; 0 lets the system choose.
    pub port: u16,
    /// Open the site in the default browser.
    pub open: bool,
    /// How much to print about rebuilds.
    pub verbosity: Verbosity,
}

/// How much `weft serve` prints about rebuilds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    /// Errors only.
    Quiet,
    /// One line per rebuild, and the diagnostics.
    Normal,
    /// Also each changed file and the time of each stage.
    Verbose,
}

/// What the server hands out: swapped whole after each build, never half-built.
struct Preview {
    /// The latest build that succeeded.
    files: Arc<SharedFiles>,
    /// Counts the builds whose output changed; the browser compares it with its page's.
    generation: u64,
    /// The plain diagnostics of the latest build, when it failed.
    error: Option<String>,
    /// The files each of the last few generations changed, oldest first, so that a page
    /// that reconnects learns what it missed.
    history: VecDeque<(u64, Arc<[String]>)>,
    /// Files still being made for this build: meanwhile `files` holds their last version.
    pending: Option<Arc<Pending>>,
}

/// Output files a build left for later (the map, on a large site): a request for one of them
/// waits until they are made.
struct Pending {
    paths: BTreeSet<String>,
    /// Turns true once they are made.
    done: tokio::sync::watch::Sender<bool>,
}

impl Preview {
    /// The next generation: `files`, of which `changed` differ from this one's.
    fn next(&self, files: Arc<SharedFiles>, changed: Vec<String>) -> Preview {
        let mut history = self.history.clone();
        if history.len() == HISTORY {
            history.pop_front();
        }
        history.push_back((self.generation + 1, changed.into()));
        Preview {
            files,
            generation: self.generation + 1,
            error: None,
            history,
            pending: None,
        }
    }

    /// The output files changed since generation `since`, if the history reaches back so far.
    fn changed_since(&self, since: u64) -> Option<Vec<String>> {
        let first = self
            .history
            .front()
            .map_or(self.generation + 1, |(g, _)| *g);
        if since > self.generation || since + 1 < first {
            return None;
        }
        let changed: BTreeSet<&String> = self
            .history
            .iter()
            .filter(|(g, _)| *g > since)
            .flat_map(|(_, files)| files.iter())
            .collect();
        Some(changed.into_iter().cloned().collect())
    }
}

/// What the server and the rebuilding thread share.
struct Shared {
    /// The site's folder, canonical: copied files must stay inside it.
    root: PathBuf,
    preview: ArcSwap<Preview>,
    /// Notices for the browsers, as JSON (see [`notice`]).
    notices: broadcast::Sender<String>,
}

/// `weft serve`: serves until interrupted. Returns the exit code when it cannot start.
pub fn run(options: ServeOptions) -> u8 {
    let root = match options.build.root.canonicalize() {
        Ok(root) if root.is_dir() => root,
        _ => {
            let shown = options.build.root.display();
            eprintln!("error: {shown} is not a folder (see --root)");
            return 2;
        }
    };
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: {} is not a loopback address: other machines can see the preview",
            options.bind
        );
    }
    let listener = match bind(options.bind, options.port) {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!(
                "error: cannot listen on {}:{}: {err}",
                options.bind, options.port
            );
            return 1;
        }
    };
    let Ok(address) = listener.local_addr() else {
        return 1;
    };
    if options.port != 0 && address.port() != options.port {
        eprintln!("port {} is in use; using {}", options.port, address.port());
    }
    let url = format!("http://{address}/");
    let build = BuildOptions {
        root: root.clone(),
        base_url: Some(url.clone()),
        ..options.build
    };
    // Watching starts first, so that a change during the first build is not missed.
    let mut watcher = match SiteWatcher::new(&root) {
        Ok(watcher) => watcher,
        Err(err) => {
            eprintln!("error: cannot watch {}: {err}", root.display());
            return 1;
        }
    };
    let empty = Preview {
        files: Arc::default(),
        generation: 0,
        error: None,
        history: VecDeque::new(),
        pending: None,
    };
    for warning in watcher.take_warnings() {
        eprintln!("warning: {warning}");
    }
    let mut cache = BuildCache::new(build);
    cache.defer(true);
    let first = rebuild(&empty, &[], &mut cache, options.verbosity);
    let (notices, _) = broadcast::channel(16);
    let shared = Arc::new(Shared {
        root: root.clone(),
        preview: ArcSwap::from_pointee(first),
        notices,
    });
    let rebuilder = Arc::clone(&shared);
    let verbosity = options.verbosity;
    std::thread::spawn(move || watch_and_rebuild(watcher, &rebuilder, cache, verbosity));
    eprintln!("serving {} at {url} (Ctrl-C to stop)", root.display());
    if options.open {
        if let Err(err) = opener::open(&url) {
            eprintln!("warning: cannot open a browser: {err}");
        }
    }
    match serve(listener, shared) {
        Ok(()) => 0,
        Err(err) => {
            eprintln!("error: the server stopped: {err}");
            1
        }
    }
}

/// Listens on `port`, or on the next free one when it is in use.
fn bind(ip: IpAddr, port: u16) -> io::Result<TcpListener> {
    let last = if port == 0 {
        0
    } else {
        port.saturating_add(PORT_TRIES)
    };
    let mut in_use = io::Error::from(io::ErrorKind::AddrInUse);
    for candidate in port..=last {
        match TcpListener::bind(SocketAddr::new(ip, candidate)) {
            Ok(listener) => return Ok(listener),
            Err(err) if err.kind() == io::ErrorKind::AddrInUse => in_use = err,
            Err(err) => return Err(err),
        }
    }
    Err(in_use)
}

/// Runs the HTTP server on `listener` until the process ends.
fn serve(listener: TcpListener, shared: Arc<Shared>) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        axum::serve(listener, http::router(shared)).await
    })
}

/// Waits for changes, rebuilds, swaps the preview and tells the browsers.
fn watch_and_rebuild(
    mut watcher: SiteWatcher,
    shared: &Shared,
    mut cache: BuildCache,
    verbosity: Verbosity,
) {
    while let Some(changes) = watcher.next_changes() {
        for warning in watcher.take_warnings() {
            eprintln!("warning: {warning}");
        }
        if verbosity == Verbosity::Verbose {
            for change in &changes {
                let shown = change
                    .path
                    .strip_prefix(&shared.root)
                    .unwrap_or(&change.path);
                eprintln!("changed: {} ({:?})", shown.display(), change.kind);
            }
        }
        let current = shared.preview.load_full();
        let next = rebuild(&current, &changes, &mut cache, verbosity);
        if next.generation == current.generation && next.error == current.error {
            continue;
        }
        let message = notice(&next, Some(current.generation));
        let next = Arc::new(next);
        let previous = shared.preview.swap(Arc::clone(&next));
        let _ = shared.notices.send(message);
        // Freeing the last build can take a while: only once the browsers know.
        drop((previous, current));
        if let Some(pending) = &next.pending {
            finish(shared, &mut cache, &next, pending, verbosity);
        }
    }
}

/// Makes the files `published` left pending, and serves them.
fn finish(
    shared: &Shared,
    cache: &mut BuildCache,
    published: &Preview,
    pending: &Pending,
    verbosity: Verbosity,
) {
    let started = Instant::now();
    let (made, diagnostics) = cache.finish();
    let mut files = (*published.files).clone();
    files.extend(made);
    let error = if diagnostics.has_errors() {
        Some(show_errors(diagnostics))
    } else {
        build::report(diagnostics, verbosity == Verbosity::Quiet);
        published.error.clone()
    };
    let failed = error != published.error;
    let done = Arc::new(Preview {
        files: Arc::new(files),
        generation: published.generation,
        error,
        history: published.history.clone(),
        pending: None,
    });
    shared.preview.store(Arc::clone(&done));
    pending.done.send_replace(true);
    if failed {
        let _ = shared.notices.send(notice(&done, None));
    }
    if verbosity == Verbosity::Verbose {
        let paths: Vec<&str> = pending.paths.iter().map(String::as_str).collect();
        eprintln!(
            "made {} in {} ms",
            paths.join(", "),
            started.elapsed().as_millis()
        );
    }
}

/// The preview after `changes`. Files copied as is are read on request, so when only they
/// changed nothing is rebuilt; anything else rebuilds what it reaches. A failed build keeps
/// the last good files and carries the diagnostics.
fn rebuild(
    current: &Preview,
    changes: &[Change],
    cache: &mut BuildCache,
    verbosity: Verbosity,
) -> Preview {
    let quiet = verbosity == Verbosity::Quiet;
    let started = Instant::now();
    if let Some(preview) = reread_copies(current, changes, quiet) {
        return preview;
    }
    let (built, diagnostics) = cache.update(changes);
    let elapsed = started.elapsed().as_millis();
    let Some(site) = built else {
        let error = show_errors(diagnostics);
        eprintln!("error: the build failed in {elapsed} ms; still serving the last good build");
        return Preview {
            files: Arc::clone(&current.files),
            generation: current.generation,
            error: Some(error),
            history: current.history.clone(),
            pending: None,
        };
    };
    build::report(diagnostics, quiet);
    if verbosity == Verbosity::Verbose {
        eprint!("{}", site.timings.report());
    }
    let mut changed = watch::changed_outputs(&current.files, &site.files, changes);
    let pending = (!site.pending.is_empty()).then(|| {
        changed.extend(site.pending.iter().cloned());
        changed.sort();
        changed.dedup();
        Arc::new(Pending {
            paths: site.pending.iter().cloned().collect(),
            done: tokio::sync::watch::Sender::new(false),
        })
    });
    let elapsed = started.elapsed().as_millis();
    if !quiet {
        let counts = site.counts;
        match current.generation {
            0 => eprintln!("built {counts} in {elapsed} ms"),
            _ => eprintln!(
                "rebuilt {counts} in {elapsed} ms: {} made again, {} files changed",
                site.made,
                changed.len()
            ),
        }
    }
    if changed.is_empty() {
        return Preview {
            files: Arc::new(site.files),
            generation: current.generation,
            error: None,
            history: current.history.clone(),
            pending: None,
        };
    }
    Preview {
        pending,
        ..current.next(Arc::new(site.files), changed)
    }
}

/// The preview when only files copied as they are changed, and all of them are in the
/// site: nothing is rebuilt, since they are read on request.
fn reread_copies(current: &Preview, changes: &[Change], quiet: bool) -> Option<Preview> {
    let copied_only = !changes.is_empty()
        && changes.iter().all(|change| {
            change.kind == ChangeKind::Static
                && change.path.is_file()
                && !watch::copies_of(&current.files, std::slice::from_ref(change)).is_empty()
        });
    if !copied_only {
        return None;
    }
    let changed = watch::copies_of(&current.files, changes);
    if !quiet {
        eprintln!("re-read {}", changed.join(", "));
    }
    Some(Preview {
        error: current.error.clone(),
        ..current.next(Arc::clone(&current.files), changed)
    })
}

/// Prints the diagnostics of a failed build, in colour where the terminal has it; returns
/// them plain, for the browser's error overlay.
fn show_errors(diagnostics: Diagnostics) -> String {
    let items = Diagnostics::sorted(diagnostics);
    let render = |color| {
        let mut diagnostics = Diagnostics::default();
        diagnostics.extend(items.iter().cloned());
        diagnostics.render(color)
    };
    eprint!("{}", render(build::use_color()));
    render(false)
}

/// What the browser is told, as JSON: the generation, the build error if any, and the
/// output files `changed` since generation `since`, or null when that is not known.
fn notice(preview: &Preview, since: Option<u64>) -> String {
    #[derive(Serialize)]
    struct Notice<'a> {
        generation: u64,
        error: Option<&'a str>,
        since: Option<u64>,
        changed: Option<Vec<String>>,
    }
    let changed = since
        .and_then(|since| preview.changed_since(since))
        .filter(|c| c.len() <= MAX_CHANGED);
    let notice = Notice {
        generation: preview.generation,
        error: preview.error.as_deref(),
        since: since.filter(|_| changed.is_some()),
        changed,
    };
    serde_json::to_string(&notice).expect("a notice is plain data")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_what_recent_generations_changed() {
        let mut preview = Preview {
            files: Arc::default(),
            generation: 0,
            error: None,
            history: VecDeque::new(),
            pending: None,
        };
        for i in 1..=HISTORY + 2 {
            preview = preview.next(Arc::default(), vec![format!("{i}.html"), "a.css".into()]);
        }
        let last = preview.generation;
        assert_eq!(last, (HISTORY + 2) as u64);
        assert_eq!(preview.changed_since(last), Some(vec![]));
        assert_eq!(
            preview.changed_since(last - 2),
            Some(vec![
                format!("{}.html", last - 1),
                format!("{last}.html"),
                "a.css".into()
            ])
        );
        assert_eq!(
            preview
                .changed_since(last - HISTORY as u64)
                .map(|c| c.len()),
            Some(HISTORY + 1)
        );
        assert_eq!(
            preview.changed_since(last - HISTORY as u64 - 1),
            None,
            "forgotten"
        );
        assert_eq!(
            preview.changed_since(last + 1),
            None,
            "another server's page"
        );
    }
}
