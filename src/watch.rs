//! Watching a site for `weft serve`: file-system events, debounced and classified, and the
//! comparison of two builds that tells the browser which output files changed.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use crate::config::{self, CONFIG_FILE};
use crate::discover::{self, Folder, Layout, SOURCE_FOLDERS, is_ignored_name};
use crate::output::{Content, SharedFiles};
use notify_debouncer_full::notify::event::{AccessKind, AccessMode};
use notify_debouncer_full::notify::{self, EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

/// How long a path must be quiet before its events are delivered. Editors save in bursts
/// of a few milliseconds (vim: `4913`, rename to `x~`, write, delete), well within this.
const DEBOUNCE: Duration = Duration::from_millis(10);
/// How often the debouncer looks for quiet paths.
const TICK: Duration = Duration::from_millis(2);
/// What a changed path is to the site, and so what a change to it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// Markdown, or a folder, in the content folder: the pages must be rebuilt.
    Content,
    /// A template of the site or of a theme: every page must be re-rendered.
    Template,
    /// A file copied as is (`static/`, a theme's `static/`, a page-bundle asset).
    Static,
    /// `weft.yaml`.
    Config,
    /// Not part of the site: editor swap and backup files, hidden files, `public/`, ….
    Ignored,
}

/// Classifies a changed path, given relative to the site root, in a site laid out as `layout`
/// says. Pure: it never looks at disk.
pub fn classify(rel: &Path, layout: &Layout) -> ChangeKind {
    let mut parts = Vec::new();
    for component in rel.components() {
        match component {
            Component::Normal(part) => match part.to_str() {
                Some(part) if !is_editor_file(part) => parts.push(part),
                _ => return ChangeKind::Ignored,
            },
            Component::CurDir => {}
            _ => return ChangeKind::Ignored,
        }
    }
    match parts.as_slice() {
        [name] if *name == CONFIG_FILE => return ChangeKind::Config,
        // The words are the config's, which every page reads.
        [dir, ..] if *dir == crate::i18n::WORDS_DIR => return ChangeKind::Config,
        ["templates", ..] => return ChangeKind::Template,
        ["themes", _, "static", ..] => return ChangeKind::Static,
        ["themes"] | ["themes", _] | ["themes", _, "templates", ..] => {
            return ChangeKind::Template;
        }
        ["themes", ..] => return ChangeKind::Ignored,
        _ => {}
    }
    match layout.place(rel) {
        Some((Folder::Static, _)) => ChangeKind::Static,
        Some((Folder::Content, under)) => {
            let last = under.file_name().map(|n| n.to_string_lossy());
            let file = last.as_deref().is_some_and(|last| last.contains('.'));
            if file && !discover::is_markdown(&under) {
                ChangeKind::Static
            } else {
                ChangeKind::Content
            }
        }
        None => ChangeKind::Ignored,
    }
}

/// Whether a file name is an editor's temporary file, beyond those discovery skips:
/// JetBrains' safe-write files (`x.md___jb_tmp___`, `x.md___jb_old___`).
fn is_editor_file(name: &str) -> bool {
    is_ignored_name(name) || name.ends_with("___jb_tmp___") || name.ends_with("___jb_old___")
}

/// Whether an event may change a file: opening and reading (the build itself reads every
/// source) do not, closing a file written to does.
fn changes_content(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(access) => matches!(access, AccessKind::Close(AccessMode::Write)),
        _ => true,
    }
}

/// One changed file of the site.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// What the path is to the site.
    pub kind: ChangeKind,
    /// The absolute path that changed (it may no longer exist).
    pub path: PathBuf,
}

/// Watches a site's sources: the content folder, `templates/`, `themes/`, `static/` and
/// `weft.yaml`.
pub struct SiteWatcher {
    root: PathBuf,
    /// Where the sources are, as `weft.yaml` last said.
    layout: Layout,
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    events: Receiver<DebounceEventResult>,
    watched: BTreeSet<PathBuf>,
    /// Problems met while watching, for the caller to show ([`SiteWatcher::take_warnings`]).
    warnings: Vec<String>,
}

impl SiteWatcher {
    /// Starts watching the site at `root`, which should be absolute and canonical so that
    /// changed paths compare equal to the paths the build reads.
    pub fn new(root: &Path) -> notify::Result<Self> {
        let (sender, events) = channel();
        let mut debouncer = new_debouncer(DEBOUNCE, Some(TICK), sender)?;
        // Flat: sees weft.yaml however it is saved, and source folders appearing later.
        debouncer.watch(root, RecursiveMode::NonRecursive)?;
        let mut watcher = SiteWatcher {
            layout: layout_of(root),
            root: root.to_path_buf(),
            debouncer,
            events,
            watched: BTreeSet::new(),
            warnings: Vec::new(),
        };
        watcher.watch_source_dirs();
        Ok(watcher)
    }

    /// Watches the source folders that exist and are not watched yet.
    fn watch_source_dirs(&mut self) {
        let content = self.root.join(&self.layout.content);
        let dirs = SOURCE_FOLDERS.map(|d| self.root.join(d));
        for dir in dirs.into_iter().chain([content]) {
            if dir.is_dir() && !self.watched.contains(&dir) {
                match self.debouncer.watch(&dir, RecursiveMode::Recursive) {
                    Ok(()) => {
                        self.watched.insert(dir);
                    }
                    Err(err) => self
                        .warnings
                        .push(format!("cannot watch {}: {err}", dir.display())),
                }
            }
        }
        // A folder that was removed is watched again when it comes back.
        self.watched.retain(|dir| dir.is_dir());
    }

    /// The problems met while watching since the last call, each in a line.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    /// Blocks until some files of the site changed and returns them, sorted, without the
    /// ignored ones; every batch already waiting is merged in. `None` once watching stopped.
    pub fn next_changes(&mut self) -> Option<Vec<Change>> {
        loop {
            let first = self.events.recv().ok()?;
            let waiting: Vec<DebounceEventResult> = self.events.try_iter().collect();
            let mut paths = BTreeSet::new();
            let mut rescan = false;
            for result in std::iter::once(first).chain(waiting) {
                match result {
                    Ok(events) => {
                        for event in events {
                            rescan |= event.need_rescan();
                            if changes_content(&event.kind) {
                                paths.extend(event.event.paths);
                            }
                        }
                    }
                    Err(errors) => {
                        for err in errors {
                            self.warnings.push(format!("watching the site: {err}"));
                        }
                    }
                }
            }
            if paths.contains(&self.root.join(CONFIG_FILE)) {
                // The content folder may be another one now.
                self.layout = layout_of(&self.root);
            }
            self.watch_source_dirs();
            let mut changes: Vec<Change> = paths
                .into_iter()
                .filter_map(|path| {
                    let kind = classify(path.strip_prefix(&self.root).ok()?, &self.layout);
                    (kind != ChangeKind::Ignored).then_some(Change { kind, path })
                })
                .collect();
            if rescan {
                // The system dropped events: treat it as a change of everything.
                changes.push(Change {
                    kind: ChangeKind::Config,
                    path: self.root.join(CONFIG_FILE),
                });
            }
            if !changes.is_empty() {
                changes.sort();
                changes.dedup();
                return Some(changes);
            }
        }
    }
}

/// The layout of the site at `root` as its config says, or the usual one when the config does
/// not load (the build reports why).
fn layout_of(root: &Path) -> Layout {
    config::load(root).map_or_else(|_| Layout::default(), |config| Layout::new(&config))
}

/// The output files that copy one of the `changed` source files.
pub fn copies_of(files: &SharedFiles, changed: &[Change]) -> Vec<String> {
    let sources: BTreeSet<&Path> = changed.iter().map(|c| c.path.as_path()).collect();
    files
        .iter()
        .filter(|(_, content)| matches!(&***content, Content::Copy(from) if sources.contains(from.as_path())))
        .map(|(path, _)| path.clone())
        .collect()
}

/// The output files that differ between two builds: added, removed, or with other content,
/// including files copied from a `changed` source. Sorted.
pub fn changed_outputs(old: &SharedFiles, new: &SharedFiles, changed: &[Change]) -> Vec<String> {
    let mut paths: BTreeSet<String> = new
        .iter()
        .filter(|(path, content)| {
            old.get(*path)
                .is_none_or(|before| !Arc::ptr_eq(before, content) && !same(before, content))
        })
        .map(|(path, _)| path.clone())
        .collect();
    paths.extend(old.keys().filter(|p| !new.contains_key(*p)).cloned());
    paths.extend(copies_of(new, changed));
    paths.into_iter().collect()
}

fn same(a: &Content, b: &Content) -> bool {
    match (a, b) {
        (Content::Bytes(a), Content::Bytes(b)) => a == b,
        (Content::Static(a), Content::Static(b)) => a == b,
        (Content::Copy(a), Content::Copy(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(path: &str) -> ChangeKind {
        classify(Path::new(path), &Layout::default())
    }

    #[test]
    fn classifies_the_files_of_a_vault() {
        let config: crate::config::SiteConfig =
            serde_yaml::from_str("content: .\nignore: [private/**]").expect("config");
        let vault = Layout::new(&config);
        let kind = |path: &str| classify(Path::new(path), &vault);
        assert_eq!(kind("Daily/Note one.md"), ChangeKind::Content);
        assert_eq!(kind("Daily"), ChangeKind::Content);
        assert_eq!(kind("Attachments/diagram.png"), ChangeKind::Static);
        assert_eq!(kind("static/site.css"), ChangeKind::Static);
        assert_eq!(kind("templates/page.html"), ChangeKind::Template);
        assert_eq!(kind("weft.yaml"), ChangeKind::Config);
        for ignored in [
            ".obsidian/workspace.json",
            ".trash/old.md",
            ".public/index.html",
            "node_modules/x/README.md",
            "private/diary.md",
        ] {
            assert_eq!(kind(ignored), ChangeKind::Ignored, "{ignored}");
        }
    }

    #[test]
    fn classifies_site_files() {
        assert_eq!(kind("weft.yaml"), ChangeKind::Config);
        assert_eq!(kind("content/eu/ran-coe.md"), ChangeKind::Content);
        assert_eq!(kind("content/eu/_index.md"), ChangeKind::Content);
        assert_eq!(kind("content/eu"), ChangeKind::Content);
        assert_eq!(kind("content/eu/bundle/map.png"), ChangeKind::Static);
        assert_eq!(kind("templates/page.html"), ChangeKind::Template);
        assert_eq!(
            kind("themes/dark/templates/base.html"),
            ChangeKind::Template
        );
        assert_eq!(kind("themes/dark"), ChangeKind::Template);
        assert_eq!(kind("themes/dark/static/site.css"), ChangeKind::Static);
        assert_eq!(kind("static/css/site.css"), ChangeKind::Static);
    }

    #[test]
    fn ignores_editor_files_and_other_folders() {
        for path in [
            "content/eu/.ran-coe.md.swp",
            "content/eu/.ran-coe.md.swx",
            "content/eu/ran-coe.md~",
            "content/eu/4913",
            "content/eu/.#ran-coe.md",
            "content/eu/#ran-coe.md#",
            "content/eu/ran-coe.md___jb_tmp___",
            "content/eu/ran-coe.md___jb_old___",
            "content/.hidden/page.md",
            "static/.DS_Store",
            "weft.yaml~",
            ".weft.yaml.swp",
            "public/index.html",
            "target/debug/weft",
            ".git/index",
            "README.md",
            "themes/dark/README.md",
            "../content/page.md",
            "/etc/passwd",
        ] {
            assert_eq!(kind(path), ChangeKind::Ignored, "{path}");
        }
    }

    #[test]
    fn reading_a_file_is_no_change() {
        use notify::event::{CreateKind, ModifyKind, RemoveKind, RenameMode};
        assert!(!changes_content(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!changes_content(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(changes_content(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(changes_content(&EventKind::Create(CreateKind::File)));
        assert!(changes_content(&EventKind::Modify(ModifyKind::Name(
            RenameMode::To
        ))));
        assert!(changes_content(&EventKind::Remove(RemoveKind::File)));
    }

    fn files(pairs: &[(&str, Content)]) -> SharedFiles {
        pairs
            .iter()
            .map(|(p, c)| (p.to_string(), Arc::new(c.clone())))
            .collect()
    }

    #[test]
    fn compares_builds() {
        let bytes = |s: &str| Content::Bytes(s.as_bytes().to_vec());
        let copy = |s: &str| Content::Copy(PathBuf::from(s));
        let old = files(&[
            ("a/index.html", bytes("a")),
            ("b/index.html", bytes("b")),
            ("gone/index.html", bytes("g")),
            ("site.css", copy("/site/static/site.css")),
            ("logo.png", copy("/site/static/logo.png")),
        ]);
        let new = files(&[
            ("a/index.html", bytes("a")),
            ("b/index.html", bytes("b2")),
            ("new/index.html", bytes("n")),
            ("site.css", copy("/site/static/site.css")),
            ("logo.png", copy("/site/static/logo.png")),
        ]);
        let touched = [Change {
            kind: ChangeKind::Static,
            path: PathBuf::from("/site/static/site.css"),
        }];
        assert_eq!(
            changed_outputs(&old, &new, &touched),
            [
                "b/index.html",
                "gone/index.html",
                "new/index.html",
                "site.css"
            ]
        );
        assert_eq!(copies_of(&new, &touched), ["site.css"]);
        assert!(changed_outputs(&old, &old, &[]).is_empty());
    }
}
