"""Word edges moved onto the speech they belong to.

Whisper times words from its attention, which is often a few tenths of a
second off at a pause: the last word before a pause runs on into the silence
and the first word after it starts late or early. The audio itself says where
speech starts and stops, so each word edge that touches a pause is moved to
the nearest change between speech and silence: an edge inside silence moves
inwards onto the word's speech, an edge inside speech that no neighbour
claims moves outwards to where that speech starts or ends (at most
``reach_s``). Edges between two words that touch are left alone."""
from __future__ import annotations

from typing import Any

import numpy as np

FRAME_S = 0.01


def speech_frames(audio: np.ndarray, rate: int, floor_db: float = -30.0) -> np.ndarray:
    """True for each 10 ms frame louder than ``floor_db`` below the recording's
    loud frames (its 95th percentile) and than -60 dBFS."""
    n = int(rate * FRAME_S)
    frames = audio[: len(audio) // n * n].reshape(-1, n).astype(np.float64)
    rms = np.sqrt((frames ** 2).mean(axis=1)) if len(frames) else np.zeros(0)
    if not len(rms):
        return np.zeros(0, dtype=bool)
    loud = np.percentile(rms, 95)
    full_scale = 1.0 if np.abs(audio).max(initial=0) <= 1.0 else 32768.0
    return (rms > loud * 10 ** (floor_db / 20)) & (rms > full_scale * 1e-3)


def snap_words(words: list[dict[str, Any]], speech: np.ndarray, reach_s: float = 0.4,
               min_word_s: float = 0.05) -> list[dict[str, Any]]:
    """Returns new word dicts (word, start, end, ...) with edges snapped to ``speech``."""
    out = [dict(w) for w in words]
    n = len(speech)
    reach = int(round(reach_s / FRAME_S))

    def is_speech(i: int) -> bool:
        return 0 <= i < n and bool(speech[i])

    for k, w in enumerate(out):
        s = int(round(w["start"] / FRAME_S))
        e = int(round(w["end"] / FRAME_S))
        prev_end = int(round(out[k - 1]["end"] / FRAME_S)) if k else 0
        next_start = int(round(words[k + 1]["start"] / FRAME_S)) if k + 1 < len(words) else n
        # Start: out of silence onto speech, or back to where unclaimed speech begins.
        if not is_speech(s):
            t = next((i for i in range(s, min(e, s + reach + 1)) if is_speech(i)), None)
            s = t if t is not None else s
        elif s > prev_end:
            lo = max(prev_end, s - reach)
            while s > lo and is_speech(s - 1):
                s -= 1
        # End: back out of silence, or on to where unclaimed speech stops.
        if not is_speech(e - 1):
            t = next((i for i in range(e - 1, max(s, e - 1 - reach) - 1, -1) if is_speech(i)), None)
            e = t + 1 if t is not None else e
        elif e < next_start:
            hi = min(next_start, e + reach)
            while e < hi and is_speech(e):
                e += 1
        if (e - s) * FRAME_S < min_word_s:
            continue  # no speech of its own to snap to: Whisper's times stand
        w["start"], w["end"] = round(s * FRAME_S, 3), round(e * FRAME_S, 3)
    return out
