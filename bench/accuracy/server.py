"""The benchmark's own speech-to-text server (services/stt) on a free port,
with the project's default settings and, unless told otherwise, its models as
docker/stt.Dockerfile sets them: whisper-base for every language."""
from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str, timeout: float = 5.0) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode()
    except Exception:
        return 0, ""


def metrics(url: str) -> dict[str, float]:
    """The server's isim_stt_* counters and gauges without labels."""
    _, text = get(url + "/metrics")
    out: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith("isim_stt_") and "{" not in line:
            name, _, value = line.partition(" ")
            out[name] = float(value)
    return out


def base_alone(deps: Path) -> dict[str, str]:
    return {"ISIM_STT_MODEL_DIR": str(deps / "stt-model" / "whisper-base")}


def deployed(deps: Path) -> dict[str, str]:
    return base_alone(deps)


def english_only(deps: Path) -> dict[str, str]:
    return {"ISIM_STT_MODEL_DIR": str(deps / "stt-model" / "whisper-tiny.en")}


@contextmanager
def stt_server(repo: Path, deps: Path, log_path: Path, ready_timeout_s: float = 180.0,
               settings: dict[str, str] | None = None) -> Iterator[str]:
    """Starts the server (``settings``: ISIM_STT_* besides the defaults, the
    deployed models when None), yields its base URL once /readyz is 200, stops it."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ISIM_STT_")}  # not the caller's shell's
    env.update(deployed(deps) if settings is None else settings, ISIM_STT_PORT=str(port), ISIM_STT_HOST="127.0.0.1")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([str(deps / "stt-venv" / "bin" / "python"), "-m", "isim_stt"],
                                cwd=repo / "services" / "stt", env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + ready_timeout_s
        while get(url + "/readyz", 2.0)[0] != 200:
            if proc.poll() is not None:
                raise RuntimeError(f"speech-to-text server exited ({proc.returncode}); see {log_path}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"speech-to-text server not ready in {ready_timeout_s} s; see {log_path}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
