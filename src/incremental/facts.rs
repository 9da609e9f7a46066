//! The fingerprint of every fact of a site ([`Table`]), and which of them a change touched
//! ([`Changes`]), in the ids of the site the outputs were made from.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::generate::{Alias, Generated};
use crate::pipeline::Output;
use crate::render::facts::{GLOBAL_FACTS, PAGE_FACTS, fingerprint};
use crate::render::{Data, Fact};
use crate::site::PageId;

/// Every fact's fingerprint.
pub(super) struct Table {
    /// Each page's path in `content/`, by id.
    rels: Vec<PathBuf>,
    /// Each page's facts, by id.
    pages: Vec<[u64; PAGE_FACTS]>,
    globals: [u64; GLOBAL_FACTS.len()],
    /// Each taxonomy's index.
    index: Vec<u64>,
    /// Each term's URL path and fingerprint, by taxonomy.
    terms: Vec<Vec<(String, u64)>>,
}

/// What changed between two [`Table`]s, asked in the old one's ids.
pub(super) struct Changes {
    /// Whether every page and term kept its id.
    same_ids: bool,
    /// Per old page: the new id, if it is still there.
    moved: Vec<Option<PageId>>,
    /// Per old page: a bit per changed fact.
    pages: Vec<u16>,
    globals: [bool; GLOBAL_FACTS.len()],
    index: Vec<bool>,
    /// Per old term: its new index and whether it changed.
    terms: Vec<Vec<Option<(usize, bool)>>>,
}

fn page_facts(data: &Data, id: PageId) -> [u64; PAGE_FACTS] {
    std::array::from_fn(|k| fingerprint(data, Fact::of_page(id, k)))
}

impl Table {
    /// Fingerprints every fact of `data`.
    pub(super) fn new(data: &Data) -> Table {
        let count = data.page_count();
        let (pages, globals) = rayon::join(
            || {
                (0..count as u32)
                    .into_par_iter()
                    .map(|id| page_facts(data, PageId(id)))
                    .collect()
            },
            || GLOBAL_FACTS.map(|fact| fingerprint(data, fact)),
        );
        let term_urls = data.term_urls();
        let index = (0..term_urls.len())
            .map(|t| fingerprint(data, Fact::TaxonomyIndex(t)))
            .collect();
        let terms = term_urls
            .iter()
            .enumerate()
            .map(|(t, urls)| {
                let each = |(i, url): (usize, &&str)| {
                    (url.to_string(), fingerprint(data, Fact::Term(t, i)))
                };
                urls.iter().enumerate().map(each).collect()
            })
            .collect();
        Table {
            rels: (0..count as u32)
                .map(|id| data.rel(PageId(id)).to_path_buf())
                .collect(),
            pages,
            globals,
            index,
            terms,
        }
    }

    /// The table after the pages `ids` were parsed again with the tree, links and terms
    /// kept as they were (and so every fact that reads only those), and what changed.
    pub(super) fn refresh(mut self, data: &Data, ids: &[PageId]) -> (Table, Changes) {
        let mut changes = Changes::none(&self);
        for &id in ids {
            let index = id.0 as usize;
            let new = page_facts(data, id);
            for (k, (old, new)) in self.pages[index].iter().zip(&new).enumerate() {
                if old != new {
                    changes.pages[index] |= 1 << k;
                }
            }
            self.pages[index] = new;
        }
        (self, changes)
    }

    /// A table of `data`, a site derived anew, and what changed since this one.
    pub(super) fn rebuild(self, data: &Data) -> (Table, Changes) {
        let new = Table::new(data);
        let by_rel: HashMap<&Path, PageId> = new
            .rels
            .iter()
            .enumerate()
            .map(|(i, rel)| (rel.as_path(), PageId(i as u32)))
            .collect();
        let moved: Vec<Option<PageId>> = self
            .rels
            .iter()
            .map(|rel| by_rel.get(rel.as_path()).copied())
            .collect();
        let pages = self
            .pages
            .iter()
            .zip(&moved)
            .map(|(old, to)| match to {
                None => u16::MAX,
                Some(to) => {
                    let new = &new.pages[to.0 as usize];
                    (0..PAGE_FACTS)
                        .filter(|&k| old[k] != new[k])
                        .fold(0, |bits, k| bits | 1 << k)
                }
            })
            .collect();
        let globals = std::array::from_fn(|g| self.globals[g] != new.globals[g]);
        let index = self
            .index
            .iter()
            .enumerate()
            .map(|(t, old)| new.index.get(t) != Some(old))
            .collect();
        let terms: Vec<Vec<Option<(usize, bool)>>> = self
            .terms
            .iter()
            .enumerate()
            .map(|(t, old)| {
                let mut now: HashMap<&str, (usize, u64)> = HashMap::new();
                for (i, (url, hash)) in new.terms.get(t).into_iter().flatten().enumerate() {
                    now.insert(url.as_str(), (i, *hash));
                }
                old.iter()
                    .map(|(url, hash)| now.get(url.as_str()).map(|&(i, new)| (i, new != *hash)))
                    .collect()
            })
            .collect();
        let same_ids = moved.len() == new.rels.len()
            && moved
                .iter()
                .enumerate()
                .all(|(i, to)| *to == Some(PageId(i as u32)))
            && terms.iter().all(|t| {
                t.iter()
                    .enumerate()
                    .all(|(i, to)| to.is_some_and(|(j, _)| i == j))
            });
        let changes = Changes {
            same_ids,
            moved,
            pages,
            globals,
            index,
            terms,
        };
        (new, changes)
    }
}

impl Changes {
    /// Nothing changed, and nothing moved.
    fn none(table: &Table) -> Changes {
        Changes {
            same_ids: true,
            moved: (0..table.rels.len() as u32)
                .map(|i| Some(PageId(i)))
                .collect(),
            pages: vec![0; table.rels.len()],
            globals: [false; GLOBAL_FACTS.len()],
            index: vec![false; table.index.len()],
            terms: table
                .terms
                .iter()
                .map(|terms| (0..terms.len()).map(|i| Some((i, false))).collect())
                .collect(),
        }
    }

    /// Whether `fact`, in the old ids, has a new fingerprint or is gone.
    pub(super) fn changed(&self, fact: Fact) -> bool {
        if let Some((id, k)) = fact.page_index() {
            return self.pages[id.0 as usize] & (1 << k) != 0;
        }
        if let Some(g) = fact.global_index() {
            return self.globals[g];
        }
        match fact {
            Fact::TaxonomyIndex(t) => self.index.get(t).is_none_or(|&changed| changed),
            Fact::Term(t, i) => self.term_change(t, i).is_none_or(|(_, changed)| changed),
            _ => true,
        }
    }

    fn page(&self, id: PageId) -> Option<PageId> {
        self.moved[id.0 as usize]
    }

    fn term_change(&self, t: usize, i: usize) -> Option<(usize, bool)> {
        self.terms.get(t)?.get(i).copied().flatten()
    }

    fn term(&self, t: usize, i: usize) -> Option<(usize, usize)> {
        self.term_change(t, i).map(|(i, _)| (t, i))
    }

    /// `output`, in the old ids, in the new ones; `None` if what it is about is gone.
    pub(super) fn output(&self, output: Output) -> Option<Output> {
        Some(match output {
            Output::Page(id) => Output::Page(self.page(id)?),
            Output::Alias(Alias(id)) => Output::Alias(Alias(self.page(id)?)),
            Output::Generated(Generated::Term(t, i)) => {
                let (t, i) = self.term(t, i)?;
                Output::Generated(Generated::Term(t, i))
            }
            Output::Generated(other) => Output::Generated(other),
        })
    }

    /// Puts facts unchanged since the old table in the new ids.
    pub(super) fn remap(&self, facts: &mut [Fact]) {
        if self.same_ids {
            return;
        }
        for fact in facts {
            if let Some((id, k)) = fact.page_index() {
                if let Some(to) = self.page(id) {
                    *fact = Fact::of_page(to, k);
                }
            } else if let Fact::Term(t, i) = *fact {
                if let Some((t, i)) = self.term(t, i) {
                    *fact = Fact::Term(t, i);
                }
            }
        }
    }
}
