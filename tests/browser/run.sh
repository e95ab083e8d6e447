#!/usr/bin/env bash
# Browser end-to-end test of the web app.
# Assumes: the stack is up (deploy/stack.sh up), its gateway serves the built
# web app (web/dist), and the variables printed by `deploy/stack.sh env` are
# exported (ISIM_GATEWAY_URL, ISIM_BOOTSTRAP_ADMIN_KEY, ISIM_STATE_DIR,
# ISIM_S3_BUCKET). Output (fake media, screenshots) goes to
# ${ISIM_BROWSER_OUT:-<repo>/build/browser}.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
export ISIM_BROWSER_OUT=${ISIM_BROWSER_OUT:-$repo/build/browser}
mkdir -p "$ISIM_BROWSER_OUT"
for v in ISIM_GATEWAY_URL ISIM_BOOTSTRAP_ADMIN_KEY ISIM_STATE_DIR ISIM_S3_BUCKET; do
  [[ -n ${!v:-} ]] || { echo "run.sh: $v is not set; run: eval \"\$(deploy/stack.sh env)\"" >&2; exit 2; }
done
command -v "${ISIM_CHROMIUM:-/usr/bin/chromium}" >/dev/null || { echo "run.sh: no Chromium (apt-get install chromium)" >&2; exit 2; }
command -v pdftotext >/dev/null || { echo "run.sh: no pdftotext to read the printed report (apt-get install poppler-utils)" >&2; exit 2; }
if [[ ! -d $repo/web/node_modules/playwright-core || ! -d $repo/web/node_modules/axe-core ]]; then
  (cd "$repo/web" && npm ci --no-audit --no-fund)
fi
bash "$here/make_media.sh" "$ISIM_BROWSER_OUT/media"
rm -rf "$ISIM_BROWSER_OUT/screenshots"
exec node "$here/e2e.mjs"
