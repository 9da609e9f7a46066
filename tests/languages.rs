//! Sites in several languages: one scenario per test, each a small site built by the real
//! binary.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::Site;

/// Two languages, English first, with Dutch names for the taxonomy and the relation.
const CONFIG: &str = concat!(
    "title: Handbook\nbase_url: https://example.org/\nsearch: false\n",
    "taxonomies: [topics]\n",
    "relations:\n  part_of: { label: \"Part of\", inverse: has_part, inverse_label: \"Includes\" }\n",
    "languages:\n  en: {}\n  nl:\n    title: Handboek\n    taxonomies: { topics: Onderwerpen }\n",
    "    relations: { part_of: { label: \"Onderdeel van\", inverse_label: \"Omvat\" } }\n",
    "    terms: { topics: { Safety: Veiligheid } }\n",
);

/// A site in English and Dutch: the guide is translated, the FAQ is not.
fn bilingual(extra: &[(&str, &str)]) -> Site {
    let mut files = vec![
        ("weft.yaml", CONFIG),
        (
            "content/_index.md",
            "---\ntitle: Handbook\n---\nRead the [[guide]].\n",
        ),
        (
            "content/_index.nl.md",
            "---\ntitle: Handboek\n---\nLees de [[guide]].\n",
        ),
        (
            "content/docs/_index.md",
            "---\ntitle: Docs\n---\nThe docs.\n",
        ),
        (
            "content/docs/guide.md",
            "---\ntitle: Guide\ndate: 2026-11-28\ntopics: [Safety]\npart_of: [docs/_index.md]\n---\n\
             ## Start\n\nSee the [FAQ](faq.md#questions).\n",
        ),
        (
            "content/docs/guide.nl.md",
            "---\ntitle: Gids\ndate: 2026-11-28\ntopics: [Safety]\npart_of: [docs/_index.md]\n---\n\
             ## Begin\n\nZie de [FAQ](faq.md#questions) en [[Gids#Begin]].\n",
        ),
        (
            "content/docs/faq.md",
            "---\ntitle: FAQ\n---\n## Questions\n\nSee the [guide](guide.md).\n",
        ),
    ];
    files.extend_from_slice(extra);
    Site::new(&files)
}

fn build(site: &Site) -> String {
    let output = site.weft(&["build"]);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    stderr
}

fn failure(site: &Site) -> String {
    let output = site.weft(&["build"]);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!output.status.success(), "the build should fail:\n{stderr}");
    stderr
}

/// The page's body, as its Markdown made it.
fn content(html: &str) -> &str {
    let start = html.find("<div class=\"content\">").expect("content");
    &html[start..start + html[start..].find("\n  </div>").expect("end of content")]
}

fn exists(site: &Site, path: &str) -> bool {
    site.root().join("public").join(path).is_file()
}

/// The `href` of every `<link rel="alternate" hreflang=…>`, by hreflang.
fn alternates(html: &str) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    for tag in html.split("<link ").skip(1) {
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        let attribute = |name: &str| {
            let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
            Some(tag[start..start + tag[start..].find('"')?].to_string())
        };
        if let (Some(lang), Some(href)) = (attribute("hreflang"), attribute("href")) {
            found.insert(lang, href);
        }
    }
    found
}

#[test]
fn two_languages_with_a_page_missing_in_one() {
    let site = bilingual(&[]);
    build(&site);
    // The default language at the root, the other under its code.
    assert!(exists(&site, "docs/guide/index.html"));
    assert!(exists(&site, "nl/docs/guide/index.html"));
    assert!(exists(&site, "docs/faq/index.html"));
    assert!(!exists(&site, "nl/docs/faq/index.html"));
    // A folder with Dutch pages has a Dutch section, made when it has no _index.nl.md.
    assert!(exists(&site, "nl/docs/index.html"));
    let dutch = site.out("nl/docs/guide/index.html");
    assert!(dutch.contains("<html lang=\"nl\" dir=\"ltr\">"), "{dutch}");
    assert!(
        site.out("docs/guide/index.html")
            .contains("<html lang=\"en\"")
    );
    // The switcher leads to the same page in the other language…
    assert!(
        dutch.contains("href=\"/docs/guide/\" hreflang=\"en\""),
        "{dutch}"
    );
    // …or, for a page that is not translated, to that language's home, saying so.
    let faq = site.out("docs/faq/index.html");
    let nl_link = faq
        .split("hreflang=\"nl\"")
        .next()
        .and_then(|before| before.rsplit("<a ").next())
        .expect("a link to the Dutch site");
    assert!(nl_link.contains("href=\"/nl/\""), "{nl_link}");
    let switcher = &faq[faq.find("hreflang=\"nl\"").expect("nl")..];
    let note = &switcher[..switcher.find("</li>").expect("item")];
    assert!(note.contains("not translated"), "{note}");
    // The Dutch pages are titled in Dutch and their site is the Dutch one.
    assert!(dutch.contains("<title>Gids · Handboek</title>"), "{dutch}");
}

#[test]
fn links_stay_in_their_language_and_fall_back_with_a_warning() {
    let site = bilingual(&[(
        "content/docs/intro.nl.md",
        "---\ntitle: Inleiding\n---\nNaar [de gids](guide.md), [[guide]], [gids](@/docs/guide.md) \
         en [de Engelse](guide.md#start), [[FAQ#Questions]].\n",
    )]);
    // An anchor of the English guide that the Dutch one lacks is no anchor of the Dutch one.
    let stderr = failure(&site);
    assert!(
        stderr.contains("no heading `#start` in `content/docs/guide.nl.md`"),
        "{stderr}"
    );
    let site = bilingual(&[(
        "content/docs/intro.nl.md",
        "---\ntitle: Inleiding\n---\nNaar [de gids](guide.md), [[guide]], [gids](@/docs/guide.md) \
         en [[FAQ#Questions]].\n",
    )]);
    let stderr = build(&site);
    let page = site.out("nl/docs/intro/index.html");
    let intro = content(&page);
    // In the language: all three ways of naming the guide.
    assert_eq!(
        intro.matches("href=\"/nl/docs/guide/\"").count(),
        3,
        "{intro}"
    );
    // Not translated: the English page, its anchors kept, with a warning at the link.
    assert!(intro.contains("href=\"/docs/faq/#questions\""), "{intro}");
    assert!(
        stderr.contains("warning[untranslated-link]: `docs/faq.md` is not translated into `nl`"),
        "{stderr}"
    );
    assert!(stderr.contains("content/docs/intro.nl.md:4:"), "{stderr}");
    // A wiki link finds a page by its translated title, in the language.
    let guide = site.out("nl/docs/guide/index.html");
    assert!(guide.contains("href=\"#begin\""), "{guide}");
    // Backlinks are per language: the English FAQ is not referenced by the Dutch pages.
    let faq = site.out("docs/faq/index.html");
    assert!(!faq.contains("/nl/docs/"), "{faq}");
    let english = site.out("docs/guide/index.html");
    assert!(english.contains("href=\"/docs/faq/\""), "{english}");
    // A setting makes it an error.
    site.write(
        "weft.yaml",
        &CONFIG.replace(
            "search: false\n",
            "search: false\nuntranslated_links: error\n",
        ),
    );
    let stderr = failure(&site);
    assert!(stderr.contains("error[untranslated-link]"), "{stderr}");
}

#[test]
fn a_link_to_a_translations_own_file_leads_there_without_a_warning() {
    let site = bilingual(&[(
        "content/docs/faq.md",
        "---\ntitle: FAQ\n---\n## Questions\n\nIn Dutch: [gids](guide.nl.md).\n",
    )]);
    let stderr = build(&site);
    assert!(!stderr.contains("content/docs/faq.md:"), "{stderr}");
    assert!(
        site.out("docs/faq/index.html")
            .contains("href=\"/nl/docs/guide/\"")
    );
}

#[test]
fn hreflang_pairs_are_reciprocal_on_every_page() {
    let site = bilingual(&[]);
    build(&site);
    let public = site.root().join("public");
    let mut pages = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&public) {
        let entry = entry.expect("entry");
        if entry.path().extension().is_some_and(|e| e == "html") {
            let url = format!(
                "https://example.org/{}",
                entry
                    .path()
                    .strip_prefix(&public)
                    .expect("inside")
                    .to_string_lossy()
                    .trim_end_matches("index.html")
            );
            let html = std::fs::read_to_string(entry.path()).expect("read");
            pages.insert(url, alternates(&html));
        }
    }
    let guide = &pages["https://example.org/docs/guide/"];
    assert_eq!(
        guide.get("nl").map(String::as_str),
        Some("https://example.org/nl/docs/guide/")
    );
    assert_eq!(
        guide.get("x-default").map(String::as_str),
        Some("https://example.org/docs/guide/")
    );
    let mut checked = 0;
    for (url, links) in &pages {
        if links.is_empty() {
            continue;
        }
        let lang = if url.starts_with("https://example.org/nl/") {
            "nl"
        } else {
            "en"
        };
        assert_eq!(links.get(lang), Some(url), "{url} names itself");
        assert!(links.contains_key("x-default"), "{url} has x-default");
        for (other, href) in links {
            if other == "x-default" {
                continue;
            }
            let back = pages
                .get(href)
                .unwrap_or_else(|| panic!("{url} → {href}: no such page"));
            assert_eq!(back.get(lang), Some(url), "{href} does not name {url} back");
            checked += 1;
        }
    }
    assert!(checked > 10, "{checked} pairs");
    // A page in one language only has no alternates to point at but itself.
    let faq = &pages["https://example.org/docs/faq/"];
    assert!(!faq.contains_key("nl"), "{faq:?}");
}

#[test]
fn the_sitemap_lists_the_alternates() {
    let site = bilingual(&[]);
    build(&site);
    let sitemap = site.out("sitemap.xml");
    assert!(sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    let entry = sitemap
        .lines()
        .find(|l| l.contains("<loc>https://example.org/nl/docs/guide/</loc>"))
        .expect("the Dutch guide");
    assert!(
        entry.contains(
            "<xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/docs/guide/\"/>"
        ),
        "{entry}"
    );
    assert!(entry.contains("hreflang=\"nl\" href=\"https://example.org/nl/docs/guide/\""));
    let faq = sitemap
        .lines()
        .find(|l| l.contains("<loc>https://example.org/docs/faq/</loc>"))
        .expect("the FAQ");
    assert!(!faq.contains("xhtml:link"), "{faq}");
}

#[test]
fn each_language_has_its_feed_taxonomies_map_and_404() {
    let site = bilingual(&[]);
    build(&site);
    let feed = site.out("nl/atom.xml");
    assert!(feed.contains("xml:lang=\"nl\""), "{feed}");
    assert!(feed.contains("<title>Gids</title>"), "{feed}");
    assert!(!feed.contains("<title>Guide</title>"), "{feed}");
    assert!(site.out("atom.xml").contains("<title>Guide</title>"));
    // Taxonomy and term pages, with the names in the language.
    let topics = site.out("nl/topics/index.html");
    assert!(topics.contains("Onderwerpen"), "{topics}");
    let term = site.out("nl/topics/safety/index.html");
    assert!(term.contains("Veiligheid"), "{term}");
    assert!(term.contains("href=\"/nl/docs/guide/\""), "{term}");
    assert!(!term.contains("href=\"/docs/guide/\">"), "{term}");
    // Relation labels in the language.
    let guide = site.out("nl/docs/guide/index.html");
    assert!(guide.contains("Onderdeel van"), "{guide}");
    assert!(site.out("docs/guide/index.html").contains("Part of"));
    // The map and graph.json of each language hold its pages.
    let map = site.out("nl/map/index.html");
    assert!(
        map.contains("/nl/docs/guide/") && !map.contains("\"/docs/faq/\""),
        "{map}"
    );
    let graph = site.out("nl/graph.json");
    assert!(graph.contains("/nl/docs/guide/") && !graph.contains("\"/docs/faq/\""));
    assert!(exists(&site, "nl/404.html"));
    assert!(site.out("nl/404.html").contains("lang=\"nl\""));
}

#[test]
fn theme_words_and_dates_are_in_the_pages_language() {
    let site = bilingual(&[]);
    build(&site);
    let dutch = site.out("nl/docs/guide/index.html");
    assert!(dutch.contains("28 november 2026"), "{dutch}");
    assert!(dutch.contains("Op deze pagina"), "{dutch}");
    let english = site.out("docs/guide/index.html");
    assert!(english.contains("28 November 2026"), "{english}");
    assert!(english.contains("On this page"), "{english}");
    // A site's own words, and English for a word its file lacks, with a warning naming it.
    let site = Site::new(&[
        (
            "weft.yaml",
            "title: T\nsearch: false\nlanguages:\n  en: {}\n  pt: { title: Manual }\n",
        ),
        ("i18n/pt.yaml", "on_this_page: \"Nesta página\"\n"),
        ("content/a.pt.md", "---\ntitle: A\n---\n## Um\n\nTexto.\n"),
    ]);
    let stderr = build(&site);
    let page = site.out("pt/a/index.html");
    assert!(page.contains("Nesta página"), "{page}");
    assert!(page.contains("Skip to content"), "{page}");
    assert!(
        stderr.contains("warning[missing-word]: no words `all_pages_by_section`, `atom_feed`,")
            && stderr.contains("`skip_to_content`"),
        "{stderr}"
    );
    // Callouts are titled in the page's language.
    let site = bilingual(&[(
        "content/docs/tip.nl.md",
        "---\ntitle: Tip\n---\n> [!warning]\n> Pas op.\n",
    )]);
    build(&site);
    assert!(
        site.out("nl/docs/tip/index.html")
            .contains(">Waarschuwing<")
    );
}

#[test]
fn right_to_left_languages_say_so() {
    let site = Site::new(&[
        (
            "weft.yaml",
            "title: T\nsearch: false\nlanguages:\n  en: {}\n  ar: { title: دليل }\n",
        ),
        ("content/a.md", "A.\n"),
        ("content/a.ar.md", "أ.\n"),
    ]);
    build(&site);
    assert!(
        site.out("ar/a/index.html")
            .contains("<html lang=\"ar\" dir=\"rtl\">")
    );
    assert!(
        site.out("a/index.html")
            .contains("<html lang=\"en\" dir=\"ltr\">")
    );
}

#[test]
fn without_languages_a_site_has_one() {
    let site = Site::new(&[
        ("content/a.md", "A.\n"),
        ("content/a.nl.md", "A, in Dutch.\n"),
        ("content/Node.js.md", "A note.\n"),
    ]);
    build(&site);
    assert!(exists(&site, "a.nl/index.html"));
    assert!(exists(&site, "node.js/index.html"));
    assert!(!site.root().join("public/nl").exists());
    let page = site.out("a/index.html");
    assert!(!page.contains("hreflang"), "{page}");
}

#[test]
fn a_note_named_like_a_language_is_a_page() {
    let site = bilingual(&[("content/Node.js.md", "A note.\n")]);
    build(&site);
    assert!(exists(&site, "node.js/index.html"));
}

#[test]
fn translations_with_other_names_are_paired_by_their_key() {
    let site = bilingual(&[
        (
            "content/about.md",
            "---\ntitle: About\ntranslation_key: about\n---\nAbout.\n",
        ),
        (
            "content/over-ons.nl.md",
            "---\ntitle: Over ons\ntranslationKey: about\n---\nOver.\n",
        ),
    ]);
    build(&site);
    assert!(exists(&site, "nl/over-ons/index.html"));
    let about = alternates(&site.out("about/index.html"));
    assert_eq!(
        about.get("nl").map(String::as_str),
        Some("https://example.org/nl/over-ons/")
    );
}

#[test]
fn a_code_that_is_no_language_is_an_error_at_its_key() {
    let site = bilingual(&[(
        "weft.yaml",
        "title: T\nlanguages:\n  en: {}\n  nl_NL: {}\n  klingon: {}\n",
    )]);
    let stderr = failure(&site);
    assert!(
        stderr.contains("error[unknown-language]: `nl_NL` is not a language code"),
        "{stderr}"
    );
    assert!(stderr.contains("write it `nl-nl`"), "{stderr}");
    assert!(
        stderr.contains("`klingon` is not a language code"),
        "{stderr}"
    );
    assert!(stderr.contains("weft.yaml:4:"), "{stderr}");
}

#[test]
fn a_translation_into_a_language_the_site_lacks_is_an_error() {
    let site = bilingual(&[("content/docs/guide.fr.md", "Guide, en français.\n")]);
    let stderr = failure(&site);
    assert!(
        stderr.contains("`docs/guide.fr.md` is named as a translation into `fr`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the site's languages are en, nl"),
        "{stderr}"
    );
}

#[test]
fn two_files_for_one_page_and_language_are_an_error() {
    let site = bilingual(&[("content/docs/guide.en.md", "The guide, again.\n")]);
    let stderr = failure(&site);
    assert!(stderr.contains("error[duplicate-translation]"), "{stderr}");
    assert!(
        stderr.contains("`content/docs/guide.md` and `content/docs/guide.en.md` are both the en version of `docs/guide.md`"),
        "{stderr}"
    );
    let site = bilingual(&[
        ("content/a.nl.md", "---\ntranslation_key: x\n---\nA.\n"),
        ("content/b.nl.md", "---\ntranslation_key: x\n---\nB.\n"),
    ]);
    let stderr = failure(&site);
    assert!(
        stderr.contains("are the same page in the same language"),
        "{stderr}"
    );
    assert!(stderr.contains("content/b.nl.md:2:"), "{stderr}");
}

#[test]
fn a_slug_that_makes_two_languages_collide_is_an_error() {
    let site = bilingual(&[(
        "content/docs/faq.md",
        "---\ntitle: FAQ\npermalink: nl/docs/guide\n---\nFAQ.\n",
    )]);
    let stderr = failure(&site);
    assert!(stderr.contains("error[duplicate-url]"), "{stderr}");
    assert!(stderr.contains("(en) and"), "{stderr}");
    assert!(
        stderr.contains("the pages in `nl` live under /nl/; give `content/docs/faq.md` a `slug` or `permalink` outside it"),
        "{stderr}"
    );
}

#[test]
fn each_language_has_its_own_search_index() {
    let site = bilingual(&[(
        "weft.yaml",
        &CONFIG.replace("search: false\n", "search: true\n"),
    )]);
    build(&site);
    let bundle = site.root().join("public/pagefind");
    let names: BTreeSet<String> = std::fs::read_dir(&bundle)
        .expect("pagefind/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    for lang in ["en", "nl"] {
        assert!(
            names
                .iter()
                .any(|n| n.starts_with(&format!("pagefind.{lang}_")) && n.ends_with(".pf_meta")),
            "{lang}: {names:?}"
        );
    }
    let entry =
        std::fs::read_to_string(Path::new(&bundle).join("pagefind-entry.json")).expect("entry");
    assert!(
        entry.contains("\"nl\"") && entry.contains("\"en\""),
        "{entry}"
    );
}

#[test]
fn a_new_site_in_two_languages_builds_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("kb");
    let path = site.to_string_lossy().into_owned();
    let output = common::weft_in(dir.path(), &["new", "site", &path, "--languages", "en,nl"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = common::weft_in(&site, &["build"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    assert!(site.join("public/nl/index.html").is_file());
    let home = std::fs::read_to_string(site.join("public/nl/index.html")).expect("home");
    assert!(home.contains("hreflang=\"en\""), "{home}");
}

#[test]
fn a_broken_path_in_a_translation_is_suggested_by_its_pages_names() {
    let site = bilingual(&[(
        "content/docs/intro.nl.md",
        "---\ntitle: Inleiding\n---\nNaar [de gids](@/docs/gide.md).\n",
    )]);
    let stderr = failure(&site);
    assert!(
        stderr.contains("did you mean `@/docs/guide.md`?"),
        "{stderr}"
    );
}
