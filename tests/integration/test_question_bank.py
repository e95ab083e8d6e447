"""The question bank over the real gateway and PostgreSQL: the bank shipped in
data/en/questions.json is there after migrating, searched and filtered as
asked; administrators export it as JSON and CSV and import either back, all
or nothing; a question an interview names is retired, never deleted."""
import csv
import io
import json
import os
import re
import subprocess
import uuid

import pytest

from conftest import psql

BANK = os.path.join(os.path.dirname(__file__), "..", "..", "data", "en", "questions.json")
FIELDS = ["id", "category", "role", "level", "language", "text", "talking_points", "star", "retired",
          "organisation_id"]


@pytest.fixture(scope="module")
def shipped():
    with open(BANK, encoding="utf-8") as f:
        return {q["id"]: q for q in json.load(f)["questions"]}


def listed(api, query=""):
    status, body = api.call("GET", "/v1/questions" + query)
    assert status == 200, body
    return body["questions"]


def tag():
    return uuid.uuid4().hex[:8]


def test_the_shipped_bank_is_there_with_its_fields(api, shipped):
    got = {q["id"]: q for q in listed(api, "?language=en&include_retired=true")}
    missing = sorted(set(shipped) - set(got))
    assert not missing, f"{len(missing)} shipped questions missing: {missing[:5]}"
    for qid, q in shipped.items():
        g = got[qid]
        for field in ("category", "role", "level", "text", "talking_points", "star"):
            assert g[field] == q[field], (qid, field, g[field], q[field])
        assert g["source"] == "bank", g
    roles = {q["role"] for q in shipped.values()}
    assert {"software-engineer", "nurse", "teacher", "finance", "graduate", "sales"} <= roles


def test_filters_by_role_level_and_category(api, shipped):
    got = listed(api, "?role=nurse&level=senior")
    want = {i for i, q in shipped.items() if q["role"] == "nurse" and q["level"] in ("senior", "any")}
    assert {q["id"] for q in got} >= want and want
    assert all(q["role"] == "nurse" and q["level"] in ("senior", "any") for q in got)
    got = listed(api, "?category=technical&role=finance")
    assert got and all(q["category"] == "technical" and q["role"] == "finance" for q in got)


@pytest.mark.parametrize("words", ["medication error", "STAKEHOLDER", "budget forecast", "code review"])
def test_text_search_finds_every_question_holding_all_the_words(api, words):
    everything = listed(api)
    def holds(q):
        hay = (q["text"] + " " + json.dumps(q["talking_points"], ensure_ascii=False)).lower()
        return all(w in hay for w in words.lower().split())
    want = {q["id"] for q in everything if holds(q)}
    got = {q["id"] for q in listed(api, "?q=" + words.replace(" ", "+"))}
    assert got == want, (words, got ^ want)


@pytest.mark.parametrize("query,names", [("?level=expert", "level"), ("?category=chat", "category"),
                                         ("?role=Nurse", "role"), ("?q=", "\"q\""), ("?colour=red", "colour")])
def test_a_bad_filter_is_refused_by_name(api, query, names):
    status, body = api.call("GET", "/v1/questions" + query)
    assert status == 422 and names in body["error"]["message"], body


def test_export_json_and_csv_hold_the_same_bank(admin_api):
    status, doc, hdrs = admin_api.call("GET", "/v1/question-bank", with_headers=True)
    assert status == 200 and doc["format"] == "isim-questions/1", doc
    assert "questions.json" in hdrs["Content-Disposition"]
    by_id = {q["id"]: q for q in doc["questions"]}
    assert len(by_id) == int(psql("SELECT count(*) FROM questions"))
    status, text, hdrs = admin_api.call("GET", "/v1/question-bank?format=csv", with_headers=True)
    assert status == 200 and hdrs["Content-Type"].startswith("text/csv"), hdrs
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0].keys()) == FIELDS
    assert len(rows) == len(by_id)
    for row in rows:
        q = by_id[row["id"]]
        assert row["text"] == q["text"] and row["level"] == q["level"]
        assert [p for p in row["talking_points"].split(" | ") if p] == q["talking_points"]
        assert row["star"] == ("true" if q["star"] else "false")
        assert row["retired"] == ("true" if q["retired"] else "false")


def test_import_json_creates_updates_and_leaves_the_same_alone(admin_api, api):
    t = tag()
    qs = [{"id": f"imp-{t}-a", "category": "behavioural", "role": "teacher", "level": "entry",
           "text": "Tell me about a lesson that did not go to plan.", "talking_points": ["the lesson", "what you changed"]},
          {"id": f"imp-{t}-b", "category": "technical", "role": "finance", "text": "What drives working capital?"}]
    status, body = admin_api.call("POST", "/v1/question-bank", {"format": "isim-questions/1", "questions": qs})
    assert status == 200 and body == {"received": 2, "created": 2, "updated": 0, "unchanged": 0}, body
    b = api.call("GET", f"/v1/questions/imp-{t}-b")[1]
    assert b["star"] is False and b["level"] == "any" and b["language"] == "en" and b["source"] == "import", b
    assert api.call("GET", f"/v1/questions/imp-{t}-a")[1]["star"] is True, "behavioural: a STAR answer by default"
    qs[1]["level"] = "senior"
    status, body = admin_api.call("POST", "/v1/question-bank", qs)
    assert status == 200 and body == {"received": 2, "created": 0, "updated": 1, "unchanged": 1}, body
    assert api.call("GET", f"/v1/questions/imp-{t}-b")[1]["level"] == "senior"
    qs[1]["level"] = "mid"
    status, body = admin_api.call("POST", "/v1/question-bank?mode=missing", qs)
    assert status == 200 and body["updated"] == 0 and body["unchanged"] == 2, body
    assert api.call("GET", f"/v1/questions/imp-{t}-b")[1]["level"] == "senior", "missing mode keeps what is there"


def test_import_csv_with_quotes_commas_and_line_breaks(admin_api, api):
    t = tag()
    text = 'Walk me through a "three-statement" model,\nline by line.'
    data = ("id,category,role,level,text,talking_points,star\r\n"
            f'csv-{t},technical,finance,mid,"{text.replace(chr(34), chr(34) * 2)}",'
            '"income statement | balance sheet, and cash flow",false\r\n').encode()
    status, body = admin_api.call("POST", "/v1/question-bank", raw=data, headers={"Content-Type": "text/csv"})
    assert status == 200 and body["created"] == 1, body
    q = api.call("GET", f"/v1/questions/csv-{t}")[1]
    assert q["text"] == text and q["talking_points"] == ["income statement", "balance sheet, and cash flow"], q


def test_a_bad_import_stores_nothing_and_names_the_question(admin_api, api):
    t = tag()
    good = {"id": f"bad-{t}-ok", "category": "general", "text": "Why teaching?"}
    wrong = {"id": f"bad-{t}-no", "category": "general", "level": "guru", "text": "x"}
    status, body = admin_api.call("POST", "/v1/question-bank", [good, wrong])
    assert status == 422 and "Question 2" in body["error"]["message"] and "level" in body["error"]["message"], body
    assert api.call("GET", f"/v1/questions/bad-{t}-ok")[0] == 404, "nothing of a refused import is stored"
    data = f"id,category,text,star\nbad-{t}-c1,general,Fine,true\nbad-{t}-c2,general,Not fine,maybe\n".encode()
    status, body = admin_api.call("POST", "/v1/question-bank", raw=data, headers={"Content-Type": "text/csv"})
    assert status == 422 and "Row 3" in body["error"]["message"], body
    assert api.call("GET", f"/v1/questions/bad-{t}-c1")[0] == 404
    status, body = admin_api.call("POST", "/v1/question-bank", raw=b"<xml/>", headers={"Content-Type": "text/xml"})
    assert status == 415, body


def test_only_administrators_export_import_or_edit(api):
    assert api.call("GET", "/v1/question-bank")[0] == 403
    assert api.call("POST", "/v1/question-bank", [])[0] == 403
    assert api.call("POST", "/v1/questions", {"id": f"u-{tag()}", "category": "general", "text": "x"})[0] == 403


def test_a_question_an_interview_names_is_retired_not_deleted(admin_api, api):
    t = tag()
    qid = f"ret-{t}"
    assert admin_api.call("POST", "/v1/questions", {"id": qid, "category": "general", "text": "Why sales?",
                                                    "level": "entry"})[0] == 201
    iv = api.call("POST", "/v1/interviews", {"question_id": qid})[1]
    assert admin_api.call("DELETE", f"/v1/questions/{qid}")[0] in (200, 204)
    assert qid not in {q["id"] for q in listed(api)}
    assert qid in {q["id"] for q in listed(api, "?include_retired=true")}
    assert api.call("GET", f"/v1/interviews/{iv['id']}")[1]["question_id"] == qid
    exported = {q["id"]: q for q in admin_api.call("GET", "/v1/question-bank")[1]["questions"]}
    assert exported[qid]["retired"] is True


def test_a_new_release_of_the_bank_keeps_what_an_administrator_changed(admin_api, api, shipped):
    """Editing a shipped question makes it the administrator's: migrating again
    (as an upgrade does) puts back the bank's text only where nobody edited it."""
    edited, touched = "angry-customer", "why-this-company"
    try:
        check_edits_survive(admin_api, api, shipped, edited, touched)
    finally:  # as shipped again, for the other tests of a database that outlives this run
        psql("UPDATE questions SET level = :'p1', source = 'bank', retired_at = NULL WHERE id = :'p0'",
             edited, shipped[edited]["level"])
        psql("UPDATE questions SET retired_at = NULL WHERE id = :'p0'", touched)


def check_edits_survive(admin_api, api, shipped, edited, touched):
    assert admin_api.call("PUT", f"/v1/questions/{edited}", {"level": "senior"})[0] == 200
    assert api.call("GET", f"/v1/questions/{edited}")[1]["source"] == "admin"
    # Retiring is not editing the text: the question stays the bank's.
    assert admin_api.call("PUT", f"/v1/questions/{touched}", {"retired": True})[0] == 200
    assert api.call("GET", f"/v1/questions/{touched}")[1]["source"] == "bank"
    psql("UPDATE questions SET level = 'entry' WHERE id = :'p0'", touched)  # as an older release shipped it
    cli = os.path.join(os.environ.get("ISIM_BUILD_DIR", "build"), "isim")
    out = subprocess.run([cli, "admin", "migrate"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert re.search(r"question bank: \d+ shipped question\(s\) added, [1-9]\d* updated", out.stdout), out.stdout
    q = api.call("GET", f"/v1/questions/{touched}")[1]
    assert q["level"] == shipped[touched]["level"] and q["retired"] is True, "the bank's text back, still retired"
    assert api.call("GET", f"/v1/questions/{edited}")[1]["level"] == "senior", "the administrator's edit stays"
