"""The server's contract with the transcriber: OpenAI's POST
/v1/audio/transcriptions with verbose_json, word and segment timestamps,
language and prompt; words right and timed right on real recorded speech
(LibriVox clips with their reference text; the true times come from how the
test audio is put together), health and metrics."""
from __future__ import annotations

import io
import re
import wave

import numpy as np

from conftest import clip, ffmpeg, reference

GAP_S = 2.0
RATE = 16000


def pcm(data: bytes) -> np.ndarray:
    with wave.open(io.BytesIO(data)) as w:
        assert w.getframerate() == RATE and w.getnchannels() == 1
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32)


def speech_span(x: np.ndarray) -> tuple[float, float]:
    """First and last 10 ms frame above -40 dBFS: where speech is (the same
    truth as the pocketsphinx engine's test, tests/unit/test_transcriber_chunks.c)."""
    frames = x[: len(x) // 160 * 160].reshape(-1, 160).astype(np.float64)
    loud = np.nonzero(np.sqrt((frames ** 2).mean(axis=1)) > 32768 * 10 ** (-40 / 20))[0]
    return loud[0] * 0.01, (loud[-1] + 1) * 0.01


def words_of(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower().replace("-", " "))


def wer(ref: list[str], hyp: list[str]) -> float:
    d = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, d[0] = d[0], i
        for j, h in enumerate(hyp, 1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (r != h))
    return d[len(hyp)] / len(ref)


def joined(ids: list[str]) -> tuple[bytes, list[tuple[float, float]]]:
    """The clips joined with GAP_S of digital silence, as one 16 kHz WAV, and
    where each clip's speech truly starts and ends in it."""
    parts, spans, total = [], [], 0
    for cid in ids:
        x = pcm(ffmpeg("-i", str(clip(cid)), "-ar", str(RATE), "-ac", "1"))
        b, e = speech_span(x)
        spans.append((total / RATE + b, total / RATE + e))
        parts += [x, np.zeros(int(GAP_S * RATE), np.float32)]
        total += len(x) + int(GAP_S * RATE)
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(np.concatenate(parts).astype("<i2").tobytes())
    return out.getvalue(), spans


# The sentences of the pocketsphinx engine's timing test. ISIM_STT_VAD and
# ISIM_STT_SNAP_WORDS were chosen on them, so this is a regression guard;
# docs/accuracy.md has the timing measured on other joins.
SENTENCES = ["0880", "0890", "0930"]


def test_verbose_json_words_segments_and_their_times(server):
    audio, spans = joined(SENTENCES)
    status, body, headers = server.transcribe(audio, model="whisper-1", response_format="verbose_json",
                                              language="en", **{"timestamp_granularities[]": ["word", "segment"]})
    assert status == 200, body
    assert headers["content-type"].startswith("application/json")
    assert body["task"] == "transcribe" and body["language"] == "en" and body["model"]
    assert abs(body["duration"] - (spans[-1][1] + GAP_S)) < 0.5
    words = body["words"]
    assert all(set(w) == {"word", "start", "end", "probability"} for w in words)
    assert all(0 <= w["start"] < w["end"] <= body["duration"] + 0.01 for w in words)
    assert [w["start"] for w in words] == sorted(w["start"] for w in words)
    assert body["segments"] and all(s["start"] <= s["end"] for s in body["segments"])
    # The words are right: near-perfect on clean read speech.
    ref = words_of(" ".join(reference(c) for c in SENTENCES))
    hyp = words_of(" ".join(w["word"] for w in words))
    assert wer(ref, hyp) < 0.15, (ref, hyp)
    assert words_of(body["text"]) == hyp
    # And timed right: each sentence's first word starts, and its last word
    # ends, within 0.3 s of where its speech does; no word in a silence.
    for b, e in spans:
        inside = [w for w in words if w["start"] >= b - 0.3 and w["end"] <= e + 0.3]
        assert inside, (b, e, words)
        assert abs(inside[0]["start"] - b) <= 0.3, (inside[0], b)
        assert abs(inside[-1]["end"] - e) <= 0.3, (inside[-1], e)
    assert all(any(b - 0.3 <= w["start"] and w["end"] <= e + 0.3 for b, e in spans) for w in words), \
        "a word lies in a known silence"


def test_plain_json_and_text_formats(server):
    audio = ffmpeg("-i", str(clip("0890")), "-ar", "16000", "-ac", "1")
    status, body, _ = server.transcribe(audio, response_format="json", language="en")
    assert status == 200 and set(body) == {"text"} and wer(words_of(reference("0890")), words_of(body["text"])) < 0.2
    status, text, headers = server.transcribe(audio, response_format="text", language="en")
    assert status == 200 and headers["content-type"].startswith("text/plain")
    assert words_of(text) == words_of(body["text"])
    # Without timestamp_granularities[]=word there are no words.
    status, body, _ = server.transcribe(audio, response_format="verbose_json", language="en")
    assert status == 200 and "words" not in body and body["segments"]


def test_other_containers_and_rates(server):
    """The converter sends 16 kHz WAV, but anything FFmpeg reads is accepted."""
    audio = subprocess_ogg()
    status, body, _ = server.transcribe(audio, filename="answer.ogg", response_format="json", language="en")
    assert status == 200 and wer(words_of(reference("0920")), words_of(body["text"])) < 0.2, body


def subprocess_ogg() -> bytes:
    import subprocess
    return subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-i", str(clip("0920")), "-ar", "48000",
                           "-c:a", "libopus", "-f", "ogg", "-"], check=True, capture_output=True).stdout


def test_health_and_metrics(server):
    assert server.get("/livez") == (200, b"ok\n")
    assert server.get("/readyz") == (200, b"ready\n")
    status, text = server.get("/metrics")
    text = text.decode()
    assert status == 200
    for name in ("isim_stt_requests_total", "isim_stt_audio_seconds_total", "isim_stt_processing_seconds_total",
                 "isim_stt_queue_depth", "isim_stt_running", "isim_stt_model_loaded 1.0"):
        assert name in text, name
    assert re.search(r'isim_stt_requests_total\{status="200"\} [1-9]', text), text
