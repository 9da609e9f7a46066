#!/usr/bin/env python3
"""Makes the code-heavy bench site: a copy of a weft bench corpus (../shared/bench/gen_corpus.py)
in which every page has two code blocks (its YAML block and a Rust function of its own) and a
formula (inline and display math). Each page's code differs, as real pages' code does.

usage: bench/code_site.py SRC DEST     e.g. bench/code_site.py /tmp/bench/10000/weft /tmp/bench/10000/weft-code
Then time `weft build` in DEST, e.g. `hyperfine 'weft build --output /tmp/out-$RANDOM'`.
"""
import os, shutil, sys

RUST = """```rust linenos
/// Scores initiative {n} by its members and years active.
fn score_{n}(members: &[&str], since: u32) -> f64 {{
    let years = 2026u32.saturating_sub(since) as f64;
    members.iter().filter(|m| !m.is_empty()).count() as f64 * years.sqrt() + {n}.0
}}
```

The score grows as $s = m\\sqrt{{y}} + {n}$, and over all pages

$$
\\bar{{s}} = \\frac{{1}}{{N}} \\sum_{{i=1}}^{{N}} s_i
$$
"""


def main():
    src, dest = sys.argv[1], sys.argv[2]
    if os.path.exists(dest):
        shutil.rmtree(dest)
    shutil.copytree(src, dest)
    n = 0
    for folder, _, files in os.walk(os.path.join(dest, "content")):
        for name in files:
            if not name.endswith(".md") or name == "_index.md":
                continue
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            marker = "### Follow-up"
            if marker not in text:
                continue
            n += 1
            text = text.replace(marker, RUST.format(n=n) + "\n" + marker, 1)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
    print(f"{n} pages with two code blocks and a formula in {dest}")


if __name__ == "__main__":
    main()
