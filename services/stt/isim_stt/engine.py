"""faster-whisper behind one call: audio file in, OpenAI ``verbose_json`` out."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Any

from faster_whisper import WhisperModel
from faster_whisper.audio import decode_audio

from .snap import snap_words, speech_frames

SAMPLE_RATE = 16000
# A window whose mean token log-probability stays below -1 (faster-whisper's
# own "failed decode" mark) is what Whisper invents over noise ("Thank you
# very much." on a 0.3 s tail): dropped rather than shown as said.
LOGPROB_FLOOR = -1.0
# Beam search only, no retries at higher temperatures: those sample, and the
# same audio must give the same words (a redelivered message must not change
# the report). The dropped windows above are what the retries would redo.
TEMPERATURES = (0.0,)
# A segment whose words Whisper itself gives a mean probability below this is
# invented: "Okay." (0.002) on the 0.3 s tail of a recording, against 0.88 to
# 0.95 for the segments of real speech measured beside it. It needs word
# probabilities, so word times are always computed. (faster-whisper's
# hallucination_silence_threshold did this job but, with the filler prompt,
# dropped whole 30 s windows of real speech: docs/accuracy.md.)
MIN_MEAN_WORD_PROBABILITY = 0.1


def mean_word_probability(segment: Any) -> float:
    words = segment.words or []
    return sum(w.probability for w in words) / len(words) if words else 1.0


class AudioError(ValueError):
    """The request's audio cannot be used; the message is for the caller."""


class TooLong(AudioError):
    pass


class TimedOut(RuntimeError):
    pass


@dataclass(frozen=True)
class Request:
    path: str
    language: str | None
    prompt: str | None
    words: bool
    deadline: float  # time.monotonic() after which decoding stops


class Engine:
    """One loaded model. ``transcribe`` is thread-safe: CTranslate2 runs up to
    ``workers`` decodes in parallel on the same weights."""

    def __init__(self, model_dir: str, threads: int, workers: int, beam_size: int, vad: bool,
                 max_duration_s: float, snap: bool = True) -> None:
        if not os.path.isfile(os.path.join(model_dir, "model.bin")):
            raise FileNotFoundError(f"{model_dir} holds no CTranslate2 model (model.bin missing)")
        self.name = os.path.basename(os.path.normpath(model_dir))
        self.model = WhisperModel(model_dir, device="cpu", compute_type="int8", cpu_threads=threads,
                                  num_workers=workers)
        self.beam_size = beam_size
        self.vad = vad
        self.snap = snap
        self.max_duration_s = max_duration_s

    def decode(self, path: str) -> Any:
        try:
            audio = decode_audio(path, sampling_rate=SAMPLE_RATE)
        except Exception as e:  # PyAV raises many kinds; all mean the same to the caller
            raise AudioError(f"the audio could not be decoded ({type(e).__name__}: {e})") from None
        duration = len(audio) / SAMPLE_RATE
        if duration > self.max_duration_s:
            raise TooLong(f"the audio lasts {duration:.0f} s; at most {self.max_duration_s:.0f} s is accepted")
        return audio

    def transcribe(self, req: Request) -> dict[str, Any]:
        audio = self.decode(req.path)
        duration = len(audio) / SAMPLE_RATE
        if duration == 0:
            return self._answer(duration, req.language or "en", [], req.words)
        segments, info = self.model.transcribe(
            audio, language=req.language, initial_prompt=req.prompt or None, word_timestamps=True,
            beam_size=self.beam_size, vad_filter=self.vad, temperature=TEMPERATURES,
            # Each window on its own: a misheard stretch does not run on into the next.
            condition_on_previous_text=False)
        out = []
        for s in segments:  # decoding happens while iterating
            if time.monotonic() > req.deadline:
                raise TimedOut(f"transcription stopped after {len(out)} segments: it took longer than allowed")
            if s.avg_logprob >= LOGPROB_FLOOR and mean_word_probability(s) >= MIN_MEAN_WORD_PROBABILITY:
                out.append(s)
        body = self._answer(duration, info.language, out, req.words)
        if req.words and self.snap and body["words"]:
            body["words"] = snap_words(body["words"], speech_frames(audio, SAMPLE_RATE))
        return body

    def _answer(self, duration: float, language: str, segments: list[Any], with_words: bool) -> dict[str, Any]:
        body: dict[str, Any] = {
            "task": "transcribe",
            "language": language,
            "duration": round(duration, 3),
            "text": "".join(s.text for s in segments).strip(),
            "model": self.name,
            "segments": [{
                "id": i, "seek": s.seek, "start": round(s.start, 3), "end": round(s.end, 3), "text": s.text,
                "tokens": list(s.tokens), "temperature": s.temperature, "avg_logprob": s.avg_logprob,
                "compression_ratio": s.compression_ratio, "no_speech_prob": s.no_speech_prob,
            } for i, s in enumerate(segments)],
        }
        if with_words:
            body["words"] = [{"word": w.word.strip(), "start": round(w.start, 3), "end": round(w.end, 3),
                              "probability": round(w.probability, 4)}
                             for s in segments for w in (s.words or []) if w.word.strip()]
        return body
