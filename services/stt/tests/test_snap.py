"""Word edges onto speech, on a signal whose speech is known to the frame."""
from __future__ import annotations

import numpy as np

from isim_stt.snap import snap_words, speech_frames


def bursts(spans: list[tuple[float, float]], total_s: float, rate: int = 16000) -> np.ndarray:
    x = np.random.default_rng(7).normal(0, 0.001, int(total_s * rate)).astype(np.float32)  # -60 dB hiss
    t = np.arange(len(x)) / rate
    for b, e in spans:
        on = (t >= b) & (t < e)
        x[on] += 0.3 * np.sin(2 * np.pi * 180 * t[on])
    return x


def test_speech_frames_find_the_bursts():
    sp = speech_frames(bursts([(1.0, 2.0)], 3.0), 16000)
    assert len(sp) == 300 and sp[100:200].all() and not sp[:100].any() and not sp[200:].any()


def test_edges_move_onto_speech_but_not_into_a_neighbour():
    sp = speech_frames(bursts([(1.0, 2.0), (2.0, 2.5), (4.0, 5.0)], 6.0), 16000)
    words = [{"word": "late", "start": 1.2, "end": 1.8},        # starts late: back to 1.0
             {"word": "touching", "start": 1.8, "end": 2.7},    # ends in silence: back to 2.5
             {"word": "runs-on", "start": 3.7, "end": 5.4}]     # both edges in silence: onto 4.0-5.0
    out = snap_words(words, sp)
    assert [(w["start"], w["end"]) for w in out] == [(1.0, 1.8), (1.8, 2.5), (4.0, 5.0)]
    assert words[0]["start"] == 1.2  # the input is not changed


def test_a_word_without_speech_of_its_own_keeps_its_times():
    sp = speech_frames(bursts([(1.0, 2.0)], 4.0), 16000)
    out = snap_words([{"word": "ghost", "start": 3.0, "end": 3.3}], sp)
    assert (out[0]["start"], out[0]["end"]) == (3.0, 3.3)
