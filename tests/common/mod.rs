//! Shared helpers for the behaviour tests: fixture sites in temp dirs and the real binary.

#![allow(
    dead_code,
    reason = "each test crate uses a different part of this module"
)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

/// A site written into a fresh temp dir.
pub struct Site {
    pub dir: tempfile::TempDir,
}

/// A minimal weft.yaml with one taxonomy (`topics`) and two relations: `part_of` (with its
/// inverse `has_part`) and the symmetric `related`.
pub const CONFIG: &str = "title: Test site\nbase_url: https://example.org/\nsearch: false\ntaxonomies: [topics]\nrelations:\n  part_of: { label: \"Part of\", inverse: has_part, inverse_label: \"Includes\" }\n  related: { label: \"Related\", symmetric: true }\n";

impl Site {
    /// Writes `files` (path, text) under a new temp dir; adds `weft.yaml` unless given.
    pub fn new(files: &[(&str, &str)]) -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        let site = Site { dir };
        if !files.iter().any(|(p, _)| *p == "weft.yaml") {
            site.write("weft.yaml", CONFIG);
        }
        for (path, text) in files {
            site.write(path, text);
        }
        site
    }

    /// [`Site::new`] for files made at run time, then `weft build`, which must succeed.
    pub fn built(files: &[(String, String)]) -> Site {
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let site = Site::new(&files);
        let output = site.weft(&["build"]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, path: &str, text: &str) {
        self.write_bytes(path, text.as_bytes());
    }

    pub fn write_bytes(&self, path: &str, bytes: &[u8]) {
        let full = self.root().join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::fs::write(full, bytes).expect("write");
    }

    pub fn remove(&self, path: &str) {
        std::fs::remove_file(self.root().join(path)).expect("remove");
    }

    /// Runs `weft ARGS --root ROOT` with colours off.
    pub fn weft(&self, args: &[&str]) -> Output {
        weft_in(self.root(), args)
    }

    pub fn out(&self, path: &str) -> String {
        std::fs::read_to_string(self.root().join("public").join(path))
            .unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }
}

/// Runs the real binary on `root`.
pub fn weft_in(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(args)
        .arg("--root")
        .arg(root)
        .env("NO_COLOR", "1")
        .output()
        .expect("run weft")
}

/// stderr with the temp dir replaced by `[ROOT]` and timings by `[T]`.
pub fn stderr(output: &Output, root: &Path) -> String {
    let text =
        String::from_utf8_lossy(&output.stderr).replace(&root.display().to_string(), "[ROOT]");
    text.lines()
        .map(|l| match l.find(" in ").filter(|_| l.ends_with(" ms")) {
            Some(i) => format!("{} in [T] ms", &l[..i]),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every file under `dir` with its bytes and modification time.
pub fn snapshot_tree(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let meta = e.metadata().expect("metadata");
            let rel = e.path().strip_prefix(dir).expect("prefix").to_path_buf();
            (
                rel,
                (
                    std::fs::read(e.path()).expect("read"),
                    meta.modified().expect("mtime"),
                ),
            )
        })
        .collect()
}

pub fn page(title: &str, body: &str) -> String {
    format!("---\ntitle: \"{title}\"\n---\n\n{body}\n")
}

/// A running `weft serve` on loopback, killed when dropped.
pub struct Server {
    pub child: Child,
    /// `host:port` it listens on, as it announced.
    pub address: String,
    log: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `weft serve --port PORT --root ROOT` (0: any free port) and waits for its address.
    pub fn launch(root: &Path, port: u16) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_weft"))
            .args(["serve", "--port", &port.to_string(), "--root"])
            .arg(root)
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start weft serve");
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(String::new()));
        let (found, address) = mpsc::channel();
        let shared = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split(" at http://").nth(1) {
                    let _ = found.send(rest.split('/').next().unwrap_or_default().to_string());
                }
                let mut log = shared.lock().expect("log");
                log.push_str(&line);
                log.push('\n');
            }
        });
        let address = address
            .recv_timeout(Duration::from_secs(15))
            .unwrap_or_else(|_| panic!("weft serve did not start:\n{}", log.lock().expect("log")));
        Server {
            child,
            address,
            log,
        }
    }

    /// Everything the server printed on stderr so far.
    pub fn log(&self) -> String {
        self.log.lock().expect("log").clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
