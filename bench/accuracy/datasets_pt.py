"""The Portuguese sets, and the sample clips used to check language detection.

- pt-clips: the three Portuguese sample clips of the PyPI package
  pytest-audioeval 0.1.3 (MIT; how they were made is not stated, they sound
  like text-to-speech), installed by deploy/deps.sh into
  ${ISIM_DEPS_DIR}/stt-clips (services/stt/fetch_clips.py: pinned version and
  sha256). No package of the registries this project uses was found to ship
  recorded Portuguese speech with its text (docs/accuracy.md).
- en-clips: the same package's three English clips (detection only).
- synth-pt-clean, synth-pt-20dB: the answers in answers-pt/ (written for this
  benchmark, no fillers) spoken by espeak-ng's Brazilian Portuguese voices,
  clean and with seeded pink noise at 20 dB SNR: SYNTHETIC speech.
- rtf-pt: the clean synthetic answers joined, cut to at most 120 s.
"""
from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from audio import RATE, decode, join, write_wav
from datasets import Item
from synth import LEVEL_DBFS, active_rms, condition, espeak_version, mix, speak

ANSWERS_PT = Path(__file__).resolve().parent / "answers-pt"
VOICES_PT = ["pt-br", "pt-br+f3"]
SNRS_PT: list[int | None] = [None, 20]
RTF_SECONDS = 120.0


def clips(deps: Path) -> list[Item]:
    root = deps / "stt-clips"
    if not (root / "pt").is_dir():
        raise SystemExit(f"{root} holds no clips: run deploy/deps.sh")
    items = []
    for lang in ("pt", "en"):
        for wav in sorted((root / lang).glob("*.wav")):
            items.append(Item(f"{lang}-clips", wav.stem, str(wav), wav.with_suffix(".txt").read_text().strip(),
                              len(decode(wav)) / RATE))
    return items


def synthetic(cache: Path) -> list[Item]:
    """Cached in ``cache``/synth-pt; made again when a text, a voice or espeak-ng changes."""
    out = cache / "synth-pt"
    texts = {p.stem: p.read_text().strip() for p in sorted(ANSWERS_PT.glob("*.txt"))}
    key = json.dumps({"texts": texts, "voices": VOICES_PT, "snrs": SNRS_PT, "espeak": espeak_version(),
                      "level": LEVEL_DBFS, "rtf_s": RTF_SECONDS}, sort_keys=True)
    manifest = out / "manifest.json"
    if manifest.exists():
        saved = json.loads(manifest.read_text())
        if saved["key"] == key:
            return [Item(**d) for d in saved["items"]]
    items: list[Item] = []
    clean = []
    for a, (name, text) in enumerate(texts.items()):
        for v, voice in enumerate(VOICES_PT):
            x = speak(text, voice)
            x = x * (32768 * 10 ** (LEVEL_DBFS / 20)) / active_rms(x)
            clean.append(x)
            for snr in SNRS_PT:
                y = x if snr is None else mix(x, snr, seed=5000 + 1000 * a + 10 * v + snr)
                path = out / condition(snr) / f"{name}.{voice.replace('+', '_')}.wav"
                write_wav(path, y)
                items.append(Item(f"synth-pt-{condition(snr)}", f"{name}/{voice}", str(path), text, len(y) / RATE))
    x, _ = join(clean, 0.5)
    x = x[: int(RTF_SECONDS * RATE)]
    path = out / "rtf" / "answer-pt.wav"
    write_wav(path, x)
    items.append(Item("rtf-pt", "answer-pt", str(path), "", len(x) / RATE))
    out.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps({"key": key, "items": [asdict(i) for i in items]}, indent=1))
    return items


def prepare(cache: Path, deps: Path) -> list[Item]:
    return clips(deps) + synthetic(cache)
