"""faster-whisper behind two calls: which language is spoken, and the audio
in that language to OpenAI's ``verbose_json``."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from faster_whisper import WhisperModel
from faster_whisper.audio import decode_audio
from faster_whisper.vad import VadOptions, get_speech_timestamps

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
# A segment that is mostly one short phrase said again and again is a
# repetition loop, not speech: at least LOOP_COPIES copies in a row of a run
# of 1 to LOOP_MAX_PHRASE words, covering more than half of the segment's
# words. Seen here: a 1 s Portuguese clip with the filler prompt went on "Eu
# não sei o que é o que é ..." to the end of the window. (Whisper's own mark,
# a text compressing by more than 2.4, also dropped real segments of
# repetitive prompts: docs/accuracy.md.)
LOOP_COPIES = 4
LOOP_MAX_PHRASE = 4


def is_loop(words: list[str]) -> bool:
    """True when more than half of ``words`` is one run of a 1-to-4-word phrase repeated LOOP_COPIES+ times."""
    w = [x.lower().strip(".,!?;:…") for x in words]
    for size in range(1, LOOP_MAX_PHRASE + 1):
        for start in range(len(w) - size * LOOP_COPIES + 1):
            copies = 1
            while w[start + copies * size: start + (copies + 1) * size] == w[start: start + size]:
                copies += 1
            if copies >= LOOP_COPIES and copies * size * 2 > len(w):
                return True
    return False


# The language is told from the first 30 s of speech (Whisper's window),
# looked for in the first DETECT_LOOK_S of the audio.
DETECT_LOOK_S = 120


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
    language: str | None  # a Whisper language code; None: detect it
    prompt: str | None
    words: bool
    deadline: float  # time.monotonic() after which decoding stops


def decode(path: str, max_duration_s: float) -> np.ndarray:
    """The file as 16 kHz mono float samples; AudioError or TooLong for the caller."""
    try:
        audio = decode_audio(path, sampling_rate=SAMPLE_RATE)
    except Exception as e:  # PyAV raises many kinds; all mean the same to the caller
        raise AudioError(f"the audio could not be decoded ({type(e).__name__}: {e})") from None
    duration = len(audio) / SAMPLE_RATE
    if duration > max_duration_s:
        raise TooLong(f"the audio lasts {duration:.0f} s; at most {max_duration_s:.0f} s is accepted")
    return audio


class Engine:
    """One loaded model. Its calls are thread-safe: CTranslate2 runs up to
    ``workers`` decodes in parallel on the same weights."""

    def __init__(self, model_dir: str, threads: int, workers: int, beam_size: int, vad: bool,
                 snap: bool = True) -> None:
        if not os.path.isfile(os.path.join(model_dir, "model.bin")):
            raise FileNotFoundError(f"{model_dir} holds no CTranslate2 model (model.bin missing)")
        self.name = os.path.basename(os.path.normpath(model_dir))
        self.model = WhisperModel(model_dir, device="cpu", compute_type="int8", cpu_threads=threads,
                                  num_workers=workers)
        self.multilingual = bool(self.model.model.is_multilingual)
        self.languages = frozenset(self.model.supported_languages)
        self.beam_size = beam_size
        self.vad = vad
        self.snap = snap

    def detect(self, audio: np.ndarray, among: frozenset[str] | None = None) -> tuple[str | None, float]:
        """The language spoken in the first 30 s of speech and Whisper's
        probability for it; (None, 0.0) when there is no speech to tell from.
        With ``among``, the likeliest of those languages and its probability
        among them (Whisper's probabilities of those languages, rescaled to
        add up to 1)."""
        if not self.multilingual:
            raise RuntimeError(f"{self.name} knows English only and cannot detect a language")
        if self.vad:  # as transcribe does: the speech alone, so silence does not sway it
            audio = audio[:DETECT_LOOK_S * SAMPLE_RATE]
            chunks = get_speech_timestamps(audio, VadOptions())
            audio = np.concatenate([audio[c["start"]:c["end"]] for c in chunks]) if chunks else audio[:0]
        if len(audio) < SAMPLE_RATE // 10:
            return None, 0.0
        language, probability, ranked = self.model.detect_language(audio=audio)
        if among:
            candidates = [(code, p) for code, p in ranked if code in among]
            total = sum(p for _, p in candidates)
            language, probability = max(candidates, key=lambda c: c[1])
            probability = probability / total if total > 0 else 0.0
        return language, float(probability)

    def transcribe(self, audio: np.ndarray, req: Request, language: str | None,
                   probability: float) -> dict[str, Any]:
        """``language``: the code to decode as (None only when there was no
        speech to detect one from), and how sure the detection was (1.0 when
        it was asked for)."""
        duration = len(audio) / SAMPLE_RATE
        if duration == 0 or language is None:
            return self._answer(duration, language, probability, [], req.words)
        segments, _ = self.model.transcribe(
            audio, language=language, initial_prompt=req.prompt or None, word_timestamps=True,
            beam_size=self.beam_size, vad_filter=self.vad, temperature=TEMPERATURES,
            # Each window on its own: a misheard stretch does not run on into the next.
            condition_on_previous_text=False)
        out = []
        for s in segments:  # decoding happens while iterating
            if time.monotonic() > req.deadline:
                raise TimedOut(f"transcription stopped after {len(out)} segments: it took longer than allowed")
            if s.avg_logprob >= LOGPROB_FLOOR and mean_word_probability(s) >= MIN_MEAN_WORD_PROBABILITY \
                    and not is_loop([w.word for w in s.words or []]):
                out.append(s)
        body = self._answer(duration, language, probability, out, req.words)
        if req.words and self.snap and body["words"]:
            body["words"] = snap_words(body["words"], speech_frames(audio, SAMPLE_RATE))
        return body

    def _answer(self, duration: float, language: str | None, probability: float, segments: list[Any],
                with_words: bool) -> dict[str, Any]:
        body: dict[str, Any] = {
            "task": "transcribe",
            "language": language,
            "language_probability": round(probability, 4),
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
