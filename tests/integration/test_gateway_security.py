"""The gateway's security behaviour on the real stack: authentication, per-user
isolation, admin-only routes, hostile strings, bounded sizes, malformed JSON,
rate limits; and the right to erase: deleting an interview leaves nothing in
S3 or PostgreSQL."""
import hashlib
import hmac
import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import GATEWAY, Api, psql, run_gateway, s3_presigned, stop

HOST = urllib.parse.urlparse(GATEWAY)
HOSTNAME, PORT = HOST.hostname, HOST.port


def raw_request(method, path, headers=None, body=None):
    """A request exactly as written (no client-side path normalisation)."""
    c = http.client.HTTPConnection(HOSTNAME, PORT, timeout=30)
    try:
        c.putrequest(method, path, skip_accept_encoding=True)
        for k, v in (headers or {}).items():
            c.putheader(k, v)
        if body is not None:
            c.putheader("Content-Length", str(len(body)))
        c.endheaders(body)
        r = c.getresponse()
        data = r.read()
        return r.status, data, r.headers
    finally:
        c.close()


def assert_error_shape(body, code=None):
    assert isinstance(body, dict) and set(body) == {"error"}, body
    assert isinstance(body["error"]["code"], str) and isinstance(body["error"]["message"], str)
    if code:
        assert body["error"]["code"] == code, body


@pytest.fixture(scope="module")
def alice(admin_api):
    return admin_api.new_user("alice")


@pytest.fixture(scope="module")
def bob(admin_api):
    return admin_api.new_user("bob")


def test_missing_and_wrong_credentials(alice):
    anon = Api(GATEWAY)
    for method, path in [("GET", "/v1/interviews"), ("POST", "/v1/interviews"), ("GET", "/v1/me"),
                         ("GET", "/v1/questions"), ("GET", f"/v1/interviews/{uuid.uuid4()}"),
                         ("DELETE", f"/v1/interviews/{uuid.uuid4()}"), ("POST", "/v1/users"),
                         ("GET", "/v1/history"), ("GET", "/v1/webhooks"), ("GET", "/v1/no-such-route")]:
        status, body, headers = anon.call(method, path, {} if method == "POST" else None, with_headers=True)
        assert status == 401, (method, path, body)
        assert_error_shape(body, "unauthenticated")
        assert headers["WWW-Authenticate"].startswith("Bearer")
    wrong_keys = ["isim_" + "0" * 64, alice.key[:-1] + ("0" if alice.key[-1] != "0" else "1"), alice.key + "x",
                  "' OR '1'='1", ""]
    for key in wrong_keys:
        status, body = anon.call("GET", "/v1/me", headers={"Authorization": f"Bearer {key}"})
        assert status == 401, (key, body)
    # Other schemes and a key outside the Bearer scheme are refused too.
    for header in [f"Basic {alice.key}", alice.key, f"Token {alice.key}"]:
        assert anon.call("GET", "/v1/me", headers={"Authorization": header})[0] == 401
    # The right key works; health and the OpenAPI document need none.
    assert alice.call("GET", "/v1/me")[1]["name"] == "alice"
    assert anon.call("GET", "/v1/openapi.json")[0] == 200
    with urllib.request.urlopen(GATEWAY + "/livez", timeout=10) as r:
        assert r.status == 200


def test_keys_are_stored_hashed(alice):
    digest = hashlib.sha256(alice.key.encode()).hexdigest()
    assert psql(f"SELECT count(*) FROM api_keys WHERE key_hash = '{digest}'") == "1"
    assert psql(f"SELECT count(*) FROM api_keys WHERE key_hash = '{alice.key}'") == "0"


def test_another_users_interview_is_not_found(alice, bob):
    mine = alice.create()
    iid = mine["id"]
    for method, path, body in [("GET", f"/v1/interviews/{iid}", None), ("DELETE", f"/v1/interviews/{iid}", None),
                               ("POST", f"/v1/interviews/{iid}/uploaded", None),
                               ("GET", f"/v1/interviews/{iid}/events", None)]:
        status, answer = bob.call(method, path, body)
        assert status == 404, (method, path, answer)
        assert_error_shape(answer, "not_found")
    status, answer = bob.call("PUT", f"/v1/interviews/{iid}/recording", raw=b"not mine",
                              headers={"Content-Type": "application/octet-stream"})
    assert status == 404, answer
    assert iid not in [i["id"] for i in bob.call("GET", "/v1/interviews?limit=100")[1]["interviews"]]
    # Still there, untouched, for its owner.
    status, answer = alice.call("GET", f"/v1/interviews/{iid}")
    assert status == 200 and answer["status"] == "created"
    status, hook = alice.call("POST", "/v1/webhooks", {"url": "http://127.0.0.1:9/alice"})
    assert status == 201, hook
    assert bob.call("DELETE", f"/v1/webhooks/{hook['id']}")[0] == 404
    assert hook["id"] not in [w["id"] for w in bob.call("GET", "/v1/webhooks")[1]["webhooks"]]
    assert alice.call("DELETE", f"/v1/webhooks/{hook['id']}")[0] == 204


def test_admin_manages_the_question_bank(admin_api, alice):
    qid, role = f"sec-{uuid.uuid4().hex[:12]}", f"security-engineer-{uuid.uuid4().hex[:8]}"
    question = {"id": qid, "category": "technical", "role": role,
                "text": "How would you threat-model a file upload service?", "talking_points": ["assets", "attackers"]}
    status, body = alice.call("POST", "/v1/questions", question)
    assert status == 403 and body["error"]["code"] == "forbidden"
    assert alice.call("PUT", "/v1/questions/hard-problem", {"text": "changed"})[0] == 403
    assert alice.call("POST", "/v1/users", {"name": "mallory", "role": "admin"})[0] == 403
    status, body = admin_api.call("POST", "/v1/questions", question)
    assert status == 201 and body["role"] == role, body
    assert admin_api.call("POST", "/v1/questions", question)[0] == 409
    status, body = admin_api.call("PUT", f"/v1/questions/{qid}", {"text": "How would you secure an upload API?"})
    assert status == 200 and body["text"] == "How would you secure an upload API?" and body["category"] == "technical"
    assert admin_api.call("PUT", "/v1/questions/no-such-question-here", {"text": "x"})[0] == 404
    # Everyone signed in reads the bank, filtered by category and role.
    status, body = alice.call("GET", f"/v1/questions?category=technical&role={role}")
    assert status == 200 and [q["id"] for q in body["questions"]] == [qid]
    assert all(q["category"] == "behavioural" for q in alice.call("GET", "/v1/questions?category=behavioural")[1]["questions"])
    assert alice.call("GET", f"/v1/questions/{qid}")[1]["text"] == "How would you secure an upload API?"
    created = alice.call("POST", "/v1/interviews", {"question_id": qid})
    assert created[0] == 201 and created[1]["question"] == "How would you secure an upload API?"
    assert created[1]["question_id"] == qid


SQLI = ["' OR '1'='1", "'; DROP TABLE interviews; --", "1; SELECT pg_sleep(5)", "\" OR \"\"=\"",
        "x') UNION SELECT key_hash, null, null FROM api_keys --"]


def test_sql_injection_strings_are_data(alice, bob):
    before = psql("SELECT count(*) FROM interviews")
    for s in SQLI:
        created = alice.create(question=s)
        assert alice.call("GET", f"/v1/interviews/{created['id']}")[1]["question"] == s
        q = urllib.parse.quote(s)
        for path in [f"/v1/interviews?status={q}", f"/v1/interviews?question_id={q}", f"/v1/interviews?cursor={q}",
                     f"/v1/interviews?limit={q}", f"/v1/questions?category={q}", f"/v1/questions?role={q}"]:
            status, body = alice.call("GET", path)
            assert status == 422, (path, body)
            assert_error_shape(body, "invalid_parameter")
        for path in [f"/v1/interviews/{q}", f"/v1/questions/{q}", f"/v1/webhooks/{q}"]:
            assert alice.call("GET" if "webhooks" not in path else "DELETE", path)[0] == 404, path
        status, body = alice.call("POST", "/v1/interviews", {"question_id": s})
        assert status == 422, body
    # Nothing leaked or dropped: tables intact, bob still sees none of alice's interviews.
    assert int(psql("SELECT count(*) FROM interviews")) >= int(before) + len(SQLI)
    assert not [i for i in bob.call("GET", "/v1/interviews?limit=100")[1]["interviews"] if i["question"] in SQLI]


def test_path_traversal_strings(alice):
    for path in ["/v1/interviews/../../../etc/passwd", "/v1/interviews/..%2f..%2f..%2fetc%2fpasswd",
                 "/v1/interviews/%2e%2e/%2e%2e/etc/passwd", "/v1/questions/..%2F..%2Fopenapi.json",
                 "/v1/interviews/00000000-0000-4000-8000-000000000000%2f..%2f..%2fraw",
                 "/v1/interviews/..", "/v1/interviews//recording", "/v1/interviews/%00"]:
        status, data, _ = raw_request("GET", path, {"Authorization": f"Bearer {alice.key}"})
        assert status in (400, 404), (path, status, data[:200])
        assert b"root:" not in data
    status, data, _ = raw_request("PUT", "/v1/interviews/..%2f..%2fmedia/recording",
                                  {"Authorization": f"Bearer {alice.key}"}, b"x")
    assert status in (400, 404, 405), (status, data)  # 405: civetweb's own answer outside /v1
    created = alice.create(upload=b"x" * 10)
    assert created["upload"]["key"] == f"raw/{created['id']}/recording"


def test_oversized_headers_and_bodies(alice, admin_api):
    auth = {"Authorization": f"Bearer {alice.key}"}
    status, data, _ = raw_request("GET", "/v1/me", {**auth, "X-Filler": "a" * 20000})
    assert 400 <= status < 500, (status, data[:200])
    status, data, _ = raw_request("GET", "/v1/me", {"Authorization": "Bearer " + "k" * 17000})
    assert 400 <= status < 500, status
    for who, path in [(alice, "/v1/interviews"), (alice, "/v1/webhooks"), (admin_api, "/v1/questions"),
                      (admin_api, "/v1/users")]:
        status, body = who.call("POST", path, raw=b'{"question": "' + b"x" * 70000 + b'"}')
        assert status == 413, (path, body)
        assert_error_shape(body, "body_too_large")
    # A recording announced larger than the limit is refused before a byte is read.
    created = alice.create()
    c = http.client.HTTPConnection(HOSTNAME, PORT, timeout=30)
    c.putrequest("PUT", f"/v1/interviews/{created['id']}/recording")
    c.putheader("Authorization", f"Bearer {alice.key}")
    c.putheader("Content-Length", str(1 << 40))
    c.endheaders()
    r = c.getresponse()
    assert r.status == 413, r.read()
    assert json.loads(r.read())["error"]["code"] == "upload_too_large"
    c.close()
    assert alice.call("GET", "/v1/me")[0] == 200  # still serving


@pytest.mark.parametrize("url", [
    "http://10.0.0.1/hook", "http://169.254.169.254/latest/meta-data/", "http://[::1]:8080/hook",
    "http://127.0.0.2:9/hook", "http://0x7f000002/", "http://user@192.168.1.1/", "http://[::ffff:172.16.0.1]/",
    "http://localhost.:9/",
])
def test_webhooks_may_not_reach_internal_addresses(admin_api, url):
    """No server-side request forgery: the local stack allows 127.0.0.1 only."""
    user = admin_api.new_user("ssrf")
    status, body = user.call("POST", "/v1/webhooks", {"url": url})
    if url == "http://localhost.:9/" and "127.0.0.1/32" in os.environ.get("ISIM_WEBHOOK_ALLOW_NETS", ""):
        assert status == 201, body  # localhost is 127.0.0.1, which this stack allows
        return
    assert status == 422, body
    assert_error_shape(body, "private_url")
    status, body = user.call("POST", "/v1/webhooks", {"url": "https://hooks.example.com/isim"})
    assert status == 201, body


def test_connections_are_kept_alive(alice):
    c = http.client.HTTPConnection(HOSTNAME, PORT, timeout=30)
    try:
        for i in range(5):
            c.request("GET", "/v1/me", headers={"Authorization": f"Bearer {alice.key}"})
            if i == 0:
                sock = c.sock
            r = c.getresponse()
            assert r.status == 200 and json.loads(r.read())["id"]
            assert not r.will_close, r.headers
            assert c.sock is sock, "the connection was reopened"
    finally:
        c.close()


@pytest.mark.parametrize("method,path", [("POST", "/v1/interviews"), ("PUT", "/v1/interviews/{id}/recording")])
def test_a_refused_body_closes_the_connection_without_reading_it(alice, method, path):
    """On a kept-alive connection the server would otherwise read the whole
    refused body (here 1 TB that never comes) before answering the next request."""
    path = path.format(id=alice.create()["id"])
    # A raw socket: reading to the end only ends if the server closes it.
    with socket.create_connection((HOSTNAME, PORT), timeout=20) as s:
        s.sendall(f"{method} {path} HTTP/1.1\r\nHost: {HOSTNAME}\r\nAuthorization: Bearer {alice.key}\r\n"
                  f"Content-Length: {1 << 40}\r\n\r\n".encode())
        answer = b""
        try:
            while chunk := s.recv(65536):
                answer += chunk
        except socket.timeout:
            pytest.fail(f"the server left the connection open after: {answer[:300]!r}")
    head = answer.split(b"\r\n\r\n", 1)[0].decode().lower().split("\r\n")
    assert head[0].startswith("http/1.1 413"), answer[:300]
    assert "connection: close" in head, head


@pytest.mark.parametrize("how", ["close", "reset"])
def test_an_upload_cut_off_midway_is_not_taken_and_can_be_sent_again(alice, media_dir, how):
    """A browser that cancels a PUT closes its connection with part of the
    body sent. The part must not be stored and processed as the recording:
    the interview stays waiting for its upload and a whole retry is taken."""
    iid = alice.create()["id"]
    with open(os.path.join(media_dir, "sample.webm"), "rb") as f:
        whole = f.read()
    s = socket.create_connection((HOSTNAME, PORT), timeout=20)
    s.sendall(f"PUT /v1/interviews/{iid}/recording HTTP/1.1\r\nHost: {HOSTNAME}\r\n"
              f"Authorization: Bearer {alice.key}\r\nContent-Type: video/webm\r\n"
              f"Content-Length: {len(whole)}\r\n\r\n".encode() + whole[: len(whole) // 3])
    time.sleep(0.5)
    if how == "reset":  # an RST instead of a FIN
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    s.close()
    time.sleep(1)
    assert alice.call("GET", f"/v1/interviews/{iid}")[1]["status"] == "created"
    status, body = alice.call("PUT", f"/v1/interviews/{iid}/recording", raw=whole,
                              headers={"Content-Type": "video/webm"})
    assert status == 202 and body["status"] == "uploaded", body


def test_an_upper_case_id_is_the_same_interview_and_erase_removes_its_objects(alice, media_dir):
    """PostgreSQL finds a row by an upper-case uuid, but S3 keys are built from
    the id as typed: without canonical ids, an upload through the gateway went
    to a key nothing processes and an erase left every object behind."""
    iid = alice.create()["id"]
    upper = iid.upper()
    with open(os.path.join(media_dir, "sample.webm"), "rb") as f:
        status, body = alice.call("PUT", f"/v1/interviews/{upper}/recording", raw=f.read(),
                                  headers={"Content-Type": "video/webm"})
    assert status == 202 and body["id"] == iid, body
    done = alice.wait_done(iid)
    assert done["status"] == "complete", done
    status, got = alice.call("GET", f"/v1/interviews/{upper}")
    assert status == 200 and got["id"] == iid
    store = os.path.join(os.environ["ISIM_STATE_DIR"], "s3", "data", os.environ.get("ISIM_S3_BUCKET", "isim"))
    objects = lambda: [os.path.join(d, f) for d, _, fs in os.walk(store) for f in fs
                       if iid in os.path.join(d, f).lower()]
    assert len(objects()) >= 3, objects()
    assert alice.call("DELETE", f"/v1/interviews/{upper}")[0] == 204
    assert objects() == [], "the erase left objects behind"
    assert alice.call("GET", f"/v1/interviews/{iid}")[0] == 404


def test_a_path_that_is_not_utf8_is_in_the_access_log(alice):
    """jansson refuses invalid UTF-8: without escaping, such a request left no
    line in the access log."""
    marker = uuid.uuid4().hex
    with socket.create_connection((HOSTNAME, PORT), timeout=20) as s:
        # Percent-encoded: the server decodes the path to the bytes 0xff 0xfe.
        s.sendall(b"GET /v1/" + marker.encode() + b"%ff%fe HTTP/1.1\r\nHost: x\r\n"
                  b"Authorization: Bearer " + alice.key.encode() + b"\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 404"), answer[:200]
    log = os.path.join(os.environ["ISIM_STATE_DIR"], "logs", "isim-gateway.log")
    deadline = time.time() + 5
    lines = []
    while time.time() < deadline and not lines:
        with open(log, encoding="utf-8", errors="replace") as f:
            lines = [json.loads(l) for l in f if marker in l]
        time.sleep(0.2)
    assert lines and "\\xff\\xfe" in lines[0]["msg"], lines


def open_stream(user, iid):
    """An open progress stream (the response, its headers read)."""
    req = urllib.request.Request(f"{user.base}/v1/interviews/{iid}/events",
                                 headers={"Authorization": f"Bearer {user.key}"})
    try:
        return urllib.request.urlopen(req, timeout=30)
    except urllib.error.HTTPError as e:
        return e


def test_one_user_cannot_hold_every_progress_stream(admin_api):
    """The cap of concurrent streams was global and a stream lived an hour:
    one user could starve everyone's progress. Each user now holds at most 4."""
    hog, other = admin_api.new_user("stream hog"), admin_api.new_user("stream neighbour")
    ids = [hog.create()["id"] for _ in range(5)] + [other.create()["id"]]
    quoted = ",".join(f"'{i}'" for i in ids)
    psql(f"UPDATE interviews SET status = 'processing' WHERE id IN ({quoted})")
    streams = []
    try:
        streams = [open_stream(hog, i) for i in ids[:4]]
        assert all(s.status == 200 for s in streams), [s.status for s in streams]
        fifth = open_stream(hog, ids[4])
        assert fifth.status == 429 and fifth.headers["Retry-After"], fifth.status
        assert json.loads(fifth.read())["error"]["code"] == "too_many_streams"
        neighbour = open_stream(other, ids[5])
        assert neighbour.status == 200
        streams.append(neighbour)
    finally:
        psql(f"UPDATE interviews SET status = 'failed', failure_reason = 'test over' WHERE id IN ({quoted})")
        for s in streams:
            s.read()  # each ends once the database says failed
            s.close()
    # Slots come back when streams end.
    assert open_stream(hog, ids[4]).status == 200


def test_a_stream_of_an_interview_waiting_for_its_recording_ends_after_30_s(alice):
    """It lived an hour, holding a gateway thread for an upload that may never come."""
    iid = alice.create()["id"]
    started = time.time()
    with open_stream(alice, iid) as r:
        body = r.read().decode()
    assert 29 < time.time() - started < 40, time.time() - started
    assert "event: snapshot" in body and '"status":"created"' in body, body


def hold_upload(base, key, iid, length):
    """A PUT .../recording that announces length bytes and sends a few: the
    gateway holds a reservation for it until the socket closes. Sent again
    when the gateway answered at once (busy: an upload that just answered may
    give its reservation back a moment after its answer)."""
    u = urllib.parse.urlparse(base)
    for _ in range(20):
        s = socket.create_connection((u.hostname, u.port), timeout=20)
        s.sendall(f"PUT /v1/interviews/{iid}/recording HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\n"
                  f"Content-Type: video/webm\r\nContent-Length: {length}\r\n\r\n".encode()
                  + b"\x1a" * min(1000, length - 1))
        s.settimeout(1)
        try:
            answered = s.recv(100)
        except socket.timeout:
            s.settimeout(20)
            return s  # no answer: the gateway is waiting for the rest of the body
        s.close()
        assert answered.startswith(b"HTTP/1.1 503"), answered
        time.sleep(0.3)
    raise AssertionError("the gateway never took the upload")


def test_uploads_through_the_gateway_are_bounded(alice, media_dir):
    """Each upload is spooled to the work volume: without a bound, a handful of
    parallel uploads filled it and got the pod evicted."""
    with open(os.path.join(media_dir, "sample.webm"), "rb") as f:
        whole = f.read()
    p, base = run_gateway(ISIM_UPLOADS_AT_ONCE="2", ISIM_UPLOAD_SPOOL_BYTES=str(3 * len(whole)))
    held = []

    def put(iid):
        """One PUT of the whole recording; the gateway may answer 503 and close
        before the body is sent (it refuses without reading): the answer is
        read all the same."""
        u = urllib.parse.urlparse(base)
        c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        try:
            c.putrequest("PUT", f"/v1/interviews/{iid}/recording")
            for k, v in {"Authorization": f"Bearer {alice.key}", "Content-Type": "video/webm",
                         "Content-Length": str(len(whole))}.items():
                c.putheader(k, v)
            c.endheaders()
            try:
                c.send(whole)
            except (BrokenPipeError, ConnectionResetError):
                pass
            r = c.getresponse()
            return r.status, json.loads(r.read() or b"null"), r.headers
        except (ConnectionResetError, http.client.RemoteDisconnected) as e:
            return 0, {"error": str(e)}, {}
        finally:
            c.close()

    def put_until(expected, timeout=15):
        """PUTs until one is answered expected: a held upload takes its
        reservation, and a closed one gives it back, a moment after the socket
        says so (longer on a loaded machine)."""
        deadline = time.time() + timeout
        while True:
            status, body, headers = put(alice.create()["id"])
            if status == expected or time.time() > deadline:
                return status, body, headers
            time.sleep(0.3)

    try:
        held.append(hold_upload(base, alice.key, alice.create()["id"], 2 * len(whole)))
        status, body, _ = put_until(202)  # 2 + 1 sizes: exactly the bound, fits
        assert status == 202, body
        held.append(hold_upload(base, alice.key, alice.create()["id"], len(whole) // 2))
        status, body, headers = put_until(503)  # two held: one at a time too many
        assert status == 503 and body["error"]["code"] == "busy" and headers["Retry-After"], body
        held.pop().close()
        status, body, _ = put_until(202)  # 2 + 1 sizes: within the bytes bound again
        assert status == 202, body
        held.append(hold_upload(base, alice.key, alice.create()["id"], 10))
        status, body, _ = put_until(503)  # count fits (2), bytes do not (2 + 1 + 10 B)
        assert status == 503 and body["error"]["code"] == "busy", body
    finally:
        for s in held:
            s.close()
        stop(p)


def test_unknown_keys_are_limited_per_address_and_cost_no_query_twice(alice):
    """Every invalid key cost a database round trip and none was limited.
    Now an address gets ISIM_AUTH_FAILURES_PER_ADDRESS unknown keys a minute
    (a repeated one counts once), then 429, while keys already known pass."""
    p, base = run_gateway(ISIM_AUTH_FAILURES_PER_ADDRESS="5")
    host, port = urllib.parse.urlparse(base).hostname, urllib.parse.urlparse(base).port
    source = f"127.{secrets.randbelow(200) + 20}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 2}"

    def me(key):
        c = http.client.HTTPConnection(host, port, timeout=20, source_address=(source, 0))
        try:
            c.request("GET", "/v1/me", headers={"Authorization": f"Bearer {key}"})
            r = c.getresponse()
            return r.status, r.getheader("Retry-After"), json.loads(r.read() or b"null")
        finally:
            c.close()

    try:
        assert me(alice.key)[0] == 200  # known from here on
        same = "isim_" + "0" * 64
        for _ in range(20):  # one wrong key, repeated: one failure
            assert me(same)[0] == 401
        for i in range(4):
            assert me("isim_" + secrets.token_hex(32))[0] == 401, i
        status, retry, body = me("isim_" + secrets.token_hex(32))
        assert status == 429 and int(retry) > 0 and body["error"]["code"] == "too_many_failures", body
        assert me(alice.key)[0] == 200
    finally:
        stop(p)


def test_a_request_waits_for_a_database_connection_5_s_at_most():
    """The pool waited without a deadline: with every connection stuck, a
    request hung for as long as they did. Now it gets 503 after 5 s."""
    p, base = run_gateway(ISIM_AUTH_FAILURES_PER_ADDRESS="0")
    dsn = os.environ.get("ISIM_PG_DSN")
    # Holds a lock every key lookup needs, so the 16 pooled connections get stuck.
    locker = subprocess.Popen(["psql", dsn, "-q", "-c",
                               "BEGIN; LOCK TABLE api_keys IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(12); COMMIT;"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results = []

    def one():
        req = urllib.request.Request(base + "/v1/me", headers={"Authorization": f"Bearer isim_{secrets.token_hex(32)}"})
        started = time.time()
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                results.append((r.status, time.time() - started))
        except urllib.error.HTTPError as e:
            results.append((e.code, time.time() - started))

    try:
        time.sleep(1)
        threads = [threading.Thread(target=one) for _ in range(24)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        locker.wait(30)
        stop(p)
    unavailable = [t for code, t in results if code == 503]
    assert len(results) == 24 and unavailable, results
    assert all(4 <= t < 9 for t in unavailable), results  # after about 5 s, before the lock ends
    assert all(code in (401, 503) for code, _ in results), results


class SlowReceiver(BaseHTTPRequestHandler):
    """Takes 3 s per webhook: a user's slow server."""
    calls = []

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        time.sleep(3)
        SlowReceiver.calls.append(time.time())
        self.send_response(204)
        self.end_headers()

    def log_message(self, *a):
        pass


class FastReceiver(BaseHTTPRequestHandler):
    calls = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        FastReceiver.calls.append((time.time(), json.loads(body)["interview_id"]))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *a):
        pass


def test_one_users_slow_webhooks_do_not_delay_anothers(admin_api):
    """Deliveries ran one at a time with 5 s timeouts: a user whose receiver
    was slow delayed every other user's events."""
    slow_user, fast_user = admin_api.new_user("slow hooks"), admin_api.new_user("fast hooks")
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), h) for h in (SlowReceiver, FastReceiver)]
    for srv in servers:
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        for user, srv in ((slow_user, servers[0]), (fast_user, servers[1])):
            status, _ = user.call("POST", "/v1/webhooks", {"url": f"http://127.0.0.1:{srv.server_port}/hook"})
            assert status == 201
        slow_ids = [slow_user.create()["id"] for _ in range(5)]
        fast_id = fast_user.create()["id"]
        quoted = ",".join(f"'{i}'" for i in slow_ids)
        psql(f"UPDATE interviews SET status = 'failed', failure_reason = 'test', updated_at = now() WHERE id IN ({quoted})")
        time.sleep(2.5)  # the slow user's five deliveries are due, one is being sent
        ended = time.time()
        psql(f"UPDATE interviews SET status = 'failed', failure_reason = 'test', updated_at = now() WHERE id = '{fast_id}'")
        deadline = time.time() + 30
        while not any(i == fast_id for _, i in FastReceiver.calls) and time.time() < deadline:
            time.sleep(0.1)
        got = [t for t, i in FastReceiver.calls if i == fast_id]
        assert got, "the fast user's webhook never came"
        # Before the slow user's queue (5 x 3 s, one at a time) has drained.
        assert got[0] - ended < 5, got[0] - ended
        assert len(SlowReceiver.calls) < 5, SlowReceiver.calls
    finally:
        for srv in servers:
            srv.shutdown()


def objects_of(iid):
    store = os.path.join(os.environ["ISIM_STATE_DIR"], "s3", "data", os.environ.get("ISIM_S3_BUCKET", "isim"))
    return [os.path.join(d, f) for d, _, fs in os.walk(store) for f in fs if iid in os.path.join(d, f)]


def test_an_admin_deletes_a_user_with_all_their_data(admin_api, media_dir):
    user = admin_api.new_user("leaving")
    iid = user.create()["id"]
    with open(os.path.join(media_dir, "sample.webm"), "rb") as f:
        assert user.call("PUT", f"/v1/interviews/{iid}/recording", raw=f.read(),
                         headers={"Content-Type": "video/webm"})[0] == 202
    assert user.wait_done(iid)["status"] == "complete"
    assert user.call("POST", "/v1/webhooks", {"url": "https://hooks.example.com/isim"})[0] == 201
    assert len(objects_of(iid)) >= 3
    me = admin_api.call("GET", "/v1/me")[1]
    assert admin_api.call("DELETE", f"/v1/users/{me['id']}")[0] == 422  # not oneself
    assert user.call("DELETE", f"/v1/users/{user.id}")[0] == 403  # not a user
    status, body = admin_api.call("DELETE", f"/v1/users/{user.id}")
    assert status == 200 and body == {"deleted": True, "interviews_deleted": 1}, body
    assert objects_of(iid) == []
    assert psql(f"SELECT count(*) FROM users WHERE id = '{user.id}'") == "0"
    assert psql(f"SELECT count(*) FROM interviews WHERE id = '{iid}'") == "0"
    assert psql(f"SELECT count(*) FROM webhooks WHERE user_id = '{user.id}'") == "0"
    assert user.call("GET", "/v1/me")[0] == 401
    assert admin_api.call("DELETE", f"/v1/users/{user.id}")[0] == 404


def test_a_user_deletes_their_own_account(admin_api):
    user = admin_api.new_user("erasing myself")
    iid = user.create()["id"]
    status, body = user.call("DELETE", "/v1/me", {"confirm": "yes"})
    assert status == 422 and "delete my account" in body["error"]["message"], body
    assert user.call("GET", "/v1/me")[0] == 200
    status, body = user.call("DELETE", "/v1/me", {"confirm": "delete my account"})
    assert status == 200 and body["interviews_deleted"] == 1, body
    assert user.call("GET", "/v1/me")[0] == 401
    assert psql(f"SELECT count(*) FROM interviews WHERE id = '{iid}'") == "0"


def test_rate_limit_holds_under_a_concurrent_burst(admin_api):
    """Every request of a burst is counted: none passes because the others
    keep Redis busy. wrk (48 connections, 2 s) makes the burst, as Python
    threads cannot."""
    limit = 100
    if time.time() % 60 > 50:  # one window for the whole burst
        time.sleep(61 - time.time() % 60)
    user = admin_api.new_user("burst", rate_limit_per_min=limit)
    out = subprocess.run(["wrk", "-t2", "-c48", "-d2s", "-H", f"Authorization: Bearer {user.key}",
                          GATEWAY + "/v1/me"], capture_output=True, text=True, check=True).stdout
    total = int(re.search(r"(\d+) requests in", out).group(1))
    refused = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    assert total > 4 * limit, out
    assert total - (int(refused.group(1)) if refused else 0) == limit, out
    status, body = user.call("GET", "/v1/me")
    assert status == 429, body


@pytest.mark.parametrize("raw,status,code", [
    (b"{not json", 400, "invalid_json"),
    (b"", 400, "invalid_json"),
    (b"[]", 400, "invalid_json"),
    (b'"a string"', 400, "invalid_json"),
    (b'{"question": "a\\u0000b"}', 400, "invalid_json"),
    (b'{"question": "\xff\xfe"}', 400, "invalid_json"),
    (b'{"question": 5}', 422, "invalid_question"),
    (b'{"question": ""}', 422, "invalid_question"),
    (b'{"question": null}', 422, "invalid_question"),
    (b'{}', 422, "invalid_question"),
    (b'{"question": "q", "question_id": "hard-problem"}', 422, "invalid_question"),
    (b'{"question": "q", "admin": true}', 422, "unknown_field"),
    (b'{"question_id": "no-such-question-1"}', 422, "unknown_question"),
])
def test_malformed_json(alice, raw, status, code):
    got, body = alice.call("POST", "/v1/interviews", raw=raw)
    assert got == status, body
    assert_error_shape(body, code)


def test_rate_limit_exhaustion(admin_api):
    limited = admin_api.new_user("limited", rate_limit_per_min=5)
    other = admin_api.new_user("neighbour", rate_limit_per_min=5)
    # Start at the beginning of a window so all six calls fall into one.
    if time.time() % 60 > 50:
        time.sleep(61 - time.time() % 60)
    assert [limited.call("GET", "/v1/me")[0] for _ in range(5)] == [200] * 5
    status, body, headers = limited.call("GET", "/v1/me", with_headers=True)
    assert status == 429, body
    assert_error_shape(body, "rate_limited")
    assert 1 <= int(headers["Retry-After"]) <= 61
    assert headers["X-Request-Id"]
    # Limits are per key: another user is not affected.
    assert other.call("GET", "/v1/me")[0] == 200


def test_request_id_in_every_response(alice):
    anon = Api(GATEWAY)
    for who, path in [(anon, "/v1/me"), (alice, "/v1/me"), (alice, f"/v1/interviews/{uuid.uuid4()}"),
                      (alice, "/v1/nothing")]:
        _, _, headers = who.call("GET", path, with_headers=True)
        assert len(headers["X-Request-Id"]) >= 16
        assert headers["X-Content-Type-Options"] == "nosniff"
    _, _, headers = alice.call("GET", "/v1/me", headers={"X-Request-Id": "client-trace.42"}, with_headers=True)
    assert headers["X-Request-Id"] == "client-trace.42"
    _, _, headers = alice.call("GET", "/v1/me", headers={"X-Request-Id": "bad id with <tags>"}, with_headers=True)
    assert headers["X-Request-Id"] != "bad id with <tags>" and len(headers["X-Request-Id"]) == 36
    log = os.path.join(os.environ["ISIM_STATE_DIR"], "logs", "isim-gateway.log")
    alice.call("GET", "/v1/interviews?status=nope", headers={"X-Request-Id": "find-me-in-the-log-7"})
    time.sleep(0.2)
    assert "find-me-in-the-log-7" in open(log, errors="replace").read()


def test_cors_preflight_for_unlisted_origin(alice):
    status, data, headers = raw_request("OPTIONS", "/v1/interviews", {
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    allowed = os.environ.get("ISIM_CORS_ORIGINS", "")
    if "*" in allowed or "https://evil.example" in allowed:
        pytest.skip("the stack allows this origin")
    assert status == 403 and "Access-Control-Allow-Origin" not in headers
    _, _, headers = alice.call("GET", "/v1/me", headers={"Origin": "https://evil.example"}, with_headers=True)
    assert "Access-Control-Allow-Origin" not in headers


def test_pagination_and_filters(admin_api):
    user = admin_api.new_user("pager")
    ids = [user.create()["id"] for _ in range(3)] + \
          [user.call("POST", "/v1/interviews", {"question_id": "failure"})[1]["id"] for _ in range(2)]
    seen, cursor, pages = [], None, 0
    while True:
        status, body = user.call("GET", "/v1/interviews?limit=2" + (f"&cursor={urllib.parse.quote(cursor)}" if cursor else ""))
        assert status == 200, body
        assert len(body["interviews"]) <= 2
        seen += [i["id"] for i in body["interviews"]]
        pages += 1
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert pages == 3 and seen == list(reversed(ids))
    by_question = user.call("GET", "/v1/interviews?question_id=failure")[1]["interviews"]
    assert [i["id"] for i in by_question] == list(reversed(ids[3:]))
    assert len(user.call("GET", "/v1/interviews?status=created&limit=100")[1]["interviews"]) == 5
    assert user.call("GET", "/v1/interviews?status=complete")[1]["interviews"] == []
    assert user.call("GET", "/v1/interviews?limit=0")[0] == 422
    assert user.call("GET", "/v1/interviews?limit=101")[0] == 422


class Receiver(BaseHTTPRequestHandler):
    """Webhook receiver: refuses the first delivery (500) to exercise the retry."""
    calls = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.calls.append((dict(self.headers), body, time.time()))
        self.send_response(500 if len(Receiver.calls) == 1 else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def read_events(api, iid, out, done):
    req = urllib.request.Request(f"{api.base}/v1/interviews/{iid}/events", headers=api.headers())
    try:
        with urllib.request.urlopen(req, timeout=300) as r:
            out.append(("content-type", r.headers["Content-Type"]))
            event = None
            for line in r:
                line = line.decode().rstrip("\n")
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: "):
                    out.append((event, json.loads(line[6:])))
        out.append(("closed", None))
    finally:
        done.set()


def test_streamed_upload_progress_webhook_history_and_erase(admin_api, media_dir):
    user = admin_api.new_user("eraser")
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        status, hook = user.call("POST", "/v1/webhooks", {"url": f"http://127.0.0.1:{server.server_port}/hook"})
        assert status == 201, hook
        created = user.call("POST", "/v1/interviews", {"question_id": "hard-problem"})[1]
        iid = created["id"]
        events, done = [], threading.Event()
        threading.Thread(target=read_events, args=(user, iid, events, done), daemon=True).start()
        time.sleep(0.5)
        # Through the gateway, not the presigned URL: the client-cannot-reach-S3 path.
        with open(os.path.join(media_dir, "sample.webm"), "rb") as f:
            status, body = user.call("PUT", f"/v1/interviews/{iid}/recording", raw=f.read(),
                                     headers={"Content-Type": "video/webm"})
        assert status == 202 and body["status"] == "uploaded", body
        assert user.call("PUT", f"/v1/interviews/{iid}/recording", raw=b"again")[0] == 409
        assert done.wait(240), events
        assert events[0] == ("content-type", "text/event-stream")
        assert events[1][0] == "snapshot"
        assert events[-1] == ("closed", None)
        assert events[-2][0] == "complete" and events[-2][1]["status"] == "complete", events
        assert any(e[0] == "progress" and e[1].get("stage") for e in events), events
        final = user.call("GET", f"/v1/interviews/{iid}")[1]
        assert final["status"] == "complete" and final["report"]["transcript"]["text"]
        assert all(s["duration_s"] is None or s["duration_s"] >= 0 for s in final["stages"].values())
        # A stream on a finished interview ends at once with its snapshot.
        events2, done2 = [], threading.Event()
        read_events(user, iid, events2, done2)
        assert [e[0] for e in events2] == ["content-type", "snapshot", "closed"]

        # Webhook: refused once, retried with backoff, signed with the secret.
        deadline = time.time() + 60
        while len(Receiver.calls) < 2 and time.time() < deadline:
            time.sleep(0.5)
        assert len(Receiver.calls) == 2, Receiver.calls
        for headers, body, _ in Receiver.calls:
            expected = hmac.new(hook["secret"].encode(), body, hashlib.sha256).hexdigest()
            assert headers["X-Isim-Signature"] == f"sha256={expected}"
            payload = json.loads(body)
            assert payload["interview_id"] == iid and payload["event"] == "interview.complete"
        assert Receiver.calls[1][2] - Receiver.calls[0][2] >= 1.5  # backoff
        assert [json.loads(b)["attempt"] for _, b, _ in Receiver.calls] == [1, 2]
        time.sleep(2.5)
        assert len(Receiver.calls) == 2  # delivered: not sent again

        history = user.call("GET", "/v1/history")[1]["history"]
        assert [h["interview_id"] for h in history] == [iid]
        assert history[0]["score"] is None or isinstance(history[0]["score"], (int, float))
        # Sub-scores, for the web app's trend chart: the report's own numbers.
        parts = final["report"]["score"]["parts"]
        assert history[0]["parts"] == {k: v["score"] for k, v in parts.items()}, history[0]

        # Erase: objects, then rows.
        with urllib.request.urlopen(final["video_url"], timeout=30) as r:
            assert r.status == 200
        store = os.path.join(os.environ["ISIM_STATE_DIR"], "s3", "data", os.environ.get("ISIM_S3_BUCKET", "isim"))
        on_disk = lambda: [os.path.join(d, f) for d, _, fs in os.walk(store) for f in fs if iid in os.path.join(d, f)]
        assert len(on_disk()) >= 3, on_disk()

        # Objects no stage writes, under both prefixes and straight to S3: the
        # erase must find them by listing ("&" comes back as &amp; in the XML).
        strays = [f"media/{iid}/left behind/odd & name.bin", f"raw/{iid}/recording.retry-1"]
        for key in strays:
            req = urllib.request.Request(s3_presigned("PUT", key), data=b"stray bytes", method="PUT")
            with urllib.request.urlopen(req, timeout=30) as r:
                assert r.status == 200
            with urllib.request.urlopen(s3_presigned("GET", key), timeout=30) as r:
                assert r.read() == b"stray bytes"
        assert any("odd & name.bin" in f for f in on_disk()), on_disk()
        status, body = user.call("DELETE", f"/v1/interviews/{iid}")
        assert status == 204, body
        for key in strays:
            with pytest.raises(urllib.error.HTTPError) as e:
                urllib.request.urlopen(s3_presigned("GET", key), timeout=30)
            assert e.value.code == 404, key
        for key in ("video_url", "poster_url"):
            with pytest.raises(urllib.error.HTTPError) as e:
                urllib.request.urlopen(final[key], timeout=30)
            assert e.value.code == 404
        assert on_disk() == []
        rows = psql(f"SELECT (SELECT count(*) FROM interviews WHERE id = '{iid}') + "
                    f"(SELECT count(*) FROM stage_events WHERE interview_id = '{iid}') + "
                    f"(SELECT count(*) FROM transcripts WHERE interview_id = '{iid}') + "
                    f"(SELECT count(*) FROM metrics WHERE interview_id = '{iid}') + "
                    f"(SELECT count(*) FROM reports WHERE interview_id = '{iid}') + "
                    f"(SELECT count(*) FROM webhook_deliveries WHERE interview_id = '{iid}')")
        assert rows == "0"
        assert user.call("GET", f"/v1/interviews/{iid}")[0] == 404
        assert user.call("DELETE", f"/v1/interviews/{iid}")[0] == 404
        assert user.call("GET", "/v1/history")[1]["history"] == []
    finally:
        server.shutdown()
