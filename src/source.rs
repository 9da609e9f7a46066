//! Source files: the text every diagnostic span points into.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One file read from the site, with the byte offsets of its lines for span lookups.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the site root, as shown to the user (`content/eu/ran-coe.md`).
    pub path: PathBuf,
    /// The whole text of the file.
    pub text: String,
    line_starts: Vec<usize>,
    /// A hash of `text`, made on first use (`weft serve` compares files by it).
    hash: std::sync::OnceLock<u64>,
    /// A hash of `path`, made on first use.
    path_hash: std::sync::OnceLock<u64>,
}

/// A shared handle to a source file; diagnostics and pages hold these.
pub type Source = Arc<SourceFile>;

impl SourceFile {
    /// Wraps `text` read from `path` (relative to the site root).
    pub fn new(path: impl Into<PathBuf>, text: String) -> Source {
        let line_starts = std::iter::once(0)
            .chain(memchr_newlines(&text).map(|i| i + 1))
            .collect();
        Arc::new(SourceFile {
            path: path.into(),
            text,
            line_starts,
            hash: std::sync::OnceLock::new(),
            path_hash: std::sync::OnceLock::new(),
        })
    }

    /// A hash of the path, made once: names the file in `weft serve`'s fingerprints.
    pub fn path_hash(&self) -> u64 {
        *self
            .path_hash
            .get_or_init(|| xxhash_rust::xxh3::xxh3_64(self.path.as_os_str().as_encoded_bytes()))
    }

    /// A hash of the text, made once.
    pub fn text_hash(&self) -> u64 {
        *self
            .hash
            .get_or_init(|| xxhash_rust::xxh3::xxh3_64(self.text.as_bytes()))
    }

    /// The 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = self.text[start..floor_char_boundary(&self.text, offset)]
            .chars()
            .count();
        (line + 1, col + 1)
    }

    /// The byte range of the whole lines that `span` touches (without the final newline).
    pub fn lines_around(&self, span: &Range<usize>) -> Range<usize> {
        let first = self.line_starts.partition_point(|&s| s <= span.start) - 1;
        let last_offset = span.end.max(span.start);
        let last = self.line_starts.partition_point(|&s| s <= last_offset) - 1;
        let start = self.line_starts[first];
        let end = self
            .line_starts
            .get(last + 1)
            .map_or(self.text.len(), |&s| s.saturating_sub(1));
        start..end.max(start)
    }

    /// The byte offset where the given 1-based line starts, clamped to the file.
    pub fn offset_of_line(&self, line: usize) -> usize {
        self.line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }

    /// The file name shown to the user, with `/` separators on every platform.
    pub fn display_path(&self) -> String {
        display_path(&self.path)
    }
}

/// Shows a relative path with `/` separators.
pub fn display_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The largest char boundary at or below `i`.
pub fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'\n', text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let file = SourceFile::new("a.md", "ab\ncé d\n".to_string());
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(3), (2, 1));
        assert_eq!(file.line_col(6), (2, 3));
        assert_eq!(file.lines_around(&(4..5)), 3..8);
    }
}
