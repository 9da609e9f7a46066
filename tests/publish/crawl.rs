//! A link checker for the publish tests: crawls a site over HTTP from a start URL and checks
//! every link it finds, the way LinkChecker does with `--check-extern`, without the network.
//!
//! Pages under the start folder are fetched and read for links: HTML (parsed by html5ever) for
//! every `href`, `src`, `srcset`, `poster`, `<object data>` and `<meta http-equiv=refresh>`,
//! the sitemap and the Atom feed for their `<loc>` and `<link href>`, `robots.txt` for its
//! `Sitemap:` lines. A URL on the same host outside the start folder is fetched and checked
//! but not crawled on from. A link must answer 200 (after redirects on the same host), and its
//! `#fragment` must name an `id` (or an `<a name>`) in the HTML page it points to. Links to
//! other hosts are collected, not fetched: the tests run offline.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt;
use std::time::Duration;

use scraper::{ElementRef, Html};
use url::Url;

/// What a crawl found: how much it checked and which links are broken.
pub struct Crawl {
    /// Where the crawl started.
    pub start: Url,
    /// The URLs fetched (pages, assets, redirects), each once.
    pub checked: usize,
    /// The links checked, counted each time they are written.
    pub links: usize,
    /// Every broken link, with the page it is on.
    pub broken: Vec<Broken>,
    /// Links to other hosts, not fetched.
    pub external: BTreeSet<String>,
}

/// A broken link: where it is written, as written, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Broken {
    pub page: String,
    pub link: String,
    pub problem: String,
}

impl fmt::Display for Broken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({})", self.page, self.link, self.problem)
    }
}

impl Crawl {
    /// The broken links, one a line.
    pub fn report(&self) -> String {
        self.broken.iter().map(|b| format!("  {b}\n")).collect()
    }
}

/// Crawls the site from `start` (a folder URL such as `http://127.0.0.1:PORT/docs/`) and
/// from `entry_points` relative to it: pages no link leads to, such as `404.html`, or
/// `robots.txt`, whose `Sitemap:` lines are followed.
pub fn crawl(start: &str, entry_points: &[&str]) -> Crawl {
    let start = Url::parse(start).unwrap_or_else(|e| panic!("start URL {start}: {e}"));
    let mut crawler = Crawler::new(&start);
    for entry in std::iter::once(start.as_str()).chain(entry_points.iter().copied()) {
        crawler.note(&start, entry, &start);
    }
    while let Some(url) = crawler.queue.pop_front() {
        crawler.fetch(url);
    }
    crawler.finish(start)
}

/// A link found on a page, resolved.
struct Link {
    page: Url,
    written: String,
    target: Url,
}

/// The answer for one URL (without its fragment).
struct Fetched {
    /// The HTTP status, or why there is none.
    status: Result<u16, String>,
    /// Where a redirect points.
    location: Option<Url>,
    /// The `id`s and `<a name>`s of an HTML page; `None` for anything else.
    anchors: Option<HashSet<String>>,
}

/// The state of a crawl: what is queued, what was fetched, and the links found.
struct Crawler {
    agent: ureq::Agent,
    /// The start folder: what is under it is crawled.
    scope: Url,
    queue: VecDeque<Url>,
    queued: HashSet<Url>,
    fetched: HashMap<Url, Fetched>,
    links: Vec<Link>,
    /// Links that do not even parse as URLs.
    unresolved: Vec<Broken>,
    external: BTreeSet<String>,
}

impl Crawler {
    fn new(start: &Url) -> Crawler {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            // Redirects are links of their own: each hop is checked and reported.
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(20)))
            .build()
            .into();
        Crawler {
            agent,
            scope: start.join("./").expect("start folder"),
            queue: VecDeque::new(),
            queued: HashSet::new(),
            fetched: HashMap::new(),
            links: Vec::new(),
            unresolved: Vec::new(),
            external: BTreeSet::new(),
        }
    }

    /// Records the link `written` on `page` (resolved against `base`) and queues its target.
    fn note(&mut self, page: &Url, written: &str, base: &Url) {
        let written = written.trim();
        if written.is_empty() {
            return; // The page itself.
        }
        let target = match base.join(written) {
            Ok(target) => target,
            Err(err) => {
                self.unresolved.push(Broken {
                    page: page.to_string(),
                    link: written.to_string(),
                    problem: format!("not a URL: {err}"),
                });
                return;
            }
        };
        if !matches!(target.scheme(), "http" | "https") {
            return; // mailto:, data:, javascript: and the like.
        }
        let bare = without_fragment(&target);
        if bare.origin() != self.scope.origin() {
            self.external.insert(bare.to_string());
            return;
        }
        if self.queued.insert(bare.clone()) {
            self.queue.push_back(bare);
        }
        self.links.push(Link {
            page: page.clone(),
            written: written.to_string(),
            target,
        });
    }

    /// Fetches `url`, records its answer and, under the start folder, the links on it.
    fn fetch(&mut self, url: Url) {
        let mut response = match self.agent.get(url.as_str()).call() {
            Ok(response) => response,
            Err(err) => {
                self.record(url, Err(err.to_string()), None, None);
                return;
            }
        };
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let content_type = header("content-type").unwrap_or_default();
        let location = header("location");
        let body = match response
            .body_mut()
            .with_config()
            .limit(1 << 30)
            .read_to_vec()
        {
            Ok(body) => body,
            Err(err) => {
                self.record(url, Err(format!("reading the body: {err}")), None, None);
                return;
            }
        };
        let location = location.map(|written| {
            self.note(&url, &written, &url);
            url.join(&written).ok().map(|l| without_fragment(&l))
        });
        let anchors = (status == 200).then(|| self.read(&url, &content_type, &body));
        self.record(url, Ok(status), location.flatten(), anchors.flatten());
    }

    /// Reads the body of `url` for links, when it is under the start folder, and returns the
    /// anchors of an HTML page.
    fn read(&mut self, url: &Url, content_type: &str, body: &[u8]) -> Option<HashSet<String>> {
        let crawl_on = url.as_str().starts_with(self.scope.as_str());
        let text = String::from_utf8_lossy(body);
        if content_type.starts_with("text/html") {
            let html = Html::parse_document(&text);
            if crawl_on {
                self.note_links(url, &html);
            }
            return Some(anchors_of(&html));
        }
        if !crawl_on {
            return None;
        }
        if content_type.contains("xml") && !content_type.contains("svg") {
            self.note_feed_links(url, &text);
        } else if url.path().ends_with("/robots.txt") {
            for line in text.lines() {
                match line.split_once(':') {
                    Some((key, sitemap)) if key.trim().eq_ignore_ascii_case("sitemap") => {
                        self.note(url, sitemap, url);
                    }
                    _ => {}
                }
            }
        }
        None
    }

    fn record(
        &mut self,
        url: Url,
        status: Result<u16, String>,
        location: Option<Url>,
        anchors: Option<HashSet<String>>,
    ) {
        let fetched = Fetched {
            status,
            location,
            anchors,
        };
        self.fetched.insert(url, fetched);
    }

    /// Every URL-valued attribute of every element on the HTML page at `url`.
    fn note_links(&mut self, url: &Url, html: &Html) {
        let elements = || html.root_element().descendent_elements();
        let base = elements()
            .find(|e| e.value().name() == "base")
            .and_then(|e| e.value().attr("href"))
            .and_then(|href| url.join(href).ok())
            .unwrap_or_else(|| url.clone());
        for element in elements() {
            for written in links_of(element) {
                self.note(url, &written, &base);
            }
        }
    }

    /// The `<loc>`s of a sitemap and the `<link href>`s of an Atom feed at `url`.
    fn note_feed_links(&mut self, url: &Url, xml: &str) {
        // html5ever reads these few XML elements well enough: `link` is a void element there
        // too, and `loc` an unknown one whose text is the URL.
        let doc = Html::parse_document(xml);
        for element in doc.root_element().descendent_elements() {
            let written = match element.value().name() {
                "loc" => element.text().collect::<String>(),
                "link" => element.value().attr("href").unwrap_or_default().to_string(),
                _ => continue,
            };
            self.note(url, &written, url);
        }
    }

    /// Checks every link against what was fetched.
    fn finish(self, start: Url) -> Crawl {
        let mut broken: BTreeSet<Broken> = self.unresolved.iter().cloned().collect();
        for link in &self.links {
            if let Err(problem) = self.check(&link.target) {
                broken.insert(Broken {
                    page: link.page.to_string(),
                    link: link.written.clone(),
                    problem,
                });
            }
        }
        Crawl {
            start,
            checked: self.fetched.len(),
            links: self.links.len(),
            broken: broken.into_iter().collect(),
            external: self.external,
        }
    }

    /// Whether `target` answers 200, after redirects, and has the element its fragment names.
    fn check(&self, target: &Url) -> Result<(), String> {
        let mut url = without_fragment(target);
        for _ in 0..10 {
            let fetched = self
                .fetched
                .get(&url)
                .ok_or_else(|| format!("{url} was never fetched"))?;
            match fetched.status {
                Ok(200) => return check_fragment(target, fetched.anchors.as_ref()),
                Ok(301 | 302 | 303 | 307 | 308) => {
                    url = fetched
                        .location
                        .clone()
                        .ok_or_else(|| format!("{url}: a redirect without a Location"))?;
                }
                Ok(code) => return Err(format!("HTTP {code}")),
                Err(ref err) => return Err(err.clone()),
            }
        }
        Err("more than 10 redirects".into())
    }
}

/// Whether the fragment of `target`, if any, names an anchor of the HTML page it points to.
fn check_fragment(target: &Url, anchors: Option<&HashSet<String>>) -> Result<(), String> {
    let (Some(fragment), Some(anchors)) = (target.fragment(), anchors) else {
        return Ok(()); // No fragment, or not HTML: nothing to look for.
    };
    let fragment = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
    if fragment.is_empty() || anchors.contains(fragment.as_ref()) {
        Ok(())
    } else {
        Err(format!("no id=\"{fragment}\" on the page"))
    }
}

/// The URLs an element links to, as written.
fn links_of(element: ElementRef<'_>) -> Vec<String> {
    let value = element.value();
    let mut links = Vec::new();
    for (name, written) in value.attrs() {
        match (value.name(), name) {
            ("base", "href") => {} // Not a link: the base the others resolve against.
            (_, "href" | "src" | "poster") | ("object", "data") => links.push(written.into()),
            (_, "srcset") => links.extend(
                written
                    .split(',')
                    .filter_map(|candidate| candidate.split_whitespace().next())
                    .map(String::from),
            ),
            ("meta", "content") if is_refresh(element) => {
                links.extend(refresh_target(written).map(String::from));
            }
            _ => {}
        }
    }
    links
}

fn is_refresh(element: ElementRef<'_>) -> bool {
    element
        .value()
        .attr("http-equiv")
        .is_some_and(|v| v.eq_ignore_ascii_case("refresh"))
}

/// The URL of `<meta http-equiv="refresh" content="0; url=...">`.
fn refresh_target(content: &str) -> Option<&str> {
    let (_, rest) = content.split_once([';', ','])?;
    let rest = rest.trim_start();
    let url = rest
        .get(..4)
        .filter(|key| key.eq_ignore_ascii_case("url="))
        .map_or(rest, |_| &rest[4..]);
    Some(url.trim().trim_matches(['"', '\'']))
}

/// Every `id` on an HTML page, and the `name` of every `<a name>`.
fn anchors_of(html: &Html) -> HashSet<String> {
    let mut anchors = HashSet::new();
    for element in html.root_element().descendent_elements() {
        let value = element.value();
        if let Some(id) = value.id() {
            anchors.insert(id.to_string());
        }
        if let Some(name) = value.attr("name").filter(|_| value.name() == "a") {
            anchors.insert(name.to_string());
        }
    }
    anchors
}

fn without_fragment(url: &Url) -> Url {
    let mut bare = url.clone();
    bare.set_fragment(None);
    bare
}
