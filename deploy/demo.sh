#!/usr/bin/env bash
# The README's walkthrough, run by `make up` once the stack answers: creates an
# interview, uploads the sample answer to the presigned URL with curl, marks
# it uploaded and prints the report's headline figures.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
eval "$(bash "$root/deploy/stack.sh" env)"
gw=$ISIM_GATEWAY_URL
media=${ISIM_DEMO_MEDIA_DIR:-$ISIM_WORK_DIR/../demo-media}
bash "$root/tests/media/make_sample.sh" "$media"

created=$(curl -sf -X POST "$gw/v1/interviews" -H 'Content-Type: application/json' \
  -d '{"question": "Tell me about a time you solved a hard problem."}')
id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' <<<"$created")
url=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["upload"]["url"])' <<<"$created")
echo "demo: interview $id, uploading $media/sample.webm"
curl -sf -T "$media/sample.webm" "$url" >/dev/null
curl -sf -X POST "$gw/v1/interviews/$id/uploaded" >/dev/null
for _ in $(seq 1 240); do
  body=$(curl -sf "$gw/v1/interviews/$id")
  status=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])' <<<"$body")
  [[ $status == complete || $status == failed ]] && break
  sleep 1
done
python3 - "$body" <<'PY'
import json, sys
i = json.loads(sys.argv[1])
print(f"demo: status {i['status']}")
if i["status"] != "complete":
    print(f"demo: reason: {i.get('failure_reason')}")
    sys.exit(1)
r = i["report"]
d = r["delivery"]
print(f"demo: {r['duration_s']:.1f} s, {d['word_count']} words, {d['wpm']:.0f} words per minute, "
      f"{d['filler_count']} filler words, {len(r['on_camera']['seconds'])} seconds of video metrics")
print(f"demo: transcript: {r['transcript']['text'][:160]}...")
PY
echo "demo: full report: curl -s $gw/v1/interviews/$id"
