"""Settings from environment variables: one table, printed by ``--config-table``."""
from __future__ import annotations

import os
from dataclasses import dataclass, fields

from . import languages


@dataclass(frozen=True)
class Setting:
    env: str
    default: str
    doc: str


TABLE: tuple[Setting, ...] = (
    Setting("ISIM_STT_MODEL_DIR", "", "Folder of the default CTranslate2 Whisper model (config.json, model.bin, "
            "tokenizer.json): it transcribes every language it knows that ISIM_STT_MODELS gives no model of its "
            "own, and detects the language when the request asks (a multilingual model only); deploy/deps.sh "
            "installs whisper-base (multilingual) and whisper-tiny.en (English only) in .deps/stt-model"),
    Setting("ISIM_STT_MODELS", "", "Models for particular languages, code=folder separated by commas, e.g. "
            "`en=.deps/stt-model/whisper-tiny.en`; a folder named twice is loaded once. Empty: the default "
            "model for all"),
    Setting("ISIM_STT_DETECT_LANGUAGES", "en,pt", "The languages a request without one (or with `auto`) is "
            "told apart among, codes separated by commas, `*` for every language the model knows; the answer's "
            "language_probability is then among these. Interviews are held in English and Portuguese; among all "
            "99, espeak-ng's Brazilian Portuguese voice was taken for Latin"),
    Setting("ISIM_STT_EMBED_MODEL_DIR", "", "Folder of the sentence-embedding model served at `POST /v1/embeddings` "
            "(model.onnx and tokenizer.json of an ONNX sentence-transformer; deploy/deps.sh installs "
            "all-MiniLM-L6-v2-int8 in .deps/embed-model). Empty: no embeddings, that route answers 404"),
    Setting("ISIM_STT_HOST", "127.0.0.1", "Address to listen on"),
    Setting("ISIM_STT_PORT", "29200", "Port to listen on"),
    Setting("ISIM_STT_THREADS", "1", "CPU threads of one decode (0: one per core); more help only on cores "
            "nothing else is using"),
    Setting("ISIM_STT_CONCURRENCY", "1", "Decodes running at once"),
    Setting("ISIM_STT_QUEUE", "8", "Requests waiting for a decode; beyond it 503 with Retry-After"),
    Setting("ISIM_STT_MAX_BYTES", "209715200", "Largest accepted request body, bytes (413 beyond)"),
    Setting("ISIM_STT_MAX_DURATION_S", "1800", "Longest accepted audio, seconds (413 beyond)"),
    Setting("ISIM_STT_TIMEOUT_S", "600", "Longest one decode may take; then 504, seconds"),
    Setting("ISIM_STT_BEAM_SIZE", "5", "Beam width of the decoder"),
    Setting("ISIM_STT_VAD", "1", "1 skips stretches without speech (Silero VAD) so silence and music are not "
            "transcribed into invented words; 0 decodes everything"),
    Setting("ISIM_STT_SNAP_WORDS", "1", "1 moves word edges at pauses onto where the speech starts and stops "
            "(Whisper's own times are often a few tenths off there); 0 keeps Whisper's"),
    Setting("ISIM_STT_LOG_LEVEL", "info", "debug, info, warning or error"),
)


@dataclass(frozen=True)
class Config:
    model_dir: str
    models: tuple[tuple[str, str], ...]  # (language code, folder)
    detect_languages: frozenset[str] | None  # None: any
    embed_model_dir: str  # "": none
    host: str
    port: int
    threads: int
    concurrency: int
    queue: int
    max_bytes: int
    max_duration_s: float
    timeout_s: float
    beam_size: int
    vad: bool
    snap_words: bool
    log_level: str


class ConfigError(ValueError):
    """A setting that does not parse, named in words."""


def _int(name: str, value: str, low: int) -> int:
    try:
        n = int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {value!r}") from None
    if n < low:
        raise ConfigError(f"{name} must be at least {low}, not {n}")
    return n


def _seconds(name: str, value: str) -> float:
    try:
        x = float(value)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, not {value!r}") from None
    if not x > 0:
        raise ConfigError(f"{name} must be more than 0 seconds, not {value}")
    return x


def _models(value: str) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for entry in (e.strip() for e in value.split(",")):
        if not entry:
            continue
        code, sep, folder = entry.partition("=")
        code, folder = code.strip().lower(), folder.strip()
        if not sep or not folder:
            raise ConfigError(f"ISIM_STT_MODELS entry {entry!r} must be code=folder, e.g. en=/models/whisper-tiny.en")
        if code not in languages.NAMES:
            raise ConfigError(f"ISIM_STT_MODELS entry {entry!r}: {code!r} is not a language code Whisper knows")
        if code in (c for c, _ in out):
            raise ConfigError(f"ISIM_STT_MODELS names {code} twice")
        out.append((code, folder))
    return tuple(out)


def _codes(name: str, value: str) -> frozenset[str] | None:
    if value.strip() == "*":
        return None
    codes = frozenset(c.strip().lower() for c in value.split(",") if c.strip())
    unknown = sorted(c for c in codes if c not in languages.NAMES)
    if unknown or not codes:
        raise ConfigError(f"{name} must be language codes separated by commas (e.g. en,pt) or *, not {value!r}")
    return codes


def load(env: dict[str, str] | None = None) -> Config:
    env = dict(os.environ if env is None else env)
    v = {s.env: env.get(s.env, s.default) for s in TABLE}
    if not v["ISIM_STT_MODEL_DIR"]:
        raise ConfigError("ISIM_STT_MODEL_DIR is not set: point it at a CTranslate2 Whisper model folder "
                          "(the default model)")
    for name in ("ISIM_STT_VAD", "ISIM_STT_SNAP_WORDS"):
        if v[name] not in ("0", "1"):
            raise ConfigError(f"{name} must be 0 or 1, not {v[name]!r}")
    if v["ISIM_STT_LOG_LEVEL"] not in ("debug", "info", "warning", "error"):
        raise ConfigError(f"ISIM_STT_LOG_LEVEL must be debug, info, warning or error, not {v['ISIM_STT_LOG_LEVEL']!r}")
    threads = _int("ISIM_STT_THREADS", v["ISIM_STT_THREADS"], 0) or (os.cpu_count() or 1)
    return Config(
        model_dir=v["ISIM_STT_MODEL_DIR"],
        models=_models(v["ISIM_STT_MODELS"]),
        detect_languages=_codes("ISIM_STT_DETECT_LANGUAGES", v["ISIM_STT_DETECT_LANGUAGES"]),
        embed_model_dir=v["ISIM_STT_EMBED_MODEL_DIR"],
        host=v["ISIM_STT_HOST"],
        port=_int("ISIM_STT_PORT", v["ISIM_STT_PORT"], 0),
        threads=threads,
        concurrency=_int("ISIM_STT_CONCURRENCY", v["ISIM_STT_CONCURRENCY"], 1),
        queue=_int("ISIM_STT_QUEUE", v["ISIM_STT_QUEUE"], 0),
        max_bytes=_int("ISIM_STT_MAX_BYTES", v["ISIM_STT_MAX_BYTES"], 1024),
        max_duration_s=float(_int("ISIM_STT_MAX_DURATION_S", v["ISIM_STT_MAX_DURATION_S"], 1)),
        timeout_s=_seconds("ISIM_STT_TIMEOUT_S", v["ISIM_STT_TIMEOUT_S"]),
        beam_size=_int("ISIM_STT_BEAM_SIZE", v["ISIM_STT_BEAM_SIZE"], 1),
        vad=v["ISIM_STT_VAD"] == "1",
        snap_words=v["ISIM_STT_SNAP_WORDS"] == "1",
        log_level=v["ISIM_STT_LOG_LEVEL"],
    )


def markdown_table() -> str:
    rows = ["| Variable | Default | Meaning |", "| --- | --- | --- |"]
    rows += [f"| `{s.env}` | `{s.default}` | {s.doc} |" for s in TABLE]
    return "\n".join(rows)


assert {f.name for f in fields(Config)} and len(TABLE) == len(fields(Config))
