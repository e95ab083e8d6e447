#!/usr/bin/env bash
# bench/gateway: wrk drives GET /v1/interviews/{id} on loopback against the
# running stack's gateway (authentication, rate limit in Redis, the database
# query, presigned URLs), then the same load against a trivial civetweb
# handler built here (the ceiling), in the same run. Prints requests/s and
# p99 latency of both and their ratio; then the gateway's p99 when paced to
# the target rate (each connection waits between requests) rather than
# saturated, next to the ceiling paced the same way.
#   ISIM_BENCH_DURATION (s, default 10), ISIM_BENCH_CONNECTIONS (default 32),
#   ISIM_BENCH_THREADS (wrk threads, default 2), ISIM_BENCH_RATE (paced run,
#   requests/s, default 5000); BENCH_TSV=FILE also appends the figures to
#   FILE (bench/tsv.sh). Needs: deploy/stack.sh up, wrk.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=bench/tsv.sh
. "$root/bench/tsv.sh"
eval "$(bash "$root/deploy/stack.sh" env)"
gw=$ISIM_GATEWAY_URL
duration=${ISIM_BENCH_DURATION:-10}
conns=${ISIM_BENCH_CONNECTIONS:-32}
threads=${ISIM_BENCH_THREADS:-2}
rate=${ISIM_BENCH_RATE:-5000}
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
work=$(mktemp -d)
ceiling_pid=
cleanup() { [[ -n $ceiling_pid ]] && kill "$ceiling_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# An admin: the bootstrap key when the stack has one, else a key written into
# PostgreSQL hashed, as the gateway stores keys.
admin=${ISIM_BOOTSTRAP_ADMIN_KEY:-}
if [[ -z $admin ]]; then
  admin=isim_$(openssl rand -hex 32)
  hash=$(printf '%s' "$admin" | sha256sum | cut -d' ' -f1)
  uid=$(python3 -c 'import uuid; print(uuid.uuid4())')
  psql "$ISIM_PG_DSN" -qAt -v ON_ERROR_STOP=1 -c \
    "INSERT INTO users (id, name, role, rate_limit_per_min) VALUES ('$uid', 'bench admin', 'admin', 0);
     INSERT INTO api_keys (key_hash, user_id) VALUES ('$hash', '$uid');" >/dev/null
fi
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
# A user whose limit is high enough never to trip, so each request still
# counts itself in Redis as a real one does.
key=$(curl -sf -X POST "$gw/v1/users" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d '{"name": "bench", "rate_limit_per_min": 1000000}' | json '["api_key"]')
id=$(curl -sf -X POST "$gw/v1/interviews" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
  -d '{"question_id": "hard-problem"}' | json '["id"]')
curl -sf "$gw/v1/interviews/$id" -H "Authorization: Bearer $key" >/dev/null

cc -O2 -o "$work/ceiling" "$root/bench/gateway/ceiling.c" -lcivetweb
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$work/ceiling" "127.0.0.1:$port" & ceiling_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/v1/x" >/dev/null && break; sleep 0.1; done

# wrk --latency prints "99%  <value><unit>"; normalised to ms.
run() {
  local out
  out=$(wrk -t"$threads" -c"$conns" -d"${duration}s" --latency "$@")
  echo "$out" >>"$work/wrk.log"
  local rps p99 errors
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; print v}' <<<"$out")
  errors=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out")
  echo "$rps $p99 ${errors:-0}"
}
echo "bench: loadavg before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; wrk -t$threads -c$conns -d${duration}s"
read -r g_rps g_p99 g_err < <(run -H "Authorization: Bearer $key" "$gw/v1/interviews/$id")
read -r c_rps c_p99 c_err < <(run "http://127.0.0.1:$port/v1/interviews/$id")
# Paced: each connection waits between its requests (wrk's delay(), which
# latency does not include), less about 1 ms for the request itself.
pause=$(python3 -c "print(max(0, round($conns * 1000 / $rate - 1)))")
printf 'function delay()\n  return %s\nend\n' "$pause" >"$work/pace.lua"
read -r p_rps p_p99 p_err < <(run -s "$work/pace.lua" -H "Authorization: Bearer $key" "$gw/v1/interviews/$id")
read -r q_rps q_p99 q_err < <(run -s "$work/pace.lua" "http://127.0.0.1:$port/v1/interviews/$id")
echo "bench: loadavg after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-40s %12s %10s %8s\n' "" "requests/s" "p99 ms" "non-2xx"
printf '%-40s %12.0f %10.2f %8s\n' "gateway GET /v1/interviews/{id}" "$g_rps" "$g_p99" "$g_err"
printf '%-40s %12.0f %10.2f %8s\n' "ceiling: trivial civetweb handler" "$c_rps" "$c_p99" "$c_err"
printf '%-40s %12.0f %10.2f %8s\n' "gateway paced to ~$rate req/s" "$p_rps" "$p_p99" "$p_err"
printf '%-40s %12.0f %10.2f %8s\n' "ceiling paced to ~$rate req/s" "$q_rps" "$q_p99" "$q_err"
python3 - "$g_rps" "$c_rps" "$g_p99" "$p_p99" <<'PY'
import sys
g, c, p99, paced = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
print(f"gateway/ceiling: {g / c:.2f} of the ceiling's requests/s")
print(f"target (5000 req/s, p99 < 20 ms): {'met' if g >= 5000 and paced < 20 else 'NOT met'}"
      f" (p99 {paced:.1f} ms paced, {p99:.1f} ms saturated)")
PY
# BENCH_TSV rows; a run with answers other than 2xx says how many.
ms() { printf '%.2f' "$1"; }
n() { printf '%.0f' "$1"; }
non2xx() { [[ $1 == 0 ]] || printf ' (%s non-2xx)' "$1"; }
what="GET /v1/interviews/{id}, $conns connections"
ceiling="trivial civetweb handler, same load"
bench_tsv_row gateway "$what, saturated$(non2xx "$g_err")" "$(n "$g_rps")" requests/s \
  "$ceiling$(non2xx "$c_err")" "$(n "$c_rps")" "$(bench_ratio "$g_rps" "$c_rps")" ">= 5000 requests/s"
bench_tsv_row gateway "$what, saturated: p99$(non2xx "$g_err")" "$(ms "$g_p99")" ms \
  "$ceiling$(non2xx "$c_err")" "$(ms "$c_p99")" "$(bench_ratio "$g_p99" "$c_p99")" ""
bench_tsv_row gateway "$what, paced to ~$rate req/s ($(n "$p_rps") achieved): p99$(non2xx "$p_err")" \
  "$(ms "$p_p99")" ms "$ceiling, paced ($(n "$q_rps") achieved)$(non2xx "$q_err")" "$(ms "$q_p99")" \
  "$(bench_ratio "$p_p99" "$q_p99")" "< 20 ms"
