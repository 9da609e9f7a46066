//! The pages and generated files of the last build, each with the fingerprint of what it was
//! made from: only those whose fingerprint changed are made again.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use super::SharedFiles;
use super::fingerprint::Facts;
use crate::commands::build::page_file;
use crate::diag::Diagnostic;
use crate::generate::{self, Generated};
use crate::output::Content;
use crate::render::Renderer;
use crate::site::PageId;

/// A page or generated file as last made, with the fingerprint of what it was made from.
struct Made {
    fingerprint: u64,
    result: Result<Arc<Content>, Diagnostic>,
}

/// Pages and generated files as last made.
#[derive(Default)]
pub(super) struct Outputs {
    /// Pages in the order of the last site's, by path relative to `content/`.
    pages: Vec<(PathBuf, Made)>,
    /// Generated files by output path.
    generated: HashMap<String, Made>,
    /// Whether to leave the map and graph.json, when they have a version to show meanwhile,
    /// to [`Outputs::finish`].
    pub(super) defer: bool,
    /// What the last [`Outputs::generate`] left to [`Outputs::finish`], by output path.
    pub(super) pending: Vec<String>,
}

impl Outputs {
    /// Renders the pages whose fingerprint changed and adds every page to `files`. Returns
    /// how many were rendered.
    pub(super) fn render_pages(
        &mut self,
        renderer: &Renderer,
        facts: &Facts,
        files: &mut SharedFiles,
        problems: &mut Vec<Diagnostic>,
    ) -> usize {
        let site = renderer.site;
        let ids: Vec<PageId> = site.ids().collect();
        let fingerprints: Vec<u64> = ids.iter().map(|&id| facts.fingerprint(id)).collect();
        let old = std::mem::take(&mut self.pages);
        let aligned =
            old.len() == ids.len() && old.iter().zip(&site.pages).all(|(o, page)| o.0 == page.rel);
        let mut previous: Vec<Option<Made>> = if aligned {
            old.into_iter().map(|(_, made)| Some(made)).collect()
        } else {
            let mut by_rel: HashMap<PathBuf, Made> = old.into_iter().collect();
            site.pages.iter().map(|p| by_rel.remove(&p.rel)).collect()
        };
        let todo: Vec<PageId> = ids
            .iter()
            .copied()
            .filter(|id| {
                let index = id.0 as usize;
                previous[index]
                    .as_ref()
                    .is_none_or(|made| made.fingerprint != fingerprints[index])
            })
            .collect();
        let rendered: Vec<(PageId, Result<String, Diagnostic>)> = todo
            .par_iter()
            .map(|&id| {
                let html = renderer.render_page(id).map(|mut html| {
                    html.shrink_to_fit();
                    html
                });
                (id, html)
            })
            .collect();
        let count = rendered.len();
        for (id, result) in rendered {
            previous[id.0 as usize] = Some(Made {
                fingerprint: fingerprints[id.0 as usize],
                result: result.map(|html| Arc::new(Content::Bytes(html.into_bytes()))),
            });
        }
        let mut failures = Vec::new();
        for (id, made) in ids.into_iter().zip(previous) {
            let Some(made) = made else { continue };
            let page = site.page(id);
            match &made.result {
                Ok(content) => {
                    files.insert(page_file(&page.url), Arc::clone(content));
                }
                Err(diagnostic) => failures.push((id, diagnostic.clone())),
            }
            self.pages.push((page.rel.clone(), made));
        }
        problems.extend(crate::render::group_failures(site, failures));
        count
    }

    /// Makes the generated files whose fingerprint changed, and the cheap ones, and adds
    /// them and the alias redirects to `files`. Returns how many were made.
    pub(super) fn generate(
        &mut self,
        renderer: &Renderer,
        facts: &Facts,
        files: &mut SharedFiles,
        problems: &mut Vec<Diagnostic>,
    ) -> usize {
        let list = generate::generated_files(renderer);
        let mut old = std::mem::take(&mut self.generated);
        self.pending.clear();
        let kept: Vec<(Option<u64>, Option<Made>)> = list
            .iter()
            .map(|(path, what)| {
                let fingerprint = facts.generated(renderer, *what);
                let made = old.remove(path);
                let slow = matches!(what, Generated::Map | Generated::Graph);
                match made {
                    Some(made) if fingerprint == Some(made.fingerprint) => {
                        (fingerprint, Some(made))
                    }
                    // The last version stands in until `finish` makes this one.
                    Some(made) if self.defer && slow && made.result.is_ok() => {
                        self.pending.push(path.clone());
                        (Some(made.fingerprint), Some(made))
                    }
                    _ => (fingerprint, None),
                }
            })
            .collect();
        let made: Vec<Option<Result<String, Diagnostic>>> = list
            .par_iter()
            .zip(&kept)
            .map(|((_, what), (_, kept))| kept.is_none().then(|| generate::make(renderer, *what)))
            .collect();
        let count = made.iter().flatten().count();
        // In the order of `generate::add_generated`, so that collisions are reported alike.
        for (((path, _), (fingerprint, kept)), made) in list.into_iter().zip(kept).zip(made) {
            let made = match (kept, made) {
                (Some(kept), _) => kept,
                (None, Some(result)) => Made {
                    fingerprint: fingerprint.unwrap_or_default(),
                    result: result.map(|text| Arc::new(Content::Bytes(text.into_bytes()))),
                },
                (None, None) => continue,
            };
            match &made.result {
                Ok(_) if files.contains_key(&path) => {
                    problems.push(generate::duplicate_output(renderer.site, &path));
                }
                Ok(content) => {
                    files.insert(path.clone(), Arc::clone(content));
                }
                Err(diagnostic) => problems.push(diagnostic.clone()),
            }
            if fingerprint.is_some() {
                self.generated.insert(path, made);
            }
        }
        let aliases = generate::alias_pages(renderer, |path| files.contains_key(path), problems);
        for (path, html) in aliases {
            files.insert(path, Arc::new(Content::Bytes(html.into_bytes())));
        }
        count
    }

    /// Makes the files [`Outputs::generate`] left pending; returns them by output path.
    pub(super) fn finish(
        &mut self,
        renderer: &Renderer,
        facts: &Facts,
        problems: &mut Vec<Diagnostic>,
    ) -> Vec<(String, Arc<Content>)> {
        let pending = std::mem::take(&mut self.pending);
        let list: Vec<(String, Generated)> = generate::generated_files(renderer)
            .into_iter()
            .filter(|(path, _)| pending.contains(path))
            .collect();
        let made: Vec<Result<String, Diagnostic>> = list
            .par_iter()
            .map(|(_, what)| generate::make(renderer, *what))
            .collect();
        let mut files = Vec::new();
        for ((path, what), result) in list.into_iter().zip(made) {
            let made = Made {
                fingerprint: facts.generated(renderer, what).unwrap_or_default(),
                result: result.map(|text| Arc::new(Content::Bytes(text.into_bytes()))),
            };
            match &made.result {
                Ok(content) => files.push((path.clone(), Arc::clone(content))),
                Err(diagnostic) => problems.push(diagnostic.clone()),
            }
            self.generated.insert(path, made);
        }
        files
    }
}

/// Adds the copied files, as `weft build` does: none may take a page's place.
pub(super) fn merge_statics(
    files: &mut SharedFiles,
    statics: BTreeMap<String, Content>,
    problems: &mut Vec<Diagnostic>,
) {
    for (path, content) in statics {
        if files.contains_key(&path) {
            problems.push(crate::commands::build::static_collision(&path));
            continue;
        }
        files.insert(path, Arc::new(content));
    }
}
