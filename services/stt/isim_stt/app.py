"""The HTTP face: OpenAI's ``POST /v1/audio/transcriptions`` contract, health
and Prometheus metrics."""
from __future__ import annotations

import logging
import threading
import time
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Callable

import anyio.to_thread
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, generate_latest
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from . import embeddings_api
from .admission import Admission, Full
from .config import Config
from .embed import Embedder, Unavailable
from .engine import AudioError, Engine, Request as Job, TimedOut, TooLong
from .languages import LanguageError, parse as parse_language
from .models import Models, NotInstalled

log = logging.getLogger("isim_stt")

FORMATS = ("json", "text", "verbose_json")
PROMPT_MAX = 2000
FIELD_MAX = 64 * 1024


def error(status: int, message: str, code: str, param: str | None = None,
          headers: dict[str, str] | None = None) -> JSONResponse:
    """OpenAI's error shape; ``message`` is what a person reads."""
    kind = "server_error" if status >= 500 else "invalid_request_error"
    return JSONResponse({"error": {"message": message, "type": kind, "param": param, "code": code}},
                        status_code=status, headers=headers)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("isim_stt_requests", "Transcription requests by HTTP status",
                                ["status"], registry=self.registry)
        self.audio_seconds = Counter("isim_stt_audio_seconds", "Seconds of audio transcribed",
                                     registry=self.registry)
        self.processing_seconds = Counter("isim_stt_processing_seconds",
                                          "Seconds spent decoding (divide by audio seconds: real-time factor)",
                                          registry=self.registry)
        self.queue_depth = Gauge("isim_stt_queue_depth", "Requests waiting for a decode slot",
                                 registry=self.registry)
        self.running = Gauge("isim_stt_running", "Decodes in progress", registry=self.registry)
        self.embed_requests = Counter("isim_stt_embedding_requests", "Embedding requests by HTTP status",
                                      ["status"], registry=self.registry)
        self.model_loaded = Gauge("isim_stt_model_loaded", "1 once every configured model is loaded",
                                  registry=self.registry)


def create_app(cfg: Config, load_engine: Callable[[str], Engine] | None = None) -> Starlette:
    admission = Admission(cfg.concurrency, cfg.queue)
    metrics = Metrics()
    metrics.queue_depth.set_function(lambda: admission.waiting)
    metrics.running.set_function(lambda: admission.running)
    folders = list(dict.fromkeys([cfg.model_dir, *(f for _, f in cfg.models)]))
    state: dict[str, Any] = {"models": None, "error": None, "loaded": 0, "embedder": None, "embed_error": None}

    def default_loader(folder: str) -> Engine:
        return Engine(folder, cfg.threads, cfg.concurrency, cfg.beam_size, cfg.vad, cfg.snap_words)

    def loaded(folder: str) -> None:
        state["loaded"] += 1
        log.info("model %s loaded (%d of %d)", folder, state["loaded"], len(folders))

    def load_embedder() -> None:
        try:
            state["embedder"] = Embedder(cfg.embed_model_dir, cfg.threads)
            log.info("embedding model %s loaded (%d dimensions)", state["embedder"].name, state["embedder"].dimensions)
        except Exception as e:  # the route says why; transcription goes on without it
            state["embed_error"] = str(e) if isinstance(e, Unavailable) else f"{type(e).__name__}: {e}"
            log.error("the embedding model could not be loaded: %s", state["embed_error"])

    def load() -> None:
        if cfg.embed_model_dir:
            load_embedder()
        t0 = time.monotonic()
        try:
            models = Models.load(cfg, load_engine or default_loader, loaded)
        except Exception as e:
            state["error"] = f"{type(e).__name__}: {e}"
            log.error("the models could not be loaded: %s", state["error"])
            return
        state["models"] = models
        metrics.model_loaded.set(1)
        log.info("models loaded in %.1f s (%s; %d threads, %d decodes at once, %d queued at most)",
                 time.monotonic() - t0, models.describe(), cfg.threads, cfg.concurrency, cfg.queue)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        # Loaded in the background: /livez answers at once, /readyz when it is in.
        threading.Thread(target=load, name="model-load", daemon=True).start()
        yield

    async def livez(_: Request) -> Response:
        return PlainTextResponse("ok\n")

    async def readyz(_: Request) -> Response:
        if state["models"] is not None:
            return PlainTextResponse("ready\n")
        why = state["error"] or f"loading the models ({state['loaded']} of {len(folders)} loaded)"
        return PlainTextResponse("not ready: " + why + "\n", status_code=503)

    async def prometheus(_: Request) -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    async def transcriptions(request: Request) -> Response:
        resp = await transcribe(request)
        metrics.requests.labels(str(resp.status_code)).inc()
        return resp

    async def transcribe(request: Request) -> Response:
        models: Models | None = state["models"]
        if models is None:
            return error(503, "The speech models are still loading; try again shortly.", "not_ready",
                         headers={"Retry-After": "5"})
        length = request.headers.get("content-length")
        if length is None or not length.isdigit():
            return error(411, "Send the request with a Content-Length.", "length_required")
        if int(length) > cfg.max_bytes:
            return error(413, f"The request is larger than {cfg.max_bytes} bytes.", "too_large")
        try:
            admission.admit()
        except Full:
            return error(503, "The server is busy transcribing; try again shortly.", "busy",
                         headers={"Retry-After": str(max(1, round(5 * (admission.waiting + 1))))})
        admitted = True
        try:
            try:
                form = await request.form(max_files=1, max_fields=16, max_part_size=FIELD_MAX)
            except Exception as e:  # malformed multipart, a field over FIELD_MAX
                return error(400, f"The request is not a valid multipart form: {e}", "invalid_form")
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                return error(400, "Send the audio as the multipart field \"file\".", "missing_file", "file")
            fmt = str(form.get("response_format") or "json")
            if fmt not in FORMATS:
                return error(400, f"response_format must be one of {', '.join(FORMATS)}.", "unsupported_format",
                             "response_format")
            try:
                language = parse_language(str(form.get("language") or ""))
                models.check(language)
            except LanguageError as e:
                return error(400, f"The {e}.", "invalid_language", "language")
            except NotInstalled as e:
                return error(400, f"Cannot transcribe: {e}.", "language_not_installed", "language")
            prompt = str(form.get("prompt") or "")
            if len(prompt) > PROMPT_MAX:
                return error(400, f"prompt must have at most {PROMPT_MAX} characters.", "invalid_prompt", "prompt")
            granularities = [str(g) for g in form.getlist("timestamp_granularities[]")]
            words = "word" in granularities and fmt == "verbose_json"
            job = Job(path=upload.file, language=language, prompt=prompt, words=words,  # type: ignore[arg-type]
                      deadline=time.monotonic() + cfg.timeout_s)
            t0 = time.monotonic()
            admitted = False  # run gives the place back
            try:
                body = await admission.run(models.transcribe, job)
            except NotInstalled as e:  # a detected language no model takes
                return error(400, f"Cannot transcribe: {e}.", "language_not_installed", "language")
            except TooLong as e:
                return error(413, f"The audio is too long: {e}.", "audio_too_long", "file")
            except AudioError as e:
                return error(400, f"The file is not audio we can read: {e}.", "unreadable_audio", "file")
            except TimedOut as e:
                log.warning("timed out: %s", e)
                return error(504, f"Transcription took longer than {cfg.timeout_s:g} s.", "timeout")
            spent = time.monotonic() - t0
            metrics.audio_seconds.inc(body["duration"])
            metrics.processing_seconds.inc(spent)
            log.info("transcribed %.1f s of audio in %.2f s (%d words, %s, %s%s)", body["duration"], spent,
                     len(body["text"].split()), body["model"], body["language"],
                     "" if language else f" detected with probability {body['language_probability']:.2f}")
            if fmt == "text":
                return PlainTextResponse(body["text"] + "\n")
            if fmt == "json":
                return JSONResponse({"text": body["text"]})
            return JSONResponse(body)
        finally:
            if admitted:
                admission.leave()
            await request.close()

    async def embeddings(request: Request) -> Response:
        resp = await embed(request)
        metrics.embed_requests.labels(str(resp.status_code)).inc()
        return resp

    async def embed(request: Request) -> Response:
        if not cfg.embed_model_dir:
            return error(404, "This server has no embedding model (ISIM_STT_EMBED_MODEL_DIR is empty).",
                         "embeddings_not_installed")
        embedder: Embedder | None = state["embedder"]
        if embedder is None:
            if state["embed_error"]:
                return error(503, f"The embedding model is unavailable: {state['embed_error']}.",
                             "embeddings_unavailable")
            return error(503, "The embedding model is still loading; try again shortly.", "not_ready",
                         headers={"Retry-After": "1"})
        raw = await request.body()
        if len(raw) > embeddings_api.MAX_BODY:
            return error(413, f"The request is larger than {embeddings_api.MAX_BODY} bytes.", "too_large")
        try:
            texts = embeddings_api.parse(raw)
        except embeddings_api.BadRequest as e:
            return error(400, str(e), "invalid_input", e.param)
        vectors, tokens = await anyio.to_thread.run_sync(embedder.embed, texts)
        return JSONResponse(embeddings_api.answer(embedder.name, vectors, tokens))

    routes = [
        Route("/v1/audio/transcriptions", transcriptions, methods=["POST"]),
        Route("/v1/embeddings", embeddings, methods=["POST"]),
        Route("/livez", livez), Route("/readyz", readyz), Route("/metrics", prometheus),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.admission = admission
    app.state.model = state
    return app
