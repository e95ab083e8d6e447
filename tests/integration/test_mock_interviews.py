"""Mock interviews over the real stack: questions drawn from the bank for a
role and level (or chosen), each answer a real recording through the whole
pipeline, attached to its place, and a combined report whose figures are
recomputed here from the answers' own reports. Retakes of a question list
each other; nobody else sees any of it."""
import math
import os
from collections import defaultdict

import pytest

from conftest import put_file


def half_up(x):
    """Rounding as the report does (C's round: halves away from zero), not Python's to-even."""
    return math.floor(x + 0.5)


def record(api, media_dir, question_id, clip):
    """A real answer to a bank question: created, uploaded, submitted (not waited for)."""
    path = os.path.join(media_dir, clip)
    status, created = api.call("POST", "/v1/interviews", {"question_id": question_id,
                                                          "size_bytes": os.path.getsize(path)})
    assert status == 201, created
    assert put_file(created["upload"]["url"], path) == 200
    status, body = api.call("POST", f"/v1/interviews/{created['id']}/uploaded")
    assert status == 202, body
    return created["id"]


@pytest.fixture(scope="module")
def candidate(admin_api):
    return admin_api.new_user("mock interview candidate")


@pytest.fixture(scope="module")
def finished(candidate, media_dir):
    """A mock interview of three chosen questions: two answered with different
    recordings and processed, the third left open, then finished."""
    qids = ["hard-problem", "leadership", "why-this-company"]
    status, mock = candidate.call("POST", "/v1/mock-interviews", {"question_ids": qids, "thinking_s": 10,
                                                                   "answer_max_s": 60, "title": "Practice"})
    assert status == 201, mock
    assert [q["question"]["id"] for q in mock["questions"]] == qids
    assert mock["next"]["position"] == 1 and mock["next"]["question"]["id"] == qids[0]
    ids = []
    for pos, clip in ((1, "sample.webm"), (2, "faults-a.webm")):
        iid = record(candidate, media_dir, qids[pos - 1], clip)
        status, mock = candidate.call("POST", f"/v1/mock-interviews/{mock['id']}/answers", {"interview_id": iid})
        assert status == 200, mock
        assert mock["questions"][pos - 1]["interview_id"] == iid
        ids.append(iid)
    assert mock["next"]["position"] == 3
    reports = [candidate.wait_done(iid) for iid in ids]
    assert all(r["status"] == "complete" for r in reports), [r["failure_reason"] for r in reports]
    status, done = candidate.call("POST", f"/v1/mock-interviews/{mock['id']}/finish")
    assert status == 200 and done["status"] == "finished" and done["next"] is None, done
    status, combined = candidate.call("GET", f"/v1/mock-interviews/{mock['id']}/report")
    assert status == 200, combined
    return mock, [r["report"] for r in reports], combined


def test_the_combined_report_is_the_answers_reports_combined(finished):
    mock, reports, combined = finished
    assert combined["mock_interview_id"] == mock["id"] and combined["status"] == "finished"
    assert (combined["questions"], combined["answered"], combined["complete"]) == (3, 2, 2)
    overall = [r["score"]["overall"] for r in reports]
    assert combined["overall"] == half_up(sum(overall) / 2)
    for part in ("delivery", "content", "on_camera"):
        scores = [r["score"]["parts"][part]["score"] for r in reports if r["score"]["parts"][part]["score"] is not None]
        if scores:
            assert combined["parts"][part] == half_up(sum(scores) / len(scores)), part
    assert [a["overall"] for a in combined["answers"][:2]] == overall
    assert combined["answers"][2]["interview_id"] is None and combined["answers"][2]["overall"] is None


def criteria(report):
    return {c["metric"]: c for p in report["score"]["parts"].values() for c in p["criteria"]
            if c.get("score") is not None}


def test_what_improved_and_dropped_from_the_first_answer_to_the_last(finished):
    _, (first, last), combined = finished
    change = combined["change"]
    assert (change["from_position"], change["to_position"]) == (1, 2)
    assert change["overall"]["delta"] == pytest.approx(last["score"]["overall"] - first["score"]["overall"])
    a, b = criteria(first), criteria(last)
    moved = {m: b[m]["score"] - a[m]["score"] for m in a.keys() & b.keys() if abs(b[m]["score"] - a[m]["score"]) >= 5}
    want_up = sorted((m for m, d in moved.items() if d > 0), key=lambda m: -moved[m])[:5]
    want_down = sorted((m for m, d in moved.items() if d < 0), key=lambda m: moved[m])[:5]
    assert [c["metric"] for c in change["improved"]] == want_up
    assert [c["metric"] for c in change["dropped"]] == want_down
    assert moved, "two different recordings should differ in some criterion"


def test_the_top_tips_cost_the_most_points_across_answers(finished):
    _, reports, combined = finished
    lost = defaultdict(float)
    for r in reports:
        for tip in r["tips"]:
            lost[tip["metric"]] += tip["points_lost"]
    want = sorted(lost, key=lambda m: -lost[m])[:3]
    got = combined["top_tips"]
    assert [t["metric"] for t in got] == want
    for t in got:
        assert t["points_lost"] == pytest.approx(round(lost[t["metric"]], 1))
        assert t["moments"] and all(m["interview_id"] for m in t["moments"])


def test_retakes_of_a_question_list_each_other(candidate, media_dir, finished):
    first_id = finished[0]["questions"][0]["interview_id"]
    again = record(candidate, media_dir, "hard-problem", "faults-b.webm")
    done = candidate.wait_done(again)
    assert done["status"] == "complete", done
    attempts = done["attempts"]
    ids = [a["id"] for a in attempts]
    assert ids.index(first_id) < ids.index(again), "oldest first"
    earlier = next(a for a in attempts if a["id"] == first_id)
    assert earlier["score"]["overall"] == finished[1][0]["score"]["overall"]
    status, body = candidate.call("GET", f"/v1/interviews/{first_id}")
    assert again in [a["id"] for a in body["attempts"]], "an earlier answer links to the later ones too"


def test_drawn_for_a_role_and_level(candidate):
    status, mock = candidate.call("POST", "/v1/mock-interviews", {"role": "nurse", "level": "senior"})
    assert status == 201, mock
    qs = [q["question"] for q in mock["questions"]]
    assert [q["category"] for q in qs[:3]] == ["general", "behavioural", "behavioural"]
    assert qs[0]["role"] == "any" and all(q["role"] in ("any", "nurse") for q in qs[1:3])
    assert qs[3]["role"] == "nurse", "one of the role's own questions"
    assert all(q["level"] in ("senior", "any") for q in qs) and len({q["id"] for q in qs}) == 4
    assert mock["thinking_s"] == 30 and mock["answer_max_s"] >= 15
    status, mock = candidate.call("POST", "/v1/mock-interviews",
                                  {"role": "teacher", "plan": {"technical": 2, "role": 1}, "language": "en"})
    assert status == 201, mock
    assert len(mock["questions"]) == 3 and all(q["question"]["role"] in ("teacher", "any") for q in mock["questions"])


@pytest.mark.parametrize("body,code", [
    ({"role": "nurse", "plan": {"technical": 9}}, "not_enough_questions"),
    ({"plan": {"role": 1}}, "invalid_mock_interview"),
    ({"plan": {"jokes": 1}}, "invalid_mock_interview"),
    ({"question_ids": []}, "invalid_mock_interview"),
    ({"question_ids": ["hard-problem", "hard-problem"]}, "invalid_mock_interview"),
    ({"question_ids": ["no-such-question-here"]}, "unknown_question"),
    ({"question_ids": ["hard-problem"], "role": "nurse"}, "invalid_mock_interview"),
    ({"thinking_s": 9999}, "invalid_mock_interview"),
    ({"level": "guru"}, "invalid_mock_interview"),
])
def test_a_bad_request_is_refused_with_a_reason(candidate, body, code):
    status, resp = candidate.call("POST", "/v1/mock-interviews", body)
    assert status == 422 and resp["error"]["code"] == code, resp


def test_an_answer_must_fit_its_place(candidate, admin_api):
    status, mock = candidate.call("POST", "/v1/mock-interviews", {"question_ids": ["failure", "leadership"]})
    assert status == 201
    other = candidate.call("POST", "/v1/interviews", {"question_id": "tight-deadline"})[1]["id"]
    status, body = candidate.call("POST", f"/v1/mock-interviews/{mock['id']}/answers", {"interview_id": other})
    assert status == 422 and body["error"]["code"] == "wrong_question" and "failure" in body["error"]["message"], body
    stranger = admin_api.new_user("someone else")
    theirs = stranger.call("POST", "/v1/interviews", {"question_id": "failure"})[1]["id"]
    status, body = candidate.call("POST", f"/v1/mock-interviews/{mock['id']}/answers", {"interview_id": theirs})
    assert status == 422 and body["error"]["code"] == "unknown_interview", body
    mine = candidate.call("POST", "/v1/interviews", {"question_id": "leadership"})[1]["id"]
    status, body = candidate.call("POST", f"/v1/mock-interviews/{mock['id']}/answers",
                                  {"interview_id": mine, "position": 2})
    assert status == 200 and body["questions"][1]["interview_id"] == mine and body["next"]["position"] == 1
    assert stranger.call("GET", f"/v1/mock-interviews/{mock['id']}")[0] == 404
    assert stranger.call("GET", f"/v1/mock-interviews/{mock['id']}/report")[0] == 404
    assert mock["id"] not in [m["id"] for m in stranger.call("GET", "/v1/mock-interviews")[1]["mock_interviews"]]
    assert candidate.call("POST", f"/v1/mock-interviews/{mock['id']}/finish")[0] == 200
    status, body = candidate.call("POST", f"/v1/mock-interviews/{mock['id']}/answers", {"interview_id": mine})
    assert status == 409 and body["error"]["code"] == "mock_finished", body
    listed = candidate.call("GET", "/v1/mock-interviews")[1]["mock_interviews"]
    row = next(m for m in listed if m["id"] == mock["id"])
    assert (row["questions"], row["answered"], row["status"]) == (2, 1, "finished")
    assert candidate.call("DELETE", f"/v1/mock-interviews/{mock['id']}")[0] == 204
    assert candidate.call("GET", f"/v1/interviews/{mine}")[0] == 200, "deleting the mock keeps the answers"
