//! What the tree, link and taxonomy stages derive from the parsed files. It is derived again
//! after a change that can move it; after one that cannot (most edits: text, not titles,
//! links or front matter that orders or names pages) it is kept, with the new text swapped in.

use std::collections::HashSet;

use super::Sources;
use super::sources::Markdown;
use crate::commands::build::Timings;
use crate::config::SiteConfig;
use crate::diag::Diagnostic;
use crate::frontmatter::Spanned;
use crate::links::{self, LinkGraph};
use crate::markdown::LinkRef;
use crate::site::{self, Page, PageId, Parsed, Site};
use crate::taxonomy::{self, Taxonomy};

/// The site in a tree, its links and its taxonomies.
pub(super) struct Derived {
    pub(super) site: Site,
    pub(super) graph: LinkGraph,
    pub(super) taxonomies: Vec<Taxonomy>,
    pub(super) page_terms: Vec<Vec<(usize, usize)>>,
    /// What placing and linking found wrong.
    pub(super) problems: Vec<Diagnostic>,
}

impl Derived {
    /// Places the parsed files, resolves their links and collects their terms; `known_files`
    /// are the URL paths of the files copied as they are, which links may point at.
    pub(super) fn new(
        sources: &Sources,
        config: &SiteConfig,
        drafts: bool,
        known_files: impl FnOnce(&Site) -> HashSet<String>,
        timings: &mut Timings,
    ) -> Derived {
        let mut problems = Vec::new();
        let assets = sources.content_assets.values().cloned().collect();
        let site = site::place(sources.parsed(), assets, config, drafts, &mut problems);
        timings.stage("place");
        let known_files = known_files(&site);
        let ((graph, link_problems), (taxonomies, page_terms)) = rayon::join(
            || {
                let mut problems = Vec::new();
                let graph = links::resolve(&site, config, known_files, &mut problems);
                (graph, problems)
            },
            || {
                let taxonomies = taxonomy::collect(&site, config);
                let page_terms = taxonomy::page_terms(&taxonomies, site.pages.len());
                (taxonomies, page_terms)
            },
        );
        problems.extend(link_problems);
        timings.stage("links");
        Derived {
            site,
            graph,
            taxonomies,
            page_terms,
            problems,
        }
    }

    /// Swaps in the new text of the pages `sources` parsed again, if none of them changed
    /// what placing, linking or filing read, and returns them. `None`, and nothing swapped,
    /// when one did, or when the last derivation found problems (they point into the old text).
    pub(super) fn reparse(&mut self, sources: &Sources) -> Option<Vec<PageId>> {
        if !self.problems.is_empty() {
            return None;
        }
        let mut swaps = Vec::with_capacity(sources.reparsed.len());
        for rel in &sources.reparsed {
            let Some(Markdown::Parsed { parsed, .. }) = sources.markdown.get(rel) else {
                return None;
            };
            let pages = &self.site.pages;
            let index = pages.binary_search_by(|p| p.rel.as_path().cmp(rel)).ok()?;
            if !same_place(&pages[index], parsed) {
                return None;
            }
            swaps.push((index, parsed));
        }
        let mut ids = Vec::with_capacity(swaps.len());
        for (index, parsed) in swaps {
            self.site.pages[index].reparse(parsed);
            ids.push(PageId(index as u32));
        }
        Some(ids)
    }
}

/// Whether `parsed`, a new reading of `page`'s file, leaves alone all that placing, linking
/// and filing read of it: what orders and names it, its headings (link anchors), its links,
/// relations and terms.
fn same_place(page: &Page, parsed: &Parsed) -> bool {
    let (old, new) = (&*page.fm, parsed.fm());
    let values = |list: &[Spanned]| list.iter().map(|s| s.value.clone()).collect::<Vec<_>>();
    let slug = |s: &Option<Spanned>| s.as_ref().map(|s| s.value.clone());
    let relations = |fm: &crate::frontmatter::FrontMatter| {
        fm.relations
            .iter()
            .map(|(key, targets)| (key.clone(), values(targets)))
            .collect::<Vec<_>>()
    };
    let links = |links: &[LinkRef]| {
        links
            .iter()
            .map(|l| (l.dest.clone(), l.kind, l.internal))
            .collect::<Vec<_>>()
    };
    old.title == new.title
        && old.draft == new.draft
        && old.weight == new.weight
        && old.date == new.date
        && old.sort_by == new.sort_by
        && slug(&old.slug) == slug(&new.slug)
        && values(&old.aliases) == values(&new.aliases)
        && old.taxonomies == new.taxonomies
        && relations(old) == relations(new)
        && page.body.headings == parsed.body().headings
        && links(&page.body.links) == links(&parsed.body().links)
}
