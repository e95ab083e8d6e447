#!/usr/bin/env bash
# make bench: brings up a stack of its own (ports shifted by
# ISIM_BENCH_PORT_OFFSET, default 2000; state in BUILD_DIR/bench-state), sends
# the answers through it (bench/e2e/e2e.py), runs the per-stage benchmarks
# (bench/stages.sh), prints one table and writes it to docs/benchmarks.md.
#   bench/e2e/run.sh [BUILD_DIR]
# Env: ISIM_BENCH_SECTIONS (latency,throughput,memory,stages), ISIM_BENCH_BATCH
# (answers in the throughput batch, 20), ISIM_BENCH_REPS (runs of each short
# answer, 3), ISIM_BENCH_ANSWERS (latency answers: 30s,2min,10min, default
# all), ISIM_BENCH_MARKDOWN (where the table goes; "" for nowhere).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
venv=${ISIM_TEST_VENV:-$root/.deps/test-venv}
sections=${ISIM_BENCH_SECTIONS:-latency,throughput,memory,stages}
markdown=${ISIM_BENCH_MARKDOWN-$root/docs/benchmarks.md}
media=$build/bench-media
out=$build/bench
mkdir -p "$out"
rows=$out/rows.tsv
: >"$rows"
started=$(date +%s)

if [[ ! -x $venv/bin/python ]] || ! "$venv/bin/python" -c 'import confluent_kafka' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$root/tests/integration/requirements.txt"
fi

echo "[bench] making the answers in $media (cached)"
make_answer() { bash "$root/bench/e2e/make_answers.sh" "$media" "$@"; }
make_answer answer-30s-720p 30 1280x720
make_answer answer-2min-720p 120 1280x720
make_answer answer-10min-720p 598 1280x720 # the default longest answer is 600 s
make_answer answer-10min-1080p 598 1920x1080

export ISIM_PORT_OFFSET=${ISIM_BENCH_PORT_OFFSET:-2000}
export ISIM_STATE_DIR=$build/bench-state
export ISIM_BUILD_DIR=$build
stack() { bash "$root/deploy/stack.sh" "$@"; }
trap 'stack down >/dev/null 2>&1 || true' EXIT
# A clean state: work a failed run left in Kafka would be redone first.
stack down --wipe >/dev/null 2>&1 || true
stack up
eval "$(stack env)"

echo "[bench] load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
e2e_sections=$(tr ',' '\n' <<<"$sections" | grep -v '^stages$' | paste -sd, || true)
if [[ -n $e2e_sections ]]; then
  "$venv/bin/python" "$root/bench/e2e/e2e.py" --media "$media" --sections "$e2e_sections" \
    --batch "${ISIM_BENCH_BATCH:-20}" --reps "${ISIM_BENCH_REPS:-3}" --answers "${ISIM_BENCH_ANSWERS:-}" \
    --out "$rows"
fi
if [[ ,$sections, == *,stages,* ]]; then
  bash "$root/bench/stages.sh" "$build" "$out/stages.tsv"
  cat "$out/stages.tsv" >>"$rows"
fi
echo "[bench] took $(( $(date +%s) - started )) s"
"$venv/bin/python" "$root/bench/e2e/report.py" "$rows" ${markdown:+--markdown "$markdown"}
