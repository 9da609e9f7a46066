//! What the tree, link and taxonomy stages derive from the parsed files. It is derived again
//! after a change that can move it; after one that cannot (most edits: text, not titles,
//! links or front matter that orders or names pages) it is kept, with the new text swapped in.

use std::collections::HashSet;

use super::Timings;
use super::sources::{Markdown, Sources};
use crate::config::SiteConfig;
use crate::diag::Diagnostic;
use crate::frontmatter::{FrontMatter, Spanned};
use crate::links::{self, LinkGraph};
use crate::markdown::{Body, LinkRef};
use crate::render::Data;
use crate::site::{self, Page, PageId, Parsed, Site};
use crate::taxonomy::{self, Taxonomy};

/// The site in a tree, its links and its taxonomies.
pub struct Derived {
    /// The pages in their tree.
    pub site: Site,
    /// Where every link and relation leads, and the backlinks.
    pub graph: LinkGraph,
    /// The taxonomies with their terms.
    pub taxonomies: Vec<Taxonomy>,
    /// Per page: its terms, as (taxonomy, term) indexes.
    pub page_terms: Vec<Vec<(usize, usize)>>,
    /// What placing and linking found wrong.
    pub problems: Vec<Diagnostic>,
}

impl Derived {
    /// Places the parsed files, resolves their links and collects their terms; `known_files`
    /// are the URL paths of the files copied as they are, which links may point at.
    pub fn new(
        sources: &Sources,
        config: &SiteConfig,
        drafts: bool,
        known_files: impl FnOnce(&Site) -> HashSet<String>,
        timings: &mut Timings,
    ) -> Derived {
        let mut problems = Vec::new();
        let assets = sources.content_assets.values().cloned().collect();
        let mut site = site::place(sources.parsed(), assets, config, drafts, &mut problems);
        // Links to a file that could not be read are not reported again as missing pages.
        site.refused = sources.unreadable();
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

    /// What rendering reads of it.
    pub fn data(&self) -> Data<'_> {
        Data::new(&self.site, &self.graph, &self.taxonomies, &self.page_terms)
    }

    /// Swaps in the new text of the pages `sources` parsed again, if none of them changed
    /// what placing, linking or filing read, and returns them. `None`, and nothing swapped,
    /// when one did, or when the last derivation found problems (they point into the old text).
    pub fn reparse(&mut self, sources: &Sources) -> Option<Vec<PageId>> {
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
/// and filing read of it. Every field of the front matter counts but those only outputs
/// read (description, `updated`, template, `extra`, classes, other keys); of the body, only the headings (link
/// anchors) and the links. The destructuring names every field, so that a new one must be sorted here.
fn same_place(page: &Page, parsed: &Parsed) -> bool {
    let FrontMatter {
        title,
        description: _,
        date,
        updated: _,
        draft,
        weight,
        slug,
        aliases,
        template: _,
        sort_by,
        taxonomies,
        relations,
        extra: _,
        cssclasses: _,
        publish,
        permalink,
        image,
        translation_key,
        params: _,
    } = &*page.fm;
    let new = parsed.fm();
    let values = |list: &[Spanned]| list.iter().map(|s| s.value.clone()).collect::<Vec<_>>();
    let value = |s: &Option<Spanned>| s.as_ref().map(|s| s.value.clone());
    let same_relations = relations.len() == new.relations.len()
        && relations
            .iter()
            .zip(&new.relations)
            .all(|((k1, v1), (k2, v2))| k1 == k2 && values(v1) == values(v2));
    let Body {
        html: _,
        headings,
        links,
        word_count: _,
        summary: _,
        title: body_title,
        blocks,
        tags,
        // Mermaid comes and goes with the plan (see `incremental`), not with the tree.
        diagrams: _,
    } = &*page.body;
    let link = |l: &LinkRef| (l.dest.clone(), l.kind, l.internal);
    let same_links = links.len() == parsed.body().links.len()
        && links
            .iter()
            .zip(&parsed.body().links)
            .all(|(a, b)| link(a) == link(b));
    *title == new.title
        && *body_title == parsed.body().title
        && *blocks == parsed.body().blocks
        && *tags == parsed.body().tags
        && *publish == new.publish
        && value(permalink) == value(&new.permalink)
        && value(translation_key) == value(&new.translation_key)
        && *image == new.image
        && *draft == new.draft
        && *weight == new.weight
        && *date == new.date
        && *sort_by == new.sort_by
        && value(slug) == value(&new.slug)
        && values(aliases) == values(&new.aliases)
        && *taxonomies == new.taxonomies
        && same_relations
        && *headings == parsed.body().headings
        && same_links
}
