#!/usr/bin/env bash
# Measures lexical and semantic relevance on the labelled answers (README.md):
# starts the speech-to-text server with the sentence-embedding model on a free
# port, runs measure.py against build/relevance_scores, stops the server.
#
# Usage: bash bench/relevance/run.sh [BUILD_DIR] [measure.py options, e.g. --json /tmp/rel.json]
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DEPS=${ISIM_DEPS_DIR:-$REPO/.deps}
BUILD=${1:-$REPO/build}
shift || true
VENV=$DEPS/stt-venv
EMBED=$DEPS/embed-model/all-MiniLM-L6-v2-int8
WHISPER=$DEPS/stt-model/whisper-tiny.en   # the server needs a speech model; the smallest
for f in "$VENV/bin/python" "$EMBED/model.onnx" "$WHISPER/model.bin"; do
  [[ -e $f ]] || { echo "run.sh: $f missing: run deploy/deps.sh" >&2; exit 1; }
done
[[ -x $BUILD/relevance_scores ]] || { echo "run.sh: $BUILD/relevance_scores missing: build first" >&2; exit 1; }

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
LOG=$(mktemp /tmp/isim-relevance-stt.XXXXXX.log)
(cd "$REPO/services/stt" && ISIM_STT_MODEL_DIR=$WHISPER ISIM_STT_EMBED_MODEL_DIR=$EMBED ISIM_STT_PORT=$PORT \
  exec "$VENV/bin/python" -m isim_stt) >"$LOG" 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null || true' EXIT
for _ in $(seq 600); do
  [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/readyz") == 200 ]] && break
  kill -0 "$PID" 2>/dev/null || { cat "$LOG" >&2; exit 1; }
  sleep 0.2
done
python3 "$REPO/bench/relevance/measure.py" "$BUILD" --embed-url "http://127.0.0.1:$PORT/v1" "$@"
