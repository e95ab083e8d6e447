"""A direct request to the speech-to-text server, for what the C client
cannot send: no prompt at all (the transcriber sends its default prompt when
ISIM_TRANSCRIBE_PROMPT is empty, services/transcriber/openai_engine.c). The
fields are otherwise the transcriber's: model, verbose_json, word and segment
timestamps, language."""
from __future__ import annotations

import json
import re
import urllib.request
import uuid
from pathlib import Path
from typing import Any


def transcribe(url: str, wav: Path, language: str | None = "en", prompt: str | None = None,
               timeout_s: float = 600.0) -> dict[str, Any]:
    """The server's verbose_json answer turned into the transcriber's shape
    (engine, model, words with lowercased, punctuation-free text, text)."""
    boundary = uuid.uuid4().hex
    fields = [("model", "whisper-1"), ("response_format", "verbose_json"),
              ("timestamp_granularities[]", "word"), ("timestamp_granularities[]", "segment")]
    if language is not None:  # None: the server detects it
        fields.append(("language", language))
    if prompt is not None:  # only for checking that this request is the transcriber's
        fields.append(("prompt", prompt))
    body = b""
    for k, v in fields:
        body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").encode()
    body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"audio.wav\"\r\n"
             f"Content-Type: audio/wav\r\n\r\n").encode() + wav.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    req = urllib.request.Request(url + "/v1/audio/transcriptions", data=body, method="POST",
                                 headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(req, timeout=timeout_s) as r:
        d = json.loads(r.read())
    words = []
    for w in d.get("words", []):
        text = re.sub(r"[^\w' -]+", "", w["word"].lower()).strip()
        if text:
            words.append({"word": text, "start": w["start"], "end": w["end"],
                          "confidence": w.get("probability", 1.0)})
    return {"engine": "openai", "model": d.get("model"), "words": words,
            "text": " ".join(w["word"] for w in words), "segments": d.get("segments", []),
            "language": d.get("language"), "language_probability": d.get("language_probability")}
