#!/usr/bin/env bash
# The built programs carry the hardening CMakeLists.txt asks for: position-
# independent (ASLR), full RELRO (GOT read-only, bound at load), a
# non-executable stack, stack canaries and _FORTIFY_SOURCE's checked calls.
# Usage: tests/hardening.sh [BUILD_DIR]   (a Release or RelWithDebInfo build)
set -euo pipefail
build=${1:-build}
fails=0
for bin in "$build"/isim "$build"/isim-*; do
  [[ -x $bin && -f $bin ]] || continue
  missing=()
  readelf -h "$bin" | grep -q 'Type:.*DYN' || missing+=("PIE")
  readelf -l "$bin" | grep -q 'GNU_RELRO' || missing+=("RELRO")
  readelf -d "$bin" | grep -qE 'BIND_NOW|FLAGS_1.*NOW' || missing+=("BIND_NOW (full RELRO)")
  readelf -lW "$bin" | awk '/GNU_STACK/ { exit ($7 ~ /E/) }' || missing+=("non-executable stack")
  syms=$(nm -D "$bin")
  grep -q '__stack_chk_fail' <<<"$syms" || missing+=("stack protector")
  grep -qE '__[a-z]+_chk@' <<<"$syms" || missing+=("_FORTIFY_SOURCE")
  if [[ ${#missing[@]} -eq 0 ]]; then
    echo "hardened: $(basename "$bin")"
  else
    echo "NOT hardened: $(basename "$bin"): missing ${missing[*]}"
    fails=$((fails + 1))
  fi
done
[[ $fails == 0 ]] || { echo "$fails program(s) not hardened" >&2; exit 1; }
