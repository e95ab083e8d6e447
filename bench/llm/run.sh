#!/usr/bin/env bash
# Runs the result-writer's AI review code (services/result-writer/llm_review.c,
# through review_bench.c) on the written answers against llama-cpp-python's
# OpenAI-compatible server with the pinned model, once per setting below, and
# prints the table of docs/ai-review.md. Run bench/llm/setup.sh first.
#   bench/llm/run.sh [DIR] [OUT_DIR]   (DIR as for setup.sh)
# Manual and slow (minutes): never part of `make test`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dir=${1:-$HOME/.cache/isim-llm-bench}
out=${2:-$dir/out}
port=${ISIM_LLM_BENCH_PORT:-8089}
model=$dir/models/SmolLM2-135M-Instruct.Q4_1.gguf
mkdir -p "$out"

# LLM_REVIEW_SRC: another version of llm_review.c to compare (e.g. from git show).
bin=$out/review_bench
cc -std=c11 -O2 -D_GNU_SOURCE -Wall -Wextra -Werror -I"$root/services/result-writer" \
  "$here/review_bench.c" "${LLM_REVIEW_SRC:-$root/services/result-writer/llm_review.c}" \
  $(pkg-config --cflags --libs jansson libcurl) -lm -o "$bin"

# The answers: the eight of bench/accuracy/answers/ and four weaker ones here.
answers=("$root"/bench/accuracy/answers/*.txt "$here"/answers/*.txt)

# The server: 2 threads (the machine's cores), 4096 tokens of context (the
# longest request is about 1,500 tokens), the model's own chat template.
"$dir/venv/bin/python" "$here/serve.py" --model "$model" --model_alias smollm2-135m \
  --host 127.0.0.1 --port "$port" --n_ctx 4096 --n_threads 2 > "$out/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 120); do
  curl -fs "http://127.0.0.1:$port/v1/models" >/dev/null && break
  sleep 1
done
curl -fs "http://127.0.0.1:$port/v1/models" >/dev/null

# name, ISIM_LLM_TIMEOUT_S, ISIM_LLM_RETRIES: a budget long enough to see
# every reply whole, no retry (the run of docs/ai-review.md). Add the
# defaults ("t20-r1 20 1") to see what a deployment would get.
settings=(
  "t240-r0 240 0"
)
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
for s in "${settings[@]}"; do
  read -r name timeout retries <<<"$s"
  rm -f "$out/$name.jsonl"
  ISIM_LLM_URL="http://127.0.0.1:$port/v1" ISIM_LLM_MODEL=smollm2-135m \
  ISIM_LLM_TIMEOUT_S=$timeout ISIM_LLM_RETRIES=$retries \
    "$bin" "$here/questions.tsv" "$out/$name.jsonl" "${answers[@]}"
done
echo "server peak resident memory: $(awk '/VmHWM/ {print $2, $3}' "/proc/$server/status")"
python3 "$here/score.py" $(for s in "${settings[@]}"; do echo "$out/${s%% *}.jsonl"; done)
python3 "$here/score.py" --claims "$out"/t240-r0.jsonl > "$out/claims.tsv"
echo "claims shown, to judge by hand: $out/claims.tsv (supports: y or n; then score.py --judged); raw replies: raw_reply.py"
