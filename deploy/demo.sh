#!/usr/bin/env bash
# The README's walkthrough, run by `make up` once the stack answers: as the
# local admin, creates a user with its API key; as that user creates an
# interview, uploads the sample answer to the presigned URL with curl, marks
# it uploaded and prints the report's headline figures. Then makes sure the
# web app's demo people exist (a candidate and an administrator, invited and
# given the local stack's published passwords) and prints how to sign in.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
eval "$(bash "$root/deploy/stack.sh" env)"
gw=$ISIM_GATEWAY_URL
media=${ISIM_DEMO_MEDIA_DIR:-$ISIM_WORK_DIR/../demo-media}
bash "$root/tests/media/make_sample.sh" "$media"
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

# The admin key: the one the stack gives the gateway (ISIM_BOOTSTRAP_ADMIN_KEY),
# else a new admin key stored hashed in PostgreSQL, as the gateway stores keys.
admin=${ISIM_BOOTSTRAP_ADMIN_KEY:-}
if [[ -z $admin ]]; then
  admin=isim_$(openssl rand -hex 32)
  uid=$(python3 -c 'import uuid; print(uuid.uuid4())')
  psql "$ISIM_PG_DSN" -qAt -v ON_ERROR_STOP=1 -c \
    "INSERT INTO users (id, name, role) VALUES ('$uid', 'demo admin', 'admin');
     INSERT INTO api_keys (key_hash, user_id)
     VALUES ('$(printf '%s' "$admin" | sha256sum | cut -d' ' -f1)', '$uid');" >/dev/null
fi
key=$(curl -sf -X POST "$gw/v1/users" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d '{"name": "demo candidate"}' | json '["api_key"]')
auth=(-H "Authorization: Bearer $key")

# The size is signed into the upload URL: S3 stores exactly that many bytes.
size=$(stat -c %s "$media/sample.webm")
created=$(curl -sf -X POST "$gw/v1/interviews" "${auth[@]}" -H 'Content-Type: application/json' \
  -d "{\"question_id\": \"hard-problem\", \"size_bytes\": $size}")
id=$(json '["id"]' <<<"$created")
url=$(json '["upload"]["url"]' <<<"$created")
echo "demo: interview $id, uploading $media/sample.webm"
curl -sf -T "$media/sample.webm" "$url" >/dev/null
curl -sf -X POST "$gw/v1/interviews/$id/uploaded" "${auth[@]}" >/dev/null
for _ in $(seq 1 240); do
  body=$(curl -sf "$gw/v1/interviews/$id" "${auth[@]}")
  status=$(json '["status"]' <<<"$body")
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
t = r["transcript"]
print(f"demo: transcribed by {t['engine']}" + (f" ({t['model']})" if t.get("model") else "")
      + (f"; {t['note']}" if t.get("note") else ""))
print(f"demo: transcript: {t['text'][:160]}...")
PY
echo "demo: the demo user's API key: $key"
echo "demo: full report: curl -s -H 'Authorization: Bearer $key' $gw/v1/interviews/$id"

# People for the web app: invited by the admin key, password set through the
# invitation, as a person would. On later runs they exist already (409).
demo_person() { # email name role password
  local inv token
  inv=$(curl -s -X POST "$gw/v1/invitations" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d "{\"email\": \"$1\", \"name\": \"$2\", \"role\": \"$3\"}")
  token=$(json '.get("token", "")' <<<"$inv")
  if [[ -n $token ]]; then
    curl -sf -X POST "$gw/v1/invitations/$token/accept" -H 'Content-Type: application/json' \
      -d "{\"password\": \"$4\"}" >/dev/null
  elif [[ $(json '["error"]["code"]' <<<"$inv") != email_taken ]]; then
    echo "demo: cannot create $1: $inv" >&2
    return 1
  fi
}
demo_person candidate@example.com "Demo candidate" user isim-demo-password
demo_person admin@example.com "Demo administrator" admin isim-admin-password
cat <<EOT

Web app: $gw/
  sign in as candidate@example.com with password isim-demo-password (a candidate),
  or as admin@example.com with password isim-admin-password (an administrator).
  These passwords are published: this stack is for trying the project on this machine.
EOT
