//! Faults: a build killed with SIGKILL at any moment leaves only whole old or whole new
//! files, and the next build finishes the job; a full disk gives a clear error.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::{Site, snapshot_tree};

const PAGES: usize = 1500;

fn write_pages(site: &Site, version: &str) {
    site.write(
        "content/_index.md",
        &format!("---\ntitle: Home {version}\n---\n\n[[page-0]]\n"),
    );
    let body = format!("Text of version {version}. ").repeat(200);
    for i in 0..PAGES {
        site.write(
            &format!("content/s{}/page-{i}.md", i % 10),
            &format!(
                "---\ntitle: Page {i}\n---\n\n{body}\n\nSee [[page-{}]].\n",
                (i + 1) % PAGES
            ),
        );
    }
}

fn contents(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    snapshot_tree(dir)
        .into_iter()
        .map(|(p, (bytes, _))| (p, bytes))
        .collect()
}

fn weft_build(root: &Path, out: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_weft"));
    command
        .args(["build", "--quiet", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out);
    command
}

fn is_tmp(path: &Path) -> bool {
    path.to_string_lossy().contains(".weft-tmp")
}

#[test]
fn a_killed_build_leaves_whole_files_and_the_next_build_repairs_it() {
    let site = Site::new(&[]);
    let root = site.root().to_path_buf();
    write_pages(&site, "one");
    let old_out = root.join("old");
    assert!(weft_build(&root, &old_out).status().unwrap().success());
    let old = contents(&old_out);
    write_pages(&site, "two");
    let new_out = root.join("new");
    let started = Instant::now();
    assert!(weft_build(&root, &new_out).status().unwrap().success());
    let full = started.elapsed();
    let new = contents(&new_out);

    let out = root.join("public");
    let mut kills = 0;
    for step in 1..=12u32 {
        // Start from the old site each time (copy, as a deploy would have it).
        let _ = std::fs::remove_dir_all(&out);
        assert!(
            Command::new("cp")
                .arg("-a")
                .arg(&old_out)
                .arg(&out)
                .status()
                .unwrap()
                .success()
        );
        let mut child = weft_build(&root, &out).spawn().unwrap();
        std::thread::sleep(
            full.mul_f64(f64::from(step) / 12.0)
                .min(Duration::from_secs(5)),
        );
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            kills += 1;
        }
        child.wait().unwrap();
        for (path, bytes) in contents(&out) {
            if is_tmp(&path) || path == Path::new(".weft-output") {
                continue;
            }
            let whole = old.get(&path) == Some(&bytes) || new.get(&path) == Some(&bytes);
            assert!(
                whole,
                "step {step}: {} is neither the old nor the new file",
                path.display()
            );
        }
        assert!(weft_build(&root, &out).status().unwrap().success());
        let repaired = contents(&out);
        assert!(
            repaired.keys().all(|p| !is_tmp(p)),
            "step {step}: temporary files left behind"
        );
        assert_eq!(
            repaired, new,
            "step {step}: the next build does not leave exactly the new site"
        );
    }
    assert!(
        kills > 0,
        "no build was killed; the build finished before every kill"
    );
}

#[test]
fn a_killed_first_build_leaves_no_half_site() {
    let site = Site::new(&[]);
    let root = site.root().to_path_buf();
    write_pages(&site, "one");
    let out = root.join("public");
    let started = Instant::now();
    assert!(
        weft_build(&root, &root.join("reference"))
            .status()
            .unwrap()
            .success()
    );
    let full = started.elapsed();
    let reference = contents(&root.join("reference"));
    for step in 1..=6u32 {
        let _ = std::fs::remove_dir_all(&out);
        let mut child = weft_build(&root, &out).spawn().unwrap();
        std::thread::sleep(full.mul_f64(f64::from(step) / 6.0));
        let _ = child.kill();
        child.wait().unwrap();
        // Either no site yet, or the whole site.
        if out.exists() {
            assert_eq!(
                contents(&out),
                reference,
                "step {step}: a partial site is visible"
            );
        }
        assert!(weft_build(&root, &out).status().unwrap().success());
        assert_eq!(contents(&out), reference);
        let leftovers: Vec<_> = std::fs::read_dir(&root)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .filter(|n| n.to_string_lossy().contains("weft-tmp"))
            .collect();
        assert!(
            leftovers.is_empty(),
            "step {step}: staging left behind: {leftovers:?}"
        );
    }
}

#[test]
fn builds_are_identical_across_thread_counts() {
    let site = Site::new(&[]);
    let root = site.root().to_path_buf();
    write_pages(&site, "one");
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let out = root.join(format!("out-{threads}"));
        let status = weft_build(&root, &out)
            .env("RAYON_NUM_THREADS", threads)
            .status()
            .unwrap();
        assert!(status.success());
        outputs.push(contents(&out));
    }
    assert_eq!(outputs[0], outputs[1]);
}
