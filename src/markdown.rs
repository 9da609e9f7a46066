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
    /// The link's title (`[x](dest "title")`), if it has one.
    pub title: String,
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
    /// The text of the `# H1` that opens the body, taken as the page's title (see
    /// [`Dialect::title_from_h1`]); that heading is then not in the HTML.
    pub title: Option<String>,
    /// The block ids (`^id` at the end of a paragraph or list item, without the `^`).
    pub blocks: Vec<String>,
}

/// How a body is read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Dialect {
    /// Whether raw HTML passes through (`true`) or is escaped.
    pub unsafe_html: bool,
    /// Whether a `# H1` that opens the body is the page's title, left out of the HTML so that
    /// the title does not show twice: for a page whose front matter has none.
    pub title_from_h1: bool,
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

/// Element ids the default theme uses. They have capitals, which the ids made from heading text
/// never have (GitHub's rule lower-cases), so the theme never takes a name from the content:
/// `## Search` is `#search`, as on GitHub. Only a heading's own `{#id}` could take one, which is
/// an error.
pub const RESERVED_IDS: &[&str] = &[
    "weftMain",
    "weftSearch",
    "weftSearchInput",
    "weftSearchResults",
    "weftTocTitle",
    "weftConnectionsTitle",
    "weftSubsectionsTitle",
    "weftPagesTitle",
    "weftMapHalo",
    "weftMapTitle",
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
    /// Whether this heading is the page's title (see [`Dialect::title_from_h1`]).
    is_title: bool,
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
    dialect: Dialect,
    diagnostics: &mut Vec<Diagnostic>,
) -> Body {
    let text = without_comments(&file.text[body.clone()]);
    let text = text.as_ref();
    let mut writer = BodyWriter {
        file,
        dialect,
        blocks: Vec::new(),
        last_top_block: None,
        depth: 0,
        diagnostics,
        out: Vec::new(),
        rendered: Body::default(),
        used_ids: HashMap::new(),
        heading: None,
        image: None,
        skip_link_text: false,
        open_link: None,
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

/// `text` with Obsidian's comments (`%%…%%`, inline or over lines; an unclosed one runs to the
/// end) blanked out, byte for byte, so that every offset still points into the file: they are
/// not rendered, indexed or linked. `%%` in code is code.
fn without_comments(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("%%") {
        return std::borrow::Cow::Borrowed(text);
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
        if !in_comment {
            let line = &bytes[at..line_end];
            let indent = line.iter().take_while(|&&b| b == b' ').count();
            let marker = line
                .get(indent)
                .copied()
                .filter(|&b| b == b'`' || b == b'~');
            let run = marker.map_or(0, |m| {
                line[indent..].iter().take_while(|&&b| b == m).count()
            });
            let is_fence = indent < 4 && run >= 3;
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
        let mut i = at;
        while i < line_end {
            if in_comment {
                match memchr::memmem::find(&bytes[i..line_end], b"%%") {
                    Some(j) => {
                        blank(i..i + j + 2);
                        i += j + 2;
                        in_comment = false;
                    }
                    None => {
                        blank(i..line_end);
                        i = line_end;
                    }
                }
                continue;
            }
            match bytes[i] {
                b'`' => {
                    // A code span on the line is code, `%%` and all.
                    let ticks = bytes[i..line_end]
                        .iter()
                        .take_while(|&&b| b == b'`')
                        .count();
                    let close = (i + ticks..line_end).find(|&j| {
                        bytes[j..].starts_with(&b"`".repeat(ticks))
                            && bytes.get(j + ticks) != Some(&b'`')
                            && (j == 0 || bytes[j - 1] != b'`')
                    });
                    i = close.map_or(i + ticks, |j| j + ticks);
                }
                b'%' if bytes.get(i + 1) == Some(&b'%') => {
                    blank(i..i + 2);
                    i += 2;
                    in_comment = true;
                }
                _ => i += 1,
            }
        }
        at = line_end;
    }
    // Only ASCII bytes were replaced, each by a space: the text is still UTF-8.
    std::borrow::Cow::Owned(String::from_utf8(out).unwrap_or_else(|_| text.to_string()))
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
    dialect: Dialect,
    /// The open paragraphs and list items, by the slot of their opening tag in `out`.
    blocks: Vec<usize>,
    /// Where the last block at the top level opened, for a `^id` on a line of its own after it.
    last_top_block: Option<usize>,
    /// How deep in blocks the walk is.
    depth: usize,
    diagnostics: &'d mut Vec<Diagnostic>,
    out: Vec<Event<'a>>,
    rendered: Body,
    used_ids: HashMap<String, usize>,
    heading: Option<HeadingBuf>,
    image: Option<ImageBuf>,
    skip_link_text: bool,
    /// The internal link open now, whose closing tag is filled in with its opening one.
    open_link: Option<usize>,
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
        let is_title = self.dialect.title_from_h1
            && level == 1
            && self.out.is_empty()
            && self.rendered.title.is_none();
        self.heading = Some(HeadingBuf {
            level,
            is_title,
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
            title: String::new(),
        });
        self.image = Some(ImageBuf {
            link,
            title: title.to_string(),
            alt: String::new(),
            span,
        });
    }

    /// Opens a paragraph or list item, whose end may give it an id.
    fn open_block(&mut self, start: Event<'a>) {
        if self.depth == 0 {
            self.last_top_block = Some(self.out.len());
        }
        self.depth += 1;
        self.blocks.push(self.out.len());
        self.out.push(start);
    }

    /// Opens a block that cannot take an id from its own text (a list, table, quote, code).
    fn open_other(&mut self, start: Event<'a>) {
        if self.depth == 0 {
            self.last_top_block = Some(self.out.len());
        }
        self.depth += 1;
        self.out.push(start);
    }

    /// Closes the paragraph or list item opened last, naming it by a `^id` that ends it. A
    /// paragraph that is only `^id` names the block above it, as in Obsidian.
    fn close_block(&mut self, end: Event<'a>, tag: &str) {
        self.depth = self.depth.saturating_sub(1);
        let Some(slot) = self.blocks.pop() else {
            self.out.push(end);
            return;
        };
        let before = self.last_top_block.filter(|&b| b < slot);
        match self.take_block_id(slot) {
            Some(id) if tag == "p" && self.out.len() == slot + 1 && self.depth == 0 => {
                // Only the id: the paragraph goes, and an anchor marks the block above.
                self.out.truncate(slot);
                let anchor = format!("<span id=\"{}\"></span>", block_anchor(&id));
                self.out
                    .insert(before.unwrap_or(slot), Event::Html(anchor.into()));
                self.rendered.blocks.push(id);
            }
            Some(id) => {
                let open = format!("<{tag} id=\"{}\">", block_anchor(&id));
                self.out[slot] = Event::Html(open.into());
                self.rendered.blocks.push(id);
                self.out.push(end);
            }
            None => self.out.push(end),
        }
    }

    /// Gives the list item opened at `slot` the id that ends its own text, before a sub-list.
    fn name_item(&mut self, slot: usize) {
        if let Some(id) = self.take_block_id(slot) {
            let open = format!("<li id=\"{}\">", block_anchor(&id));
            self.out[slot] = Event::Html(open.into());
            self.rendered.blocks.push(id);
        }
    }

    /// If the text of the block opened at `slot` ends with ` ^id`, takes `^id` off the text
    /// (and the line break before it, when it is on a line of its own) and returns `id`.
    fn take_block_id(&mut self, slot: usize) -> Option<String> {
        // The text's last run: pulldown-cmark may split it at `^`.
        let mut first = self.out.len();
        while first > slot + 1 && matches!(self.out[first - 1], Event::Text(_)) {
            first -= 1;
        }
        let run: String = self.out[first..]
            .iter()
            .map(|e| match e {
                Event::Text(t) => t.as_ref(),
                _ => "",
            })
            .collect();
        let id = block_id(&run)?.to_string();
        let trimmed = run.trim_end();
        let kept = trimmed[..trimmed.len() - id.len() - 1]
            .trim_end()
            .to_string();
        let own_line =
            first == slot + 1 || matches!(self.out[first - 1], Event::SoftBreak | Event::HardBreak);
        if kept.is_empty() && !own_line {
            return None;
        }
        self.out.truncate(first);
        if kept.is_empty() && first > slot + 1 {
            self.out.pop();
        } else if !kept.is_empty() {
            self.out.push(Event::Text(kept.into()));
        }
        Some(id)
    }

    /// At a line break in a paragraph or list item: a `^id` that ends the line names the
    /// block, as Obsidian takes it.
    fn name_at_line_end(&mut self) {
        let Some(&slot) = self.blocks.last() else {
            return;
        };
        let tag = match self.out[slot] {
            Event::Start(Tag::Paragraph) => "p",
            Event::Start(Tag::Item) => "li",
            _ => return,
        };
        let ends_text = matches!(self.out.last(), Some(Event::Text(_)));
        if ends_text && self.out.len() > slot + 1 {
            if let Some(id) = self.take_block_id(slot) {
                let open = format!("<{tag} id=\"{}\">", block_anchor(&id));
                self.out[slot] = Event::Html(open.into());
                self.rendered.blocks.push(id);
            }
        }
    }

    fn event(&mut self, event: Event<'a>, span: Range<usize>) {
        if self.image.is_some() {
            self.image_event(event);
            return;
        }
        if matches!(event, Event::SoftBreak | Event::HardBreak) {
            self.name_at_line_end();
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
                let close = match self.open_link.take() {
                    Some(index) => format!("{MARK}C{index}{MARK}").into(),
                    None => CowStr::Borrowed("</a>"),
                };
                self.out.push(Event::InlineHtml(close));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                ..
            }) => {
                let dest_url = match link_type {
                    LinkType::WikiLink { .. } => dest_url.trim_end_matches('\\'),
                    _ => &dest_url,
                };
                self.start_image(dest_url, &title, span);
            }
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
            Event::Start(Tag::Paragraph) => {
                if self.summary == SummaryState::Before && self.heading.is_none() {
                    self.summary = SummaryState::Inside;
                }
                self.open_block(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::Paragraph) => {
                if self.summary == SummaryState::Inside {
                    self.summary = SummaryState::After;
                }
                self.close_block(Event::End(TagEnd::Paragraph), "p");
            }
            Event::Start(Tag::Item) => self.open_block(Event::Start(Tag::Item)),
            Event::End(TagEnd::Item) => self.close_block(Event::End(TagEnd::Item), "li"),
            Event::Start(Tag::List(first)) => {
                // A `^id` ends the item's own text, before its sub-list.
                if let Some(&slot) = self.blocks.last() {
                    if matches!(self.out[slot], Event::Start(Tag::Item)) {
                        self.name_item(slot);
                    }
                }
                self.open_other(Event::Start(Tag::List(first)));
            }
            Event::Start(
                tag @ (Tag::Table(_) | Tag::BlockQuote(None) | Tag::CodeBlock(_) | Tag::HtmlBlock),
            ) => self.open_other(Event::Start(tag)),
            Event::End(
                end @ (TagEnd::List(_)
                | TagEnd::Table
                | TagEnd::BlockQuote(None)
                | TagEnd::CodeBlock
                | TagEnd::HtmlBlock),
            ) => {
                self.depth = self.depth.saturating_sub(1);
                self.out.push(Event::End(end));
            }
            Event::TaskListMarker(done) => {
                let input = if done {
                    "<input type=\"checkbox\" disabled checked aria-label=\"Done\"> "
                } else {
                    "<input type=\"checkbox\" disabled aria-label=\"To do\"> "
                };
                self.out.push(Event::InlineHtml(CowStr::Borrowed(input)));
            }
            Event::Html(html) | Event::InlineHtml(html) if !self.dialect.unsafe_html => {
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
        let dest = &self.rendered.links[img.link].dest;
        if !is_picture(dest) {
            // An embedded note, PDF, video or other file shows as a link to it.
            let text = if img.alt.trim().is_empty() {
                dest.clone()
            } else {
                img.alt.clone()
            };
            let mut html = format!("{MARK}O{}{MARK}", img.link);
            let _ = escape_html(&mut html, &text);
            let _ = write!(html, "{MARK}C{}{MARK}", img.link);
            self.out.push(Event::InlineHtml(html.into()));
            return;
        }
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
        if h.is_title {
            self.out.truncate(h.slot);
            self.rendered.title = Some(h.title.trim().to_string());
            return;
        }
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
        let dest_url = match (link_type, kind) {
            // In a table, `[[Note\|text]]` escapes the `|` for the table: the `\` is not the name's.
            (_, LinkKind::Wiki { .. }) if dest_url.ends_with('\\') => {
                CowStr::from(dest_url.trim_end_matches('\\').to_string())
            }
            // `<name@example.org>`
            (LinkType::Email, _) => CowStr::from(format!("mailto:{dest_url}")),
            _ => dest_url,
        };
        let internal = matches!(kind, LinkKind::Wiki { .. }) || !is_external(&dest_url);
        let index = self.rendered.links.len();
        self.rendered.links.push(LinkRef {
            dest: dest_url.to_string(),
            kind,
            span: dest_span(self.file, &span, &dest_url),
            internal,
            title: title.to_string(),
        });
        // An internal link's tags are filled in once it is resolved: a link that goes nowhere
        // is plain text.
        let tag = if internal {
            self.open_link = Some(index);
            format!("{MARK}O{index}{MARK}")
        } else {
            let mut tag = String::from("<a href=\"");
            let _ = escape_href(&mut tag, &dest_url);
            tag.push('"');
            if !title.is_empty() {
                tag.push_str(" title=\"");
                let _ = escape_html(&mut tag, &title);
                tag.push('"');
            }
            tag.push('>');
            tag
        };
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

/// Whether an image's destination is a picture a browser shows in `<img>`, by its extension;
/// an external one is taken to be.
fn is_picture(dest: &str) -> bool {
    let path = dest.split(['#', '?']).next().unwrap_or(dest);
    let extension = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    is_external(dest)
        || matches!(
            extension.as_deref(),
            Some(
                "png"
                    | "jpg"
                    | "jpeg"
                    | "gif"
                    | "webp"
                    | "svg"
                    | "avif"
                    | "bmp"
                    | "ico"
                    | "apng"
                    | "jfif"
                    | "tif"
                    | "tiff"
            )
        )
}

/// The HTML id of block `id`: `^id`, as Obsidian's links write it.
fn block_anchor(id: &str) -> String {
    let mut anchor = String::from("^");
    let _ = escape_html(&mut anchor, id);
    anchor
}

/// The block id that ends `text` (`… ^block-id`), if one does: letters, digits and `-`.
fn block_id(text: &str) -> Option<&str> {
    let text = text.trim_end();
    let caret = text.rfind('^')?;
    let id = &text[caret + 1..];
    let before = &text[..caret];
    let valid = !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    (valid && (before.is_empty() || before.ends_with(char::is_whitespace))).then_some(id)
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
    /// The opening tag of internal link number `n`.
    Open(usize),
    /// Its closing tag.
    Close(usize),
    /// The URL of link number `n` (an image's `src`).
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
            (Some(b'O'), Some(n)) => out.push_str(&fill(Placeholder::Open(n))),
            (Some(b'C'), Some(n)) => out.push_str(&fill(Placeholder::Close(n))),
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
        let dialect = Dialect {
            unsafe_html: true,
            title_from_h1: false,
        };
        let rendered = parse(&file, 0..text.len(), dialect, &mut diagnostics);
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
    fn headings_take_the_ids_github_gives_them() {
        // The theme's ids have capitals: `## Search` keeps `search`, as a link written for
        // GitHub (`reading.md#search`) expects.
        let (r, d) = render_str("## Search\n## Main\n## Map title\n## Own {#weftSearch}\n");
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["search", "main", "map-title", "weftSearch"]);
        assert!(RESERVED_IDS.iter().all(|id| heading_id(id) != *id));
        assert_eq!(d.len(), 1, "a heading may not take a theme id by hand");
        assert_eq!(d[0].code, Code::DuplicateId);
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
            Placeholder::Open(n) => format!("<a href=\"/u{n}/\">"),
            Placeholder::Close(_) => "</a>".into(),
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
        let r = parse(
            &file,
            0..file.text.len(),
            Dialect::default(),
            &mut Vec::new(),
        );
        assert!(r.html.contains("&lt;script&gt;"));
    }

    #[test]
    fn comments_are_left_out_and_offsets_kept() {
        let text = "A %%hidden [[x]]%% b\n%%\nmany [[y]]\nlines\n%% c `%%code%%`\n```\n%%fenced%%\n```\n%% open";
        let out = without_comments(text);
        assert_eq!(out.len(), text.len());
        assert_eq!(
            out.as_ref(),
            "A                  b\n  \n          \n     \n   c `%%code%%`\n```\n%%fenced%%\n```\n       "
        );
        let (r, _) = render_str(text);
        assert!(r.links.is_empty(), "{:?}", r.links);
        assert!(!r.html.contains("hidden") && r.html.contains("%%fenced%%"));
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
