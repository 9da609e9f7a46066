//! Wiki links: bodies built from the pieces wiki links, links and the blocks around them
//! are made of, parsed, resolved against a small site and filled in. Nothing panics, and
//! the filled HTML has no marker left.

#![no_main]

use libfuzzer_sys::fuzz_target;
use weft_fuzz::{check_diagnostics, page_from, site_with, with_renderer};

/// Each input byte picks one piece; bytes past the list are themselves (as ASCII).
const PIECES: &[&str] = &[
    "[[",
    "]]",
    "[",
    "]",
    "|",
    "#",
    "(",
    ")",
    "\\",
    "`",
    "!",
    " ",
    "\n",
    "\n\n",
    "ran-coe",
    "eu",
    "x",
    "notes",
    "ran-notes",
    "RAN Centre",
    "European Union",
    "/old/ran/",
    "@/",
    "eu/",
    "../",
    "./",
    ".md",
    "_index",
    "index",
    "#mission",
    "#members",
    "é",
    "*",
    "<",
    ">",
    "{#id}",
    "# ",
    "> [!NOTE]\n> ",
    "- ",
    "| a | b |\n|---|---|\n| ",
    "&amp;",
    "::",
    "%20",
    "\t",
    "    ",
    "[^1]",
    "[^1]: ",
    "http://x.org",
    "weft.css",
    "chart.png",
    "![",
    "<a href=\"",
    "\"",
    "'",
    "~~",
    "_",
    "[x]: ",
    "\u{FFFD}",
    "\u{200B}",
    "\r\n",
    "```\n",
];

fuzz_target!(|data: &[u8]| {
    let mut body = String::from("---\ntitle: Wiki\n---\n");
    for &byte in data {
        match PIECES.get(usize::from(byte)) {
            Some(piece) => body.push_str(piece),
            None if byte.is_ascii() => body.push(char::from(byte)),
            None => body.push('é'),
        }
    }
    let mut diagnostics = Vec::new();
    let site = site_with("eu/wiki.md", body, &mut diagnostics);
    let id = page_from(&site, "eu/wiki.md").expect("not a draft");
    let html = with_renderer(&site, &mut diagnostics, |renderer, _| {
        renderer.content(&renderer.view(None), id)
    });
    assert!(!html.contains('\0'), "a marker is left in {html:?}");
    check_diagnostics(&diagnostics);
});
