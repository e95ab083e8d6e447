"""Installs the group photograph the face tests use: python3 fetch_group_photo.py DEST_DIR

It is insightface/data/images/t1.jpg of the source archive of the PyPI package
insightface 0.7.3 (the package says MIT; the picture is a publicity still of
six people at a card table, 1280x886, kept out of the repository and used
only as test data). pip downloads the archive without installing anything and
this script checks its sha256, then writes DEST_DIR/t1.jpg and
DEST_DIR/.isim-sha256 last.
"""
from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "insightface"
VERSION = "0.7.3"
SHA256 = "f191f719612ebb37018f41936814500544cd0f86e6fcd676c023f354c668ddf7"
MEMBER = f"insightface-{VERSION}/insightface/data/images/t1.jpg"
MARKER = ".isim-sha256"


def installed(dest: str) -> bool:
    try:
        with open(os.path.join(dest, MARKER)) as f:
            return f.read().strip() == SHA256 and os.path.getsize(os.path.join(dest, "t1.jpg")) > 0
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
        # --no-binary: the source archive (the only one that ships the photo).
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check", "--no-deps",
                        "--no-binary", PACKAGE, "-d", tmp, f"{PACKAGE}=={VERSION}"], check=True)
        archive = glob.glob(os.path.join(tmp, f"{PACKAGE}-{VERSION}.tar.gz"))[0]
        got = sha256(archive)
        if got != SHA256:
            raise SystemExit(f"{PACKAGE} {VERSION}: sha256 {got}, expected {SHA256}")
        part = dest.rstrip("/") + ".part"
        shutil.rmtree(part, ignore_errors=True)
        os.makedirs(part)
        with tarfile.open(archive) as tar:
            src = tar.extractfile(MEMBER)
            if src is None:
                raise SystemExit(f"{PACKAGE} {VERSION}: {MEMBER} not in the archive")
            with open(os.path.join(part, "t1.jpg"), "wb") as out:
                out.write(src.read())
        with open(os.path.join(part, MARKER), "w") as f:
            f.write(SHA256 + "\n")
        shutil.rmtree(dest, ignore_errors=True)
        os.rename(part, dest)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    if not installed(argv[1]):
        fetch(argv[1])
    print(f"group photo of {PACKAGE} {VERSION} in {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
