//! `weft new site` and `weft new page`: scaffolds that build at once.

use std::fs;
use std::path::{Path, PathBuf};

const SITE_FILES: &[(&str, &str)] = &[
    (
        "weft.yaml",
        "title: \"My knowledge base\"\nbase_url: \"/\"\nlanguage: en\ndescription: \"Notes that link to each other.\"\ntaxonomies: [topics]\nrelations:\n  related: { label: \"Related\", symmetric: true }\n",
    ),
    (
        "content/_index.md",
        "---\ntitle: \"My knowledge base\"\ndescription: \"Notes that link to each other.\"\n---\n\nWelcome. Start with the [guide](guide/_index.md) or go straight to\n[[getting-started|getting started]].\n",
    ),
    (
        "content/guide/_index.md",
        "---\ntitle: \"Guide\"\ndescription: \"How this site is organised.\"\nsort_by: weight\n---\n\nThe guide has one page so far: [Getting started](getting-started.md).\n",
    ),
    (
        "content/guide/getting-started.md",
        "---\ntitle: \"Getting started\"\ndescription: \"Write a page, link it, build the site.\"\nweight: 1\ntopics: [writing]\n---\n\n## Write a page {#write}\n\nAdd a Markdown file under `content/` with a `title` in its front matter.\n\n## Link pages\n\nLink by file, as in [the guide](_index.md), or by name, as in [[guide]].\nweft checks every link when it builds: see [the first step](#write).\n\n![The weft logo](/logo.svg)\n",
    ),
    (
        "static/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\" width=\"64\" height=\"64\"><path d=\"M2 4h12M2 8h12M2 12h12M4 2v12M8 2v12M12 2v12\" stroke=\"#35607a\" stroke-width=\"1.5\" fill=\"none\"/></svg>\n",
    ),
];

/// The files of a new site in `languages` (the default first; none for one language, English):
/// the config names them, and each page of the default language has a copy in each other,
/// to translate, beside it (`page.nl.md`).
fn site_files(languages: &[String]) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = SITE_FILES
        .iter()
        .map(|(path, text)| (path.to_string(), text.to_string()))
        .collect();
    let Some((first, others)) = languages.split_first() else {
        return files;
    };
    let mut list = format!("languages:\n  {first}: {{}}\n");
    for code in others {
        list.push_str(&format!(
            "  {code}: {{ title: \"My knowledge base ({code})\" }}\n"
        ));
    }
    files[0].1 = files[0].1.replace("language: en\n", &list);
    let pages: Vec<(String, String)> = files
        .iter()
        .filter(|(path, _)| path.ends_with(".md"))
        .cloned()
        .collect();
    for code in others {
        for (path, text) in &pages {
            let translated = format!("{}.{code}.md", path.trim_end_matches(".md"));
            // The front matter stays first; the note to translate comes after it.
            let (front, body) = text.split_at(text.find("\n---\n").map_or(0, |i| i + 5));
            let note = format!("\n<!-- This page in `{code}`: translate it. -->\n");
            files.push((translated, format!("{front}{note}{body}")));
        }
    }
    files
}

/// Creates a new site in `dir`, which must not exist or be empty, in `languages` (none: one
/// language). Returns the exit code.
pub fn site(dir: &Path, languages: &[String]) -> u8 {
    if let Some(bad) = languages
        .iter()
        .find(|code| !crate::i18n::is_language_code(code))
    {
        eprintln!(
            "error: `{bad}` is not a language code; use ISO 639-1 codes such as `en`, `nl` or `pt-br`"
        );
        return 2;
    }
    if dir.exists() && fs::read_dir(dir).map_or(true, |mut d| d.next().is_some()) {
        eprintln!(
            "error: {} already exists and is not empty; choose a new folder",
            dir.display()
        );
        return 1;
    }
    for (path, text) in site_files(languages) {
        let full = dir.join(&path);
        let created = full
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|()| fs::write(&full, text));
        if let Err(err) = created {
            eprintln!("error: cannot write {}: {err}", full.display());
            return 1;
        }
    }
    eprintln!(
        "created a new site in {}; build it with `weft build --root {}`",
        dir.display(),
        dir.display()
    );
    0
}

/// Creates a page at `path` (under `root/content/` unless it already says `content/`).
pub fn page(root: &Path, path: &Path) -> u8 {
    let full: PathBuf = if path.starts_with("content") || path.is_absolute() {
        root.join(path)
    } else {
        root.join("content").join(path)
    };
    let full = if full.extension().is_some_and(|e| e == "md") {
        full
    } else {
        full.with_extension("md")
    };
    if full.exists() {
        eprintln!("error: {} already exists", full.display());
        return 1;
    }
    let stem = full.file_stem().unwrap_or_default().to_string_lossy();
    let title = crate::site::title_from_name(&stem);
    let today = chrono::Local::now().format("%Y-%m-%d");
    let text = format!(
        "---\ntitle: \"{}\"\ndescription: \"\"\ndate: {today}\n---\n\n",
        title.replace('"', "\\\"")
    );
    let created = full
        .parent()
        .map_or(Ok(()), fs::create_dir_all)
        .and_then(|()| fs::write(&full, text));
    match created {
        Ok(()) => {
            eprintln!("created {}", full.display());
            0
        }
        Err(err) => {
            eprintln!("error: cannot write {}: {err}", full.display());
            1
        }
    }
}
