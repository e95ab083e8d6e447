#!/usr/bin/env bash
# The per-stage section of `make bench`: runs each stage's benchmark, every
# figure next to a baseline measured in the same run, and writes one row per
# figure to OUT_TSV (bench/tsv.sh's eight columns, no header), then prints the
# rows as a table.
#
#   bench/stages.sh BUILD_DIR OUT_TSV
#
#   converter      bench/converter/bench.sh: CPU s against the ffmpeg program
#                  doing the same job (BENCH_REPS, default here 1)
#   transcriber    bench/transcriber/run.sh: wall real-time factor of each
#                  engine against pocketsphinx's stock settings on the same
#                  audio; the openai engine (the stack's speech-to-text server)
#                  when ISIM_TRANSCRIBE_URL is set and answers
#   video-metrics  bench/video-metrics/run.sh: CPU s and speed against the
#                  ffmpeg program decoding the same clip (BENCH_VM_SECONDS,
#                  default 30)
#   gateway        bench/gateway/run.sh: requests/s and p99 against a trivial
#                  civetweb handler, when the stack's gateway answers
#   web            deploy/web.sh build: the first page's gzipped weight against
#                  its 200 KB limit
#
# The stack comes from the environment (eval "$(deploy/stack.sh env)"); this
# script neither starts nor stops it. A piece that cannot run for want of the
# stack gets a row saying why (figure "-"); a piece that fails gets a row
# saying so and makes the exit status 1. Each piece's own output goes to
# OUT_TSV.log.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/tsv.sh
. "$root/bench/tsv.sh"

if (($# != 2)); then
  echo "usage: bench/stages.sh BUILD_DIR OUT_TSV" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
BENCH_TSV=$(realpath -m -- "$2")
export BENCH_TSV
log=$BENCH_TSV.log
: >"$BENCH_TSV"
: >"$log"
failed=0
start=$SECONDS
load=$(cut -d' ' -f1-3 /proc/loadavg)

# not_run SECTION WHAT: a row for a figure that could not be measured.
not_run() {
  bench_tsv_row "$1" "$2" - - - - - ""
}

# piece SECTION ROWS CMD...: runs CMD with its output in the log; it must
# exit 0 and add ROWS rows, else a row says it failed.
piece() {
  local section=$1 want=$2 before t0=$SECONDS rc=0 got from
  shift 2
  before=$(wc -l <"$BENCH_TSV")
  from=$(($(wc -l <"$log") + 1))
  printf 'stages: %s ... ' "$section" >&2
  printf '\n==== %s: %s\n' "$section" "$*" >>"$log"
  "$@" >>"$log" 2>&1 || rc=$?
  got=$(($(wc -l <"$BENCH_TSV") - before))
  if ((rc != 0 || got != want)); then
    printf 'FAILED (exit %d, %d of %d rows; its output is in %s)\n' "$rc" "$got" "$want" "$log" >&2
    tail -n "+$from" "$log" | tail -n 15 | sed 's/^/  | /' >&2
    not_run "$section" "FAILED (exit $rc, $got of $want rows): see $(basename "$log")"
    failed=1
  else
    printf '%d s\n' $((SECONDS - t0)) >&2
  fi
}

# http_code URL: the HTTP status of a GET, 000 when nothing answers.
http_code() {
  curl -s -o /dev/null -m 5 -w '%{http_code}' "$1" || true
}

piece converter 3 env BENCH_REPS="${BENCH_REPS:-1}" bash "$root/bench/converter/bench.sh" "$build"

# The openai engine is the stack's speech-to-text server: measured when it answers.
stt=${ISIM_TRANSCRIBE_URL:-} no_stt=
if [[ -z $stt ]]; then
  no_stt="ISIM_TRANSCRIBE_URL is not set"
elif [[ $(http_code "${stt%/}/readyz") == 000 ]]; then
  no_stt="nothing answers at $stt (deploy/stack.sh up)"
fi
if [[ -z $no_stt ]]; then
  piece transcriber 3 env BENCH_JOINED_ONLY=1 bash "$root/bench/transcriber/run.sh" "$build"
else
  piece transcriber 2 env ISIM_TRANSCRIBE_URL= BENCH_JOINED_ONLY=1 bash "$root/bench/transcriber/run.sh" "$build"
  not_run transcriber "openai engine: not run, $no_stt"
fi

piece video-metrics 4 bash "$root/bench/video-metrics/run.sh" "$build" "${BENCH_VM_SECONDS:-30}"

gw=${ISIM_GATEWAY_URL:-}
if [[ -z $gw ]]; then
  not_run gateway "GET /v1/interviews/{id}: not run, ISIM_GATEWAY_URL is not set (deploy/stack.sh env)"
elif [[ $(http_code "${gw%/}/readyz") != 200 ]]; then
  not_run gateway "GET /v1/interviews/{id}: not run, no ready gateway at $gw (deploy/stack.sh up)"
else
  piece gateway 3 bash "$root/bench/gateway/run.sh"
fi

piece web 1 bash "$root/deploy/web.sh" build

# The rows as a table: each column as wide as its widest cell.
awk -F'\t' '
  BEGIN { split("section what figure unit baseline_name baseline ratio target", head, " ") }
  { rows[NR] = $0; for (i = 1; i <= 8; i++) if (length($i) > w[i]) w[i] = length($i) }
  END {
    for (i = 1; i <= 8; i++) if (length(head[i]) > w[i]) w[i] = length(head[i])
    line(head)
    for (r = 1; r <= NR; r++) { split(rows[r], c, "\t"); line(c) }
  }
  # Text columns to the left, numbers (figure, baseline, ratio) to the right.
  function line(c,   i, s) {
    s = ""
    for (i = 1; i <= 8; i++)
      s = s sprintf("%" (i == 3 || i == 6 || i == 7 ? "" : "-") w[i] "s", c[i]) (i < 8 ? "  " : "")
    sub(/ +$/, "", s)
    print s
  }' "$BENCH_TSV"
printf 'per-stage benchmarks: %d s on %d cores, load average at start %s; ratio = figure / baseline\n' \
  $((SECONDS - start)) "$(nproc)" "$load"
exit "$failed"
