//! Notes shown in place in one another: a cycle (`a.md → b.md → a.md`) is an error, and a
//! page that would show more notes, or deeper, than the bounds is told so: past them, embeds
//! are links (see `render::embed`), so no page can make the build blow up.

use std::ops::Range;

use crate::diag::{Code, Diagnostic};
use crate::markdown::{Embed, LinkKind, embed_of};
use crate::site::{PageId, Site};

use super::Target;

/// Notes shown in place inside one another, at most this deep; deeper ones are links.
pub const MAX_DEPTH: usize = 5;

/// Notes shown in place in one page, at most; the rest are links.
pub const MAX_SHOWN: usize = 100;

/// One note embedded in a page: the note, and where the embed is written.
struct Embedding {
    note: PageId,
    span: Range<usize>,
}

/// Checks the notes embedded in each page of `site`, whose links go to `targets`.
pub fn check(site: &Site, targets: &[Vec<Option<Target>>], diagnostics: &mut Vec<Diagnostic>) {
    let embedded: Vec<Vec<Embedding>> = site
        .ids()
        .map(|id| {
            let page = site.page(id);
            page.body
                .links
                .iter()
                .zip(&targets[id.0 as usize])
                .filter(|(link, _)| {
                    link.kind == LinkKind::Image && embed_of(&link.dest) == Embed::Note
                })
                .filter_map(|(link, target)| match target {
                    // A part of the note itself (`![[#Heading]]`) is shown once, no cycle.
                    Some(Target::Page {
                        id: note,
                        anchor: Some(_),
                    }) if *note == id => None,
                    Some(Target::Page { id: note, .. }) => Some(Embedding {
                        note: *note,
                        span: link.span.clone(),
                    }),
                    _ => None,
                })
                .collect()
        })
        .collect();
    if embedded.iter().all(Vec::is_empty) {
        return;
    }
    let sizes = walk(site, &embedded, diagnostics);
    for id in site.ids() {
        let (shown, depth) = sizes[id.0 as usize];
        let Some(first) = embedded[id.0 as usize].first() else {
            continue;
        };
        if shown > MAX_SHOWN || depth > MAX_DEPTH {
            let page = site.page(id);
            diagnostics.push(
                Diagnostic::warning(
                    Code::EmbedLimit,
                    format!(
                        "`{}` would show {} notes in place, {} deep",
                        page.source.display_path(),
                        if shown == usize::MAX { "countless".to_string() } else { shown.to_string() },
                        depth
                    ),
                )
                .at(&page.source, first.span.clone())
                .label("embeds that embed others")
                .help(format!(
                    "a page shows at most {MAX_SHOWN} notes in place, {MAX_DEPTH} deep; the rest are links to them"
                )),
            );
        }
    }
}

/// Walks the embeds depth first from every page: reports each cycle once, at the embed that
/// closes it, and returns per page how many notes it would show in place and how deep (the
/// embeds that close cycles left out).
fn walk(
    site: &Site,
    embedded: &[Vec<Embedding>],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(usize, usize)> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        Open,
        Done,
    }
    let mut state = vec![State::New; site.pages.len()];
    let mut sizes = vec![(0usize, 0usize); site.pages.len()];
    for root in site.ids() {
        if state[root.0 as usize] != State::New || embedded[root.0 as usize].is_empty() {
            continue;
        }
        // The path from `root`: each page with the index of its next embed to follow.
        let mut path: Vec<(PageId, usize)> = vec![(root, 0)];
        state[root.0 as usize] = State::Open;
        while let Some(&mut (page, ref mut next)) = path.last_mut() {
            let embeds = &embedded[page.0 as usize];
            let Some(embedding) = embeds.get(*next) else {
                // Every note it embeds is done, but those still open: they close cycles.
                let (mut shown, mut depth) = (0usize, 0usize);
                for e in embeds
                    .iter()
                    .filter(|e| state[e.note.0 as usize] == State::Done)
                {
                    let (below, below_depth) = sizes[e.note.0 as usize];
                    shown = shown.saturating_add(below.saturating_add(1));
                    depth = depth.max(below_depth + 1);
                }
                sizes[page.0 as usize] = (shown, depth);
                state[page.0 as usize] = State::Done;
                path.pop();
                continue;
            };
            *next += 1;
            let note = embedding.note;
            match state[note.0 as usize] {
                State::New => {
                    state[note.0 as usize] = State::Open;
                    path.push((note, 0));
                }
                State::Open => {
                    let from = path.iter().position(|(p, _)| *p == note).unwrap_or(0);
                    let mut chain: Vec<String> = path[from..]
                        .iter()
                        .map(|(p, _)| site.page(*p).source.display_path())
                        .collect();
                    chain.push(site.page(note).source.display_path());
                    let source = &site.page(page).source;
                    diagnostics.push(
                        Diagnostic::error(
                            Code::EmbedCycle,
                            format!("embedding notes in a cycle: {}", chain.join(" → ")),
                        )
                        .at(source, embedding.span.clone())
                        .label("this embed leads back to a note that embeds this one")
                        .help("take one embed of the cycle out, or make it a link (`[[…]]` without `!`)"),
                    );
                }
                State::Done => {}
            }
        }
    }
    sizes
}
