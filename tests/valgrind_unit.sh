#!/usr/bin/env bash
# Runs every unit-test binary under valgrind; any definite leak or memory
# error fails. Criterion runs each test in a child process, hence
# --trace-children.
set -euo pipefail
build=${1:-build}
export ISIM_TEST_MEDIA_DIR=$(cd "$build" && pwd)/test-media
fail=0
for t in "$build"/test_*; do
  [[ -x $t && -f $t ]] || continue
  log=$(mktemp)
  if valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 \
       --trace-children=yes --trace-children-skip='*/ffmpeg,*/ffprobe,*/sh,*/bash,*/espeak-ng,*/sox' \
       --child-silent-after-fork=no "$t" --jobs 2 >"$log" 2>&1; then
    echo "valgrind ok: $(basename "$t")"
  else
    echo "valgrind FAILED: $(basename "$t")"; tail -n 40 "$log"; fail=1
  fi
  rm -f "$log"
done
exit $fail
