//! The output plan: every file the site will have, by output path, with every collision
//! between pages, generated files, alias redirects and copied files found before anything
//! is rendered.

use std::collections::{BTreeMap, HashSet};

use super::{Derived, Sources};
use crate::config::SiteConfig;
use crate::diag::{Code, Diagnostic};
use crate::generate::{self, Alias, Generated, page_file};
use crate::output::Content;
use crate::render::Theme;
use crate::site::{PageId, Site};
use crate::source::display_path;
use crate::theme::{CODE_CSS, MERMAID, StaticFile};
use std::borrow::Cow;

/// One file weft makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// A page or section.
    Page(PageId),
    /// A taxonomy page, the map, the feed, …
    Generated(Generated),
    /// A redirect from an old URL.
    Alias(Alias),
}

impl Output {
    /// Whether it is slow to make on a large site and seldom looked at while writing: the
    /// map's layout and `graph.json`.
    pub fn is_slow(self) -> bool {
        matches!(
            self,
            Output::Generated(Generated::Map(_) | Generated::Graph(_))
        )
    }
}

/// Every output file of a site.
pub struct Plan {
    /// What weft makes, by output path: the pages, then the generated files, then the
    /// alias redirects.
    pub outputs: Vec<(String, Output)>,
    /// The files copied as they are, by output path.
    pub copies: BTreeMap<String, Content>,
    /// The collisions.
    pub problems: Vec<Diagnostic>,
    /// Whether it has Mermaid, for a page with a diagram.
    pub diagrams: bool,
}

impl Plan {
    /// Lists the outputs of `derived`; without templates, only the copied files.
    pub fn new(
        derived: &Derived,
        config: &SiteConfig,
        theme: Option<&Theme>,
        sources: &Sources,
    ) -> Plan {
        let site = &derived.site;
        let mut problems = Vec::new();
        let mut pages = Vec::new();
        let mut generated = Vec::new();
        let mut aliases = Vec::new();
        // Paths are checked against those taken before them: pages, generated files, aliases.
        let mut taken: HashSet<&str> = HashSet::new();
        if theme.is_some() {
            pages = site
                .ids()
                .map(|id| (page_file(&site.page(id).url), Output::Page(id)))
                .collect();
            taken.extend(
                pages
                    .iter()
                    .map(|(path, _): &(String, Output)| path.as_str()),
            );
            let mut made = HashSet::new();
            for (path, what) in generate::generated_files(&derived.taxonomies, config) {
                // A page of the site's own at a taxonomy's index (a vault's note `Tags`, at
                // `/tags/`) takes the place of the list weft would make there.
                let index = matches!(what, generate::Generated::Taxonomy(_));
                if index && taken.contains(path.as_str()) {
                    continue;
                }
                if taken.contains(path.as_str()) || !made.insert(path.clone()) {
                    problems.push(generate::duplicate_output(site, &path));
                    continue;
                }
                generated.push((path, Output::Generated(what)));
            }
            taken.extend(generated.iter().map(|(path, _)| path.as_str()));
            let found = generate::alias_files(site, |path| taken.contains(path), &mut problems);
            aliases = found
                .into_iter()
                .map(|(path, alias)| (path, Output::Alias(alias)))
                .collect();
            taken.extend(aliases.iter().map(|(path, _)| path.as_str()));
        }
        let mut copies = BTreeMap::new();
        let made = theme.map(|_| made_files(config, site, &mut problems));
        for (path, content) in made
            .into_iter()
            .flatten()
            .chain(copied_files(theme, sources, site))
        {
            if taken.contains(path.as_str()) {
                problems.push(static_collision(&path));
                continue;
            }
            copies.insert(path, content);
        }
        let mut outputs = pages;
        outputs.append(&mut generated);
        outputs.append(&mut aliases);
        Plan {
            outputs,
            copies,
            problems,
            diagrams: site.has_diagrams(),
        }
    }

    /// The indexes of the outputs, those slow to make first (the map's layout, `graph.json`),
    /// so that making them in parallel with the others does not leave one core working on
    /// them alone at the end.
    pub fn slow_first(&self) -> Vec<usize> {
        let (mut first, rest): (Vec<usize>, Vec<usize>) =
            (0..self.outputs.len()).partition(|&i| self.outputs[i].1.is_slow());
        first.extend(rest);
        first
    }
}

/// The files copied as they are, by output path: the theme's, `static/`, content assets;
/// a later one takes an earlier one's place.
pub(super) fn copied_files(
    theme: Option<&Theme>,
    sources: &Sources,
    site: &Site,
) -> BTreeMap<String, Content> {
    let mut files = BTreeMap::new();
    if let Some(theme) = theme {
        for (url, file) in &theme.statics {
            let content = match file {
                StaticFile::Embedded(bytes) => Content::Static(bytes),
                StaticFile::Disk(path) => Content::Copy(path.clone()),
            };
            files.insert(url.clone(), content);
        }
    }
    for file in sources.statics.values() {
        files.insert(display_path(&file.rel), Content::Copy(file.abs.clone()));
    }
    for (url, asset) in &site.assets {
        files.insert(url.clone(), Content::Copy(asset.abs.clone()));
    }
    files
}

/// The files weft writes for what pages hold: the stylesheet of highlighted code and, when a
/// page has a diagram, Mermaid. A theme's or the site's file of the same name replaces them.
fn made_files(
    config: &SiteConfig,
    site: &Site,
    problems: &mut Vec<Diagnostic>,
) -> Vec<(String, Content)> {
    let mut files = Vec::new();
    match crate::markdown::stylesheet(&config.highlight) {
        Ok(Cow::Borrowed(css)) => files.push((CODE_CSS.into(), Content::Static(css.as_bytes()))),
        Ok(Cow::Owned(css)) => files.push((CODE_CSS.into(), Content::Bytes(css.into_bytes()))),
        Err(error) => problems.push(
            Diagnostic::error(Code::InvalidConfig, format!("`highlight` in weft.yaml: {error}"))
                .help("name giallo's themes, such as `github-light-default`, `github-dark-default`, `catppuccin-latte` or `one-dark-pro`"),
        ),
    }
    if site.has_diagrams() {
        files.push((MERMAID.0.into(), Content::Static(MERMAID.1)));
    }
    files
}

/// A copied file (static or content asset) would take a generated file's place.
fn static_collision(path: &str) -> Diagnostic {
    Diagnostic::error(
        Code::DuplicateOutput,
        format!("`{path}` is both a copied file and a page or file that weft makes"),
    )
    .help("rename the file in static/ or content/, or change the page's slug")
}
