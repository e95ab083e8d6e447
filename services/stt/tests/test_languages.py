"""Languages: a Portuguese request is transcribed in Portuguese, a request
without a language gets it detected, a language nobody knows is a 400, and a
server with the English model alone says clearly that it has no Portuguese.

Portuguese audio: the pytest-audioeval sample clips (conftest.sample) and an
answer spoken by espeak-ng's Brazilian voice."""
from __future__ import annotations

import re
import subprocess
import time

import numpy as np
import pytest

from conftest import ENGLISH, MULTILINGUAL, Server, clip, ffmpeg, model_dir, sample
from test_bad_input import wav
from test_contract import wer

ANSWER_PT = ("Na minha última empresa, eu liderei um projeto difícil. A equipe tinha pouco tempo, então nós "
             "dividimos o trabalho e entregamos tudo antes do prazo.")
# The transcriber's filler prompt, as it will send it for a Portuguese interview.
PROMPT_PT = "Hum, é, então, tipo, sabe, quer dizer... eu estava, é, pensando."


def words_pt(text: str) -> list[str]:
    return re.findall(r"[a-zà-ÿ']+", text.lower())


def espeak(text: str, voice: str) -> bytes:
    speech = subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "--stdout", text], check=True,
                            capture_output=True).stdout
    return subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-i", "pipe:0", "-ar", "16000", "-ac", "1",
                           "-f", "wav", "-"], input=speech, check=True, capture_output=True).stdout


@pytest.fixture(scope="module")
def routed():
    """tiny.en for English, base for the rest (ISIM_STT_MODELS), for a deployment that wants English faster."""
    s = Server(ISIM_STT_MODELS=f"en={model_dir(ENGLISH)}")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def english_only():
    s = Server(ISIM_STT_MODEL_DIR=model_dir(ENGLISH), ISIM_STT_MODELS="")
    yield s
    s.stop()


def test_portuguese_comes_back_in_portuguese(server):
    audio, text = sample("pt", "pangrama")
    status, body, _ = server.transcribe(audio, response_format="verbose_json", language="pt-BR", prompt=PROMPT_PT,
                                        **{"timestamp_granularities[]": "word"})
    assert status == 200, body
    assert (body["language"], body["language_probability"], body["model"]) == ("pt", 1.0, MULTILINGUAL), body
    assert wer(words_pt(text), words_pt(body["text"])) <= 0.25, body["text"]
    assert "preguiçoso" in words_pt(body["text"]) and body["words"], body
    # A longer answer in espeak-ng's Brazilian voice, with the Portuguese
    # filler prompt: Portuguese words, none of the prompt's own.
    status, body, _ = server.transcribe(espeak(ANSWER_PT, "pt-br"), response_format="verbose_json", language="pt",
                                        prompt=PROMPT_PT)
    assert status == 200 and body["language"] == "pt", body
    said = set(words_pt(body["text"]))
    assert len(said & {"minha", "última", "empresa", "projeto", "equipe", "tempo", "então", "nós", "trabalho",
                       "tudo", "antes"}) >= 6, body["text"]
    assert not said & {"pensando", "tipo", "sabe"}, body["text"]


def test_the_filler_prompt_does_not_run_on_after_a_short_answer(server):
    """A 1 s clip with the Portuguese filler prompt: Whisper went on "Eu não
    sei o que é o que é ..." for the rest of the window; that loop is dropped."""
    audio, text = sample("pt", "ola_mundo")
    status, body, _ = server.transcribe(audio, response_format="verbose_json", language="pt", prompt=PROMPT_PT)
    assert status == 200 and 1 <= len(words_pt(body["text"])) <= 3, body["text"]


def test_detection_tells_portuguese_from_english(server):
    for name, asked in (("pangrama", {}), ("contagem", {"language": "auto"})):
        audio, _ = sample("pt", name)
        for fields in (asked,):
            status, body, _ = server.transcribe(audio, response_format="verbose_json", **fields)
            assert status == 200 and body["language"] == "pt" and body["model"] == MULTILINGUAL, body
            assert 0.5 < body["language_probability"] <= 1.0, body
    english = ffmpeg("-i", str(clip("0870")), "-ar", "16000", "-ac", "1")  # LibriVox: recorded speech
    status, body, _ = server.transcribe(english, response_format="verbose_json", language="auto")
    assert status == 200 and (body["language"], body["model"]) == ("en", MULTILINGUAL), body
    assert 0.5 < body["language_probability"] <= 1.0 and "dashwood" in body["text"].lower(), body


def test_each_language_goes_to_its_model(routed):
    """ISIM_STT_MODELS=en=tiny.en: English to tiny.en, given or detected, Portuguese to base."""
    english = ffmpeg("-i", str(clip("0870")), "-ar", "16000", "-ac", "1")
    status, body, _ = routed.transcribe(english, response_format="verbose_json", language="en-GB")
    assert status == 200 and (body["language"], body["language_probability"], body["model"]) == ("en", 1.0, ENGLISH)
    status, body, _ = routed.transcribe(english, response_format="verbose_json")
    assert status == 200 and (body["language"], body["model"]) == ("en", ENGLISH), body
    assert 0.5 < body["language_probability"] <= 1.0 and "dashwood" in body["text"].lower(), body
    audio, _ = sample("pt", "pangrama")
    for fields in ({"language": "pt"}, {}):
        status, body, _ = routed.transcribe(audio, response_format="verbose_json", **fields)
        assert status == 200 and (body["language"], body["model"]) == ("pt", MULTILINGUAL), body


def test_unknown_languages_are_a_400_naming_them(server):
    audio, _ = sample("pt", "ola_mundo")
    for tag, words in (("xx", "'xx' is not among Whisper's"), ("klingon", "not a language tag"),
                       ("pt-", "not a language tag"), ("tlh-KL", "'tlh' is not among")):
        status, body, _ = server.transcribe(audio, response_format="json", language=tag)
        assert status == 400 and body["error"]["code"] == "invalid_language", (tag, body)
        assert words in body["error"]["message"] and body["error"]["param"] == "language", (tag, body)


def test_no_speech_has_no_language(server):
    status, body, _ = server.transcribe(wav(np.zeros(16000 * 3)), response_format="verbose_json")
    assert status == 200 and body["text"] == "", body
    assert body["language"] is None and body["language_probability"] == 0.0, body


def test_english_only_install_says_it_has_no_portuguese(english_only):
    assert english_only.get("/readyz") == (200, b"ready\n")
    audio, _ = sample("pt", "pangrama")
    status, body, _ = english_only.transcribe(audio, response_format="json", language="pt-BR")
    assert status == 400 and body["error"]["code"] == "language_not_installed", body
    assert "no speech model for Portuguese (pt) is installed" in body["error"]["message"], body
    assert "English (en)" in body["error"]["message"], body
    status, body, _ = english_only.transcribe(audio, response_format="json", language="auto")
    assert status == 400 and body["error"]["code"] == "language_not_installed", body
    assert "multilingual model" in body["error"]["message"], body
    english = ffmpeg("-i", str(clip("0870")), "-ar", "16000", "-ac", "1")
    status, body, _ = english_only.transcribe(english, response_format="verbose_json", language="en")
    assert status == 200 and body["model"] == ENGLISH and "dashwood" in body["text"].lower(), body


def test_ready_only_when_every_model_is_loaded():
    """A model that cannot be loaded keeps /readyz at 503 with the reason, and
    requests get 503; a Portuguese route to the English-only model is refused."""
    for models, why in (("pt=/nonexistent/whisper-base", "/nonexistent/whisper-base holds no CTranslate2 model"),
                        (f"pt={model_dir(ENGLISH)}", "which knows English only")):
        s = Server(ready=False, ISIM_STT_MODELS=models)
        try:
            for _ in range(100):
                status, text = s.get("/readyz")
                if b"loading" not in text:
                    break
                time.sleep(0.1)
            assert status == 503 and why in text.decode(), text
            status, body, _ = s.transcribe(sample("en", "hello_world")[0], response_format="json", language="en")
            assert status == 503 and body["error"]["code"] == "not_ready", body
        finally:
            s.stop()
