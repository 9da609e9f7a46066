//! What rendering reads of the site, and the only way it reads it.
//!
//! Every output (a page, a term page, the feed, the map) is made through a [`View`]. Each of
//! its accessors returns one *fact* about the site (a page's title and URL, a section's
//! children, a page's backlinks) and, when the view records, notes that the output read it.
//! [`fingerprint`] hashes a fact by calling the very function its accessor returns, so a
//! fingerprint covers whatever the accessor hands out, fields added later included: `weft
//! serve` makes an output again exactly when a fact it read has a new fingerprint, and a
//! new field in a template's context cannot leave a stale page.
//!
//! The rule that keeps this sound: [`Data`]'s fields are private to this module. A new kind
//! of read needs a new [`Fact`], an accessor that records it and an arm in [`fingerprint`].

use std::cell::RefCell;
use std::hash::{Hash, Hasher};

use crate::frontmatter::PageDate;
use crate::i18n::Lang;
use crate::links::{Edge, EdgeKind, LinkGraph, Neighbour, RelationGroup, Target};
use crate::markdown::Heading;
use crate::site::{Page, PageId, PageKind, Site};
use crate::taxonomy::{Taxonomy, Term};

/// One fact about the site that an output can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fact {
    /// All of a page: its text and its place. Read by the page itself.
    Page(PageId),
    /// A page's title and URL, as a link shows it.
    Link(PageId),
    /// A page's title, URL, description and dates, as a listing or feed shows it.
    Summary(PageId),
    /// A page's headings, which links to its anchors show.
    Headings(PageId),
    /// A section's pages and subsections, in order.
    Children(PageId),
    /// A page's kind and parent section.
    Place(PageId),
    /// Where each of a page's body links goes.
    Targets(PageId),
    /// A page's relation groups.
    Relations(PageId),
    /// The pages that point at a page.
    Backlinks(PageId),
    /// A page's taxonomy terms.
    Terms(PageId),
    /// The pages next to a page in the link graph.
    Neighbours(PageId),
    /// The same page in each language.
    Translations(PageId),
    /// Every page, in order, and the home page.
    Ids,
    /// Which page is each language's home page.
    Home,
    /// Every edge of the link graph.
    Edges,
    /// Each taxonomy's name and URL.
    Taxonomies,
    /// One taxonomy's terms, with their page counts.
    TaxonomyIndex(usize),
    /// One term, with its pages: taxonomy index, term index.
    Term(usize, usize),
}

/// The per-page facts, in the order of [`Fact::page_index`].
pub const PAGE_FACTS: usize = 12;

/// The facts about the whole site, in the order of [`Fact::global_index`].
pub const GLOBAL_FACTS: [Fact; 4] = [Fact::Ids, Fact::Home, Fact::Edges, Fact::Taxonomies];

impl Fact {
    /// The page a per-page fact is about, and the fact's place among [`PAGE_FACTS`].
    pub fn page_index(self) -> Option<(PageId, usize)> {
        Some(match self {
            Fact::Page(id) => (id, 0),
            Fact::Link(id) => (id, 1),
            Fact::Summary(id) => (id, 2),
            Fact::Headings(id) => (id, 3),
            Fact::Children(id) => (id, 4),
            Fact::Place(id) => (id, 5),
            Fact::Targets(id) => (id, 6),
            Fact::Relations(id) => (id, 7),
            Fact::Backlinks(id) => (id, 8),
            Fact::Terms(id) => (id, 9),
            Fact::Neighbours(id) => (id, 10),
            Fact::Translations(id) => (id, 11),
            Fact::Ids
            | Fact::Home
            | Fact::Edges
            | Fact::Taxonomies
            | Fact::TaxonomyIndex(_)
            | Fact::Term(..) => return None,
        })
    }

    /// The fact's place among [`GLOBAL_FACTS`], if it is about the whole site.
    pub fn global_index(self) -> Option<usize> {
        GLOBAL_FACTS.iter().position(|&f| f == self)
    }

    /// The per-page fact number `index` of [`Fact::page_index`] about page `id`.
    pub fn of_page(id: PageId, index: usize) -> Fact {
        match index {
            0 => Fact::Page(id),
            1 => Fact::Link(id),
            2 => Fact::Summary(id),
            3 => Fact::Headings(id),
            4 => Fact::Children(id),
            5 => Fact::Place(id),
            6 => Fact::Targets(id),
            7 => Fact::Relations(id),
            8 => Fact::Backlinks(id),
            9 => Fact::Terms(id),
            10 => Fact::Neighbours(id),
            _ => Fact::Translations(id),
        }
    }
}

/// The stages' results that rendering reads, reachable only through [`View`] and
/// [`fingerprint`].
pub struct Data<'a> {
    site: &'a Site,
    graph: &'a LinkGraph,
    taxonomies: &'a [Taxonomy],
    page_terms: &'a [Vec<(usize, usize)>],
}

impl<'a> Data<'a> {
    /// The results of one build's stages.
    pub fn new(
        site: &'a Site,
        graph: &'a LinkGraph,
        taxonomies: &'a [Taxonomy],
        page_terms: &'a [Vec<(usize, usize)>],
    ) -> Self {
        Data {
            site,
            graph,
            taxonomies,
            page_terms,
        }
    }

    /// The number of pages, to size tables by.
    pub fn page_count(&self) -> usize {
        self.site.pages.len()
    }

    /// A page's path in `content/`, which names it across builds.
    pub fn rel(&self, id: PageId) -> &'a std::path::Path {
        &self.site.page(id).rel
    }

    /// A page's language (see [`View::lang`]).
    pub fn lang(&self, id: PageId) -> Lang {
        self.site.page(id).lang
    }

    /// The URL path of each term of each taxonomy, which names it across builds.
    pub fn term_urls(&self) -> Vec<Vec<&'a str>> {
        self.taxonomies
            .iter()
            .map(|t| t.terms.iter().map(|term| term.url.as_str()).collect())
            .collect()
    }
}

/// A page's title and URL path (below the base path).
#[derive(Hash)]
pub struct LinkFact<'a> {
    /// Its title.
    pub title: &'a str,
    /// Its URL path (`eu/ran/`).
    pub url: &'a str,
}

/// What a listing or a feed shows of a page.
pub struct SummaryFact<'a> {
    /// Its title.
    pub title: &'a str,
    /// Its URL path.
    pub url: &'a str,
    /// `description`, or else the first paragraph.
    pub description: &'a str,
    /// `date`.
    pub date: Option<&'a PageDate>,
    /// `updated`.
    pub updated: Option<&'a PageDate>,
}

/// A term as its page shows it.
pub struct TermFact<'a> {
    /// The taxonomy's name and URL path.
    pub taxonomy: LinkFact<'a>,
    /// The term.
    pub term: &'a Term,
}

/// The site as rendering reads it, recording each read when it records.
pub struct View<'r, 'a> {
    data: &'r Data<'a>,
    reads: Option<&'r RefCell<Vec<Fact>>>,
}

impl<'r, 'a> View<'r, 'a> {
    /// A view over `data` that notes each fact it hands out in `reads`, if given.
    pub fn new(data: &'r Data<'a>, reads: Option<&'r RefCell<Vec<Fact>>>) -> Self {
        View { data, reads }
    }

    fn read(&self, fact: Fact) {
        if let Some(reads) = self.reads {
            reads.borrow_mut().push(fact);
        }
    }

    /// Notes facts read on this output's behalf elsewhere (a context made once and shared).
    pub fn replay(&self, facts: &[Fact]) {
        if let Some(reads) = self.reads {
            reads.borrow_mut().extend_from_slice(facts);
        }
    }

    /// Every page id, in order, and the home page.
    pub fn ids(&self) -> (std::ops::Range<u32>, PageId) {
        self.read(Fact::Ids);
        ids(self.data)
    }

    /// The home page of the default language.
    pub fn home(&self) -> PageId {
        self.read(Fact::Home);
        self.data.site.home
    }

    /// The home page of language `lang`.
    pub fn home_of(&self, lang: Lang) -> PageId {
        self.read(Fact::Home);
        self.data.site.homes[usize::from(lang)]
    }

    /// A page's language. It is no fact that can change: a page's language is in its file's
    /// name, which names the page across builds, and the languages are the config's.
    pub fn lang(&self, id: PageId) -> Lang {
        self.data.site.page(id).lang
    }

    /// The same page in each language, by language index (itself among them); empty on a
    /// site with one language.
    pub fn translations(&self, id: PageId) -> &'a [Option<PageId>] {
        self.read(Fact::Translations(id));
        translations(self.data, id)
    }

    /// All of a page; for the page being rendered, never for the pages it shows.
    pub fn page(&self, id: PageId) -> &'a Page {
        self.read(Fact::Page(id));
        self.data.site.page(id)
    }

    /// A page's title and URL path.
    pub fn link(&self, id: PageId) -> LinkFact<'a> {
        self.read(Fact::Link(id));
        link(self.data, id)
    }

    /// Notes that a page's title and URL path were read, by an output that has them from a
    /// table made of [`View::link`]s (see `graph::NodeLinks`).
    pub fn link_read(&self, id: PageId) {
        self.read(Fact::Link(id));
    }

    /// A page's title, URL, description and dates.
    pub fn summary(&self, id: PageId) -> SummaryFact<'a> {
        self.read(Fact::Summary(id));
        summary(self.data, id)
    }

    /// A page's headings.
    pub fn headings(&self, id: PageId) -> &'a [Heading] {
        self.read(Fact::Headings(id));
        headings(self.data, id)
    }

    /// A section's pages and subsections, in order.
    pub fn children(&self, id: PageId) -> (&'a [PageId], &'a [PageId]) {
        self.read(Fact::Children(id));
        children(self.data, id)
    }

    /// A page's kind and parent section.
    pub fn place(&self, id: PageId) -> (PageKind, Option<PageId>) {
        self.read(Fact::Place(id));
        place(self.data, id)
    }

    /// Where each of a page's body links goes.
    pub fn targets(&self, id: PageId) -> &'a [Option<Target>] {
        self.read(Fact::Targets(id));
        targets(self.data, id)
    }

    /// A page's relation groups.
    pub fn relations(&self, id: PageId) -> &'a [RelationGroup] {
        self.read(Fact::Relations(id));
        relations(self.data, id)
    }

    /// Who points at a page, and how.
    pub fn backlinks(&self, id: PageId) -> &'a [(PageId, EdgeKind)] {
        self.read(Fact::Backlinks(id));
        backlinks(self.data, id)
    }

    /// The pages next to a page in the link graph, sorted by id.
    pub fn neighbours(&self, id: PageId) -> &'a [Neighbour] {
        self.read(Fact::Neighbours(id));
        neighbours(self.data, id)
    }

    /// A page's taxonomy terms, as (taxonomy name and URL, term name and URL).
    pub fn terms(&self, id: PageId) -> Vec<(LinkFact<'a>, LinkFact<'a>)> {
        self.read(Fact::Terms(id));
        terms(self.data, id)
    }

    /// Every edge of the link graph.
    pub fn edges(&self) -> &'a [Edge] {
        self.read(Fact::Edges);
        self.data.graph.edges.as_slice()
    }

    /// Each taxonomy's name and URL path.
    pub fn taxonomies(&self) -> Vec<LinkFact<'a>> {
        self.read(Fact::Taxonomies);
        taxonomies(self.data)
    }

    /// Each taxonomy of language `lang`, by its index, with its name and URL path.
    pub fn taxonomies_of(&self, lang: Lang) -> Vec<(usize, LinkFact<'a>)> {
        self.read(Fact::Taxonomies);
        self.data
            .taxonomies
            .iter()
            .enumerate()
            .filter(|(_, t)| t.lang == lang)
            .map(|(index, t)| {
                let link = LinkFact {
                    title: &t.name,
                    url: &t.url,
                };
                (index, link)
            })
            .collect()
    }

    /// The language of taxonomy `t`. No fact: a taxonomy's index names it, with its language,
    /// for as long as its URL path does.
    pub fn taxonomy_lang(&self, t: usize) -> Lang {
        self.data.taxonomies[t].lang
    }

    /// Taxonomy `t` in each language, by its index, if that language has it.
    pub fn same_taxonomy(&self, t: usize) -> Vec<Option<usize>> {
        self.read(Fact::Taxonomies);
        let key = &self.data.taxonomies[t].key;
        let languages = self
            .data
            .taxonomies
            .iter()
            .map(|t| usize::from(t.lang) + 1)
            .max()
            .unwrap_or(1);
        let mut same = vec![None; languages];
        for (index, taxonomy) in self.data.taxonomies.iter().enumerate() {
            if &taxonomy.key == key {
                same[usize::from(taxonomy.lang)] = Some(index);
            }
        }
        same
    }

    /// The term of taxonomy `t` whose URL segment is `key`, if it has one.
    pub fn same_term(&self, t: usize, key: &str) -> Option<&'a Term> {
        self.read(Fact::TaxonomyIndex(t));
        self.data.taxonomies[t]
            .terms
            .iter()
            .find(|term| term.key == key)
    }

    /// A taxonomy's name and URL, and each term's name, URL and page count.
    pub fn taxonomy_index(&self, t: usize) -> (LinkFact<'a>, Vec<(LinkFact<'a>, usize)>) {
        self.read(Fact::TaxonomyIndex(t));
        taxonomy_index(self.data, t)
    }

    /// A term with its pages.
    pub fn term(&self, t: usize, i: usize) -> TermFact<'a> {
        self.read(Fact::Term(t, i));
        term(self.data, t, i)
    }
}

fn ids(data: &Data) -> (std::ops::Range<u32>, PageId) {
    (0..data.site.pages.len() as u32, data.site.home)
}

fn link<'a>(data: &Data<'a>, id: PageId) -> LinkFact<'a> {
    let page = data.site.page(id);
    LinkFact {
        title: &page.title,
        url: &page.url,
    }
}

fn summary<'a>(data: &Data<'a>, id: PageId) -> SummaryFact<'a> {
    let page = data.site.page(id);
    SummaryFact {
        title: &page.title,
        url: &page.url,
        description: page.fm.description.as_deref().unwrap_or(&page.body.summary),
        date: page.fm.date.as_ref(),
        updated: page.fm.updated.as_ref(),
    }
}

fn headings<'a>(data: &Data<'a>, id: PageId) -> &'a [Heading] {
    &data.site.page(id).body.headings
}

fn children<'a>(data: &Data<'a>, id: PageId) -> (&'a [PageId], &'a [PageId]) {
    let page = data.site.page(id);
    (&page.pages, &page.subsections)
}

fn place(data: &Data, id: PageId) -> (PageKind, Option<PageId>) {
    let page = data.site.page(id);
    (page.kind, page.parent)
}

fn translations<'a>(data: &Data<'a>, id: PageId) -> &'a [Option<PageId>] {
    &data.site.page(id).translations
}

fn targets<'a>(data: &Data<'a>, id: PageId) -> &'a [Option<Target>] {
    &data.graph.targets[id.0 as usize]
}

fn relations<'a>(data: &Data<'a>, id: PageId) -> &'a [RelationGroup] {
    &data.graph.relations[id.0 as usize]
}

fn backlinks<'a>(data: &Data<'a>, id: PageId) -> &'a [(PageId, EdgeKind)] {
    &data.graph.backlinks[id.0 as usize]
}

fn neighbours<'a>(data: &Data<'a>, id: PageId) -> &'a [Neighbour] {
    &data.graph.neighbours[id.0 as usize]
}

fn terms<'a>(data: &Data<'a>, id: PageId) -> Vec<(LinkFact<'a>, LinkFact<'a>)> {
    data.page_terms[id.0 as usize]
        .iter()
        .map(|&(t, i)| {
            let taxonomy = &data.taxonomies[t];
            let term = &taxonomy.terms[i];
            (
                LinkFact {
                    title: &taxonomy.name,
                    url: &taxonomy.url,
                },
                LinkFact {
                    title: &term.name,
                    url: &term.url,
                },
            )
        })
        .collect()
}

fn taxonomies<'a>(data: &Data<'a>) -> Vec<LinkFact<'a>> {
    data.taxonomies
        .iter()
        .map(|t| LinkFact {
            title: &t.name,
            url: &t.url,
        })
        .collect()
}

fn taxonomy_index<'a>(data: &Data<'a>, t: usize) -> (LinkFact<'a>, Vec<(LinkFact<'a>, usize)>) {
    let taxonomy = &data.taxonomies[t];
    let terms = taxonomy
        .terms
        .iter()
        .map(|term| {
            let link = LinkFact {
                title: &term.name,
                url: &term.url,
            };
            (link, term.pages.len())
        })
        .collect();
    let link = LinkFact {
        title: &taxonomy.name,
        url: &taxonomy.url,
    };
    (link, terms)
}

fn term<'a>(data: &Data<'a>, t: usize, i: usize) -> TermFact<'a> {
    let taxonomy = &data.taxonomies[t];
    TermFact {
        taxonomy: LinkFact {
            title: &taxonomy.name,
            url: &taxonomy.url,
        },
        term: &taxonomy.terms[i],
    }
}

/// The fingerprint of `fact` in `data`: a hash of what its accessor returns, in which a
/// page stands for its file's path, which does not change when other pages come and go
/// (ids do).
pub fn fingerprint(data: &Data, fact: Fact) -> u64 {
    let mut h = Fingerprinter {
        bytes: Vec::with_capacity(256),
        site: data.site,
    };
    match fact {
        Fact::Ids => {
            let (range, home) = ids(data);
            h.num(range.len());
            for id in range {
                h.id(PageId(id));
            }
            h.id(home);
        }
        Fact::Home => h.ids(&data.site.homes),
        Fact::Page(id) => h.page(data.site.page(id)),
        Fact::Link(id) => h.std(&link(data, id)),
        Fact::Summary(id) => h.summary(summary(data, id)),
        Fact::Headings(id) => {
            let list = headings(data, id);
            h.num(list.len());
            for Heading { level, id, title } in list {
                h.std(&(level, id, title));
            }
        }
        Fact::Children(id) => {
            let (pages, subsections) = children(data, id);
            h.ids(pages);
            h.ids(subsections);
        }
        Fact::Place(id) => {
            let (kind, parent) = place(data, id);
            h.kind(kind);
            h.option_id(parent);
        }
        Fact::Targets(id) => h.targets(targets(data, id)),
        Fact::Translations(id) => {
            let list = translations(data, id);
            h.num(list.len());
            for &t in list {
                h.option_id(t);
            }
        }
        Fact::Relations(id) => h.relations(relations(data, id)),
        Fact::Backlinks(id) => {
            let list = backlinks(data, id);
            h.num(list.len());
            for (from, kind) in list {
                h.id(*from);
                h.std(kind);
            }
        }
        Fact::Terms(id) => h.std(&terms(data, id)),
        Fact::Neighbours(id) => {
            let list = neighbours(data, id);
            h.num(list.len());
            for n in list {
                h.id(n.id);
                h.std(&n.relation);
            }
        }
        Fact::Edges => h.edges(&data.graph.edges),
        Fact::Taxonomies => h.std(&taxonomies(data)),
        Fact::TaxonomyIndex(t) => h.std(&taxonomy_index(data, t)),
        Fact::Term(t, i) => {
            let TermFact { taxonomy, term } = term(data, t, i);
            let Term {
                key,
                name,
                url,
                pages,
            } = term;
            h.std(&(taxonomy, key, name, url));
            h.ids(pages);
        }
    }
    xxhash_rust::xxh3::xxh3_64(&h.bytes)
}

/// Collects the bytes of a fact's value, pages by their path, to hash them at once (small
/// values hash faster so than through a streaming hasher's state).
struct Fingerprinter<'s> {
    bytes: Vec<u8>,
    site: &'s Site,
}

impl Hasher for Fingerprinter<'_> {
    fn write(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
    }

    fn finish(&self) -> u64 {
        xxhash_rust::xxh3::xxh3_64(&self.bytes)
    }
}

impl Fingerprinter<'_> {
    fn std(&mut self, value: &impl Hash) {
        value.hash(self);
    }

    fn num(&mut self, value: usize) {
        self.write(&(value as u64).to_le_bytes());
    }

    /// A page, by its file's path (`content/` and its path there), which names it across
    /// builds as its id does not.
    fn id(&mut self, id: PageId) {
        let path = self.site.page(id).source.path_hash();
        self.write(&path.to_le_bytes());
    }

    fn ids(&mut self, ids: &[PageId]) {
        self.num(ids.len());
        for &id in ids {
            self.id(id);
        }
    }

    fn option_id(&mut self, id: Option<PageId>) {
        self.num(usize::from(id.is_some()));
        if let Some(id) = id {
            self.id(id);
        }
    }

    fn summary(&mut self, summary: SummaryFact) {
        let SummaryFact {
            title,
            url,
            description,
            date,
            updated,
        } = summary;
        self.std(&(title, url, description));
        self.date(date);
        self.date(updated);
    }

    fn targets(&mut self, list: &[Option<Target>]) {
        self.num(list.len());
        for target in list {
            match target {
                None => self.num(0),
                Some(Target::File(url)) => {
                    self.num(1);
                    self.std(url);
                }
                Some(Target::Page { id, anchor }) => {
                    self.num(2);
                    self.id(*id);
                    self.std(anchor);
                }
            }
        }
    }

    fn relations(&mut self, groups: &[RelationGroup]) {
        self.num(groups.len());
        for RelationGroup { key, label, pages } in groups {
            self.std(&(key, label));
            self.ids(pages);
        }
    }

    fn edges(&mut self, edges: &[Edge]) {
        self.num(edges.len());
        for Edge { from, to, kind } in edges {
            self.id(*from);
            self.id(*to);
            self.std(kind);
        }
    }

    fn kind(&mut self, kind: PageKind) {
        self.num(match kind {
            PageKind::Page => 0,
            PageKind::Section => 1,
        });
    }

    fn date(&mut self, date: Option<&PageDate>) {
        self.num(usize::from(date.is_some()));
        if let Some(PageDate(moment)) = date {
            self.std(&(
                moment.timestamp(),
                moment.timestamp_subsec_nanos(),
                moment.offset().local_minus_utc(),
            ));
        }
    }

    /// All of a page. Its front matter and body are made from its text (and the config,
    /// whose change starts every build over), so the text (its hash) stands for them.
    fn page(&mut self, page: &Page) {
        let Page {
            kind,
            generated,
            source,
            rel,
            lang: _,
            base: _,
            translations,
            stem,
            url,
            title,
            fm: _,
            body: _,
            parent,
            pages,
            subsections,
        } = page;
        self.kind(*kind);
        self.std(&(
            *generated,
            &source.path,
            source.text_hash(),
            rel,
            stem,
            url,
            title,
        ));
        self.option_id(*parent);
        self.ids(pages);
        self.ids(subsections);
        // The language and the path without its code come with the path.
        self.num(translations.len());
        for &t in translations {
            self.option_id(t);
        }
    }
}
