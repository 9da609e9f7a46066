//! Markdown: `markdown::parse` on any body, with raw HTML on and off. Nothing panics,
//! every link span fits the file, placeholders name only links that exist, and filling
//! them leaves no marker behind.

#![no_main]

use libfuzzer_sys::fuzz_target;
use weft::markdown::{self, Placeholder};
use weft_fuzz::{check_diagnostics, page_text, source};

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Some(text) = page_text(rest) else {
        return;
    };
    // A prefix the body does not start at, as after front matter.
    let skip = usize::from(flags >> 1).min(text.len());
    let skip = weft::source::floor_char_boundary(&text, skip);
    let file = source("x.md", text);
    let mut diagnostics = Vec::new();
    let rendered = markdown::parse(
        &file,
        skip..file.text.len(),
        markdown::Dialect {
            unsafe_html: flags & 1 == 1,
            title_from_h1: flags & 2 == 2,
            themes: None,
            language: None,
        },
        &mut diagnostics,
    );
    check_diagnostics(&diagnostics);
    for link in &rendered.links {
        let span = &link.span;
        assert!(span.start >= skip && span.start <= span.end && span.end <= file.text.len());
        assert!(file.text.is_char_boundary(span.start) && file.text.is_char_boundary(span.end));
    }
    let count = rendered.links.len();
    let html = markdown::fill_placeholders(&rendered.html, |p| match p {
        Placeholder::Url(n)
        | Placeholder::Text(n)
        | Placeholder::Open(n)
        | Placeholder::Close(n)
        | Placeholder::Embed(n) => {
            assert!(n < count, "placeholder {n} of {count} links");
            String::from("/filled/")
        }
        Placeholder::Tag(n) => {
            assert!(
                n < rendered.tags.len(),
                "tag {n} of {}",
                rendered.tags.len()
            );
            String::from("/tags/filled/")
        }
    });
    assert!(!html.contains('\0'), "a marker is left in {html:?}");
    // Heading ids are unique on a page unless an explicit `{#id}` repeats one, which is
    // an error of its own.
    let mut ids = std::collections::HashSet::new();
    let unique = rendered.headings.iter().all(|h| ids.insert(h.id.as_str()));
    let reported = diagnostics
        .iter()
        .any(|d| d.code == weft::diag::Code::DuplicateId);
    assert!(unique || reported, "{:?}", rendered.headings);
});
