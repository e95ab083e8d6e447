"""What the server does with what it should not get: each request gets a
transcript or a clear error, never a hang, and the server stays up."""
from __future__ import annotations

import http.client
import io
import json
import time
import wave

import numpy as np
import pytest

from conftest import Server, clip, ffmpeg


def wav(samples: np.ndarray, rate: int = 16000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.clip(samples, -32768, 32767).astype("<i2").tobytes())
    return out.getvalue()


def test_silence_is_an_empty_transcript(server):
    status, body, _ = server.transcribe(wav(np.zeros(16000 * 10)), response_format="verbose_json", language="en",
                                        **{"timestamp_granularities[]": "word"})
    assert status == 200 and body["text"] == "" and body["words"] == [], body


def test_music_gets_a_transcript_without_a_crash(server):
    t = np.arange(16000 * 8) / 16000
    chord = sum(np.sin(2 * np.pi * f * t) for f in (261.6, 329.6, 392.0)) * (1 + np.sin(2 * np.pi * 2 * t)) * 3000
    status, body, _ = server.transcribe(wav(chord), response_format="verbose_json", language="en")
    assert status == 200 and isinstance(body["text"], str)
    assert len(body["text"].split()) < 10, body["text"]  # no long invented speech


def test_another_language_gets_a_transcript(server):
    """German speech (espeak-ng) to an English model: words of some kind, no
    failure and no hang; the language field says what was asked."""
    import subprocess
    speech = subprocess.run(["espeak-ng", "-v", "de", "--stdout",
                             "Ich habe in meinem letzten Projekt ein schwieriges Problem gelöst."],
                            check=True, capture_output=True).stdout
    audio = subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-i", "pipe:0", "-ar", "16000", "-ac", "1",
                            "-f", "wav", "-"], input=speech, check=True, capture_output=True).stdout
    status, body, _ = server.transcribe(audio, response_format="verbose_json", language="en")
    assert status == 200 and body["language"] == "en" and isinstance(body["text"], str), body
    status, body, _ = server.transcribe(audio, response_format="json")  # no language given
    assert status == 200, body


def test_corrupt_wav_is_a_clear_400_and_the_server_goes_on(server):
    good = ffmpeg("-i", str(clip("0930")), "-ar", "16000", "-ac", "1")
    for bad in (b"RIFF\x00\x00\x00\x00WAVEfmt garbage" + bytes(range(256)) * 40, b"not audio at all" * 100, b""):
        status, body, _ = server.transcribe(bad, response_format="json")
        assert status == 400, (status, body)
        assert body["error"]["code"] == "unreadable_audio" and "not audio we can read" in body["error"]["message"]
    status, body, _ = server.transcribe(good[: len(good) // 2], response_format="json", language="en")
    assert status == 200 and body["text"], body  # a cut-off WAV still has its first half
    assert server.get("/livez")[0] == 200


def test_request_errors_say_what_is_wrong(server):
    audio = wav(np.zeros(1600))
    for fields, code in (({"response_format": "srt"}, "unsupported_format"),
                         ({"language": "english!"}, "invalid_language"),
                         ({"prompt": "x" * 2001}, "invalid_prompt")):
        status, body, _ = server.transcribe(audio, **fields)
        assert status == 400 and body["error"]["code"] == code, body
        assert body["error"]["type"] == "invalid_request_error" and body["error"]["message"]
    status, body, _ = server.transcribe(None, response_format="json")
    assert status == 400 and body["error"]["code"] == "missing_file"
    # A body of unknown length (chunked) is not read at all.
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("POST", "/v1/audio/transcriptions", body=iter([b"--x\r\n"]),
                 headers={"Content-Type": "multipart/form-data; boundary=x", "Transfer-Encoding": "chunked"},
                 encode_chunked=True)
    resp = conn.getresponse()
    assert resp.status == 411 and json.loads(resp.read())["error"]["code"] == "length_required"
    conn.close()


def test_a_long_answer_is_transcribed(server):
    """Ten minutes, mostly silent: decoded whole, the speech found at its place."""
    speech = np.frombuffer(ffmpeg("-i", str(clip("0870")), "-ar", "16000", "-ac", "1")[44:], dtype="<i2")
    x = np.zeros(16000 * 600, dtype=np.float32)
    at = 16000 * 540
    x[at: at + len(speech)] = speech
    status, body, _ = server.transcribe(wav(x), response_format="verbose_json", language="en",
                                        **{"timestamp_granularities[]": "word"})
    assert status == 200 and abs(body["duration"] - 600) < 0.1
    assert body["words"] and abs(body["words"][0]["start"] - 540) < 1.0, body["words"][:3]


@pytest.fixture(scope="module")
def strict():
    """A server with small limits: 1 decode, no queue, 20 s of audio, 2 MB."""
    s = Server(ISIM_STT_CONCURRENCY="1", ISIM_STT_QUEUE="0", ISIM_STT_MAX_DURATION_S="20",
               ISIM_STT_MAX_BYTES="2000000")
    yield s
    s.stop()


def test_limits_size_and_duration(strict):
    # Refused on its Content-Length, before a byte of the body is read.
    conn = http.client.HTTPConnection("127.0.0.1", strict.port, timeout=10)
    conn.putrequest("POST", "/v1/audio/transcriptions")
    conn.putheader("Content-Type", "multipart/form-data; boundary=x")
    conn.putheader("Content-Length", str(2_200_000))
    conn.endheaders()
    resp = conn.getresponse()
    body = json.loads(resp.read())
    assert resp.status == 413 and body["error"]["code"] == "too_large", body
    conn.close()
    status, body, _ = strict.transcribe(wav(np.zeros(16000 * 30)))
    assert status == 413 and body["error"]["code"] == "audio_too_long" and "30 s" in body["error"]["message"]


def test_busy_server_answers_503_with_retry_after(strict):
    """One decode slot, no queue: a request is admitted on its headers, so a
    second one while the first is still sending its body is refused at once."""
    speech = ffmpeg("-i", str(clip("0880")), "-ar", "16000", "-ac", "1")
    boundary = "b0undary"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="response_format"\r\n\r\njson\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\n').encode() \
        + speech + f"\r\n--{boundary}--\r\n".encode()
    first = http.client.HTTPConnection("127.0.0.1", strict.port, timeout=60)
    first.putrequest("POST", "/v1/audio/transcriptions")
    first.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    first.putheader("Content-Length", str(len(body)))
    first.endheaders()
    first.send(body[:100])  # admitted, still sending
    deadline = time.time() + 10
    while 'isim_stt_queue_depth 1.0' not in strict.get("/metrics")[1].decode():
        assert time.time() < deadline, "the first request was never admitted"
        time.sleep(0.05)
    status, refused, headers = strict.transcribe(speech, response_format="json")
    assert status == 503 and refused["error"]["code"] == "busy" and int(headers["retry-after"]) >= 1, refused
    first.send(body[100:])
    resp = first.getresponse()
    assert resp.status == 200 and json.loads(resp.read())["text"]
    first.close()
    # The place is given back: the next request goes through.
    assert strict.transcribe(speech, response_format="json")[0] == 200


def test_decode_past_its_time_is_a_504():
    s = Server(ISIM_STT_TIMEOUT_S="0.01")
    try:
        speech = ffmpeg("-i", str(clip("0890")), "-ar", "16000", "-ac", "1")
        status, body, _ = s.transcribe(speech, response_format="json", language="en")
        assert status == 504 and body["error"]["code"] == "timeout", body
        assert "0 s" in body["error"]["message"] or "longer than" in body["error"]["message"]
        assert s.get("/livez")[0] == 200
        status, body, _ = s.transcribe(b"x" * 100, response_format="json")
        assert status == 400  # and it goes on serving
    finally:
        s.stop()
