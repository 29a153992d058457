# Shared helpers for compat/ scripts: source it, do not run it.
set -euo pipefail

COMPAT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Installs Debian packages that are missing (CI machines start fresh).
ensure_packages() {
  local missing=()
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# The vigil binary: the debug build CI has just made, built if missing.
vigil_binary() {
  local bin
  # VIGIL_BIN: a binary built elsewhere (a work tree without its own .build).
  if [ -n "${VIGIL_BIN:-}" ]; then echo "$VIGIL_BIN"; return; fi
  bin="$(cd "$COMPAT_ROOT" && swift build --show-bin-path)/vigil"
  if [ ! -x "$bin" ] || [ ! -x "$(dirname "$bin")/vigil-agent" ]; then
    (cd "$COMPAT_ROOT" && swift build --product vigil >&2 && swift build --product vigil-agent >&2)
  fi
  echo "$bin"
}

# A release build of vigil for measurements: the binary at $1 when given (a script's
# *_VIGIL variable), else the work tree's release product, built now (the log goes to $2).
# Prints the path; fails with the build log's tail when the build fails.
vigil_release_binary() {
  local given=$1 log=$2
  if [ -n "$given" ]; then
    echo "$given"
    return 0
  fi
  echo "building vigil (release)" >&2
  # vigil-agent too: `vigil agent` without a config hands over to it when it sits beside vigil.
  if ! (cd "$COMPAT_ROOT" && swift build -c release --product vigil && swift build -c release --product vigil-agent) >"$log" 2>&1; then
    tail -30 "$log" >&2
    return 1
  fi
  echo "$(cd "$COMPAT_ROOT" && swift build -c release --show-bin-path)/vigil"
}

# Waits until a URL answers 200, at most $2 seconds (default 60).
wait_http() {
  local url=$1 limit=${2:-60} i
  for ((i = 0; i < limit * 10; i++)); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "timed out waiting for $url" >&2
  return 1
}
