#!/usr/bin/env bash
# `make test`: installs what is missing, then runs every test: unit tests in
# a plain build, again under AddressSanitizer+UndefinedBehaviorSanitizer and
# under valgrind, the web app's unit tests, the speech-to-text server's tests,
# then the integration test over the real stack and the browser tests against
# it, a short fault-injection run over a stack of its own, and last the
# container images, built and run against the same infrastructure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
jobs=${JOBS:-2}
current=""
# Each step's wall time, printed at the end (where CI's 40 minutes go).
times=()
started=$SECONDS
step() {
  if [[ -n $current ]]; then times+=("$((SECONDS - started)) s  $current"); fi
  current=$*; started=$SECONDS; printf '\n== %s\n' "$*"
}
# The very last line of a failed run names its step (a CI log may show only the end).
trap 'rc=$?; if [[ $rc != 0 ]]; then printf "\n== make test FAILED (exit %s) in: %s\n" "$rc" "$current" >&2; fi' EXIT

step "dependencies"
bash deploy/deps.sh

step "no service spawns a program (media and speech go through the libraries)"
if grep -rnE '\b(system|popen|execlp?|execle|execvp?e?|posix_spawnp?|fork)[[:space:]]*\(' common services cli; then
  echo "a service spawns a program: use the libraries instead" >&2
  exit 1
fi

step "build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
bash deploy/web.sh build
bash tests/hardening.sh build

step "Helm chart: lint, render with every values file, validate offline, security checks"
bash helm/check.sh

step "web app unit tests"
bash deploy/web.sh test

step "speech-to-text server tests (the real Whisper models, servers on free ports)"
deps=${ISIM_DEPS_DIR:-$root/.deps}
(cd services/stt && ISIM_STT_TEST_MODELS=$deps/stt-model ISIM_STT_TEST_CLIPS=$deps/stt-clips \
  ISIM_STT_TEST_EMBED_MODEL=$deps/embed-model \
  "$deps/stt-venv/bin/python" -m pytest -q -p no:cacheprovider tests)

# Three test binaries at once: many wait on sockets, timers and servers
# (Kafka, redis-server, a fake S3), so a third fills the cores' idle time.
step "unit tests"
(cd build && ctest -j3 --output-on-failure)

step "unit tests under ASan+UBSan"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DISIM_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 ctest -j3 --output-on-failure)

step "fuzz targets (libFuzzer with ASan+UBSan, 15 s each, two at a time)"
bash tests/fuzz/run.sh

step "unit tests under valgrind"
bash tests/valgrind_unit.sh build

step "integration and browser tests (real Kafka, PostgreSQL, Redis, S3 server, six services, Chromium)"
bash tests/integration/run.sh build

step "fault injection, short (kill -9 of the transcriber, Kafka restarted, S3 away 30 s; batches of 20)"
bash tests/faults/run.sh build short

step "container images: built, checked as files, every service run from them (sample answer to complete)"
bash deploy/images.sh build
bash tests/images/run.sh

step "done"
printf '\n== time per step\n'
printf '%s\n' "${times[@]}"
