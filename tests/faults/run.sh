#!/usr/bin/env bash
# Fault injection over the real stack (tests/faults/faults.py): a stack of its
# own is started fresh, a baseline batch is processed undisturbed, then for
# each scenario a batch goes through while one part is killed, restarted,
# cut off, frozen or starved of disk, and every interview must still end
# complete exactly once with the baseline's results.
#   tests/faults/run.sh [BUILD_DIR] [short|full|SCENARIO,...] [BATCH]
# short (make test): kill -9 of the transcriber, a Kafka restart, a 30 s S3
# outage (about 4.5 min). full (make test-faults): every scenario.
# The table goes to BUILD_DIR/faults/faults-<short|full|custom>.txt (.json:
# details). Environment: ISIM_FAULTS_STATE_DIR (default <repo>/.state-faults)
# and ISIM_FAULTS_PORT_OFFSET (default 400): the stack's parts are killed, so
# it is never one someone else uses; ISIM_FAULTS_BOUND_S: seconds after a
# fault within which the batch must be done (default 180);
# ISIM_FAULTS_KEEP=1 leaves the stack up afterwards.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
scenarios=${2:-short}
batch=${3:-20}
venv=${ISIM_TEST_VENV:-$root/.deps/test-venv}

if [[ ! -x $venv/bin/python ]] || ! "$venv/bin/python" -c 'import confluent_kafka, pytest' 2>/dev/null; then
  echo "faults: creating the test virtualenv in $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$root/tests/integration/requirements.txt"
fi

export ISIM_STATE_DIR=${ISIM_FAULTS_STATE_DIR:-$root/.state-faults}
export ISIM_PORT_OFFSET=${ISIM_FAULTS_PORT_OFFSET:-400}
export ISIM_BUILD_DIR=$build
stack() { bash "$root/deploy/stack.sh" "$@"; }
stop() { if [[ ${ISIM_FAULTS_KEEP:-0} != 1 ]]; then stack down || true; fi; }
trap stop EXIT
# Fresh: no topic, row or object of an earlier run.
stack down --wipe
# The services start in the state dir with core dumps on, so that a worker
# that crashes while others are being faulted leaves evidence there.
mkdir -p "$ISIM_STATE_DIR"
cd "$ISIM_STATE_DIR"
ulimit -c unlimited 2>/dev/null || true
stack up
eval "$(stack env)"

media=$build/test-media
# The variants faults.py sends (VARIANTS there, faults-a..d): short clips, so
# that a batch of 20 takes about half a minute on two cores.
bash "$root/tests/media/make_all.sh" "$media"

rc=0
"$venv/bin/python" "$root/tests/faults/faults.py" --scenarios "$scenarios" --batch "$batch" \
  --bound "${ISIM_FAULTS_BOUND_S:-180}" --media "$media" --out "$build/faults" || rc=$?
if [[ $rc != 0 ]]; then
  for f in "$ISIM_STATE_DIR"/logs/isim-*.log; do echo "== tail $f"; tail -n 15 "$f"; done
  for f in "$ISIM_STATE_DIR"/core*; do
    [[ -f $f ]] && echo "== core dump $f: $(file -b "$f" 2>/dev/null)"
  done
  echo "== fault injection failed: the table is in $build/faults, the logs in $ISIM_STATE_DIR/logs"
fi
exit $rc
