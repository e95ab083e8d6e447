import json
import os
import subprocess
import time
import urllib.error
import urllib.request

import pytest

GATEWAY = os.environ.get("ISIM_GATEWAY_URL", "http://127.0.0.1:8080")


class Api:
    def __init__(self, base):
        self.base = base

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                return e.code, json.loads(raw)
            except ValueError:
                return e.code, raw.decode(errors="replace")

    def create(self, question="Tell me about a time you solved a hard problem."):
        status, body = self.call("POST", "/v1/interviews", {"question": question})
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


def put_file(url, path_or_bytes):
    """Uploads to a presigned URL with a plain HTTP client, as a browser would."""
    data = path_or_bytes
    if isinstance(path_or_bytes, str):
        with open(path_or_bytes, "rb") as f:
            data = f.read()
    req = urllib.request.Request(url, data=data, method="PUT")
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.status


@pytest.fixture(scope="session")
def api():
    return Api(GATEWAY)


@pytest.fixture(scope="session")
def media_dir():
    return os.environ["ISIM_TEST_MEDIA_DIR"]


def psql(sql, *params):
    dsn = os.environ.get("ISIM_PG_DSN", "postgresql://isim:isim@127.0.0.1:55432/isim")
    args = ["psql", dsn, "-At", "-v", "ON_ERROR_STOP=1"]
    for i, p in enumerate(params):
        args += ["-v", f"p{i}={p}"]
    out = subprocess.run(args, input=sql, capture_output=True, text=True, check=True)
    return out.stdout.strip()
