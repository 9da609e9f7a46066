//! Taxonomies: the terms pages are filed under (`topics`, `partners`), each with a page.

use std::collections::BTreeMap;

use crate::config::{SiteConfig, TAGS};
use crate::i18n::Lang;
use crate::site::{PageId, Site, slugify};

/// One configured taxonomy and its terms, in one language: a site with several languages has
/// each taxonomy once per language.
#[derive(Debug)]
pub struct Taxonomy {
    /// The name from `weft.yaml` (`topics`), which is also its front matter key.
    pub key: String,
    /// The language of its pages.
    pub lang: Lang,
    /// Its name in that language: the language's name for it in `weft.yaml`, else `key`.
    pub name: String,
    /// Its index page's URL path (`topics/`, `nl/topics/`).
    pub url: String,
    /// Terms in alphabetical order of slug.
    pub terms: Vec<Term>,
}

/// One term of a taxonomy and the pages filed under it.
#[derive(Debug)]
pub struct Term {
    /// Its URL segment below the taxonomy's (`information-exchange`): the same term in
    /// another language has the same one.
    pub key: String,
    /// The term as first written (`Information exchange`), or its name in the language from
    /// `weft.yaml`'s `terms`.
    pub name: String,
    /// Its URL path (`topics/information-exchange/`).
    pub url: String,
    /// Pages with this term, by title.
    pub pages: Vec<PageId>,
}

/// Collects every taxonomy's terms from the pages' front matter: the configured taxonomies,
/// and `tags` when a page has tags; in each language, from its pages.
pub fn collect(site: &Site, config: &SiteConfig) -> Vec<Taxonomy> {
    config
        .languages
        .indexes()
        .flat_map(|lang| collect_in(site, config, lang))
        .collect()
}

fn collect_in(site: &Site, config: &SiteConfig, lang: Lang) -> Vec<Taxonomy> {
    let language = config.languages.get(lang);
    let mine = || site.pages.iter().filter(move |p| p.lang == lang);
    let mut names = config.taxonomies.clone();
    let tagged = || mine().any(|p| p.fm.taxonomies.contains_key(TAGS) || !p.body.tags.is_empty());
    if !names.iter().any(|n| n == TAGS) && tagged() {
        names.push(TAGS.to_string());
    }
    names
        .iter()
        .map(|name| {
            let own_names = language.decl.terms.get(name);
            let mut terms: BTreeMap<String, Term> = BTreeMap::new();
            for id in site.ids() {
                let page = site.page(id);
                if page.lang != lang {
                    continue;
                }
                let written = page.fm.taxonomies.get(name).into_iter().flatten();
                // Inline `#tags` join the page's tags.
                let inline = if name == TAGS {
                    &page.body.tags[..]
                } else {
                    &[]
                };
                for value in written.chain(inline) {
                    // A nested tag (`area/sub`) files the page under each level.
                    let levels = if name == TAGS {
                        nested(value)
                    } else {
                        vec![value.trim()]
                    };
                    for level in levels {
                        let slug = if name == TAGS {
                            term_slug(level)
                        } else {
                            slugify(level)
                        };
                        let term = terms.entry(slug.clone()).or_insert_with(|| Term {
                            key: slug.clone(),
                            name: own_names
                                .and_then(|n| n.get(level))
                                .cloned()
                                .unwrap_or_else(|| level.to_string()),
                            url: format!("{}{}/{slug}/", language.prefix, slugify(name)),
                            pages: Vec::new(),
                        });
                        // Pages come in order: a page that repeats a term is the last one added.
                        if term.pages.last() != Some(&id) {
                            term.pages.push(id);
                        }
                    }
                }
            }
            let mut terms: Vec<Term> = terms.into_values().collect();
            for term in &mut terms {
                term.pages
                    .sort_by_cached_key(|&id| (site.page(id).title.to_lowercase(), id));
            }
            Taxonomy {
                key: name.clone(),
                lang,
                name: language
                    .decl
                    .taxonomies
                    .get(name)
                    .cloned()
                    .unwrap_or_else(|| name.clone()),
                url: format!("{}{}/", language.prefix, slugify(name)),
                terms,
            }
        })
        .collect()
}

/// `area/sub/leaf` and the tags above it: `area`, `area/sub`.
fn nested(tag: &str) -> Vec<&str> {
    let tag = tag.trim().trim_start_matches('#').trim_matches('/');
    let mut levels: Vec<&str> = tag.match_indices('/').map(|(i, _)| &tag[..i]).collect();
    levels.push(tag);
    levels.retain(|l| !l.is_empty());
    levels
}

/// A term's URL path below its taxonomy: each `/`-separated level made a slug.
pub fn term_slug(term: &str) -> String {
    term.split('/')
        .filter(|level| !level.trim().is_empty())
        .map(slugify)
        .collect::<Vec<_>>()
        .join("/")
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
