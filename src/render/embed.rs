//! Notes shown in place (`![[Note]]`, `![[Note#Heading]]`, `![[Note#^block]]`): the part of
//! the note's HTML an embed shows, without the ids that belong to the note's own page.

use pulldown_cmark_escape::escape_html;

use crate::markdown::Heading;
use crate::site::PageId;

use crate::links::{MAX_EMBED_DEPTH as MAX_DEPTH, MAX_EMBEDS_SHOWN as MAX_SHOWN};

/// The embeds being filled in for one page: the notes open now, from the page down, and how
/// many were shown.
pub struct Embeds {
    /// The page and the notes being shown in it, in order: a note already here would be a cycle.
    pub chain: Vec<PageId>,
    /// How many notes were shown in the page so far.
    pub shown: usize,
}

impl Embeds {
    /// Whether one more note, `note`, may be shown in place now.
    pub fn may_show(&self, note: PageId) -> bool {
        !self.chain.contains(&note) && self.chain.len() <= MAX_DEPTH && self.shown < MAX_SHOWN
    }
}

/// The part of a note's `html` that `anchor` names: the section under a heading (up to the
/// next heading of its level or above), the block named `^id`, or all of it.
pub fn part<'h>(html: &'h str, anchor: Option<&str>, headings: &[Heading]) -> &'h str {
    let Some(anchor) = anchor else {
        return html;
    };
    let found = if anchor.starts_with('^') {
        block(html, anchor)
    } else {
        section(html, anchor, headings)
    };
    found.unwrap_or(html)
}

/// The section under the heading with id `anchor`.
fn section<'h>(html: &'h str, anchor: &str, headings: &[Heading]) -> Option<&'h str> {
    let level = headings.iter().find(|h| h.id == anchor)?.level;
    let mut open = format!("<h{level} id=\"");
    let _ = escape_html(&mut open, anchor);
    open.push('"');
    let start = html.find(&open)?;
    let mut at = start + open.len();
    while let Some(found) = html[at..].find("<h") {
        let tag = at + found;
        let bytes = html.as_bytes();
        let digit = bytes.get(tag + 2).copied().unwrap_or(0);
        // The note's own headings have ids; those of notes it shows in place have none.
        if (b'1'..=b'0' + level).contains(&digit) && html[tag + 3..].starts_with(" id=\"") {
            return Some(&html[start..tag]);
        }
        at = tag + 2;
    }
    Some(&html[start..])
}

/// The paragraph or list item with id `anchor` (`^id`); for a block named by a `^id` on a line
/// of its own, the block after the anchor that names it.
fn block<'h>(html: &'h str, anchor: &str) -> Option<&'h str> {
    let mut attribute = String::from(" id=\"");
    let _ = escape_html(&mut attribute, anchor);
    attribute.push('"');
    let at = html.find(&attribute)?;
    let start = html[..at].rfind('<')?;
    let name = &html[start + 1..at];
    if name == "span" {
        let after = start + html[start..].find("</span>")? + "</span>".len();
        let next = after + html[after..].find('<')?;
        return element(html, next);
    }
    element(html, start)
}

/// The element that opens at `start` in `html`, up to its matching closing tag.
fn element(html: &str, start: usize) -> Option<&str> {
    let rest = &html[start + 1..];
    let name_len = rest.find(|c: char| !c.is_ascii_alphanumeric())?;
    let name = &rest[..name_len];
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let mut depth = 0usize;
    let mut at = start;
    loop {
        let next_open = html[at..].find(&open).map(|i| at + i);
        let next_close = html[at..].find(&close).map(|i| at + i)?;
        match next_open {
            Some(o) if o < next_close => {
                let after = html.as_bytes().get(o + open.len()).copied().unwrap_or(0);
                if after == b' ' || after == b'>' {
                    depth += 1;
                }
                at = o + open.len();
            }
            _ => {
                depth = depth.saturating_sub(1);
                at = next_close + close.len();
                if depth == 0 {
                    return Some(&html[start..at]);
                }
            }
        }
    }
}

/// `html` without its `id` attributes and heading anchors, which belong to the note's own page.
pub fn without_ids(html: &str) -> String {
    const ANCHOR: &str = "<a class=\"anchor\" href=\"#";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        let id = rest.find(" id=\"");
        let anchor = rest.find(ANCHOR);
        let next = match (id, anchor) {
            (Some(i), Some(a)) => i.min(a),
            (Some(i), None) => i,
            (None, Some(a)) => a,
            (None, None) => break,
        };
        out.push_str(&rest[..next]);
        let skipped = if Some(next) == anchor {
            rest[next..].find("</a>").map(|e| e + "</a>".len())
        } else {
            rest[next + 5..].find('"').map(|e| 5 + e + 1)
        };
        match skipped {
            Some(len) => rest = &rest[next + len..],
            None => {
                rest = &rest[next..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(level: u8, id: &str) -> Heading {
        Heading {
            level,
            id: id.into(),
            title: id.into(),
        }
    }

    #[test]
    fn parts_of_a_note() {
        let html = "<p>Intro</p>\n<h2 id=\"a\">A<a class=\"anchor\" href=\"#a\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h2>\n<p>In A</p>\n<div class=\"embed\"><h2>Shown</h2></div>\n<h3 id=\"b\">B</h3>\n<p id=\"^x\">Block</p>\n<h2 id=\"c\">C</h2>\n<ul>\n<li id=\"^y\">one<ul><li>sub</li></ul></li>\n<li>two</li>\n</ul>\n<span id=\"^t\"></span><table><tr><td>1</td></tr></table>\n";
        let headings = [heading(2, "a"), heading(3, "b"), heading(2, "c")];
        let a = part(html, Some("a"), &headings);
        assert!(
            a.starts_with("<h2 id=\"a\">") && a.ends_with("<p id=\"^x\">Block</p>\n"),
            "{a}"
        );
        assert_eq!(part(html, Some("^x"), &headings), "<p id=\"^x\">Block</p>");
        assert_eq!(
            part(html, Some("^y"), &headings),
            "<li id=\"^y\">one<ul><li>sub</li></ul></li>"
        );
        assert_eq!(
            part(html, Some("^t"), &headings),
            "<table><tr><td>1</td></tr></table>"
        );
        assert_eq!(part(html, None, &headings), html);
        assert_eq!(
            without_ids(a),
            "<h2>A</h2>\n<p>In A</p>\n<div class=\"embed\"><h2>Shown</h2></div>\n<h3>B</h3>\n<p>Block</p>\n"
        );
    }

    #[test]
    fn cycles_and_bounds() {
        let mut embeds = Embeds {
            chain: vec![PageId(0), PageId(1)],
            shown: 0,
        };
        assert!(!embeds.may_show(PageId(0)) && embeds.may_show(PageId(2)));
        embeds.shown = MAX_SHOWN;
        assert!(!embeds.may_show(PageId(2)));
    }
}
