//! Discovery: walks the content folder and `static/` and reads the Markdown. Reads, never
//! writes. The content folder is `content/`, or whatever `weft.yaml` names, or the site's
//! folder itself: then weft's own folders, dot-folders, `node_modules/` and any folder weft
//! wrote a site into are not content.

use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::{CONFIG_FILE, SiteConfig};
use crate::diag::{Code, Diagnostic};
use crate::output::MARKER;
use crate::source::{Source, SourceFile, display_path};

/// The largest Markdown file weft reads; larger ones are refused with a diagnostic.
pub const MAX_PAGE_BYTES: u64 = 10_000_000;

/// A Markdown file read from the content folder.
#[derive(Debug)]
pub struct MarkdownFile {
    /// Path relative to the content folder, e.g. `european-union/ran-coe.md`.
    pub rel: PathBuf,
    /// The file's text (path shown relative to the site root).
    pub source: Source,
}

/// A file copied as is: a page-bundle asset, a file beside content, or a static file.
#[derive(Debug, Clone)]
pub struct AssetFile {
    /// Path relative to the folder it was found in (`content/` or `static/`).
    pub rel: PathBuf,
    /// Where to read it.
    pub abs: PathBuf,
}

/// Everything found under the site root.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Markdown under `content/`, sorted by path.
    pub markdown: Vec<MarkdownFile>,
    /// Other files under `content/`, sorted by path.
    pub content_assets: Vec<AssetFile>,
    /// Files under `static/`, sorted by path.
    pub statics: Vec<AssetFile>,
}

/// A folder of source files that discovery walks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folder {
    /// The content folder: Markdown pages and the files beside them.
    Content,
    /// `static/`: files copied as they are.
    Static,
}

impl Folder {
    /// Every source folder.
    pub const ALL: [Folder; 2] = [Folder::Content, Folder::Static];
}

/// The folders of weft's own besides the content folder: `static/`, the templates, themes and
/// the theme's words (`i18n/`).
pub const SOURCE_FOLDERS: [&str; 4] = ["static", "templates", "themes", "i18n"];

/// Where a site's sources are, and which files in them are read.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The content folder, relative to the site's folder; empty for the folder itself.
    pub content: PathBuf,
    /// The `ignore` globs of `weft.yaml`, matched against paths in the content folder.
    ignore: globset::GlobSet,
}

impl Default for Layout {
    /// A site's usual layout: `content/`, nothing ignored.
    fn default() -> Layout {
        Layout {
            content: PathBuf::from(crate::config::CONTENT_DIR),
            ignore: globset::GlobSet::empty(),
        }
    }
}

impl Layout {
    /// The layout `config` describes.
    pub fn new(config: &SiteConfig) -> Layout {
        Layout {
            content: config.content_dir(),
            ignore: config.ignored(),
        }
    }

    /// A source folder, relative to the site's folder.
    pub fn dir(&self, folder: Folder) -> &Path {
        match folder {
            Folder::Content => &self.content,
            Folder::Static => Path::new("static"),
        }
    }

    /// The folder a path (relative to the site's folder) is in, and its path in there; `None`
    /// for a path that is in no source folder or that discovery skips.
    pub fn place(&self, rel: &Path) -> Option<(Folder, PathBuf)> {
        if let Ok(under) = rel.strip_prefix(self.dir(Folder::Static)) {
            return Some((Folder::Static, under.to_path_buf()));
        }
        let under = rel.strip_prefix(&self.content).ok()?;
        let skipped = under.components().enumerate().any(|(depth, part)| {
            let name = part.as_os_str().to_string_lossy();
            self.skips_name(&name, depth + 1)
        });
        (!skipped && !self.ignores(under)).then(|| (Folder::Content, under.to_path_buf()))
    }

    /// Whether the content folder is the site's folder itself.
    pub fn is_root(&self) -> bool {
        self.content.as_os_str().is_empty()
    }

    /// Whether a file or folder called `name`, `depth` levels down the content folder, is
    /// never content.
    fn skips_name(&self, name: &str, depth: usize) -> bool {
        is_ignored_name(name)
            || name == "node_modules"
            || (self.is_root()
                && depth == 1
                && (name == CONFIG_FILE || SOURCE_FOLDERS.contains(&name)))
    }

    /// Whether `under` (a path in the content folder) matches an `ignore` glob.
    fn ignores(&self, under: &Path) -> bool {
        !self.ignore.is_empty() && self.ignore.is_match(under)
    }
}

/// Whether a file name is an editor's temporary or backup file, or hidden.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
}

/// Walks the site under `root`, reading every Markdown file in parallel.
pub fn discover(root: &Path, layout: &Layout, diagnostics: &mut Vec<Diagnostic>) -> Discovered {
    let content = walk_under(root, layout, Folder::Content, Path::new(""), diagnostics);
    let statics = walk_under(root, layout, Folder::Static, Path::new(""), diagnostics);
    let (markdown_paths, content_assets): (Vec<_>, Vec<_>) =
        content.into_iter().partition(|f| is_markdown(&f.rel));
    let read: Vec<Result<MarkdownFile, Diagnostic>> = markdown_paths
        .par_iter()
        .map(|file| read_markdown(file, &layout.content))
        .collect();
    let mut markdown = Vec::with_capacity(read.len());
    for result in read {
        match result {
            Ok(file) => markdown.push(file),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    Discovered {
        markdown,
        content_assets,
        statics,
    }
}

/// Whether a file in the content folder is a page.
pub fn is_markdown(rel: &Path) -> bool {
    rel.extension().is_some_and(|e| e == "md")
}

/// The files under `under` (a file or folder, relative to `folder`), as [`discover`] finds
/// them: for `weft serve`, which looks again only where something changed.
pub fn walk_under(
    root: &Path,
    layout: &Layout,
    folder: Folder,
    under: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<AssetFile> {
    let dir = layout.dir(folder);
    let start = root.join(dir).join(under);
    if !root.join(dir).is_dir() || start.symlink_metadata().is_err() {
        return Vec::new();
    }
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let skip = |rel: &Path, depth: usize, name: &str, is_dir: bool, path: &Path| {
        folder == Folder::Content
            && (layout.skips_name(name, depth)
                || layout.ignores(rel)
                || (is_dir && path.join(MARKER).is_file()))
    };
    walk(root, &canonical_root, dir, under, &skip, diagnostics)
}

/// Walks `folder` (relative to `root`) at or under `under`, leaving out what `skip` says of a
/// path in the folder, its depth there, its name, whether it is a folder, and its full path.
fn walk(
    root: &Path,
    canonical_root: &Path,
    folder: &Path,
    under: &Path,
    skip: &dyn Fn(&Path, usize, &str, bool, &Path) -> bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<AssetFile> {
    let base = root.join(folder);
    if !base.is_dir() {
        return Vec::new();
    }
    // The folder itself may be a symbolic link, but only to a folder inside the site.
    let inside = base
        .canonicalize()
        .is_ok_and(|target| target.starts_with(canonical_root));
    if base.is_symlink() && !inside {
        diagnostics.push(outside_root(folder, "folder"));
        return Vec::new();
    }
    let depth_of_under = under.components().count();
    let mut files = Vec::new();
    // A symbolic link met below the folder is not followed; neither is one that `under` names.
    let walker = WalkDir::new(base.join(under))
        .follow_root_links(under.as_os_str().is_empty())
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            let rel = e.path().strip_prefix(&base).unwrap_or(e.path());
            let name = e.file_name().to_string_lossy();
            let is_dir = e.file_type().is_dir();
            !is_ignored_name(&name)
                && !skip(rel, depth_of_under + e.depth(), &name, is_dir, e.path())
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                diagnostics.push(Diagnostic::error(
                    Code::Io,
                    format!("cannot read {}: {err}", base.display()),
                ));
                continue;
            }
        };
        let Ok(rel) = entry.path().strip_prefix(&base) else {
            continue;
        };
        let shown = folder.join(rel);
        if entry.path_is_symlink() {
            match entry.path().canonicalize() {
                Ok(target) if target.starts_with(canonical_root) && target.is_file() => {}
                Ok(target) if target.starts_with(canonical_root) => continue,
                _ => {
                    diagnostics.push(outside_root(&shown, "file"));
                    continue;
                }
            }
        } else if !entry.file_type().is_file() {
            continue;
        }
        files.push(AssetFile {
            rel: rel.to_path_buf(),
            abs: entry.path().to_path_buf(),
        });
    }
    files
}

/// A symbolic link at `shown` (relative to the site's root) that leads out of the site; `what`
/// it should be instead: a `file` or a `folder`.
fn outside_root(shown: &Path, what: &str) -> Diagnostic {
    Diagnostic::error(
        Code::OutsideRoot,
        format!(
            "`{}` is a symbolic link that points outside the site",
            display_path(shown)
        ),
    )
    .help(format!(
        "weft reads only files inside the site's folder; copy the {what} in instead"
    ))
}

/// Reads one Markdown file of the content folder `content` (relative to the site's folder),
/// refusing files too large or not UTF-8.
pub fn read_markdown(file: &AssetFile, content: &Path) -> Result<MarkdownFile, Diagnostic> {
    let shown = content.join(&file.rel);
    let cannot_read = |err: std::io::Error| {
        Diagnostic::error(
            Code::Io,
            format!("cannot read {}: {err}", display_path(&shown)),
        )
    };
    let too_large = |size: u64| {
        Diagnostic::error(
            Code::PageTooLarge,
            format!(
                "`{}` is {:.1} MB; weft reads pages up to {} MB",
                display_path(&shown),
                size as f64 / 1e6,
                MAX_PAGE_BYTES / 1_000_000
            ),
        )
        .help("split the page into several pages, or move large data into static/ and link to it")
    };
    // One open serves the size check and the read.
    let opened = std::fs::File::open(&file.abs).map_err(cannot_read)?;
    let size = opened.metadata().map_err(cannot_read)?.len();
    if size > MAX_PAGE_BYTES {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // Through `take`, which also keeps `read_to_end` from asking the file its size again, and
    // stops a file that has grown since just past the limit.
    opened
        .take(MAX_PAGE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot_read)?;
    if bytes.len() as u64 > MAX_PAGE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    crate::markdown::prepare_for(&bytes);
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(err.as_bytes()).into_owned();
            let source = SourceFile::new(shown, lossy);
            let offset = String::from_utf8_lossy(&err.as_bytes()[..valid]).len();
            return Err(
                Diagnostic::error(Code::InvalidUtf8, "file is not valid UTF-8")
                    .at(&source, offset..offset + '\u{FFFD}'.len_utf8())
                    .label("this byte is not UTF-8")
                    .help("save the file as UTF-8 in your editor"),
            );
        }
    };
    // NUL never reaches the output: the renderer uses it to mark links it fills in later.
    let text = if text.contains('\0') {
        text.replace('\0', "\u{FFFD}")
    } else {
        text
    };
    Ok(MarkdownFile {
        rel: file.rel.clone(),
        source: SourceFile::new(shown, text),
    })
}

/// A fingerprint of every input of a build: the names, sizes and modification times of the
/// config and of every file in the content folder, `static/`, `templates/` and `themes/`,
/// plus `salt` (the weft binary and the build options). Reads metadata only.
pub fn fingerprint(root: &Path, layout: &Layout, salt: &str) -> String {
    // Walk in order, then read the metadata on all cores: it is one call per file.
    let mut paths = vec![Some(root.join(CONFIG_FILE))];
    for folder in Folder::ALL {
        let files = walk_under(root, layout, folder, Path::new(""), &mut Vec::new());
        paths.extend(files.into_iter().map(|f| Some(f.abs)));
    }
    for folder in ["templates", "themes", crate::i18n::WORDS_DIR] {
        let walker = WalkDir::new(root.join(folder))
            .follow_links(false)
            .sort_by_file_name();
        paths.extend(
            walker
                .into_iter()
                .map(|entry| entry.ok().map(walkdir::DirEntry::into_path)),
        );
    }
    let stamps: Vec<(u64, u128)> = paths
        .par_iter()
        .map(|path| {
            let meta = path.as_ref().and_then(|p| std::fs::metadata(p).ok());
            let size = meta.as_ref().map_or(0, std::fs::Metadata::len);
            let mtime = meta
                .and_then(|m| m.modified().ok())
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            (size, mtime)
        })
        .collect();
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(salt.as_bytes());
    for (path, (size, mtime)) in paths.iter().zip(stamps) {
        match path {
            Some(path) => {
                hasher.update(path.as_os_str().as_encoded_bytes());
                hasher.update(&size.to_le_bytes());
                hasher.update(&mtime.to_le_bytes());
            }
            None => hasher.update(b"unreadable"),
        }
    }
    format!("{:016x}", hasher.digest())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_editor_files() {
        for name in [
            ".ran.md.swp",
            "ran.md~",
            "#ran.md#",
            "4913",
            ".#ran.md",
            ".DS_Store",
        ] {
            assert!(is_ignored_name(name), "{name}");
        }
        assert!(!is_ignored_name("ran-coe.md"));
    }
}
