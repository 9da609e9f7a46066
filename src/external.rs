//! `weft check --external`: checks every http(s) link in the pages' bodies, concurrently, with
//! a timeout per link and a limit per host, and reports each broken one at its file:line.
//!
//! Links that worked are remembered in `.weft-cache/external.json` under the site's root and
//! not asked again for a day; broken ones are asked again on every run, so a fix shows at once.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use ureq::ResponseExt;

use crate::diag::{Code, Diagnostic};
use crate::markdown::is_external;
use crate::output::lock;
use crate::site::Site;
use crate::source::Source;

/// The cache file, relative to the site's root.
pub const CACHE_FILE: &str = ".weft-cache/external.json";

/// How external links are checked.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How long one link may take, redirects included.
    pub timeout: Duration,
    /// Links checked at once, over all hosts.
    pub jobs: usize,
    /// Links checked at once on one host, so weft never floods a site.
    pub per_host: usize,
    /// How long a link that worked is trusted without asking again.
    pub max_age: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            timeout: Duration::from_secs(10),
            jobs: 16,
            per_host: 2,
            max_age: Duration::from_secs(24 * 60 * 60),
        }
    }
}

/// What asking for a link found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It answered with a success, after any redirects; the status.
    Ok(u16),
    /// It answered, but refuses to tell robots (401, 403, 429): worth a look, not an error.
    Refused(String),
    /// It is broken: an error status, no answer in time, or no connection; why.
    Broken(String),
}

/// Where a link is written.
struct Use {
    source: Source,
    span: Range<usize>,
}

/// What checking a site's external links found.
pub struct Report {
    /// The broken and unverified links, at their places.
    pub diagnostics: Vec<Diagnostic>,
    /// How many distinct external links the site has.
    pub links: usize,
    /// How many of them were known good from the cache, not asked.
    pub cached: usize,
    /// Why the cache could not be written, if it could not.
    pub cache_error: Option<String>,
}

/// Checks every external link of `site`, whose folder is `root`, asking only those the
/// cache does not know as good, and updates the cache.
pub fn check_site(site: &Site, root: &Path, settings: &Settings) -> Report {
    let links = collect(site);
    let cache_path = root.join(CACHE_FILE);
    let mut cache = Cache::read(&cache_path);
    let now = unix_now();
    let (cached, to_check): (Vec<&String>, Vec<&String>) = links
        .keys()
        .partition(|url| cache.is_fresh(url, now, settings.max_age));
    let outcomes = check_all(&to_check, settings);
    for (url, outcome) in to_check.iter().zip(&outcomes) {
        if let Outcome::Ok(status) = outcome {
            cache.remember(url, *status, now);
        }
    }
    let cache_error = cache
        .write(&cache_path, now, settings.max_age)
        .err()
        .map(|err| format!("cannot write {}: {err}", cache_path.display()));
    let mut diagnostics = Vec::new();
    for (url, outcome) in to_check.iter().zip(&outcomes) {
        diagnostics.extend(links[*url].iter().filter_map(|u| diagnose(url, outcome, u)));
    }
    Report {
        diagnostics,
        links: links.len(),
        cached: cached.len(),
        cache_error,
    }
}

/// Every http(s) link of the site, without its `#fragment`, with where it is written.
fn collect(site: &Site) -> BTreeMap<String, Vec<Use>> {
    let mut links: BTreeMap<String, Vec<Use>> = BTreeMap::new();
    for page in &site.pages {
        for link in page.body.links.iter().filter(|l| !l.internal) {
            let Some(url) = http_url(&link.dest) else {
                continue;
            };
            links.entry(url).or_default().push(Use {
                source: page.source.clone(),
                span: link.span.clone(),
            });
        }
    }
    links
}

/// The URL to ask for `dest`, if it is an http(s) link: no fragment, `//host` as https.
fn http_url(dest: &str) -> Option<String> {
    if !is_external(dest) {
        return None;
    }
    let url = dest.split('#').next().unwrap_or(dest).trim();
    let url = match url.strip_prefix("//") {
        Some(rest) => format!("https://{rest}"),
        None => url.to_string(),
    };
    let lower = url.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then_some(url)
}

/// The host (and port) of an http(s) URL, for the per-host limit.
fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    &rest[..end]
}

fn diagnose(url: &str, outcome: &Outcome, at: &Use) -> Option<Diagnostic> {
    let diagnostic = match outcome {
        Outcome::Ok(_) => return None,
        Outcome::Refused(why) => Diagnostic::warning(
            Code::UnverifiedExternalLink,
            format!("`{url}` could not be checked: {why}"),
        )
        .label(why.clone())
        .help("the site refuses link checkers; open the link in a browser to check it"),
        Outcome::Broken(why) => Diagnostic::error(
            Code::BrokenExternalLink,
            format!("external link `{url}` is broken: {why}"),
        )
        .label(why.clone())
        .help("fix the address or remove the link; links that work are cached for a day in .weft-cache/"),
    };
    Some(diagnostic.at(&at.source, at.span.clone()))
}

/// The work shared by the checking threads: links not yet taken, and links in flight per host.
struct Queue<'a> {
    pending: VecDeque<(usize, &'a str)>,
    busy: HashMap<&'a str, usize>,
}

/// Checks `urls` on `settings.jobs` threads, at most `settings.per_host` at once per host;
/// returns an outcome per URL, in order.
pub fn check_all<S: AsRef<str> + Sync>(urls: &[S], settings: &Settings) -> Vec<Outcome> {
    let agent = agent(settings);
    let queue = Mutex::new(Queue {
        pending: urls
            .iter()
            .enumerate()
            .map(|(i, u)| (i, host(u.as_ref())))
            .collect(),
        busy: HashMap::new(),
    });
    let freed = Condvar::new();
    let results: Mutex<Vec<Option<Outcome>>> = Mutex::new(vec![None; urls.len()]);
    std::thread::scope(|scope| {
        for _ in 0..settings.jobs.clamp(1, urls.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let mut q = lock(&queue);
                    let (i, host) = loop {
                        if q.pending.is_empty() {
                            return;
                        }
                        let free = q.pending.iter().position(|(_, h)| {
                            q.busy.get(h).copied().unwrap_or(0) < settings.per_host.max(1)
                        });
                        if let Some(taken) = free.and_then(|p| q.pending.remove(p)) {
                            break taken;
                        }
                        q = freed.wait(q).unwrap_or_else(PoisonError::into_inner);
                    };
                    *q.busy.entry(host).or_default() += 1;
                    drop(q);
                    let outcome = check_one(&agent, urls[i].as_ref());
                    lock(&results)[i] = Some(outcome);
                    *lock(&queue).busy.entry(host).or_default() -= 1;
                    freed.notify_all();
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
        .into_iter()
        .map(|o| o.unwrap_or_else(|| Outcome::Broken("not checked".into())))
        .collect()
}

fn agent(settings: &Settings) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(settings.timeout))
        .http_status_as_error(false)
        .max_redirects(10)
        .user_agent(concat!(
            "weft/",
            env!("CARGO_PKG_VERSION"),
            " (link checker)"
        ))
        .build()
        .into()
}

/// Asks for one URL (GET, following redirects, body left unread) and judges the answer.
/// A connection that breaks is tried once more: servers close idle kept-alive connections.
pub fn check_one(agent: &ureq::Agent, url: &str) -> Outcome {
    let answer = match agent.get(url).call() {
        Err(ureq::Error::Io(_)) => agent.get(url).call(),
        answer => answer,
    };
    match answer {
        Ok(response) => {
            let status = response.status();
            let code = status.as_u16();
            let mut why = format!("{code} {}", status.canonical_reason().unwrap_or_default())
                .trim_end()
                .to_string();
            let landed = response.get_uri().to_string();
            if landed.trim_end_matches('/') != url.trim_end_matches('/') {
                why.push_str(&format!(" at {landed}"));
            }
            match code {
                200..=299 => Outcome::Ok(code),
                401 | 403 | 429 => Outcome::Refused(format!("the server answered {why}")),
                _ => Outcome::Broken(format!("the server answered {why}")),
            }
        }
        Err(ureq::Error::Timeout(_)) => Outcome::Broken("no answer in time".into()),
        Err(ureq::Error::TooManyRedirects) => Outcome::Broken("too many redirects".into()),
        Err(ureq::Error::HostNotFound) => Outcome::Broken("no such host".into()),
        Err(ureq::Error::Io(err)) => Outcome::Broken(format!("cannot connect: {err}")),
        Err(err) => Outcome::Broken(err.to_string()),
    }
}

/// Links that worked, with when: the cache file's content.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Cache {
    /// URL → the last good answer.
    links: BTreeMap<String, Checked>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct Checked {
    /// The HTTP status it answered.
    status: u16,
    /// When, in seconds since 1970.
    checked_at: u64,
}

impl Cache {
    /// Reads the cache; a missing or unreadable one is empty.
    fn read(path: &Path) -> Cache {
        std::fs::read(path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    fn is_fresh(&self, url: &str, now: u64, max_age: Duration) -> bool {
        self.links
            .get(url)
            .is_some_and(|c| now.saturating_sub(c.checked_at) < max_age.as_secs())
    }

    fn remember(&mut self, url: &str, status: u16, now: u64) {
        self.links.insert(
            url.to_string(),
            Checked {
                status,
                checked_at: now,
            },
        );
    }

    /// Writes the fresh entries beside the file, then renames it into place.
    fn write(&mut self, path: &Path, now: u64, max_age: Duration) -> std::io::Result<()> {
        self.links
            .retain(|_, c| now.saturating_sub(c.checked_at) < max_age.as_secs());
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        json.push(b'\n');
        let tmp = PathBuf::from(format!("{}.tmp", path.display()));
        std::fs::write(&tmp, json)?;
        std::fs::rename(&tmp, path)
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_links_are_checked_without_their_fragment() {
        assert_eq!(
            http_url("https://example.org/a#b").as_deref(),
            Some("https://example.org/a")
        );
        assert_eq!(
            http_url("//example.org/x").as_deref(),
            Some("https://example.org/x")
        );
        assert_eq!(http_url("mailto:a@example.org"), None);
        assert_eq!(http_url("ran-coe.md"), None);
    }

    #[test]
    fn hosts_include_the_port() {
        assert_eq!(host("http://127.0.0.1:8080/a?b"), "127.0.0.1:8080");
        assert_eq!(host("https://example.org"), "example.org");
    }

    #[test]
    fn the_cache_forgets_after_max_age() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CACHE_FILE);
        let day = Duration::from_secs(86_400);
        let mut cache = Cache::default();
        cache.remember("https://old.example/", 200, 1_000);
        cache.remember("https://new.example/", 200, 90_000);
        cache.write(&path, 90_000, day).unwrap();
        let read = Cache::read(&path);
        assert!(read.is_fresh("https://new.example/", 90_001, day));
        assert!(!read.is_fresh("https://old.example/", 90_001, day));
        assert!(!read.is_fresh("https://new.example/", 90_000 + 86_400, day));
    }

    #[test]
    fn an_unreachable_port_is_broken() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        drop(listener);
        let settings = Settings {
            timeout: Duration::from_secs(2),
            ..Settings::default()
        };
        let outcomes = check_all(&[url], &settings);
        assert!(matches!(&outcomes[0], Outcome::Broken(_)), "{outcomes:?}");
    }
}
