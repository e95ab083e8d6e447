"""Languages at the gateway: it offers them without a key, refuses others
at creation, keeps codes canonical, takes a bank question's language, and
the bank has questions in Portuguese."""
import json
import urllib.request

from conftest import GATEWAY


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
