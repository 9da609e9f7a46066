//! Fenced code at build time: highlighted, math, and diagrams.
//!
//! Highlighting is giallo's: VS Code's TextMate grammars (220+ languages, the set Shiki
//! curates), compiled into the binary. It was chosen over syntect, measured on this machine
//! (`weft` at f495534, a 40-line Rust block 2,000 times, release builds):
//!
//! | | languages | per 40-line block | binary | load, once |
//! |---|---|---|---|---|
//! | giallo 0.5 | 220+ | 1.1 ms | +2.6 MB | 58 ms |
//! | syntect 5.3 (pure Rust regexes) | 75 | 2.5 ms | +2.6 MB | 0.6 ms |
//!
//! syntect's default set is Sublime Text's older grammars and falls short of 100 languages;
//! giallo's grammars are the ones VS Code users see, it is twice as fast, and Zola moved to
//! it. Its 58 ms load is paid once per process, and only by a site with a fenced block that
//! names a language.
//!
//! Tokens get CSS classes (never inline colours) from a light and a dark theme at once;
//! [`stylesheet`] writes the rules, scoped to the default theme's light and dark modes.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex, OnceLock};

use giallo::{HighlightOptions, HtmlRenderer, Registry, RenderOptions, ThemeVariant};
use pulldown_cmark_escape::escape_html;
use serde::Deserialize;

/// The class prefix of highlighted tokens: `c-l-3` (light theme) and `c-d-7` (dark).
const PREFIX: &str = "c-";

/// The highlighting themes: `highlight` in weft.yaml.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Themes {
    /// The theme of light mode, one of giallo's (`github-light-default`).
    #[serde(default = "default_light")]
    pub light: String,
    /// The theme of dark mode (`github-dark-default`).
    #[serde(default = "default_dark")]
    pub dark: String,
}

fn default_light() -> String {
    "github-light-default".into()
}

fn default_dark() -> String {
    "github-dark-default".into()
}

impl Default for Themes {
    fn default() -> Self {
        Themes {
            light: default_light(),
            dark: default_dark(),
        }
    }
}

/// The rules for the default themes, as [`generate_stylesheet`] writes them; checked by a test.
const DEFAULT_STYLESHEET: &str = include_str!("code.css");

/// At most this many copies of the grammars are loaded (see [`registry`]).
const MAX_REGISTRIES: usize = 4;

/// The copies of the grammars and themes, each loaded on first use.
fn registries() -> &'static [OnceLock<Option<Registry>>] {
    static REGISTRIES: OnceLock<Vec<OnceLock<Option<Registry>>>> = OnceLock::new();
    REGISTRIES.get_or_init(|| {
        let copies = rayon::current_num_threads().clamp(1, MAX_REGISTRIES);
        (0..copies).map(|_| OnceLock::new()).collect()
    })
}

/// The grammars and themes for this thread; `None` if the built-in set cannot load.
///
/// giallo locks each compiled pattern set while it searches with it, so threads that share
/// one registry take turns on the patterns every line uses: on Rust code, two threads were
/// no faster than one. Each worker thread (up to [`MAX_REGISTRIES`]) has its own copy
/// instead: the first read from giallo's dump (about 45 ms), the others cloned from it
/// (about 20 MB and 17 ms each).
///
/// Until a thread's copy is made, it shares one that is made rather than wait for its own.
fn registry() -> Option<&'static Registry> {
    let copies = registries();
    let slot = rayon::current_thread_index().unwrap_or(0) % copies.len();
    if let Some(own) = copies[slot].get() {
        return own.as_ref();
    }
    match copies.iter().find_map(OnceLock::get) {
        Some(made) => made.as_ref(),
        None => copies[slot].get_or_init(|| copy(slot)).as_ref(),
    }
}

/// The first copy is read from giallo's compressed dump; the others are cloned from it,
/// which takes about a third of the time and memory.
fn copy(slot: usize) -> Option<Registry> {
    match slot {
        0 => Registry::builtin().ok(),
        _ => registries()[0].get_or_init(|| copy(0)).clone(),
    }
}

/// Starts loading the grammars in the background if `text` has a code fence, so that the
/// load runs while the other files are read rather than when the first block
/// is highlighted. Called on every Markdown file as it is read; costs a search for a fence.
pub fn prepare_for(text: &[u8]) {
    static STARTED: AtomicBool = AtomicBool::new(false);
    if STARTED.load(Ordering::Relaxed) {
        return;
    }
    let fenced = memchr::memmem::find(text, b"```").is_some()
        || memchr::memmem::find(text, b"~~~").is_some();
    if fenced && !STARTED.swap(true, Ordering::Relaxed) {
        std::thread::spawn(|| {
            for (n, slot) in registries().iter().enumerate() {
                slot.get_or_init(|| copy(n));
            }
        });
    }
}

/// Blocks highlighted already, by a hash of their language, options, themes and text: a page
/// that `weft serve` parses again, and code that pages share, are highlighted once. Bounded,
/// and emptied when full.
static HIGHLIGHTED: LazyLock<Mutex<HashMap<u128, Arc<str>>>> = LazyLock::new(Mutex::default);

/// Up to this many bytes of highlighted HTML are kept.
const CACHE_BYTES: usize = 64 << 20;

fn cache_key(fence: &Fence, code: &str, themes: &Themes) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for part in [fence.lang.as_str(), &themes.light, &themes.dark, code] {
        hasher.update(part.as_bytes());
        hasher.update(&[0xff]);
    }
    let options = &fence.options;
    hasher.update(&[u8::from(options.show_line_numbers)]);
    hasher.update(&options.line_number_start.to_le_bytes());
    for range in options.highlight_lines.iter().chain(&options.hide_lines) {
        hasher.update(&range.start().to_le_bytes());
        hasher.update(&range.end().to_le_bytes());
    }
    hasher.digest128()
}

/// A fence's info string, read: ```` ```rust linenos, hl_lines=1 3-4 ```` or Zola's
/// ```` ```rust,linenos,hl_lines=1 3-4 ````.
#[derive(Debug, PartialEq)]
pub struct Fence {
    /// The language as written (`rust`), or empty.
    pub lang: String,
    /// Line numbers, the first line's number, and the lines to highlight.
    pub options: RenderOptions,
}

impl Fence {
    /// Reads an info string. Unknown options are left alone, as other tools' fences carry
    /// theirs (`{.class}`, `title="x"`).
    pub fn parse(info: &str) -> Fence {
        let info = info.trim();
        let end = info
            .find(|c: char| c == ',' || c.is_whitespace())
            .unwrap_or(info.len());
        let (lang, rest) = info.split_at(end);
        // giallo reads Zola's form, language first; ours may put a space after the language,
        // so the options alone go to giallo behind a stand-in language.
        let mut parsed =
            giallo::parse_markdown_fence(&format!("x,{}", rest.trim_start_matches(',')));
        parsed.options.highlight_lines.retain(|r| *r.start() > 0);
        Fence {
            lang: lang.trim_matches(['{', '}', '.']).to_string(),
            options: parsed.options,
        }
    }
}

/// Highlights `code` in `fence.lang` as HTML (`<pre class="giallo …"><code …>`), or `None`
/// when weft knows no such language: the caller shows the code as it is.
pub fn highlight(fence: &Fence, code: &str, themes: &Themes) -> Option<Arc<str>> {
    let key = cache_key(fence, code, themes);
    let cached = HIGHLIGHTED
        .lock()
        .ok()
        .and_then(|cache| cache.get(&key).cloned());
    if let Some(html) = cached {
        return Some(html);
    }
    let html: Arc<str> = highlight_anew(fence, code, themes)?.into();
    if let Ok(mut cache) = HIGHLIGHTED.lock() {
        static HELD: AtomicUsize = AtomicUsize::new(0);
        if HELD.fetch_add(html.len(), Ordering::Relaxed) > CACHE_BYTES {
            cache.clear();
            HELD.store(html.len(), Ordering::Relaxed);
        }
        cache.insert(key, Arc::clone(&html));
    }
    Some(html)
}

fn highlight_anew(fence: &Fence, code: &str, themes: &Themes) -> Option<String> {
    let registry = registry()?;
    let lang = fence.lang.to_ascii_lowercase();
    if lang.is_empty() || !registry.contains_grammar(&lang) {
        return None;
    }
    let theme = ThemeVariant::Dual {
        light: themes.light.as_str(),
        dark: themes.dark.as_str(),
    };
    let highlighted = registry
        .highlight(code, &HighlightOptions::new(&lang, theme))
        .ok()?;
    let renderer = HtmlRenderer {
        css_class_prefix: Some(PREFIX.into()),
        add_color_scheme: false,
        ..HtmlRenderer::default()
    };
    let html = renderer.render(&highlighted, &fence.options);
    let html = compact(&html);
    // A block wider than the page scrolls: the keyboard must reach it too.
    Some(html.replacen("<pre class=", "<pre tabindex=\"0\" class=", 1))
}

/// giallo's HTML with fewer tags, drawn the same: its tokens are leaf spans, often a run of
/// the same classes (with two themes it does not merge them) or none at all; runs become one
/// span, and tokens with no class plain text. A three-line YAML block shrinks from 868 bytes
/// to 500, which on a site with a block on every page is bytes on every page.
fn compact(html: &str) -> String {
    const OPEN: &str = "<span";
    const CLOSE: &str = "</span>";
    let mut out = String::with_capacity(html.len());
    // The token span left open in `out`, by its classes ("" for none, not written).
    let mut open: Option<&str> = None;
    let mut rest = html;
    while let Some(at) = rest.find(OPEN) {
        let (before, from) = rest.split_at(at);
        let Some(tag_end) = from.find('>') else { break };
        let tag = &from[..=tag_end];
        let after = &from[tag_end + 1..];
        // A leaf: text up to its `</span>`, no tag inside.
        let leaf = after.find('<').filter(|&lt| after[lt..].starts_with(CLOSE));
        let classes = tag
            .strip_prefix("<span class=\"")
            .and_then(|t| t.strip_suffix("\">"))
            .filter(|c| !c.contains('"'));
        let classes = match (tag, classes) {
            ("<span>", _) => Some(""),
            (_, Some(c)) if !c.starts_with("giallo") => Some(c),
            _ => None,
        };
        match (leaf, classes) {
            (Some(len), Some(classes)) if before.is_empty() || open.is_none() => {
                if open != Some(classes) {
                    close(&mut out, open.take());
                    out.push_str(before);
                    if !classes.is_empty() {
                        out.push_str(tag);
                    }
                    open = Some(classes);
                } else {
                    out.push_str(before);
                }
                out.push_str(&after[..len]);
                rest = &after[len + CLOSE.len()..];
            }
            _ => {
                close(&mut out, open.take());
                out.push_str(before);
                out.push_str(tag);
                rest = after;
            }
        }
    }
    close(&mut out, open);
    out.push_str(rest);
    out
}

/// Ends the token span `open` left open by [`compact`], if it was written.
fn close(out: &mut String, open: Option<&str>) {
    if open.is_some_and(|classes| !classes.is_empty()) {
        out.push_str("</span>");
    }
}

/// Code shown as written: `<pre><code class="language-x">`, as CommonMark renders it.
pub fn plain(lang: &str, code: &str) -> String {
    let mut html = String::with_capacity(code.len() + 40);
    html.push_str("<pre tabindex=\"0\"><code");
    if !lang.is_empty() {
        html.push_str(" class=\"language-");
        let _ = escape_html(&mut html, lang);
        html.push('"');
    }
    html.push('>');
    let _ = escape_html(&mut html, code);
    html.push_str("</code></pre>\n");
    html
}

/// A Mermaid diagram's source: shown as code until the theme's script draws it.
pub fn diagram(code: &str) -> String {
    let mut html = String::with_capacity(code.len() + 60);
    html.push_str("<pre tabindex=\"0\" class=\"mermaid-source\"><code class=\"language-mermaid\">");
    let _ = escape_html(&mut html, code);
    html.push_str("</code></pre>\n");
    html
}

/// The stylesheet of `themes`: `code.css`. The default themes' is compiled in, so that a
/// site pays for loading the grammars only when it has code to highlight.
pub fn stylesheet(themes: &Themes) -> Result<Cow<'static, str>, String> {
    if *themes == Themes::default() {
        return Ok(Cow::Borrowed(DEFAULT_STYLESHEET));
    }
    generate_stylesheet(themes).map(Cow::Owned)
}

/// Writes the stylesheet of `themes` from giallo's: the light rules apply unless the page is
/// dark; the dark ones in dark mode, chosen by the reader (`data-theme="dark"`) or by the
/// system, as the default theme's own colours are.
pub fn generate_stylesheet(themes: &Themes) -> Result<String, String> {
    let registry = registry().ok_or("the built-in grammars and themes did not load")?;
    for name in [&themes.light, &themes.dark] {
        if !registry.contains_theme(name) {
            return Err(format!("`{name}` is not a highlighting theme weft knows"));
        }
    }
    let (light, dark) = registry
        .generate_dual_css(&themes.light, &themes.dark, PREFIX)
        .map_err(|e| e.to_string())?;
    let mut css = String::from(
        "/* Highlighted code: made by weft from giallo's themes; see `highlight` in weft.yaml. */\n",
    );
    css.push_str(&rules(&light));
    // Light colours stay off in dark mode where a token has no dark colour of its own.
    const DARK: [&str; 2] = [
        ":root[data-theme=\"dark\"] .giallo",
        ":root:not([data-theme=\"light\"]) .giallo",
    ];
    let dark = rules(&dark);
    let reset = "span[class] { color: inherit; }\n";
    let _ = write!(css, "{}", scoped(DARK[0], reset));
    let _ = write!(css, "{}", scoped(DARK[0], &dark));
    css.push_str("@media (prefers-color-scheme: dark) {\n");
    let _ = write!(css, "{}", scoped(DARK[1], reset));
    let _ = write!(css, "{}", scoped(DARK[1], &dark));
    css.push_str("}\n");
    Ok(css)
}

/// giallo's stylesheet without its comments and blank lines, one rule a line.
fn rules(css: &str) -> String {
    let mut out = String::new();
    let mut rule = String::new();
    let mut comment = false;
    for line in css.lines().map(str::trim) {
        if comment || line.starts_with("/*") {
            comment = !line.ends_with("*/");
            continue;
        }
        if line.is_empty() {
            continue;
        }
        if !rule.is_empty() {
            rule.push(' ');
        }
        rule.push_str(line);
        if line.ends_with('}') {
            out.push_str(&rule);
            out.push('\n');
            rule.clear();
        }
    }
    out
}

/// `rules`, one a line, each selector inside `scope`: `.c-d-3 {…}` → `scope .c-d-3 {…}`, and
/// the block itself, `.c-d-code`, as `scope.c-d-code`.
fn scoped(scope: &str, rules: &str) -> String {
    let mut out = String::new();
    for rule in rules.lines() {
        let Some((selectors, body)) = rule.split_once('{') else {
            continue;
        };
        let selectors: Vec<String> = selectors
            .split(',')
            .map(str::trim)
            .map(|s| match s.strip_prefix('.') {
                Some(class) if class.starts_with(PREFIX) && class.ends_with("code") => {
                    format!("{scope}{s}")
                }
                _ => format!("{scope} {s}"),
            })
            .collect();
        let _ = writeln!(out, "{} {{{body}", selectors.join(", "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_are_read_with_spaces_or_commas() {
        let fence = Fence::parse("rust linenos, hl_lines=1 3-4");
        assert_eq!(fence.lang, "rust");
        assert!(fence.options.show_line_numbers);
        assert_eq!(fence.options.highlight_lines, vec![1..=1, 3..=4]);
        let zola = Fence::parse("rust,linenos,linenostart=5");
        assert_eq!(zola.lang, "rust");
        assert_eq!(zola.options.line_number_start, 5);
        assert_eq!(Fence::parse("python").options, RenderOptions::default());
        assert_eq!(Fence::parse("").lang, "");
        assert_eq!(Fence::parse("{.js}").lang, "js");
    }

    #[test]
    fn the_default_stylesheet_is_giallos() {
        let made = generate_stylesheet(&Themes::default()).unwrap();
        if std::env::var_os("WEFT_BLESS").is_some() {
            std::fs::write(
                concat!(env!("CARGO_MANIFEST_DIR"), "/src/markdown/code.css"),
                &made,
            )
            .unwrap();
            return;
        }
        assert_eq!(
            made, DEFAULT_STYLESHEET,
            "src/markdown/code.css is out of date: run `WEFT_BLESS=1 cargo test code::`"
        );
    }

    #[test]
    fn runs_of_the_same_classes_become_one_span() {
        let giallo = concat!(
            "<span class=\"giallo-l\"><span aria-hidden=\"true\" class=\"giallo-ln\">1</span>",
            "<span class=\"c-l-3 c-d-3\">w</span><span class=\"c-l-3 c-d-3\">ork</span>",
            "<span>:</span><span> </span><span class=\"c-l-2\">a&lt;b</span></span>\n",
            "<span class=\"giallo-l\"><span>x</span></span>"
        );
        assert_eq!(
            compact(giallo),
            concat!(
                "<span class=\"giallo-l\"><span aria-hidden=\"true\" class=\"giallo-ln\">1</span>",
                "<span class=\"c-l-3 c-d-3\">work</span>: <span class=\"c-l-2\">a&lt;b</span></span>\n",
                "<span class=\"giallo-l\">x</span>"
            )
        );
    }

    #[test]
    fn unknown_languages_are_left_to_the_caller() {
        let themes = Themes::default();
        assert!(highlight(&Fence::parse("no-such-language"), "x", &themes).is_none());
        let html = highlight(&Fence::parse("rust"), "fn main() {}\n", &themes).unwrap();
        assert!(
            html.starts_with("<pre tabindex=\"0\" class=\"giallo"),
            "{html}"
        );
        assert!(html.contains("c-l-"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }
}
