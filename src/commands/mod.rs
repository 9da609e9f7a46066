//! The command line ([`cli`]) and its commands, each running the [`crate::pipeline`] as it
//! needs. Nothing outside this folder imports from it.

pub mod build;
pub mod cli;
pub mod new;
pub mod progress;
pub mod reference;
pub mod serve;
