"""Languages: the gateway offers them without a key, refuses others at
creation, keeps codes canonical and takes a bank question's language; the
bank has questions in Portuguese; a Portuguese answer goes through every
stage to a report in Portuguese, and auto detects the language."""
import json
import os
import shutil
import subprocess
import urllib.request

import pytest

from conftest import GATEWAY, put_file


def test_languages_are_listed_without_a_key(api):
    with urllib.request.urlopen(GATEWAY + "/v1/languages", timeout=10) as r:
        body = json.loads(r.read())
    codes = [lang["code"] for lang in body["languages"]]
    assert codes[:2] == ["en", "pt-BR"] and body["default"] == "en" and body["auto"] is True
    assert {lang["code"]: lang["name"] for lang in body["languages"]}["pt-BR"] == "Português (Brasil)"


def test_unsupported_language_is_refused_at_creation(api):
    status, body = api.call("POST", "/v1/interviews", {"question": "Q?", "language": "xx-YY"})
    assert status == 422 and body["error"]["code"] == "unsupported_language", body
    assert "pt-BR" in body["error"]["message"] and "auto" in body["error"]["message"]
    status, body = api.call("POST", "/v1/interviews", {"question": "Q?", "language": 7})
    assert status == 422, body


def test_language_codes_are_canonical_and_default_to_the_question(api):
    status, body = api.call("POST", "/v1/interviews", {"question": "Fale sobre você.", "language": "PT-br"})
    assert status == 201 and body["language"] == "pt-BR", body
    status, got = api.call("GET", f"/v1/interviews/{body['id']}")
    assert got["language"] == "pt-BR" and got["detected_language"] is None
    status, qs = api.call("GET", "/v1/questions?language=pt-BR")
    status, body = api.call("POST", "/v1/interviews", {"question_id": qs["questions"][0]["id"]})
    assert status == 201 and body["language"] == "pt-BR", body
    status, body = api.call("POST", "/v1/interviews", {"question": "Tell me about yourself."})
    assert body["language"] == "en"


def test_the_bank_has_portuguese_questions(api):
    status, body = api.call("GET", "/v1/questions?language=pt-br")
    assert status == 200
    qs = body["questions"]
    assert len(qs) >= 40 and all(q["language"] == "pt-BR" for q in qs)
    assert all(q["talking_points"] for q in qs)
    status, body = api.call("GET", "/v1/questions?language=klingon")
    assert status == 422


# Written for this test: fillers set off by pauses (SSML breaks), a STAR
# shape and a number. espeak-ng's pt-br voice: synthetic speech, for the path
# and the texts, not for accuracy (docs/accuracy.md has the figures).
ANSWER_PT = (
    '<speak>Então, <break time="800ms"/> no meu último emprego eu liderei a migração do sistema de pagamentos. '
    'O desafio era que o sistema antigo caía toda semana, né. <break time="800ms"/> '
    'Eu organizei a equipe, implementei testes automáticos e reduzi as falhas em oitenta por cento. '
    'O resultado foi que os clientes pararam de reclamar.</speak>')


@pytest.fixture(scope="module")
def answer_pt(tmp_path_factory):
    if not shutil.which("espeak-ng"):
        pytest.fail("espeak-ng is missing: deploy/deps.sh installs it")
    wav = tmp_path_factory.mktemp("pt") / "resposta.wav"
    subprocess.run(["espeak-ng", "-v", "pt-br", "-s", "140", "-m", "-w", str(wav), ANSWER_PT], check=True)
    return str(wav)


def submit(api, path, **fields):
    status, created = api.call("POST", "/v1/interviews", dict(fields, size_bytes=os.path.getsize(path)))
    assert status == 201, created
    put_file(created["upload"]["url"], path)
    assert api.call("POST", f"/v1/interviews/{created['id']}/uploaded")[0] == 202
    return api.wait_done(created["id"], timeout=300)


def test_a_portuguese_answer_gets_a_portuguese_report(api, answer_pt):
    done = submit(api, answer_pt, question="Conte sobre uma vez em que você resolveu um problema difícil.",
                  language="pt-BR")
    assert done["status"] == "complete", done
    report = done["report"]
    assert report["language"] == "pt-BR" and report["delivery"]["language"] == "pt-BR"
    words = [w["word"] for w in report["transcript"]["words"]]
    text = " ".join(words)
    # Portuguese words, accents kept, from the multilingual model.
    assert report["transcript"]["model"] == "whisper-base"
    assert sum(w in words for w in ("sistema", "equipe", "resultado", "clientes", "pagamentos", "semana")) >= 3, text
    assert any(ch in text for ch in "ãçéáêõí"), text
    # Tips and notes in Portuguese, from data/pt-BR/report.json, with the
    # Portuguese pace range of the rubric.
    with open(os.path.join(os.path.dirname(__file__), "..", "..", "data", "pt-BR", "report.json")) as f:
        portuguese = set(json.load(f).values())
    messages = [t["message"] for t in report["tips"]]
    assert messages and all(m in portuguese for m in messages), messages
    crit = {c["metric"]: c for c in report["score"]["parts"]["delivery"]["criteria"]}
    pace = [t for t in report["tips"] if t["metric"] == "pace_wpm"]
    assert "pace_wpm" in crit and all(t["good_min"] == 90 and t["good_max"] == 150 for t in pace)


def test_a_portuguese_clip_is_detected_when_asked_auto(api):
    clip = os.path.join(os.environ.get("ISIM_DEPS_DIR", os.path.join(os.path.dirname(__file__), "../../.deps")),
                        "stt-clips/pt/pangrama.wav")
    done = submit(api, clip, question="Leia a frase.", language="auto")
    assert done["status"] == "complete", done
    assert done["language"] == "auto"
    assert done["detected_language"] == "pt-BR", done
    assert 0.5 < done["language_probability"] <= 1
    assert done["report"]["language"] == "pt-BR"
