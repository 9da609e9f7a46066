//! weft: a static site generator for cross-linked documentation and knowledge bases.
//!
//! The build is a pipeline; each module is one stage, in this order:
//! [`config`] → [`discover`] → [`frontmatter`] + [`markdown`] → [`site`] → [`links`] →
//! [`taxonomy`] → [`render`] (with [`templates`]) (+ [`generate`], [`map`]) → [`output`].
//! [`pipeline`] runs them, for every command; [`incremental`] keeps them between the builds
//! of `weft serve`. [`source`] and [`diag`] are shared by all of them; [`commands`] are the
//! command line's, and nothing else imports them.

pub mod commands;
pub mod config;
pub mod dates;
pub mod diag;
pub mod discover;
pub mod external;
pub mod frontmatter;
pub mod generate;
pub mod i18n;
pub mod incremental;
pub mod links;
pub mod map;
pub mod markdown;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod search;
pub mod site;
pub mod source;
pub mod taxonomy;
pub mod templates;
pub mod theme;
pub mod watch;
mod yaml;
