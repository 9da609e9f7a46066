//! Output: writes the built site into the output folder, only after the whole build has
//! succeeded. Each file is written beside its place and renamed over it, unchanged files are
//! left alone, and files the site no longer produces are removed.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// Marks a folder as weft's output, so that weft never cleans a folder it did not write.
pub const MARKER: &str = ".weft-output";
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

/// The whole site as files: URL-style relative path → content.
pub type Files = BTreeMap<String, Content>;

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
    OutputError {
        path: path.to_path_buf(),
        message: error.to_string(),
    }
}

/// Checks that `out` may be written by weft: absent, empty, or written by weft before.
pub fn check_output_dir(out: &Path) -> Result<(), OutputError> {
    if out.exists() && !out.is_dir() {
        return Err(OutputError {
            path: out.to_path_buf(),
            message: "exists and is not a folder".into(),
        });
    }
    if !out.is_dir() || out.join(MARKER).is_file() {
        return Ok(());
    }
    let mut entries = fs::read_dir(out).map_err(|e| err(out, e))?;
    if entries.next().is_some() {
        return Err(OutputError {
            path: out.to_path_buf(),
            message: format!(
                "the folder is not empty and was not written by weft (it has no {MARKER}); \
                 weft removes files it did not produce, so it will not build into it: \
                 choose another --output or empty the folder"
            ),
        });
    }
    Ok(())
}

/// Writes `files` into `out`, replacing each changed file atomically and removing the rest.
pub fn write(out: &Path, files: &Files) -> Result<WriteStats, OutputError> {
    check_output_dir(out)?;
    fs::create_dir_all(out).map_err(|e| err(out, e))?;
    let existing = existing_files(out)?;

    // Paths where a folder must give way to a file or the other way round.
    let dirs_needed: BTreeSet<&str> = files
        .keys()
        .flat_map(|p| p.match_indices('/').map(move |(i, _)| &p[..i]))
        .collect();
    for path in existing.iter().filter(|p| dirs_needed.contains(p.as_str())) {
        let full = out.join(path);
        fs::remove_file(&full).map_err(|e| err(&full, e))?;
    }
    for path in files.keys() {
        let full = out.join(path);
        if full.is_dir() {
            fs::remove_dir_all(&full).map_err(|e| err(&full, e))?;
        }
    }
    let dirs: BTreeSet<PathBuf> = files
        .keys()
        .filter_map(|p| Path::new(p).parent().map(|d| out.join(d)))
        .collect();
    for dir in &dirs {
        fs::create_dir_all(dir).map_err(|e| err(dir, e))?;
    }

    let results: Vec<Result<bool, OutputError>> = files
        .par_iter()
        .map(|(path, content)| write_one(&out.join(path), content))
        .collect();
    let mut stats = WriteStats::default();
    for result in results {
        if result? {
            stats.written += 1;
        } else {
            stats.unchanged += 1;
        }
    }

    for path in existing
        .iter()
        .filter(|p| !files.contains_key(p.as_str()) && p.as_str() != MARKER)
    {
        let full = out.join(path);
        match fs::remove_file(&full) {
            Ok(()) => stats.removed += usize::from(!path.ends_with(TMP_SUFFIX)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(err(&full, e)),
        }
    }
    remove_empty_dirs(out)?;
    let marker = out.join(MARKER);
    if !marker.is_file() {
        fs::write(
            &marker,
            "This folder is written by weft; files it does not produce are removed.\n",
        )
        .map_err(|e| err(&marker, e))?;
    }
    Ok(stats)
}

/// Writes one file unless it already holds `content`; returns whether it wrote.
fn write_one(path: &Path, content: &Content) -> Result<bool, OutputError> {
    let bytes: std::borrow::Cow<[u8]> = match content {
        Content::Bytes(b) => b.as_slice().into(),
        Content::Static(b) => (*b).into(),
        Content::Copy(from) => fs::read(from).map_err(|e| err(from, e))?.into(),
    };
    if let Ok(meta) = fs::metadata(path) {
        if meta.is_file()
            && meta.len() == bytes.len() as u64
            && fs::read(path).is_ok_and(|old| old == *bytes)
        {
            return Ok(false);
        }
    }
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = path.with_file_name(format!(".{name}{TMP_SUFFIX}"));
    fs::write(&tmp, &bytes).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        err(path, e)
    })?;
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        err(path, e)
    })?;
    Ok(true)
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
        .map(|e| e.into_path())
        .collect();
    for dir in dirs {
        if fs::read_dir(&dir).is_ok_and(|mut d| d.next().is_none()) {
            fs::remove_dir(&dir).map_err(|e| err(&dir, e))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let first = write(&out, &files(&[("index.html", "a"), ("x/index.html", "b")])).unwrap();
        assert_eq!(
            first,
            WriteStats {
                written: 2,
                unchanged: 0,
                removed: 0
            }
        );
        fs::write(out.join(".index.html.weft-tmp"), "half").unwrap();
        let second = write(&out, &files(&[("index.html", "a"), ("y/index.html", "c")])).unwrap();
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
    fn refuses_a_folder_it_did_not_write() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("precious.txt"), "keep").unwrap();
        assert!(write(dir.path(), &files(&[("index.html", "a")])).is_err());
        assert!(dir.path().join("precious.txt").exists());
    }
}
