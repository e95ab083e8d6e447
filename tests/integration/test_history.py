"""GET /v1/history over the real stack: the figures of each complete
interview (pace, fillers, hedges, facing the camera, the scores) equal the
ones in its report as the pipeline wrote it, a figure that was not measured
is null (an answer without a picture, one without speech), the question
filter, the trends (count, first, last, best, mean, least-squares slope)
recomputed here from the reports, the 500-item cap, and that one user never
sees another's interviews.

The media are real: read speech from pocketsphinx-testdata over a real face
photograph (scikit-image's astronaut, as the browser test films), over a
test pattern, as audio alone, and a picture with no sound. All of them are
submitted before any is awaited."""
import math
import os
import statistics
import subprocess
import uuid

import jsonschema
import pytest

from conftest import psql, put_file

FF = ["ffmpeg", "-nostdin", "-loglevel", "error", "-y"]
PHOTO = os.environ.get("ISIM_FACE_PHOTO", "/usr/lib/python3/dist-packages/skimage/data/astronaut.png")
METRICS = ["score", "delivery_score", "content_score", "on_camera_score", "pace_wpm", "fillers_per_100_words",
           "hedges_per_100_words", "facing_camera_ratio"]
BETTER = {"score": "higher", "delivery_score": "higher", "content_score": "higher", "on_camera_score": "higher",
          "pace_wpm": "in_range", "fillers_per_100_words": "lower", "hedges_per_100_words": "lower",
          "facing_camera_ratio": "higher"}


def make_face_video(media_dir, out):
    """A face photograph on grey, swaying a little as a person does (a picture
    that never changes is a frozen camera, not a face), with real speech
    (faults-c, 5.3 s), as a browser's WebM."""
    speech = os.path.join(media_dir, "faults-c.wav")
    subprocess.run(FF + ["-f", "lavfi", "-i", "color=c=0x808080:size=640x360:rate=15:duration=6",
                         "-loop", "1", "-framerate", "15", "-i", PHOTO, "-i", speech,
                         "-filter_complex", "[1:v]scale=300:300,setsar=1[f];[0:v][f]overlay=x=170:y='30+6*sin(2*PI*t/5)':shortest=1,format=yuv420p[v]",
                         "-map", "[v]", "-map", "2:a", "-shortest",
                         "-c:v", "libvpx", "-b:v", "600k", "-deadline", "realtime", "-cpu-used", "8",
                         "-c:a", "libopus", "-b:a", "48k", out], check=True, timeout=120)
    return out


def make_silent_video(out):
    """A test pattern with no sound track: nothing to transcribe."""
    subprocess.run(FF + ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15:duration=3",
                         "-c:v", "libvpx", "-b:v", "300k", "-deadline", "realtime", "-cpu-used", "8", "-an", out],
                   check=True, timeout=120)
    return out


def submit(user, path, question_id=None, question=None):
    """Creates an interview (a bank question by id, or a question as text) and uploads path; returns its id."""
    body = {"size_bytes": os.path.getsize(path)}
    body.update({"question_id": question_id} if question_id else {"question": question})
    status, created = user.call("POST", "/v1/interviews", body)
    assert status == 201, created
    assert put_file(created["upload"]["url"], path) == 200
    status, r = user.call("POST", f"/v1/interviews/{created['id']}/uploaded")
    assert status == 202, r
    return created["id"]


def num(x):
    return x if isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) else None


def openapi_validator(api, name):
    """A JSON Schema validator of the gateway's OpenAPI schema `name` (its
    3.0 "nullable" as JSON Schema's null, its $refs pointed at definitions)."""
    status, doc = api.call("GET", "/v1/openapi.json")
    assert status == 200, doc

    def conv(node):
        if isinstance(node, list):
            return [conv(x) for x in node]
        if not isinstance(node, dict):
            return node
        out = {k: conv(v) for k, v in node.items() if k != "nullable"}
        if "$ref" in out:
            out["$ref"] = out["$ref"].replace("#/components/schemas/", "#/definitions/")
        return {"anyOf": [out, {"type": "null"}]} if node.get("nullable") else out

    root = {"definitions": conv(doc["components"]["schemas"]), "$ref": f"#/definitions/{name}"}
    return jsonschema.Draft7Validator(root)


def report_figures(report):
    """What the history must say of a report, read here from the report itself."""
    d = report.get("delivery") or {}
    score = report.get("score") or {}
    parts = score.get("parts") or {}
    spoke = (num(d.get("word_count")) or 0) > 0
    facing = ((report.get("on_camera") or {}).get("on_camera") or {}).get("facing_camera")
    facing_ok = isinstance(facing, dict) and facing.get("valid") is not False
    part = lambda name: num((parts.get(name) or {}).get("score"))
    return {
        "score": num(score.get("overall")),
        "delivery_score": part("delivery"),
        "content_score": part("content"),
        "on_camera_score": part("on_camera"),
        "pace_wpm": num(d.get("wpm")) if spoke else None,
        "fillers_per_100_words": num(d.get("fillers_per_100_words")) if spoke else None,
        "hedges_per_100_words": num((d.get("hedges") or {}).get("per_100_words")) if spoke else None,
        "facing_camera_ratio": num(facing.get("value")) if facing_ok else None,
    }


def pace_score(report):
    crit = ((report.get("score") or {}).get("parts") or {}).get("delivery", {}).get("criteria") or []
    return next((num(c.get("score")) for c in crit if c.get("metric") == "pace_wpm"), None)


def expected_trend(items, reports, metric):
    """count, first, last, best, mean and slope of one metric, from the reports (x: the answer's position)."""
    pts = [(i, report_figures(reports[it["interview_id"]])[metric]) for i, it in enumerate(items)]
    pts = [(i, v) for i, v in pts if v is not None]
    ys = [v for _, v in pts]
    best = None
    if BETTER[metric] == "higher" and ys:
        best = max(ys)
    elif BETTER[metric] == "lower" and ys:
        best = min(ys)
    elif BETTER[metric] == "in_range":
        # the pace the rubric scored highest; of equals, the latest
        scored = [(pace_score(reports[items[i]["interview_id"]]), i, v) for i, v in pts]
        scored = [s for s in scored if s[0] is not None]
        best = max(scored)[2] if scored else None
    return {
        "count": len(ys),
        "first": ys[0] if ys else None,
        "last": ys[-1] if ys else None,
        "best": best,
        "mean": statistics.fmean(ys) if ys else None,
        "slope": statistics.linear_regression([i for i, _ in pts], ys).slope if len(ys) >= 2 else None,
        "better": BETTER[metric],
    }


def assert_trends(body, reports):
    items = body["history"]
    assert set(body["trends"]) == set(METRICS)
    for metric in METRICS:
        got, want = body["trends"][metric], expected_trend(items, reports, metric)
        assert set(got) == set(want), (metric, got)
        for k, v in want.items():
            if v is None or isinstance(v, str):
                assert got[k] == v, (metric, k, got, want)
            else:
                assert got[k] == pytest.approx(v, rel=1e-9, abs=1e-9), (metric, k, got, want)


@pytest.fixture(scope="module")
def questions(api):
    status, body = api.call("GET", "/v1/questions")
    assert status == 200, body
    ids = [q["id"] for q in body["questions"] if q.get("language", "en") == "en"]
    assert len(ids) >= 2, body
    return ids[0], ids[1]


@pytest.fixture(scope="module")
def histories(admin_api, media_dir, questions, tmp_path_factory):
    """Two users: the first answers two bank questions (one twice) and two
    questions of its own, with a face, a test pattern, audio alone and a
    silent picture; the second answers the first bank question once."""
    tmp = tmp_path_factory.mktemp("history")
    face = make_face_video(media_dir, str(tmp / "face.webm"))
    silent = make_silent_video(str(tmp / "silent.webm"))
    q1, q2 = questions
    me, other = admin_api.new_user("history"), admin_api.new_user("history other")
    mine = {
        "face": submit(me, face, question_id=q1),
        "pattern": submit(me, os.path.join(media_dir, "sample.webm"), question_id=q1),
        "short": submit(me, os.path.join(media_dir, "faults-a.webm"), question_id=q2),
        "audio": submit(me, os.path.join(media_dir, "faults-b.wav"), question="What did you learn last year?"),
        "silent": submit(me, silent, question="Describe your ideal team."),
    }
    theirs = submit(other, os.path.join(media_dir, "faults-d.webm"), question_id=q1)
    reports = {}
    for user, iid in [(me, i) for i in mine.values()] + [(other, theirs)]:
        done = user.wait_done(iid, timeout=300)
        assert done["status"] == "complete", done
        reports[iid] = done["report"]
    return {"me": me, "other": other, "mine": mine, "theirs": theirs, "reports": reports, "q1": q1, "q2": q2}


def test_each_item_carries_its_reports_figures(histories):
    h = histories
    status, body = h["me"].call("GET", "/v1/history")
    assert status == 200, body
    items = body["history"]
    assert [it["interview_id"] for it in items] and body["truncated"] is False
    assert {it["interview_id"] for it in items} == set(h["mine"].values())
    done_at = [it["completed_at"] for it in items]
    assert done_at == sorted(done_at), "oldest first"
    for it in items:
        report = h["reports"][it["interview_id"]]
        want = report_figures(report)
        assert set(it["metrics"]) == set(METRICS), it
        for k, v in want.items():
            assert it["metrics"][k] == (pytest.approx(v) if v is not None else None), (k, it["metrics"], want)
        # as before: the overall score and the sub-scores
        assert it["score"] == pytest.approx(report["score"]["overall"])
        assert it["parts"] == {k: pytest.approx(p["score"]) for k, p in report["score"]["parts"].items()}


def test_what_was_measured_is_a_number_and_what_was_not_is_null(histories):
    h = histories
    _, body = h["me"].call("GET", "/v1/history")
    by_id = {it["interview_id"]: it["metrics"] for it in body["history"]}
    face, audio, silent = (by_id[h["mine"][k]] for k in ("face", "audio", "silent"))
    # speech and a face in the picture: every figure
    for k in METRICS:
        assert isinstance(face[k], (int, float)), (k, face)
    assert 60 < face["pace_wpm"] < 300 and 0 < face["facing_camera_ratio"] <= 1, face
    assert face["facing_camera_ratio"] == pytest.approx(
        h["reports"][h["mine"]["face"]]["on_camera"]["on_camera"]["facing_camera"]["value"])
    # audio alone: no picture, so nothing about facing the camera (not 0)
    assert audio["facing_camera_ratio"] is None and audio["pace_wpm"] > 0, audio
    audio_report = h["reports"][h["mine"]["audio"]]
    assert audio_report["media"]["has_video"] is False
    assert not (audio_report.get("on_camera") or {}).get("on_camera"), audio_report.get("on_camera")
    # no sound: no words, so no pace, fillers or hedges (the report stores 0 for them)
    silent_report = h["reports"][h["mine"]["silent"]]
    assert silent_report["delivery"]["word_count"] == 0
    for k in ("pace_wpm", "fillers_per_100_words", "hedges_per_100_words"):
        assert silent[k] is None, (k, silent)


def test_trends_across_all_answers(histories):
    status, body = histories["me"].call("GET", "/v1/history")
    assert status == 200, body
    assert_trends(body, histories["reports"])
    t = body["trends"]
    assert t["score"]["count"] == 5 and t["pace_wpm"]["count"] == 4 and t["facing_camera_ratio"]["count"] >= 1


def test_filter_by_question(histories):
    h = histories
    status, body = h["me"].call("GET", f"/v1/history?question_id={h['q1']}")
    assert status == 200, body
    assert [it["interview_id"] for it in body["history"]] and all(
        it["question_id"] == h["q1"] for it in body["history"])
    assert {it["interview_id"] for it in body["history"]} == {h["mine"]["face"], h["mine"]["pattern"]}
    assert_trends(body, h["reports"])
    assert body["trends"]["score"]["count"] == 2 and body["trends"]["score"]["slope"] is not None

    status, body = h["me"].call("GET", f"/v1/history?question_id={h['q2']}")
    assert status == 200 and [it["interview_id"] for it in body["history"]] == [h["mine"]["short"]]
    assert_trends(body, h["reports"])
    one = body["trends"]["score"]
    assert one["count"] == 1 and one["first"] == one["last"] == one["mean"] == one["best"] and one["slope"] is None

    status, body = h["me"].call("GET", "/v1/history?question_id=no-such-question")
    assert status == 200 and body["history"] == [], body
    for metric in METRICS:
        assert body["trends"][metric] == {"count": 0, "first": None, "last": None, "best": None, "mean": None,
                                          "slope": None, "better": BETTER[metric]}

    for bad in ("Not-An-Id", "-x", "a" * 65, "x%2Fy"):
        status, body = h["me"].call("GET", f"/v1/history?question_id={bad}")
        assert status == 422 and body["error"]["code"] == "invalid_parameter", (bad, body)
    status, body = h["me"].call("GET", "/v1/history?status=complete")
    assert status == 422 and body["error"]["code"] == "unknown_parameter", body


def test_answers_conform_to_the_openapi_document(histories):
    h = histories
    validator = openapi_validator(h["me"], "History")
    for query in ("", f"?question_id={h['q1']}", "?question_id=no-such-question"):
        status, body = h["me"].call("GET", f"/v1/history{query}")
        assert status == 200, body
        errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(body)]
        assert not errors, (query, errors[:5])


def test_another_users_interviews_never_appear(histories):
    h = histories
    for user, own, others in [(h["me"], set(h["mine"].values()), {h["theirs"]}),
                              (h["other"], {h["theirs"]}, set(h["mine"].values()))]:
        for query in ("", f"?question_id={h['q1']}", f"?question_id={h['q2']}"):
            status, body = user.call("GET", f"/v1/history{query}")
            assert status == 200, body
            ids = {it["interview_id"] for it in body["history"]}
            assert ids <= own and not ids & others, (query, ids)
    _, body = h["other"].call("GET", "/v1/history")
    assert [it["interview_id"] for it in body["history"]] == [h["theirs"]]
    assert body["trends"]["score"]["count"] == 1


@pytest.fixture
def stored_history(admin_api):
    """A user with 502 complete interviews written straight into PostgreSQL
    (the pipeline would take hours), their reports small and of every
    shape an older or partial report has; removed afterwards."""
    user = admin_api.new_user("history cap")
    shapes = [
        '{"score": {"overall": 70, "parts": {"delivery": {"score": 80}}}, "delivery": {"word_count": 50, '
        '"wpm": 120.5, "fillers_per_100_words": 2, "hedges": {"count": 1, "per_100_words": 2}}}',
        '{"delivery": {"word_count": 0, "wpm": 0, "fillers_per_100_words": 0, "hedges": {"per_100_words": 0}}, '
        '"on_camera": {"on_camera": {"facing_camera": {"value": 0, "valid": false}}}}',
        '{"score": {"overall": "n/a", "parts": [1, 2]}, "delivery": "none", "on_camera": {"on_camera": null}}',
        '{"score": {"overall": 55, "parts": {"content": {"score": null}}}, '
        '"on_camera": {"on_camera": {"facing_camera": {"value": 0.25, "valid": true}}}}',
    ]
    values = ",".join(f"({i}, '{s}'::jsonb)" for i, s in enumerate(shapes))
    psql(f"""WITH shapes(n, report) AS (VALUES {values}),
             made AS (INSERT INTO interviews (id, question, raw_key, status, user_id, created_at, completed_at)
                      SELECT gen_random_uuid(), 'Stored ' || g, 'raw/none', 'complete', :'p0'::uuid,
                             now() - interval '1 hour' * (600 - g), now() - interval '1 hour' * (600 - g)
                      FROM generate_series(1, 502) g RETURNING id, question)
             INSERT INTO reports (interview_id, report)
             SELECT m.id, s.report FROM made m
             JOIN shapes s ON s.n = split_part(m.question, ' ', 2)::int % {len(shapes)}""", user.id)
    yield user
    psql("DELETE FROM interviews WHERE user_id = :'p0'::uuid", user.id)
    status, body = admin_api.call("DELETE", f"/v1/users/{user.id}")
    assert status == 200 and body["interviews_deleted"] == 0, body


def test_the_latest_500_and_missing_figures_are_null(stored_history):
    status, body = stored_history.call("GET", "/v1/history")
    assert status == 200, body
    errors = [f"{list(e.path)}: {e.message}" for e in openapi_validator(stored_history, "History").iter_errors(body)]
    assert not errors, errors[:5]
    items = body["history"]
    assert len(items) == 500 and body["truncated"] is True
    # the two oldest are left out; the rest oldest first
    assert [it["question"] for it in items] == [f"Stored {g}" for g in range(3, 503)]
    by_shape = {int(it["question"].split()[1]) % 4: it for it in items}
    assert by_shape[0]["metrics"] == {"score": 70, "delivery_score": 80, "content_score": None,
                                      "on_camera_score": None, "pace_wpm": 120.5, "fillers_per_100_words": 2,
                                      "hedges_per_100_words": 2, "facing_camera_ratio": None}
    assert by_shape[0]["parts"] == {"delivery": 80}
    assert all(v is None for v in by_shape[1]["metrics"].values()), by_shape[1]
    assert by_shape[1]["score"] is None and by_shape[1]["parts"] is None
    assert all(v is None for v in by_shape[2]["metrics"].values()), by_shape[2]
    assert by_shape[2]["score"] is None and by_shape[2]["parts"] is None
    assert by_shape[3]["metrics"]["facing_camera_ratio"] == 0.25 and by_shape[3]["metrics"]["score"] == 55
    assert by_shape[3]["parts"] == {"content": None}
    # trends over the 500 shown: 125 of each shape
    t = body["trends"]
    assert t["score"]["count"] == 250 and t["score"]["mean"] == pytest.approx(62.5)
    assert t["pace_wpm"]["count"] == 125 and t["pace_wpm"]["slope"] == pytest.approx(0, abs=1e-9)
    assert t["pace_wpm"]["best"] is None, "no report has a pace criterion: the rubric named no best pace"
    assert t["facing_camera_ratio"]["count"] == 125 and t["facing_camera_ratio"]["best"] == 0.25
    status, body = stored_history.call("GET", "/v1/history?question_id=hard-problem")
    assert status == 200 and body["history"] == [] and body["truncated"] is False
