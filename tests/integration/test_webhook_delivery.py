"""Webhooks are delivered at least once: a receiver that fails gets the event
again, with the same Idempotency-Key (and X-Isim-Delivery), so that it can
act on it once; the signature covers each try's body."""
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from conftest import psql


class FlakyReceiver(BaseHTTPRequestHandler):
    """Answers 500 to the first try, 204 after; keeps what it got."""
    tries = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        FlakyReceiver.tries.append((dict(self.headers), body))
        self.send_response(500 if len(FlakyReceiver.tries) == 1 else 204)
        self.end_headers()

    def log_message(self, *a):
        pass


def test_a_webhook_sent_again_carries_the_same_idempotency_key(admin_api):
    user = admin_api.new_user("idempotent hooks")
    srv = ThreadingHTTPServer(("127.0.0.1", 0), FlakyReceiver)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        status, hook = user.call("POST", "/v1/webhooks", {"url": f"http://127.0.0.1:{srv.server_port}/hook"})
        assert status == 201, hook
        iid = user.create()["id"]
        psql(f"UPDATE interviews SET status = 'failed', failure_reason = 'test', updated_at = now() WHERE id = '{iid}'")
        deadline = time.time() + 30
        while len(FlakyReceiver.tries) < 2 and time.time() < deadline:
            time.sleep(0.2)
        assert len(FlakyReceiver.tries) == 2, FlakyReceiver.tries
        keys = [h.get("Idempotency-Key") for h, _ in FlakyReceiver.tries]
        assert keys[0] == keys[1] == f"{hook['id']}.{iid}.failed", keys
        assert all(h.get("X-Isim-Delivery") == keys[0] for h, _ in FlakyReceiver.tries)
        attempts = [json.loads(b)["attempt"] for _, b in FlakyReceiver.tries]
        assert attempts == [1, 2], attempts
        for h, b in FlakyReceiver.tries:
            mac = hmac.new(hook["secret"].encode(), b, hashlib.sha256).hexdigest()
            assert h["X-Isim-Signature"] == f"sha256={mac}"
        time.sleep(3)
        assert len(FlakyReceiver.tries) == 2, "delivered: not sent a third time"
    finally:
        srv.shutdown()
