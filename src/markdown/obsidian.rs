//! Obsidian's additions to Markdown, as pure functions of text: comments, callout markers,
//! what an embed shows by its file's kind, image sizes, highlights and inline tags. The body
//! writer in [`super`] puts them into the HTML.

use std::borrow::Cow;
use std::ops::Range;

/// `text` with Obsidian's comments (`%%…%%`, inline or over lines; an unclosed one runs to the
/// end) blanked out, byte for byte, so that every offset still points into the file: they are
/// not rendered, indexed or linked. `%%` in code is code.
pub fn without_comments(text: &str) -> Cow<'_, str> {
    if !text.contains("%%") {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut blank = |range: Range<usize>| {
        for byte in &mut out[range] {
            if *byte != b'\n' {
                *byte = b' ';
            }
        }
    };
    let mut fence: Option<(u8, usize)> = None;
    let mut in_comment = false;
    let mut at = 0;
    while at < bytes.len() {
        let line_end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i + 1);
        let line = &bytes[at..line_end];
        if !in_comment {
            let indent = line.iter().take_while(|&&b| b == b' ').count();
            let marker = line
                .get(indent)
                .copied()
                .filter(|&b| b == b'`' || b == b'~');
            let run = marker.map_or(0, |m| {
                line[indent..].iter().take_while(|&&b| b == m).count()
            });
            // A backtick fence's info string has no backtick (```` ```x``` ```` is code in a line).
            let info_ok = marker != Some(b'`') || !line[indent + run..].contains(&b'`');
            let is_fence = indent < 4 && run >= 3 && info_ok;
            match fence {
                Some((m, n)) => {
                    if is_fence && marker == Some(m) && run >= n {
                        fence = None;
                    }
                    at = line_end;
                    continue;
                }
                None if is_fence => {
                    fence = marker.map(|m| (m, run));
                    at = line_end;
                    continue;
                }
                None => {}
            }
        }
        // The code spans of what is left of the line after `base`, where a comment ended.
        let mut base = at;
        let mut spans = if in_comment {
            Vec::new()
        } else {
            code_spans(line)
        };
        let mut next_span = 0;
        let mut i = at;
        while i < line_end {
            if in_comment {
                match memchr::memmem::find(&bytes[i..line_end], b"%%") {
                    Some(j) => {
                        blank(i..i + j + 2);
                        i += j + 2;
                        in_comment = false;
                        base = i;
                        spans = code_spans(&bytes[i..line_end]);
                        next_span = 0;
                    }
                    None => {
                        blank(i..line_end);
                        i = line_end;
                    }
                }
                continue;
            }
            // A code span on the line is code, `%%` and all.
            while spans
                .get(next_span)
                .is_some_and(|span| base + span.end <= i)
            {
                next_span += 1;
            }
            if let Some(span) = spans.get(next_span).filter(|span| base + span.start == i) {
                i = base + span.end;
                continue;
            }
            if bytes[i] == b'%' && bytes.get(i + 1) == Some(&b'%') {
                blank(i..i + 2);
                i += 2;
                in_comment = true;
            } else {
                i += 1;
            }
        }
        at = line_end;
    }
    // Only ASCII bytes were replaced, each by a space: the text is still UTF-8.
    Cow::Owned(String::from_utf8(out).unwrap_or_else(|_| text.to_string()))
}

/// The code spans of one line, as ranges in it: a run of backticks not escaped by `\\`, to
/// the next run of as many. In linear time: each run's next run of its length is found once.
fn code_spans(line: &[u8]) -> Vec<Range<usize>> {
    let mut runs: Vec<(usize, usize, bool)> = Vec::new();
    let mut i = 0;
    while let Some(found) = memchr::memchr(b'`', &line[i..]) {
        let start = i + found;
        let len = line[start..].iter().take_while(|&&b| b == b'`').count();
        let slashes = line[..start]
            .iter()
            .rev()
            .take_while(|&&b| b == b'\\')
            .count();
        runs.push((start, len, slashes % 2 == 1));
        i = start + len;
    }
    // For each run, the next run of the same length.
    let mut next_same = vec![None; runs.len()];
    let mut last_of_len: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    for (index, &(_, len, _)) in runs.iter().enumerate().rev() {
        next_same[index] = last_of_len.insert(len, index);
    }
    let mut spans = Vec::new();
    let mut index = 0;
    while index < runs.len() {
        let (start, _, escaped) = runs[index];
        match next_same[index] {
            Some(close) if !escaped => {
                let (close_start, close_len, _) = runs[close];
                spans.push(start..close_start + close_len);
                index = close + 1;
            }
            // No closer: the backticks are text.
            _ => index += 1,
        }
    }
    spans
}

/// The first line of a callout: `[!type]`, folded with `+` (open) or `-` (closed), and the
/// title after it.
#[derive(Debug, PartialEq, Eq)]
pub struct Marker<'t> {
    /// The type as written (`faq`).
    pub kind: &'t str,
    /// `Some(open)` for a callout that folds.
    pub fold: Option<bool>,
    /// The rest of the line: the title's start, maybe empty.
    pub rest: &'t str,
}

/// The callout marker that opens `text`, if it does.
pub fn callout_marker(text: &str) -> Option<Marker<'_>> {
    let inner = text.strip_prefix("[!")?;
    let close = inner.find(']')?;
    let kind = &inner[..close];
    let valid = !kind.is_empty()
        && kind
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    if !valid {
        return None;
    }
    let after = &inner[close + 1..];
    let (fold, rest) = match after.as_bytes().first() {
        Some(b'+') => (Some(true), &after[1..]),
        Some(b'-') => (Some(false), &after[1..]),
        _ => (None, after),
    };
    Some(Marker {
        kind,
        fold,
        rest: rest.trim_start(),
    })
}

/// A callout type's canonical name (Obsidian's aliases: `faq` is `question`), and the colour
/// family of the theme's alerts it is drawn in. A type Obsidian does not know is its own name,
/// drawn as a note.
pub fn callout_kind(kind: &str) -> (String, &'static str) {
    let lower = kind.to_lowercase();
    let (canonical, colour) = match lower.as_str() {
        "note" => ("note", "note"),
        "abstract" | "summary" | "tldr" => ("abstract", "note"),
        "info" => ("info", "note"),
        "todo" => ("todo", "note"),
        "tip" | "hint" => ("tip", "tip"),
        "important" => ("important", "important"),
        "success" | "check" | "done" => ("success", "tip"),
        "question" | "help" | "faq" => ("question", "important"),
        "warning" | "attention" => ("warning", "warning"),
        "caution" => ("caution", "caution"),
        "failure" | "fail" | "missing" => ("failure", "caution"),
        "danger" | "error" => ("danger", "caution"),
        "bug" => ("bug", "caution"),
        "example" => ("example", "important"),
        "quote" | "cite" => ("quote", "note"),
        _ => return (lower, "note"),
    };
    (canonical.to_string(), colour)
}

/// The title a callout without one shows: its type as written, capitalised.
pub fn default_title(kind: &str) -> String {
    let mut chars = kind.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// What an embed (`![[x]]`, `![alt](x)`) shows, by the kind of file it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Embed {
    /// A picture: `<img>`.
    Picture,
    /// `<video controls>`.
    Video,
    /// `<audio controls>`.
    Audio,
    /// A PDF, shown in the page with a link to it.
    Pdf,
    /// A note (or a part of one), its content shown in place.
    Note,
    /// Any other file: a link to it.
    File,
}

/// What an embed of `dest` shows. An external address is taken for a picture.
pub fn embed_of(dest: &str) -> Embed {
    if super::is_external(dest) {
        return Embed::Picture;
    }
    let path = dest.split(['#', '?']).next().unwrap_or(dest);
    let name = path.rsplit('/').next().unwrap_or(path);
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match extension.as_deref() {
        Some(
            "png" | "jpg" | "jpeg" | "gif" | "webp" | "svg" | "avif" | "bmp" | "ico" | "apng"
            | "jfif" | "tif" | "tiff",
        ) => Embed::Picture,
        Some("mp4" | "webm" | "ogv" | "mov" | "mkv" | "m4v") => Embed::Video,
        Some("mp3" | "wav" | "ogg" | "oga" | "m4a" | "flac" | "opus" | "3gp") => Embed::Audio,
        Some("pdf") => Embed::Pdf,
        None | Some("md") => Embed::Note,
        // Not an extension but part of a name: `v1.2 notes`.
        Some(e) if e.chars().any(|c| !c.is_ascii_alphanumeric()) || e.len() > 5 => Embed::Note,
        Some(_) => Embed::File,
    }
}

/// A size written in an embed's text: `300` (width) or `300x200` (width and height).
pub fn size_of(text: &str) -> Option<(u32, Option<u32>)> {
    let text = text.trim();
    let (width, height) = match text.split_once('x') {
        Some((w, h)) => (w, Some(h)),
        None => (text, None),
    };
    let number = |s: &str| {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let width = number(width)?;
    match height {
        Some(h) => Some((width, Some(number(h)?))),
        None => Some((width, None)),
    }
}

/// An embed's text read as Obsidian reads it: `alt|300`, `300x200` or `alt`; the alt text and
/// the size.
pub fn alt_and_size(text: &str) -> (&str, Option<(u32, Option<u32>)>) {
    if let Some(size) = size_of(text) {
        return ("", Some(size));
    }
    match text.rsplit_once('|') {
        Some((alt, size)) => match size_of(size) {
            Some(size) => (alt.trim(), Some(size)),
            None => (text, None),
        },
        None => (text, None),
    }
}

/// A piece of text as highlights and inline tags cut it.
#[derive(Debug, PartialEq, Eq)]
pub enum Piece<'t> {
    /// Plain text.
    Text(&'t str),
    /// `==`, where a highlight may open or close.
    Mark,
    /// `#tag` (without the `#`).
    Tag(&'t str),
}

/// Cuts `text` at `==` and at inline tags. `after_space` says whether the text follows a space
/// or a line's start (an inline tag must).
pub fn pieces(text: &str, after_space: bool) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        // `==` between spaces (`a == b`) is no highlight's edge; at the text's end, what is
        // next is not known here, so it may be one.
        let spaced = |at: Option<char>| at.is_some_and(char::is_whitespace);
        let lone = || spaced(text[..i].chars().next_back()) && spaced(text[i + 2..].chars().next());
        if bytes[i] == b'=' && bytes.get(i + 1) == Some(&b'=') && !lone() {
            if start < i {
                pieces.push(Piece::Text(&text[start..i]));
            }
            pieces.push(Piece::Mark);
            i += 2;
            start = i;
            continue;
        }
        let boundary = || {
            if i == 0 {
                after_space
            } else {
                text[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_whitespace() || c == '(')
            }
        };
        if bytes[i] == b'#' && boundary() {
            let tag_len = tag_length(&text[i + 1..]);
            if tag_len > 0 {
                if start < i {
                    pieces.push(Piece::Text(&text[start..i]));
                }
                pieces.push(Piece::Tag(&text[i + 1..i + 1 + tag_len]));
                i += 1 + tag_len;
                start = i;
                continue;
            }
        }
        i += 1;
    }
    if start < bytes.len() {
        pieces.push(Piece::Text(&text[start..]));
    }
    pieces
}

/// The length of the tag that `text` (after a `#`) starts with, or 0: letters, digits, `_`,
/// `-` and `/`, not only digits, not ending in `/`.
fn tag_length(text: &str) -> usize {
    let len: usize = text
        .chars()
        .take_while(|&c| c.is_alphanumeric() || matches!(c, '_' | '-' | '/'))
        .map(char::len_utf8)
        .sum();
    let tag = text[..len].trim_end_matches('/');
    if tag.chars().all(|c| c.is_ascii_digit()) {
        0
    } else {
        tag.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callout_markers() {
        assert_eq!(
            callout_marker("[!faq]- Why?"),
            Some(Marker {
                kind: "faq",
                fold: Some(false),
                rest: "Why?"
            })
        );
        assert_eq!(callout_marker("[!tip]+").map(|m| m.fold), Some(Some(true)));
        assert_eq!(
            callout_marker("[!my-type] T").map(|m| m.kind),
            Some("my-type")
        );
        assert_eq!(callout_marker("[! x]"), None);
        assert_eq!(callout_marker("[link]"), None);
        assert_eq!(callout_kind("FAQ"), ("question".into(), "important"));
        assert_eq!(callout_kind("recipe"), ("recipe".into(), "note"));
    }

    #[test]
    fn comments_in_and_out_of_code() {
        let blank = |t: &str| without_comments(t).into_owned();
        // An escaped backtick opens no code span; a backtick fence has no backtick after it.
        assert_eq!(blank("a \\`%%x%%\\` b"), "a \\`     \\` b");
        assert_eq!(blank("```x``` code\n%%s%%"), "```x``` code\n     ");
        assert_eq!(blank("`%%k%%` %%c%%"), "`%%k%%`      ");
        assert_eq!(blank("``a`%%b%%``"), "``a`%%b%%``");
        // Backtick runs with no closers, of every length: linear, and text.
        let line: String = (1..300).map(|n| "`".repeat(n) + "x").collect();
        let text = format!("%%c%%\n{line}");
        assert_eq!(blank(&text).len(), text.len());
    }

    #[test]
    fn embeds_by_kind_and_size() {
        assert_eq!(embed_of("a b.png"), Embed::Picture);
        assert_eq!(embed_of("clip.MP4"), Embed::Video);
        assert_eq!(embed_of("sound.ogg"), Embed::Audio);
        assert_eq!(embed_of("doc.pdf#page=3"), Embed::Pdf);
        assert_eq!(embed_of("Note#Heading"), Embed::Note);
        assert_eq!(embed_of("Node.js"), Embed::File);
        assert_eq!(embed_of("v1.2 notes"), Embed::Note);
        assert_eq!(embed_of("data.csv"), Embed::File);
        assert_eq!(alt_and_size("300"), ("", Some((300, None))));
        assert_eq!(alt_and_size("300x200"), ("", Some((300, Some(200)))));
        assert_eq!(alt_and_size("A map|640"), ("A map", Some((640, None))));
        assert_eq!(alt_and_size("A map"), ("A map", None));
    }

    #[test]
    fn highlights_and_tags() {
        assert_eq!(
            pieces("a ==b== #tag/sub, #123 c#d (#e)", true),
            [
                Piece::Text("a "),
                Piece::Mark,
                Piece::Text("b"),
                Piece::Mark,
                Piece::Text(" "),
                Piece::Tag("tag/sub"),
                Piece::Text(", #123 c#d ("),
                Piece::Tag("e"),
                Piece::Text(")"),
            ]
        );
        assert_eq!(pieces("#x", false), [Piece::Text("#x")]);
        assert_eq!(pieces("a == b == c", false), [Piece::Text("a == b == c")]);
        // Non-ASCII text before `#` and `=`.
        assert_eq!(
            pieces("Ça va #bien, café = 1", true),
            [
                Piece::Text("Ça va "),
                Piece::Tag("bien"),
                Piece::Text(", café = 1")
            ]
        );
    }
}
