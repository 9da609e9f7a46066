//! The default theme, compiled into the binary so that an installed `weft` works anywhere.

use std::path::PathBuf;

/// A static file of a theme.
#[derive(Debug, Clone)]
pub enum StaticFile {
    /// Part of the built-in theme.
    Embedded(&'static [u8]),
    /// From a theme folder on disk.
    Disk(PathBuf),
}

macro_rules! embed {
    ($kind:ident, $($name:literal),* $(,)?) => {
        &[$(($name, $kind!(concat!("../themes/default/templates/", $name)))),*]
    };
}

macro_rules! embed_static {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../themes/default/static/", $name)))),*]
    };
}

/// The built-in templates, by name.
pub const TEMPLATES: &[(&str, &str)] = embed!(
    include_str,
    "base.html",
    "macros.html",
    "index.html",
    "page.html",
    "section.html",
    "404.html",
    "taxonomy_list.html",
    "taxonomy_term.html",
    "map.html",
    "alias.html",
    "partials/breadcrumbs.html",
    "partials/meta.html",
    "partials/chips.html",
    "partials/toc_inline.html",
    "partials/toc_aside.html",
    "partials/connections.html",
    "partials/local_graph.html",
    "partials/pager.html",
);

/// The built-in static files, by URL path.
pub const STATICS: &[(&str, &[u8])] = embed_static!(
    "weft.css",
    "weft.js",
    "search.js",
    "preview.js",
    "map.js",
    "favicon.svg"
);

/// Mermaid, which the default theme's script loads on pages with a diagram; written only into
/// a site that has one (see `vendor/mermaid/README.md`).
pub const MERMAID: (&str, &[u8]) = (
    "mermaid.min.js",
    include_bytes!("../vendor/mermaid/mermaid.min.js"),
);

/// The stylesheet of highlighted code, written into every site (see `highlight`).
pub const CODE_CSS: &str = "code.css";
