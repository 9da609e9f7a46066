//! Output: writes the site into the output folder, where it becomes visible only once the
//! whole build has succeeded.
//!
//! Pages are written while they are rendered ([`Writer::put`]), so a build never holds all of
//! them in memory, but never into their place: a fresh output folder is written as a staging
//! folder beside it and renamed into place whole; in an existing one each changed file is
//! written beside its place and renamed over it at the end, unchanged files are left alone (a
//! manifest of content hashes avoids re-reading them), and files the site no longer produces
//! are removed. A failed build removes what it wrote. Either way no reader ever sees a
//! truncated file, and a killed build leaves only whole old or whole new files, plus
//! temporary files that the next build removes.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

/// Marks a folder as weft's output, so that weft never cleans a folder it did not write.
pub const MARKER: &str = ".weft-output";
const MARKER_TEXT: &str =
    "This folder is written by weft; files it does not produce are removed.\n";
const MANIFEST_HEADER: &str = "weft-output 1";
const TMP_SUFFIX: &str = ".weft-tmp";

/// The content of one output file.
#[derive(Debug, Clone)]
pub enum Content {
    /// Bytes made by the build.
    Bytes(Vec<u8>),
    /// Bytes compiled into the binary.
    Static(&'static [u8]),
    /// A file copied from the site.
    Copy(PathBuf),
}

/// Files of the site to write: URL-style relative path → content.
pub type Files = BTreeMap<String, Content>;

/// The site's files, each shared between the builds of `weft serve` that made it alike, so
/// that a build that makes ten pages of ten thousand copies no page.
pub type SharedFiles = BTreeMap<String, std::sync::Arc<Content>>;

/// What a write did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteStats {
    /// Files created or replaced.
    pub written: usize,
    /// Files left as they were because their content had not changed.
    pub unchanged: usize,
    /// Files removed because the site no longer produces them.
    pub removed: usize,
}

/// An output failure, with the path it concerns.
#[derive(Debug)]
pub struct OutputError {
    /// The file or folder.
    pub path: PathBuf,
    /// What went wrong.
    pub message: String,
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

fn err(path: &Path, error: io::Error) -> OutputError {
    let message = if error.kind() == io::ErrorKind::StorageFull {
        "no space left on the device; free some space and build again (the previous output is intact)".to_string()
    } else {
        error.to_string()
    };
    OutputError {
        path: path.to_path_buf(),
        message,
    }
}

/// One file as the manifest remembers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    hash: u64,
    size: u64,
    mtime: u128,
}

/// What weft wrote last time: a fingerprint of the inputs and an entry per file.
#[derive(Debug, Default)]
pub struct Manifest {
    /// The inputs' fingerprint of the build that wrote the folder, if recorded.
    pub fingerprint: Option<String>,
    entries: HashMap<String, Entry>,
}

impl Manifest {
    /// Reads a manifest; a missing or unreadable one is empty (files are then compared byte by byte).
    pub fn read(path: &Path) -> Manifest {
        let Ok(text) = fs::read_to_string(path) else {
            return Manifest::default();
        };
        let mut lines = text.lines();
        if lines.next() != Some(MANIFEST_HEADER) {
            return Manifest::default();
        }
        let mut manifest = Manifest::default();
        for line in lines {
            if let Some(fingerprint) = line.strip_prefix("fingerprint ") {
                manifest.fingerprint = Some(fingerprint.to_string());
                continue;
            }
            let mut parts = line.splitn(4, ' ');
            let parsed = (|| {
                let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
                let size = parts.next()?.parse().ok()?;
                let mtime = parts.next()?.parse().ok()?;
                Some((parts.next()?.to_string(), Entry { hash, size, mtime }))
            })();
            if let Some((path, entry)) = parsed {
                manifest.entries.insert(path, entry);
            }
        }
        manifest
    }

    /// Whether every recorded file is still there with the size and time weft gave it.
    pub fn files_intact(&self, out: &Path) -> bool {
        !self.entries.is_empty()
            && self.entries.par_iter().all(|(path, entry)| {
                fs::metadata(out.join(path))
                    .is_ok_and(|m| m.len() == entry.size && mtime_of(&m) == entry.mtime)
            })
    }

    fn render(&self, fingerprint: Option<&str>) -> String {
        let mut sorted: Vec<(&String, &Entry)> = self.entries.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(b.0));
        let mut out = String::with_capacity(64 * sorted.len() + 64);
        out.push_str(MANIFEST_HEADER);
        out.push('\n');
        if let Some(fingerprint) = fingerprint {
            out.push_str("fingerprint ");
            out.push_str(fingerprint);
            out.push('\n');
        }
        for (path, e) in sorted {
            out.push_str(&format!("{:016x} {} {} {path}\n", e.hash, e.size, e.mtime));
        }
        out
    }
}

fn mtime_of(meta: &fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

/// Checks that `out` may be written by weft: absent, empty, or written by weft before.
pub fn check_output_dir(out: &Path) -> Result<(), OutputError> {
    if out.exists() && !out.is_dir() {
        return Err(OutputError {
            path: out.to_path_buf(),
            message: "exists and is not a folder".into(),
        });
    }
    if !out.is_dir() || out.join(MARKER).is_file() || is_empty_dir(out) {
        return Ok(());
    }
    Err(OutputError {
        path: out.to_path_buf(),
        message: format!(
            "the folder is not empty and was not written by weft (it has no {MARKER}); \
             weft removes files it did not produce, so it will not build into it: \
             choose another --output or empty the folder"
        ),
    })
}

fn is_empty_dir(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none())
}

/// Where weft keeps what it knows about an output folder: kept out of the folder itself, so
/// that the folder holds only the site and two builds of it are byte-identical.
#[derive(Debug, Clone, Copy)]
pub struct Bookkeeping<'a> {
    /// The manifest file.
    pub manifest: &'a Path,
    /// Identifies the inputs, for [`Manifest::fingerprint`]; `None` to record none.
    pub fingerprint: Option<&'a str>,
}

/// Writes a site into its output folder while the site is being built: pages go out one by
/// one, from any thread, as soon as they are rendered, so the build never holds them all in
/// memory and rendering overlaps the file system's work.
///
/// Nothing shows in `out` before [`Writer::finish`]. A fresh folder is written into a staging
/// folder beside it and renamed into place at the end; in an existing folder, each changed
/// file is written beside its place and renamed over it at the end. [`Writer::abandon`], or a
/// failed write, removes what was written, leaving `out` as it was.
pub struct Writer {
    out: PathBuf,
    mode: Mode,
    /// What the manifest will record, by path.
    entries: Mutex<HashMap<String, Entry>>,
    /// Update mode: files written beside their place, to rename over it.
    staged: Mutex<Vec<(PathBuf, PathBuf)>>,
    /// Update mode: files whose place is held by a folder, or whose folder's place by a file;
    /// written only at [`Writer::finish`], since making room removes old files.
    deferred: Mutex<Vec<(String, Vec<u8>)>>,
    unchanged: AtomicUsize,
    /// The first write that failed.
    failure: Mutex<Option<OutputError>>,
}

enum Mode {
    Fresh {
        staging: PathBuf,
    },
    Update {
        old: Manifest,
        existing: BTreeSet<String>,
    },
}

impl Writer {
    /// Prepares to write into `out`, checking first that weft may; `manifest` is where the
    /// manifest of an earlier build of `out` is kept.
    pub fn begin(out: &Path, manifest: &Path) -> Result<Writer, OutputError> {
        check_output_dir(out)?;
        let mode = if out.is_dir() && !is_empty_dir(out) {
            let old = if out.join(MARKER).is_file() {
                Manifest::read(manifest)
            } else {
                Manifest::default()
            };
            Mode::Update {
                old,
                existing: existing_files(out)?,
            }
        } else {
            let staging = staging_dir(out);
            if staging.exists() {
                fs::remove_dir_all(&staging).map_err(|e| err(&staging, e))?;
            }
            if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
                fs::create_dir_all(parent).map_err(|e| err(parent, e))?;
            }
            fs::create_dir(&staging).map_err(|e| err(&staging, e))?;
            Mode::Fresh { staging }
        };
        Ok(Writer {
            out: out.to_path_buf(),
            mode,
            entries: Mutex::default(),
            staged: Mutex::default(),
            deferred: Mutex::default(),
            unchanged: AtomicUsize::new(0),
            failure: Mutex::default(),
        })
    }

    /// Writes one file (not yet visible in `out`). A failure is kept for [`Writer::finish`],
    /// and every later call does nothing.
    pub fn put(&self, path: &str, bytes: &[u8]) {
        if lock(&self.failure).is_some() {
            return;
        }
        let written = match &self.mode {
            Mode::Fresh { staging } => put_fresh(staging, path, bytes),
            Mode::Update { old, existing } => {
                if needs_room(existing, path) {
                    lock(&self.deferred).push((path.to_string(), bytes.to_vec()));
                    return;
                }
                stage_one(&self.out, path, bytes, old.entries.get(path)).map(|(entry, tmp)| {
                    match tmp {
                        Some(tmp) => lock(&self.staged).push((tmp, self.out.join(path))),
                        None => {
                            self.unchanged.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    entry
                })
            }
        };
        match written {
            Ok(entry) => {
                lock(&self.entries).insert(path.to_string(), entry);
            }
            Err(problem) => {
                lock(&self.failure).get_or_insert(problem);
            }
        }
    }

    /// Writes `rest`, the site's files not yet given to [`Writer::put`], and makes the whole
    /// site visible in `out`: files in `out` that were not written now are removed.
    pub fn finish(self, rest: &Files, books: Bookkeeping) -> Result<WriteStats, OutputError> {
        rest.par_iter()
            .for_each(|(path, content)| match read_content(content) {
                Ok(bytes) => self.put(path, &bytes),
                Err(problem) => {
                    lock(&self.failure).get_or_insert(problem);
                }
            });
        let failure = lock(&self.failure).take();
        if let Some(problem) = failure {
            self.abandon();
            return Err(problem);
        }
        let stats = match &self.mode {
            Mode::Fresh { staging } => {
                let marker = staging.join(MARKER);
                fs::write(&marker, MARKER_TEXT).map_err(|e| err(&marker, e))?;
                if self.out.is_dir() {
                    fs::remove_dir(&self.out).map_err(|e| err(&self.out, e))?;
                }
                fs::rename(staging, &self.out).map_err(|e| err(&self.out, e))?;
                WriteStats {
                    written: lock(&self.entries).len(),
                    unchanged: 0,
                    removed: 0,
                }
            }
            Mode::Update { old, existing } => self.finish_update(old, existing)?,
        };
        let manifest = Manifest {
            fingerprint: None,
            entries: std::mem::take(&mut *lock(&self.entries)),
        };
        if let Some(dir) = books.manifest.parent() {
            fs::create_dir_all(dir).map_err(|e| err(dir, e))?;
        }
        replace_file(
            books.manifest,
            manifest.render(books.fingerprint).as_bytes(),
        )?;
        Ok(stats)
    }

    /// Renames every staged file into place and removes the files the site no longer has.
    fn finish_update(
        &self,
        old: &Manifest,
        existing: &BTreeSet<String>,
    ) -> Result<WriteStats, OutputError> {
        let deferred = std::mem::take(&mut *lock(&self.deferred));
        // Make room: a file where a folder must go, a folder where a file must go.
        let mut made_room = BTreeSet::new();
        for (path, _) in &deferred {
            for (i, _) in path.match_indices('/') {
                let full = self.out.join(&path[..i]);
                if existing.contains(&path[..i]) && full.is_file() {
                    fs::remove_file(&full).map_err(|e| err(&full, e))?;
                    made_room.insert(&path[..i]);
                }
            }
            let full = self.out.join(path);
            if full.is_dir() {
                fs::remove_dir_all(&full).map_err(|e| err(&full, e))?;
                let folder = format!("{path}/");
                made_room.extend(
                    existing
                        .range(folder.clone()..)
                        .take_while(|p| p.starts_with(&folder))
                        .map(String::as_str),
                );
            }
        }
        for (path, bytes) in &deferred {
            let (entry, tmp) = stage_one(&self.out, path, bytes, old.entries.get(path))?;
            if let Some(tmp) = tmp {
                lock(&self.staged).push((tmp, self.out.join(path)));
            }
            lock(&self.entries).insert(path.clone(), entry);
        }
        let staged = std::mem::take(&mut *lock(&self.staged));
        for (tmp, full) in &staged {
            fs::rename(tmp, full).map_err(|e| err(full, e))?;
        }
        let mut stats = WriteStats {
            written: staged.len(),
            unchanged: self.unchanged.load(Ordering::Relaxed),
            removed: made_room.len(),
        };
        let entries = lock(&self.entries);
        for path in existing.iter().filter(|p| {
            !entries.contains_key(p.as_str())
                && p.as_str() != MARKER
                && !made_room.contains(p.as_str())
        }) {
            let full = self.out.join(path);
            match fs::remove_file(&full) {
                Ok(()) => stats.removed += usize::from(!path.ends_with(TMP_SUFFIX)),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(err(&full, e)),
            }
        }
        drop(entries);
        remove_empty_dirs(&self.out)?;
        let marker = self.out.join(MARKER);
        if fs::read(&marker).map_or(true, |m| m != MARKER_TEXT.as_bytes()) {
            replace_file(&marker, MARKER_TEXT.as_bytes())?;
        }
        Ok(stats)
    }

    /// Removes everything written so far; `out` stays as it was.
    pub fn abandon(self) {
        match &self.mode {
            Mode::Fresh { staging } => {
                let _ = fs::remove_dir_all(staging);
            }
            Mode::Update { .. } => {
                for (tmp, _) in lock(&self.staged).iter() {
                    let _ = fs::remove_file(tmp);
                }
                let _ = remove_empty_dirs(&self.out);
            }
        }
    }
}

/// Locks a mutex whose data stays valid even if a thread panicked while holding it.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Whether writing `path` into the existing output must first remove an old file that holds
/// the place of one of its folders, or an old folder that holds its place.
fn needs_room(existing: &BTreeSet<String>, path: &str) -> bool {
    path.match_indices('/')
        .any(|(i, _)| existing.contains(&path[..i]))
        || {
            let folder = format!("{path}/");
            existing
                .range(folder.clone()..)
                .next()
                .is_some_and(|p| p.starts_with(&folder))
        }
}

/// The folder a fresh output is built in before it is renamed into place.
fn staging_dir(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    out.with_file_name(format!(".{name}{TMP_SUFFIX}"))
}

/// Writes one file into the staging folder, making its folders when they are missing.
fn put_fresh(staging: &Path, path: &str, bytes: &[u8]) -> Result<Entry, OutputError> {
    let full = staging.join(path);
    // A page's folder is its own (`page/index.html`), so it never exists yet: make it first
    // rather than fail to create the file.
    if path.ends_with("/index.html") {
        if let Some(parent) = full.parent() {
            match fs::create_dir(parent) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    fs::create_dir_all(parent).map_err(|e| err(parent, e))?;
                }
                Err(e) if e.kind() != io::ErrorKind::AlreadyExists => return Err(err(parent, e)),
                _ => {}
            }
        }
    }
    let meta = match write_new(&full, bytes) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let parent = full.parent().unwrap_or(staging);
            fs::create_dir_all(parent).map_err(|e| err(parent, e))?;
            write_new(&full, bytes)
        }
        other => other,
    }
    .map_err(|e| err(&full, e))?;
    Ok(entry_for(bytes, &meta))
}

/// Creates `path` with `bytes` and returns its metadata, read from the open handle.
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<fs::Metadata> {
    use std::io::Write as _;
    let mut file = fs::File::create_new(path)?;
    file.write_all(bytes)?;
    file.metadata()
}

fn entry_for(bytes: &[u8], meta: &fs::Metadata) -> Entry {
    Entry {
        hash: xxh3_64(bytes),
        size: meta.len(),
        mtime: mtime_of(meta),
    }
}

fn read_content(content: &Content) -> Result<std::borrow::Cow<'_, [u8]>, OutputError> {
    Ok(match content {
        Content::Bytes(b) => b.as_slice().into(),
        Content::Static(b) => (*b).into(),
        Content::Copy(from) => fs::read(from).map_err(|e| err(from, e))?.into(),
    })
}

/// Writes one file beside its place unless it already holds the content; returns its entry
/// and the file written, to be renamed into place.
fn stage_one(
    out: &Path,
    path: &str,
    bytes: &[u8],
    old: Option<&Entry>,
) -> Result<(Entry, Option<PathBuf>), OutputError> {
    let full = out.join(path);
    let hash = xxh3_64(bytes);
    if let Ok(meta) = fs::metadata(&full) {
        if meta.is_file() && meta.len() == bytes.len() as u64 {
            let recorded = old.is_some_and(|e| e.size == meta.len() && e.mtime == mtime_of(&meta));
            let same = if recorded {
                old.is_some_and(|e| e.hash == hash)
            } else {
                fs::read(&full).is_ok_and(|on_disk| on_disk == bytes)
            };
            if same {
                return Ok((
                    Entry {
                        hash,
                        size: meta.len(),
                        mtime: mtime_of(&meta),
                    },
                    None,
                ));
            }
        } else if meta.is_dir() {
            fs::remove_dir_all(&full).map_err(|e| err(&full, e))?;
        }
    }
    let parent = full.parent().unwrap_or(out);
    fs::create_dir_all(parent).map_err(|e| err(parent, e))?;
    let tmp = write_beside(&full, bytes)?;
    // A rename keeps the modification time, so the entry holds for the renamed file.
    let meta = fs::metadata(&tmp).map_err(|e| err(&full, e))?;
    Ok((
        Entry {
            hash,
            size: meta.len(),
            mtime: mtime_of(&meta),
        },
        Some(tmp),
    ))
}

/// Writes `bytes` beside `path`, to be renamed over it; returns the file written.
fn write_beside(path: &Path, bytes: &[u8]) -> Result<PathBuf, OutputError> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = path.with_file_name(format!(".{name}{TMP_SUFFIX}"));
    fs::write(&tmp, bytes).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        err(path, e)
    })?;
    Ok(tmp)
}

/// Writes `bytes` beside `path` and renames them over it.
fn replace_file(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let tmp = write_beside(path, bytes)?;
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        err(path, e)
    })
}

/// Every file under `out`, as `/`-separated relative paths.
fn existing_files(out: &Path) -> Result<BTreeSet<String>, OutputError> {
    let mut found = BTreeSet::new();
    for entry in walkdir::WalkDir::new(out).follow_links(false) {
        let entry = entry.map_err(|e| OutputError {
            path: out.to_path_buf(),
            message: e.to_string(),
        })?;
        if entry.file_type().is_dir() {
            continue;
        }
        if let Ok(rel) = entry.path().strip_prefix(out) {
            found.insert(crate::source::display_path(rel));
        }
    }
    Ok(found)
}

fn remove_empty_dirs(out: &Path) -> Result<(), OutputError> {
    let dirs: Vec<PathBuf> = walkdir::WalkDir::new(out)
        .min_depth(1)
        .contents_first(true)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect();
    for dir in dirs {
        if is_empty_dir(&dir) {
            fs::remove_dir(&dir).map_err(|e| err(&dir, e))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn books<'a>(dir: &'a Path, fingerprint: Option<&'a str>) -> Bookkeeping<'a> {
        Bookkeeping {
            manifest: dir,
            fingerprint,
        }
    }

    /// Writes the whole of `files` into `out`, as a build with nothing streamed would.
    fn write(out: &Path, files: &Files, books: Bookkeeping) -> Result<WriteStats, OutputError> {
        Writer::begin(out, books.manifest)?.finish(files, books)
    }

    fn files(pairs: &[(&str, &str)]) -> Files {
        pairs
            .iter()
            .map(|(p, c)| (p.to_string(), Content::Bytes(c.as_bytes().to_vec())))
            .collect()
    }

    #[test]
    fn writes_changes_only_and_removes_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let manifest = dir.path().join("manifest");
        let first = write(
            &out,
            &files(&[("index.html", "a"), ("x/index.html", "b")]),
            books(&manifest, None),
        )
        .unwrap();
        assert_eq!(
            first,
            WriteStats {
                written: 2,
                unchanged: 0,
                removed: 0
            }
        );
        assert!(!staging_dir(&out).exists());
        fs::write(out.join(".index.html.weft-tmp"), "half").unwrap();
        let second = write(
            &out,
            &files(&[("index.html", "a"), ("y/index.html", "c")]),
            books(&manifest, None),
        )
        .unwrap();
        assert_eq!(
            second,
            WriteStats {
                written: 1,
                unchanged: 1,
                removed: 1
            }
        );
        assert!(!out.join("x").exists());
        assert!(!out.join(".index.html.weft-tmp").exists());
    }

    #[test]
    fn a_changed_file_of_the_same_size_is_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let manifest = dir.path().join("manifest");
        write(
            &out,
            &files(&[("a.txt", "one")]),
            books(&manifest, Some("f1")),
        )
        .unwrap();
        assert_eq!(Manifest::read(&manifest).fingerprint.as_deref(), Some("f1"));
        assert!(Manifest::read(&manifest).files_intact(&out));
        let stats = write(&out, &files(&[("a.txt", "two")]), books(&manifest, None)).unwrap();
        assert_eq!(stats.written, 1);
        assert_eq!(fs::read_to_string(out.join("a.txt")).unwrap(), "two");
        fs::write(out.join("a.txt"), "tampered").unwrap();
        assert!(!Manifest::read(&manifest).files_intact(&out));
    }

    #[test]
    fn refuses_a_folder_it_did_not_write() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("precious.txt"), "keep").unwrap();
        let manifest = dir.path().join("manifest");
        assert!(
            write(
                dir.path(),
                &files(&[("index.html", "a")]),
                books(&manifest, None)
            )
            .is_err()
        );
        assert!(dir.path().join("precious.txt").exists());
    }

    #[test]
    fn an_abandoned_write_leaves_the_output_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let manifest = dir.path().join("manifest");

        let fresh = Writer::begin(&out, &manifest).unwrap();
        fresh.put("a/index.html", b"new");
        fresh.abandon();
        assert!(!out.exists() && !staging_dir(&out).exists());

        write(
            &out,
            &files(&[("a/index.html", "old")]),
            books(&manifest, None),
        )
        .unwrap();
        let update = Writer::begin(&out, &manifest).unwrap();
        update.put("a/index.html", b"changed");
        update.put("b/index.html", b"added");
        update.abandon();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "old");
        assert!(!out.join("b").exists());
        assert_eq!(
            existing_files(&out).unwrap().len(),
            2,
            "only the page and the marker"
        );
    }

    #[test]
    fn streamed_files_count_as_part_of_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let manifest = dir.path().join("manifest");
        write(
            &out,
            &files(&[("a/index.html", "a"), ("b/index.html", "b")]),
            books(&manifest, None),
        )
        .unwrap();
        let writer = Writer::begin(&out, &manifest).unwrap();
        writer.put("a/index.html", b"a2");
        let rest = files(&[("c.txt", "c")]);
        let stats = writer.finish(&rest, books(&manifest, None)).unwrap();
        assert_eq!((stats.written, stats.removed), (2, 1));
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "a2");
        assert!(!out.join("b").exists());
    }

    #[test]
    fn a_file_and_a_folder_can_trade_places() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let manifest = dir.path().join("manifest");
        write(
            &out,
            &files(&[("x", "file"), ("y/index.html", "page")]),
            books(&manifest, None),
        )
        .unwrap();
        let writer = Writer::begin(&out, &manifest).unwrap();
        writer.put("x/index.html", b"page");
        writer.put("y", b"file");
        // Nothing old is removed before the site is complete.
        assert_eq!(fs::read_to_string(out.join("x")).unwrap(), "file");
        assert!(out.join("y/index.html").is_file());
        writer
            .finish(&Files::new(), books(&manifest, None))
            .unwrap();
        assert_eq!(
            fs::read_to_string(out.join("x/index.html")).unwrap(),
            "page"
        );
        assert_eq!(fs::read_to_string(out.join("y")).unwrap(), "file");
    }
}
