//! Taxonomies: the terms pages are filed under (`topics`, `partners`), each with a page.

use std::collections::BTreeMap;

use crate::config::SiteConfig;
use crate::site::{PageId, Site, slugify};

/// One configured taxonomy and its terms.
#[derive(Debug)]
pub struct Taxonomy {
    /// The name from `weft.yaml` (`topics`).
    pub name: String,
    /// Its index page's URL path (`topics/`).
    pub url: String,
    /// Terms in alphabetical order of slug.
    pub terms: Vec<Term>,
}

/// One term of a taxonomy and the pages filed under it.
#[derive(Debug)]
pub struct Term {
    /// The term as first written (`Information exchange`).
    pub name: String,
    /// Its URL path (`topics/information-exchange/`).
    pub url: String,
    /// Pages with this term, by title.
    pub pages: Vec<PageId>,
}

/// Collects every taxonomy's terms from the pages' front matter.
pub fn collect(site: &Site, config: &SiteConfig) -> Vec<Taxonomy> {
    config
        .taxonomies
        .iter()
        .map(|name| {
            let mut terms: BTreeMap<String, Term> = BTreeMap::new();
            for id in site.ids() {
                let Some(values) = site.page(id).fm.taxonomies.get(name) else {
                    continue;
                };
                for value in values {
                    let slug = slugify(value);
                    let term = terms.entry(slug.clone()).or_insert_with(|| Term {
                        name: value.trim().to_string(),
                        url: format!("{}/{slug}/", slugify(name)),
                        pages: Vec::new(),
                    });
                    // Pages come in order: a page that repeats a term is the last one added.
                    if term.pages.last() != Some(&id) {
                        term.pages.push(id);
                    }
                }
            }
            let mut terms: Vec<Term> = terms.into_values().collect();
            for term in &mut terms {
                term.pages
                    .sort_by_cached_key(|&id| (site.page(id).title.to_lowercase(), id));
            }
            Taxonomy {
                name: name.clone(),
                url: format!("{}/", slugify(name)),
                terms,
            }
        })
        .collect()
}

/// For every page, its taxonomy terms as (taxonomy index, term index) pairs.
pub fn page_terms(taxonomies: &[Taxonomy], page_count: usize) -> Vec<Vec<(usize, usize)>> {
    let mut terms = vec![Vec::new(); page_count];
    for (t, taxonomy) in taxonomies.iter().enumerate() {
        for (i, term) in taxonomy.terms.iter().enumerate() {
            for page in &term.pages {
                terms[page.0 as usize].push((t, i));
            }
        }
    }
    terms
}
