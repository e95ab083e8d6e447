#!/usr/bin/env bash
# Fake camera and microphone for the browser test (Chromium's
# --use-file-for-fake-video-capture / --use-file-for-fake-audio-capture):
#   OUT_DIR/face.y4m    640x360, 15 fps, 4:2:0, 26 s: a real face photograph
#                       (scikit-image's astronaut) on a grey background, centred,
#                       then sliding to the right (8-14 s) and back
#   OUT_DIR/speech.wav  48 kHz 16-bit mono: real read speech (LibriVox clips
#                       from pocketsphinx-testdata, via tests/media/make_sample.sh)
#   OUT_DIR/sample.txt  the speech's reference text
#   OUT_DIR/speech-pt.wav  48 kHz 16-bit mono: a spoken answer in Brazilian
#                       Portuguese (espeak-ng's pt-br voice, about 60 words with
#                       the fillers "né", "tipo" and "então" set off by pauses)
#   OUT_DIR/speech-pt.txt  its text
# Cached: makes only the files that are missing.
set -euo pipefail
out=${1:?usage: make_media.sh OUT_DIR}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
photo=${ISIM_FACE_PHOTO:-/usr/lib/python3/dist-packages/skimage/data/astronaut.png}
mkdir -p "$out"

# The Portuguese answer (SSML: the breaks make "tipo" and "né" fillers, not words of a sentence).
if [[ ! -s $out/speech-pt.wav || ! -s $out/speech-pt.txt ]]; then
  command -v espeak-ng >/dev/null || { echo "make_media: no espeak-ng (deploy/deps.sh installs it)" >&2; exit 1; }
  ssml='<speak>Então, no meu último emprego, eu liderei a migração do sistema de pagamentos, né.
<break time="600ms"/> Tipo, <break time="600ms"/> o prazo era bem curto e a equipe era pequena.
Então eu dividi o trabalho em etapas semanais, conversei com cada pessoa do time e,
<break time="600ms"/> tipo, <break time="600ms"/> priorizei o que tinha mais risco.
No fim, a gente entregou duas semanas antes do prazo, né, e os erros caíram pela metade.
<break time="1500ms"/></speak>'
  printf '%s\n' "$ssml" | sed -e 's/<[^>]*>//g' | tr -s ' \n' ' ' | sed -e 's/^ //; s/ $//' >"$out/speech-pt.txt.tmp"
  espeak-ng -v pt-br -s 150 -m -w "$out/speech-pt.espeak.wav" "$ssml"
  ffmpeg -nostdin -loglevel error -y -i "$out/speech-pt.espeak.wav" -ar 48000 -ac 1 -c:a pcm_s16le "$out/speech-pt.tmp.wav"
  rm -f "$out/speech-pt.espeak.wav"
  mv "$out/speech-pt.tmp.wav" "$out/speech-pt.wav"
  mv "$out/speech-pt.txt.tmp" "$out/speech-pt.txt"
fi

if [[ -s $out/face.y4m && -s $out/speech.wav && -s $out/sample.txt ]]; then exit 0; fi
[[ -r $photo ]] || { echo "make_media: no face photograph at $photo (apt-get install python3-skimage)" >&2; exit 1; }

bash "$repo/tests/media/make_sample.sh" "$out/sample"
cp "$out/sample/sample.txt" "$out/sample.txt"
ffmpeg -nostdin -loglevel error -y -i "$out/sample/sample.wav" -ar 48000 -ac 1 -c:a pcm_s16le "$out/speech.wav.tmp.wav"
mv "$out/speech.wav.tmp.wav" "$out/speech.wav"

# x of the 300x300 photo: centred (170), slides right by up to 120 px between
# 8 and 14 s, then back; a small vertical sway all along.
ffmpeg -nostdin -loglevel error -y \
  -f lavfi -i "color=c=0x808080:size=640x360:rate=15:duration=26" \
  -loop 1 -framerate 15 -i "$photo" \
  -filter_complex "[1:v]scale=300:300,setsar=1[face];[0:v][face]overlay=x='170+if(between(t,8,14),120*sin(PI*(t-8)/6),0)':y='30+6*sin(2*PI*t/5)':shortest=1,format=yuv420p[v]" \
  -map '[v]' -t 26 -f yuv4mpegpipe "$out/face.y4m.tmp"
mv "$out/face.y4m.tmp" "$out/face.y4m"
