//! What each diagnostic code means for the one who meets it: an example that gives it, and
//! the fix. `docs/reference/diagnostics.md` is made from this, with each example's real
//! output (see `tests/reference.rs`), so the list cannot drift from the code.

use super::Code;

/// The `weft.yaml` of the examples with two languages.
const LANGUAGES: &str = "title: Docs\nlanguages:\n  en: {}\n  nl: { title: Documentatie }\n";

/// A site's files, by path from its folder; `weft.yaml` is `title: Example` unless given.
pub type Files = &'static [(&'static str, &'static str)];

impl Code {
    /// What the code means, in a sentence.
    pub fn meaning(self) -> &'static str {
        match self {
            Code::AmbiguousLink => "A link or relation names more than one page.",
            Code::BrokenAnchor => "A link's `#anchor` is no heading or block on its page.",
            Code::BrokenExternalLink => {
                "A link to another site is broken (`weft check --external`)."
            }
            Code::BrokenLink => "A link or relation leads to no page or file.",
            Code::DraftHomePage => "The home page is a draft, or not published.",
            Code::DuplicateAlias => "An alias is taken by another alias or a page.",
            Code::DuplicateId => "Two headings of a page have the same id.",
            Code::DuplicateOutput => "Two outputs would be written to one path.",
            Code::DuplicateTranslation => "Two files are the same page in the same language.",
            Code::DuplicateUrl => "Two pages have one URL.",
            Code::EmbedCycle => "Notes show one another in place in a cycle.",
            Code::EmbedLimit => {
                "A page would show more notes in place, or deeper, than weft shows."
            }
            Code::InvalidAlias => "An alias leads outside the site.",
            Code::InvalidConfig => "`weft.yaml` cannot be used.",
            Code::InvalidDate => "A date is not a date.",
            Code::InvalidFrontMatter => "A front matter value has the wrong type.",
            Code::InvalidSlug => "A slug or permalink is not a safe URL path.",
            Code::InvalidUtf8 => "A file is not UTF-8.",
            Code::InvalidYaml => "Front matter or `weft.yaml` is not YAML.",
            Code::Io => "A file or folder cannot be read.",
            Code::LinkToLeftOut => {
                "A link names a page that is left out of the site: a draft, or not published."
            }
            Code::MathError => "Math is TeX that weft cannot render.",
            Code::MissingAlt => "An image has no alt text.",
            Code::MissingTemplate => "A page asks for a template that does not exist.",
            Code::MissingTheme => "`weft.yaml` names a theme that does not exist.",
            Code::MissingWord => "A language has no translation of a word the theme prints.",
            Code::OutsideRoot => "A symbolic link leads outside the site.",
            Code::PageTooLarge => "A page is over the size limit (10 MB).",
            Code::SearchIndex => "The search index cannot be made.",
            Code::SelfRelation => "A page names itself in a relation.",
            Code::Template => "A template does not parse, or fails to render.",
            Code::UnclosedFrontMatter => "Front matter has no closing `---`.",
            Code::UnknownKey => {
                "A key weft does not know: any in `weft.yaml`; in front matter, a misspelt one, or any in a `strict` site."
            }
            Code::UnknownLanguage => {
                "A language code is not one weft knows, or a file is a translation into a language `weft.yaml` does not name."
            }
            Code::UntranslatedLink => {
                "A link in a translation leads to a page that is not translated into its language."
            }
            Code::UnverifiedExternalLink => {
                "A link to another site could not be checked (`weft check --external`)."
            }
        }
    }

    /// The files of a small site that gives this diagnostic, if one can show it (an
    /// unreadable file, a link to another site or a failing search index cannot).
    pub fn example(self) -> Option<Files> {
        Some(match self {
            Code::AmbiguousLink => &[
                ("content/_index.md", "See the [[notes]].\n"),
                ("content/eu/notes.md", "Notes on the EU.\n"),
                ("content/un/notes.md", "Notes on the UN.\n"),
            ],
            Code::BrokenAnchor => &[
                ("content/_index.md", "See [the setup](guide.md#instal).\n"),
                ("content/guide.md", "## Install\n\nRun it.\n"),
            ],
            Code::BrokenLink => &[
                (
                    "content/_index.md",
                    "Read the [guide](guid.md), then [[Instal]].\n",
                ),
                ("content/guide.md", "# Guide\n"),
                ("content/install.md", "# Install\n"),
            ],
            Code::DraftHomePage => &[("content/_index.md", "---\ndraft: true\n---\nHome.\n")],
            Code::DuplicateAlias => &[
                ("content/a.md", "---\naliases: [/old/]\n---\nA.\n"),
                ("content/b.md", "---\naliases: [/old/]\n---\nB.\n"),
            ],
            Code::DuplicateId => &[(
                "content/_index.md",
                "## Setup {#setup}\n\n## Again {#setup}\n",
            )],
            Code::DuplicateOutput => &[("content/map.md", "My own map.\n")],
            Code::DuplicateTranslation => &[
                ("weft.yaml", LANGUAGES),
                ("content/about.md", "About.\n"),
                ("content/about.en.md", "About, again.\n"),
            ],
            Code::DuplicateUrl => &[
                ("content/a.md", "---\nslug: b\n---\nA.\n"),
                ("content/b.md", "B.\n"),
            ],
            Code::EmbedCycle => &[
                ("content/a.md", "A shows B:\n\n![[b]]\n"),
                ("content/b.md", "B shows A:\n\n![[a]]\n"),
            ],
            Code::EmbedLimit => &[
                ("content/n0.md", "![[n1]]\n"),
                ("content/n1.md", "![[n2]]\n"),
                ("content/n2.md", "![[n3]]\n"),
                ("content/n3.md", "![[n4]]\n"),
                ("content/n4.md", "![[n5]]\n"),
                ("content/n5.md", "![[n6]]\n"),
                ("content/n6.md", "The bottom.\n"),
            ],
            Code::InvalidAlias => &[("content/a.md", "---\naliases: [\"../../x/\"]\n---\nA.\n")],
            Code::InvalidConfig => &[("weft.yaml", "title: Docs\nbase_url: example.org\n")],
            Code::InvalidDate => &[("content/a.md", "---\ndate: 2016-13-01\n---\nA.\n")],
            Code::InvalidFrontMatter => &[("content/a.md", "---\nweight: heavy\n---\nA.\n")],
            Code::InvalidSlug => &[("content/a.md", "---\nslug: a/b\n---\nA.\n")],
            Code::InvalidYaml => &[("content/a.md", "---\ntitle: [unclosed\n---\nA.\n")],
            Code::LinkToLeftOut => &[
                ("content/_index.md", "See [[plans]].\n"),
                ("content/plans.md", "---\npublish: false\n---\nNot yet.\n"),
            ],
            Code::MathError => &[("content/a.md", "The area is $\\pi r^2 \\nosuch$.\n")],
            Code::MissingAlt => &[
                ("content/_index.md", "![](chart.svg)\n"),
                (
                    "content/chart.svg",
                    "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
                ),
            ],
            Code::MissingTemplate => &[("content/a.md", "---\ntemplate: wide.html\n---\nA.\n")],
            Code::MissingTheme => &[("weft.yaml", "title: Docs\ntheme: midnight\n")],
            Code::MissingWord => &[
                (
                    "weft.yaml",
                    "title: Docs\nlanguages:\n  en: {}\n  pt: { title: Documentos }\n",
                ),
                ("i18n/pt.yaml", "home: Início\n"),
            ],
            Code::SelfRelation => &[
                (
                    "weft.yaml",
                    "title: Docs\nrelations:\n  related: { label: Related, symmetric: true }\n",
                ),
                ("content/a.md", "---\nrelated: [a]\n---\nA.\n"),
            ],
            Code::Template => &[
                ("templates/page.html", "<h1>{{ page.title }</h1>\n"),
                ("content/a.md", "A.\n"),
            ],
            Code::UnclosedFrontMatter => &[(
                "content/a.md",
                "---\ntitle: A\nThe text, with no closing fence.\n",
            )],
            Code::UnknownKey => &[("content/a.md", "---\ntitel: A\n---\nA.\n")],
            Code::UnknownLanguage => &[
                ("weft.yaml", LANGUAGES),
                ("content/about.md", "About.\n"),
                ("content/about.fr.md", "À propos.\n"),
            ],
            Code::UntranslatedLink => &[
                ("weft.yaml", LANGUAGES),
                ("content/_index.nl.md", "Lees [[about]].\n"),
                ("content/about.md", "About.\n"),
            ],
            Code::BrokenExternalLink
            | Code::InvalidUtf8
            | Code::Io
            | Code::OutsideRoot
            | Code::PageTooLarge
            | Code::SearchIndex
            | Code::UnverifiedExternalLink => return None,
        })
    }

    /// What to do about it.
    pub fn fix(self) -> &'static str {
        match self {
            Code::AmbiguousLink => {
                "Write more of the path to choose one (`[[eu/notes]]`); the end of the path is enough."
            }
            Code::BrokenAnchor => {
                "Link to a heading the page has, by its id (`#install`) or its text (`#Install`), or to a block it names with `^id`; the label suggests the nearest."
            }
            Code::BrokenExternalLink => {
                "Correct or remove the link. Links that worked are remembered for a day in `.weft-cache/external.json`."
            }
            Code::BrokenLink => {
                "Correct the name or the path; the label suggests the nearest. A site that keeps some links open on purpose can make them warnings with `unresolved_links: warning`."
            }
            Code::DraftHomePage => {
                "Mark the pages or sections that are not ready instead of the home page, or build with `--drafts`."
            }
            Code::DuplicateAlias => {
                "Give each page its own old URLs; an alias cannot be another page's URL."
            }
            Code::DuplicateId => "Give each `{#id}` on a page its own name.",
            Code::DuplicateOutput => {
                "Rename the page or give it another `slug`: `/map/`, the taxonomy pages, `404.html`, `sitemap.xml`, `robots.txt`, `atom.xml` and `graph.json` are weft's."
            }
            Code::DuplicateTranslation => {
                "Keep one file per page and language: `page.md` is the default language's, as `page.en.md` would be; two pages with one `translation_key` are one page."
            }
            Code::DuplicateUrl => {
                "Rename one of the files, or give one another `slug` or `permalink`."
            }
            Code::EmbedCycle => {
                "Take one embed of the cycle out, or make it a link (`[[b]]`, without `!`)."
            }
            Code::EmbedLimit => {
                "Show fewer notes in place, or link to them; past the bounds they are links already."
            }
            Code::InvalidAlias => {
                "Write the old URL path from the site's root, such as `/old/page/`."
            }
            Code::InvalidConfig => "Give the key the value its label asks for.",
            Code::InvalidDate => {
                "Write dates as `2026-11-28`, or as a moment: `2026-11-28T09:30:00+01:00`."
            }
            Code::InvalidFrontMatter => "Give the key a value of the type its label names.",
            Code::InvalidSlug => {
                "A slug is one URL segment, a permalink a URL path: letters, digits, `-`, `_` and `.`."
            }
            Code::InvalidUtf8 => "Save the file as UTF-8 in your editor.",
            Code::InvalidYaml => {
                "Correct the YAML at the place shown; quote a value that holds `: ` or starts with `@`, `` ` ``, `[` or `{` that is not a list or map."
            }
            Code::Io => "Check that the file or folder exists and can be read.",
            Code::LinkToLeftOut => {
                "Publish the page, or take the link out. The link shows as its text; the left-out page's title and URL are not in the output."
            }
            Code::MathError => {
                "Write TeX that KaTeX or MathJax would take; until then the page shows it as written."
            }
            Code::MissingAlt => {
                "Describe the image between the brackets: `![Sales by month](chart.svg)`; screen readers read it aloud."
            }
            Code::MissingTemplate => {
                "Add the template under `templates/`, or name one the theme has."
            }
            Code::MissingTheme => {
                "Add the theme under `themes/NAME/`, or remove `theme:` for the default theme."
            }
            Code::MissingWord => {
                "Add the word to `i18n/CODE.yaml`; the template reference lists every word and its English."
            }
            Code::OutsideRoot => "Copy the file or folder into the site instead of linking to it.",
            Code::PageTooLarge => {
                "Split the page into several, or move large data into `static/` and link to it."
            }
            Code::SearchIndex => {
                "Build with `search: false` meanwhile, and report the message: it is Pagefind's."
            }
            Code::SelfRelation => "Name another page.",
            Code::Template => "Correct the template at the place shown.",
            Code::UnclosedFrontMatter => "Add a line with only `---` after the last key.",
            Code::UnknownKey => {
                "Correct the key; the label suggests one. A value of your own goes under `extra:` (or anywhere, in a site that is not `strict`)."
            }
            Code::UnknownLanguage => {
                "Write an ISO 639-1 code (`nl`, `pt-br`) under `languages`, and add the language of every translation there, or rename the file."
            }
            Code::UntranslatedLink => {
                "Translate the page, or let the link lead to the default language's page; `untranslated_links: error` makes these errors."
            }
            Code::UnverifiedExternalLink => {
                "Check the link by hand, or again later: the site did not answer in time, or refused the request."
            }
        }
    }
}
