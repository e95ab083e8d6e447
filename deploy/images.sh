#!/usr/bin/env bash
# Builds the container images from this tree:
#   isim:$TAG      every C service, the isim tool and the web app (docker/Dockerfile)
#   isim-stt:$TAG  the speech-to-text server with its Whisper model (docker/stt.Dockerfile)
# With docker when `docker info` answers; else with podman, isolated by chroot
# on the host's network, after making the Debian base image with mmdebstrap
# from Debian's own packages when no registry can give it.
#
# Usage: deploy/images.sh [build|base|size]
#   build  (default) both images; run `make build` first: the isim image copies web/dist
#   base   only the Debian base images (debian:bookworm and bookworm-slim)
#   size   each image's size
# Environment:
#   ISIM_IMAGE_TAG     tag of both images (default dev)
#   ISIM_IMAGE_ENGINE  docker or podman (default: docker when it answers, else podman)
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TAG=${ISIM_IMAGE_TAG:-dev}
BASE=docker.io/library/debian:bookworm

log() { printf '[images] %s\n' "$*"; }
die() { printf '[images] ERROR: %s\n' "$*" >&2; exit 1; }

engine() {
  if [[ -n ${ISIM_IMAGE_ENGINE:-} ]]; then
    echo "$ISIM_IMAGE_ENGINE"
  elif command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    echo docker
  else
    command -v podman >/dev/null 2>&1 || die "neither docker nor podman found: run deploy/deps.sh"
    echo podman
  fi
}

# podman: the base images from Debian's packages when they are not here yet.
base() {
  if podman image exists "$BASE" && podman image exists "$BASE-slim"; then
    log "base image $BASE present"
    return 0
  fi
  command -v mmdebstrap >/dev/null 2>&1 || die "mmdebstrap not found: run deploy/deps.sh"
  local tmp
  tmp=$(mktemp -d)
  log "making $BASE with mmdebstrap (minbase, from Debian's packages)"
  mmdebstrap --quiet --variant=minbase bookworm "$tmp/rootfs.tar" || { rm -rf "$tmp"; die "mmdebstrap failed"; }
  podman import --quiet "$tmp/rootfs.tar" "$BASE" >/dev/null
  # One minimal root file system serves as both bookworm and bookworm-slim.
  podman tag "$BASE" "$BASE-slim"
  rm -rf "$tmp"
}

build_one() { # build_one ENGINE DOCKERFILE NAME
  local start=$SECONDS
  log "building $3:$TAG from $2 with $1"
  if [[ $1 == podman ]]; then
    # The host's CA bundle, for a network whose proxy re-signs TLS (the stt
    # image fetches from PyPI while building); used by the build only.
    local -a ca=()
    [[ -s /etc/ssl/certs/ca-certificates.crt ]] &&
      ca=(-v /etc/ssl/certs/ca-certificates.crt:/isim-build-ca.crt:ro --build-arg BUILD_CA_BUNDLE=/isim-build-ca.crt)
    podman build --quiet --isolation=chroot --network=host --pull=never "${ca[@]}" -f "$REPO/$2" -t "$3:$TAG" "$REPO" >/dev/null
  else
    docker build --quiet -f "$REPO/$2" -t "$3:$TAG" "$REPO" >/dev/null
  fi
  log "$3:$TAG built in $((SECONDS - start)) s"
}

size() {
  local e=$1 name
  for name in isim isim-stt; do
    printf '%s:%s %s MB\n' "$name" "$TAG" \
      "$("$e" image inspect --format '{{.Size}}' "$name:$TAG" | awk '{ printf "%.0f", $1 / 1e6 }')"
  done
}

cmd=${1:-build}
e=$(engine)
case $cmd in
  base) [[ $e == podman ]] && base || log "docker pulls its base images" ;;
  build)
    [[ -f $REPO/web/dist/index.html ]] || die "web/dist is missing: run make build first (the isim image carries the web app)"
    [[ $e == podman ]] && base
    build_one "$e" docker/Dockerfile isim
    build_one "$e" docker/stt.Dockerfile isim-stt
    size "$e"
    ;;
  size) size "$e" ;;
  -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" ;;
  *) die "unknown command '$cmd' (try --help)" ;;
esac
