//! TeX to MathML at build time, with pulldown-latex: browsers draw MathML themselves, so a
//! page with math needs no script and no web fonts.

use pulldown_cmark_escape::escape_html;
use pulldown_latex::config::DisplayMode;
use pulldown_latex::{Parser, RenderConfig, Storage, push_mathml};

/// `tex` as a `<math>` element, with its source kept as an annotation; or, when pulldown-latex
/// cannot read it, the first problem it found.
pub fn render(tex: &str, display: bool) -> Result<String, String> {
    let storage = Storage::new();
    let events: Vec<_> = Parser::new(tex, &storage).collect();
    if let Some(Err(error)) = events.iter().find(|e| e.is_err()) {
        return Err(first_line(&error.to_string()));
    }
    let config = RenderConfig {
        display_mode: if display {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        annotation: Some(tex.trim()),
        ..RenderConfig::default()
    };
    let mut mathml = String::with_capacity(tex.len() * 8);
    push_mathml(&mut mathml, events.into_iter(), config).map_err(|e| e.to_string())?;
    Ok(mathml)
}

/// The TeX as written, in `<code>`: what a page shows for math that cannot be rendered.
pub fn as_source(tex: &str, display: bool) -> String {
    let (delimiter, open, close) = match display {
        true => ("$$", "<pre class=\"math-source\"><code>", "</code></pre>\n"),
        false => ("$", "<code class=\"math-source\">", "</code>"),
    };
    let mut html = String::from(open);
    let _ = escape_html(&mut html, &format!("{delimiter}{tex}{delimiter}"));
    html.push_str(close);
    html
}

/// pulldown-latex's message without the context it draws under it.
fn first_line(message: &str) -> String {
    message
        .lines()
        .next()
        .unwrap_or(message)
        .trim_start_matches("parsing error: ")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tex_becomes_mathml_and_errors_a_message() {
        let html = render("x^2", false).unwrap();
        assert!(html.starts_with("<math"), "{html}");
        assert!(html.contains("<msup>"), "{html}");
        assert!(
            render("\\frac{a}{b}", true)
                .unwrap()
                .contains("display=\"block\"")
        );
        assert_eq!(
            render("\\nosuchcommand{x}", false).unwrap_err(),
            "unknown primitive command found"
        );
        assert_eq!(
            as_source("a<b", false),
            "<code class=\"math-source\">$a&lt;b$</code>"
        );
    }
}
