"""The converter against a store that refuses or stumbles, through a proxy in
front of the stack's real S3 server:

- a PUT the store refuses (HTTP 400, as S3 answers an object over its size
  limit) fails the interview at once, in plain words, and dead-letters the
  message for a replay once the store is put right: it is not tried again for
  minutes as if the store were away;
- a PUT that fails for a while (HTTP 503) is tried again in-process, and the
  answer's audio, announced before the video was stored, is announced once:
  each announcement is a transcription of the whole answer."""
import http.client
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest

from conftest import dlq_listed, put_file, read_topics, stack

REFUSED = (b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>MaxMessageLengthExceeded</Code>'
           b'<Message>Your request was too big.</Message></Error>')
AWAY = b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Busy.</Message></Error>'


class StoreProxy:
    """Forwards every request to the real store unchanged (the Host header too,
    so SigV4 signatures hold), except PUTs of the video of interview `only`
    (set once it exists): the first `times` of those are answered with
    (status, body) instead."""

    def __init__(self, status, body, times):
        self.status, self.body, self.left = status, body, times
        self.only = None
        self.refused = 0
        self.lock = threading.Lock()
        target = urlparse(os.environ["ISIM_S3_ENDPOINT"])
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                data = self.rfile.read(length) if length else None
                path = urlparse(self.path).path
                if self.command == "PUT" and proxy.only and f"/media/{proxy.only}/video." in path:
                    with proxy.lock:
                        refuse = proxy.left > 0
                        if refuse:
                            proxy.left -= 1
                            proxy.refused += 1
                    if refuse:
                        self.send_response(proxy.status)
                        self.send_header("Content-Type", "application/xml")
                        self.send_header("Content-Length", str(len(proxy.body)))
                        self.end_headers()
                        self.wfile.write(proxy.body)
                        return
                conn = http.client.HTTPConnection(target.hostname, target.port, timeout=120)
                try:
                    headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
                    conn.request(self.command, self.path, body=data, headers=headers)
                    r = conn.getresponse()
                    payload = r.read()
                    self.send_response(r.status)
                    for k, v in r.getheaders():
                        if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                            self.send_header(k, v)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(payload)
                finally:
                    conn.close()

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = forward

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def converter_behind():
    """converter_behind(status, body, times): the stack's converter restarted to
    reach the store through a StoreProxy; put back as it was afterwards."""
    proxies = []

    def start(status, body, times):
        p = StoreProxy(status, body, times)
        proxies.append(p)
        stack("stop", "converter")
        stack("start", "converter", ISIM_S3_ENDPOINT=p.url)
        return p

    yield start
    stack("stop", "converter")
    stack("start", "converter")
    for p in proxies:
        p.close()


def submit(api, media_dir, proxy):
    sample = os.path.join(media_dir, "sample.webm")
    created = api.create(upload=sample)
    iid = created["id"]
    proxy.only = iid
    assert put_file(created["upload"]["url"], sample) in (200, 201)
    assert api.call("POST", f"/v1/interviews/{iid}/uploaded")[0] == 202
    return iid


def announcements(iid):
    return [m for m in read_topics("interview.audio-extracted") if m.key() == iid.encode()]


def test_a_put_the_store_refuses_fails_at_once_and_is_kept_for_a_replay(api, media_dir, converter_behind):
    proxy = converter_behind(400, REFUSED, 1000)
    started = time.time()
    iid = submit(api, media_dir, proxy)
    # Without the distinction this waits out ISIM_RETRY_DEADLINE_S (minutes).
    final = api.wait_done(iid, timeout=60)
    took = time.time() - started
    assert final["status"] == "failed", final
    assert final["failure_reason"] == \
        "Our storage refused to keep the processed recording; please try again later.", final
    assert proxy.refused == 1, f"the refused PUT was tried {proxy.refused} times in {took:.0f} s"
    assert [d for d in dlq_listed(iid)], "the message was not dead-lettered: nothing to replay"


def test_a_put_that_fails_for_a_while_announces_the_audio_once(api, media_dir, converter_behind):
    proxy = converter_behind(503, AWAY, 2)
    iid = submit(api, media_dir, proxy)
    final = api.wait_done(iid)
    assert final["status"] == "complete", final
    assert proxy.refused == 2, "the store's stumble was not met: nothing was tested"
    sent = announcements(iid)
    assert len(sent) == 1, f"the audio was announced {len(sent)} times, once per try"
