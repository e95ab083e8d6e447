#!/usr/bin/env bash
# What the pitch accuracy test (tests/unit/test_video_metrics_pitch_truth.c)
# needs besides the product's own dependencies:
#   DIR/venv      praat-parselmouth and numpy (tests/media/requirements-pitch.txt,
#                 pinned by version and sha256), the reference pitch tracker
#   DIR/asterisk  Debian's asterisk-core-sounds-en-g722 1.6.1-1 unpacked (a
#                 female speaker's studio recordings, 16 kHz G.722), the deb
#                 checked by sha256
# Called by deploy/deps.sh; idempotent.
#   pitch_deps.sh [--check] DIR
set -euo pipefail
check=0
if [[ ${1:-} == --check ]]; then check=1; shift; fi
dir=${1:?usage: pitch_deps.sh [--check] DIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
reqs=$here/requirements-pitch.txt
deb=asterisk-core-sounds-en-g722_1.6.1-1_all.deb
deb_sha=38c5261820b406dcb0ecb37675720da2b0864850690690352ca52707eb623806
log() { printf '[deps] %s\n' "$*"; }

venv_ok() {
  [[ -x $dir/venv/bin/python && -f $dir/venv/.isim-reqs \
     && $(cat "$dir/venv/.isim-reqs") == $(sha256sum "$reqs" | cut -d' ' -f1) ]]
}
clips_ok() { [[ -f $dir/asterisk/.installed ]]; }

rc=0
if venv_ok; then
  log "pitch reference: Python environment present ($dir/venv)"
elif [[ $check -eq 1 ]]; then
  log "pitch reference: Python environment missing or out of date ($dir/venv)"; rc=1
else
  log "pitch reference: creating $dir/venv (praat-parselmouth from PyPI, pinned)"
  rm -rf "$dir/venv"
  python3 -m venv "$dir/venv"
  "$dir/venv/bin/pip" install -q --disable-pip-version-check --require-hashes --only-binary :all: -r "$reqs"
  sha256sum "$reqs" | cut -d' ' -f1 >"$dir/venv/.isim-reqs"
fi
if clips_ok; then
  log "pitch reference: female voice clips present ($dir/asterisk)"
elif [[ $check -eq 1 ]]; then
  log "pitch reference: female voice clips missing ($dir/asterisk)"; rc=1
else
  log "pitch reference: $deb from Debian, checked by sha256"
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT; chmod 755 "$tmp"  # apt-get download runs as _apt
  fetch() { (cd "$tmp" && apt-get download -q "asterisk-core-sounds-en-g722=1.6.1-1" >/dev/null); }
  fetch || { apt-get update -q >/dev/null && fetch; }  # the package lists may be missing or old
  echo "$deb_sha  $tmp/$deb" | sha256sum -c --quiet - || { echo "pitch_deps: $deb has the wrong sha256" >&2; exit 1; }
  rm -rf "$dir/asterisk"
  dpkg-deb -x "$tmp/$deb" "$dir/asterisk"
  touch "$dir/asterisk/.installed"
fi
exit $rc
