"""People's accounts for the web app, on the real stack: an administrator's
invitation, a password set with it (stored as Argon2id), sign-in and its
limits, the session cookie with its flags and CSRF token, sign-out, password
changes, one's own API keys, disabled users, and retired questions."""
import hashlib
import json
from datetime import datetime
import os
import subprocess
import threading
import urllib.error
import urllib.request
import uuid

import pytest

from conftest import GATEWAY, psql

PASSWORD = "correct horse battery"


def clear_signin_counters():
    """Failed sign-ins are counted per address in Redis, and every test here
    comes from 127.0.0.1: each test starts (and leaves) with no count."""
    port = os.environ.get("ISIM_REDIS_PORT", "26379")
    keys = subprocess.run(["redis-cli", "-p", port, "--scan", "--pattern", "isim:rl:signin:*"],
                          capture_output=True, text=True, check=True).stdout.split()
    if keys:
        subprocess.run(["redis-cli", "-p", port, "DEL", *keys], capture_output=True, check=True)


@pytest.fixture(autouse=True)
def fresh_signin_counters():
    clear_signin_counters()
    yield
    clear_signin_counters()


class Person:
    """A browser's view of the API: the session cookie (kept by hand, as a
    browser keeps it for this origin) and the CSRF token the page holds."""

    def __init__(self):
        self.cookie = None
        self.csrf = None

    def call(self, method, path, body=None, csrf=True, headers=None, raw=None):
        h = {"Content-Type": "application/json"}
        if self.cookie:
            h["Cookie"] = f"isim_session={self.cookie}"
        if csrf and self.csrf and method not in ("GET", "HEAD"):
            h["X-CSRF-Token"] = self.csrf
        h.update(headers or {})
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(GATEWAY + path, data=data, method=method, headers=h)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                status, raw_body, hdrs = r.status, r.read(), r.headers
        except urllib.error.HTTPError as e:
            status, raw_body, hdrs = e.code, e.read(), e.headers
        for c in hdrs.get_all("Set-Cookie") or []:
            if c.startswith("isim_session="):
                self.cookie = c.split(";")[0].split("=", 1)[1] or None
        parsed = json.loads(raw_body) if raw_body else None
        if isinstance(parsed, dict) and parsed.get("csrf_token"):
            self.csrf = parsed["csrf_token"]
        return status, parsed, hdrs

    def sign_in(self, email, password=PASSWORD):
        return self.call("POST", "/v1/sessions", {"email": email, "password": password})


def invite(admin_api, name="Candidate", role="user"):
    email = f"{uuid.uuid4().hex[:12]}@Example.org"
    status, body = admin_api.call("POST", "/v1/invitations", {"email": email, "name": name, "role": role})
    assert status == 201, body
    return email.lower(), body


def new_person(admin_api, role="user"):
    email, inv = invite(admin_api, role=role)
    p = Person()
    status, body, _ = p.call("POST", f"/v1/invitations/{inv['token']}/accept", {"password": PASSWORD})
    assert status == 201, body
    p.email, p.id = email, body["user"]["id"]
    return p


def test_invitation_sets_a_password_once_and_signs_in(admin_api):
    email, inv = invite(admin_api, name="Ada")
    assert inv["path"] == f"/invite/{inv['token']}" and inv["user"]["invitation_pending"] is True
    assert inv["user"]["email"] == email  # stored lower-case
    p = Person()
    status, body, _ = p.call("GET", f"/v1/invitations/{inv['token']}")
    assert status == 200 and body["email"] == email and body["name"] == "Ada", body
    status, body, _ = p.call("POST", f"/v1/invitations/{inv['token']}/accept", {"password": "too short"})
    assert status == 422 and body["error"]["code"] == "weak_password"
    # The refused request is in the access log, its token not: it still sets a password.
    with open(os.path.join(os.environ["ISIM_STATE_DIR"], "logs", "isim-gateway.log"), errors="replace") as f:
        log = f.read()
    assert "/v1/invitations/<token>/... -> 422" in log and inv["token"] not in log
    status, body, hdrs = p.call("POST", f"/v1/invitations/{inv['token']}/accept", {"password": PASSWORD})
    assert status == 201, body
    assert body["user"]["invitation_pending"] is False and len(body["csrf_token"]) == 64
    cookie = hdrs["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain HTTP on the local stack
    status, me, _ = p.call("GET", "/v1/me")
    assert status == 200 and me["auth"] == "session" and me["email"] == email and me["csrf_token"] == p.csrf
    # What a recording may be, so the record page stops in time.
    assert me["limits"] == {"max_duration_s": int(os.environ.get("ISIM_MAX_DURATION_S", "600")),
                            "max_upload_bytes": int(os.environ.get("ISIM_MAX_UPLOAD_BYTES", "536870912"))}
    # Used once; the link stops working for a second password.
    assert Person().call("POST", f"/v1/invitations/{inv['token']}/accept", {"password": "another password"})[0] == 404
    assert Person().call("GET", f"/v1/invitations/{inv['token']}")[0] == 404
    # Only hashes are stored: Argon2id for the password, SHA-256 for tokens.
    stored = psql(f"SELECT password_hash FROM users WHERE id = '{me['id']}'")
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    token_hash = hashlib.sha256(p.cookie.encode()).hexdigest()
    assert psql(f"SELECT count(*) FROM sessions WHERE token_hash = '{token_hash}'") == "1"
    assert psql(f"SELECT count(*) FROM sessions WHERE token_hash = '{p.cookie}'") == "0"


def test_an_account_with_a_password_cannot_be_invited_again_but_a_pending_one_can(admin_api):
    p = new_person(admin_api)
    status, body = admin_api.call("POST", "/v1/invitations", {"email": p.email.upper(), "name": "Again"})
    assert status == 409 and body["error"]["code"] == "email_taken"
    email, first = invite(admin_api)
    status, second = admin_api.call("POST", "/v1/invitations", {"email": email, "name": "Renamed"})
    assert status == 201 and second["user"]["id"] == first["user"]["id"] and second["user"]["name"] == "Renamed"
    assert Person().call("POST", f"/v1/invitations/{second['token']}/accept", {"password": PASSWORD})[0] == 201
    # The older link of the same person is dead once a password is set.
    assert Person().call("POST", f"/v1/invitations/{first['token']}/accept", {"password": PASSWORD})[0] == 404


def test_expired_invitation_is_refused(admin_api):
    _, inv = invite(admin_api)
    psql(f"UPDATE invitations SET expires_at = now() - interval '1 second' "
         f"WHERE token_hash = '{hashlib.sha256(inv['token'].encode()).hexdigest()}'")
    status, body, _ = Person().call("POST", f"/v1/invitations/{inv['token']}/accept", {"password": PASSWORD})
    assert status == 404 and body["error"]["code"] == "invalid_invitation"
    assert "Ask for a new one" in body["error"]["message"]


def test_only_admins_invite_and_list_users(admin_api):
    p = new_person(admin_api)
    assert p.call("POST", "/v1/invitations", {"email": "x@example.org", "name": "x"})[0] == 403
    assert p.call("GET", "/v1/users")[0] == 403
    status, body = admin_api.call("GET", "/v1/users")
    assert status == 200 and any(u["id"] == p.id and u["email"] == p.email for u in body["users"])
    assert all("password_hash" not in u for u in body["users"])


def test_sign_in_right_wrong_and_unknown(admin_api):
    p = new_person(admin_api)
    other = Person()
    status, body, hdrs = other.sign_in(p.email.upper(), PASSWORD)  # addresses are not case-sensitive
    assert status == 201 and body["user"]["id"] == p.id and other.cookie and other.cookie != p.cookie
    for email, pw in ((p.email, "wrong password"), ("nobody-" + p.email, PASSWORD)):
        status, body, hdrs = Person().sign_in(email, pw)
        assert status == 401 and body["error"]["code"] == "invalid_credentials", body
        assert body["error"]["message"] == "The email or password is not right."  # the same either way
        assert "Set-Cookie" not in hdrs
    assert Person().call("POST", "/v1/sessions", {"email": p.email})[0] == 422


def test_session_cookie_is_secure_behind_https(admin_api):
    p = new_person(admin_api)
    status, _, hdrs = Person().call("POST", "/v1/sessions", {"email": p.email, "password": PASSWORD},
                                    headers={"X-Forwarded-Proto": "https"})
    assert status == 201 and "; Secure" in hdrs["Set-Cookie"]


def test_failed_sign_ins_are_limited_per_account(admin_api):
    p = new_person(admin_api)
    for i in range(10):
        assert Person().sign_in(p.email, f"wrong password {i}")[0] == 401
    status, body, hdrs = Person().sign_in(p.email, PASSWORD)  # even the right one, for now
    assert status == 429 and body["error"]["code"] == "too_many_attempts"
    assert 0 < int(hdrs["Retry-After"]) <= 900
    # Another account from the same address is not locked by it.
    q = new_person(admin_api)
    assert Person().sign_in(q.email)[0] == 201


def test_failed_sign_ins_are_limited_per_address(admin_api):
    p = new_person(admin_api)
    # 100 failures spread over many made-up accounts, as a password sprayer would.
    for i in range(100):
        assert Person().sign_in(f"sprayed-{i}@example.org", "wrong password")[0] == 401
    assert Person().sign_in(p.email)[0] == 429


def test_csrf_token_is_required_with_the_cookie(admin_api):
    p = new_person(admin_api)
    for token in (None, "0" * 64, p.csrf[:-1]):
        h = {"X-CSRF-Token": token} if token else {}
        status, body, _ = p.call("POST", "/v1/interviews", {"question_id": "hard-problem"}, csrf=False, headers=h)
        assert status == 403 and body["error"]["code"] == "csrf_token_missing", body
    status, body, _ = p.call("POST", "/v1/interviews", {"question_id": "hard-problem"})
    assert status == 201, body
    assert p.call("GET", f"/v1/interviews/{body['id']}", csrf=False)[0] == 200  # reads need no token
    assert p.call("DELETE", f"/v1/interviews/{body['id']}", csrf=False)[0] == 403
    assert p.call("DELETE", f"/v1/interviews/{body['id']}")[0] == 204


def test_progress_stream_accepts_the_cookie(admin_api):
    p = new_person(admin_api)
    status, created, _ = p.call("POST", "/v1/interviews", {"question_id": "hard-problem"})
    assert status == 201
    req = urllib.request.Request(f"{GATEWAY}/v1/interviews/{created['id']}/events",
                                 headers={"Cookie": f"isim_session={p.cookie}"})
    first = []

    def read():
        with urllib.request.urlopen(req, timeout=30) as r:
            first.append(r.headers["Content-Type"])
            for line in r:
                if line.startswith(b"event: "):
                    first.append(line.decode().strip())
                    return

    t = threading.Thread(target=read, daemon=True)
    t.start()
    t.join(20)
    assert first == ["text/event-stream", "event: snapshot"], first
    p.call("DELETE", f"/v1/interviews/{created['id']}")


def test_sign_out_ends_the_session(admin_api):
    p = new_person(admin_api)
    cookie = p.cookie
    status, _, hdrs = p.call("DELETE", "/v1/sessions/current")
    assert status == 204 and "Max-Age=0" in hdrs["Set-Cookie"]
    stale = Person()
    stale.cookie = cookie
    status, body, _ = stale.call("GET", "/v1/me")
    assert status == 401 and body["error"]["code"] == "session_expired"


def test_expired_session_is_refused(admin_api):
    p = new_person(admin_api)
    psql(f"UPDATE sessions SET expires_at = now() - interval '1 second' "
         f"WHERE token_hash = '{hashlib.sha256(p.cookie.encode()).hexdigest()}'")
    # A successful lookup may be cached for up to 5 s: this session was never looked up.
    assert p.call("GET", "/v1/me")[0] == 401


def test_password_change_ends_other_sessions(admin_api):
    p = new_person(admin_api)
    laptop = Person()
    assert laptop.sign_in(p.email)[0] == 201
    status, body, _ = p.call("PUT", "/v1/me/password", {"current_password": "not it at all",
                                                         "new_password": "a new password"})
    assert status == 403 and body["error"]["code"] == "wrong_password"
    status, body, _ = p.call("PUT", "/v1/me/password", {"current_password": PASSWORD, "new_password": "short"})
    assert status == 422 and body["error"]["code"] == "weak_password"
    assert p.call("PUT", "/v1/me/password", {"current_password": PASSWORD, "new_password": "a new password"})[0] == 204
    assert p.call("GET", "/v1/me")[0] == 200  # this session goes on
    assert laptop.call("GET", "/v1/me")[0] == 401
    assert Person().sign_in(p.email, PASSWORD)[0] == 401
    assert Person().sign_in(p.email, "a new password")[0] == 201


def test_own_api_keys_create_list_revoke(admin_api):
    p = new_person(admin_api)
    q = new_person(admin_api)
    status, key, _ = p.call("POST", "/v1/me/keys", {"name": "grading script"})
    assert status == 201 and key["api_key"].startswith("isim_"), key
    status, listed, _ = p.call("GET", "/v1/me/keys")
    assert [k["name"] for k in listed["keys"]] == ["grading script"]
    assert all("api_key" not in k for k in listed["keys"])
    as_program = {"Authorization": f"Bearer {key['api_key']}"}
    status, me, _ = Person().call("GET", "/v1/me", headers=as_program)
    assert status == 200 and me["id"] == p.id and me["auth"] == "api_key" and "csrf_token" not in me
    assert q.call("DELETE", f"/v1/me/keys/{key['id']}")[0] == 404  # not q's key
    assert p.call("DELETE", f"/v1/me/keys/{key['id']}")[0] == 204
    assert Person().call("GET", "/v1/me", headers=as_program)[0] == 401
    assert p.call("GET", "/v1/me/keys")[1]["keys"] == []


def test_an_api_key_with_an_expiry(admin_api):
    p = new_person(admin_api)
    status, key, _ = p.call("POST", "/v1/me/keys", {"name": "this term", "expires_in_days": 120})
    assert status == 201 and key["expires_at"], key
    days = (datetime.fromisoformat(key["expires_at"]) - datetime.fromisoformat(key["created_at"])).days
    assert days == 120, key
    never = p.call("POST", "/v1/me/keys", {"name": "forever"})[1]
    assert never["expires_at"] is None
    listed = {k["name"]: k["expires_at"] for k in p.call("GET", "/v1/me/keys")[1]["keys"]}
    assert listed == {"this term": key["expires_at"], "forever": None}
    for bad in (0, 3651, "30", 1.5):
        status, body, _ = p.call("POST", "/v1/me/keys", {"name": "bad", "expires_in_days": bad})
        assert status == 422 and "expires_in_days" in body["error"]["message"], (bad, body)


def test_disabled_user_is_locked_out_at_once(admin_api):
    p = new_person(admin_api)
    status, key, _ = p.call("POST", "/v1/me/keys", {"name": "k"})
    assert status == 201
    assert p.call("GET", "/v1/me")[0] == 200  # cached now
    status, body = admin_api.call("PATCH", f"/v1/users/{p.id}", {"disabled": True})
    assert status == 200 and body["disabled"] is True
    assert p.call("GET", "/v1/me")[0] == 401
    assert Person().call("GET", "/v1/me", headers={"Authorization": f"Bearer {key['api_key']}"})[0] == 401
    status, body, _ = Person().sign_in(p.email)
    assert status == 403 and body["error"]["code"] == "account_disabled"
    assert admin_api.call("PATCH", f"/v1/users/{p.id}", {"disabled": False})[0] == 200
    assert p.call("GET", "/v1/me")[0] == 401  # disabling ended the session for good
    again = Person()
    assert again.sign_in(p.email)[0] == 201
    assert again.call("PATCH", f"/v1/users/{p.id}", {"disabled": True})[0] == 403  # users cannot


def test_admin_cannot_disable_themself(admin_api):
    a = new_person(admin_api, role="admin")
    status, body, _ = a.call("PATCH", f"/v1/users/{a.id}", {"disabled": True})
    assert status == 422 and body["error"]["code"] == "cannot_disable_self"


def test_retired_question_is_hidden_and_refused(admin_api):
    qid = f"retire-{uuid.uuid4().hex[:8]}"
    status, q = admin_api.call("POST", "/v1/questions", {"id": qid, "category": "general", "text": "Why now?"})
    assert status == 201 and q["retired"] is False
    assert admin_api.call("DELETE", f"/v1/questions/{qid}")[0] == 204
    listed = [x["id"] for x in admin_api.call("GET", "/v1/questions")[1]["questions"]]
    assert qid not in listed
    with_retired = admin_api.call("GET", "/v1/questions?include_retired=true")[1]["questions"]
    assert [x["retired"] for x in with_retired if x["id"] == qid] == [True]
    status, body = admin_api.call("POST", "/v1/interviews", {"question_id": qid})
    assert status == 422 and body["error"]["code"] == "retired_question"
    status, q = admin_api.call("PUT", f"/v1/questions/{qid}", {"retired": False})
    assert status == 200 and q["retired"] is False
    assert qid in [x["id"] for x in admin_api.call("GET", "/v1/questions")[1]["questions"]]
