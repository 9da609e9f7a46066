//! The floor a build cannot go below: read every Markdown file under a folder, render it
//! with pulldown-cmark, and write one HTML file per page into a fresh folder, on all cores.
//! No front matter, templates, links or anything else.
//!
//! usage: cargo run --release --example floor -- CONTENT_DIR OUT_DIR

use std::path::PathBuf;

use rayon::prelude::*;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    let (Some(content), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: floor CONTENT_DIR OUT_DIR");
        std::process::exit(2);
    };
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.par_iter().try_for_each(|path| {
        let text = std::fs::read_to_string(path)?;
        let mut html = String::with_capacity(text.len() * 2);
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&text));
        let rel = path
            .strip_prefix(&content)
            .unwrap_or(path)
            .with_extension("");
        let dir = out.join(rel);
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join("index.html"), html)
    })?;
    println!("{} pages", files.len());
    Ok(())
}
