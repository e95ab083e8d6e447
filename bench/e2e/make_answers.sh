#!/usr/bin/env bash
# The answers `make bench` sends through the stack, as a browser's
# MediaRecorder makes them (VP8 + Opus WebM, 30 fps): a face (scikit-image's
# astronaut photo, from Debian's python3-skimage) drifting over a moving test
# pattern (30 s of it, repeated), with real read speech from Debian's pocketsphinx-testdata (the five
# LibriVox clips, 24.7 s, repeated to the length). Cached: a file already
# there is kept.
#   bench/e2e/make_answers.sh OUT_DIR NAME SECONDS WIDTHxHEIGHT
set -euo pipefail
out=${1:?usage: make_answers.sh OUT_DIR NAME SECONDS WIDTHxHEIGHT}
name=${2:?name}
secs=${3:?seconds}
size=${4:?WIDTHxHEIGHT}
photo=/usr/lib/python3/dist-packages/skimage/data/astronaut.png
clips=/usr/share/pocketsphinx/test/data/librivox
mkdir -p "$out"
[[ -s $out/$name.webm ]] && exit 0
h=${size#*x}
face=$((h * 2 / 3)) # the face's square, two thirds of the picture's height
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
inputs=() labels=""
for i in 0870 0880 0890 0920 0930; do
  labels+="[$((${#inputs[@]} / 2)):a]"
  inputs+=(-i "$clips/sense_and_sensibility_01_austen_64kb-$i.wav")
done
ffmpeg -nostdin -loglevel error -y "${inputs[@]}" \
  -filter_complex "${labels}concat=n=5:v=0:a=1[a]" -map '[a]' -ar 48000 -ac 1 "$tmp/speech.wav"
# About a browser's bitrates: 2 Mb/s at 720p, 4 at 1080p.
rate=$((h >= 1000 ? 4 : h >= 700 ? 2 : 1))M
# 30 s of picture encoded once, then repeated by stream copy: a 10-minute
# answer is made in seconds instead of many minutes of VP8 encoding.
seg=$((secs < 30 ? secs : 30))
ffmpeg -nostdin -loglevel error -y \
  -f lavfi -i "testsrc2=s=$size:r=30:d=$seg" -loop 1 -framerate 30 -i "$photo" \
  -filter_complex "[1]crop=300:300:74:0,scale=$face:$face[f];[0][f]overlay=x='(W-w)/2+W/20*sin(t*2*PI/$seg)':y='(H-h)/3':shortest=1[v]" \
  -map '[v]' -c:v libvpx -deadline realtime -cpu-used 8 -threads 2 -b:v "$rate" "$tmp/picture.webm"
ffmpeg -nostdin -loglevel error -y -stream_loop -1 -i "$tmp/picture.webm" -stream_loop -1 -i "$tmp/speech.wav" \
  -map 0:v -map 1:a -t "$secs" -c:v copy -c:a libopus -b:a 64k "$tmp/$name.webm"
mv "$tmp/$name.webm" "$out/$name.webm"
