//! The commands: each runs the pipeline stages it needs.

pub mod build;
pub mod new;
pub mod progress;
pub mod serve;
