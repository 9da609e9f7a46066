//! Front matter: `frontmatter::split` and `frontmatter::parse` on any text, as a page and as a
//! section. Nothing panics, the ranges fit the file, and every diagnostic points into it.

#![no_main]

use libfuzzer_sys::fuzz_target;
use weft::frontmatter;
use weft_fuzz::{check_diagnostics, config, page_text, source};

fuzz_target!(|data: &[u8]| {
    let Some(text) = page_text(data) else {
        return;
    };
    let file = source("x.md", text);
    let len = file.text.len();
    let split = match frontmatter::split(&file) {
        Ok(split) => split,
        Err(diagnostic) => {
            check_diagnostics(&[diagnostic]);
            return;
        }
    };
    assert!(split.body.start <= split.body.end && split.body.end == len);
    assert!(file.text.is_char_boundary(split.body.start));
    if let Some(yaml) = &split.yaml {
        assert!(yaml.start <= yaml.end && yaml.end <= split.body.start);
        assert!(file.text.is_char_boundary(yaml.start) && file.text.is_char_boundary(yaml.end));
    }
    for is_section in [false, true] {
        let mut diagnostics = Vec::new();
        let fm = frontmatter::parse(&file, &split, config(), is_section, &mut diagnostics);
        let spans = fm.slug.iter().chain(&fm.aliases).chain(&fm.template);
        let relations = fm.relations.values().flatten();
        for spanned in spans.chain(relations) {
            assert!(spanned.span.start <= spanned.span.end && spanned.span.end <= len);
        }
        check_diagnostics(&diagnostics);
    }
});
