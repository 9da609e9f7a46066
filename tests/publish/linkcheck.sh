#!/usr/bin/env bash
# Crawls the flagship site, the browser fixture and the user guide (docs/) with LinkChecker, a
# link checker that is not ours, each built for a sub-path and served from it by Python's
# static file server.
# Fails on any broken link, external ones included (`--check-extern`). The sites are built
# again for the server's URL: public/ as `weft build` left it points at the real base_url
# (https://weft.example.org/), which LinkChecker would try to reach.
#
#   tests/publish/linkcheck.sh [WEFT_BIN]     (default: $WEFT_BIN, else target/debug/weft)
#
# Needs python3 and linkchecker (`pip install linkchecker==10.6.0`); .ci/run installs both.
# `cargo test` needs neither: tests/publish.rs crawls the flagship site with a crawler of its
# own.
set -euo pipefail
cd "$(dirname "$0")/../.."
weft="${1:-${WEFT_BIN:-target/debug/weft}}"

# shellcheck source=scripts/static-server.sh
source scripts/static-server.sh
work="$(mktemp -d)"
trap 'stop_server; rm -rf "$work"' EXIT
mkdir "$work/served"
serve_folder "$work/served" "$work/server.log"

# check ROOT SUB_PATH: builds the site at ROOT into the served folder under SUB_PATH and
# crawls it from there.
check() {
  local root="$1" sub_path="$2"
  local url="http://127.0.0.1:$port/$sub_path/"
  "$weft" build --root "$root" --output "$work/served/$sub_path" --base-url "$url"
  echo "linkchecker $url"
  # --check-extern, so that a link that leaves the sub-path for another path on this server is
  # followed and checked; links to other hosts (the flagship's sources) are only listed: CI
  # may have no network, and a source site being down is not a broken build.
  linkchecker --no-status --check-extern --ignore-url '^https?://(?!127\.0\.0\.1[:/])' \
    --threads 8 --timeout 20 "$url"
}

check . docs
check tests/browser/fixture kitchen-sink/docs
check docs guide
