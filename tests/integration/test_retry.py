"""POST /v1/interviews/{id}/retry against the real stack: a failed interview
is processed again from its stored recording once the cause is repaired and
ends complete with its report; what may not be retried says why; a retry
whose recording is gone puts the interview back as it was."""
import time

from conftest import DEAD_LETTER_MISSING, dead_lettered, psql, put_file


def stages_when_all_finished(api, iid, timeout=20):
    """A stage's "finished" may reach the result-writer just after its result
    completed the interview (rw_store.c says so): the stages as soon as every
    one is finished, or as they are after timeout."""
    deadline = time.time() + timeout
    while True:
        status, body = api.call("GET", f"/v1/interviews/{iid}")
        assert status == 200, body
        if all(s["state"] == "finished" for s in body["stages"].values()) or time.time() > deadline:
            return body["stages"]
        time.sleep(0.5)


def test_owner_retries_a_failed_interview_once_repaired(api, media_dir):
    created, sample, _ = dead_lettered(api, media_dir)
    iid = created["id"]
    assert psql("SELECT count(*) FROM stage_events WHERE interview_id = :'p0' AND state = 'failed'", iid) == "1"
    assert put_file(created["upload"]["url"], sample) == 200
    status, body = api.call("POST", f"/v1/interviews/{iid}/retry")
    assert status == 202 and body == {"id": iid, "status": "uploaded"}, body
    status, again = api.call("POST", f"/v1/interviews/{iid}/retry")
    assert status == 409 and again["error"]["code"] == "in_progress", again
    done = api.wait_done(iid, timeout=240)
    assert done["status"] == "complete", done
    assert done["failure_reason"] is None and done["report"], done
    stages = stages_when_all_finished(api, iid)
    assert all(s["state"] == "finished" for s in stages.values()), stages
    assert psql("SELECT count(*) FROM reports WHERE interview_id = :'p0'", iid) == "1"
    status, body = api.call("POST", f"/v1/interviews/{iid}/retry")
    assert status == 409 and body["error"]["code"] == "already_complete", body


def test_what_may_not_be_retried(api, admin_api, media_dir):
    fresh = api.create()
    status, body = api.call("POST", f"/v1/interviews/{fresh['id']}/retry")
    assert status == 409 and body["error"]["code"] == "not_uploaded", body
    status, body = api.call("POST", "/v1/interviews/00000000-0000-4000-8000-000000000000/retry")
    assert status == 404, body
    status, body = api.call("GET", f"/v1/interviews/{fresh['id']}/retry")
    assert status == 405, body

    other = admin_api.new_user("retry other")
    created, sample, _ = dead_lettered(other, media_dir)
    status, body = api.call("POST", f"/v1/interviews/{created['id']}/retry")
    assert status == 404, "another user's interview is not there for this one"
    assert put_file(created["upload"]["url"], sample) == 200
    status, body = admin_api.call("POST", f"/v1/interviews/{created['id']}/retry")
    assert status == 202, "an administrator may retry anyone's"
    assert other.wait_done(created["id"], timeout=240)["status"] == "complete"


def test_a_retry_without_the_recording_changes_nothing(api, media_dir):
    """The interview is put back before the refusal is answered: a trigger
    makes putting it back take a second, so a gateway that answered first is
    caught with "uploaded" by the reading that follows the answer (CI once
    caught it without the trigger)."""
    created, _, _ = dead_lettered(api, media_dir)
    iid = created["id"]
    name = "test_slow_put_back_" + iid.replace("-", "")[:12]
    psql(f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS
             $$BEGIN PERFORM pg_sleep(1); RETURN NEW; END$$;
             CREATE TRIGGER {name} BEFORE UPDATE ON interviews FOR EACH ROW
             WHEN (NEW.id = :'p0'::uuid AND OLD.status = 'uploaded' AND NEW.status = 'failed')
             EXECUTE FUNCTION {name}();""", iid)
    try:
        status, body = api.call("POST", f"/v1/interviews/{iid}/retry")
        assert status == 409 and body["error"]["code"] == "upload_missing", body
        status, body = api.call("GET", f"/v1/interviews/{iid}")
        assert body["status"] == "failed" and DEAD_LETTER_MISSING in body["failure_reason"], body
    finally:
        psql(f"DROP TRIGGER {name} ON interviews; DROP FUNCTION {name}();")
