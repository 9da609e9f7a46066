#!/usr/bin/env bash
# Deploys a weft site to any static host with rsync: over SSH to a server's web folder, or to
# a local folder a web server serves. Builds the site for the address it will be served from,
# a sub-path included (https://example.org/docs/), then copies the output there.
#
# Where it goes: anywhere, e.g. deploy.sh in your site's repository; run it from the site's
# folder (the one with weft.yaml), or set WEFT_SITE.
#
#   WEFT_BASE_URL=https://example.org/docs/ WEFT_DEST=me@example.org:/var/www/docs/ ./deploy.sh
#   ./deploy.sh --dry-run          # extra arguments go to rsync: see what would change
#
# What to change: the two defaults below, or set them in the environment each time.
#   WEFT_BASE_URL  the address the site is served from, ending in /. With a sub-path, every
#                  link, asset, search index, feed and sitemap URL starts with it.
#   WEFT_DEST      rsync's destination: HOST:FOLDER/ over SSH (SSH's own keys and
#                  ~/.ssh/config apply), or a local FOLDER/. A folder that holds this site and
#                  nothing else: see --delete below.
#   WEFT_BIN       the weft binary (default: weft on the PATH). weft has no published binary:
#                  install it from source with `cargo install --locked --path .` in a clone of
#                  the weft repository, or `cargo install --locked --git URL weft`.
#   WEFT_SITE      the site's folder (default: the current one).
#   WEFT_OUTPUT    where to build (default: public/ in the site's folder). weft leaves a file
#                  that did not change alone, modification time included, so rsync's quick
#                  check sends only what changed.
#
# How it is checked (deploy/check.sh, offline, in weft's CI): bash -n and shellcheck; then it is
# run to deploy weft's flagship site to a local folder for http://127.0.0.1:PORT/sub/, with a
# stale file planted there first and another beside it: the stale one must be gone, the other
# untouched; the folder is then served by Python's static file server and crawled by
# LinkChecker, which must find no broken link. Not checked: rsync over SSH to a real host.
set -euo pipefail

base_url="${WEFT_BASE_URL:-https://example.org/docs/}"   # CHANGE
dest="${WEFT_DEST:-me@example.org:/var/www/example.org/docs/}"   # CHANGE
weft="${WEFT_BIN:-weft}"
site="${WEFT_SITE:-.}"
output="${WEFT_OUTPUT:-$site/public}"

case "$base_url" in
  http://*/ | https://*/) ;;
  *) echo "WEFT_BASE_URL must be an http(s) URL ending in /: $base_url" >&2; exit 2 ;;
esac
# --delete removes from the destination whatever this build does not have: an empty
# destination, a filesystem root or a remote home folder would be a disaster.
case "$dest" in
  "" | / | *: | *:/ | *:~ | *:~/) echo "WEFT_DEST must name the site's own folder: '$dest'" >&2; exit 2 ;;
esac

"$weft" build --root "$site" --output "$output" --base-url "$base_url"

# --recursive --times: the folder, with modification times, which rsync compares to send only
#   files that changed (add --checksum to compare contents instead).
# --perms --chmod: files readable by the web server (644, folders 755), whatever the umask.
# --delete-after: removes from the destination the files the site no longer has (a page
#   renamed or removed), once the new files are in; so WEFT_DEST must hold this site only.
#   Try --dry-run first to see what it would remove.
# --delay-updates: puts changed files into place together at the end, so visitors see the
#   old site or the new one, not half of each.
# --exclude: .weft-output marks weft's output folder for weft; the host has no use for it.
# --compress: for transfers over SSH.
rsync --recursive --times --perms --chmod=D755,F644 \
  --delete-after --delay-updates --exclude=/.weft-output --compress --human-readable --stats \
  "$@" "$output/" "$dest"
