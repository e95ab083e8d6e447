#!/bin/bash
# Face counting of the video-metrics stage (docs/accuracy.md, "Faces in the
# picture"): the smallest background face counted beside a main face in a
# 1280x720 frame, the group photograph, and pictures without anyone.
# Usage: bench/video-metrics/faces.sh [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
skd=/usr/lib/python3/dist-packages/skimage/data
photo=${ISIM_DEPS_DIR:-$src/.deps}/group-photo/t1.jpg
[[ -r $photo ]] || { echo "faces.sh: $photo missing: run deploy/deps.sh" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ff() { ffmpeg -nostdin -hide_banner -loglevel error -y "$@"; }
enc=(-c:v libx264 -preset ultrafast -pix_fmt yuv420p)
bg="color=c=0x6a7480:s=1280x720:r=10,noise=alls=6:allf=t"

cc -O2 -I"$src/services/video-metrics" -I"$src/common" "$here/vm_faces_count.c" \
  "$build/libisim_video_metrics.a" "$build/libisim_common.a" \
  $(pkg-config --libs jansson libavformat libavcodec libswscale libswresample libavutil) -lm -lpthread \
  -o "$work/count"

cc -O2 -I"$src/services/video-metrics" -I"$src/common" "$here/vm_lfw_recall.c" \
  "$build/libisim_video_metrics.a" "$build/libisim_common.a" -lm -o "$work/lfw"

# Held out: faces of Labeled Faces in the Wild (scikit-image's subset) at
# sizes of the 640-wide analysis picture.
echo "held out: scikit-image's lfw_subset crops scaled to S px on 640x360 grey pictures"
"$work/lfw" "$skd/lfw_subset.npy" 20 24 32 40 50

# The astronaut's face (95 px brow to chin in the 300x300 crop) 152 px tall
# on the left, and again H px tall on the right.
echo "background face of H px (1280x720 frame) beside a 152 px one: faces per second"
for h in 80 60 50 44 40 36 32 28; do
  crop=$(( (300 * h + 47) / 95 ))
  ff -f lavfi -i "$bg" -loop 1 -framerate 10 -i "$skd/astronaut.png" -filter_complex \
    "[1]crop=300:300:74:0,split[a][b];[a]scale=480:480[m];[b]scale=$crop:$crop[s];[0][m]overlay=x=150:y=140[l];[l][s]overlay=x=900:y=200:shortest=1" \
    -t 2 "${enc[@]}" "$work/small_$h.mp4"
  printf '  %3d px: ' "$h"; "$work/count" "$work/small_$h.mp4" | cut -d' ' -f2-
done

echo "group photograph (6 people): faces per second"
ff -loop 1 -framerate 10 -i "$photo" -vf format=yuv420p -t 2 "${enc[@]}" "$work/group_own.mp4"
ff -f lavfi -i "color=c=0x6a7480:s=1280x720:r=10" -loop 1 -framerate 10 -i "$photo" -filter_complex \
  "[1]scale=-2:720[p];[0][p]overlay=x=120:y=0:shortest=1" -t 2 "${enc[@]}" "$work/group_720.mp4"
printf '  own size 1280x886: '; "$work/count" "$work/group_own.mp4" | cut -d' ' -f2-
printf '  in a 1280x720 frame: '; "$work/count" "$work/group_720.mp4" | cut -d' ' -f2-

# Pictures without a person (scikit-image's data), each fitted into a 720p
# frame, and the empty scenes of the unit tests.
echo "no one in the picture: files with a face counted"
files=()
for n in brick coffee coins grass gravel hubble_deep_field ihc moon motorcycle_left rocket page text \
         clock_motion chelsea horse color retina cell microaneurysms logo phantom; do
  f=$skd/$n.png
  [[ -e $f ]] || f=$skd/$n.jpg
  ff -f lavfi -i "color=c=0x6a7480:s=1280x720:r=10" -loop 1 -framerate 10 -i "$f" -filter_complex \
    "[1]format=yuv420p,scale=1280:720:force_original_aspect_ratio=decrease[p];[0][p]overlay=x=(W-w)/2:y=(H-h)/2:shortest=1" \
    -t 1 "${enc[@]}" "$work/empty_$n.mp4"
  files+=("$work/empty_$n.mp4")
done
ff -f lavfi -i "$bg" -t 2 "${enc[@]}" "$work/empty_wall.mp4"
ff -f lavfi -i "testsrc2=s=1280x720:r=10" -t 2 "${enc[@]}" "$work/empty_pattern.mp4"
files+=("$work/empty_wall.mp4" "$work/empty_pattern.mp4")
"$work/count" "${files[@]}" | sed "s|$work/empty_||" | awk '
  { n++; split($2, f, "="); split(f[2], s, ","); m = 0; for (i in s) if (s[i] + 0 > m) m = s[i] + 0
    if (m > 0) { bad++; print "  " $1 ": " m " face(s)" } }
  END { printf "  %d of %d pictures with a face counted\n", bad, n }'
