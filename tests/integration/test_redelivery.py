"""At-least-once delivery, checked: every stage gets a message it has
already handled once more, and nothing changes. The worker stores a message's
offset only once its outputs are acknowledged (common/kafka_worker.c), so a
crash or a rebalance delivers it again; the stages claim to be idempotent.

Here the exact original message (bytes, key, headers) is read back from its
topic and produced again to its partition, after the interview has
completed: the stage and everything downstream of it run again, and the rows
(PostgreSQL), the objects (S3), the gateway's answer, the live events and the
webhooks must be the same as before, with each effect once. Also when the
second run comes out otherwise (another speech engine, a failure), and when
the copy comes while the original is still being processed."""
import datetime
import json
import os
import socket
import threading
import time
import urllib.parse
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from confluent_kafka import Consumer, Producer, TopicPartition

from conftest import kafka_brokers, psql, put_file, read_topics, s3_list, s3_presigned, stack

UPLOADED, AUDIO, CONVERTED, TRANSCRIBED = ("interview.uploaded", "interview.audio-extracted",
                                           "interview.converted", "interview.transcribed")
VIDEO_METRICS, TEXT_METRICS, STATUS, DLQ = ("interview.video-metrics", "interview.text-metrics",
                                            "interview.status", "interview.dlq")
TOPICS = (UPLOADED, AUDIO, CONVERTED, TRANSCRIBED, VIDEO_METRICS, TEXT_METRICS, STATUS, DLQ)
STAGES = ("converter", "transcriber", "video-metrics", "text-metrics")
# What a stage produces for one input, besides its two status events (started, finished).
OUTPUTS = {"converter": (AUDIO, CONVERTED), "transcriber": (TRANSCRIBED,),
           "video-metrics": (VIDEO_METRICS,), "text-metrics": (TEXT_METRICS,)}
CONSUMERS = {UPLOADED: ("converter",), AUDIO: ("transcriber",), CONVERTED: ("video-metrics",),
             TRANSCRIBED: ("text-metrics",), VIDEO_METRICS: (), TEXT_METRICS: (), STATUS: ()}
# result-writer's topics: it stores every message of these, and publishes one event each.
RESULT_WRITER = (STATUS, CONVERTED, TRANSCRIBED, VIDEO_METRICS, TEXT_METRICS)


def cascade(topic, copies=1):
    """The messages, by topic, that copies of one message of topic cause:
    its stage runs again, and every stage downstream of it."""
    added = dict.fromkeys(TOPICS, 0)
    pending = [topic] * copies
    while pending:
        t = pending.pop()
        added[t] += 1
        for stage in CONSUMERS[t]:
            added[STATUS] += 2
            pending += OUTPUTS[stage]
    return added


class Receiver(BaseHTTPRequestHandler):
    """Webhook receiver: records (interview id, event) of every delivery."""
    calls = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Receiver.calls.append((body["interview_id"], body["event"]))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


class Events:
    """result-writer's live events of one interview: a subscription to the
    Redis channel interview:<id> (one event per message it has stored)."""

    def __init__(self, iid):
        self.events = []
        self.sock = socket.create_connection((os.environ.get("ISIM_REDIS_HOST", "127.0.0.1"),
                                              int(os.environ.get("ISIM_REDIS_PORT", "26379"))), timeout=10)
        self.sock.sendall(f"SUBSCRIBE interview:{iid}\r\n".encode())
        self.file = self.sock.makefile("rb")
        assert self.read_reply()[0] == b"subscribe"
        self.sock.settimeout(None)
        threading.Thread(target=self.run, daemon=True).start()

    def read_reply(self):
        line = self.file.readline()
        if not line:
            raise EOFError
        kind, rest = line[:1], line[1:-2]
        if kind == b"*":
            return [self.read_reply() for _ in range(int(rest))]
        if kind == b"$":
            data = self.file.read(int(rest) + 2)
            return data[:-2]
        return rest

    def run(self):
        try:
            while True:
                reply = self.read_reply()
                if reply[0] == b"message":
                    self.events.append(json.loads(reply[2]))
        except (OSError, ValueError, EOFError):
            pass

    def wait_for(self, count, timeout=180):
        deadline = time.time() + timeout
        while len(self.events) < count and time.time() < deadline:
            time.sleep(0.2)
        got = list(self.events)
        assert len(got) >= count, f"{len(got)} of {count} events: {got}"
        return got

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


def messages_of(iid):
    """The interview's messages, by topic, oldest first."""
    found = {t: [] for t in TOPICS}
    for m in read_topics(*TOPICS):
        # Keyed by the interview: other tests' poison on these topics is skipped unread.
        if m.key() == iid.encode() and json.loads(m.value()).get("interview_id") == iid:
            found[m.topic()].append(m)
    return found


def counts(messages):
    return {t: len(ms) for t, ms in messages.items()}


def redeliver(msg, producer=None):
    """Produces msg again, as it is (value, key, headers), to its partition."""
    errors = []
    p = producer or Producer({"bootstrap.servers": kafka_brokers()})
    p.produce(msg.topic(), value=msg.value(), key=msg.key(), headers=msg.headers(), partition=msg.partition(),
              on_delivery=lambda err, _: errors.append(err))
    assert p.flush(30) == 0 and errors == [None], errors


def redeliver_at_once(topic, iid, start, timeout=30):
    """Delivers the first message of iid on topic after start() again as soon
    as it is there (consumer and producer ready before start)."""
    consumer = Consumer({"bootstrap.servers": kafka_brokers(), "group.id": f"tail-{uuid.uuid4()}",
                         "enable.auto.commit": False})
    producer = Producer({"bootstrap.servers": kafka_brokers()})
    try:
        parts = [TopicPartition(topic, p, consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1])
                 for p in consumer.list_topics(topic, timeout=10).topics[topic].partitions]
        consumer.assign(parts)
        producer.list_topics(topic, timeout=10)  # connected
        start()
        deadline = time.time() + timeout
        while time.time() < deadline:
            msg = consumer.poll(0.1)
            if (msg is not None and not msg.error() and msg.key() == iid.encode()
                    and json.loads(msg.value()).get("interview_id") == iid):
                return redeliver(msg, producer)
        raise AssertionError(f"no message of {iid} on {topic} in {timeout} s")
    finally:
        consumer.close()


def rows_of(iid):
    """Every row of the interview, whole, in PostgreSQL."""
    q = f"'{iid}'::uuid"
    return json.loads(psql(
        "SELECT json_build_object("
        f"'interviews', (SELECT json_agg(i) FROM interviews i WHERE id = {q}), "
        f"'stage_events', (SELECT json_agg(s ORDER BY stage) FROM stage_events s WHERE interview_id = {q}), "
        f"'transcripts', (SELECT json_agg(t) FROM transcripts t WHERE interview_id = {q}), "
        f"'metrics', (SELECT json_agg(m ORDER BY kind) FROM metrics m WHERE interview_id = {q}), "
        f"'reports', (SELECT json_agg(r) FROM reports r WHERE interview_id = {q}), "
        f"'webhook_deliveries', (SELECT json_agg(d ORDER BY webhook_id) FROM webhook_deliveries d "
        f"                       WHERE interview_id = {q}))"))


def answer_of(user, iid):
    """The gateway's answer, less the presigned URLs' signing time."""
    status, body = user.call("GET", f"/v1/interviews/{iid}")
    assert status == 200, body
    for k in ("video_url", "poster_url"):
        if body.get(k):
            body[k] = urllib.parse.urlparse(body[k]).path
    return body


def differences(a, b, path=""):
    """Where b differs from a, as "path: a -> b" lines (short enough to read in a failure)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b), key=str)
                for d in differences(a.get(k, "<absent>"), b.get(k, "<absent>"), f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: {str(a)[:200]} -> {str(b)[:200]}"]


def state_of(run):
    return {"rows": rows_of(run.iid), "objects": s3_list(f"media/{run.iid}/"), "answer": answer_of(run.user, run.iid)}


class Run:
    """An interview that has ended, of a user whose webhooks (hooks) heard of
    it once; late: a webhook of theirs registered after, which must never
    (the gateway records one for every ended interview updated since)."""

    def __init__(self, user, iid, hooks, late=None):
        self.user, self.iid, self.hooks, self.late = user, iid, hooks, late


@pytest.fixture(scope="module")
def receiver():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()


def add_webhook(user, receiver):
    status, hook = user.call("POST", "/v1/webhooks", {"url": receiver})
    assert status == 201, hook
    return hook["id"]


def upload(user, recording):
    """A new interview of user with recording (a path or bytes) uploaded, not yet queued."""
    created = user.create(upload=recording)
    assert put_file(created["upload"]["url"], recording) == 200
    return created["id"]


def queue(user, iid):
    """Tells the gateway the upload is done: it produces interview.uploaded."""
    status, body = user.call("POST", f"/v1/interviews/{iid}/uploaded")
    assert status == 202, body


def wait_delivered(iid, count=1, timeout=60):
    deadline = time.time() + timeout
    while psql(f"SELECT count(*) FROM webhook_deliveries WHERE interview_id = '{iid}' "
               f"AND delivered_at IS NOT NULL") != str(count):
        assert time.time() < deadline, f"webhooks of {iid} not delivered: {rows_of(iid)['webhook_deliveries']}"
        time.sleep(0.2)


def ended(admin_api, receiver, recording, status):
    """A new user with a webhook, and an interview of theirs made from
    recording that has ended with status, its webhook delivered; then a
    second webhook of the same user."""
    user = admin_api.new_user("redelivery")
    hook = add_webhook(user, receiver)
    iid = upload(user, recording)
    queue(user, iid)
    body = user.wait_done(iid)
    assert body["status"] == status, body
    wait_delivered(iid)
    return Run(user, iid, [hook], add_webhook(user, receiver))


@pytest.fixture(scope="module")
def sample(media_dir):
    return os.path.join(media_dir, "sample.webm")


@pytest.fixture(scope="module")
def done(admin_api, receiver, sample):
    return ended(admin_api, receiver, sample, "complete")


@pytest.fixture(scope="module")
def marker(admin_api, receiver):
    """A user whose webhook shows when the gateway has recorded due
    deliveries (see webhooks_recorded)."""
    user = admin_api.new_user("redelivery marker")
    add_webhook(user, receiver)
    return user


def webhooks_recorded(marker):
    """Returns once the gateway has recorded the webhook deliveries due now:
    it records them in one statement, and an interview of marker's, ended
    now, is among them."""
    iid = marker.create()["id"]
    psql(f"UPDATE interviews SET status = 'failed', failure_reason = 'marker', updated_at = now() WHERE id = '{iid}'")
    deadline = time.time() + 30
    while psql(f"SELECT count(*) FROM webhook_deliveries WHERE interview_id = '{iid}'") != "1":
        assert time.time() < deadline, "the gateway recorded no webhook delivery in 30 s"
        time.sleep(0.2)


def assert_webhooks_once(run, marker, event):
    """Each of the run's webhooks was told of the end once; the late one never."""
    webhooks_recorded(marker)
    rows = rows_of(run.iid)["webhook_deliveries"]
    assert [(r["webhook_id"], r["event"]) for r in rows] == [(h, event) for h in sorted(run.hooks)], rows
    assert all(r["delivered_at"] and r["attempts"] == 1 for r in rows), rows
    assert [c for c in Receiver.calls if c[0] == run.iid] == [(run.iid, f"interview.{event}")] * len(run.hooks)


def redeliver_and_compare(run, marker, messages, originals, expected, event):
    """Delivers originals (among the interview's messages) again; once
    result-writer has stored every message that caused (expected, by topic),
    the interview must be as before."""
    before_counts = counts(messages)
    before = state_of(run)
    events = Events(run.iid)
    try:
        for m in originals:
            redeliver(m)
        got = events.wait_for(sum(expected[t] for t in RESULT_WRITER))
    finally:
        events.close()
    # Each stage ran once more and produced its outputs once.
    after_counts = counts(messages_of(run.iid))
    assert {t: after_counts[t] - before_counts[t] for t in TOPICS} == expected
    status = before["rows"]["interviews"][0]["status"]
    assert all(e["status"] == status for e in got), got
    changed = differences(before, state_of(run))
    assert not changed, "\n".join(changed[:20] + [f"... {len(changed) - 20} more"] * (len(changed) > 20))
    assert_webhooks_once(run, marker, event)
    return got


# Each stage's input, and result-writer's five topics. The status case
# delivers every status event of the interview again (each stage's started
# and finished), in their order.
@pytest.mark.parametrize("topic", [UPLOADED, AUDIO, CONVERTED, TRANSCRIBED, VIDEO_METRICS, TEXT_METRICS, STATUS])
def test_a_message_delivered_again_changes_nothing(done, marker, topic):
    messages = messages_of(done.iid)
    originals = messages[topic]
    if topic != STATUS:
        originals = originals[:1]  # the first: the one the interview was made from
    else:
        originals = [m for m in originals if json.loads(m.value())["stage"] in STAGES][:2 * len(STAGES)]
        assert len(originals) == 2 * len(STAGES)
    expected = dict.fromkeys(TOPICS, 0)
    for m in originals:
        for t, n in cascade(topic).items():
            expected[t] += n
    got = redeliver_and_compare(done, marker, messages, originals, expected, "complete")
    # No "complete" (or "failed") again: only progress.
    assert {e["event"] for e in got} == {"progress"}, got


def test_a_message_that_comes_out_otherwise_the_second_time_changes_nothing(done, marker):
    """Delivered again while the speech-to-text server is down, the audio is
    transcribed by pocketsphinx instead: other words, other text metrics.
    The interview's report was built from the first transcript; the rows it
    was built from stay as they were."""
    messages = messages_of(done.iid)
    stack("stt-down")
    try:
        redeliver_and_compare(done, marker, messages, messages[AUDIO][:1], cascade(AUDIO), "complete")
    finally:
        stack("stt-up")
    again = json.loads(messages_of(done.iid)[TRANSCRIBED][-1].value())["transcript"]
    assert again["engine"] == "pocketsphinx"  # it did come out otherwise


def test_an_upload_that_failed_delivered_again_changes_nothing(admin_api, receiver, marker):
    """The converter fails it again: dead-lettered again (each delivery that
    fails is), and the failed interview stays as it was."""
    failed = ended(admin_api, receiver, b"this is not a video at all\n" * 100, "failed")
    messages = messages_of(failed.iid)
    assert len(messages[UPLOADED]) == 1
    expected = dict(dict.fromkeys(TOPICS, 0), **{UPLOADED: 1, STATUS: 2, DLQ: 1})
    got = redeliver_and_compare(failed, marker, messages, messages[UPLOADED], expected, "failed")
    assert {e["event"] for e in got} == {"progress"}, got  # it had failed already


def test_a_stage_that_fails_the_second_time_changes_nothing(admin_api, receiver, marker, sample):
    """The recording is gone when interview.uploaded comes again (storage
    rules may expire uploads): the converter fails this time, and the
    complete interview must not look failed, in any stage."""
    run = ended(admin_api, receiver, sample, "complete")
    messages = messages_of(run.iid)
    raw_key = json.loads(messages[UPLOADED][0].value())["raw_key"]
    with urllib.request.urlopen(urllib.request.Request(s3_presigned("DELETE", raw_key), method="DELETE"),
                                timeout=30) as r:
        assert r.status == 204
    expected = dict(dict.fromkeys(TOPICS, 0), **{UPLOADED: 1, STATUS: 2, DLQ: 1})
    got = redeliver_and_compare(run, marker, messages, messages[UPLOADED], expected, "complete")
    assert {e["event"] for e in got} == {"progress"}, got
    failure = json.loads(messages_of(run.iid)[STATUS][-1].value())
    assert failure["stage"] == "converter" and failure["state"] == "failed", failure  # it did fail


def test_one_upload_delivered_twice_at_once(admin_api, receiver, marker, done, sample):
    """The same interview.uploaded twice back to back, the second before the
    first is done: both runs go through every stage, and the interview ends
    once, with one report built from its one set of rows."""
    user = admin_api.new_user("redelivery at once")
    run = Run(user, upload(user, sample), [add_webhook(user, receiver)])
    iid = run.iid
    events = Events(iid)
    try:
        redeliver_at_once(UPLOADED, iid, lambda: queue(user, iid))
        expected = cascade(UPLOADED, copies=2)
        got = events.wait_for(sum(expected[t] for t in RESULT_WRITER))
    finally:
        events.close()
    messages = messages_of(iid)
    assert counts(messages) == expected
    # The copy came while the original was still being processed.
    copied_at = messages[UPLOADED][1].timestamp()[1] / 1000
    completed_at = datetime.datetime.fromisoformat(json.loads(psql(
        f"SELECT json_build_object('t', completed_at) FROM interviews WHERE id = '{iid}'"))["t"]).timestamp()
    assert copied_at < completed_at - 0.5, (copied_at, completed_at)
    assert [e["event"] for e in got].count("complete") == 1, got
    assert "failed" not in [e["event"] for e in got], got
    wait_delivered(iid)
    assert_webhooks_once(run, marker, "complete")

    state = state_of(run)
    rows = state["rows"]
    assert rows["interviews"][0]["status"] == "complete"
    assert [(s["stage"], s["state"], s["reason"]) for s in rows["stage_events"]] == \
        [(s, "finished", None) for s in sorted(STAGES)]
    assert len(rows["transcripts"]) == 1 and len(rows["reports"]) == 1
    assert [m["kind"] for m in rows["metrics"]] == ["text", "video"]
    # The report was built from the rows that stayed.
    report = rows["reports"][0]["report"]
    assert report["transcript"]["text"] == rows["transcripts"][0]["text"]
    assert report["transcript"]["words"] == rows["transcripts"][0]["words"]
    assert state["answer"]["status"] == "complete" and state["answer"]["report"] == report
    # The same objects as the sample's interview made once, byte for byte.
    objects = {k.replace(iid, done.iid): v for k, v in state["objects"].items()}
    assert objects == state_of(done)["objects"]
