#!/usr/bin/env bash
# Generates the test sample with known ground truth: a WebM as a browser's
# MediaRecorder makes it (VP8 video from FFmpeg's lavfi testsrc2, Opus audio)
# carrying real read speech from Debian's pocketsphinx-testdata (LibriVox
# clips with their reference transcript).
#   make_sample.sh OUT_DIR  ->  OUT_DIR/sample.webm, OUT_DIR/sample.txt,
#                               OUT_DIR/sample.wav (16 kHz mono reference audio)
#   make_sample.sh OUT_DIR NAME CLIP...  ->  OUT_DIR/NAME.{webm,txt,wav} of
#                               those clips only (ids as 0870, in that order)
set -euo pipefail
out=${1:?usage: make_sample.sh OUT_DIR [NAME CLIP...]}
name=${2:-sample}
src=/usr/share/pocketsphinx/test/data/librivox
mkdir -p "$out"
if [[ -s $out/$name.webm && -s $out/$name.txt && -s $out/$name.wav ]]; then exit 0; fi
ids=(0870 0880 0890 0920 0930)
if [[ $# -gt 2 ]]; then ids=("${@:3}"); fi
inputs=() ; labels=""
for i in "${!ids[@]}"; do
  inputs+=(-i "$src/sense_and_sensibility_01_austen_64kb-${ids[$i]}.wav")
  labels+="[$i:a]"
done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ffmpeg -nostdin -loglevel error -y "${inputs[@]}" \
  -filter_complex "${labels}concat=n=${#ids[@]}:v=0:a=1[a]" -map '[a]' -ar 16000 -ac 1 "$tmp/sample.wav"
dur=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$tmp/sample.wav")
ffmpeg -nostdin -loglevel error -y -f lavfi -i "testsrc2=size=640x360:rate=30:duration=$dur" \
  -i "$tmp/sample.wav" -c:v libvpx -b:v 600k -deadline realtime -cpu-used 8 \
  -c:a libopus -b:a 48k -shortest "$tmp/sample.webm"
for id in "${ids[@]}"; do
  grep "($(basename "$src")/\?sense_and_sensibility_01_austen_64kb-$id)\|austen_64kb-$id)" "$src/transcription" \
    | sed -e 's/<s>//; s/<\/s>.*//; s/^ *//; s/ *$//'
done | tr '\n' ' ' | sed 's/ *$//' > "$tmp/sample.txt"
for ext in wav webm txt; do mv "$tmp/sample.$ext" "$out/$name.$ext"; done
