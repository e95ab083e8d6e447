#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/fuzz_*.c, clang with ASan and
# UBSan, in build-fuzz/) and runs each for SECONDS (default 15), two at a
# time, starting from the committed corpus in tests/fuzz/corpus/<name>/ (new
# inputs go to build-fuzz/corpus/, the committed corpus is not changed).
# A crash, leak or undefined behaviour fails the run and leaves the input in
# build-fuzz/findings/<name>/: add it to the corpus with the fix.
#
# Usage: tests/fuzz/run.sh [SECONDS]     (make fuzz: 300 s each)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-${ISIM_FUZZ_SECONDS:-15}}
build=${ISIM_FUZZ_BUILD_DIR:-$root/build-fuzz}
command -v clang >/dev/null 2>&1 || { echo "fuzz: clang is missing (deploy/deps.sh installs it)" >&2; exit 1; }

CC=clang cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DISIM_FUZZ=ON >/dev/null
mapfile -t targets < <(cd "$root/tests/fuzz" && ls fuzz_*.c | sed 's/\.c$//')
cmake --build "$build" -j2 --target "${targets[@]}" >/dev/null

run_one() { # run_one TARGET: 0 when it found nothing
  local t=$1 name=${1#fuzz_} log=$build/findings/${1#fuzz_}.log
  mkdir -p "$build/corpus/$name" "$build/findings/$name"
  if "$build/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/findings/$name/" "$build/corpus/$name" "$root/tests/fuzz/corpus/$name" >"$log" 2>&1; then
    echo "fuzz: $name: $(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$') runs in ${seconds} s, nothing found"
  else
    echo "fuzz: $name: FOUND a failure (input in $build/findings/$name/):" >&2
    grep -E 'ERROR|runtime error|SUMMARY' "$log" | head -5 >&2
    return 1
  fi
}

fails=0 pids=()
for t in "${targets[@]}"; do
  run_one "$t" &
  pids+=("$!")
  if [[ ${#pids[@]} -ge 2 ]]; then
    wait "${pids[0]}" || fails=$((fails + 1))
    pids=("${pids[@]:1}")
  fi
done
for p in "${pids[@]}"; do wait "$p" || fails=$((fails + 1)); done
[[ $fails == 0 ]] || { echo "fuzz: $fails target(s) found a failure" >&2; exit 1; }
