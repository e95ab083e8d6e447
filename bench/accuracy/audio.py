"""Audio helpers: decode with FFmpeg to 16 kHz mono, write WAV, find where
speech is."""
from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import numpy as np

RATE = 16000


def decode(path: Path, fmt: str | None = None) -> np.ndarray:
    """The file as 16 kHz mono float32 samples in int16 units (FFmpeg decodes it;
    ``fmt`` forces a demuxer, e.g. "g722" for raw G.722)."""
    cmd = ["ffmpeg", "-nostdin", "-v", "error"]
    if fmt:
        cmd += ["-f", fmt]
    cmd += ["-i", str(path), "-ac", "1", "-ar", str(RATE), "-f", "s16le", "-"]
    raw = subprocess.run(cmd, check=True, capture_output=True).stdout
    return np.frombuffer(raw, dtype="<i2").astype(np.float32)


def write_wav(path: Path, x: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pcm = np.clip(np.round(x), -32768, 32767).astype("<i2")
    tmp = path.with_suffix(".tmp")
    with wave.open(str(tmp), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())
    tmp.replace(path)


def speech_span(x: np.ndarray) -> tuple[float, float]:
    """First and last 10 ms frame above -40 dBFS, in seconds: where speech is
    (the truth of services/stt/tests/test_contract.py and
    tests/unit/test_transcriber_chunks.c)."""
    frames = x[: len(x) // 160 * 160].reshape(-1, 160).astype(np.float64)
    loud = np.nonzero(np.sqrt((frames ** 2).mean(axis=1)) > 32768 * 10 ** (-40 / 20))[0]
    if len(loud) == 0:
        return 0.0, 0.0
    return float(loud[0]) * 0.01, float(loud[-1] + 1) * 0.01


def join(parts: list[np.ndarray], gap_s: float) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """The parts joined with ``gap_s`` of digital silence after each, and
    where each part's speech starts and ends in the result (seconds)."""
    out: list[np.ndarray] = []
    spans: list[tuple[float, float]] = []
    total = 0
    gap = np.zeros(int(round(gap_s * RATE)), np.float32)
    for x in parts:
        b, e = speech_span(x)
        spans.append((total / RATE + b, total / RATE + e))
        out += [x, gap]
        total += len(x) + len(gap)
    return (np.concatenate(out) if out else np.zeros(0, np.float32)), spans
