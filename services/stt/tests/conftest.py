"""The real server (python -m isim_stt) with the real models, on free ports.

ISIM_STT_TEST_MODELS names the folder of the models and ISIM_STT_TEST_CLIPS
that of the Portuguese and English sample clips (deploy/deps.sh installs them
in .deps/stt-model and .deps/stt-clips; these are the defaults) and
ISIM_STT_TEST_EMBED_MODEL that of the sentence-embedding model
(.deps/embed-model). The tests
make their audio from those clips, Debian's pocketsphinx-testdata recordings
and espeak-ng with ffmpeg."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
DEPS = HERE.parents[2] / ".deps"
LIBRIVOX = Path("/usr/share/pocketsphinx/test/data/librivox")
ENGLISH, MULTILINGUAL = "whisper-tiny.en", "whisper-base"
EMBED = "all-MiniLM-L6-v2-int8"


def model_dir(name: str) -> str:
    d = os.path.join(os.environ.get("ISIM_STT_TEST_MODELS", str(DEPS / "stt-model")), name)
    if not os.path.isfile(os.path.join(d, "model.bin")):
        pytest.fail(f"{d} holds no model: run deploy/deps.sh")
    return d


def clips_dir() -> Path:
    d = Path(os.environ.get("ISIM_STT_TEST_CLIPS", str(DEPS / "stt-clips")))
    if not (d / "pt").is_dir():
        pytest.fail(f"{d} holds no clips: run deploy/deps.sh")
    return d


def sample(lang: str, name: str) -> tuple[bytes, str]:
    """A clip of the sample set (16 kHz WAV) and its text."""
    d = clips_dir() / lang
    return (d / f"{name}.wav").read_bytes(), (d / f"{name}.txt").read_text().strip()


def embed_model_dir() -> str:
    d = os.path.join(os.environ.get("ISIM_STT_TEST_EMBED_MODEL", str(DEPS / "embed-model")), EMBED)
    if not os.path.isfile(os.path.join(d, "model.onnx")):
        pytest.fail(f"{d} holds no embedding model: run deploy/deps.sh")
    return d


def deployed() -> dict[str, str]:
    """The models as docker/stt.Dockerfile and the chart set them: base for every language,
    and the sentence-embedding model."""
    return {"ISIM_STT_MODEL_DIR": model_dir(MULTILINGUAL), "ISIM_STT_MODELS": "",
            "ISIM_STT_EMBED_MODEL_DIR": embed_model_dir()}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, ready: bool = True, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        e = dict(os.environ, **deployed(), ISIM_STT_PORT=str(self.port))
        e.update(env)
        self.log = open(f"/tmp/isim-stt-test-{self.port}.log", "w+")
        self.proc = subprocess.Popen([sys.executable, "-m", "isim_stt"], cwd=HERE.parent, env=e,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited: " + self.logs())
            try:
                if self.get("/readyz")[0] == 200 or (not ready and self.get("/livez")[0] == 200):
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("server not ready in 120 s: " + self.logs())

    def logs(self) -> str:
        self.log.seek(0)
        return self.log.read()

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def post_json(self, path: str, body: object, timeout: float = 60) -> tuple[int, dict]:
        req = urllib.request.Request(self.url + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def transcribe(self, audio: bytes | None, filename: str = "answer.wav", timeout: float = 300,
                   **fields: str | list[str]) -> tuple[int, dict | str, dict]:
        """POSTs a multipart form as the transcriber does; returns status, body, headers."""
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            for v in value if isinstance(value, list) else [value]:
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{v}\r\n'.encode())
        if audio is not None:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                         f'Content-Type: audio/wav\r\n\r\n'.encode() + audio + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        req = urllib.request.Request(self.url + "/v1/audio/transcriptions", data=body, method="POST",
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                status, raw, headers = r.status, r.read(), dict(r.headers)
        except urllib.error.HTTPError as e:
            status, raw, headers = e.code, e.read(), dict(e.headers)
        text = raw.decode()
        try:
            return status, json.loads(text), headers
        except ValueError:
            return status, text, headers

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


@pytest.fixture(scope="session")
def server():
    s = Server()
    yield s
    s.stop()


def ffmpeg(*args: str) -> bytes:
    return subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", *args, "-f", "wav", "-"],
                          check=True, capture_output=True).stdout


def clip(name: str) -> Path:
    return LIBRIVOX / f"sense_and_sensibility_01_austen_64kb-{name}.wav"


def reference(name: str) -> str:
    for line in (LIBRIVOX / "transcription").read_text().splitlines():
        if f"austen_64kb-{name})" in line:
            return line.split("</s>")[0].replace("<s>", "").strip()
    raise KeyError(name)
