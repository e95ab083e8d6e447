"""Synthetic interview answers: the fixed texts in answers/ (with "um" and
"uh" written in at known places) spoken by espeak-ng voices at 16 kHz, clean
and with seeded pink noise at 20 dB and 10 dB SNR."""
from __future__ import annotations

import json
from dataclasses import asdict
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from audio import RATE, decode, write_wav
from datasets import Item

ANSWERS = Path(__file__).resolve().parent / "answers"
VOICES = ["en-us", "en-gb", "en-gb-scotland", "en-us+f3"]
SNRS: list[int | None] = [None, 20, 10]  # None: clean
SPEED_WPM = 165
LEVEL_DBFS = -26.0  # active speech level the clean speech is scaled to


def espeak_version() -> str:
    out = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True, check=True).stdout
    return out.strip()


def speak(text: str, voice: str) -> np.ndarray:
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "x.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(SPEED_WPM), "-w", str(wav), text], check=True)
        return decode(wav)


def active_rms(x: np.ndarray) -> float:
    """RMS of the 10 ms frames within 40 dB of the loudest frame (the speech,
    not the pauses between phrases)."""
    frames = x[: len(x) // 160 * 160].reshape(-1, 160).astype(np.float64)
    rms = np.sqrt((frames ** 2).mean(axis=1))
    active = rms[rms > rms.max() * 10 ** (-40 / 20)]
    return float(np.sqrt((active ** 2).mean()))


def pink_noise(n: int, seed: int) -> np.ndarray:
    """Gaussian noise shaped to 1/f power (pink), unit RMS, from ``seed``."""
    rng = np.random.default_rng(seed)
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.fft.rfftfreq(n, 1 / RATE)
    shape = np.zeros_like(f)
    shape[f >= 20] = 1 / np.sqrt(f[f >= 20])
    x = np.fft.irfft(spec * shape, n)
    return x / np.sqrt((x ** 2).mean())


def mix(speech: np.ndarray, snr_db: float, seed: int) -> np.ndarray:
    noise = pink_noise(len(speech), seed) * active_rms(speech) / 10 ** (snr_db / 20)
    return speech + noise


def condition(snr: int | None) -> str:
    return "clean" if snr is None else f"{snr}dB"


def prepare(cache: Path) -> list[Item]:
    """The synthetic items (cached in ``cache``/synth, remade when a text,
    the voices or espeak-ng change)."""
    out = cache / "synth"
    texts = {p.stem: p.read_text().strip() for p in sorted(ANSWERS.glob("*.txt"))}
    key = json.dumps({"texts": texts, "voices": VOICES, "snrs": SNRS, "wpm": SPEED_WPM,
                      "espeak": espeak_version(), "level": LEVEL_DBFS}, sort_keys=True)
    manifest = out / "manifest.json"
    if manifest.exists():
        saved = json.loads(manifest.read_text())
        if saved["key"] == key:
            return [Item(**d) for d in saved["items"]]
    items: list[Item] = []
    for a, (name, text) in enumerate(texts.items()):
        for v, voice in enumerate(VOICES):
            x = speak(text, voice)
            x = x * (32768 * 10 ** (LEVEL_DBFS / 20)) / active_rms(x)
            for snr in SNRS:
                y = x if snr is None else mix(x, snr, seed=1000 * a + 10 * v + snr)
                cond = condition(snr)
                path = out / cond / f"{name}.{voice.replace('+', '_')}.wav"
                write_wav(path, y)
                items.append(Item(f"synth-{cond}", f"{name}/{voice}", str(path), text, len(y) / RATE))
    out.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps({"key": key, "items": [asdict(i) for i in items]}, indent=1))
    return items
