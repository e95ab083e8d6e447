#!/bin/bash
# Video-metrics speed on 720p30 clips (H.264 as phones record it, VP8 WebM as
# browsers do), each against decoding the same file with the ffmpeg program
# (-f null) in the same run.
#   bench/video-metrics/run.sh [BUILD_DIR] [SECONDS] [MEDIA_DIR]
# MEDIA_DIR (default BUILD_DIR/bench-media) caches the generated clips.
# BENCH_TSV=FILE also appends the CPU ratios and speeds to FILE (bench/tsv.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
# shellcheck source=bench/tsv.sh
. "$src/bench/tsv.sh"
build=$(cd "${1:-$src/build}" && pwd)
secs=${2:-30}
media=${3:-$build/bench-media}
mkdir -p "$media"
photo=/usr/lib/python3/dist-packages/skimage/data/astronaut.png
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The driver first: a build without the stage library fails before the clips are made.
cc -O2 -I"$src/services/video-metrics" -I"$src/common" "$here/vm_bench.c" \
  "$build/libisim_video_metrics.a" "$build/libisim_common.a" \
  $(pkg-config --libs jansson libavformat libavcodec libswscale libswresample libavutil) -lm -lpthread \
  -o "$work/vm_bench"

# A face (scikit-image's astronaut photo) drifting over a moving pattern,
# 1280x720 at 30 fps, as MEDIA/vm720-SECONDSs.EXT unless already there.
make_clip() { # EXT CODEC-OPTIONS...
  local out=$media/vm720-${secs}s.$1; shift
  [[ -s $out ]] && return 0
  echo "bench: generating $out" >&2
  ffmpeg -nostdin -hide_banner -loglevel error -y \
    -f lavfi -i "testsrc2=s=1280x720:r=30:d=$secs" -loop 1 -framerate 30 -i "$photo" \
    -filter_complex "[1]crop=300:300:74:0,scale=480:480[f];[0][f]overlay=x='400+60*sin(t)':y=120:shortest=1" \
    "$@" "${out%.*}.part-$$.${out##*.}"
  mv "${out%.*}.part-$$.${out##*.}" "$out"
}
make_clip mp4 -c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p
make_clip webm -c:v libvpx -deadline realtime -cpu-used 8 -b:v 2M

# "CPU WALL" seconds of a command (CPU = user+sys, threads and children
# included), its stdout in $work/out; from getrusage (python3 rather than
# /usr/bin/time, which deploy/deps.sh does not install).
cpu() {
  python3 - "$work/out" "$@" <<'EOF'
import resource, subprocess, sys, time
with open(sys.argv[1], "wb") as out:
    t0 = time.monotonic()
    subprocess.run(sys.argv[2:], stdout=out, check=True)
    wall = time.monotonic() - t0
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{r.ru_utime + r.ru_stime:.2f} {wall:.2f}")
EOF
}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for ext in mp4 webm; do
  clip=clip.$ext file=$media/vm720-${secs}s.$ext
  read -r ff ff_wall < <(cpu ffmpeg -nostdin -hide_banner -loglevel error -i "$file" -map 0:v -f null -)
  read -r vm vm_wall < <(cpu "$work/vm_bench" "$file")
  echo
  echo "$clip: ${secs} s of 1280x720 at 30 fps ($(ffprobe -v error -select_streams v -show_entries stream=codec_name -of csv=p=0 "$file"))"
  echo "  ffmpeg decode (-f null): ${ff} s CPU, ${ff_wall} s wall"
  echo "  video-metrics stage:     ${vm} s CPU, ${vm_wall} s wall  ($(cat "$work/out"))"
  awk -v vm="$vm" -v ff="$ff" -v vw="$vm_wall" -v fw="$ff_wall" -v d="$secs" 'BEGIN {
    printf "  stage / ffmpeg decode: %.2f (CPU), %.2f (wall)\n", vm / ff, vw / fw
    printf "  stage speed: %.1fx real time in wall time, %.1fx per core-second of CPU\n", d / vw, d / vm
    printf "  ffmpeg decode speed: %.1fx (wall), %.1fx (CPU)\n", d / fw, d / ff }'
  name=$([[ $clip == *.mp4 ]] && echo "H.264" || echo "VP8 WebM")
  bench_tsv_row video-metrics "$name ${secs} s 720p30: stage CPU" "$vm" "CPU s" \
    "ffmpeg program decoding it (-f null)" "$ff" "$(bench_ratio "$vm" "$ff")" ""
  speed=$(awk -v d="$secs" -v w="$vm_wall" 'BEGIN {printf "%.1f", d / w}')
  ff_speed=$(awk -v d="$secs" -v w="$ff_wall" 'BEGIN {printf "%.1f", d / w}')
  bench_tsv_row video-metrics "$name ${secs} s 720p30: stage speed (wall)" "$speed" "x real time" \
    "ffmpeg program decoding it (-f null)" "$ff_speed" "$(bench_ratio "$ff_wall" "$vm_wall")" ">= 20x real time"
done
