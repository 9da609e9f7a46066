//! Fingerprints of what each output reads: a page is rendered again only when its
//! fingerprint changed. They hash the same inputs the templates' contexts are built from
//! ([`crate::render`]'s `page_ctx`, `site_ctx` and `summary`), not the contexts themselves,
//! which would cost as much as rendering: a page's own text, and of every page it shows,
//! what it shows (title and URL for a link; also the description and date for a summary).

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use crate::generate::Generated;
use crate::links::Target;
use crate::render::{MAX_BACKLINKS, NAV_WINDOW, Renderer};
use crate::site::{PageId, PageKind};

/// Length-prefixed hashing, so that two lists never hash alike by shifting items.
struct Hash(Xxh3);

impl Hash {
    fn new() -> Self {
        Hash(Xxh3::new())
    }

    fn str(&mut self, text: &str) {
        self.num(text.len());
        self.0.update(text.as_bytes());
    }

    fn u64(&mut self, value: u64) {
        self.0.update(&value.to_le_bytes());
    }

    fn num(&mut self, value: usize) {
        self.u64(value as u64);
    }

    fn finish(&self) -> u64 {
        self.0.digest()
    }
}

/// What every page shows of the others, hashed once per build.
pub(super) struct Facts {
    /// The site context, the same on every page, and the templates.
    site: u64,
    /// Per page: its title and URL, as a link shows it.
    link: Vec<u64>,
    /// Per page: its title, URL, description (or summary) and dates, as a listing or the
    /// feed shows it.
    summary: Vec<u64>,
    /// Per page: its own text, path and place.
    own: Vec<u64>,
    /// Per page: its index in its section's pages.
    position: Vec<Option<usize>>,
    /// The nodes and edges of the map and `graph.json`.
    graph: u64,
    /// Per page: its fingerprint ([`Facts::page`]).
    pages: Vec<u64>,
}

impl Facts {
    /// Hashes the facts of every page; `text` is the hash of a page's source text.
    pub(super) fn new(r: &Renderer, templates: u64, text: impl Fn(PageId) -> u64 + Sync) -> Self {
        let site = r.site;
        let ids: Vec<PageId> = site.ids().collect();
        let per_page: Vec<(u64, u64, u64)> =
            ids.par_iter().map(|&id| page_facts(r, id, &text)).collect();
        let link: Vec<u64> = per_page.iter().map(|f| f.0).collect();
        let mut position = vec![None; ids.len()];
        for id in &ids {
            for (i, child) in site.page(*id).pages.iter().enumerate() {
                position[child.0 as usize] = Some(i);
            }
        }
        let mut h = Hash::new();
        h.u64(templates);
        let home = site.page(site.home);
        h.num(home.subsections.len());
        for s in &home.subsections {
            h.u64(link[s.0 as usize]);
        }
        for taxonomy in r.taxonomies {
            h.str(&taxonomy.name);
            h.str(&taxonomy.url);
        }
        let site_hash = h.finish();
        let graph = graph_hash(r, &link, site_hash);
        let mut facts = Facts {
            site: site_hash,
            summary: per_page.iter().map(|f| f.1).collect(),
            own: per_page.iter().map(|f| f.2).collect(),
            link,
            position,
            graph,
            pages: Vec::new(),
        };
        facts.pages = ids.par_iter().map(|&id| facts.page(r, id)).collect();
        facts
    }

    /// The fingerprint of page `id`.
    pub(super) fn fingerprint(&self, id: PageId) -> u64 {
        self.pages[id.0 as usize]
    }

    /// Hashes again the facts of `ids`, pages whose text changed but whose title, URL and
    /// place did not, and the fingerprints that read them: their own, and their section's
    /// when their summary changed. Links show titles and URLs only, so no other changed.
    pub(super) fn refresh(&mut self, r: &Renderer, ids: &[PageId], text: impl Fn(PageId) -> u64) {
        let mut touched = Vec::with_capacity(2 * ids.len());
        for &id in ids {
            let index = id.0 as usize;
            let summary = self.summary[index];
            (self.link[index], self.summary[index], self.own[index]) = page_facts(r, id, &text);
            touched.push(id);
            if self.summary[index] != summary {
                touched.extend(r.site.page(id).parent);
            }
        }
        for id in touched {
            self.pages[id.0 as usize] = self.page(r, id);
        }
        #[cfg(debug_assertions)]
        for id in r.site.ids() {
            debug_assert_eq!(self.pages[id.0 as usize], self.page(r, id), "{id:?}");
        }
    }

    fn links(&self, h: &mut Hash, ids: &[PageId]) {
        h.num(ids.len());
        for id in ids {
            h.u64(self.link[id.0 as usize]);
        }
    }

    fn summaries(&self, h: &mut Hash, ids: &[PageId]) {
        h.num(ids.len());
        for id in ids {
            h.u64(self.summary[id.0 as usize]);
        }
    }

    /// Hashes what the template context of page `id` is made of.
    fn page(&self, r: &Renderer, id: PageId) -> u64 {
        let (site, graph) = (r.site, r.graph);
        let page = site.page(id);
        let index = id.0 as usize;
        let mut h = Hash::new();
        h.u64(self.site);
        h.u64(self.own[index]);
        h.u64(self.summary[index]);
        self.body_links(&mut h, r, id);
        let terms = &r.page_terms[index];
        h.num(terms.len());
        for &(t, i) in terms {
            let taxonomy = &r.taxonomies[t];
            h.str(&taxonomy.name);
            h.str(&taxonomy.terms[i].name);
            h.str(&taxonomy.terms[i].url);
        }
        let relations = &graph.relations[index];
        h.num(relations.len());
        for group in relations {
            h.str(&group.key);
            h.str(&group.label);
            self.links(&mut h, &group.pages);
        }
        let backlinks = &graph.backlinks[index];
        h.num(backlinks.len());
        for (from, kind) in backlinks.iter().take(MAX_BACKLINKS) {
            h.u64(self.link[from.0 as usize]);
            h.str(kind.name());
            h.num(usize::from(
                relations.iter().any(|g| g.pages.contains(from)),
            ));
        }
        // The sections above, from the nearest up.
        let mut above = page.parent;
        while let Some(parent) = above {
            h.u64(self.link[parent.0 as usize]);
            above = site.page(parent).parent;
        }
        h.num(usize::MAX);
        let siblings = page.parent.map(|p| &site.page(p).pages);
        let (prev, next) = match (siblings, self.position[index]) {
            (Some(s), Some(i)) if page.kind == PageKind::Page => {
                (i.checked_sub(1).map(|j| s[j]), s.get(i + 1).copied())
            }
            _ => (None, None),
        };
        self.links(&mut h, prev.as_slice());
        self.links(&mut h, next.as_slice());
        self.summaries(&mut h, &page.pages);
        self.summaries(&mut h, &page.subsections);
        self.nav(&mut h, r, id);
        h.finish()
    }

    /// What the body's links show: each target's URL, and its title or heading.
    fn body_links(&self, h: &mut Hash, r: &Renderer, id: PageId) {
        let targets = &r.graph.targets[id.0 as usize];
        h.num(targets.len());
        for target in targets {
            match target {
                None => h.num(0),
                Some(Target::File(url)) => {
                    h.num(1);
                    h.str(url);
                }
                Some(Target::Page { id: to, anchor }) => {
                    h.num(2);
                    h.num(usize::from(*to == id));
                    h.u64(self.link[to.0 as usize]);
                    h.str(anchor.as_deref().unwrap_or_default());
                    h.num(usize::from(anchor.is_some()));
                    let heading = anchor.as_ref().and_then(|a| {
                        let headings = &r.site.page(*to).body.headings;
                        headings.iter().find(|h| &h.id == a)
                    });
                    h.str(heading.map_or("", |h| &h.title));
                    h.num(usize::from(heading.is_some()));
                }
            }
        }
    }

    /// The section navigation, windowed as `Renderer::nav` windows it.
    fn nav(&self, h: &mut Hash, r: &Renderer, id: PageId) {
        let page = r.site.page(id);
        let section_id = match (page.kind, page.parent) {
            (PageKind::Section, _) => id,
            (PageKind::Page, Some(parent)) => parent,
            (PageKind::Page, None) => return h.num(0),
        };
        h.num(1);
        let section = r.site.page(section_id);
        let position = match page.kind {
            PageKind::Page => self.position[id.0 as usize].unwrap_or(0),
            PageKind::Section => 0,
        };
        let start = position.saturating_sub(NAV_WINDOW);
        let end = (position + NAV_WINDOW + 1).min(section.pages.len());
        h.u64(self.link[section_id.0 as usize]);
        h.num(start);
        h.num(section.pages.len());
        let shown = &section.pages[start.min(end)..end];
        let subsections = &section.subsections[..section.subsections.len().min(2 * NAV_WINDOW)];
        for list in [shown, subsections] {
            h.num(list.len());
            for &p in list {
                h.u64(self.link[p.0 as usize]);
                h.num(usize::from(p == id));
            }
        }
    }

    /// The fingerprint of a generated file, or `None` for those cheap enough to make always.
    pub(super) fn generated(&self, r: &Renderer, what: Generated) -> Option<u64> {
        let mut h = Hash::new();
        h.u64(self.site);
        match what {
            Generated::Taxonomy(t) => {
                let taxonomy = &r.taxonomies[t];
                h.str(&taxonomy.name);
                h.str(&taxonomy.url);
                h.num(taxonomy.terms.len());
                for term in &taxonomy.terms {
                    h.str(&term.name);
                    h.str(&term.url);
                    h.num(term.pages.len());
                }
            }
            Generated::Term(t, i) => {
                let (taxonomy, term) = (&r.taxonomies[t], &r.taxonomies[t].terms[i]);
                h.str("term");
                h.str(&taxonomy.name);
                h.str(&taxonomy.url);
                h.str(&term.name);
                h.str(&term.url);
                self.summaries(&mut h, &term.pages);
            }
            Generated::NotFound => h.str("404"),
            Generated::Map => {
                h.str("map");
                h.u64(self.graph);
            }
            Generated::Graph => {
                h.str("graph");
                h.u64(self.graph);
            }
            Generated::Robots => h.str("robots"),
            // The URLs and dates of every page and term; the feed also shows titles and
            // summaries.
            Generated::Sitemap | Generated::Atom => {
                h.str(if what == Generated::Atom {
                    "atom"
                } else {
                    "sitemap"
                });
                h.num(self.summary.len());
                for summary in &self.summary {
                    h.u64(*summary);
                }
                for taxonomy in r.taxonomies {
                    h.str(&taxonomy.url);
                    h.num(taxonomy.terms.len());
                    for term in &taxonomy.terms {
                        h.str(&term.url);
                    }
                }
            }
        }
        Some(h.finish())
    }
}

/// A page's facts: (link, summary, own), each hash covering the one before.
fn page_facts(r: &Renderer, id: PageId, text: impl Fn(PageId) -> u64) -> (u64, u64, u64) {
    let page = r.site.page(id);
    let mut h = Hash::new();
    h.str(&page.title);
    h.str(&page.url);
    let link = h.finish();
    h.str(page.fm.description.as_deref().unwrap_or(&page.body.summary));
    for date in [&page.fm.date, &page.fm.updated] {
        h.num(usize::from(date.is_some()));
        if let Some(date) = date {
            h.u64(date.0.timestamp() as u64);
            h.u64(u64::from(date.0.timestamp_subsec_nanos()));
            h.u64(date.0.offset().local_minus_utc() as u64);
        }
    }
    let summary = h.finish();
    h.u64(text(id));
    h.str(&page.url);
    h.0.update(page.rel.as_os_str().as_encoded_bytes());
    h.num(page.kind as usize);
    h.num(usize::from(id == r.site.home));
    (link, summary, h.finish())
}

/// What the map and `graph.json` show: every page's title, URL, kind and section, the home
/// page's sections, and the edges.
fn graph_hash(r: &Renderer, link: &[u64], site: u64) -> u64 {
    let s = r.site;
    let mut h = Hash::new();
    h.u64(site);
    h.num(s.pages.len());
    h.num(s.home.0 as usize);
    for (index, page) in s.pages.iter().enumerate() {
        h.u64(link[index]);
        h.num(page.kind as usize);
        h.num(page.parent.map_or(usize::MAX, |p| p.0 as usize));
    }
    let home = s.page(s.home);
    h.num(home.subsections.len());
    for id in &home.subsections {
        h.num(id.0 as usize);
    }
    h.num(r.graph.edges.len());
    for edge in &r.graph.edges {
        h.num(edge.from.0 as usize);
        h.num(edge.to.0 as usize);
        h.str(edge.kind.name());
    }
    h.finish()
}
