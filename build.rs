//! Names the commit weft is built from, for `weft --version` (`0.1.0 (1a2b3c4d5e)`); built
//! from anything but a git checkout (a crates.io download, a source archive), the version alone.

use std::path::Path;
use std::process::Command;

fn main() {
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let commit = Command::new("git")
        .args(["rev-parse", "--short=10", "HEAD"])
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .filter(|commit| !commit.is_empty());
    let shown = match commit {
        Some(commit) => format!("{version} ({commit})"),
        None => version,
    };
    println!("cargo:rustc-env=WEFT_VERSION={shown}");
    println!("cargo:rerun-if-changed=build.rs");
    // A new commit moves the branch HEAD names (or HEAD itself, when detached).
    let git = Path::new(".git");
    println!("cargo:rerun-if-changed=.git/HEAD");
    if let Ok(head) = std::fs::read_to_string(git.join("HEAD")) {
        if let Some(branch) = head.trim().strip_prefix("ref: ") {
            println!("cargo:rerun-if-changed=.git/{branch}");
            println!("cargo:rerun-if-changed=.git/packed-refs");
        }
    }
}
