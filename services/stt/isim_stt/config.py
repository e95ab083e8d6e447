"""Settings from environment variables: one table, printed by ``--config-table``."""
from __future__ import annotations

import os
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Setting:
    env: str
    default: str
    doc: str


TABLE: tuple[Setting, ...] = (
    Setting("ISIM_STT_MODEL_DIR", "", "Folder of a CTranslate2 Whisper model (config.json, model.bin, tokenizer.json); "
            "deploy/deps.sh installs the pinned tiny.en one in .deps/stt-model"),
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


def load(env: dict[str, str] | None = None) -> Config:
    env = dict(os.environ if env is None else env)
    v = {s.env: env.get(s.env, s.default) for s in TABLE}
    if not v["ISIM_STT_MODEL_DIR"]:
        raise ConfigError("ISIM_STT_MODEL_DIR is not set: point it at a CTranslate2 Whisper model folder")
    for name in ("ISIM_STT_VAD", "ISIM_STT_SNAP_WORDS"):
        if v[name] not in ("0", "1"):
            raise ConfigError(f"{name} must be 0 or 1, not {v[name]!r}")
    if v["ISIM_STT_LOG_LEVEL"] not in ("debug", "info", "warning", "error"):
        raise ConfigError(f"ISIM_STT_LOG_LEVEL must be debug, info, warning or error, not {v['ISIM_STT_LOG_LEVEL']!r}")
    threads = _int("ISIM_STT_THREADS", v["ISIM_STT_THREADS"], 0) or (os.cpu_count() or 1)
    return Config(
        model_dir=v["ISIM_STT_MODEL_DIR"],
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
