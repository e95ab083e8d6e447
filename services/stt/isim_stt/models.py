"""The loaded models and which one transcribes which language.

The default model (ISIM_STT_MODEL_DIR) takes every language it knows that
ISIM_STT_MODELS gives no model of its own; a multilingual model among them
detects the language when the request does not give one."""
from __future__ import annotations

from typing import Any, Callable

from .config import Config
from .engine import Engine, Request, decode
from .languages import NAMES, name


class NotInstalled(LookupError):
    """No installed model transcribes the language; the message is for the caller."""


class Models:
    def __init__(self, default: Engine, routes: dict[str, Engine], max_duration_s: float,
                 detect_among: frozenset[str] | None = None) -> None:
        self.default = default
        self.routes = routes
        self.max_duration_s = max_duration_s
        # Only the languages some model here transcribes are told apart.
        self.detect_among = None if detect_among is None else frozenset(detect_among & set(self.languages()))
        if self.detect_among is not None and not self.detect_among and self.detector is not None:
            raise ValueError(f"ISIM_STT_DETECT_LANGUAGES names {', '.join(sorted(detect_among))}, and no model "
                             "here transcribes any of them")
        self.detector = next((e for e in (default, *routes.values()) if e.multilingual), None)

    @classmethod
    def load(cls, cfg: Config, loader: Callable[[str], Engine],
             loaded: Callable[[str], None] = lambda _: None) -> Models:
        """Loads each folder once (the default first), calling ``loaded`` after each."""
        engines: dict[str, Engine] = {}
        for folder in dict.fromkeys([cfg.model_dir, *(f for _, f in cfg.models)]):
            engines[folder] = loader(folder)
            loaded(folder)
        routes = {code: engines[folder] for code, folder in cfg.models}
        for code, engine in routes.items():
            if code not in engine.languages:
                raise ValueError(f"ISIM_STT_MODELS gives {name(code)} to {engine.name}, which knows English only")
        return cls(engines[cfg.model_dir], routes, cfg.max_duration_s, cfg.detect_languages)

    def languages(self) -> list[str]:
        """The codes some model transcribes, sorted."""
        return sorted(set(self.routes) | self.default.languages)

    def describe(self) -> str:
        """Which model takes which language, in words, for the log and errors."""
        own = ", ".join(f"{code}: {e.name}" for code, e in self.routes.items())
        rest = "any other language" if self.default.multilingual else "English"
        among = "any language" if self.detect_among is None else ", ".join(sorted(self.detect_among))
        detection = f"detection among {among} by {self.detector.name}" if self.detector else \
            "no multilingual model, so no language detection"
        return (own + "; " if own else "") + f"{rest}: {self.default.name}; {detection}"

    def for_language(self, code: str) -> Engine:
        engine = self.routes.get(code) or (self.default if code in self.default.languages else None)
        if engine is None:
            installed = ", ".join(name(c) for c in self.languages()) if len(self.languages()) < len(NAMES) \
                else "all"
            raise NotInstalled(f"no speech model for {name(code)} is installed on this server "
                               f"(it transcribes {installed})")
        return engine

    def check(self, code: str | None) -> None:
        """Raises NotInstalled before any audio is read when the request cannot be served."""
        if code is not None:
            self.for_language(code)
        elif self.detector is None:
            raise NotInstalled("detecting the language needs a multilingual model and none is installed on "
                               f"this server: send the language (it transcribes "
                               f"{', '.join(name(c) for c in self.languages())})")

    def transcribe(self, req: Request) -> dict[str, Any]:
        audio = decode(req.path, self.max_duration_s)
        if req.language is not None:
            return self.for_language(req.language).transcribe(audio, req, req.language, 1.0)
        self.check(None)
        assert self.detector is not None
        code, probability = self.detector.detect(audio, self.detect_among)
        if code is None:  # no speech: nothing to detect, nothing to say
            return self.detector.transcribe(audio, req, None, 0.0)
        try:
            engine = self.for_language(code)
        except NotInstalled as e:
            raise NotInstalled(f"the speech is in {name(code)} (probability {probability:.2f}), but {e}") from None
        return engine.transcribe(audio, req, code, probability)
