#!/bin/bash
# Video-metrics speed on a 720p30 clip, against decoding the same file with the
# ffmpeg program (-f null) in the same run. CPU time (user+sys), since the
# machine is shared. Usage: bench/video-metrics/run.sh [BUILD_DIR] [SECONDS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
secs=${2:-30}
photo=/usr/lib/python3/dist-packages/skimage/data/astronaut.png
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A face (scikit-image's astronaut photo) drifting over a moving pattern, 720p30 H.264.
ffmpeg -nostdin -hide_banner -loglevel error -y \
  -f lavfi -i "testsrc2=s=1280x720:r=30:d=$secs" -loop 1 -framerate 30 -i "$photo" \
  -filter_complex "[1]crop=300:300:74:0,scale=480:480[f];[0][f]overlay=x='400+60*sin(t)':y=120:shortest=1" \
  -c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p "$work/clip.mp4"

cc -O2 -I"$src/services/video-metrics" -I"$src/common" "$here/vm_bench.c" \
  "$build/libisim_video_metrics.a" "$build/libisim_common.a" \
  $(pkg-config --libs jansson libavformat libavcodec libswscale libswresample libavutil) -lm -o "$work/vm_bench"

cpu() { # "CPU WALL" seconds of a command (CPU = user+sys)
  /usr/bin/time -f "%U %S %e" -o "$work/t" "$@" > "$work/out"
  awk '{print $1+$2, $3}' "$work/t"
}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
read -r ff ff_wall < <(cpu ffmpeg -nostdin -hide_banner -loglevel error -i "$work/clip.mp4" -map 0:v -f null -)
read -r vm vm_wall < <(cpu "$work/vm_bench" "$work/clip.mp4")
cp "$work/out" "$work/vm.out"
echo "clip: ${secs} s of 1280x720 at 30 fps"
echo "ffmpeg decode (-f null): ${ff} s CPU, ${ff_wall} s wall"
echo "video-metrics stage:     ${vm} s CPU, ${vm_wall} s wall  ($(cat "$work/vm.out"))"
awk -v vm="$vm" -v ff="$ff" -v vw="$vm_wall" -v fw="$ff_wall" -v d="$secs" 'BEGIN {
  printf "stage / ffmpeg decode (CPU): %.2f\n", vm / ff
  printf "stage speed: %.1fx real time per core-second of CPU, %.1fx in wall time\n", d / vm, d / vw
  printf "ffmpeg decode speed: %.1fx (CPU), %.1fx (wall)\n", d / ff, d / fw }'
