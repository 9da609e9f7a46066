//! Markdown: pulldown-cmark to HTML, collecting headings (with unique ids) and every link
//! with its span. Internal links are left as placeholders that the link stage fills in, so
//! each page is parsed once.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd,
};
use pulldown_cmark_escape::{escape_href, escape_html};

use crate::diag::{Code, Diagnostic};
use crate::source::Source;

mod code;
mod math;
mod obsidian;

pub use code::{Themes, generate_stylesheet, prepare_for, stylesheet};

use obsidian::Piece;

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
    /// The inline `#tags`, without `#`, each once; the index is the placeholder number.
    pub tags: Vec<String>,
    /// Whether it has a Mermaid diagram, which the theme's script draws.
    pub diagrams: bool,
}

/// How a body is read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Dialect<'c> {
    /// Whether raw HTML passes through (`true`) or is escaped.
    pub unsafe_html: bool,
    /// Whether a `# H1` that opens the body is the page's title, left out of the HTML so that
    /// the title does not show twice: for a page whose front matter has none.
    pub title_from_h1: bool,
    /// The highlighting themes (`highlight`); the defaults when `None`.
    pub themes: Option<&'c Themes>,
    /// The page's language, whose words title callouts; English when `None`.
    pub language: Option<&'c crate::i18n::Language>,
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
        | Options::ENABLE_MATH
}

const MARK: char = '\0';
/// The start of an embedded note's placeholder, `\0E{link}\0`.
const EMBED_MARK: &str = "\0E";

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
    "weftGraphTitle",
    "weftSubsectionsTitle",
    "weftPagesTitle",
    "weftMapHalo",
    "weftMapTitle",
];

pub use obsidian::{Embed, embed_of};

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
    /// For `![[x]]`: whether it has text after `|`.
    wiki: Option<bool>,
}

/// Parses the body `body` of `file`: its HTML (with placeholders for internal links), its
/// headings, links, words and summary.
pub fn parse(
    file: &Source,
    body: Range<usize>,
    dialect: Dialect<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Body {
    let text = obsidian::without_comments(&file.text[body.clone()]);
    let comments = matches!(text, std::borrow::Cow::Owned(_));
    let text = text.as_ref();
    let mut writer = BodyWriter {
        file,
        dialect,
        blocks: Vec::new(),
        last_top_block: None,
        depth: 0,
        quotes: Vec::new(),
        mark_open: None,
        in_code: false,
        code: None,
        in_link: false,
        tag_index: HashMap::new(),
        comments,
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
    // A callout's marker is no part of the summary.
    let summary = match obsidian::callout_marker(&rendered.summary) {
        Some(marker) => marker.rest.to_string(),
        None => std::mem::take(&mut rendered.summary),
    };
    rendered.summary = shorten(&summary, 200);
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
    dialect: Dialect<'d>,
    /// The open paragraphs and list items, by the slot of their opening tag in `out`.
    blocks: Vec<usize>,
    /// Where the last block at the top level opened, for a `^id` on a line of its own after it.
    last_top_block: Option<usize>,
    /// How deep in blocks the walk is.
    depth: usize,
    /// The open block quotes, by the slot of their opening tag: callouts when they close.
    quotes: Vec<usize>,
    /// The slot of a `==` that may open a highlight, in the block being written.
    mark_open: Option<usize>,
    /// Whether the walk is in a code block, whose text is as written.
    in_code: bool,
    /// The fenced or indented code block being read: its info string and text.
    code: Option<(Option<CowStr<'a>>, String)>,
    /// Whether the walk is in a link's text.
    in_link: bool,
    /// The inline tags met, by their index in [`Body::tags`].
    tag_index: HashMap<String, usize>,
    /// Whether the body had `%%comments%%`, blanked out.
    comments: bool,
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
    fn start_image(&mut self, dest_url: &str, title: &str, span: Range<usize>, wiki: Option<bool>) {
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
            wiki,
        });
    }

    /// Opens a paragraph or list item, whose end may give it an id.
    fn open_block(&mut self, start: Event<'a>) {
        self.close_mark();
        if self.depth == 0 {
            self.last_top_block = Some(self.out.len());
        }
        self.depth += 1;
        self.blocks.push(self.out.len());
        self.out.push(start);
    }

    /// Opens a block that cannot take an id from its own text (a list, table, quote, code).
    fn open_other(&mut self, start: Event<'a>) {
        self.close_mark();
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
        self.close_mark();
        let Some(slot) = self.blocks.pop() else {
            self.out.push(end);
            return;
        };
        // A paragraph that is only an embedded note: the note's blocks stand in its place.
        let only_embed = matches!(
            &self.out[slot + 1..],
            [Event::InlineHtml(html)] if html.starts_with(EMBED_MARK)
        );
        if tag == "p" && only_embed {
            self.out[slot] = Event::Html(CowStr::Borrowed(""));
            return;
        }
        if tag == "p" {
            self.embeds_as_links(slot);
        }
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
                self.name_block(slot, tag, id);
                self.out.push(end);
            }
            None => self.out.push(end),
        }
    }

    /// Gives the block opened at `slot` (a `p` or `li`) the id `^id`.
    fn name_block(&mut self, slot: usize, tag: &str, id: String) {
        let open = format!("<{tag} id=\"{}\">", block_anchor(&id));
        self.out[slot] = Event::Html(open.into());
        self.rendered.blocks.push(id);
    }

    /// If the text of the block opened at `slot` ends with ` ^id`, takes `^id` off the text
    /// (and the line break before it, when it is on a line of its own) and returns `id`.
    fn take_block_id(&mut self, slot: usize) -> Option<String> {
        // The text's last run: pulldown-cmark may split it at `^`.
        let mut first = self.out.len();
        while first > slot + 1 && matches!(self.out[first - 1], Event::Text(_)) {
            first -= 1;
        }
        // A `==` left open in the run is text: the run becomes one.
        if self.mark_open.is_some_and(|mark| mark >= first) {
            self.close_mark();
        }
        // Nearly every block has no `^`: no need to put its text together.
        let caret = self.out[first..]
            .iter()
            .any(|e| matches!(e, Event::Text(t) if t.contains('^')));
        if !caret {
            return None;
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
        // After a link or bold text, ` ^id` needs its space: `![[x.png]]^id` names nothing.
        if kept.is_empty() && !own_line && !run.starts_with(char::is_whitespace) {
            return None;
        }
        self.out.truncate(first);
        if kept.is_empty() && own_line && first > slot + 1 {
            // `^id` on a line of its own: the line break before it goes too.
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
                self.name_block(slot, tag, id);
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
                self.close_mark();
                self.in_link = false;
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
                let (dest_url, wiki) = match link_type {
                    LinkType::WikiLink { has_pothole } => {
                        (dest_url.trim_end_matches('\\'), Some(has_pothole))
                    }
                    _ => (dest_url.as_ref(), None),
                };
                self.start_image(dest_url, &title, span, wiki);
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, name) = alert_name(kind);
                let name = match self.dialect.language {
                    Some(language) => escaped_text(language.word(&format!("callout_{class}"))),
                    None => name.to_string(),
                };
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
                        if let Some(id) = self.take_block_id(slot) {
                            self.name_block(slot, "li", id);
                        }
                    }
                }
                self.open_other(Event::Start(Tag::List(first)));
            }
            Event::Start(Tag::BlockQuote(None)) => {
                self.quotes.push(self.out.len());
                self.open_other(Event::Start(Tag::BlockQuote(None)));
            }
            Event::End(TagEnd::BlockQuote(None)) => {
                self.depth = self.depth.saturating_sub(1);
                self.out.push(Event::End(TagEnd::BlockQuote(None)));
                if let Some(slot) = self.quotes.pop() {
                    self.make_callout(slot);
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                self.in_code = true;
                let info = match kind {
                    CodeBlockKind::Fenced(info) => Some(info),
                    CodeBlockKind::Indented => None,
                };
                self.code = Some((info, String::new()));
                // The block is written whole when it ends, in this slot.
                self.open_other(Event::Html(CowStr::Borrowed("")));
            }
            Event::Text(t) if self.code.is_some() => {
                self.note_text(&t);
                if let Some((_, text)) = self.code.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                self.in_code = false;
                self.depth = self.depth.saturating_sub(1);
                if let Some((info, text)) = self.code.take() {
                    let html = self.code_block(info.as_deref(), &text, span);
                    self.out.push(Event::Html(html.into()));
                }
            }
            Event::InlineMath(tex) => self.math(tex, false, span),
            Event::DisplayMath(tex) => self.math(tex, true, span),
            Event::Start(tag @ (Tag::Table(_) | Tag::HtmlBlock)) => {
                self.open_other(Event::Start(tag));
            }
            Event::End(TagEnd::TableCell) => {
                self.close_mark();
                self.out.push(Event::End(TagEnd::TableCell));
            }
            Event::End(end @ (TagEnd::List(_) | TagEnd::Table | TagEnd::HtmlBlock)) => {
                self.depth = self.depth.saturating_sub(1);
                self.out.push(Event::End(end));
            }
            Event::TaskListMarker(done) => {
                let (checked, key, english) = if done {
                    (" checked", "task_done", "Done")
                } else {
                    ("", "task_todo", "To do")
                };
                let label = self
                    .dialect
                    .language
                    .map_or(english, |language| language.word(key));
                let input = format!(
                    "<input type=\"checkbox\" disabled{checked} aria-label=\"{}\"> ",
                    escaped_text(label)
                );
                self.out.push(Event::InlineHtml(input.into()));
            }
            Event::Html(html) | Event::InlineHtml(html) if !self.dialect.unsafe_html => {
                self.out.push(Event::Text(html));
            }
            Event::Text(t) => {
                self.note_text(&t);
                if !self.skip_link_text {
                    self.push_text(t);
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

    /// Writes an embed by the kind of file it names (see [`obsidian::embed_of`]): a picture,
    /// a video, a sound, a PDF, a note shown in place, or a link.
    fn end_image(&mut self, img: ImageBuf) {
        let n = img.link;
        let dest = self.rendered.links[n].dest.clone();
        let (alt, size) = match img.wiki {
            // `![[x]]`: the text pulldown-cmark gives is the name itself.
            Some(false) => ("", None),
            _ => obsidian::alt_and_size(&img.alt),
        };
        let name = dest.split('#').next().unwrap_or(&dest);
        let name = name.rsplit('/').next().unwrap_or(name);
        let alt = if alt.trim().is_empty() && img.wiki.is_some() {
            name
        } else {
            alt
        };
        let sized = |tag: &mut String| {
            if let Some((width, height)) = size {
                let _ = write!(tag, " width=\"{width}\"");
                if let Some(height) = height {
                    let _ = write!(tag, " height=\"{height}\"");
                }
            }
        };
        let mut html = String::new();
        let kind = obsidian::embed_of(&dest);
        match kind {
            Embed::Picture => {
                if alt.trim().is_empty() {
                    self.diagnostics.push(
                        Diagnostic::warning(Code::MissingAlt, "image has no alt text")
                            .at(self.file, img.span.clone())
                            .label("describe the image between the brackets")
                            .help("write `![what the image shows](path)`; screen readers read it aloud"),
                    );
                }
                let _ = write!(html, "<img src=\"{MARK}L{n}{MARK}\" alt=\"");
                let _ = escape_html(&mut html, alt);
                html.push('"');
                sized(&mut html);
                if !img.title.is_empty() {
                    html.push_str(" title=\"");
                    let _ = escape_html(&mut html, &img.title);
                    html.push('"');
                }
                html.push_str(" loading=\"lazy\">");
            }
            Embed::Video | Embed::Audio => {
                let element = if kind == Embed::Video {
                    "video"
                } else {
                    "audio"
                };
                let _ = write!(
                    html,
                    "<{element} controls preload=\"metadata\" src=\"{MARK}L{n}{MARK}\""
                );
                sized(&mut html);
                html.push('>');
                html.push_str(&link_placeholder(n, name));
                let _ = write!(html, "</{element}>");
            }
            Embed::Pdf => {
                let _ = write!(
                    html,
                    "<span class=\"embed-pdf\"><iframe src=\"{MARK}L{n}{MARK}\" title=\""
                );
                let _ = escape_html(&mut html, if alt.is_empty() { name } else { alt });
                html.push('"');
                sized(&mut html);
                html.push_str(" loading=\"lazy\"></iframe>");
                html.push_str(&link_placeholder(n, name));
                html.push_str("</span>");
            }
            Embed::Note => {
                let _ = write!(html, "{EMBED_MARK}{n}{MARK}");
            }
            Embed::File => html = link_placeholder(n, if alt.is_empty() { name } else { alt }),
        }
        self.out.push(Event::InlineHtml(html.into()));
    }

    /// Makes the notes embedded amid the text of the paragraph opened at `slot` links: a
    /// note's blocks cannot stand inside a paragraph.
    fn embeds_as_links(&mut self, slot: usize) {
        for index in slot + 1..self.out.len() {
            let Event::InlineHtml(html) = &self.out[index] else {
                continue;
            };
            let Some(n) = html
                .strip_prefix(EMBED_MARK)
                .and_then(|rest| rest.strip_suffix(MARK))
                .and_then(|n| n.parse::<usize>().ok())
            else {
                continue;
            };
            let link = link_placeholder(n, &self.rendered.links[n].dest);
            self.out[index] = Event::InlineHtml(link.into());
        }
    }

    /// Writes text, with its `==highlights==` and inline `#tags`.
    fn push_text(&mut self, text: CowStr<'a>) {
        // Where a comment was blanked out, one space is left.
        let bytes = text.as_bytes();
        let blanked = self.comments && bytes.windows(3).any(|w| w == b"   ");
        let text = if self.in_code || !blanked {
            text
        } else {
            CowStr::from(collapse_spaces(&text))
        };
        if self.in_code || memchr::memchr2(b'=', b'#', text.as_bytes()).is_none() {
            self.out.push(Event::Text(text));
            return;
        }
        let after_space = match self.out.last() {
            Some(Event::Text(before)) => before.ends_with(char::is_whitespace),
            Some(Event::Code(_) | Event::End(_) | Event::InlineHtml(_)) => false,
            _ => true,
        };
        for piece in obsidian::pieces(&text, after_space) {
            match piece {
                Piece::Text(part) => self.out.push(Event::Text(part.to_string().into())),
                Piece::Mark => match self.mark_open.take() {
                    Some(slot) => {
                        self.out[slot] = Event::InlineHtml(CowStr::Borrowed("<mark>"));
                        self.out
                            .push(Event::InlineHtml(CowStr::Borrowed("</mark>")));
                    }
                    None => {
                        self.mark_open = Some(self.out.len());
                        self.out.push(Event::Text(CowStr::Borrowed("")));
                    }
                },
                Piece::Tag(tag) => {
                    let tags = &mut self.rendered.tags;
                    let index = *self.tag_index.entry(tag.to_string()).or_insert_with(|| {
                        tags.push(tag.to_string());
                        tags.len() - 1
                    });
                    let written = format!("#{tag}");
                    // No link in a link.
                    if self.in_link {
                        self.out.push(Event::Text(written.into()));
                    } else {
                        let open = format!("<a class=\"tag\" href=\"{MARK}G{index}{MARK}\">");
                        self.out.push(Event::InlineHtml(open.into()));
                        self.out.push(Event::Text(written.into()));
                        self.out.push(Event::InlineHtml(CowStr::Borrowed("</a>")));
                    }
                }
            }
        }
    }

    /// At the end of a block: a `==` that no other closed is text.
    fn close_mark(&mut self) {
        if let Some(slot) = self.mark_open.take() {
            self.out[slot] = Event::Text(CowStr::Borrowed("=="));
        }
    }

    /// Makes the quote opened at `slot` (now closed) a callout, if it starts with
    /// `[!type]`: a box with a title, or a `<details>` when it folds (`+` open, `-` closed).
    fn make_callout(&mut self, slot: usize) {
        // The first paragraph, whose opening tag a block id may have named.
        let paragraph = match self.out.get(slot + 1) {
            Some(open @ Event::Start(Tag::Paragraph)) => open.clone(),
            Some(open @ Event::Html(html)) if html.starts_with("<p id=") => open.clone(),
            _ => return,
        };
        let mut lead_end = slot + 2;
        let mut lead = String::new();
        while let Some(Event::Text(text)) = self.out.get(lead_end) {
            lead.push_str(text);
            lead_end += 1;
        }
        let Some(marker) = obsidian::callout_marker(&lead) else {
            return;
        };
        // The title runs to the end of the first line.
        let title_end = (lead_end..self.out.len())
            .find(|&k| {
                matches!(
                    self.out[k],
                    Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph)
                )
            })
            .unwrap_or(self.out.len() - 1);
        let paragraph_goes_on = !matches!(self.out[title_end], Event::End(TagEnd::Paragraph));
        let (canonical, colour) = obsidian::callout_kind(marker.kind);
        let mut title: Vec<Event<'a>> = Vec::new();
        if !marker.rest.is_empty() {
            title.push(Event::Text(marker.rest.to_string().into()));
        }
        let mut quote = self.out.split_off(slot);
        quote.pop(); // its end
        let mut rest = quote.split_off(title_end + 1 - slot);
        title.extend(quote.drain(lead_end - slot..title_end - slot));
        if title.is_empty() {
            // A type of Obsidian's is titled in the page's language; an alias (`faq`) in
            // English keeps its name, as Obsidian shows it, and a type of the site's own too.
            let key = format!("callout_{canonical}");
            let word = self.dialect.language.and_then(|language| {
                let english = language.code.split('-').next() == Some("en");
                let alias = !marker.kind.eq_ignore_ascii_case(&canonical);
                let word = language.words.get(&key)?.as_str()?;
                (!english || !alias).then(|| word.to_string())
            });
            let text = word.unwrap_or_else(|| obsidian::default_title(marker.kind));
            title.push(Event::Text(text.into()));
        }
        let classes = format!("alert alert-{colour} callout callout-{canonical}");
        let (open, title_close, close) = match marker.fold {
            Some(open) => (
                format!(
                    "<details class=\"{classes}\" data-callout=\"{}\"{}>\n<summary class=\"alert-title\">",
                    marker.kind.to_lowercase(),
                    if open { " open" } else { "" }
                ),
                "</summary>\n",
                "</details>\n",
            ),
            None => (
                format!(
                    "<div class=\"{classes}\" data-callout=\"{}\" role=\"note\">\n<p class=\"alert-title\">",
                    marker.kind.to_lowercase()
                ),
                "</p>\n",
                "</div>\n",
            ),
        };
        self.out.push(Event::Html(open.into()));
        self.out.append(&mut title);
        self.out.push(Event::Html(CowStr::Borrowed(title_close)));
        if paragraph_goes_on {
            self.out.push(paragraph);
        }
        self.out.append(&mut rest);
        self.out.push(Event::Html(CowStr::Borrowed(close)));
    }

    /// Writes the opening tag (with its unique id) into the slot kept for it, and the anchor.
    fn end_heading(&mut self) {
        let Some(h) = self.heading.take() else {
            return;
        };
        self.close_mark();
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
        self.close_mark();
        self.in_link = true;
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

    /// A code block, whole: highlighted, math (```` ```math ````), a diagram (```` ```mermaid ````),
    /// or as written.
    fn code_block(&mut self, info: Option<&str>, text: &str, span: Range<usize>) -> String {
        let fence = code::Fence::parse(info.unwrap_or(""));
        match fence.lang.as_str() {
            "" => code::plain("", text),
            "math" => match math::render(text, true) {
                Ok(mathml) => format!("<div class=\"math-display\">{mathml}</div>\n"),
                Err(error) => {
                    self.math_warning(&error, span);
                    math::as_source(text.trim_end(), true)
                }
            },
            "mermaid" => {
                self.rendered.diagrams = true;
                code::diagram(text)
            }
            _ => {
                let default;
                let themes = match self.dialect.themes {
                    Some(themes) => themes,
                    None => {
                        default = Themes::default();
                        &default
                    }
                };
                match code::highlight(&fence, text, themes) {
                    Some(html) => html.to_string(),
                    None => code::plain(&fence.lang, text),
                }
            }
        }
    }

    /// `$…$` or `$$…$$`. A `$` that closes is not followed by a digit (pandoc's and Obsidian's
    /// rule, so that "from $5 to $10$3" is no formula); pulldown-cmark checks the rest.
    fn math(&mut self, tex: CowStr<'a>, display: bool, span: Range<usize>) {
        let delimiter = if display { "$$" } else { "$" };
        let digit_after = self.file.text[span.end..]
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_digit());
        if !display && digit_after {
            let text = format!("{delimiter}{tex}{delimiter}");
            self.note_text(&text);
            self.out.push(Event::Text(text.into()));
            return;
        }
        let html = match math::render(&tex, display) {
            Ok(mathml) if display => format!("<span class=\"math-display\">{mathml}</span>"),
            Ok(mathml) => mathml,
            Err(error) => {
                self.math_warning(&error, span);
                math::as_source(&tex, false)
            }
        };
        self.out.push(Event::InlineHtml(html.into()));
    }

    /// TeX that pulldown-latex cannot render: a warning, as other engines may take it.
    fn math_warning(&mut self, error: &str, span: Range<usize>) {
        self.diagnostics.push(
            Diagnostic::warning(
                Code::MathError,
                format!("this math cannot be rendered: {error}"),
            )
            .at(self.file, span)
            .help("check the TeX; until it renders, the page shows it as written"),
        );
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

/// Link number `n` around `text`, its tags filled in once the link is resolved (see
/// [`Placeholder::Open`]).
fn link_placeholder(n: usize, text: &str) -> String {
    let mut html = format!("{MARK}O{n}{MARK}");
    let _ = escape_html(&mut html, text);
    let _ = write!(html, "{MARK}C{n}{MARK}");
    html
}

/// `text` with each run of three or more spaces made one.
fn collapse_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut spaces = 0;
    for c in text.chars() {
        if c == ' ' {
            spaces += 1;
            continue;
        }
        match spaces {
            0 => {}
            1 | 2 => out.extend(std::iter::repeat_n(' ', spaces)),
            _ => out.push(' '),
        }
        spaces = 0;
        out.push(c);
    }
    match spaces {
        0 => {}
        1 | 2 => out.extend(std::iter::repeat_n(' ', spaces)),
        _ => out.push(' '),
    }
    out
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

/// `text` escaped for HTML.
fn escaped_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
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
    /// The content of the note that link number `n` embeds.
    Embed(usize),
    /// The URL of the page of inline tag number `n`.
    Tag(usize),
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
            (Some(b'E'), Some(n)) => out.push_str(&fill(Placeholder::Embed(n))),
            (Some(b'G'), Some(n)) => out.push_str(&fill(Placeholder::Tag(n))),
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
            language: None,
            unsafe_html: true,
            ..Dialect::default()
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
            Placeholder::Embed(n) => format!("E{n}"),
            Placeholder::Tag(n) => format!("G{n}"),
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
        let out = obsidian::without_comments(text);
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
    fn obsidian_syntax_in_awkward_places() {
        // A highlight left open where a block id is taken, or a sub-list starts.
        let (r, _) =
            render_str("[x] ==y ^id\nz\n\n- item\n  ==^q\n  - sub\n\n- a ==b\n  - c== d\n");
        assert!(!r.html.contains("<mark>"), "{}", r.html);
        assert!(r.html.contains("<li>sub</li>"), "{}", r.html);
        // A block id after a link, bold text or code.
        let (r, _) = render_str("See [[a]] ^abc\n\n**b** ^bcd\n\n`c` ^cde\n\n![x](y.png)^no\n");
        assert_eq!(r.blocks, ["abc", "bcd", "cde"]);
        assert_eq!(r.html.matches("id=\"^").count(), 3, "{}", r.html);
        assert!(
            r.html.contains("^no"),
            "an id stuck to an image stays text: {}",
            r.html
        );
        for gone in [" ^abc", " ^bcd", " ^cde"] {
            assert!(!r.html.contains(gone), "{gone} is shown: {}", r.html);
        }
        // A callout whose first paragraph has a block id.
        let (r, _) = render_str("> [!tip] Hi\n> text ^b1\n");
        assert!(
            r.html.contains("callout-tip") && r.html.contains("<p id=\"^b1\">"),
            "{}",
            r.html
        );
        // A tag in an external link's text is no link in a link.
        let (r, _) = render_str("[see #foo](https://x.org)\n");
        assert_eq!(r.html.matches("<a ").count(), 1, "{}", r.html);
        assert_eq!(r.tags, ["foo"]);
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
