#!/usr/bin/env bash
# Every recorded answer the tests send, made once into OUT_DIR (make_sample.sh
# skips what exists): the sample (five read clips) and four answers of one
# clip each, different speech, which the fault run sends in batches and the
# integration tests use where two answers must differ (history, mock
# interviews, retakes).
#   make_all.sh OUT_DIR
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:?usage: make_all.sh OUT_DIR}
bash "$here/make_sample.sh" "$out"
bash "$here/make_sample.sh" "$out" faults-a 0880
bash "$here/make_sample.sh" "$out" faults-b 0930
bash "$here/make_sample.sh" "$out" faults-c 0890
bash "$here/make_sample.sh" "$out" faults-d 0920
