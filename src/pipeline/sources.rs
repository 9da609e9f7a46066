//! The site's source files as last read: Markdown parsed, other files listed. A change makes
//! only its own path (a file, or a folder and what is under it) be read again.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::diag::Diagnostic;
use crate::discover::{self, AssetFile, Folder, Layout, MarkdownFile, is_ignored_name};
use crate::site::{self, Parsed};

/// A Markdown file as last read.
pub enum Markdown {
    Parsed {
        parsed: Parsed,
        problems: Vec<Diagnostic>,
    },
    Unreadable(Diagnostic),
}

/// Every source file of the content folder and `static/`.
pub struct Sources {
    /// Where the sources are.
    pub layout: Layout,
    /// Markdown under `content/`, by path relative to it.
    pub markdown: BTreeMap<PathBuf, Markdown>,
    /// Other files under `content/`, by path relative to it.
    pub content_assets: BTreeMap<PathBuf, AssetFile>,
    /// Files under `static/`, by path relative to it.
    pub statics: BTreeMap<PathBuf, AssetFile>,
    /// What walking `content/` found wrong (symbolic links out of the site, …).
    content_problems: Vec<Diagnostic>,
    /// What walking `static/` found wrong.
    static_problems: Vec<Diagnostic>,
    /// Markdown files parsed again since [`Sources::settle`], whose set of files is the same.
    pub reparsed: Vec<PathBuf>,
    /// Whether files came, went or could not be read since [`Sources::settle`].
    pub moved: bool,
}

impl Sources {
    /// Reads every source file.
    pub fn load(root: &Path, config: &SiteConfig) -> Sources {
        let mut sources = Sources {
            layout: Layout::new(config),
            markdown: BTreeMap::new(),
            content_assets: BTreeMap::new(),
            statics: BTreeMap::new(),
            content_problems: Vec::new(),
            static_problems: Vec::new(),
            reparsed: Vec::new(),
            moved: false,
        };
        for folder in Folder::ALL {
            sources.rescan(root, config, folder, Path::new(""));
        }
        sources
    }

    /// Reads again the files at or under `under` (relative to `folder`): what is gone is
    /// forgotten, what is new or changed is read and parsed, what is unchanged is kept.
    pub fn rescan(&mut self, root: &Path, config: &SiteConfig, folder: Folder, under: &Path) {
        if is_hidden(under) || self.in_output(root, folder, under) {
            return;
        }
        let mut problems = Vec::new();
        let found = discover::walk_under(root, &self.layout, folder, under, &mut problems);
        let whole = under.as_os_str().is_empty();
        let known = match folder {
            Folder::Content => &mut self.content_problems,
            Folder::Static => &mut self.static_problems,
        };
        let clean = problems.is_empty() && known.is_empty();
        if !whole && !clean {
            // Walking problems are known for a folder as a whole; look at all of it.
            return self.rescan(root, config, folder, Path::new(""));
        }
        if whole {
            *known = problems;
            self.moved = true;
        }
        if folder == Folder::Static {
            let gone = remove_under(&mut self.statics, under);
            self.moved |= !same_keys(&gone, &found);
            self.statics
                .extend(found.into_iter().map(|f| (f.rel.clone(), f)));
            return;
        }
        let (markdown, assets): (Vec<_>, Vec<_>) = found
            .into_iter()
            .partition(|f| discover::is_markdown(&f.rel));
        let gone = remove_under(&mut self.content_assets, under);
        self.moved |= !same_keys(&gone, &assets);
        self.content_assets
            .extend(assets.into_iter().map(|f| (f.rel.clone(), f)));
        let old = remove_under(&mut self.markdown, under);
        self.moved |= !same_keys(&old, &markdown);
        self.read(markdown, old, config);
    }

    /// Whether `under` is in a folder weft wrote a site into (`weft build -o site` inside a
    /// vault), which discovery never reads as content.
    fn in_output(&self, root: &Path, folder: Folder, under: &Path) -> bool {
        let base = root.join(self.layout.dir(folder));
        folder == Folder::Content
            && under
                .ancestors()
                .filter(|dir| !dir.as_os_str().is_empty())
                .any(|dir| base.join(dir).join(crate::output::MARKER).is_file())
    }

    /// Reads `files`, parsing those whose text is not that of their entry in `old`.
    fn read(
        &mut self,
        files: Vec<AssetFile>,
        mut old: BTreeMap<PathBuf, Markdown>,
        config: &SiteConfig,
    ) {
        let content = &self.layout.content;
        let read: Vec<_> = files
            .par_iter()
            .map(|file| discover::read_markdown(file, content))
            .collect();
        let mut to_parse: Vec<MarkdownFile> = Vec::new();
        for (file, result) in files.into_iter().zip(read) {
            let before = old.remove(&file.rel);
            match (result, before) {
                (Ok(read), Some(entry @ Markdown::Parsed { .. })) => {
                    if same_text(&entry, &read) {
                        self.markdown.insert(file.rel, entry);
                    } else {
                        self.reparsed.push(file.rel);
                        to_parse.push(read);
                    }
                }
                (Ok(read), _) => {
                    self.moved = true;
                    to_parse.push(read);
                }
                (Err(diagnostic), _) => {
                    self.moved = true;
                    self.markdown
                        .insert(file.rel, Markdown::Unreadable(diagnostic));
                }
            }
        }
        let parsed: Vec<(PathBuf, Markdown)> = to_parse
            .into_par_iter()
            .map(|file| {
                let rel = file.rel.clone();
                let (parsed, problems) = site::parse_file(file, config);
                let entry = Markdown::Parsed { parsed, problems };
                (rel, entry)
            })
            .collect();
        self.markdown.extend(parsed);
    }

    /// Forgets what changed: the build has taken it in.
    pub fn settle(&mut self) {
        self.reparsed.clear();
        self.moved = false;
    }

    /// What reading found wrong: walking, reading and parsing.
    pub fn problems(&self) -> Vec<Diagnostic> {
        let mut problems = [&self.content_problems[..], &self.static_problems[..]].concat();
        for entry in self.markdown.values() {
            match entry {
                Markdown::Parsed {
                    problems: found, ..
                } => problems.extend(found.iter().cloned()),
                Markdown::Unreadable(diagnostic) => problems.push(diagnostic.clone()),
            }
        }
        problems
    }

    /// The Markdown files that could not be read, by path relative to `content/`.
    pub fn unreadable(&self) -> BTreeSet<PathBuf> {
        self.markdown
            .iter()
            .filter(|(_, entry)| matches!(entry, Markdown::Unreadable(_)))
            .map(|(rel, _)| rel.clone())
            .collect()
    }

    /// The parsed files.
    pub fn parsed(&self) -> Vec<Parsed> {
        self.markdown
            .values()
            .filter_map(|entry| match entry {
                Markdown::Parsed { parsed, .. } => Some(parsed.clone()),
                Markdown::Unreadable(_) => None,
            })
            .collect()
    }
}

/// Whether a path under a source folder passes through a file or folder discovery skips.
fn is_hidden(under: &Path) -> bool {
    under.components().any(|c| match c {
        Component::Normal(name) => is_ignored_name(&name.to_string_lossy()),
        _ => true,
    })
}

fn same_text(entry: &Markdown, read: &MarkdownFile) -> bool {
    matches!(entry, Markdown::Parsed { parsed, .. } if parsed.source().text == read.source.text)
}

fn same_keys<T>(old: &BTreeMap<PathBuf, T>, found: &[AssetFile]) -> bool {
    old.len() == found.len() && found.iter().all(|f| old.contains_key(&f.rel))
}

/// Removes and returns the entries of `map` at or under `under`.
fn remove_under<T>(map: &mut BTreeMap<PathBuf, T>, under: &Path) -> BTreeMap<PathBuf, T> {
    let gone: Vec<PathBuf> = map
        .range::<Path, _>((std::ops::Bound::Included(under), std::ops::Bound::Unbounded))
        .map(|(path, _)| path)
        .take_while(|path| path.starts_with(under))
        .cloned()
        .collect();
    gone.into_iter()
        .filter_map(|path| map.remove(&path).map(|entry| (path, entry)))
        .collect()
}
