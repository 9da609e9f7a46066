//! An incremental build must equal a full build of the same sources, file for file and
//! diagnostic for diagnostic; and it must remake only what a change reaches.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::*;
use crate::output::Files;
use crate::pipeline::{self, Pages};
use crate::watch::classify;

const CONFIG: &str = "title: Incremental\nbase_url: https://example.org/docs/\nsearch: false\ntaxonomies: [topics]\nrelations:\n  part_of: { label: \"Part of\", inverse: has_part, inverse_label: \"Includes\" }\n  related: { label: \"Related\", symmetric: true }\n";

/// Pages in the big section: more than the navigation window shows.
const MANY: usize = 30;

struct Fixture {
    _dir: tempfile::TempDir,
    root: PathBuf,
    cache: BuildCache,
    /// The last build's outputs, to tell which the next one made anew.
    last: crate::output::SharedFiles,
}

fn page(title: &str, front: &str, body: &str) -> String {
    format!("---\ntitle: \"{title}\"\n{front}---\n{body}\n")
}

impl Fixture {
    /// An empty site with `config` as its weft.yaml.
    fn empty(config: &str) -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().canonicalize().expect("canonical");
        let options = BuildOptions {
            root: root.clone(),
            base_url: None,
            drafts: false,
        };
        let fixture = Fixture {
            _dir: dir,
            root,
            cache: BuildCache::new(options),
            last: crate::output::SharedFiles::new(),
        };
        fixture.write("weft.yaml", config);
        fixture
    }

    /// A site with a home page, a small section, a section of [`MANY`] pages that link to
    /// each other, taxonomies, relations, an alias, a static file and a bundle asset.
    fn new() -> Fixture {
        let fixture = Fixture::empty(CONFIG);
        fixture.write(
            "content/_index.md",
            &page("Home", "", "Start with the [guide](guide/_index.md)."),
        );
        fixture.write(
            "content/guide/_index.md",
            &page("Guide", "", "How to [install](install.md)."),
        );
        fixture.write(
            "content/guide/install.md",
            &page(
                "Install",
                "topics: [setup]\nrelated: [\"[[Usage]]\"]\n",
                "First paragraph.\n\n## Steps\n\nRun it. See [[Usage#options]].",
            ),
        );
        fixture.write(
            "content/guide/usage.md",
            &page(
                "Usage",
                "topics: [setup, daily]\naliases: [/old/usage/]\n",
                "Use it, with [[p20]].\n\n## Options\n\nSome. Back to [install](install.md#steps).\n\n![map](bundle/map.png)",
            ),
        );
        fixture.write("content/guide/bundle/map.png", "not really a png");
        fixture.write("content/guide/deep/_index.md", &page("Deep", "", "Deeper."));
        fixture.write(
            "content/guide/deep/er/_index.md",
            &page("Deeper", "", "Still."),
        );
        fixture.write(
            "content/guide/deep/er/leaf.md",
            &page("Leaf", "", "At the bottom."),
        );
        for i in 0..MANY {
            let next = (i + 1) % MANY;
            fixture.write(
                &format!("content/many/p{i:02}.md"),
                &page(
                    &format!("Page {i:02}"),
                    &format!(
                        "weight: {i}\ntopics: [t{}]\npart_of: [many/_index.md]\n",
                        i % 3
                    ),
                    &format!("Text {i}. Next: [[p{next:02}]]. Style: [css](/site.css)."),
                ),
            );
        }
        fixture.write("content/many/_index.md", &page("Many", "", "Lots."));
        fixture.write("static/site.css", "body { color: black; }\n");
        fixture
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    fn remove(&self, rel: &str) {
        let path = self.root.join(rel);
        if path.is_dir() {
            std::fs::remove_dir_all(path).expect("remove dir");
        } else {
            std::fs::remove_file(path).expect("remove");
        }
    }

    fn rename(&self, from: &str, to: &str) {
        std::fs::rename(self.root.join(from), self.root.join(to)).expect("rename");
    }

    /// Builds incrementally after `changed` (paths relative to the root), checks the result
    /// against a full build, and returns how many pages and files were made anew.
    fn update(&mut self, changed: &[&str]) -> usize {
        self.outcome(changed).made
    }

    /// Like [`Fixture::update`], with whether the tree and links were kept.
    fn outcome(&mut self, changed: &[&str]) -> Outcome {
        self.build(changed)
            .unwrap_or_else(|errors| panic!("after {changed:?}, the build failed:\n{errors}"))
    }

    /// Like [`Fixture::update`], for a change that breaks the build.
    fn fails(&mut self, changed: &[&str]) {
        if let Ok(outcome) = self.build(changed) {
            panic!("after {changed:?}, the build did not fail ({outcome:?})");
        }
    }

    /// What the build did, or the diagnostics of a failed build.
    fn build(&mut self, changed: &[&str]) -> Result<Outcome, String> {
        let changes: Vec<Change> = changed
            .iter()
            .map(|rel| Change {
                kind: classify(Path::new(rel), &crate::discover::Layout::default()),
                path: self.root.join(rel),
            })
            .collect();
        let (built, diagnostics) = self.cache.update(&changes);
        let (full, full_diagnostics) = pipeline::build(&self.cache.options, Pages::Keep);
        let diagnostics = diagnostics.render(false);
        assert_eq!(
            diagnostics,
            full_diagnostics.render(false),
            "diagnostics after {changed:?}"
        );
        match (built, full) {
            (Some(mut built), Some(full)) => {
                if !built.pending.is_empty() {
                    let (made, problems) = self.cache.finish();
                    assert_eq!(problems.render(false), "", "finishing after {changed:?}");
                    let names: Vec<&String> = made.iter().map(|(path, _)| path).collect();
                    assert_eq!(names, built.pending.iter().collect::<Vec<_>>());
                    built.files.extend(made);
                }
                same_files(&built.files, &full.files, changed);
                let kept = built
                    .timings
                    .stages
                    .iter()
                    .any(|(name, _)| *name == "reparse");
                // Rendered outputs made anew hold new contents; kept ones, the last build's.
                let remade = built
                    .files
                    .iter()
                    .filter(|(path, _)| path.ends_with(".html") || path.ends_with(".json"))
                    .filter(|(path, content)| {
                        self.last
                            .get(*path)
                            .is_none_or(|last| !std::sync::Arc::ptr_eq(last, content))
                    })
                    .map(|(path, _)| path.clone())
                    .collect();
                self.last = built.files;
                Ok(Outcome {
                    made: built.made,
                    kept,
                    pending: built.pending,
                    remade,
                })
            }
            (None, None) => Err(diagnostics),
            (built, full) => panic!(
                "after {changed:?}: incremental built {}, full built {}",
                built.is_some(),
                full.is_some()
            ),
        }
    }
}

/// What an incremental build did.
#[derive(Debug)]
struct Outcome {
    /// Pages and generated files made anew.
    made: usize,
    /// Whether the tree, links and taxonomies were kept, with new text swapped in.
    kept: bool,
    /// What was left to [`BuildCache::finish`].
    pending: Vec<String>,
    /// The pages, generated pages and `graph.json` made anew, by output path.
    remade: std::collections::BTreeSet<String>,
}

/// The paths of `set`, in order.
fn paths(set: &std::collections::BTreeSet<String>) -> Vec<&str> {
    set.iter().map(String::as_str).collect()
}

fn bytes(content: &Content) -> Vec<u8> {
    match content {
        Content::Bytes(bytes) => bytes.clone(),
        Content::Static(bytes) => bytes.to_vec(),
        Content::Copy(path) => std::fs::read(path).unwrap_or_default(),
    }
}

fn same_files(incremental: &SharedFiles, full: &Files, changed: &[&str]) {
    let full: BTreeMap<&String, &Content> = full
        .iter()
        .filter(|(path, _)| !path.starts_with("pagefind/"))
        .collect();
    let paths = |keys: Vec<&String>| keys.into_iter().cloned().collect::<Vec<_>>();
    assert_eq!(
        paths(incremental.keys().collect()),
        paths(full.keys().copied().collect()),
        "output files after {changed:?}"
    );
    for (path, content) in incremental {
        let (mine, theirs) = (bytes(content), bytes(full[path]));
        assert!(
            mine == theirs,
            "{path} differs after {changed:?}:\n--- incremental\n{}\n--- full\n{}",
            String::from_utf8_lossy(&mine),
            String::from_utf8_lossy(&theirs)
        );
    }
}

mod random;

#[test]
fn edits_match_a_full_build() {
    let mut site = Fixture::new();
    site.update(&[]);
    // Body text: the summary shows on the section and the term pages.
    site.write(
        "content/guide/install.md",
        &page(
            "Install",
            "topics: [setup]\nrelated: [\"[[Usage]]\"]\n",
            "A new first paragraph.\n\n## Steps\n\nRun it. See [[Usage#options]].",
        ),
    );
    site.update(&["content/guide/install.md"]);
    // A heading others link to; then a title others show, in links and backlinks.
    let usage = |title: &str, heading: &str| {
        page(
            title,
            "topics: [setup, daily]\naliases: [/old/usage/, /older/usage/]\n",
            &format!(
                "Use it, with [[p20]].\n\n## {heading} {{#options}}\n\nBack to [install](install.md#steps).\n\n![map](bundle/map.png)"
            ),
        )
    };
    site.write(
        "content/guide/usage.md",
        &usage("Usage", "Options and flags"),
    );
    site.update(&["content/guide/usage.md"]);
    site.write(
        "content/guide/usage.md",
        &usage("Using it", "Options and flags"),
    );
    site.update(&["content/guide/usage.md"]);
    // Order in a section: the navigation window and prev/next of many pages move.
    site.write(
        "content/many/p20.md",
        &page("Page 20", "weight: -1\n", "Now first."),
    );
    site.update(&["content/many/p20.md"]);
    // A relation and a taxonomy term appear.
    site.write(
        "content/many/p05.md",
        &page(
            "Page 05",
            "weight: 5\ntopics: [new-term]\nrelated: [guide/install.md]\n",
            "Related to install.",
        ),
    );
    site.update(&["content/many/p05.md"]);
    // What p05 relates to changes its title; the first spelling of a term changes; the
    // section above a section changes its title; a link moves to another page.
    let install = |title: &str, topic: &str| {
        page(
            title,
            &format!("topics: [{topic}]\nrelated: [\"[[Using it]]\"]\n"),
            "A new first paragraph.\n\n## Steps\n\nRun it. See [[Usage#options]].",
        )
    };
    site.write("content/guide/install.md", &install("Installing", "setup"));
    site.update(&["content/guide/install.md"]);
    site.write("content/guide/install.md", &install("Installing", "Setup"));
    site.update(&["content/guide/install.md"]);
    site.write(
        "content/guide/deep/_index.md",
        &page("Deep down", "", "Deeper."),
    );
    site.update(&["content/guide/deep/_index.md"]);
    site.write(
        "content/many/p11.md",
        &page(
            "Page 11",
            "weight: 11\ntopics: [t2]\npart_of: [many/_index.md]\n",
            "Text 11. Next: [[p13]]. Style: [css](/site.css).",
        ),
    );
    site.update(&["content/many/p11.md"]);
    // Unchanged text: nothing is made again.
    assert_eq!(site.update(&["content/many/p05.md"]), 0);
}

#[test]
fn adds_deletes_and_renames_match_a_full_build() {
    let mut site = Fixture::new();
    site.update(&[]);
    site.write(
        "content/many/p99.md",
        &page("Page 99", "weight: 15\n", "New."),
    );
    site.update(&["content/many/p99.md"]);
    // Deleting a page that another links to is an error, which the next edit fixes.
    site.remove("content/many/p03.md");
    site.fails(&["content/many/p03.md"]);
    site.write(
        "content/many/p02.md",
        &page("Page 02", "weight: 2\n", "Next: [[p04]]."),
    );
    site.update(&["content/many/p02.md"]);
    // A rename is two events: the old path and the new.
    site.rename("content/many/p99.md", "content/many/p98.md");
    site.update(&["content/many/p99.md", "content/many/p98.md"]);
    // A folder renamed: the watcher names the folders only.
    site.rename("content/guide", "content/handbook");
    site.write(
        "content/_index.md",
        &page("Home", "", "Start with the [handbook](handbook/_index.md)."),
    );
    site.update(&["content/guide", "content/handbook", "content/_index.md"]);
    // A page becomes a draft: it is gone, and the link to it plain text.
    site.write(
        "content/many/p10.md",
        &page("Page 10", "draft: true\n", "Draft."),
    );
    site.update(&["content/many/p10.md"]);
    site.write("content/many/p10.md", &page("Page 10", "", "Published."));
    site.update(&["content/many/p10.md"]);
    // A bundle asset goes and comes back.
    site.remove("content/handbook/bundle/map.png");
    site.fails(&["content/handbook/bundle/map.png"]);
    site.write("content/handbook/bundle/map.png", "back");
    site.update(&["content/handbook/bundle/map.png"]);
    // A static file that pages link to goes: every page of `many/` has a broken link.
    site.remove("static/site.css");
    site.fails(&["static/site.css"]);
    site.write("static/site.css", "body { color: red; }\n");
    site.update(&["static/site.css"]);
    // Editor files and hidden folders are not part of the site.
    site.write("content/many/.p01.md.swp", "junk");
    site.update(&["content/many/.p01.md.swp"]);
}

#[test]
fn templates_and_config_match_a_full_build() {
    let mut site = Fixture::new();
    site.update(&[]);
    let pages = MANY + 5;
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}<h1>{{ page.title }}</h1>{{ page.content | safe }}{% endblock %}",
    );
    let made = site.update(&["templates/page.html"]);
    assert!(made > pages, "every page is rendered again: {made}");
    // A template that does not parse fails the build; fixing it builds again.
    site.write("templates/page.html", "{% if %}");
    site.fails(&["templates/page.html"]);
    site.remove("templates/page.html");
    site.update(&["templates/page.html"]);
    // Touched but unchanged templates render nothing again.
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}Lost.{% endblock %}",
    );
    site.update(&["templates/404.html"]);
    let made = site.update(&["templates/404.html"]);
    assert_eq!(made, 0);
    // The config: a new title shows everywhere; a broken config fails until it is fixed.
    site.write("weft.yaml", &CONFIG.replace("Incremental", "Renamed"));
    site.update(&["weft.yaml"]);
    site.write("weft.yaml", "title: [");
    site.fails(&["weft.yaml"]);
    site.write(
        "content/many/p01.md",
        &page("Page 01", "", "Edited meanwhile."),
    );
    site.fails(&["content/many/p01.md"]);
    site.write("weft.yaml", CONFIG);
    site.update(&["weft.yaml"]);
}

#[test]
fn a_body_edit_remakes_only_what_shows_it() {
    let mut site = Fixture::new();
    site.update(&[]);
    // Text after the first paragraph shows on the page alone.
    site.write(
        "content/many/p07.md",
        &page(
            "Page 07",
            "weight: 7\ntopics: [t1]\npart_of: [many/_index.md]\n",
            "Text 7. Next: [[p08]]. Style: [css](/site.css).\n\nA second paragraph.",
        ),
    );
    assert_eq!(site.update(&["content/many/p07.md"]), 1);
    site.write(
        "content/many/p07.md",
        &page(
            "Page 07",
            "weight: 7\ntopics: [t1]\npart_of: [many/_index.md]\n",
            "Changed summary. Next: [[p08]]. Style: [css](/site.css).",
        ),
    );
    // The first paragraph is the summary: the section, the term page and the feed show it,
    // and the sitemap is made again with the feed.
    assert_eq!(site.update(&["content/many/p07.md"]), 3 + 2);
}

#[test]
fn a_title_edit_remakes_the_pages_that_show_it() {
    let mut site = Fixture::new();
    site.update(&[]);
    site.write(
        "content/many/p07.md",
        &page(
            "Seventh",
            "weight: 7\ntopics: [t1]\npart_of: [many/_index.md]\n",
            "Text 7. Next: [[p08]]. Style: [css](/site.css).",
        ),
    );
    let made = site.update(&["content/many/p07.md"]);
    // The page; the others whose navigation window holds it (p00 to p15, among them p06,
    // which links to it, and p08, which it links to); the section, which lists it; its term
    // page, the map and graph.json; the feed and the sitemap; and the 14 pages whose local
    // graph shows it, two links away at most, that none of those are.
    assert_eq!(made, 1 + 15 + 1 + 3 + 2 + 14, "made {made}");
}

#[test]
fn only_text_edits_keep_the_tree_and_links() {
    let mut site = Fixture::new();
    site.update(&[]);
    let p07 = |front: &str, body: &str| {
        page(
            "Page 07",
            &format!("weight: 7\ntopics: [t1]\npart_of: [many/_index.md]\n{front}"),
            &format!("Text 7. Next: [[p08]]. Style: [css](/site.css).\n\n{body}"),
        )
    };
    let kept = |site: &mut Fixture, text: String| {
        site.write("content/many/p07.md", &text);
        site.outcome(&["content/many/p07.md"]).kept
    };
    assert!(kept(&mut site, p07("", "More text, *emphasis*, `code`.")));
    assert!(kept(
        &mut site,
        p07("description: Seven\nupdated: 2026-01-02\n", "")
    ));
    assert!(kept(
        &mut site,
        p07("extra: { colour: blue }\n", "> A quote.")
    ));
    // Each of these changes what placing, linking or filing reads: all is derived again, and
    // the next plain edit keeps it again.
    for (front, body) in [
        ("", "## A heading"),
        ("", "A link to [[p09]]."),
        ("", "An image: ![map](../guide/bundle/map.png)"),
        ("date: 2026-01-01\n", ""),
        ("slug: seventh\n", ""),
        ("aliases: [/seven/]\n", ""),
        ("related: [many/p09.md]\n", ""),
        ("topics: [t2]\n", ""),
    ] {
        let mut text = p07(front, body);
        if front.starts_with("topics") {
            text = text.replacen("topics: [t1]\n", "", 1);
        }
        assert!(!kept(&mut site, text), "{front}{body}");
        kept(&mut site, p07("", "Plain again."));
        assert!(
            kept(&mut site, p07("", "Plain, again.")),
            "after {front}{body}"
        );
    }
    let heavier = p07("", "Plain, again.").replace("weight: 7", "weight: 40");
    assert!(!kept(&mut site, heavier), "weight");
    site.write(
        "content/many/_index.md",
        &page("Many", "sort_by: title\n", "Lots."),
    );
    assert!(!site.outcome(&["content/many/_index.md"]).kept, "sort_by");
    // p07 links to p08: made a draft, p08 leaves the site, and p07's link becomes plain text.
    site.write(
        "content/many/p08.md",
        &page(
            "Page 08",
            "weight: 8\ntopics: [t2]\npart_of: [many/_index.md]\ndraft: true\n",
            "Text 8. Next: [[p09]]. Style: [css](/site.css).",
        ),
    );
    assert!(!site.outcome(&["content/many/p08.md"]).kept, "draft");
}

#[test]
fn the_map_can_wait() {
    let mut site = Fixture::new();
    site.cache.defer(true);
    site.update(&[]);
    let p07 = |body: &str| {
        page(
            "Page 07",
            "weight: 7\ntopics: [t1]\npart_of: [many/_index.md]\n",
            &format!("Text 7. Next: [[p08]]. Style: [css](/site.css). {body}"),
        )
    };
    // A new link changes the map: the last map is served until `finish` (called by
    // `Fixture::build` before comparing) makes the new one.
    site.write("content/many/p07.md", &p07("And [[p20]]."));
    let outcome = site.outcome(&["content/many/p07.md"]);
    assert_eq!(outcome.pending, ["map/index.html", "graph.json"]);
    site.write("content/many/p07.md", &p07("And [[p20]], still."));
    assert!(site.outcome(&["content/many/p07.md"]).pending.is_empty());
    // Left unfinished, the next build leaves the map pending again.
    site.write("content/many/p07.md", &p07(""));
    let changes = [Change {
        kind: ChangeKind::Content,
        path: site.root.join("content/many/p07.md"),
    }];
    let (built, _) = site.cache.update(&changes);
    assert_eq!(built.map(|b| b.pending.len()), Some(2));
    site.write("content/many/p07.md", &p07("Back."));
    assert_eq!(site.outcome(&["content/many/p07.md"]).pending.len(), 2);
}

/// A page that shows another note in place (`![[install#Steps]]`) is made again when that
/// note changes, the part it shows or not: the embed reads the note as the note's own page
/// does.
#[test]
fn a_page_showing_a_note_in_place_follows_the_note() {
    let mut site = Fixture::new();
    site.update(&[]);
    site.write(
        "content/guide/deep/er/leaf.md",
        &page(
            "Leaf",
            "",
            "At the bottom, the steps:\n\n![[install#Steps]]\n\n![[usage]]",
        ),
    );
    site.update(&["content/guide/deep/er/leaf.md"]);
    site.write(
        "content/guide/install.md",
        &page(
            "Install",
            "topics: [setup]\nrelated: [\"[[Usage]]\"]\n",
            "First paragraph.\n\n## Steps\n\nRun it twice. See [[Usage#options]].",
        ),
    );
    let made = site.update(&["content/guide/install.md"]);
    assert!(
        made >= 2,
        "install and the leaf that shows its steps: {made}"
    );
    site.write(
        "content/guide/usage.md",
        &page(
            "Usage",
            "topics: [setup, daily]\naliases: [/old/usage/]\n",
            "Use it well, with [[p20]].\n\n## Options\n\nSome. Back to [install](install.md#steps).\n\n![map](bundle/map.png)",
        ),
    );
    site.update(&["content/guide/usage.md"]);
}

#[test]
fn code_math_and_diagrams_follow_edits() {
    let mut site = Fixture::new();
    site.update(&[]);
    let with = |extra: &str| {
        let body = format!(
            "Use it, with [[p20]].\n\n{extra}\n\n## Options\n\nSome. Back to [install](install.md#steps).\n\n![map](bundle/map.png)"
        );
        page(
            "Usage",
            "topics: [setup, daily]\naliases: [/old/usage/]\n",
            &body,
        )
    };
    // The first diagram brings Mermaid, with the tree and links kept.
    site.write(
        "content/guide/usage.md",
        &with("```mermaid\ngraph LR\n  A --> B\n```"),
    );
    let outcome = site.outcome(&["content/guide/usage.md"]);
    assert!(outcome.kept, "a diagram changes no link: {outcome:?}");
    // Code and math come and go with the text.
    site.write(
        "content/guide/usage.md",
        &with("So $x^2$.\n\n```rust linenos\nfn main() {}\n```"),
    );
    site.update(&["content/guide/usage.md"]);
    // The last diagram gone, Mermaid goes too.
    site.write("content/guide/usage.md", &with("No diagram."));
    let outcome = site.outcome(&["content/guide/usage.md"]);
    assert!(outcome.kept, "{outcome:?}");
}

#[test]
fn a_link_edit_remakes_the_local_graphs_it_reaches() {
    let mut site = Fixture::new();
    site.update(&[]);
    // A new link from p03 to the guide's usage page: both graphs change, and those of the
    // pages next to either (each `update` checks the result against a full build).
    let body = |extra: &str| {
        page(
            "P03",
            "weight: 3\ntopics: [t0]\npart_of: [many/_index.md]\n",
            &format!("Text 3. Next: [[p04]].{extra}"),
        )
    };
    site.write("content/many/p03.md", &body(" Also [[usage]]."));
    let added = site.update(&["content/many/p03.md"]);
    site.write("content/many/p03.md", &body(""));
    let removed = site.update(&["content/many/p03.md"]);
    assert!(added > 2 && removed > 2, "made {added} and {removed}");
}

/// A site in English and Dutch: a translation is remade on its own, and what shows it (the
/// other language's switcher, its own language's lists) follows it.
#[test]
fn translations_remake_their_language() {
    let config = format!(
        "{CONFIG}languages:\n  en: {{}}\n  nl: {{ title: Handboek, taxonomies: {{ topics: Onderwerpen }} }}\n"
    );
    let mut site = Fixture::empty(&config);
    site.write("content/_index.md", &page("Home", "", "See the [[guide]]."));
    site.write(
        "content/_index.nl.md",
        &page("Thuis", "", "Zie de [[guide]]."),
    );
    for n in 0..6 {
        site.write(
            &format!("content/docs/p{n}.md"),
            &page(
                &format!("Page {n}"),
                "topics: [t1]\n",
                "Text. See [[guide]].",
            ),
        );
    }
    site.write(
        "content/docs/guide.md",
        &page(
            "Guide",
            "topics: [t1]\n",
            "First.\n\nSee [[faq]] and [[p1]].",
        ),
    );
    site.write(
        "content/docs/guide.nl.md",
        &page("Gids", "topics: [t1]\n", "Eerst.\n\nZie [[faq]]."),
    );
    site.write(
        "content/docs/faq.md",
        &page("FAQ", "", "Questions. See [[guide]]."),
    );
    site.update(&[]);
    // Text after the first paragraph shows on the page alone.
    site.write(
        "content/docs/guide.nl.md",
        &page("Gids", "topics: [t1]\n", "Eerst.\n\nZie [[faq]], echt."),
    );
    let remade = site.outcome(&["content/docs/guide.nl.md"]).remade;
    assert_eq!(paths(&remade), ["nl/docs/guide/index.html"]);
    site.write(
        "content/docs/guide.nl.md",
        &page(
            "Handleiding",
            "topics: [t1]\n",
            "Eerst.\n\nZie [[faq]], echt.",
        ),
    );
    // A new title shows in the Dutch home page's text, the Dutch section's list, the term page, the
    // Dutch map and graph.json, and in the English guide's alternates; no other English page.
    let remade = site.outcome(&["content/docs/guide.nl.md"]).remade;
    assert_eq!(
        paths(&remade),
        [
            "docs/guide/index.html",
            "nl/docs/guide/index.html",
            "nl/docs/index.html",
            "nl/graph.json",
            "nl/index.html",
            "nl/map/index.html",
            "nl/topics/t1/index.html",
        ]
    );
    site.write(
        "content/docs/faq.nl.md",
        &page("Vragen", "", "Vragen. Zie [[guide]]."),
    );
    // A new translation: the Dutch guide's [[faq]] now leads to it; of the English pages, only the FAQ (its
    // switcher) and the map and graph.json (which list every page) are made again.
    let remade = site.outcome(&["content/docs/faq.nl.md"]).remade;
    assert_eq!(
        paths(&remade),
        [
            "docs/faq/index.html",
            "graph.json",
            "map/index.html",
            "nl/docs/faq/index.html",
            "nl/docs/guide/index.html",
            "nl/docs/index.html",
            "nl/graph.json",
            "nl/index.html",
            "nl/map/index.html",
        ]
    );
    site.remove("content/docs/faq.nl.md");
    site.update(&["content/docs/faq.nl.md"]);
    // The site's own words are the config's: every page is made again.
    site.write("i18n/nl.yaml", "on_this_page: \"Inhoud\"\n");
    site.update(&["i18n/nl.yaml"]);
}
