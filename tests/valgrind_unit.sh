#!/usr/bin/env bash
# Runs every unit-test binary under valgrind; any definite leak or memory
# error fails. Criterion runs each test in a child process, hence
# --trace-children. Several binaries run at once (VALGRIND_JOBS, default 3):
# many tests wait on sockets, timers and child processes, so a third binary
# fills the time the other two spend waiting. The slowest start first.
set -euo pipefail
build=${1:-build}
export ISIM_TEST_MEDIA_DIR=$(cd "$build" && pwd)/test-media
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

one() {
  local t=$1 log=$logs/$(basename "$1").log
  if valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 \
       --trace-children=yes --trace-children-skip='*/ffmpeg,*/ffprobe,*/sh,*/bash,*/espeak-ng,*/sox,*/redis-server' \
       --child-silent-after-fork=no "$t" --jobs 2 >"$log" 2>&1; then
    echo "valgrind ok: $(basename "$t")"
  else
    echo "valgrind FAILED: $(basename "$t")"; tail -n 40 "$log"; touch "$logs/failed"
  fi
}
export -f one
export logs

# Longest first (measured under valgrind, about 2026-12): the rest in name order.
slow=(test_converter_corpus test_transcriber_transcribe test_video_metrics_vmetrics test_converter_convert
      test_common_kafka_worker test_transcriber_chunks test_video_metrics_voice test_common_s3_sigv4
      test_common_redis_conn)
list=()
for name in "${slow[@]}"; do
  [[ -x $build/$name ]] && list+=("$build/$name")
done
for t in "$build"/test_*; do
  [[ -x $t && -f $t ]] || continue
  [[ " ${slow[*]} " == *" $(basename "$t") "* ]] && continue
  list+=("$t")
done
printf '%s\n' "${list[@]}" | xargs -P "${VALGRIND_JOBS:-3}" -I{} bash -c 'one "$1"' _ {}
[[ ! -e $logs/failed ]]
