# Sourced by the bench scripts: their machine-readable output. When BENCH_TSV
# names a file, each figure is appended to it as one row of eight
# tab-separated columns (no header):
#   section  what  figure  unit  baseline_name  baseline  ratio  target
# ratio is figure / baseline; target is a short text ("ratio <= 1.10",
# ">= 5000 requests/s") or empty; "-" stands for a value that does not exist.
# bench/stages.sh collects these rows for `make bench`. bench/transcriber/bench.c
# and web/scripts/size.mjs write the same columns in their own language.

# bench_tsv_row SECTION WHAT FIGURE UNIT BASELINE_NAME BASELINE RATIO TARGET
# Returns 1 on a wrong call (not 8 arguments, or a tab or newline in one).
bench_tsv_row() {
  [[ -n ${BENCH_TSV:-} ]] || return 0
  if (($# != 8)); then
    echo "bench_tsv_row: 8 columns wanted, got $#" >&2
    return 1
  fi
  local col
  for col in "$@"; do
    if [[ $col == *$'\t'* || $col == *$'\n'* ]]; then
      echo "bench_tsv_row: a tab or newline in '$col'" >&2
      return 1
    fi
  done
  local IFS=$'\t'
  printf '%s\n' "$*" >>"$BENCH_TSV"
}

# bench_ratio FIGURE BASELINE: FIGURE / BASELINE with 2 decimals, "-" when
# the baseline is 0.
bench_ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "-"; else printf "%.2f\n", a / b }'
}
