"""isim admin, as the Helm chart's hook Jobs run it, against the real stack:
migrations applied to an empty database (a fresh schema) and checked, the
gateway that only checks them refusing to start on a database that lacks
them, topics grown, never shrunk, the bucket created with its CORS rules
refused or applied, and each bad setting named."""
import glob
import json
import re
import os
import socket
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from confluent_kafka.admin import AdminClient

from conftest import free_port, psql, put_file, run_gateway, stop

BUILD = os.environ.get("ISIM_BUILD_DIR", "build")
CLI = os.path.join(BUILD, "isim")
MIGRATIONS = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "..", "..", "deploy", "migrations", "*.sql")))


def admin(*args, **env):
    e = dict(os.environ, **env)
    return subprocess.run([CLI, "admin", *args], capture_output=True, text=True, env=e, timeout=120)


@pytest.fixture
def empty_schema():
    """A DSN whose tables land in a new, empty schema: an empty database as
    far as the migrations can tell."""
    name = "admin_" + uuid.uuid4().hex[:10]
    psql(f"CREATE SCHEMA {name}")
    base = os.environ.get("ISIM_PG_DSN", "postgresql://isim:isim@127.0.0.1:25432/isim")
    yield name, f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{name}"
    psql(f"DROP SCHEMA {name} CASCADE")


def test_migrate_applies_all_then_nothing_and_check_agrees(empty_schema):
    schema, dsn = empty_schema
    check = admin("migrate-check", ISIM_PG_DSN=dsn)
    assert check.returncode == 1 and "isim admin migrate" in check.stderr, check
    assert f"all {len(MIGRATIONS)}" in check.stderr, check.stderr
    first = admin("migrate", ISIM_PG_DSN=dsn)
    assert first.returncode == 0, first.stderr
    assert f"{len(MIGRATIONS)} migration(s) applied" in first.stdout, first.stdout
    assert psql(f"SELECT count(*) FROM {schema}.schema_migrations") == str(len(MIGRATIONS))
    assert psql(f"SELECT to_regclass('{schema}.interviews') IS NOT NULL") == "t"
    # The shipped bank comes with the schema: every question of it, once.
    with open(os.path.join(os.path.dirname(__file__), "..", "..", "data", "en", "questions.json")) as f:
        bank = {q["id"] for q in json.load(f)["questions"]}
    assert "question bank:" in first.stdout, first.stdout
    ids = set(psql(f"SELECT string_agg(id, ' ') FROM {schema}.questions WHERE language = 'en'").split())
    assert ids == bank, ids ^ bank
    again = admin("migrate", ISIM_PG_DSN=dsn)
    assert again.returncode == 0 and "0 migration(s) applied" in again.stdout, again
    assert "0 shipped question(s) added, 0 updated" in again.stdout, again.stdout
    assert admin("migrate-check", ISIM_PG_DSN=dsn).returncode == 0
    # One missing migration is named.
    last = os.path.basename(MIGRATIONS[-1])
    psql(f"DELETE FROM {schema}.schema_migrations WHERE version = '{last}'")
    check = admin("migrate-check", ISIM_PG_DSN=dsn)
    assert check.returncode == 1 and last in check.stderr and "lacks 1 migration" in check.stderr, check.stderr


def test_a_gateway_that_does_not_migrate_refuses_an_unmigrated_database(empty_schema):
    _, dsn = empty_schema
    env = dict(os.environ, ISIM_PG_DSN=dsn, ISIM_MIGRATE_AT_START="0", ISIM_HTTP_PORT=str(free_port()))
    p = subprocess.run([os.path.join(BUILD, "isim-gateway")], capture_output=True, text=True, env=env, timeout=60)
    assert p.returncode != 0
    out = p.stdout + p.stderr
    assert "lacks" in out and "isim admin migrate" in out and "ISIM_MIGRATE_AT_START=1" in out, out[-2000:]


def partitions(topic):
    md = AdminClient({"bootstrap.servers": os.environ["ISIM_KAFKA_BROKERS"]}).list_topics(timeout=20)
    return len(md.topics[topic].partitions)


def test_topics_are_grown_never_shrunk():
    before = partitions("interview.dlq")
    grown = admin("topics", ISIM_KAFKA_TOPIC_PARTITIONS=f"interview.dlq={before + 1}")
    assert grown.returncode == 0, grown.stderr
    assert f"interview.dlq: growing from {before} to {before + 1} partitions" in grown.stdout, grown.stdout
    assert "8 topics ready" in grown.stdout
    deadline = time.time() + 20
    while partitions("interview.dlq") != before + 1 and time.time() < deadline:
        time.sleep(0.5)
    assert partitions("interview.dlq") == before + 1
    same = admin("topics", ISIM_KAFKA_TOPIC_PARTITIONS=f"interview.dlq={before + 1}")
    assert same.returncode == 0 and f"interview.dlq: {before + 1} partitions, as asked" in same.stdout, same
    fewer = admin("topics", ISIM_KAFKA_TOPIC_PARTITIONS="interview.dlq=1")
    assert fewer.returncode == 0 and "left as it is" in fewer.stdout, fewer
    assert partitions("interview.dlq") == before + 1


@pytest.mark.parametrize("env,named", [
    ({"ISIM_KAFKA_TOPIC_PARTITIONS": "interview.nope=3"}, "ISIM_KAFKA_TOPIC_PARTITIONS"),
    ({"ISIM_KAFKA_PARTITIONS": "0"}, "ISIM_KAFKA_PARTITIONS=0"),
    ({"ISIM_KAFKA_SECURITY_PROTOCOL": "tls"}, "ISIM_KAFKA_SECURITY_PROTOCOL"),
])
def test_bad_topic_settings_are_named(env, named):
    p = admin("topics", **env)
    assert p.returncode == 1 and named in p.stderr, p


def test_bucket_is_created_and_cors_on_a_store_without_bucket_cors_is_a_warning():
    bucket = "admin-" + uuid.uuid4().hex[:10]
    store = os.path.join(os.environ["ISIM_STATE_DIR"], "s3", "data", bucket)
    p = admin("bucket", ISIM_S3_BUCKET=bucket, ISIM_S3_CORS_ORIGINS="https://app.example.com")
    assert p.returncode == 0, p.stderr
    assert f"bucket {bucket}: present" in p.stdout
    # The local store (S3Proxy) keeps CORS in its own configuration.
    assert "does not take bucket CORS rules" in p.stdout and "NotImplemented" in p.stdout, p.stdout
    assert os.path.isdir(store), store
    again = admin("bucket", ISIM_S3_BUCKET=bucket)
    assert again.returncode == 0 and "no CORS rules set" in again.stdout, again
    os.rmdir(store)


def test_a_bad_cors_origin_is_refused_before_anything_is_created():
    bucket = "admin-" + uuid.uuid4().hex[:10]
    p = admin("bucket", ISIM_S3_BUCKET=bucket, ISIM_S3_CORS_ORIGINS="https://app.example.com/upload")
    assert p.returncode == 1 and "ISIM_S3_CORS_ORIGINS" in p.stderr and "is not an origin" in p.stderr, p
    assert not os.path.exists(os.path.join(os.environ["ISIM_STATE_DIR"], "s3", "data", bucket))


def test_unknown_admin_command_shows_the_commands():
    p = admin("drop-everything")
    assert p.returncode == 2 and "unknown command" in p.stderr and "migrate" in p.stderr, p


def secure(**extra):
    """Settings for the stack broker's SASL_SSL listener (its own CA)."""
    env = {"ISIM_KAFKA_BROKERS": os.environ["ISIM_STACK_KAFKA_SASL_SSL"],
           "ISIM_KAFKA_SECURITY_PROTOCOL": "sasl_ssl", "ISIM_KAFKA_SASL_MECHANISM": "PLAIN",
           "ISIM_KAFKA_SASL_USERNAME": os.environ["ISIM_STACK_KAFKA_SASL_USER"],
           "ISIM_KAFKA_SASL_PASSWORD": os.environ["ISIM_STACK_KAFKA_SASL_PASSWORD"],
           "ISIM_KAFKA_CA_FILE": os.environ["ISIM_STACK_KAFKA_CA_FILE"]}
    env.update(extra)
    return env


def test_kafka_over_tls_with_sasl():
    """The managed-Kafka settings against a real broker: SASL PLAIN over TLS,
    the certificate checked against the given CA."""
    p = admin("topics", **secure())
    assert p.returncode == 0 and "8 topics ready" in p.stdout, p.stderr[-2000:]


@pytest.mark.parametrize("change,why", [
    ({"ISIM_KAFKA_SASL_PASSWORD": "wrong-password"}, "Authentication failed"),
    ({"ISIM_KAFKA_CA_FILE": "/etc/ssl/certs/ca-certificates.crt"}, "certificate verify failed"),
])
def test_kafka_refuses_a_wrong_password_or_an_unknown_certificate(change, why):
    p = subprocess.run([CLI, "admin", "topics"], capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, ISIM_LOG_LEVEL="error", **secure(**change)))
    assert p.returncode == 1, p
    # librdkafka logs why on stderr; the command fails rather than hang.
    assert why.lower() in p.stderr.lower(), p.stderr[-2000:]


def me_status(base, key):
    req = urllib.request.Request(base + "/v1/me", headers={"Authorization": f"Bearer {key}"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def test_a_changed_or_removed_bootstrap_key_stops_working():
    """The bootstrap admin key is replaced, not added to: the published local
    key must not stay valid once an operator sets their own, or removes it."""
    old = os.environ["ISIM_BOOTSTRAP_ADMIN_KEY"]
    new = "isim-test-bootstrap-" + uuid.uuid4().hex
    try:
        p, base = run_gateway(ISIM_BOOTSTRAP_ADMIN_KEY=new)
        try:
            assert me_status(base, new) == 200
            assert me_status(base, old) == 401
        finally:
            log = stop(p)
        assert "1 earlier key(s) revoked" in log, log[-2000:]
        p, base = run_gateway(ISIM_BOOTSTRAP_ADMIN_KEY="")
        try:
            assert me_status(base, new) == 401
            assert me_status(base, old) == 401
        finally:
            stop(p)
    finally:
        p, base = run_gateway(ISIM_BOOTSTRAP_ADMIN_KEY=old)  # the stack's key back
        try:
            assert me_status(base, old) == 200
        finally:
            stop(p)


def test_an_expired_key_is_refused(admin_api):
    user = admin_api.new_user("expiring")
    assert user.call("GET", "/v1/me")[0] == 200
    psql(f"UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE user_id = '{user.id}'")
    # A fresh gateway: the stack's may hold the key in its short auth cache.
    p, base = run_gateway()
    try:
        assert me_status(base, user.key) == 401
    finally:
        stop(p)


@pytest.mark.parametrize("command,named", [("migrate", "ISIM_PG_DSN is not set"),
                                           ("bucket", "ISIM_S3_ACCESS_KEY, ISIM_S3_SECRET_KEY")])
def test_no_credentials_are_built_in(command, named):
    """Without the local stack's environment no program knows a password: it
    says which setting is missing instead of trying published defaults."""
    p = subprocess.run([CLI, "admin", command], capture_output=True, text=True, timeout=60,
                       env={"PATH": os.environ["PATH"]})
    assert p.returncode == 1 and named in p.stderr, p


def test_reap_deletes_objects_of_erased_interviews_and_nothing_else(api):
    """A presigned URL outlives an erase: the recording could be put back with
    nothing pointing to it, forever. The reaper deletes objects of erased
    interviews, and leaves objects of ids it does not know were erased (an
    empty or older database must not look like a bucket of orphans)."""
    store = os.path.join(os.environ["ISIM_STATE_DIR"], "s3", "data", os.environ.get("ISIM_S3_BUCKET", "isim"))
    kept, erased, unknown = (api.create(upload=b"x" * 100) for _ in range(3))
    for c in (kept, erased, unknown):
        assert put_file(c["upload"]["url"], b"x" * 100) == 200
    assert api.call("DELETE", f"/v1/interviews/{erased['id']}")[0] == 204
    assert put_file(erased["upload"]["url"], b"x" * 100) == 200  # back, after the erase
    psql(f"DELETE FROM interviews WHERE id = '{unknown['id']}'")  # gone without an erase
    p = admin("reap")
    assert p.returncode == 0, p.stderr
    m = re.search(r"(\d+) object\(s\) of (\d+) erased interview\(s\)", p.stdout)
    assert m and int(m.group(1)) >= 1 and int(m.group(2)) >= 1, p.stdout
    assert not os.path.exists(os.path.join(store, "raw", erased["id"], "recording"))
    assert os.path.exists(os.path.join(store, "raw", kept["id"], "recording"))
    assert os.path.exists(os.path.join(store, "raw", unknown["id"], "recording"))


def test_interviews_older_than_the_retention_are_erased(api):
    store = os.path.join(os.environ["ISIM_STATE_DIR"], "s3", "data", os.environ.get("ISIM_S3_BUCKET", "isim"))
    old, recent = api.create(upload=b"x" * 100), api.create(upload=b"x" * 100)
    for c in (old, recent):
        assert put_file(c["upload"]["url"], b"x" * 100) == 200
    psql(f"UPDATE interviews SET created_at = now() - interval '31 days' WHERE id = '{old['id']}'")
    p, base = run_gateway(ISIM_RETENTION_DAYS="30", ISIM_REAP_INTERVAL_S="1")
    try:
        deadline = time.time() + 20
        while time.time() < deadline and psql(f"SELECT count(*) FROM interviews WHERE id = '{old['id']}'") != "0":
            time.sleep(0.5)
    finally:
        log = stop(p)
    assert psql(f"SELECT count(*) FROM interviews WHERE id = '{old['id']}'") == "0", log[-2000:]
    assert not os.path.exists(os.path.join(store, "raw", old["id"], "recording"))
    assert psql(f"SELECT count(*) FROM interviews WHERE id = '{recent['id']}'") == "1"
    assert os.path.exists(os.path.join(store, "raw", recent["id"], "recording"))
    assert "older than 30 days erased" in log, log[-2000:]


def retention_ms(topic):
    from confluent_kafka.admin import ConfigResource
    client = AdminClient({"bootstrap.servers": os.environ["ISIM_KAFKA_BROKERS"]})
    res = ConfigResource(ConfigResource.Type.TOPIC, topic)
    return int(client.describe_configs([res])[res].result(timeout=20)["retention.ms"].value)


def test_topics_carrying_what_candidates_said_expire(api):
    """An erase cannot reach a Kafka message: the topics that hold transcripts
    keep them ISIM_KAFKA_PERSONAL_RETENTION_H hours, not the brokers' week."""
    try:
        p = admin("topics", ISIM_KAFKA_PERSONAL_RETENTION_H="48")
        assert p.returncode == 0 and "interview.transcribed: messages kept 48 h" in p.stdout, p
        for topic in ("interview.transcribed", "interview.text-metrics", "interview.dlq"):
            assert retention_ms(topic) == 48 * 3600 * 1000, topic
        assert retention_ms("interview.converted") != 48 * 3600 * 1000
    finally:
        assert admin("topics").returncode == 0
    assert retention_ms("interview.transcribed") == 24 * 3600 * 1000


class S3Stand(BaseHTTPRequestHandler):
    """Answers a create-bucket PUT as S3 does; remembers how it was signed."""
    seen = []

    def do_PUT(self):
        S3Stand.seen.append((self.path, self.headers.get("Authorization", "")))
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *a):
        pass


def test_s3_over_https_with_a_private_ca(tmp_path):
    """ISIM_S3_CA_FILE: a store whose certificate a private CA signed is
    reached with that CA, and refused without it."""
    subprocess.run(
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.crt "
        "-days 2 -subj '/CN=test S3 CA' && openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
        "-keyout s3.key -out s3.csr -subj '/CN=127.0.0.1' && printf 'subjectAltName=IP:127.0.0.1\\n' > san.ext && "
        "openssl x509 -req -in s3.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out s3.crt -days 2 -extfile san.ext",
        shell=True, check=True, cwd=tmp_path, capture_output=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), S3Stand)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(tmp_path / "s3.crt", tmp_path / "s3.key")
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = f"https://127.0.0.1:{server.server_port}"
    try:
        ok = admin("bucket", ISIM_S3_ENDPOINT=endpoint, ISIM_S3_PUBLIC_ENDPOINT="",
                   ISIM_S3_CA_FILE=str(tmp_path / "ca.crt"), ISIM_S3_BUCKET="tls-bucket")
        assert ok.returncode == 0 and "bucket tls-bucket: present" in ok.stdout, ok
        assert S3Stand.seen and S3Stand.seen[-1][0] == "/tls-bucket", S3Stand.seen
        assert S3Stand.seen[-1][1].startswith("AWS4-HMAC-SHA256 Credential=")
        refused = admin("bucket", ISIM_S3_ENDPOINT=endpoint, ISIM_S3_PUBLIC_ENDPOINT="", ISIM_S3_BUCKET="tls-bucket")
        assert refused.returncode == 1 and "certificate" in refused.stderr.lower(), refused
        missing = admin("bucket", ISIM_S3_ENDPOINT=endpoint, ISIM_S3_CA_FILE=str(tmp_path / "nope.crt"))
        assert missing.returncode == 1 and "nope.crt" in missing.stderr, missing
    finally:
        server.shutdown()


@pytest.mark.parametrize("mode,ca,ok", [
    ("verify-full", "stack", True),   # encrypted, the server's certificate and name checked
    ("require", None, True),          # encrypted, nothing checked
    ("verify-full", "other", False),  # a certificate another CA signed is refused
])
def test_postgresql_over_tls(mode, ca, ok, tmp_path):
    """libpq's PGSSLMODE and PGSSLROOTCERT (the chart's postgresql.sslmode and
    caSecret) against the stack's PostgreSQL, which offers TLS."""
    env = {"PGSSLMODE": mode}
    if ca == "stack":
        env["PGSSLROOTCERT"] = os.environ["ISIM_STACK_KAFKA_CA_FILE"]
    elif ca == "other":
        subprocess.run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout o.key "
                       "-out o.crt -days 2 -subj '/CN=other CA'", shell=True, check=True, cwd=tmp_path,
                       capture_output=True)
        env["PGSSLROOTCERT"] = str(tmp_path / "o.crt")
    p = subprocess.run([CLI, "admin", "migrate-check"], capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, **env))
    if ok:
        assert p.returncode == 0, p.stderr
        dsn = os.environ["ISIM_PG_DSN"]
        used = subprocess.run(["psql", dsn, "-At", "-c", "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"],
                              capture_output=True, text=True, env=dict(os.environ, **env), check=True).stdout.strip()
        assert used == "t", used
    else:
        assert p.returncode == 1 and "certificate verify failed" in p.stderr, p.stderr
