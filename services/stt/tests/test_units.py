"""Configuration and the admission bound, without a model."""
from __future__ import annotations

import anyio
import pytest

from isim_stt import config
from isim_stt.admission import Admission, Full


def test_defaults_and_errors():
    c = config.load({"ISIM_STT_MODEL_DIR": "/m"})
    assert (c.port, c.concurrency, c.queue, c.vad, c.beam_size) == (29200, 1, 8, True, 5)
    assert c.threads == 1
    assert config.load({"ISIM_STT_MODEL_DIR": "/m", "ISIM_STT_THREADS": "0"}).threads >= 1  # one per core
    for env, words in (({}, "ISIM_STT_MODEL_DIR is not set"),
                       ({"ISIM_STT_MODEL_DIR": "/m", "ISIM_STT_QUEUE": "-1"}, "at least 0"),
                       ({"ISIM_STT_MODEL_DIR": "/m", "ISIM_STT_PORT": "http"}, "whole number"),
                       ({"ISIM_STT_MODEL_DIR": "/m", "ISIM_STT_VAD": "yes"}, "0 or 1"),
                       ({"ISIM_STT_MODEL_DIR": "/m", "ISIM_STT_TIMEOUT_S": "0"}, "more than 0")):
        with pytest.raises(config.ConfigError, match=words):
            config.load(env)
    table = config.markdown_table()
    assert all(f"`{s.env}`" in table for s in config.TABLE)


def test_admission_bounds_running_and_waiting():
    a = Admission(running=1, waiting=1)
    a.admit()
    a.admit()
    with pytest.raises(Full):
        a.admit()
    a.leave()
    a.admit()

    async def main():
        started, release = anyio.Event(), anyio.Event()
        seen = []

        def work(n):
            seen.append((n, a.running, a.waiting))
            return n

        async def first():
            async with anyio.create_task_group() as tg:
                tg.start_soon(a.run, work, 1)
                tg.start_soon(a.run, work, 2)
            started.set()

        await first()
        release.set()
        return seen

    seen = anyio.run(main)
    assert sorted(n for n, _, _ in seen) == [1, 2]
    assert all(running == 1 for _, running, _ in seen)  # never two at once
    assert (a.running, a.waiting) == (0, 0)  # every place given back
