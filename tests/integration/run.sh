#!/usr/bin/env bash
# End-to-end test: brings up the real stack (PostgreSQL, Redis, Kafka, S3Proxy
# and the six services from BUILD_DIR), runs the pytest suite against it, then
# the browser tests (tests/browser, Chromium) against the web app it serves,
# and stops what it started. ISIM_BROWSER_TESTS=0 leaves the browser out.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
venv=${ISIM_TEST_VENV:-$root/.deps/test-venv}

if [[ ! -x $venv/bin/pytest ]] || ! "$venv/bin/python" -c 'import jsonschema, confluent_kafka, schemathesis' 2>/dev/null; then
  echo "integration: creating the test virtualenv in $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$root/tests/integration/requirements.txt"
fi

export ISIM_STATE_DIR=${ISIM_STATE_DIR:-$root/.state}
# A small upload limit keeps the "too large" test from moving half a gigabyte.
export ISIM_MAX_UPLOAD_BYTES=${ISIM_MAX_UPLOAD_BYTES:-33554432}
export ISIM_BUILD_DIR=$build
started=0
if ! bash "$root/deploy/stack.sh" status >/dev/null 2>&1; then started=1; fi
stop() { if [[ $started == 1 ]]; then bash "$root/deploy/stack.sh" down || true; fi; }
trap stop EXIT
# Always (re)start the services so they are the binaries just built.
bash "$root/deploy/stack.sh" infra-up
bash "$root/deploy/stack.sh" services-down >/dev/null 2>&1 || true
bash "$root/deploy/stack.sh" services-up

eval "$(bash "$root/deploy/stack.sh" env)"
export ISIM_TEST_MEDIA_DIR=$build/test-media
bash "$root/tests/media/make_all.sh" "$ISIM_TEST_MEDIA_DIR"
rc=0
out=$build/test-output
mkdir -p "$out"
# ISIM_PYTEST_ARGS picks tests, e.g. "tests/integration/test_pipeline.py -k schema".
read -r -a pytest_args <<<"${ISIM_PYTEST_ARGS:-$root/tests/integration}"
(cd "$root" && "$venv/bin/pytest" -q -p no:cacheprovider -rfEs "${pytest_args[@]}") 2>&1 | tee "$out/integration.txt" \
  || rc=$?
if [[ ${ISIM_BROWSER_TESTS:-1} != 0 ]]; then
  export ISIM_BROWSER_OUT=${ISIM_BROWSER_OUT:-$build/browser}
  bash "$root/deploy/web.sh" e2e 2>&1 | tee "$out/browser.txt" || rc=$?
fi
if [[ $rc != 0 ]]; then
  for f in "$ISIM_STATE_DIR"/logs/isim-*.log; do echo "== tail $f"; tail -n 20 "$f"; done
  # Last, so that it is what a truncated log (a CI summary) still shows.
  echo "== what failed (whole output in $out, service logs in $ISIM_STATE_DIR/logs)"
  grep -hE '^(FAILED|ERROR) |^ *[0-9.]+s FAIL |^E +[A-Za-z]*(Error|Exception)' "$out"/*.txt | cut -c1-400 | tail -n 30 || true
fi
exit $rc
