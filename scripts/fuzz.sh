#!/usr/bin/env bash
# Runs weft's fuzz targets one after another, each for SECONDS (default 600), at the lowest
# priority on one core. Not part of CI. Needs cargo-fuzz (`cargo install cargo-fuzz`); on a
# stable toolchain RUSTC_BOOTSTRAP=1 lets it use the nightly flags it needs.
#
#   scripts/fuzz.sh                  # every target, ten minutes each
#   scripts/fuzz.sh 60 markdown page # these targets, a minute each
#   FUZZ_ARGS=-len_control=0 scripts/fuzz.sh 600 wikilinks   # long inputs from the start
#
# New inputs go to fuzz/corpus/TARGET/ (only the seed-* files there are committed); a crash
# or hang is written to fuzz/artifacts/TARGET/ and stops the run with its path. Replay one
# with `RUSTC_BOOTSTRAP=1 cargo fuzz run TARGET fuzz/artifacts/TARGET/FILE` in fuzz/.
set -euo pipefail

seconds=${1:-600}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(frontmatter markdown wikilinks page)
fi

cd "$(dirname "$0")/../fuzz"
export RUSTC_BOOTSTRAP=1
nice -n 19 cargo fuzz build
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target" "artifacts/$target"
    echo "== $target for ${seconds}s" >&2
    # -timeout: an input that takes 10 s is a hang; -rss_limit_mb: a blowup in memory.
    # -max_len 64 KiB lets superlinear work show within the timeout.
    nice -n 19 cargo fuzz run "$target" "corpus/$target" -- \
        -max_total_time="$seconds" \
        -timeout=10 \
        -rss_limit_mb=2048 \
        -max_len=65536 \
        -dict=dict/weft.dict \
        -print_final_stats=1 \
        ${FUZZ_ARGS:-}
done
