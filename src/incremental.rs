//! Incremental builds for `weft serve`: a [`BuildCache`] keeps the [`pipeline`]'s inputs,
//! derived site and outputs between builds, and after a change decides which outputs of the
//! plan to make again. Its result is [`pipeline::build`]'s, file for file, but for the search
//! index, which `weft build` makes.
//!
//! - A changed Markdown file is read and parsed again; the others are not read.
//! - The tree, the links and the taxonomies are kept when the changed files leave alone all
//!   that placing, linking and filing read; otherwise they are derived again.
//! - Each output is recorded with the facts it read while it rendered ([`Fact`]); after a
//!   change, an output is made again when one of those facts has a new fingerprint. What an
//!   output reads is whatever its template's context reads, so a field added to a context is
//!   tracked with no change here.
//! - A template change makes every output again; a config change starts over.
//! - The map and `graph.json` can be left for later ([`BuildCache::defer`]).

mod facts;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};
use crate::output::{Content, SharedFiles};
use crate::pipeline::{self, BuildOptions, Counts, Derived, Inputs, Output, Plan, Timings};
use crate::render::{Fact, Reads, Renderer, Theme, Urls};
use crate::watch::{Change, ChangeKind};

use facts::{Changes, Table};

/// A site built from a [`BuildCache`].
pub struct Built {
    /// Every output file by relative path.
    pub files: SharedFiles,
    /// How many pages and sections it has.
    pub counts: Counts,
    /// Outputs made anew; the others were the last build's.
    pub made: usize,
    /// Output files that hold the last build's version until [`BuildCache::finish`] makes
    /// theirs (see [`BuildCache::defer`]).
    pub pending: Vec<String>,
    /// Time per stage.
    pub timings: Timings,
}

/// What the last build read, derived and made, kept between the builds of `weft serve`.
pub struct BuildCache {
    options: BuildOptions,
    defer: bool,
    /// `None` until the config loads.
    state: Option<State>,
}

impl BuildCache {
    /// An empty cache: the first [`BuildCache::update`] builds everything.
    pub fn new(options: BuildOptions) -> Self {
        BuildCache {
            options,
            defer: false,
            state: None,
        }
    }

    /// The options it builds with.
    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// Leaves the map and `graph.json`, slow to make on a large site and seldom looked at
    /// while writing, to [`BuildCache::finish`]: [`BuildCache::update`] gives their last
    /// version meanwhile, and names them in [`Built::pending`].
    pub fn defer(&mut self, defer: bool) {
        self.defer = defer;
    }

    /// Makes what the last [`BuildCache::update`] left pending; returns those files by output
    /// path, and what making them found wrong.
    pub fn finish(&mut self) -> (Vec<(String, Arc<Content>)>, Diagnostics) {
        let mut problems = Vec::new();
        let files = match &mut self.state {
            Some(state) => state.finish(&mut problems),
            None => Vec::new(),
        };
        let mut diagnostics = Diagnostics::default();
        diagnostics.extend(problems);
        (files, diagnostics)
    }

    /// Builds the site after `changes` (paths under the site's root, which should be canonical
    /// as the watcher's are), reusing what they cannot have changed. Returns what
    /// [`pipeline::build`] would, but for the search index.
    pub fn update(&mut self, changes: &[Change]) -> (Option<Built>, Diagnostics) {
        let mut timings = Timings::start();
        let restart = changes.iter().any(|c| c.kind == ChangeKind::Config);
        let state = match self.state.take() {
            Some(mut state) if !restart => {
                state.apply(&self.options.root, changes);
                state
            }
            _ => match Inputs::load(&self.options) {
                Ok(inputs) => State::new(inputs),
                Err(problems) => {
                    let mut diagnostics = Diagnostics::default();
                    diagnostics.extend(problems);
                    return (None, diagnostics);
                }
            },
        };
        timings.stage("read");
        let state = self.state.insert(state);
        state.outputs.defer = self.defer;
        let (built, problems) = state.build(self.options.drafts, timings);
        let mut diagnostics = Diagnostics::default();
        diagnostics.extend(problems);
        match built {
            Some(_) if diagnostics.has_errors() => (None, diagnostics),
            built => (built, diagnostics),
        }
    }
}

struct State {
    inputs: Inputs,
    /// The tree, links and taxonomies of the last build.
    derived: Option<Derived>,
    /// Its plan.
    plan: Option<Plan>,
    /// What the last build made.
    outputs: Outputs,
}

/// An output as last made, with what it read.
struct Made {
    /// What it is, in the ids of the site it was made from.
    output: Output,
    /// The facts it read, sorted.
    reads: Box<[Fact]>,
    /// Left in place of a newer version that is still to be made (see
    /// [`BuildCache::defer`]): made again by the next build if not by [`State::finish`].
    stale: bool,
    result: Result<Arc<Content>, Diagnostic>,
}

/// The outputs of the last build and the fingerprints of the facts they were made from.
#[derive(Default)]
struct Outputs {
    /// By the index of its output in the last plan.
    made: Vec<Option<Made>>,
    /// The fingerprints of the site they read; `None` makes every output again.
    table: Option<Table>,
    /// Whether to leave the map and graph.json, when they have a version to show meanwhile,
    /// to [`State::finish`].
    defer: bool,
    /// What the last build left to [`State::finish`], by output path.
    pending: Vec<String>,
}

impl State {
    fn new(inputs: Inputs) -> State {
        State {
            inputs,
            derived: None,
            plan: None,
            outputs: Outputs::default(),
        }
    }

    /// Takes in `changes`, other than to the config: reads again what they name.
    fn apply(&mut self, root: &Path, changes: &[Change]) {
        let mut templates = false;
        for change in changes {
            let Ok(rel) = change.path.strip_prefix(root) else {
                continue;
            };
            let first = rel.components().next().map(|c| c.as_os_str());
            if first.is_some_and(|f| f == "templates" || f == "themes") {
                templates = true;
            } else if let Some((folder, under)) = self.inputs.sources.layout.place(rel) {
                let config = &self.inputs.config;
                self.inputs.sources.rescan(root, config, folder, &under);
            }
        }
        if templates {
            let before = self.inputs.theme.as_ref().map_or(0, Theme::fingerprint);
            self.inputs.reload_theme(root);
            if self.inputs.theme.as_ref().map_or(0, Theme::fingerprint) != before {
                // Every output reads the templates.
                self.outputs.made.clear();
            }
            // The theme's own files may have come or gone: links may lead elsewhere.
            self.derived = None;
        }
    }

    /// Runs the stages after reading, making again only the outputs whose facts changed.
    fn build(&mut self, drafts: bool, mut timings: Timings) -> (Option<Built>, Vec<Diagnostic>) {
        let mut problems = self.inputs.problems();
        let reparsed = match &mut self.derived {
            Some(derived) if !self.inputs.sources.moved => derived.reparse(&self.inputs.sources),
            _ => None,
        };
        if reparsed.is_none() {
            self.derived = None;
        }
        let derived = match self.derived.take() {
            Some(derived) => {
                timings.stage("reparse");
                derived
            }
            None => self.inputs.derive(drafts, &mut timings),
        };
        let derived = self.derived.insert(derived);
        self.inputs.sources.settle();
        problems.extend(derived.problems.iter().cloned());
        let (plan, last_plan) = match (reparsed.is_some(), self.plan.take()) {
            // The tree, links and terms are as they were: so are the outputs' paths, unless
            // the first diagram came or the last went (Mermaid is written for them).
            (true, Some(plan)) if plan.diagrams == derived.site.has_diagrams() => (plan, None),
            (_, last) => (self.inputs.plan(derived), last.map(|plan| plan.outputs)),
        };
        let plan = self.plan.insert(plan);
        problems.extend(plan.problems.iter().cloned());
        timings.stage("plan");
        let mut files = SharedFiles::new();
        let mut made = 0;
        if let Ok(theme) = &self.inputs.theme {
            let config = &self.inputs.config;
            let urls = Urls::new(&config.base_url);
            let renderer = Renderer::new(config, derived.data(), &urls, theme);
            let changes = self.outputs.table.take().map(|old| {
                let (table, changes) = match &reparsed {
                    Some(ids) => old.refresh(renderer.data(), ids),
                    None => old.rebuild(renderer.data()),
                };
                self.outputs.table = Some(table);
                changes
            });
            if self.outputs.table.is_none() {
                self.outputs.table = Some(Table::new(renderer.data()));
            }
            timings.stage("facts");
            let failures;
            let last = last_plan.as_deref();
            (made, failures) =
                self.outputs
                    .make(&renderer, plan, last, changes.as_ref(), &mut files);
            problems.extend(pipeline::group_failures(&derived.site, failures));
            timings.stage("render");
        }
        for (path, content) in &plan.copies {
            files.insert(path.clone(), Arc::new(content.clone()));
        }
        let built = Built {
            files,
            counts: Counts::of(&derived.site),
            made,
            pending: self.outputs.pending.clone(),
            timings,
        };
        (Some(built), problems)
    }

    /// See [`BuildCache::finish`].
    fn finish(&mut self, problems: &mut Vec<Diagnostic>) -> Vec<(String, Arc<Content>)> {
        let pending = std::mem::take(&mut self.outputs.pending);
        let (Some(derived), Some(plan), Ok(theme)) =
            (&self.derived, &self.plan, &self.inputs.theme)
        else {
            return Vec::new();
        };
        let config = &self.inputs.config;
        let urls = Urls::new(&config.base_url);
        let renderer = Renderer::new(config, derived.data(), &urls, theme);
        let todo: Vec<usize> = (0..plan.outputs.len())
            .filter(|&i| pending.contains(&plan.outputs[i].0))
            .collect();
        let made: Vec<Made> = todo
            .par_iter()
            .map(|&i| make_one(&renderer, plan.outputs[i].1))
            .collect();
        let mut files = Vec::new();
        let mut failures = Vec::new();
        for (i, made) in todo.into_iter().zip(made) {
            let (path, output) = &plan.outputs[i];
            match &made.result {
                Ok(content) => files.push((path.clone(), Arc::clone(content))),
                Err(diagnostic) => failures.push((pipeline::page_of(*output), diagnostic.clone())),
            }
            if let Some(slot) = self.outputs.made.get_mut(i) {
                *slot = Some(made);
            }
        }
        problems.extend(pipeline::group_failures(&derived.site, failures));
        files
    }
}

/// Makes one output, recording what it reads.
fn make_one(renderer: &Renderer, output: Output) -> Made {
    let reads = Reads::default();
    let result = pipeline::make(renderer, output, Some(&reads)).map(|mut html| {
        html.shrink_to_fit();
        Arc::new(Content::Bytes(html.into_bytes()))
    });
    let mut reads = reads.into_inner();
    reads.sort_unstable();
    reads.dedup();
    Made {
        output,
        reads: reads.into_boxed_slice(),
        stale: false,
        result,
    }
}

impl Outputs {
    /// Makes the outputs of `plan` that are new or read a fact in `changes` (all of them
    /// without `changes`), keeps the others, and adds every output to `files`. Returns how
    /// many were made, and the outputs that failed.
    fn make(
        &mut self,
        renderer: &Renderer,
        plan: &Plan,
        last_plan: Option<&[(String, Output)]>,
        changes: Option<&Changes>,
        files: &mut SharedFiles,
    ) -> (usize, Vec<(Option<crate::site::PageId>, Diagnostic)>) {
        let old = std::mem::take(&mut self.made);
        let mut previous: Vec<Option<Made>> = match last_plan {
            // The same plan: the outputs are where they were.
            None if old.len() == plan.outputs.len() => old,
            Some(last) if last == plan.outputs.as_slice() && old.len() == last.len() => old,
            None => plan.outputs.iter().map(|_| None).collect(),
            Some(last) => {
                let mut by_path: HashMap<&str, Made> = last
                    .iter()
                    .zip(old)
                    .filter_map(|((path, _), made)| Some((path.as_str(), made?)))
                    .collect();
                let take = |(path, _): &(String, Output)| by_path.remove(path.as_str());
                plan.outputs.iter().map(take).collect()
            }
        };
        self.pending.clear();
        let verdicts: Vec<Verdict> = previous
            .par_iter()
            .zip(&plan.outputs)
            .map(|(made, (_, output))| self.verdict(made.as_ref(), *output, changes))
            .collect();
        let todo: Vec<usize> = plan
            .slow_first()
            .into_iter()
            .filter(|&i| verdicts[i] == Verdict::Make)
            .collect();
        let made: Vec<Made> = todo
            .par_iter()
            .map(|&i| make_one(renderer, plan.outputs[i].1))
            .collect();
        let count = made.len();
        for (i, made) in todo.into_iter().zip(made) {
            previous[i] = Some(made);
        }
        let mut failures = Vec::new();
        for (i, ((path, output), verdict)) in plan.outputs.iter().zip(verdicts).enumerate() {
            let Some(made) = &mut previous[i] else {
                continue;
            };
            if verdict != Verdict::Make {
                if let Some(changes) = changes {
                    changes.remap(&mut made.reads);
                }
                made.output = *output;
            }
            if verdict == Verdict::Wait {
                // The last version stands in until `finish` makes this one.
                made.stale = true;
                self.pending.push(path.clone());
            }
            match &made.result {
                Ok(content) => {
                    files.insert(path.clone(), Arc::clone(content));
                }
                Err(diagnostic) => failures.push((pipeline::page_of(*output), diagnostic.clone())),
            }
        }
        self.made = previous;
        (count, failures)
    }

    /// Whether `output`, last `made` (in the last build's ids), can be kept after `changes`.
    fn verdict(&self, made: Option<&Made>, output: Output, changes: Option<&Changes>) -> Verdict {
        let (Some(made), Some(changes)) = (made, changes) else {
            return Verdict::Make;
        };
        let same = !made.stale
            && changes.output(made.output) == Some(output)
            && !made.reads.iter().any(|&fact| changes.changed(fact));
        match same {
            true => Verdict::Keep,
            false if self.defer && output.is_slow() && made.result.is_ok() => Verdict::Wait,
            false => Verdict::Make,
        }
    }
}

/// What becomes of an output in a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// Kept as last made: nothing it read changed.
    Keep,
    /// Made again.
    Make,
    /// Kept for now, made again by [`State::finish`].
    Wait,
}

#[cfg(test)]
mod tests;
