#!/usr/bin/env bash
# The converter stage against the ffmpeg program doing the same job with the
# same settings, on the same inputs, in the same run; CPU time (user + sys,
# threads included) of each, and their ratio. Also the remux path against the
# transcode path, and (--memory) the peak RSS of a whole conversion of a
# 10-minute 1080p recording.
#
#   bench/converter/bench.sh [--memory] [BUILD_DIR] [MEDIA_DIR]
#
# BUILD_DIR (default build) holds libisim_converter.a and libisim_common.a;
# MEDIA_DIR (default BUILD_DIR/bench-media) caches the generated inputs.
# BENCH_REPS (default 3) runs per job; the median counts. With --memory,
# BENCH_MEMORY_FFMPEG=1 also measures the ffmpeg program on the same transcode.
# BENCH_TSV=FILE also appends the three ratios to FILE (bench/tsv.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=bench/tsv.sh
. "$root/bench/tsv.sh"
memory=0
if [[ ${1:-} == --memory ]]; then memory=1; shift; fi
build=$(cd "${1:-$root/build}" && pwd)
media=${2:-$build/bench-media}
reps=${BENCH_REPS:-3}
mkdir -p "$media"
work=$(mktemp -d /tmp/isim-conv-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT

ff=(ffmpeg -nostdin -loglevel error -y)
threads() { awk -v n="$1" '$1 == "#define" && $2 == n {print $3}' "$root/services/converter/convert_internal.h"; }
dec_threads=$(threads CONV_DECODE_THREADS)
enc_threads=$(threads CONV_ENCODE_THREADS)
driver=$work/conv_bench
# shellcheck disable=SC2046
cc -O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -I "$root/services/converter" -I "$root/common" \
   "$root/bench/converter/conv_bench.c" "$build/libisim_converter.a" "$build/libisim_common.a" \
   $(pkg-config --cflags --libs jansson libavformat libavcodec libavfilter libswscale libswresample libavutil) \
   -lm -o "$driver"

# make NAME ARGS...: generates MEDIA/NAME with the ffmpeg program unless cached.
make_input() {
  local name=$1; shift
  if [[ ! -s $media/$name ]]; then
    echo "bench: generating $name" >&2
    "${ff[@]}" "$@" "$media/part-$$-$name"
    mv "$media/part-$$-$name" "$media/$name"
  fi
  echo "$media/$name"
}

# cpu CMD...: prints "cpu_seconds max_rss_kb" of CMD and its children, from
# getrusage (python3 rather than /usr/bin/time, which deps.sh does not install).
cpu() {
  python3 - "$@" >"$work/time" 2>"$work/stderr" <<'EOF' || { echo "bench: failed: $*" >&2; cat "$work/stderr" >&2; exit 1; }
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{r.ru_utime + r.ru_stime:.3f} {r.ru_maxrss}")
EOF
  cat "$work/time"
}

# median NAME CMD...: runs CMD BENCH_REPS times, prints the median CPU seconds.
median() {
  shift
  local runs=()
  for ((i = 0; i < reps; i++)); do
    t=$(cpu "$@")
    runs+=("${t%% *}")
  done
  printf '%s\n' "${runs[@]}" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

if [[ $memory == 1 ]]; then
  # A phone's 10-minute 1080p answer, transcoded to 720p: the heaviest path.
  long=$(make_input long1080.mp4 -f lavfi -i testsrc2=size=1920x1080:rate=30:duration=600 \
         -f lavfi -i sine=frequency=440:duration=600 -c:v libx264 -preset ultrafast -pix_fmt yuv420p \
         -c:a aac -b:a 128k)
  # The whole stage: this input already plays, so audio.wav, a remux and a poster.
  t=$(cpu "$driver" run "$long" "$work/run-out" 720)
  read -r r_cpu r_rss <<<"$t"
  rm -rf "$work/run-out"
  # The transcode path on the same input (what a rotated or HEVC phone video takes).
  t=$(cpu "$driver" transcode "$long" "$work/c.mp4" 720)
  read -r c_cpu c_rss <<<"$t"
  rm -f "$work/c.mp4"
  mb() { awk -v k="$1" 'BEGIN {printf "%6.1f", k / 1024}'; }
  printf 'peak RSS on a 10 min 1080p30 H.264/AAC MP4 (%s MB):\n' "$(($(stat -c %s "$long") / 1000000))"
  printf '  whole stage (audio.wav + remux + poster) %s MB  (%.0f s CPU)\n' "$(mb "$r_rss")" "$r_cpu"
  printf '  transcode to 720p H.264/AAC              %s MB  (%.0f s CPU)\n' "$(mb "$c_rss")" "$c_cpu"
  # The ffmpeg program's figure for the same transcode, on request: it doubles the run time.
  if [[ ${BENCH_MEMORY_FFMPEG:-0} == 1 ]]; then
    t=$(cpu "${ff[@]}" -threads "$dec_threads" -i "$long" -map 0:v:0 -map 0:a:0 -vf scale=-2:720 -c:v libx264 \
            -threads "$enc_threads" -preset veryfast -crf 23 -pix_fmt yuv420p -c:a aac -b:a 128k \
            -movflags +faststart "$work/ff.mp4")
    read -r f_cpu f_rss <<<"$t"
    rm -f "$work/ff.mp4"
    printf '  the ffmpeg program, same transcode       %s MB  (%.0f s CPU)\n' "$(mb "$f_rss")" "$f_cpu"
  fi
  if ((r_rss < 200 * 1024 && c_rss < 200 * 1024)); then
    echo "  within the 200 MB bound"
  else
    echo "  OVER the 200 MB bound"; exit 1
  fi
  exit 0
fi

# A Chrome-like answer: 20 s of 720p VP8 with stereo Opus.
rec=$(make_input chrome720-20s.webm -f lavfi -i testsrc2=size=1280x720:rate=30:duration=20 \
      -f lavfi -i "sine=frequency=440:duration=20" -ac 2 -c:v libvpx -deadline realtime -cpu-used 8 \
      -b:v 1500k -c:a libopus -b:a 96k)
# A longer one for the light jobs, so they measure work rather than start-up: 3 min of 360p.
long=$(make_input chrome360-180s.webm -f lavfi -i testsrc2=size=640x360:rate=30:duration=180 \
       -f lavfi -i "sine=frequency=440:duration=180" -ac 2 -c:v libvpx -deadline realtime -cpu-used 8 \
       -b:v 600k -c:a libopus -b:a 96k)
load=$(cut -d' ' -f1-3 /proc/loadavg)

# The same settings as conv_transcode: libx264 veryfast crf 23 yuv420p, AAC
# 128k stereo, +faststart, the converter's thread counts; the picture is
# already 720p, so no scaling.
t_conv=$(median transcode "$driver" transcode "$rec" "$work/c.mp4" 720)
t_ff=$(median transcode "${ff[@]}" -threads "$dec_threads" -i "$rec" -map 0:v:0 -map 0:a:0 -c:v libx264 \
       -threads "$enc_threads" -preset veryfast -crf 23 -pix_fmt yuv420p -c:a aac -b:a 128k -movflags +faststart \
       "$work/f.mp4")
a_conv=$(median audio "$driver" audio "$long" "$work/c.wav")
a_ff=$(median audio "${ff[@]}" -threads "$dec_threads" -i "$long" -map 0:a:0 -ac 1 -ar 16000 -c:a pcm_s16le \
       "$work/f.wav")
r_conv=$(median remux "$driver" remux "$long" "$work/c.webm" webm)
r_ff=$(median remux "${ff[@]}" -i "$long" -map 0:v:0 -map 0:a:0 -c copy "$work/f.webm")
r_short=$(median remux "$driver" remux "$rec" "$work/c.webm" webm)

printf 'converter vs ffmpeg %s, same inputs, CPU s (user+sys), median of %d\n' \
  "$(ffmpeg -version | head -n 1 | cut -d' ' -f3)" "$reps"
printf '  %-58s %8s %8s %7s\n' job converter ffmpeg ratio
printf '  %-58s %8.2f %8.2f %7s\n' "transcode 20 s 720p VP8/Opus to H.264 veryfast crf23+AAC" "$t_conv" "$t_ff" \
  "$(ratio "$t_conv" "$t_ff")"
printf '  %-58s %8.2f %8.2f %7s\n' "audio of 3 min 360p WebM to 16 kHz mono s16 WAV" "$a_conv" "$a_ff" \
  "$(ratio "$a_conv" "$a_ff")"
printf '  %-58s %8.2f %8.2f %7s\n' "remux 3 min 360p WebM (stream copy)" "$r_conv" "$r_ff" "$(ratio "$r_conv" "$r_ff")"
printf '  target: ratio <= 1.10\n'
ffmpeg_name="ffmpeg $(ffmpeg -version | head -n 1 | cut -d' ' -f3) program, same job"
tsv_job() { # WHAT CONVERTER FFMPEG
  bench_tsv_row converter "$1" "$(printf '%.2f' "$2")" "CPU s (median of $reps)" "$ffmpeg_name" \
    "$(printf '%.2f' "$3")" "$(bench_ratio "$2" "$3")" "ratio <= 1.10"
}
tsv_job "transcode 20 s 720p VP8/Opus to H.264 veryfast crf23+AAC" "$t_conv" "$t_ff"
tsv_job "audio of 3 min 360p WebM to 16 kHz mono s16 WAV" "$a_conv" "$a_ff"
tsv_job "remux 3 min 360p WebM (stream copy)" "$r_conv" "$r_ff"
printf 'remux path vs transcode path (converter, same 20 s 720p input): %.2f s vs %.2f s CPU: %s\n' \
  "$r_short" "$t_conv" "$(awk -v a="$r_short" -v b="$t_conv" 'BEGIN {printf "%.1f %%", 100 * a / b}')"
printf 'load average at start: %s (2 cores shared; CPU time is less sensitive to it than wall time)\n' "$load"
