# shellcheck shell=bash
# Sourced, not run: serves a folder over HTTP for a crawler, as a static host would.
# Used by tests/publish/linkcheck.sh and deploy/check.sh.
#
#   serve_folder DIR LOG   starts Python's static file server on DIR, on a port the OS picks;
#                          sets `port` and `server_pid`, or exits with the server's log
#   stop_server            stops it (for a trap on EXIT)

server_pid=""
port=""

serve_folder() {
  local dir="$1" log="$2"
  # Port 0: the OS picks a free port, which the server names on its first line:
  # "Serving HTTP on 127.0.0.1 port 40123 (http://127.0.0.1:40123/) ..."
  # The log exists before the server starts, so that reading it never races the redirection.
  : >"$log"
  python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$dir" >>"$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do
    port="$(sed -n 's/^Serving HTTP on .* port \([0-9][0-9]*\) .*/\1/p' "$log")"
    [ -n "$port" ] && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "python3 -m http.server did not name its port:" >&2
  cat "$log" >&2
  exit 1
}

stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
}
