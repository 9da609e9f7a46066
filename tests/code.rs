//! Code, math and diagrams, rendered at build time: what `weft build` writes for highlighted
//! code (with line numbers and marked lines), math in MathML, the price rule, TeX that cannot
//! be rendered, and Mermaid, which is written only into a site that has a diagram.

mod common;

use common::{Site, stderr};
use scraper::{Html, Selector};

/// The body of a built page: the article's `.content`.
fn content(site: &Site, url: &str) -> String {
    let html = Html::parse_document(&site.out(url));
    let selector = Selector::parse("article .content").expect("selector");
    html.select(&selector)
        .next()
        .map(|c| c.inner_html())
        .unwrap_or_else(|| panic!("{url} has no article content"))
}

fn built(files: &[(&str, &str)]) -> (Site, String) {
    let site = Site::new(files);
    let output = site.weft(&["build"]);
    let printed = stderr(&output, site.root());
    assert!(output.status.success(), "{printed}");
    (site, printed)
}

const CODE: &str = r#"---
title: Code
---
```rust linenos, hl_lines=2
fn main() {
    let x = "a<b";
}
```

```python,linenos,linenostart=10
def f(x):
    return x ** 2  # square
```

```json
{"key": [1, true, null]}
```

```no-such-language
kept <as> written
```

    indented, as written
"#;

#[test]
fn code_is_highlighted_with_line_numbers_and_marked_lines() {
    let (site, printed) = built(&[("weft.yaml", "title: T\n"), ("content/code.md", CODE)]);
    assert!(!printed.contains("warning"), "{printed}");
    insta::assert_snapshot!(content(&site, "code/index.html"));
    // Classes, never inline colours; the stylesheet holds the colours for light and dark.
    let css = site.out("code.css");
    assert!(css.contains(".c-l-1 {"), "{css}");
    assert!(
        css.contains(":root[data-theme=\"dark\"] .giallo .c-d-1 {"),
        "{css}"
    );
    assert!(css.contains("@media (prefers-color-scheme: dark)"), "{css}");
    // No diagram, no Mermaid.
    assert!(!site.public().join("mermaid.min.js").exists());
}

#[test]
fn other_highlighting_themes_are_chosen_in_weft_yaml_and_unknown_ones_named() {
    let (site, _) = built(&[
        (
            "weft.yaml",
            "title: T\nhighlight: { light: catppuccin-latte, dark: one-dark-pro }\n",
        ),
        ("content/code.md", CODE),
    ]);
    let css = site.out("code.css");
    assert!(
        css.contains("#EFF1F5"),
        "catppuccin-latte's background is missing: {css}"
    );
    assert_ne!(css, include_str!("../src/markdown/code.css"));

    let site = Site::new(&[
        (
            "weft.yaml",
            "title: T\nhighlight: { light: no-such-theme }\n",
        ),
        ("content/code.md", CODE),
    ]);
    let output = site.weft(&["build"]);
    let printed = stderr(&output, site.root());
    assert!(!output.status.success());
    assert!(
        printed.contains(
            "`highlight` in weft.yaml: `no-such-theme` is not a highlighting theme weft knows"
        ),
        "{printed}"
    );
}

const MATH: &str = r#"---
title: Math
---
Inline $x^2 + y^2 = z^2$, and $\alpha$.

Prices are not math: $5 and $10, \$3, and $4$5 either.

$$
\frac{1}{n} \sum_{i=1}^{n} x_i
$$

```math
E = mc^2
```
"#;

#[test]
fn math_becomes_mathml_and_prices_stay_text() {
    let (site, printed) = built(&[("weft.yaml", "title: T\n"), ("content/math.md", MATH)]);
    assert!(!printed.contains("warning"), "{printed}");
    insta::assert_snapshot!(content(&site, "math/index.html"));
}

#[test]
fn tex_that_cannot_be_rendered_is_a_warning_and_shows_as_written() {
    let (site, printed) = built(&[
        ("weft.yaml", "title: T\n"),
        (
            "content/bad.md",
            "---\ntitle: Bad\n---\nThe area is $\\pi r^2 \\nosuch$ here.\n\n```math\nx_{\n```\n",
        ),
    ]);
    insta::assert_snapshot!(printed);
    let html = content(&site, "bad/index.html");
    assert!(
        html.contains("<code class=\"math-source\">$\\pi r^2 \\nosuch$</code>"),
        "{html}"
    );
    assert!(
        html.contains("<pre class=\"math-source\"><code>$$x_{$$</code></pre>"),
        "{html}"
    );
}

#[test]
fn a_diagram_is_its_source_and_brings_mermaid_into_the_site() {
    let (site, _) = built(&[
        ("weft.yaml", "title: T\n"),
        (
            "content/flow.md",
            "---\ntitle: Flow\n---\n```mermaid\ngraph LR\n  A --> B\n```\n",
        ),
    ]);
    let html = content(&site, "flow/index.html");
    assert!(
        html.contains("<code class=\"language-mermaid\">graph LR\n  A --&gt; B\n</code></pre>"),
        "{html}"
    );
    assert!(
        html.contains("<pre class=\"mermaid-source\" tabindex=\"0\">"),
        "{html}"
    );
    let mermaid = std::fs::read(site.public().join("mermaid.min.js")).expect("mermaid.min.js");
    assert!(mermaid.len() > 1_000_000, "Mermaid is the whole library");

    // The diagram goes: so does Mermaid.
    site.write("content/flow.md", "---\ntitle: Flow\n---\nNo diagram.\n");
    let output = site.weft(&["build"]);
    assert!(output.status.success());
    assert!(!site.public().join("mermaid.min.js").exists());
}
