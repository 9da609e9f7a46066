//! Markdown: pulldown-cmark to HTML, collecting headings (with unique ids) and every link
//! with its span. Internal links are left as placeholders that the link stage fills in, so
//! each page is parsed once.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};

use crate::diag::{Code, Diagnostic};
use crate::source::Source;

/// A heading of a page, with the id its anchor uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The unique `id` attribute.
    pub id: String,
    /// The heading's plain text.
    pub title: String,
}

/// How a link was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// `[text](dest)` or an autolink.
    Markdown,
    /// `[[target]]` or `[[target|text]]`.
    Wiki {
        /// Whether the link has its own text after `|`.
        has_text: bool,
    },
    /// `![alt](src)`.
    Image,
}

/// One link in a page body, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    /// The destination as written (`ran-coe.md#mission`, `[[gctf]]`'s `gctf`, a URL).
    pub dest: String,
    /// How it was written.
    pub kind: LinkKind,
    /// Where the destination is written, in file offsets.
    pub span: Range<usize>,
    /// Whether the destination points into the site (and has a placeholder in the HTML).
    pub internal: bool,
}

/// A rendered page body.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// HTML, with placeholders for internal links (see [`fill_placeholders`]).
    pub html: String,
    /// Every heading in order.
    pub headings: Vec<Heading>,
    /// Every link and image in order; the index is the placeholder number.
    pub links: Vec<LinkRef>,
    /// Words in the text.
    pub word_count: usize,
    /// Plain text of the first paragraph, shortened.
    pub summary: String,
}

/// The Markdown dialect of SPEC 3.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
}

const MARK: char = '\0';

/// Element ids the default theme uses; headings never take them.
pub const RESERVED_IDS: &[&str] = &[
    "main",
    "search",
    "search-input",
    "search-results",
    "toc-title",
    "connections-title",
    "subsections-title",
    "pages-title",
    "map-halo",
    "map-title",
];

/// Whether `dest` leaves the site (has a scheme such as `https:` or `mailto:`, or is `//host`).
pub fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    let scheme_end = dest.find(':');
    scheme_end.is_some_and(|end| {
        end > 0
            && dest[..end]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
            && dest.as_bytes()[0].is_ascii_alphabetic()
    })
}

/// The GitHub-style id of a heading: lowercase, words joined by `-`, punctuation dropped.
pub fn heading_id(text: &str) -> String {
    let mut id = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            id.extend(c.to_lowercase());
        } else if c.is_whitespace() {
            id.push('-');
        }
    }
    if id.is_empty() { "section".into() } else { id }
}

struct HeadingBuf {
    level: u8,
    explicit_id: Option<String>,
    classes: Vec<String>,
    slot: usize,
    title: String,
    span: Range<usize>,
}

struct ImageBuf {
    link: usize,
    title: String,
    alt: String,
    span: Range<usize>,
}

/// Parses the body `body` of `file`: its HTML (with placeholders for internal links), its
/// headings, links, words and summary.
pub fn parse(
    file: &Source,
    body: Range<usize>,
    unsafe_html: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Body {
    let text = &file.text[body.clone()];
    let mut writer = BodyWriter {
        file,
        unsafe_html,
        diagnostics,
        out: Vec::new(),
        rendered: Body::default(),
        used_ids: RESERVED_IDS.iter().map(|id| (id.to_string(), 0)).collect(),
        heading: None,
        image: None,
        skip_link_text: false,
        summary: SummaryState::Before,
    };
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        writer.event(event, body.start + range.start..body.start + range.end);
    }
    let mut rendered = writer.rendered;
    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, writer.out.into_iter());
    html.shrink_to_fit();
    rendered.html = html;
    rendered.summary = shorten(&rendered.summary, 200);
    rendered
}

/// Where the walk is relative to the first paragraph, which becomes the summary.
#[derive(PartialEq, Eq)]
enum SummaryState {
    Before,
    Inside,
    After,
}

/// Turns pulldown-cmark's events into the events weft renders, collecting as it goes.
struct BodyWriter<'a, 'd> {
    file: &'a Source,
    unsafe_html: bool,
    diagnostics: &'d mut Vec<Diagnostic>,
    out: Vec<Event<'a>>,
    rendered: Body,
    used_ids: HashMap<String, usize>,
    heading: Option<HeadingBuf>,
    image: Option<ImageBuf>,
    skip_link_text: bool,
    summary: SummaryState,
}

impl<'a> BodyWriter<'a, '_> {
    /// Starts collecting a heading's text; its tag is written when it ends.
    fn start_heading(
        &mut self,
        level: u8,
        id: Option<CowStr<'a>>,
        classes: &[CowStr<'a>],
        span: Range<usize>,
    ) {
        self.heading = Some(HeadingBuf {
            level,
            explicit_id: id.map(|id| id.to_string()),
            classes: classes.iter().map(|c| c.to_string()).collect(),
            slot: self.out.len(),
            title: String::new(),
            span,
        });
        self.out.push(Event::Html(CowStr::Borrowed("")));
    }

    /// Notes an image's link and starts collecting its alt text.
    fn start_image(&mut self, dest_url: &str, title: &str, span: Range<usize>) {
        let link = self.rendered.links.len();
        self.rendered.links.push(LinkRef {
            dest: dest_url.to_string(),
            kind: LinkKind::Image,
            span: dest_span(self.file, &span, dest_url),
            internal: !is_external(dest_url),
        });
        self.image = Some(ImageBuf {
            link,
            title: title.to_string(),
            alt: String::new(),
            span,
        });
    }

    fn event(&mut self, event: Event<'a>, span: Range<usize>) {
        if self.image.is_some() {
            self.image_event(event);
            return;
        }
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => self.start_heading(level as u8, id, &classes, span),
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            }) => {
                self.start_link(link_type, dest_url, title, span);
            }
            Event::End(TagEnd::Link) => {
                self.skip_link_text = false;
                self.out.push(Event::InlineHtml(CowStr::Borrowed("</a>")));
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => self.start_image(&dest_url, &title, span),
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, name) = alert_name(kind);
                let open = format!(
                    "<div class=\"alert alert-{class}\" role=\"note\">\n<p class=\"alert-title\">{name}</p>\n"
                );
                self.out.push(Event::Html(open.into()));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                self.out.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            Event::Start(Tag::Paragraph)
                if self.summary == SummaryState::Before && self.heading.is_none() =>
            {
                self.summary = SummaryState::Inside;
                self.out.push(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::Paragraph) if self.summary == SummaryState::Inside => {
                self.summary = SummaryState::After;
                self.out.push(Event::End(TagEnd::Paragraph));
            }
            Event::TaskListMarker(done) => {
                let input = if done {
                    "<input type=\"checkbox\" disabled checked aria-label=\"Done\"> "
                } else {
                    "<input type=\"checkbox\" disabled aria-label=\"To do\"> "
                };
                self.out.push(Event::InlineHtml(CowStr::Borrowed(input)));
            }
            Event::Html(html) | Event::InlineHtml(html) if !self.unsafe_html => {
                self.out.push(Event::Text(html));
            }
            Event::Text(t) => {
                self.note_text(&t);
                if !self.skip_link_text {
                    self.out.push(Event::Text(t));
                }
            }
            Event::Code(t) => {
                self.note_text(&t);
                if !self.skip_link_text {
                    self.out.push(Event::Code(t));
                }
            }
            Event::SoftBreak | Event::HardBreak if self.summary == SummaryState::Inside => {
                self.rendered.summary.push(' ');
                self.out.push(event);
            }
            other => self.out.push(other),
        }
    }

    /// Inside `![...](...)`: the text is the alt text; the end writes the `<img>`.
    fn image_event(&mut self, event: Event<'a>) {
        match event {
            Event::Text(t) | Event::Code(t) => {
                if let Some(img) = self.image.as_mut() {
                    img.alt.push_str(&t);
                }
            }
            Event::End(TagEnd::Image) => {
                if let Some(img) = self.image.take() {
                    self.end_image(img);
                }
            }
            _ => {}
        }
    }

    fn end_image(&mut self, img: ImageBuf) {
        if img.alt.trim().is_empty() {
            self.diagnostics.push(
                Diagnostic::warning(Code::MissingAlt, "image has no alt text")
                    .at(self.file, img.span.clone())
                    .label("describe the image between the brackets")
                    .help("write `![what the image shows](path)`; screen readers read it aloud"),
            );
        }
        let mut tag = format!("<img src=\"{MARK}L{}{MARK}\" alt=\"", img.link);
        let _ = escape_html(&mut tag, &img.alt);
        tag.push('"');
        if !img.title.is_empty() {
            tag.push_str(" title=\"");
            let _ = escape_html(&mut tag, &img.title);
            tag.push('"');
        }
        tag.push_str(" loading=\"lazy\">");
        self.out.push(Event::InlineHtml(tag.into()));
    }

    /// Writes the opening tag (with its unique id) into the slot kept for it, and the anchor.
    fn end_heading(&mut self) {
        let Some(h) = self.heading.take() else {
            return;
        };
        let id = unique_id(&h, &mut self.used_ids, self.file, self.diagnostics);
        let mut open = format!("<h{} id=\"", h.level);
        let _ = escape_html(&mut open, &id);
        open.push('"');
        if !h.classes.is_empty() {
            open.push_str(" class=\"");
            let _ = escape_html(&mut open, &h.classes.join(" "));
            open.push('"');
        }
        open.push('>');
        self.out[h.slot] = Event::Html(open.into());
        let mut close = String::from("<a class=\"anchor\" href=\"#");
        let _ = escape_href(&mut close, &id);
        let level = h.level;
        let _ = writeln!(
            close,
            "\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{level}>"
        );
        self.out.push(Event::Html(close.into()));
        let title = h.title.trim().to_string();
        self.rendered.headings.push(Heading { level, id, title });
    }

    /// Records the link and writes `<a>`, with a placeholder for an internal destination
    /// (and for the text of a wiki link written without its own).
    fn start_link(
        &mut self,
        link_type: LinkType,
        dest_url: CowStr<'a>,
        title: CowStr<'a>,
        span: Range<usize>,
    ) {
        let kind = match link_type {
            LinkType::WikiLink { has_pothole } => LinkKind::Wiki {
                has_text: has_pothole,
            },
            _ => LinkKind::Markdown,
        };
        let internal = matches!(kind, LinkKind::Wiki { .. }) || !is_external(&dest_url);
        let index = self.rendered.links.len();
        self.rendered.links.push(LinkRef {
            dest: dest_url.to_string(),
            kind,
            span: dest_span(self.file, &span, &dest_url),
            internal,
        });
        let mut tag = String::from("<a href=\"");
        if internal {
            let _ = write!(tag, "{MARK}L{index}{MARK}");
        } else {
            let _ = escape_href(&mut tag, &dest_url);
        }
        tag.push('"');
        if !title.is_empty() {
            tag.push_str(" title=\"");
            let _ = escape_html(&mut tag, &title);
            tag.push('"');
        }
        tag.push('>');
        self.out.push(Event::InlineHtml(tag.into()));
        if kind == (LinkKind::Wiki { has_text: false }) {
            self.out
                .push(Event::InlineHtml(format!("{MARK}T{index}{MARK}").into()));
            self.skip_link_text = true;
        }
    }

    /// Counts words, and collects heading and summary text.
    fn note_text(&mut self, text: &str) {
        self.rendered.word_count += count_words(text);
        if let Some(h) = self.heading.as_mut() {
            h.title.push_str(text);
        }
        if self.summary == SummaryState::Inside {
            self.rendered.summary.push_str(text);
        }
    }
}

/// The number of words in `text`, as `split_whitespace` counts them; ASCII text, nearly all
/// of it, is counted a byte at a time.
fn count_words(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().count();
    }
    // `char::is_whitespace` in ASCII: space, and tab to carriage return.
    let space = |b: u8| b == b' ' || (b'\t'..=b'\r').contains(&b);
    let mut words = 0;
    let mut in_word = false;
    for &b in text.as_bytes() {
        let starts = !space(b);
        words += usize::from(starts && !in_word);
        in_word = starts;
    }
    words
}

/// The id of `heading`: its `{#id}`, or one made from its text, unique on the page. `used`
/// maps each id taken to the next numeric suffix to try when it is the base of another id,
/// so that a page of many equal headings takes linear time.
fn unique_id(
    heading: &HeadingBuf,
    used: &mut HashMap<String, usize>,
    file: &Source,
    diagnostics: &mut Vec<Diagnostic>,
) -> String {
    if let Some(id) = &heading.explicit_id {
        if RESERVED_IDS.contains(&id.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!("heading id `{id}` is used by the theme"),
                )
                .at(file, heading.span.clone())
                .label("reserved id")
                .help(format!(
                    "choose another id; the theme uses {}",
                    RESERVED_IDS.join(", ")
                )),
            );
        } else if used.contains_key(id) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!("heading id `{id}` is used twice on this page"),
                )
                .at(file, heading.span.clone())
                .label("second heading with this id")
                .help("give each `{#id}` on a page its own name"),
            );
        } else {
            used.insert(id.clone(), 0);
        }
        return id.clone();
    }
    let base = heading_id(&heading.title);
    let mut n = used.get(&base).copied().unwrap_or(0);
    loop {
        let id = if n == 0 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        n += 1;
        if !used.contains_key(&id) {
            used.insert(id.clone(), 0);
            used.insert(base, n);
            return id;
        }
    }
}

/// The span of `dest` inside the link written at `span`, or the whole link.
fn dest_span(file: &Source, span: &Range<usize>, dest: &str) -> Range<usize> {
    let written = &file.text[span.clone()];
    match written.rfind(dest) {
        Some(i) if !dest.is_empty() => span.start + i..span.start + i + dest.len(),
        _ => span.clone(),
    }
}

fn alert_name(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// Shortens plain text to at most `max` bytes at a word boundary, adding an ellipsis.
pub fn shorten(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.len() <= max {
        return text;
    }
    let cut = crate::source::floor_char_boundary(&text, max);
    let cut = text[..cut].rfind(' ').unwrap_or(cut);
    format!("{}…", text[..cut].trim_end_matches([',', ';', ':', '.']))
}

/// What a placeholder in rendered HTML stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placeholder {
    /// The URL of link number `n`.
    Url(usize),
    /// The text of wiki link number `n` written without its own text.
    Text(usize),
}

/// Replaces every placeholder in `html` with what `fill` returns for it (already escaped).
pub fn fill_placeholders(html: &str, mut fill: impl FnMut(Placeholder) -> String) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    while let Some(start) = rest.find(MARK) {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find(MARK) else {
            rest = after;
            continue;
        };
        let token = &after[..end];
        let index = token.get(1..).and_then(|n| n.parse().ok());
        match (token.as_bytes().first(), index) {
            (Some(b'L'), Some(n)) => out.push_str(&fill(Placeholder::Url(n))),
            (Some(b'T'), Some(n)) => out.push_str(&fill(Placeholder::Text(n))),
            _ => {}
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn render_str(text: &str) -> (Body, Vec<Diagnostic>) {
        let file = SourceFile::new("a.md", text.to_string());
        let mut diagnostics = Vec::new();
        let rendered = parse(&file, 0..text.len(), true, &mut diagnostics);
        (rendered, diagnostics)
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for text in [
            "",
            " ",
            "one",
            " two  words ",
            "tab\tand\nnew\x0bline\x0c\rend",
            "  a b\tc\n\n",
            "non-ASCII: naïve café\u{a0}here",
            "x\x1fy",
        ] {
            assert_eq!(
                count_words(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn headings_get_unique_ids() {
        let (r, _) = render_str("# Intro\n## Intro\n## Set it {#custom}\n## Über uns!\n");
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["intro", "intro-1", "custom", "über-uns"]);
        assert!(
            r.html
                .contains("<h2 id=\"intro-1\">Intro<a class=\"anchor\" href=\"#intro-1\"")
        );
    }

    #[test]
    fn internal_links_become_placeholders() {
        let (r, _) =
            render_str("See [RAN](ran-coe.md#mission), [[gctf]] and [web](https://x.org).");
        assert_eq!(r.links.len(), 3);
        assert_eq!(r.links[0].dest, "ran-coe.md#mission");
        assert_eq!(r.links[1].kind, LinkKind::Wiki { has_text: false });
        assert_eq!(r.links[1].dest, "gctf");
        assert!(!r.links[2].internal);
        let html = fill_placeholders(&r.html, |p| match p {
            Placeholder::Url(n) => format!("/u{n}/"),
            Placeholder::Text(n) => format!("T{n}"),
        });
        assert_eq!(
            html.trim(),
            "<p>See <a href=\"/u0/\">RAN</a>, <a href=\"/u1/\">T1</a> and <a href=\"https://x.org\">web</a>.</p>"
        );
    }

    #[test]
    fn link_spans_point_at_the_destination() {
        let text = "The [RAN](ran-co.md) network";
        let (r, _) = render_str(text);
        assert_eq!(&text[r.links[0].span.clone()], "ran-co.md");
    }

    #[test]
    fn alerts_and_missing_alt() {
        let (r, d) = render_str("> [!NOTE]\n> Mind this.\n\n![](x.png)\n");
        assert!(
            r.html
                .contains("<div class=\"alert alert-note\" role=\"note\">")
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, Code::MissingAlt);
    }

    #[test]
    fn raw_html_is_escaped_when_unsafe_html_is_off() {
        let file = SourceFile::new("a.md", "<script>x</script>\n".to_string());
        let r = parse(&file, 0..file.text.len(), false, &mut Vec::new());
        assert!(r.html.contains("&lt;script&gt;"));
    }

    #[test]
    fn recognises_external_links() {
        for dest in ["https://x.org", "mailto:a@b.c", "//cdn.x"] {
            assert!(is_external(dest), "{dest}");
        }
        for dest in ["ran.md", "@/eu/ran.md", "#top", "c:d.md"] {
            assert_eq!(is_external(dest), dest == "c:d.md", "{dest}");
        }
    }
}
