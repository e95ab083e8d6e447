#!/usr/bin/env bash
# Builds bench.c against a build's transcriber library and runs it.
#   bench/transcriber/run.sh [BUILD_DIR] [CLIP_DIR]
# Env: ISIM_TRANSCRIBE_URL (also benchmarks the openai engine), _MODEL,
# _API_KEY, _LANGUAGE; ISIM_TRANSCRIBE_PS_ARGS (extra pocketsphinx arguments
# for the tuned runs); ISIM_TRANSCRIBE_THREADS; BENCH_TSV=FILE also appends each
# engine's wall RTF next to the stock settings' to FILE (bench/tsv.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
clips=${2:-/usr/share/pocketsphinx/test/data/librivox}
cmake --build "$build" --target isim_transcriber isim_common >/dev/null
bin=$(mktemp /tmp/isim-bench-tr.XXXXXX)
trap 'rm -f "$bin"' EXIT
cc -std=c11 -O2 -D_GNU_SOURCE -Wall -Wextra -Werror -I"$root/services/transcriber" \
  $(pkg-config --cflags jansson) "$root/bench/transcriber/bench.c" \
  "$build/libisim_transcriber.a" "$build/libisim_common.a" \
  $(pkg-config --libs jansson libcurl pocketsphinx sphinxbase) -lpthread -lm -o "$bin"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
"$bin" "$clips"
