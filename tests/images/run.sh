#!/usr/bin/env bash
# The images as a cluster runs them: every service of the isim image and the
# speech-to-text server of the isim-stt image, each as the image's non-root
# user (10001) with the image's own settings, against the local stack's Kafka,
# PostgreSQL, Redis and S3; the sample answer must go through to "complete",
# transcribed by the image's Whisper server, after the Helm chart's hook
# Jobs' commands (isim admin migrate, topics, bucket) ran from the image and
# with the gateway only checking the schema. Before that, the images are
# checked as files: every binary's shared libraries resolve (ldd), every data
# file the services open is there, and no compiler, headers or package lists
# were left in.
#
# Usage: tests/images/run.sh      (after deploy/images.sh build)
# podman's containers cannot be started on this kind of machine, so each
# program runs with `buildah run --isolation chroot --network host` in its
# image's file system; with docker, `docker run --network host`.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tag=${ISIM_IMAGE_TAG:-dev}
OFF=2000 # the containers' ports: the host stack's plus 2000, so they never clash
fails=0
declare -a containers=() runners=()

say() { printf '[images-test] %s\n' "$*"; }
check() { # check DESCRIPTION COMMAND...
  if "${@:2}"; then say "ok   $1"; else say "FAIL $1"; fails=$((fails + 1)); fi
}

engine=${ISIM_IMAGE_ENGINE:-}
if [[ -z $engine ]]; then
  if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then engine=docker; else engine=podman; fi
fi

# new_container IMAGE: a container (buildah) or nothing to prepare (docker).
new_container() {
  if [[ $engine == podman ]]; then
    buildah from --pull=never "$1:$tag"
  else
    echo "$1:$tag"
  fi
}

# in_image CONTAINER USER CMD...: runs CMD in the image's file system.
in_image() {
  local c=$1 user=$2
  shift 2
  if [[ $engine == podman ]]; then
    buildah run --isolation chroot --network host --user "$user" "$c" -- "$@"
  else
    docker run --rm --network host --user "$user" --entrypoint "$1" "$c" "${@:2}"
  fi
}

# start NAME CONTAINER ENV... -- CMD...: runs a service in the background.
start() {
  local name=$1 c=$2 envs=() log=$root/build/images-test/$1.log
  shift 2
  while [[ $1 != -- ]]; do envs+=(-e "$1"); shift; done
  shift
  if [[ $engine == podman ]]; then
    buildah run --isolation chroot --network host --user 10001:10001 "${envs[@]}" "$c" -- "$@" >"$log" 2>&1 &
  else
    docker run --rm --name "isim-test-$name" --network host --user 10001:10001 "${envs[@]}" --entrypoint "$1" \
      "$c" "${@:2}" >"$log" 2>&1 &
  fi
  runners+=("$!")
}

cleanup() {
  local p
  for p in "${runners[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  # chroot isolation: the programs are host processes started from the image's paths.
  pkill -TERM -f '^/usr/local/bin/isim-' 2>/dev/null || true
  pkill -TERM -f '^/opt/isim-stt/venv/bin/python -m isim_stt' 2>/dev/null || true
  sleep 2
  pkill -KILL -f '^/usr/local/bin/isim-' 2>/dev/null || true
  pkill -KILL -f '^/opt/isim-stt/venv/bin/python -m isim_stt' 2>/dev/null || true
  [[ $engine == docker ]] && docker ps -q --filter name=isim-test- | xargs -r docker rm -f >/dev/null
  for c in "${containers[@]}"; do buildah rm "$c" >/dev/null 2>&1 || true; done
  if [[ ${started_stack:-0} == 1 ]]; then bash "$root/deploy/stack.sh" down >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
mkdir -p "$root/build/images-test"

isim=$(new_container isim)
stt=$(new_container isim-stt)
[[ $engine == podman ]] && containers+=("$isim" "$stt")

# --- the images as files -------------------------------------------------------
libs_resolve() { # every binary's shared libraries are in the image
  local out
  out=$(in_image "$isim" 0:0 sh -c 'for b in /usr/local/bin/isim*; do ldd "$b"; done')
  ! grep -q 'not found' <<<"$out" || { grep 'not found' <<<"$out" | sort -u >&2; return 1; }
}
data_present() { # what the services open at start, where the image's settings point
  in_image "$isim" 10001:10001 sh -c '
    set -e
    for f in "$ISIM_MIGRATIONS_DIR/001_init.sql" "$ISIM_OPENAPI_PATH" "$ISIM_RUBRIC" "$ISIM_DATA_DIR/en/fillers.txt" \
             "$ISIM_DATA_DIR/languages.txt" "$ISIM_DATA_DIR/pt-BR/filler_rules.txt" "$ISIM_DATA_DIR/pt-BR/report.json" \
             "$ISIM_WEB_DIR/index.html" "$ISIM_MODEL_DIR/en-us/mdef" "$ISIM_MODEL_DIR/en-us.lm.bin" \
             "$ISIM_MODEL_DIR/cmudict-en-us.dict" \
             /usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml; do
      [ -r "$f" ] || { echo "missing: $f" >&2; exit 1; }
    done
    [ -w "$ISIM_WORK_DIR" ] || { echo "not writable: $ISIM_WORK_DIR" >&2; exit 1; }'
}
stt_data_present() {
  in_image "$stt" 10001:10001 sh -c '[ -r "$ISIM_STT_MODEL_DIR/model.bin" ] && [ -r "$ISIM_STT_MODEL_DIR/tokenizer.json" ]'
}
no_build_tools() { # a runtime image: no compiler, headers or package lists
  local c
  for c in "$isim" "$stt"; do
    in_image "$c" 0:0 sh -c '! command -v cc && ! command -v gcc && [ ! -d /usr/include/linux ] &&
      [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e ^lock$ -e ^partial$ || true)" ]' >/dev/null || return 1
  done
}
check "isim: the shared libraries of every binary resolve (ldd)" libs_resolve
check "isim: migrations, OpenAPI, rubric, word lists, web app, speech model and face cascades are there; the work dir is writable" data_present
check "isim-stt: the Whisper model is there" stt_data_present
check "no compiler, headers or package lists in either image" no_build_tools

# --- the images at work --------------------------------------------------------
started_stack=0
if ! bash "$root/deploy/stack.sh" status >/dev/null 2>&1; then started_stack=1; fi
bash "$root/deploy/stack.sh" infra-up >/dev/null
eval "$(bash "$root/deploy/stack.sh" env)"
gw=$((8080 + OFF)) stt_port=$((29200 + OFF))
common=(ISIM_KAFKA_BROKERS="$ISIM_KAFKA_BROKERS" ISIM_PG_DSN="$ISIM_PG_DSN" ISIM_REDIS_HOST="$ISIM_REDIS_HOST"
  ISIM_REDIS_PORT="$ISIM_REDIS_PORT" ISIM_S3_ENDPOINT="$ISIM_S3_ENDPOINT"
  ISIM_S3_PUBLIC_ENDPOINT="$ISIM_S3_PUBLIC_ENDPOINT" ISIM_S3_BUCKET="$ISIM_S3_BUCKET"
  ISIM_S3_ACCESS_KEY="$ISIM_S3_ACCESS_KEY" ISIM_S3_SECRET_KEY="$ISIM_S3_SECRET_KEY"
  ISIM_BOOTSTRAP_ADMIN_KEY="$ISIM_BOOTSTRAP_ADMIN_KEY" ISIM_WEBHOOK_ALLOW_NETS=127.0.0.1/32
  ISIM_TRANSCRIBE_URL="http://127.0.0.1:$stt_port")
# in_image_env CONTAINER ENV... -- CMD...: a one-off program as uid 10001 with these settings.
in_image_env() {
  local c=$1 envs=()
  shift
  while [[ $1 != -- ]]; do envs+=(-e "$1"); shift; done
  shift
  if [[ $engine == podman ]]; then
    buildah run --isolation chroot --network host --user 10001:10001 "${envs[@]}" "$c" -- "$@"
  else
    docker run --rm --network host --user 10001:10001 "${envs[@]}" --entrypoint "$1" "$c" "${@:2}"
  fi
}
# The Helm chart's hook Jobs: isim admin from the image, with the image's migrations.
admin_jobs() {
  local schema=images_test_$$ out n
  n=$(ls "$root"/deploy/migrations/*.sql | wc -l)
  psql "$ISIM_PG_DSN" -qAt -c "CREATE SCHEMA $schema" || return 1
  out=$(in_image_env "$isim" "${common[@]}" ISIM_LOG_LEVEL=warn "ISIM_PG_DSN=$ISIM_PG_DSN?options=-csearch_path%3D$schema" -- \
    /usr/local/bin/isim admin migrate)
  psql "$ISIM_PG_DSN" -qAt -c "DROP SCHEMA $schema CASCADE" 2>/dev/null || true
  echo "    $out"
  grep -q "^database: $n migration(s) applied" <<<"$out" || return 1
  in_image_env "$isim" "${common[@]}" -- /usr/local/bin/isim admin migrate | sed 's/^/    /' &&
    in_image_env "$isim" "${common[@]}" -- /usr/local/bin/isim admin topics | tail -n 1 | sed 's/^/    /' &&
    in_image_env "$isim" "${common[@]}" -- /usr/local/bin/isim admin bucket | sed 's/^/    /'
}
check "the hook Jobs' commands run from the image: isim admin migrate (an empty schema, then the stack's), topics, bucket" admin_jobs

start stt "$stt" ISIM_STT_PORT="$stt_port" ISIM_STT_HOST=127.0.0.1 -- /opt/isim-stt/venv/bin/python -m isim_stt
ports=("stt:$stt_port")
for s in gateway:8080 converter:9101 transcriber:9102 video-metrics:9103 text-metrics:9104 result-writer:9105; do
  name=${s%%:*} port=$((${s##*:} + OFF))
  # ISIM_MIGRATE_AT_START=0: as the chart runs them, after its migration Job.
  start "$name" "$isim" "${common[@]}" ISIM_MIGRATE_AT_START=0 ISIM_HTTP_PORT="$port" -- "/usr/local/bin/isim-$name"
  ports+=("$name:$port")
done

ready() {
  local deadline=$((SECONDS + 120)) p pending
  while :; do
    pending=()
    for p in "${ports[@]}"; do
      [[ $(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:${p##*:}/readyz" || true) == 200 ]] ||
        pending+=("${p%%:*}")
    done
    [[ ${#pending[@]} -eq 0 ]] && return 0
    if ((SECONDS >= deadline)); then
      say "not ready after 120 s: ${pending[*]}"
      for p in "${pending[@]}"; do echo "== $p"; tail -n 15 "$root/build/images-test/$p.log"; done
      return 1
    fi
    sleep 0.5
  done
}
check "every service and the speech server answer /readyz, as uid 10001 from their images" ready

through() { # the sample answer through the containers to complete, transcribed by the image's server
  local out
  out=$(ISIM_GATEWAY_URL="http://127.0.0.1:$gw" bash "$root/deploy/demo.sh" 2>&1) || { echo "$out" | tail -20; return 1; }
  echo "$out" | grep -E '^demo: (status|transcribed by|[0-9.]+ s,)' | sed 's/^/    /'
  grep -q '^demo: status complete' <<<"$out" && grep -q '^demo: transcribed by openai (whisper-base)' <<<"$out"
}
check "the sample answer goes through the containers to complete, transcribed by the image's Whisper server" through

deploy_sizes=$(bash "$root/deploy/images.sh" size) && say "sizes: $(tr '\n' ' ' <<<"$deploy_sizes")"
if [[ $fails -ne 0 ]]; then
  say "$fails check(s) failed; logs in build/images-test/"
  exit 1
fi
say "all checks passed"
