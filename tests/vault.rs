//! Existing notes build as they are: an Obsidian vault (`tests/fixtures/vault/`) and a plain
//! Markdown book like an mdBook's `src/` or a GitHub wiki (`tests/fixtures/book/`), each a
//! folder with no weft.yaml and no content/. Every link goes where Obsidian would go, and only
//! the links that really go nowhere are diagnostics.
//!
//! Each scenario copies its fixture into a fresh temp dir (named, since the folder's name is
//! the site's title) and writes the site beside it, so the fixture folders are never written to.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{stderr, weft_in};
use scraper::{ElementRef, Html};

/// The site's title: the name of the folder the vault is copied into.
const VAULT: &str = "My Vault";
/// The site's title: the name of the folder the book is copied into.
const BOOK: &str = "Handbook";

/// A fixture folder copied into a temp dir.
struct Copy {
    temp: tempfile::TempDir,
    /// The copy: the site's root.
    root: PathBuf,
}

impl Copy {
    /// Copies `tests/fixtures/{fixture}` (dot-folders included) to `<temp>/{folder}`.
    fn of(fixture: &str, folder: &str) -> Copy {
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(fixture);
        let temp = tempfile::tempdir().expect("temp dir");
        let root = temp.path().join(folder);
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.expect("walk the fixture");
            let to = root.join(entry.path().strip_prefix(&from).expect("prefix"));
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).expect("mkdir");
            } else {
                std::fs::copy(entry.path(), &to).expect("copy");
            }
        }
        Copy { temp, root }
    }

    /// Where [`Copy::build`] writes the site: beside the copy, not in it.
    fn out(&self) -> PathBuf {
        self.temp.path().join("public")
    }

    /// `weft build --output OUT`.
    fn build(&self) -> Output {
        let out = self.out();
        weft_in(
            &self.root,
            &["build", "--output", out.to_str().expect("UTF-8 path")],
        )
    }

    /// Replaces the one `from` in the copy's `file` with `to`.
    fn edit(&self, file: &str, from: &str, to: &str) {
        let path = self.root.join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        assert_eq!(text.matches(from).count(), 1, "`{from}` once in {file}");
        std::fs::write(&path, text.replace(from, to)).expect("write");
    }

    /// An output file's text.
    fn page(&self, path: &str) -> String {
        std::fs::read_to_string(self.out().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }
}

/// A diagnostic of `weft check --format json`: (severity, code, file, line, column).
type Found = (String, String, String, u64, u64);

/// Runs `weft check --format json` on `root`: its exit code and its diagnostics, sorted.
fn check_json(root: &Path) -> (Option<i32>, Vec<Found>) {
    let output = weft_in(root, &["check", "--format", "json"]);
    let text = String::from_utf8(output.stdout).expect("UTF-8 stdout");
    let mut found: Vec<Found> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let d: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
            let field = |key: &str| d[key].as_str().unwrap_or("<none>").to_string();
            let number = |key: &str| d[key].as_u64().unwrap_or(0);
            (
                field("severity"),
                field("code"),
                field("file"),
                number("line"),
                number("column"),
            )
        })
        .collect();
    found.sort();
    (output.status.code(), found)
}

/// Every diagnostic the vault must give, once each: (severity, code, file, line, column, the
/// text that line and column point at: a link's target, as the other link diagnostics do).
/// Nothing else: not `.trash/old.md`'s or `node_modules/`'s broken links, not a missing
/// front matter or title, not `![[embeds]]` without alt text, not the unknown keys that are
/// no typo (`status`, `created`, `up`).
#[rustfmt::skip]
const VAULT_DIAGNOSTICS: &[(&str, &str, &str, u64, u64, &str)] = &[
    // One swap of adjacent letters from `description`.
    ("error", "unknown-key", "Projects/Website redesign.md", 3, 1, "descriptoin:"),
    // The unpublished note, linked from two places, and the draft: shown as plain text.
    ("warning", "link-to-left-out", "Home.md", 8, 12, "Secret plans]]"),
    ("warning", "link-to-left-out", "Projects/Website redesign.md", 27, 28, "../Inbox/Secret%20plans.md"),
    ("warning", "link-to-left-out", "Projects/Website redesign.md", 27, 62, "Half-done idea]]"),
    // `Team/Meeting notes.md` or `Projects/Archive/Meeting notes.md`, from a third folder.
    ("error", "ambiguous-link", "Daily/2024-05-01.md", 1, 28, "Meeting notes]]"),
    // The links that really go nowhere: a note, a heading, a block, an attachment.
    ("error", "broken-link", "Inbox/Scratch.md", 3, 15, "Nonexistent note]]"),
    ("error", "broken-anchor", "Inbox/Scratch.md", 4, 11, "Glossary#Working methd]]"),
    ("error", "broken-anchor", "Inbox/Scratch.md", 5, 11, "Ada Lovelace#^no-such-block]]"),
    ("error", "broken-link", "Inbox/Scratch.md", 6, 23, "missing-chart.png)"),
    // Two notes that show each other in place.
    ("error", "embed-cycle", "Loops/Loop B.md", 3, 4, "Loop A]]"),
];

/// The text of `file` in the vault fixture from `line`:`column` (1-based, in characters).
fn fixture_text_at(file: &str, line: u64, column: u64) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/vault")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
    let line = text.lines().nth(line as usize - 1).expect("line");
    line.chars().skip(column as usize - 1).collect()
}

/// The vault as it is: `check` reports exactly [`VAULT_DIAGNOSTICS`], each once at its
/// file:line:col (paths relative to the vault), and `build` fails on its errors, showing each
/// at `--> file:line:col`.
#[test]
fn the_vault_reports_exactly_its_real_problems() {
    for &(_, _, file, line, column, text) in VAULT_DIAGNOSTICS {
        let at = fixture_text_at(file, line, column);
        assert!(
            at.starts_with(text),
            "{file}:{line}:{column} is `{at}`, not `{text}`"
        );
    }
    let vault = Copy::of("vault", VAULT);
    let (code, found) = check_json(&vault.root);
    let mut expected: Vec<Found> = VAULT_DIAGNOSTICS
        .iter()
        .map(|&(severity, code, file, line, column, _)| {
            (severity.into(), code.into(), file.into(), line, column)
        })
        .collect();
    expected.sort();
    assert_eq!(found, expected);
    assert_eq!(code, Some(1), "check fails on the errors");

    let output = vault.build();
    let text = stderr(&output, &vault.root);
    assert_eq!(output.status.code(), Some(1), "{text}");
    for &(_, _, file, line, column, _) in VAULT_DIAGNOSTICS {
        let place = format!(" --> {file}:{line}:{column}");
        assert_eq!(text.matches(&place).count(), 1, "`{place}` once in\n{text}");
    }
}

/// The vault with its errors fixed as a user would fix them; only the three warnings about
/// links to left-out notes remain.
fn fixed_vault() -> Copy {
    let vault = Copy::of("vault", VAULT);
    for (file, from, to) in [
        ("Inbox/Scratch.md", "[[Nonexistent note]]", "[[Home]]"),
        ("Inbox/Scratch.md", "Working methd", "Working method"),
        ("Inbox/Scratch.md", "^no-such-block", "^engine"),
        ("Inbox/Scratch.md", "missing-chart.png", "logo.png"),
        (
            "Daily/2024-05-01.md",
            "[[Meeting notes]]",
            "[[Projects/Archive/Meeting notes]]",
        ),
        (
            "Projects/Website redesign.md",
            "descriptoin:",
            "description:",
        ),
        ("Loops/Loop B.md", "![[Loop A]]", "[[Loop A]]"),
    ] {
        vault.edit(file, from, to);
    }
    let (_, found) = check_json(&vault.root);
    let warnings: Vec<Found> = found
        .iter()
        .filter(|d| d.0 == "warning" && d.1 == "link-to-left-out")
        .cloned()
        .collect();
    assert_eq!(found, warnings, "only the links to left-out notes remain");
    assert_eq!(found.len(), 3, "{found:?}");
    vault
}

/// The URL of the page written to `path` (`places/café/index.html` → `/places/caf%C3%A9/`).
fn url_of(path: &str) -> String {
    let dir = path
        .strip_suffix("index.html")
        .expect("a page's index.html");
    let mut url = String::from("/");
    for byte in dir.bytes() {
        if byte.is_ascii_graphic() {
            url.push(char::from(byte));
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    url
}

/// The part of a page its Markdown made: the theme's `<div class="content">`.
fn content(html: &Html) -> ElementRef<'_> {
    html.root_element()
        .descendent_elements()
        .find(|e| e.value().name() == "div" && e.value().classes().any(|c| c == "content"))
        .expect("a <div class=\"content\">")
}

/// The URL an element of the content leads to or shows (`<a href>`, `<img src>`, an embed's
/// `src` or `data`), as written, or none for a heading's own anchor link.
fn target(element: ElementRef<'_>) -> Option<&str> {
    let value = element.value();
    if value.classes().any(|c| c == "anchor") {
        return None;
    }
    match value.name() {
        "a" => value.attr("href"),
        "img" | "iframe" | "embed" | "video" | "audio" | "source" => value.attr("src"),
        "object" => value.attr("data"),
        _ => None,
    }
}

/// Without its `#fragment`.
fn without_fragment(url: &str) -> &str {
    url.split('#').next().unwrap_or(url)
}

/// Every URL the content of the page at `path` links to or embeds, in order. A link to the
/// page itself is written `#id` however the page wrote it; an image's `src` drops its
/// fragment (Obsidian's `![[img.png#interface]]` is a styling hint); an element inside
/// another with the same URL (an image in a link to itself, an embed's fallback link) is
/// counted once.
fn content_urls(path: &str, html: &str) -> Vec<String> {
    let own = url_of(path);
    let html = Html::parse_document(html);
    let mut urls = Vec::new();
    for element in content(&html).descendent_elements() {
        let Some(url) = target(element) else {
            continue;
        };
        let nested = element
            .ancestors()
            .filter_map(ElementRef::wrap)
            .filter_map(target)
            .any(|outer| without_fragment(outer) == without_fragment(url));
        if nested {
            continue;
        }
        let url = match url.strip_prefix(&own) {
            Some(fragment) if fragment.starts_with('#') => fragment,
            _ if element.value().name() == "img" => without_fragment(url),
            _ => url,
        };
        urls.push(url.to_string());
    }
    urls
}

/// Every link and embed of each page of the fixed vault, in order, as Obsidian resolves them.
/// Links to left-out notes are plain text, so they are no URL here.
const VAULT_LINKS: &[(&str, &[&str])] = &[
    (
        "home/index.html",
        &[
            "/projects/",                       // [[Projects]]: the folder note
            "/reference/glossary/",             // [[Reference/Glossary|glossary]]
            "/team/people/ada-lovelace/",       // [[Ada Lovelace]]
            "/team/people/grace-hopper/",       // [[grace hopper]]: any case
            "/team/people/ada-lovelace/",       // [[The Countess]]: an alias
            "/team/people/grace-hopper/",       // [[Amazing Grace]]: `alias:`
            "/places/caf%C3%A9/",               // [[Café]]
            "/places/z%C3%BCrich-office/",      // [[Zürich office]]
            "/projects/archive/meeting-notes/", // [[Archive/Meeting notes]]: a path suffix
            "/team/meeting-notes/",             // [[Team/Meeting notes|…]]
            // [[Secret plans]]: left out
            "/attachments/logo.png", // ![[logo.png|64]]
        ],
    ),
    (
        "projects/index.html",
        &[
            "/projects/website-redesign/",         // [[Website redesign]]
            "/projects/archive/old-launch/",       // [[Archive/Old launch|archive]]
            "/projects/website-redesign/",         // table: [[Website redesign\|Redesign]]
            "/team/people/ada-lovelace/",          // [[Ada Lovelace\|Ada]]
            "/reference/glossary/#working-method", // [[Glossary#Working method\|method]]
            "/projects/archive/old-launch/",       // [[Old launch]]
            "/team/people/grace-hopper/",          // [[Grace Hopper\|Grace]]
            "/attachments/diagram%20one.png",      // ![[diagram one.png\|120]]
        ],
    ),
    (
        "projects/website-redesign/index.html",
        &[
            "/team/people/ada-lovelace/",          // [[The Countess]]
            "/reference/glossary/",                // (Glossary.md): by name, anywhere
            "/reference/bases/bases-syntax/",      // [[Bases syntax]]
            "/reference/glossary/#working-method", // (…/Glossary.md#Working%20method)
            "/reference/glossary/#working-method", // (…/Glossary.md#working-method)
            "/team/people/grace-hopper/",          // (Grace%20Hopper.md)
            "/team/people/ada-lovelace/",          // (<Ada Lovelace.md>)
            "/projects/",                          // (/projects/): an output URL
            "/attachments/diagram%20one.png",      // ![…](<../Attachments/diagram one.png>)
            "/attachments/Interface.png",          // ![[Interface.png#interface]]
            "/attachments/Quarterly%20report.pdf", // (Quarterly%20report.pdf)
            // ![[Quarterly report.pdf#page=3]]: shown in a frame, with a link to it
            "/attachments/Quarterly%20report.pdf#page=3",
            "/attachments/Quarterly%20report.pdf#page=3",
            // (../Inbox/Secret%20plans.md) and [[Half-done idea]]: left out
            "#goals--non-goals", // [[#Goals & non-goals|the goals]]
            "#timeline",         // [[#Timeline]]
        ],
    ),
    (
        "projects/archive/old-launch/index.html",
        &[
            "/projects/archive/meeting-notes/", // [[Meeting notes]]: the one in its folder
            "/projects/",                       // [[Projects]]
        ],
    ),
    (
        "projects/archive/meeting-notes/index.html",
        &["/projects/archive/old-launch/"],
    ),
    (
        "team/meeting-notes/index.html",
        &[
            "/projects/website-redesign/#^kickoff", // [[Website redesign#^kickoff|…]]
            "#actions-1", // [[Meeting notes#Tuesday#Actions|…]]: itself, in its folder
            "#actions",   // [[Meeting notes#Monday#Actions]]
        ],
    ),
    (
        "team/people/index.html",
        &["/team/people/ada-lovelace/", "/team/people/grace-hopper/"],
    ),
    (
        "team/people/ada-lovelace/index.html",
        &[
            "/team/people/grace-hopper/",     // [[Grace Hopper|Grace]]
            "/team/people/portrait.png",      // ![[portrait.png]]: beside the note
            "/attachments/diagram%20one.png", // ![…](diagram%20one.png): by name
        ],
    ),
    (
        "team/people/grace-hopper/index.html",
        &[
            "/team/people/ada-lovelace/", // [[ada]]: an alias, any case
            "/team/people/ada-lovelace/#^first-program", // [[Ada Lovelace#^first-program|…]]
            "/team/people/ada-lovelace/#^engine", // [[Ada#^engine|…]]: alias and block
        ],
    ),
    ("reference/index.html", &["/reference/glossary/"]),
    (
        "reference/glossary/index.html",
        &[
            "/reference/bases/bases-syntax/#filters", // [[Bases syntax#Filters]]
            "/reference/bases/bases-syntax/#operators", // [[bases syntax#Filters#Operators]]
            "/projects/website-redesign/#goals--non-goals", // [[…#Goals & non-goals]]
            "/reference/bases/bases-syntax/",         // [[Reference/Bases/Bases syntax|…]]
        ],
    ),
    (
        "reference/bases/bases-syntax/index.html",
        &[
            "/attachments/Interface.png", // ![[Interface.png]]
            "#filters",                   // [[#Filters]]
            "/reference/glossary/#terms", // [[Glossary#Terms]]
            "/reference/",                // (../_index.md)
        ],
    ),
    (
        "places/café/index.html",
        &[
            "/places/z%C3%BCrich-office/",
            "/attachments/diagram%20one.png",
        ],
    ),
    ("places/zürich-office/index.html", &["/places/caf%C3%A9/"]),
    (
        "inbox/scratch/index.html",
        &[
            "/home/",
            "/reference/glossary/#working-method",
            "/team/people/ada-lovelace/#^engine",
            "/attachments/logo.png",
        ],
    ),
    (
        "daily/2024-05-01/index.html",
        &[
            "/projects/archive/meeting-notes/", // [[Projects/Archive/Meeting notes]]
            "/team/meeting-notes/#tuesday",     // [[Team/Meeting notes#Tuesday]]
        ],
    ),
];

/// Links whose text is given (`[[Note|text]]`, `[[Note\|text]]` in a table): (page, text, URL).
const VAULT_LINK_TEXTS: &[(&str, &str, &str)] = &[
    ("home/index.html", "glossary", "/reference/glossary/"),
    (
        "home/index.html",
        "this week's meeting",
        "/team/meeting-notes/",
    ),
    (
        "projects/index.html",
        "archive",
        "/projects/archive/old-launch/",
    ),
    (
        "projects/index.html",
        "Redesign",
        "/projects/website-redesign/",
    ),
    ("projects/index.html", "Ada", "/team/people/ada-lovelace/"),
    (
        "projects/index.html",
        "method",
        "/reference/glossary/#working-method",
    ),
    ("projects/index.html", "Grace", "/team/people/grace-hopper/"),
    (
        "projects/website-redesign/index.html",
        "the goals",
        "#goals--non-goals",
    ),
    (
        "team/meeting-notes/index.html",
        "the kick-off",
        "/projects/website-redesign/#^kickoff",
    ),
    (
        "team/meeting-notes/index.html",
        "these actions",
        "#actions-1",
    ),
    (
        "team/people/grace-hopper/index.html",
        "engine notes",
        "/team/people/ada-lovelace/#^engine",
    ),
    (
        "places/zürich-office/index.html",
        "the café",
        "/places/caf%C3%A9/",
    ),
];

/// The `<a>`s of the content of the page at `path`: (text, URL as [`content_urls`] gives it).
fn content_links(path: &str, html: &str) -> Vec<(String, String)> {
    let own = url_of(path);
    let html = Html::parse_document(html);
    content(&html)
        .descendent_elements()
        .filter(|e| e.value().name() == "a")
        .filter_map(|a| {
            let href = target(a)?;
            let href = match href.strip_prefix(&own) {
                Some(fragment) if fragment.starts_with('#') => fragment,
                _ => href,
            };
            Some((
                a.text().collect::<String>().trim().to_string(),
                href.to_string(),
            ))
        })
        .collect()
}

/// With its errors fixed, the vault builds, and every link form (wiki links by name, path
/// suffix, alias, heading text, nested headings and block ids; Markdown links to `.md` files
/// by name, `%20` and `<…>`; output URLs; attachments by name, with `|size` and `#fragment`)
/// goes where Obsidian goes.
#[test]
fn every_vault_link_goes_where_obsidian_goes() {
    let vault = fixed_vault();
    let output = vault.build();
    assert!(output.status.success(), "{}", stderr(&output, &vault.root));
    for &(path, expected) in VAULT_LINKS {
        let urls = content_urls(path, &vault.page(path));
        assert_eq!(urls, expected, "the links of {path}");
    }
    for &(path, text, url) in VAULT_LINK_TEXTS {
        let links = content_links(path, &vault.page(path));
        assert!(
            links.iter().any(|(t, u)| t == text && u == url),
            "{path}: no <a href=\"{url}\">{text}</a> in {links:?}"
        );
    }
}

/// A page's `<title>` text.
fn title_of(html: &str) -> String {
    Html::parse_document(html)
        .root_element()
        .descendent_elements()
        .find(|e| e.value().name() == "title")
        .map(|t| t.text().collect())
        .unwrap_or_default()
}

/// The vault's pages, sections and attachments are where Obsidian's names put them; titles
/// come from `title`, else a first `# H1` (then not shown twice), else the file name; block
/// ids and `cssclasses` reach the HTML.
#[test]
fn vault_pages_take_their_place_and_title_from_their_file() {
    let vault = fixed_vault();
    let output = vault.build();
    assert!(output.status.success(), "{}", stderr(&output, &vault.root));
    let titles = [
        ("home/index.html", "Welcome"),               // first block: # Welcome
        ("projects/index.html", "Projects overview"), // the folder note's # H1
        ("projects/website-redesign/index.html", "Website redesign"), // title:
        ("projects/archive/old-launch/index.html", "Old launch"), // its # H1 is not first
        (
            "projects/archive/meeting-notes/index.html",
            "Archive meetings",
        ),
        ("team/meeting-notes/index.html", "Meeting notes"), // the file name
        ("team/people/index.html", "People"),               // README.md
        ("team/people/ada-lovelace/index.html", "Ada Lovelace"),
        ("team/people/grace-hopper/index.html", "Grace Hopper"),
        ("reference/index.html", "Reference"), // _index.md
        ("reference/glossary/index.html", "Glossary"),
        ("reference/bases/bases-syntax/index.html", "Bases syntax"),
        ("places/café/index.html", "Café Central"),
        ("places/zürich-office/index.html", "Zürich office"),
        ("inbox/scratch/index.html", "Scratch"),
        ("daily/2024-05-01/index.html", "2024-05-01"),
    ];
    for (path, title) in titles {
        assert_eq!(
            title_of(&vault.page(path)),
            format!("{title} · {VAULT}"),
            "{path}"
        );
    }
    for (path, h1s) in [
        ("home/index.html", 1),
        ("projects/index.html", 1),
        ("projects/archive/meeting-notes/index.html", 1),
        ("team/people/index.html", 1),
        ("team/people/ada-lovelace/index.html", 1),
        ("reference/bases/bases-syntax/index.html", 1),
        ("places/café/index.html", 1),
        ("projects/archive/old-launch/index.html", 2), // the title, and # History
    ] {
        assert_eq!(
            vault.page(path).matches("<h1").count(),
            h1s,
            "<h1>s in {path}"
        );
    }
    let out = vault.out();
    // Sections with no page of their own get a generated list; a folder's page is not a
    // page of its own too.
    for present in [
        "index.html",
        "team/index.html",
        "reference/bases/index.html",
        "inbox/index.html",
        "places/index.html",
        "daily/index.html",
        "projects/archive/index.html",
    ] {
        assert!(out.join(present).is_file(), "{present} is written");
    }
    for absent in [
        "projects/projects/index.html",
        "team/people/readme/index.html",
        "reference/_index/index.html",
    ] {
        assert!(!out.join(absent).exists(), "{absent} is not written");
    }
    // Attachments keep their names, under their folder's URL.
    for (source, written) in [
        ("Attachments/diagram one.png", "attachments/diagram one.png"),
        ("Attachments/logo.png", "attachments/logo.png"),
        ("Attachments/Interface.png", "attachments/Interface.png"),
        (
            "Attachments/Quarterly report.pdf",
            "attachments/Quarterly report.pdf",
        ),
        ("Team/People/portrait.png", "team/people/portrait.png"),
    ] {
        let bytes = std::fs::read(out.join(written)).unwrap_or_else(|e| panic!("{written}: {e}"));
        assert_eq!(
            bytes,
            std::fs::read(vault.root.join(source)).expect("source"),
            "{written}"
        );
    }
    // `^block-id` marks the paragraph or list item it ends, and is not shown.
    for (path, id, text) in [
        (
            "team/people/ada-lovelace/index.html",
            "^first-program",
            "She wrote the first published program.",
        ),
        (
            "team/people/ada-lovelace/index.html",
            "^engine",
            "Notes on the analytical engine",
        ),
        (
            "projects/website-redesign/index.html",
            "^kickoff",
            "Kick-off in March",
        ),
    ] {
        let html = Html::parse_document(&vault.page(path));
        let marked = content(&html)
            .descendent_elements()
            .find(|e| e.value().id() == Some(id))
            .unwrap_or_else(|| panic!("no id=\"{id}\" in {path}"));
        assert!(
            ["p", "li"].contains(&marked.value().name()),
            "{id} on a <{}>",
            marked.value().name()
        );
        assert_eq!(
            marked.text().collect::<String>().trim(),
            text,
            "{path}#{id}"
        );
    }
    // `cssclasses` (and the older `cssclass`) are classes of the page's <article>.
    for (path, class) in [
        ("projects/index.html", "wide"),
        ("projects/website-redesign/index.html", "narrow"),
    ] {
        let html = Html::parse_document(&vault.page(path));
        let article = html
            .root_element()
            .descendent_elements()
            .find(|e| e.value().name() == "article")
            .expect("an <article>");
        assert!(
            article.value().classes().any(|c| c == class),
            "{path}: <article> has class {class}"
        );
    }
}

/// Every file written under `dir`, as (path relative to it, text read lossily).
fn written(dir: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk the output"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("prefix")
                .to_string_lossy()
                .into_owned();
            let text =
                String::from_utf8_lossy(&std::fs::read(e.path()).expect("read")).into_owned();
            (rel, text)
        })
        .collect()
}

/// A note left out (`publish: false`, `draft: true`) is nowhere in the site: not its page,
/// title or URL, in no listing, backlink, feed, sitemap or index; links to it are plain text.
#[test]
fn left_out_notes_appear_nowhere() {
    let vault = fixed_vault();
    let output = vault.build();
    assert!(output.status.success(), "{}", stderr(&output, &vault.root));
    let files = written(&vault.out());
    assert!(
        files.len() > 20,
        "the site is written: {} files",
        files.len()
    );
    for (path, text) in &files {
        for trace in [
            "Nightjar",
            "Quokka",
            "secret-plans",
            "Secret%20plans",
            "half-done-idea",
            "Half-done%20idea",
        ] {
            assert!(!text.contains(trace), "`{trace}` in {path}");
            assert!(!path.contains(trace), "`{trace}` in the path {path}");
        }
    }
    for absent in ["inbox/secret-plans", "inbox/half-done-idea"] {
        assert!(
            !vault.out().join(absent).exists(),
            "{absent} is not written"
        );
    }
    // The links to them stay as the text that was written.
    for (path, texts) in [
        ("home/index.html", &["Secret plans"][..]),
        (
            "projects/website-redesign/index.html",
            &["the plans", "Half-done idea"][..],
        ),
    ] {
        let html = Html::parse_document(&vault.page(path));
        let shown: String = content(&html).text().collect();
        let links = content_links(path, &vault.page(path));
        for text in texts {
            assert!(shown.contains(text), "{path} shows `{text}`");
            assert!(
                !links.iter().any(|(t, _)| t == text),
                "{path}: `{text}` is no link"
            );
        }
    }
}

/// `.obsidian/`, `.trash/` and `node_modules/` are never content: no page, no file, no text of
/// theirs in the site (and `check` reports none of their broken links, see above).
#[test]
fn dot_folders_and_node_modules_are_not_content() {
    let vault = fixed_vault();
    let output = vault.build();
    assert!(output.status.success(), "{}", stderr(&output, &vault.root));
    for (path, text) in written(&vault.out()) {
        for part in path.split(['/', '\\']) {
            let lower = part.to_lowercase();
            for name in [
                ".obsidian",
                "obsidian",
                ".trash",
                "trash",
                "node_modules",
                "node-modules",
                "left-pad",
                "old",
            ] {
                assert_ne!(
                    lower, name,
                    "{path} comes from a folder that is not content"
                );
            }
        }
        for trace in [
            "Trashed note",
            "Also nowhere",
            "Nowhere either",
            "left-pad",
            "attachmentFolderPath",
            "lastOpenFiles",
        ] {
            assert!(!text.contains(trace), "`{trace}` in {path}");
        }
    }
}

/// Every page of the book: (output file, title, href of each link and src of each image).
const BOOK_PAGES: &[(&str, &str, &[&str])] = &[
    (
        "index.html",
        "Introduction",
        &["/guide/", "/cli/", "/summary/", "/images/overview.png"],
    ),
    (
        "summary/index.html",
        "Summary",
        &[
            "/",
            "/guide/",
            "/guide/installation/",
            "/guide/getting-started/",
            "/cli/",
            "/cli/build/",
            "/cli/serve/",
            "/reference/",
            "/reference/configuration/",
        ],
    ),
    (
        "guide/index.html",
        "Guide",
        &[
            "/guide/installation/",                    // (installation.md)
            "/guide/getting-started/",                 // (getting-started.html)
            "/",                                       // (../README.md)
            "/guide/installation/",                    // (./installation.md)
            "/guide/getting-started/#your-first-page", // (getting-started.md#your-first-page)
        ],
    ),
    (
        "guide/installation/index.html",
        "Installation",
        &["/cli/build/", "#requirements", "/guide/getting-started/"],
    ),
    (
        "guide/getting-started/index.html",
        "Getting started",
        &[
            "/guide/installation/#requirements", // (installation.html#requirements)
            "/cli/serve/",                       // (/cli/serve/)
            "/guide/",                           // (/guide/)
            "/reference/configuration/#the-output-folder",
        ],
    ),
    (
        "cli/index.html",
        "Command line",
        &["/cli/build/", "/cli/serve/", "/reference/configuration/"],
    ),
    (
        "cli/build/index.html",
        "weft build",
        &["/cli/", "/cli/serve/#live-reload", "/images/overview.png"],
    ),
    (
        "cli/serve/index.html",
        "weft serve",
        &["/cli/build/", "/guide/"],
    ),
    (
        "reference/index.html",
        "Reference",
        &["/reference/configuration/"],
    ),
    (
        "reference/configuration/index.html",
        "Configuration",
        &["/cli/build/", "/"],
    ),
];

/// The book (README.md in each folder, no front matter, titles from `# H1`, links as `.md`
/// paths and as the output URLs mdBook readers write) builds with no diagnostic at all; each
/// page has its title, its H1 once, and links to the right pages.
#[test]
fn a_plain_markdown_book_builds_without_a_word() {
    let book = Copy::of("book", BOOK);
    let (code, found) = check_json(&book.root);
    assert_eq!((code, found), (Some(0), Vec::new()), "check finds nothing");
    let output = book.build();
    let text = stderr(&output, &book.root);
    assert!(output.status.success(), "{text}");
    assert!(
        !text.contains("warning") && !text.contains("error"),
        "{text}"
    );
    for &(path, title, links) in BOOK_PAGES {
        let html = book.page(path);
        let expected = if path == "index.html" {
            BOOK.to_string()
        } else {
            format!("{title} · {BOOK}")
        };
        assert_eq!(title_of(&html), expected, "<title> of {path}");
        assert_eq!(html.matches("<h1").count(), 1, "one <h1> in {path}");
        assert!(
            html.contains(&format!("<h1>{title}</h1>")),
            "<h1>{title}</h1> in {path}"
        );
        assert_eq!(content_urls(path, &html), links, "the links of {path}");
    }
    assert_eq!(
        std::fs::read(book.out().join("images/overview.png")).expect("the image is copied"),
        std::fs::read(book.root.join("images/overview.png")).expect("source"),
    );
}

/// With no `--output`, a folder with no weft.yaml is built into a dot-folder inside it (which
/// is then never taken for content), and the summary line names it.
#[test]
fn a_folder_without_config_builds_into_a_dot_folder_of_its_own() {
    let book = Copy::of("book", BOOK);
    let root = book.root.canonicalize().expect("root");
    let mut outs = Vec::new();
    for run in ["first", "second"] {
        let output = weft_in(&book.root, &["build"]);
        let text = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(output.status.success(), "{run} build: {text}");
        assert!(
            !text.contains("warning") && !text.contains("error"),
            "{run} build: {text}"
        );
        let summary = text
            .lines()
            .find(|l| l.starts_with("built ") && l.contains(" into "))
            .unwrap_or_else(|| panic!("no summary line in {text}"));
        let (_, rest) = summary.split_once(" into ").expect("into");
        let (out, _) = rest
            .rsplit_once(": ")
            .expect("a path, then what was written");
        let out = PathBuf::from(out)
            .canonicalize()
            .unwrap_or_else(|e| panic!("{out}: {e}"));
        assert_eq!(out.parent(), Some(root.as_path()), "{summary}");
        let name = out
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        assert!(name.starts_with('.'), "`{name}` is a dot-folder");
        assert!(
            out.join("index.html").is_file(),
            "the site is in {}",
            out.display()
        );
        // The output is not an input: built again, nothing changed.
        if run == "second" {
            assert!(summary.contains("nothing changed"), "{summary}");
        }
        outs.push(out);
    }
    assert_eq!(outs[0], outs[1], "both builds name one folder");
}

// ---------------------------------------------------------------------------------------
// The settings a vault may want
// ---------------------------------------------------------------------------------------

/// Writes `files` (path, text) under a new temp dir, with no weft.yaml unless given.
fn notes(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::fs::write(full, text).expect("write");
    }
    dir
}

/// Builds `root` into `root/../out` and returns the output's folder.
fn build_beside(root: &Path) -> (Output, PathBuf) {
    let out = root.with_extension("out");
    let output = weft_in(root, &["build", "--output", out.to_str().expect("UTF-8")]);
    (output, out)
}

/// `explicit_publish: true` publishes only the notes marked `publish: true`, as Quartz's
/// explicit-publish mode does; a link to another note is plain text, with a warning that does
/// not name it in the output.
#[test]
fn explicit_publish_publishes_only_marked_notes() {
    let dir = notes(&[
        ("weft.yaml", "content: .\nexplicit_publish: true\n"),
        (
            "Public.md",
            "---\npublish: true\n---\nSee [[Private diary]] and [[Also public]].\n",
        ),
        ("Also public.md", "---\npublish: true\n---\nHello.\n"),
        ("Private diary.md", "Nightjar secrets.\n"),
    ]);
    let (output, out) = build_beside(dir.path());
    let text = stderr(&output, dir.path());
    assert!(output.status.success(), "{text}");
    assert!(text.contains("warning[link-to-left-out]"), "{text}");
    assert!(!out.join("private-diary").exists());
    let html = std::fs::read_to_string(out.join("public/index.html")).expect("page");
    assert!(
        html.contains("<span class=\"link-unresolved\">Private diary</span>"),
        "{html}"
    );
    assert!(html.contains("href=\"/also-public/\""), "{html}");
    for file in walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
    {
        if file.file_type().is_file() {
            let bytes = std::fs::read(file.path()).expect("read");
            assert!(
                !String::from_utf8_lossy(&bytes).contains("Nightjar"),
                "{}",
                file.path().display()
            );
        }
    }
}

/// `unresolved_links: warning` keeps the links an author leaves open on purpose: each is a
/// warning at its place, and shows as plain text with a class, as Obsidian Publish shows it.
#[test]
fn unresolved_links_may_be_warnings() {
    let dir = notes(&[
        ("weft.yaml", "content: .\nunresolved_links: warning\n"),
        (
            "Index.md",
            "Someday: [[Not written yet]] and [later](Later.md).\n",
        ),
    ]);
    let (output, out) = build_beside(dir.path());
    let text = stderr(&output, dir.path());
    assert!(output.status.success(), "{text}");
    assert_eq!(text.matches("warning[broken-link]").count(), 2, "{text}");
    assert!(text.contains(" --> Index.md:1:12"), "{text}");
    // `Index.md` at the top is the home page.
    let html = std::fs::read_to_string(out.join("index.html")).expect("page");
    assert!(
        html.contains("<span class=\"link-unresolved\">Not written yet</span>"),
        "{html}"
    );
    assert!(
        html.contains("<span class=\"link-unresolved\">later</span>"),
        "{html}"
    );
}

/// `content:` names the content folder and `ignore:` leaves paths in it out; other keys are
/// kept for templates as `page.params`, unless the site is `strict: true`.
#[test]
fn content_ignore_params_and_strict() {
    let dir = notes(&[
        (
            "weft.yaml",
            "title: Notes\ncontent: notes\nignore: [\"private/**\", \"*.excalidraw.md\"]\n",
        ),
        (
            "notes/Plan.md",
            "---\nstatus: draft-ish\nrating: 4\n---\nThe plan.\n",
        ),
        (
            "notes/private/Diary.md",
            "[[Broken link that is never read]]\n",
        ),
        ("notes/Drawing.excalidraw.md", "[[Also never read]]\n"),
        (
            "templates/page.html",
            "<p>{{ page.title }}: {{ page.params.status | default(value=\"-\") }}, {{ page.params.rating | default(value=0) }}</p>",
        ),
        ("README.md", "[[Not content]]\n"),
    ]);
    let (output, out) = build_beside(dir.path());
    assert!(output.status.success(), "{}", stderr(&output, dir.path()));
    let html = std::fs::read_to_string(out.join("plan/index.html")).expect("page");
    assert_eq!(html, "<p>Plan: draft-ish, 4</p>");
    assert!(!out.join("private").exists() && !out.join("drawing.excalidraw").exists());
    std::fs::write(
        dir.path().join("weft.yaml"),
        "title: Notes\ncontent: notes\nignore: [\"private/**\", \"*.excalidraw.md\"]\nstrict: true\n",
    )
    .expect("write");
    let (output, _) = build_beside(dir.path());
    let text = stderr(&output, dir.path());
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("unknown front matter key `status`"), "{text}");
    assert!(text.contains("unknown front matter key `rating`"), "{text}");
}

/// The diagnostics a vault meets most, as a reader sees them.
#[test]
fn diagnostics_of_existing_notes() {
    let dir = notes(&[
        ("Home.md", "Read [[Secret plans]], then [[Meeting]].\n"),
        (
            "Secret plans.md",
            "---\npublish: false\ntitel: Plans\n---\nNot yet.\n",
        ),
        ("Team/Meeting.md", "Monday.\n"),
        ("Board/Meeting.md", "Friday.\n"),
    ]);
    let output = weft_in(dir.path(), &["check"]);
    insta::assert_snapshot!("existing_notes", stderr(&output, dir.path()));
}

// ---------------------------------------------------------------------------------------
// Obsidian's syntax, rendered
// ---------------------------------------------------------------------------------------

/// The inner HTML of a page's `<div class="content">`.
fn content_html(html: &str) -> String {
    let html = Html::parse_document(html);
    content(&html).inner_html()
}

/// `Reference/Showcase.md` as its author saw it in Obsidian: highlights, inline tags, comments
/// left out, attachments by kind and size, callouts (folded, nested, custom, GitHub's) and
/// notes shown in place (whole, a section, a block), each snapshotted.
#[test]
fn obsidian_syntax_renders_as_in_obsidian() {
    let vault = fixed_vault();
    let output = vault.build();
    assert!(output.status.success(), "{}", stderr(&output, &vault.root));
    let html = content_html(&vault.page("reference/showcase/index.html"));
    insta::assert_snapshot!("showcase", html);
    // Inline tags join the page's tags, nested ones filed under each level.
    for tag in [
        "tags/reference/",
        "tags/area/",
        "tags/area/sub/",
        "tags/showcase/",
    ] {
        let term = vault.page(&format!("{tag}index.html"));
        assert!(
            term.contains("/reference/showcase/"),
            "{tag} lists the page"
        );
    }
}

/// A comment's words and links are nowhere in the output: not the page, not the search
/// index, not the feed or the map.
#[test]
fn comments_are_nowhere_in_the_output() {
    let vault = fixed_vault();
    let output = vault.build();
    assert!(output.status.success(), "{}", stderr(&output, &vault.root));
    for file in walkdir::WalkDir::new(vault.out())
        .into_iter()
        .filter_map(Result::ok)
    {
        if !file.file_type().is_file() {
            continue;
        }
        let bytes = std::fs::read(file.path()).expect("read");
        let text = String::from_utf8_lossy(&bytes);
        for secret in [
            "Kestrel",
            "Nonexistent comment link",
            "nonexistent-comment-link",
        ] {
            assert!(
                !text.contains(secret),
                "{secret} in {}",
                file.path().display()
            );
        }
    }
}

/// Notes that show each other in place are an error that shows the chain; the build stops.
#[test]
fn an_embed_cycle_shows_the_chain() {
    let dir = notes(&[
        ("A.md", "A shows ![[B]] in place? No, below.\n\n![[B]]\n"),
        ("B.md", "![[C#Part]]\n"),
        ("C.md", "## Part\n\n![[A]]\n"),
    ]);
    let output = weft_in(dir.path(), &["check"]);
    let text = stderr(&output, dir.path());
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert_eq!(text.matches("error[embed-cycle]").count(), 1, "{text}");
    assert!(text.contains("A.md → B.md → C.md → A.md"), "{text}");
}

/// A note that embeds another ten times, down twelve levels (10^12 copies if shown in full),
/// builds with a warning, each page showing at most the bounded number of notes.
#[test]
fn embeds_past_the_bounds_are_links_with_a_warning() {
    let mut files: Vec<(String, String)> = (0..12)
        .map(|level| {
            let next = format!("![[Level {}]]\n\n", level + 1);
            (
                format!("Level {level}.md"),
                format!("Level {level}.\n\n{}", next.repeat(10)),
            )
        })
        .collect();
    files.push(("Level 12.md".into(), "The bottom.\n".into()));
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let dir = notes(&borrowed);
    let (output, out) = build_beside(dir.path());
    let text = stderr(&output, dir.path());
    assert!(output.status.success(), "{text}");
    assert!(text.contains("warning[embed-limit]"), "{text}");
    let top = std::fs::read_to_string(out.join("level-0/index.html")).expect("page");
    assert!(top.len() < 1_000_000, "the top page is {} bytes", top.len());
    assert!(top.contains("class=\"embed\""));
}

/// Two things the Obsidian help vault does: a note shows a section of itself in place (no
/// cycle), and a note named Tags, at `/tags/`, takes the place of weft's list of tags.
#[test]
fn a_note_shows_its_own_section_and_a_note_may_be_the_tags_page() {
    let dir = notes(&[
        (
            "Setup.md",
            "## Log in\n\nType your password.\n\n## Again\n\n![[Setup#Log in]]\n",
        ),
        ("Tags.md", "---\npermalink: tags\n---\nHow #tags work.\n"),
    ]);
    let (output, out) = build_beside(dir.path());
    let text = stderr(&output, dir.path());
    assert!(output.status.success(), "{text}");
    assert!(
        !text.contains("embed-cycle") && !text.contains("duplicate-output"),
        "{text}"
    );
    let setup = std::fs::read_to_string(out.join("setup/index.html")).expect("page");
    assert_eq!(
        setup.matches("<p>Type your password.</p>").count(),
        2,
        "{setup}"
    );
    let tags = std::fs::read_to_string(out.join("tags/index.html")).expect("page");
    assert!(
        tags.contains("How <a class=\"tag\""),
        "the note is the page at /tags/"
    );
    assert!(
        out.join("tags/tags/index.html").is_file(),
        "the tag's own page is made"
    );
}

/// `image` or `cover` is the page's picture for link previews, found as an attachment is, and
/// `cssclasses` go on its article.
#[test]
fn cover_and_classes_reach_the_page() {
    let dir = notes(&[
        (
            "Trip.md",
            "---\ncover: \"[[harbour.png]]\"\ncssclasses: [wide, wide-table]\n---\nBy the sea.\n",
        ),
        ("Pictures/harbour.png", "not really a png"),
    ]);
    let (output, out) = build_beside(dir.path());
    assert!(output.status.success(), "{}", stderr(&output, dir.path()));
    let html = std::fs::read_to_string(out.join("trip/index.html")).expect("page");
    assert!(
        html.contains("<meta property=\"og:image\" content=\"/pictures/harbour.png\">"),
        "{html}"
    );
    assert!(html.contains("class=\"wide wide-table\""), "{html}");
}
