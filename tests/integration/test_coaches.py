"""Organisations, cohorts and coaches over the real gateway and pipeline. Every
access rule is a test: a coach sees the interviews, comments and overview of
the members of the cohorts they coach and nobody else's; a candidate sees
their own only; comments are seen by the candidate and their coaches only;
administrators manage organisations and cohorts but see nobody's reports."""
import os
import uuid

import pytest

from conftest import put_file


def tag():
    return uuid.uuid4().hex[:8]


def ok(resp, status=200):
    code, body = resp
    assert code == status, body
    return body


@pytest.fixture(scope="module")
def world(admin_api, media_dir):
    t = tag()
    org_a = ok(admin_api.call("POST", "/v1/organisations", {"name": f"School A {t}"}), 201)
    org_b = ok(admin_api.call("POST", "/v1/organisations", {"name": f"School B {t}"}), 201)
    people = {n: admin_api.new_user(f"{n} {t}") for n in ("coach", "member", "classmate", "outsider", "other_coach")}
    for n, org in (("coach", org_a), ("member", org_a), ("classmate", org_a), ("other_coach", org_a),
                   ("outsider", org_b)):
        ok(admin_api.call("PATCH", f"/v1/users/{people[n].id}", {"organisation_id": org["id"]}))
    x = ok(admin_api.call("POST", "/v1/cohorts", {"organisation_id": org_a["id"], "name": "Cohort X"}), 201)
    y = ok(admin_api.call("POST", "/v1/cohorts", {"organisation_id": org_a["id"], "name": "Cohort Y"}), 201)
    for cohort, n, role in ((x, "coach", "coach"), (x, "member", "member"), (y, "classmate", "member"),
                            (y, "other_coach", "coach")):
        ok(admin_api.call("PUT", f"/v1/cohorts/{cohort['id']}/members/{people[n].id}", {"role": role}))
    # The member's answer, processed for real; the classmate's, only created.
    member = people["member"]
    path = os.path.join(media_dir, "sample.webm")
    created = ok(member.call("POST", "/v1/interviews", {"question_id": "hard-problem",
                                                        "size_bytes": os.path.getsize(path)}), 201)
    assert put_file(created["upload"]["url"], path) == 200
    ok(member.call("POST", f"/v1/interviews/{created['id']}/uploaded"), 202)
    done = member.wait_done(created["id"])
    assert done["status"] == "complete", done
    theirs = ok(people["classmate"].call("POST", "/v1/interviews", {"question": "Why teaching?"}), 201)
    return dict(org_a=org_a, org_b=org_b, x=x, y=y, people=people, interview=done, classmate_interview=theirs["id"])


def test_a_coach_sees_their_members_interviews_and_no_one_elses(world):
    p, iid = world["people"], world["interview"]["id"]
    seen = ok(p["coach"].call("GET", f"/v1/interviews/{iid}"))
    assert seen["report"]["score"] == world["interview"]["report"]["score"]
    assert seen["user"]["id"] == p["member"].id and seen["video_url"]
    listed = ok(p["coach"].call("GET", f"/v1/interviews?user_id={p['member'].id}"))["interviews"]
    assert [i["id"] for i in listed] == [iid]
    progress = ok(p["coach"].call("GET", f"/v1/history?user_id={p['member'].id}"))
    assert progress == ok(p["member"].call("GET", "/v1/history")), "the coach follows the member's own trends"
    # Cohort Y's member is in the same organisation, but not coached by this coach.
    assert p["coach"].call("GET", f"/v1/interviews/{world['classmate_interview']}")[0] == 404
    assert p["coach"].call("GET", f"/v1/interviews?user_id={p['classmate'].id}")[0] == 403
    # Another cohort's coach does not see this member.
    assert p["other_coach"].call("GET", f"/v1/interviews/{iid}")[0] == 404


@pytest.mark.parametrize("who", ["classmate", "outsider", "other_coach"])
def test_nobody_else_sees_a_candidates_interview(world, who):
    p, iid = world["people"], world["interview"]["id"]
    assert p[who].call("GET", f"/v1/interviews/{iid}")[0] == 404
    assert p[who].call("GET", f"/v1/interviews?user_id={p['member'].id}")[0] == 403
    assert p[who].call("GET", f"/v1/history?user_id={p['member'].id}")[0] == 403
    assert p[who].call("GET", f"/v1/interviews/{iid}/comments")[0] == 404


def test_an_administrator_manages_but_does_not_see_reports(world, admin_api):
    iid = world["interview"]["id"]
    assert admin_api.call("GET", f"/v1/interviews/{iid}")[0] == 404
    assert admin_api.call("GET", f"/v1/cohorts/{world['x']['id']}/overview")[0] == 404
    cohort = ok(admin_api.call("GET", f"/v1/cohorts/{world['x']['id']}"))
    assert {m["id"] for m in cohort["people"]} == {world["people"]["coach"].id, world["people"]["member"].id}


def test_a_candidate_only_acts_on_their_own(world):
    p = world["people"]
    member = p["member"]
    assert member.call("GET", f"/v1/interviews/{world['classmate_interview']}")[0] == 404
    assert member.call("GET", f"/v1/interviews?user_id={p['classmate'].id}")[0] == 403
    assert member.call("GET", f"/v1/cohorts/{world['x']['id']}/overview")[0] == 404
    # A coach may look, not change: deleting or retrying stays the candidate's.
    assert p["coach"].call("DELETE", f"/v1/interviews/{world['interview']['id']}")[0] == 404


def test_comments_at_moments_seen_by_the_candidate_and_coach_only(world):
    p, iv = world["people"], world["interview"]
    iid, duration = iv["id"], iv["report"]["duration_s"]
    c = ok(p["coach"].call("POST", f"/v1/interviews/{iid}/comments", {"body": "Slow down here.", "at_s": 1.5}), 201)
    assert c["author"]["id"] == p["coach"].id and c["author"]["is_candidate"] is False and c["at_s"] == 1.5
    reply = ok(p["member"].call("POST", f"/v1/interviews/{iid}/comments", {"body": "Will do."}), 201)
    assert reply["author"]["is_candidate"] is True
    seen = ok(p["member"].call("GET", f"/v1/interviews/{iid}/comments"))["comments"]
    assert [x["id"] for x in seen] == [reply["id"], c["id"]], "general comments first, then by moment"
    assert ok(p["coach"].call("GET", f"/v1/interviews/{iid}/comments"))["comments"] == seen
    for who in ("classmate", "outsider", "other_coach"):
        assert p[who].call("POST", f"/v1/interviews/{iid}/comments", {"body": "hi"})[0] == 404
    status, body = p["coach"].call("POST", f"/v1/interviews/{iid}/comments", {"body": "late", "at_s": duration + 60})
    assert status == 422 and "after the end" in body["error"]["message"], body
    assert p["member"].call("DELETE", f"/v1/interviews/{iid}/comments/{c['id']}")[0] == 404, "only its author"
    assert p["coach"].call("DELETE", f"/v1/interviews/{iid}/comments/{c['id']}")[0] == 204
    assert [x["id"] for x in ok(p["member"].call("GET", f"/v1/interviews/{iid}/comments"))["comments"]] == [reply["id"]]


def test_the_cohort_overview_for_its_coach(world):
    p, iv = world["people"], world["interview"]
    ov = ok(p["coach"].call("GET", f"/v1/cohorts/{world['x']['id']}/overview"))
    assert ov["members"] == 1 and ov["practised"] == 1
    (row,) = ov["people"]
    assert row["user_id"] == p["member"].id and row["answers"] == 1
    assert row["latest_score"] == row["first_score"] == iv["report"]["score"]["overall"]
    assert [s["interview_id"] for s in row["scores"]] == [iv["id"]]
    assert p["coach"].call("GET", f"/v1/cohorts/{world['y']['id']}/overview")[0] == 404
    assert p["other_coach"].call("GET", f"/v1/cohorts/{world['x']['id']}/overview")[0] == 404


def test_members_see_their_cohort_and_its_coaches_not_each_other(world):
    p = world["people"]
    seen = ok(p["member"].call("GET", f"/v1/cohorts/{world['x']['id']}"))
    assert seen["role"] == "member" and [c["id"] for c in seen["coaches"]] == [p["coach"].id]
    assert "people" not in seen
    assert p["member"].call("GET", f"/v1/cohorts/{world['y']['id']}")[0] == 404
    me = ok(p["coach"].call("GET", "/v1/me"))
    assert me["organisation"]["id"] == world["org_a"]["id"]
    assert [(c["id"], c["role"]) for c in me["cohorts"]] == [(world["x"]["id"], "coach")]
    assert [c["id"] for c in ok(p["member"].call("GET", "/v1/cohorts"))["cohorts"]] == [world["x"]["id"]]


def test_only_administrators_manage_and_people_stay_in_their_organisation(world, admin_api):
    p = world["people"]
    assert p["coach"].call("POST", "/v1/organisations", {"name": f"Mine {tag()}"})[0] == 403
    assert p["coach"].call("POST", "/v1/cohorts", {"organisation_id": world["org_a"]["id"], "name": "Z"})[0] == 403
    assert p["coach"].call("PUT", f"/v1/cohorts/{world['x']['id']}/members/{p['classmate'].id}",
                           {"role": "member"})[0] == 403
    status, body = admin_api.call("PUT", f"/v1/cohorts/{world['x']['id']}/members/{p['outsider'].id}",
                                  {"role": "member"})
    assert status == 422 and body["error"]["code"] == "not_in_organisation", body
    status, body = admin_api.call("POST", "/v1/organisations", {"name": world["org_a"]["name"]})
    assert status == 409, body
    status, body = admin_api.call("POST", "/v1/cohorts", {"organisation_id": world["org_a"]["id"], "name": "Cohort X"})
    assert status == 409, body


def test_an_organisation_adds_its_own_questions_for_its_people_only(world, admin_api):
    p, t = world["people"], tag()
    qid = f"org-{t}"
    q = ok(p["coach"].call("POST", "/v1/questions", {"id": qid, "category": "situational", "role": "teacher",
                                                     "text": "How would you run our school's open day?"}), 201)
    assert q["organisation_id"] == world["org_a"]["id"], "a coach's question is their organisation's"
    status, body = p["coach"].call("POST", "/v1/questions", {"id": f"orgb-{t}", "category": "general", "text": "x",
                                                             "organisation_id": world["org_b"]["id"]})
    assert status == 403, body
    assert p["member"].call("POST", "/v1/questions", {"id": f"m-{t}", "category": "general", "text": "x"})[0] == 403
    # Offered to the organisation's people, nobody else.
    assert qid in {x["id"] for x in ok(p["member"].call("GET", "/v1/questions?role=teacher"))["questions"]}
    assert ok(p["classmate"].call("GET", f"/v1/questions/{qid}"))["id"] == qid
    assert qid not in {x["id"] for x in ok(p["outsider"].call("GET", "/v1/questions?role=teacher"))["questions"]}
    assert p["outsider"].call("GET", f"/v1/questions/{qid}")[0] == 404
    status, body = p["outsider"].call("POST", "/v1/interviews", {"question_id": qid})
    assert status == 422 and body["error"]["code"] == "unknown_question", body
    status, body = p["outsider"].call("POST", "/v1/mock-interviews", {"question_ids": [qid]})
    assert status == 422 and body["error"]["code"] == "unknown_question", body
    assert ok(p["member"].call("POST", "/v1/mock-interviews", {"question_ids": [qid]}), 201)["questions"][0][
        "question"]["id"] == qid
    # A coach changes their organisation's questions only.
    assert p["coach"].call("PUT", "/v1/questions/hard-problem", {"level": "senior"})[0] == 404
    assert p["coach"].call("DELETE", "/v1/questions/hard-problem")[0] == 404
    assert ok(p["coach"].call("PUT", f"/v1/questions/{qid}", {"level": "entry"}))["level"] == "entry"
    assert p["coach"].call("DELETE", f"/v1/questions/{qid}")[0] == 204
    # An import naming an organisation that does not exist stores nothing.
    status, body = admin_api.call("POST", "/v1/question-bank", [{"id": f"imp-{t}", "category": "general",
                                                                  "text": "x", "organisation_id": str(uuid.uuid4())}])
    assert status == 422 and body["error"]["code"] == "unknown_organisation", body


def test_leaving_the_organisation_ends_the_coachs_access(world, admin_api):
    """Last: it changes the world the other tests share."""
    p, iid = world["people"], world["interview"]["id"]
    ok(admin_api.call("PATCH", f"/v1/users/{p['member'].id}", {"organisation_id": world["org_b"]["id"]}))
    assert p["coach"].call("GET", f"/v1/interviews/{iid}")[0] == 404
    assert p["member"].call("GET", f"/v1/interviews/{iid}")[0] == 200
    assert ok(p["member"].call("GET", "/v1/me"))["cohorts"] == []
    assert admin_api.call("DELETE", f"/v1/organisations/{world['org_a']['id']}")[0] == 204
    assert admin_api.call("GET", f"/v1/cohorts/{world['x']['id']}")[0] == 404
    assert ok(p["coach"].call("GET", "/v1/me"))["organisation"] is None
