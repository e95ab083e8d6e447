import hashlib
import hmac
import json
import os
import socket
import secrets
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import xml.etree.ElementTree as ET

import pytest
from confluent_kafka import Consumer, Producer, TopicPartition

GATEWAY = os.environ.get("ISIM_GATEWAY_URL", "http://127.0.0.1:8080")


class Api:
    """The gateway's API as one user: every call carries that user's API key
    (None: no Authorization header)."""

    def __init__(self, base, key=None):
        self.base = base
        self.key = key

    def headers(self, extra=None):
        h = {"Content-Type": "application/json"}
        if self.key:
            h["Authorization"] = f"Bearer {self.key}"
        h.update(extra or {})
        return h

    def call(self, method, path, body=None, headers=None, raw=None, with_headers=False):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=self.headers(headers))
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                status, raw_body, hdrs = r.status, r.read(), r.headers
        except urllib.error.HTTPError as e:
            status, raw_body, hdrs = e.code, e.read(), e.headers
        try:
            parsed = json.loads(raw_body or b"null")
        except ValueError:
            parsed = raw_body.decode(errors="replace")
        return (status, parsed, hdrs) if with_headers else (status, parsed)

    def create(self, question="Tell me about a time you solved a hard problem.", upload=None):
        """A new interview; upload (a path or bytes) asks for a presigned URL bound to its size."""
        req = {"question": question}
        if upload is not None:
            req["size_bytes"] = os.path.getsize(upload) if isinstance(upload, str) else len(upload)
        status, body = self.call("POST", "/v1/interviews", req)
        assert status == 201, body
        return body

    def wait_done(self, iid, timeout=240):
        deadline = time.time() + timeout
        while time.time() < deadline:
            status, body = self.call("GET", f"/v1/interviews/{iid}")
            assert status == 200, body
            if body["status"] in ("complete", "failed"):
                return body
            time.sleep(0.5)
        raise AssertionError(f"interview {iid} not done after {timeout}s: {body}")

    def new_user(self, name="test user", role="user", rate_limit_per_min=0):
        """Creates a user through this (admin) Api; returns an Api acting as it."""
        status, body = self.call("POST", "/v1/users", {"name": name, "role": role,
                                                       "rate_limit_per_min": rate_limit_per_min})
        assert status == 201, body
        user = Api(self.base, body["api_key"])
        user.id = body["id"]
        return user


def put_file(url, path_or_bytes):
    """Uploads to a presigned URL with a plain HTTP client, as a browser would."""
    data = path_or_bytes
    if isinstance(path_or_bytes, str):
        with open(path_or_bytes, "rb") as f:
            data = f.read()
    req = urllib.request.Request(url, data=data, method="PUT")
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.status


def psql(sql, *params):
    dsn = os.environ.get("ISIM_PG_DSN", "postgresql://isim:isim@127.0.0.1:25432/isim")
    args = ["psql", dsn, "-At", "-v", "ON_ERROR_STOP=1"]
    for i, p in enumerate(params):
        args += ["-v", f"p{i}={p}"]
    out = subprocess.run(args, input=sql, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def s3_presigned(method, key, query=None, expires=300):
    """A SigV4 presigned URL of the stack's S3 for key ("" for the bucket
    itself, with query parameters such as a listing's), signed here with its
    credentials."""
    ep = urllib.parse.urlparse(os.environ["ISIM_S3_ENDPOINT"])
    region = os.environ.get("ISIM_S3_REGION", "us-east-1")
    access = os.environ["ISIM_S3_ACCESS_KEY"]
    now = time.gmtime()
    stamp, day = time.strftime("%Y%m%dT%H%M%SZ", now), time.strftime("%Y%m%d", now)
    scope = f"{day}/{region}/s3/aws4_request"
    enc = lambda v, safe="-_.~": urllib.parse.quote(v, safe=safe)
    bucket = os.environ.get("ISIM_S3_BUCKET", "isim")
    path = enc(f"{ep.path.rstrip('/')}/{bucket}" + (f"/{key}" if key else ""), "/-_.~")
    params = dict(query or {}, **{
        "X-Amz-Algorithm": "AWS4-HMAC-SHA256", "X-Amz-Credential": f"{access}/{scope}",
        "X-Amz-Date": stamp, "X-Amz-Expires": str(expires), "X-Amz-SignedHeaders": "host"})
    query_s = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params.items()))
    canonical = f"{method}\n{path}\n{query_s}\nhost:{ep.netloc}\n\nhost\nUNSIGNED-PAYLOAD"
    to_sign = f"AWS4-HMAC-SHA256\n{stamp}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    k = ("AWS4" + os.environ["ISIM_S3_SECRET_KEY"]).encode()
    for part in (day, region, "s3", "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest()
    return f"{ep.scheme}://{ep.netloc}{path}?{query_s}&X-Amz-Signature={signature}"


def s3_list(prefix):
    """{key: (size, ETag or None)} of every object under prefix, through the S3 API (ListObjectsV2)."""
    ns = "{http://s3.amazonaws.com/doc/2006-03-01/}"
    found, token = {}, None
    while True:
        query = {"list-type": "2", "prefix": prefix}
        if token:
            query["continuation-token"] = token
        with urllib.request.urlopen(s3_presigned("GET", "", query), timeout=30) as r:
            root = ET.fromstring(r.read())
        for c in root.iter(f"{ns}Contents"):
            # S3Proxy's file system store lists an object still being written
            # without its ETag: None then (the fault suite lists mid-flight).
            found[c.findtext(f"{ns}Key")] = (int(c.findtext(f"{ns}Size") or 0), c.findtext(f"{ns}ETag"))
        token = root.findtext(f"{ns}NextContinuationToken")
        if root.findtext(f"{ns}IsTruncated") != "true" or not token:
            return found


def kafka_brokers():
    return os.environ.get("ISIM_KAFKA_BROKERS", "127.0.0.1:29092")


def read_topics(*topics, timeout=5):
    """Every message now in these topics (all partitions, oldest first within
    each), as confluent_kafka Messages: topic, value, key, headers, partition,
    offset. One consumer for all: closing one takes up to a second."""
    consumer = Consumer({"bootstrap.servers": kafka_brokers(), "group.id": f"read-{uuid.uuid4()}",
                         "enable.auto.commit": False})
    out = []
    try:
        parts, remaining = [], {}
        for topic in topics:
            for p in consumer.list_topics(topic, timeout=10).topics[topic].partitions:
                lo, hi = consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)
                if hi > lo:
                    parts.append(TopicPartition(topic, p, lo))
                    remaining[(topic, p)] = hi
        consumer.assign(parts)
        while remaining:
            msg = consumer.poll(timeout)
            assert msg is not None, f"timed out reading {sorted(remaining)}"
            if msg.error():
                continue
            at = (msg.topic(), msg.partition())
            if at in remaining:
                out.append(msg)
                if msg.offset() + 1 >= remaining[at]:
                    remaining.pop(at)
    finally:
        consumer.close()
    return out


@pytest.fixture(scope="session")
def admin_api():
    """An administrator. With ISIM_BOOTSTRAP_ADMIN_KEY set (as the stack's
    gateway has it) that key; otherwise a fresh admin key written straight
    into PostgreSQL, stored hashed as the gateway stores keys."""
    key = os.environ.get("ISIM_BOOTSTRAP_ADMIN_KEY")
    if not key:
        key = "isim_" + secrets.token_hex(32)
        uid = str(uuid.uuid4())
        digest = hashlib.sha256(key.encode()).hexdigest()
        psql(f"INSERT INTO users (id, name, role, rate_limit_per_min) VALUES ('{uid}', 'test admin', 'admin', 0);"
             f"INSERT INTO api_keys (key_hash, user_id) VALUES ('{digest}', '{uid}');")
    return Api(GATEWAY, key)


@pytest.fixture(scope="session")
def api(admin_api):
    """A regular user without a rate limit: what every test acts as by default."""
    return admin_api.new_user("integration tests")


@pytest.fixture(scope="session")
def media_dir():
    return os.environ["ISIM_TEST_MEDIA_DIR"]


def stack(*args, **env):
    """Runs deploy/stack.sh (e.g. "stt-down") on the stack under test, with env added
    (`start` gives a service the caller's environment)."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    subprocess.run(["bash", os.path.join(root, "deploy", "stack.sh"), *args], check=True, capture_output=True,
                   text=True, timeout=180, env=dict(os.environ, **env))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_gateway(**env):
    """A second gateway on a free port with these settings; returns (process, base URL) once it answers."""
    port = free_port()
    e = dict(os.environ, ISIM_HTTP_PORT=str(port), **env)
    p = subprocess.Popen([os.path.join(os.environ.get("ISIM_BUILD_DIR", "build"), "isim-gateway")], env=e, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        if p.poll() is not None:
            raise AssertionError(f"the gateway exited: {p.stdout.read()[-2000:]}")
        try:
            with urllib.request.urlopen(base + "/livez", timeout=2):
                return p, base
        except OSError:
            time.sleep(0.2)
    p.kill()
    raise AssertionError("the gateway did not start in 60 s")


def stop(p):
    p.terminate()
    try:
        out, _ = p.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
        out, _ = p.communicate()
    return out


DEAD_LETTER_QUESTION = "Tell me about a time you solved a hard problem."
DEAD_LETTER_MISSING = "could not be found in storage"


def dead_lettered(api, media_dir):
    """A new interview whose interview.uploaded is sent by hand before its
    recording is stored: the converter finds no object, dead-letters the
    message and the interview fails. Returns the interview, the recording to
    put in place, and the traceparent the message carried."""
    sample = os.path.join(media_dir, "sample.webm")
    created = api.create(question=DEAD_LETTER_QUESTION, upload=sample)
    iid = created["id"]
    raw_key = psql("SELECT raw_key FROM interviews WHERE id = :'p0'", iid)
    traceparent = f"00-{uuid.uuid4().hex}-{uuid.uuid4().hex[:16]}-01"
    msg = {"version": 1, "interview_id": iid, "raw_key": raw_key, "question": DEAD_LETTER_QUESTION,
           "size_bytes": os.path.getsize(sample)}
    brokers = os.environ.get("ISIM_KAFKA_BROKERS", "127.0.0.1:29092")
    producer = Producer({"bootstrap.servers": brokers, "enable.idempotence": True})
    producer.produce("interview.uploaded", json.dumps(msg).encode(), key=iid,
                     headers=[("traceparent", traceparent.encode())])
    assert producer.flush(30) == 0
    done = api.wait_done(iid, timeout=120)
    assert done["status"] == "failed", done
    assert DEAD_LETTER_MISSING in done["failure_reason"], done
    return created, sample, traceparent


def dlq(*args, **env):
    """Runs `isim dlq ARGS` from the build under test, with env added."""
    cli = os.path.join(os.environ.get("ISIM_BUILD_DIR", "build"), "isim")
    return subprocess.run([cli, "dlq", *args], capture_output=True, text=True, env=dict(os.environ, **env),
                          timeout=120)


def dlq_listed(iid):
    """The interview's dead letters, as `isim dlq list --json` gives them."""
    out = dlq("list", "--interview", iid, "--json")
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]
