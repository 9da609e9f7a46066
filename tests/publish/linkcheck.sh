#!/usr/bin/env bash
# Crawls the flagship site and the browser fixture with LinkChecker, a link checker that is
# not ours, each built for a sub-path and served from it by Python's static file server.
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

work="$(mktemp -d)"
server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap stop_server EXIT

# Port 0: the OS picks a free port, which the server names on its first line:
# "Serving HTTP on 127.0.0.1 port 40123 (http://127.0.0.1:40123/) ..."
mkdir "$work/served"
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$work/served" >"$work/server.log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 100); do
  port="$(sed -n 's/^Serving HTTP on .* port \([0-9][0-9]*\) .*/\1/p' "$work/server.log")"
  [ -n "$port" ] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    cat "$work/server.log" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$port" ]; then
  echo "python3 -m http.server did not name its port:" >&2
  cat "$work/server.log" >&2
  exit 1
fi

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
