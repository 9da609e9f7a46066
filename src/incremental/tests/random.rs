//! Random sequences of edits, each build compared byte for byte with a full build (by
//! [`Fixture::build`]): titles, headings, links and anchors, relations, terms, dates and
//! descriptions, order, aliases, pages that come and go, templates, the config and static
//! files. A seed names each sequence, so a failure can be replayed alone:
//! `WEFT_RANDOM_SEED=N cargo test --lib random`.

use super::{Fixture, page};

/// Sequences run, unless `WEFT_RANDOM_SEQUENCES` says otherwise.
const SEQUENCES: u64 = 1000;
/// Edits per sequence, each followed by an incremental and a full build.
const EDITS: usize = 5;
/// Notes the site can hold; a few start missing, and come and go.
const NOTES: usize = 8;

const CONFIG: &str = "title: Random\nbase_url: https://example.org/\nsearch: false\ntaxonomies: [topics]\nrelations:\n  related: { label: \"Related\", symmetric: true }\n  part_of: { label: \"Part of\", inverse: has_part, inverse_label: \"Includes\" }\n";

/// A small deterministic generator (SplitMix64), so that a seed replays its sequence.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn word(&mut self) -> &'static str {
        const WORDS: [&str; 8] = [
            "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
        ];
        WORDS[self.below(WORDS.len())]
    }
}

/// One note as the model keeps it.
#[derive(Clone)]
struct Note {
    title: String,
    weight: u32,
    topics: Vec<&'static str>,
    related: Vec<usize>,
    /// Body links: target note, and a heading anchor (which may not exist).
    links: Vec<(usize, Option<String>)>,
    headings: Vec<String>,
    first: String,
    more: String,
    description: Option<String>,
    date: Option<String>,
    alias: bool,
    css: bool,
}

/// The site as the model keeps it; files are written from it.
struct Model {
    notes: Vec<Option<Note>>,
    section_titles: [String; 2],
    template: usize,
    config: usize,
    css: Option<String>,
}

fn section(i: usize) -> &'static str {
    ["a", "b"][i % 2]
}

fn rel(i: usize) -> String {
    format!("content/{}/n{i}.md", section(i))
}

fn slug(heading: &str) -> String {
    heading.to_lowercase().replace(' ', "-")
}

const TEMPLATES: [Option<&str>; 4] = [
    None,
    // Does not parse: the build fails until the next template edit.
    Some("<p>{{ page.title </p>\n"),
    Some(
        "<!doctype html><html lang=\"en\"><title>{{ page.title }}</title>{{ nav_html | safe }}<main>{{ page.content | safe }}</main><p>{{ page.description }}</p>{% for b in page.backlinks %}<a href=\"{{ b.url }}\">{{ b.title }} {{ b.label }}</a>{% endfor %}{% for g in page.relations %}{{ g.label }}: {% for p in g.pages %}{{ p.title }} {% endfor %}{% endfor %}{% for t in page.taxonomies %}{{ t.key }}{% for p in t.pages %}{{ p.title }}{% endfor %}{% endfor %}{{ page.word_count }}</html>\n",
    ),
    Some(
        "<!doctype html><html lang=\"en\"><title>{{ site.title }}: {{ page.title }}</title>{% if page.prev %}{{ page.prev.title }}{% endif %}{% if page.next %}{{ page.next.title }}{% endif %}{% for a in page.ancestors %}{{ a.title }}/{% endfor %}{{ page.content | safe }}{{ page.date }}{{ page.updated }}{% for h in page.toc %}{{ h.title }}{% endfor %}</html>\n",
    ),
];

impl Model {
    fn new(rng: &mut Rng) -> Model {
        let notes = (0..NOTES)
            .map(|i| {
                (i < NOTES - 2).then(|| Note {
                    title: format!("Note {i}"),
                    weight: i as u32,
                    topics: vec![rng.word()],
                    related: Vec::new(),
                    links: vec![((i + 1) % (NOTES - 2), None)],
                    headings: vec![format!("Part {i}")],
                    first: format!("First {i}."),
                    more: format!("More {i}."),
                    description: None,
                    date: None,
                    alias: false,
                    css: false,
                })
            })
            .collect();
        Model {
            notes,
            section_titles: ["Section A".into(), "Section B".into()],
            template: 0,
            config: 0,
            css: Some("body { color: black; }\n".into()),
        }
    }

    fn note_text(&self, i: usize) -> String {
        let Some(note) = &self.notes[i] else {
            return String::new();
        };
        let mut front = format!("weight: {}\n", note.weight);
        if !note.topics.is_empty() {
            front.push_str(&format!("topics: [{}]\n", note.topics.join(", ")));
        }
        if !note.related.is_empty() {
            let targets: Vec<String> = note
                .related
                .iter()
                .map(|&t| format!("{}/n{t}.md", section(t)))
                .collect();
            front.push_str(&format!("related: [{}]\n", targets.join(", ")));
        }
        if let Some(description) = &note.description {
            front.push_str(&format!("description: \"{description}\"\n"));
        }
        if let Some(date) = &note.date {
            front.push_str(&format!("date: {date}\n"));
        }
        if note.alias {
            front.push_str(&format!("aliases: [/old/n{i}/]\n"));
        }
        let mut body = note.first.clone();
        for (target, anchor) in &note.links {
            let anchor = anchor.as_ref().map(|a| format!("#{a}")).unwrap_or_default();
            body.push_str(&format!(
                " See [n{target}](../{}/n{target}.md{anchor}).",
                section(*target)
            ));
        }
        if note.css {
            body.push_str(" Style: [css](/extra.css).");
        }
        for heading in &note.headings {
            body.push_str(&format!("\n\n## {heading}\n\n{}", note.more));
        }
        page(&note.title, &front, &body)
    }

    fn live(&self) -> Vec<usize> {
        (0..NOTES).filter(|&i| self.notes[i].is_some()).collect()
    }

    /// A link to a live note, its heading's anchor now and then, rarely a missing one.
    fn link(&self, rng: &mut Rng) -> (usize, Option<String>) {
        let live = self.live();
        let target = live[rng.below(live.len())];
        let anchor = match rng.below(10) {
            0..=5 => None,
            6 => Some("nowhere".to_string()),
            _ => self.notes[target]
                .as_ref()
                .and_then(|n| n.headings.first())
                .map(|h| slug(h)),
        };
        (target, anchor)
    }

    /// Writes every file of the model.
    fn write_all(&self, site: &Fixture) {
        site.write("content/_index.md", &page("Home", "", "Welcome."));
        for (s, title) in self.section_titles.iter().enumerate() {
            site.write(
                &format!("content/{}/_index.md", section(s)),
                &page(title, "", "A section."),
            );
        }
        for i in self.live() {
            site.write(&rel(i), &self.note_text(i));
        }
        if let Some(css) = &self.css {
            site.write("static/extra.css", css);
        }
    }

    /// Makes one random edit, writes it, and returns the files it touched.
    fn edit(&mut self, rng: &mut Rng, site: &Fixture) -> Vec<String> {
        let live = self.live();
        let i = live[rng.below(live.len())];
        let note = self.notes[i].as_mut().expect("live");
        match rng.below(16) {
            0 => note.title = format!("{} {}", rng.word(), rng.word()),
            1 => match note.headings.len() {
                0 => note.headings.push(format!("Part {}", rng.word())),
                _ if rng.chance(50) => note.headings.clear(),
                _ => note.headings[0] = format!("Part {}", rng.word()),
            },
            2 | 3 => {
                let count = rng.below(3);
                let new = (0..count).map(|_| self.link(rng)).collect();
                self.notes[i].as_mut().expect("live").links = new;
            }
            4 => {
                let target = live[rng.below(live.len())];
                note.related = if target == i || rng.chance(30) {
                    Vec::new()
                } else {
                    vec![target]
                };
            }
            5 => {
                note.topics = (0..rng.below(3)).map(|_| rng.word()).collect();
                note.topics.sort_unstable();
                note.topics.dedup();
            }
            6 => note.first = format!("First {}.", rng.word()),
            7 => note.more = format!("More {} {}.", rng.word(), rng.word()),
            8 => {
                note.description = rng.chance(60).then(|| rng.word().to_string());
                note.date = rng
                    .chance(60)
                    .then(|| format!("2026-0{}-1{}", 1 + rng.below(9), rng.below(10)));
            }
            9 => note.weight = rng.below(10) as u32,
            10 => note.alias = !note.alias,
            11 => note.css = !note.css,
            12 => {
                // A note comes or goes.
                let gone: Vec<usize> = (0..NOTES).filter(|&n| self.notes[n].is_none()).collect();
                if !gone.is_empty() && (live.len() < 3 || rng.chance(60)) {
                    let n = gone[rng.below(gone.len())];
                    let mut note = self.notes[i].clone().expect("live");
                    note.title = format!("Back {n}");
                    note.links = vec![self.link(rng)];
                    note.related.clear();
                    self.notes[n] = Some(note);
                    site.write(&rel(n), &self.note_text(n));
                    return vec![rel(n)];
                }
                if live.len() > 2 {
                    self.notes[i] = None;
                    site.remove(&rel(i));
                    return vec![rel(i)];
                }
            }
            13 => {
                self.template = (self.template + 1 + rng.below(2)) % TEMPLATES.len();
                let path = "templates/page.html";
                match TEMPLATES[self.template] {
                    Some(text) => site.write(path, text),
                    None => site.remove(path),
                }
                return vec![path.into()];
            }
            14 => {
                self.config = (self.config + 1) % 3;
                let config = match self.config {
                    0 => CONFIG.to_string(),
                    1 => CONFIG.replace("Random", "Renamed"),
                    _ => format!("{CONFIG}feeds: false\n"),
                };
                site.write("weft.yaml", &config);
                return vec!["weft.yaml".into()];
            }
            _ => {
                if rng.chance(50) {
                    let s = rng.below(2);
                    self.section_titles[s] = format!("Section {}", rng.word());
                    let path = format!("content/{}/_index.md", section(s));
                    site.write(&path, &page(&self.section_titles[s], "", "A section."));
                    return vec![path];
                }
                self.css = match &self.css {
                    Some(_) if rng.chance(30) => None,
                    _ => Some(format!("body {{ color: {}; }}\n", rng.word())),
                };
                let path = "static/extra.css";
                match &self.css {
                    Some(css) => site.write(path, css),
                    None => site.remove(path),
                }
                return vec![path.into()];
            }
        }
        site.write(&rel(i), &self.note_text(i));
        vec![rel(i)]
    }
}

/// Runs the sequence of `seed`; panics, naming the seed, where a build differs.
fn sequence(seed: u64) {
    let mut rng = Rng(seed);
    let mut site = Fixture::empty(CONFIG);
    let mut model = Model::new(&mut rng);
    model.write_all(&site);
    // The first build: everything.
    let _ = site.build(&[]);
    for _ in 0..EDITS {
        let changed = model.edit(&mut rng, &site);
        let changed: Vec<&str> = changed.iter().map(String::as_str).collect();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _ = site.build(&changed);
        }));
        if let Err(panic) = result {
            eprintln!("the sequence of seed {seed} failed after editing {changed:?}");
            std::panic::resume_unwind(panic);
        }
    }
}

#[test]
fn random_edits_match_full_builds() {
    let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    if let Some(seed) = env("WEFT_RANDOM_SEED") {
        return sequence(seed);
    }
    let count = env("WEFT_RANDOM_SEQUENCES").unwrap_or(SEQUENCES);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get() as u64);
    std::thread::scope(|scope| {
        for thread in 0..threads {
            scope.spawn(move || {
                for seed in (thread..count).step_by(threads as usize) {
                    sequence(seed);
                }
            });
        }
    });
}
