"""What the fault-injection suite watches while a batch is in flight, and what
it reads afterwards, each through the component's own interface: every
message on the pipeline's Kafka topics (a consumer of its own), the webhooks
the gateway sends (a receiver on 127.0.0.1), the rows in PostgreSQL (psql) and
the objects in the S3 server (the integration suite's s3_list)."""
import http.server
import json
import threading
import time
import uuid

from confluent_kafka import Consumer, KafkaException, TopicPartition

from conftest import psql

TOPICS = ["interview.uploaded", "interview.audio-extracted", "interview.converted", "interview.transcribed",
          "interview.video-metrics", "interview.text-metrics", "interview.status", "interview.dlq"]


def _quiet(_err):
    """librdkafka's complaints while the broker restarts: expected, not news."""


class KafkaWatch:
    """Every message on the pipeline's topics from the moment it starts: a
    consumer assigned to all partitions at their end offsets, committing
    nothing, so the services' consumer groups are not touched."""

    def __init__(self, brokers):
        self.brokers = brokers
        self.lock = threading.Lock()
        self.messages = []  # (broker timestamp s, topic, partition, interview id, body)
        self.stopping = False
        self.consumer = Consumer({"bootstrap.servers": brokers, "group.id": f"isim-faults-{uuid.uuid4()}",
                                  "enable.auto.commit": False, "auto.offset.reset": "earliest",
                                  "error_cb": _quiet, "log_level": 0})
        parts = []
        meta = self.consumer.list_topics(timeout=30)
        for t in TOPICS:
            for p in meta.topics[t].partitions:
                _, high = self.consumer.get_watermark_offsets(TopicPartition(t, p), timeout=30)
                parts.append(TopicPartition(t, p, high))
        self.consumer.assign(parts)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stopping:
            try:
                m = self.consumer.poll(0.2)
            except KafkaException:
                continue
            if m is None or m.error():
                continue
            try:
                body = json.loads(m.value() or b"null")
            except ValueError:
                body = None
            key = (m.key() or b"").decode(errors="replace")
            iid = body.get("interview_id") if isinstance(body, dict) else None
            with self.lock:
                self.messages.append((m.timestamp()[1] / 1000.0, m.topic(), m.partition(), iid or key, body))

    def stop(self):
        self.stopping = True
        self.thread.join(timeout=10)
        self.consumer.close()

    def snapshot(self, ids=None):
        with self.lock:
            msgs = list(self.messages)
        return [m for m in msgs if ids is None or m[3] in ids]

    def stage_state(self, stage, ids):
        """{interview id: last state of stage} from the status topic."""
        out = {}
        for _, topic, _, iid, body in self.snapshot(ids):
            if topic == "interview.status" and isinstance(body, dict) and body.get("stage") == stage:
                out[iid] = body.get("state")
        return out

    def counts(self, ids):
        """{topic: messages about these interviews}, status messages counted per stage and state."""
        out = {}
        for _, topic, _, _, body in self.snapshot(ids):
            k = topic
            if topic == "interview.status" and isinstance(body, dict):
                k = f"status {body.get('stage')} {body.get('state')}"
            out[k] = out.get(k, 0) + 1
        return out

    def stage_durations(self, ids):
        """{stage: 90th percentile of started -> finished, seconds} by broker timestamps."""
        started, took = {}, {}
        for ts, topic, _, iid, body in self.snapshot(ids):
            if topic != "interview.status" or not isinstance(body, dict):
                continue
            k = (body.get("stage"), iid)
            if body.get("state") == "started":
                started[k] = ts
            elif k in started:
                took.setdefault(k[0], []).append(ts - started.pop(k))
        return {stage: sorted(v)[int(0.9 * (len(v) - 1))] for stage, v in took.items()}


def group_lag(brokers, group, topics):
    """Messages of these topics the consumer group has not committed yet (None: unknown)."""
    c = Consumer({"bootstrap.servers": brokers, "group.id": group, "enable.auto.commit": False,
                  "error_cb": _quiet, "log_level": 0})
    try:
        meta = c.list_topics(timeout=10)
        parts = [TopicPartition(t, p) for t in topics for p in meta.topics[t].partitions]
        lag = 0
        for tp in c.committed(parts, timeout=10):
            _, high = c.get_watermark_offsets(tp, timeout=10)
            lag += high - (tp.offset if tp.offset >= 0 else 0)
        return lag
    except KafkaException:
        return None
    finally:
        c.close()


class WebhookReceiver:
    """A receiver for the gateway's webhooks on 127.0.0.1 (a free port)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.deliveries = []  # (time, interview id, event header, delivery id, body)
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    doc = json.loads(body)
                except ValueError:
                    doc = {}
                with outer.lock:
                    outer.deliveries.append((time.time(), doc.get("interview_id"), self.headers.get("X-Isim-Event"),
                                             self.headers.get("X-Isim-Delivery"), doc))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def of(self, ids):
        with self.lock:
            return [d for d in self.deliveries if d[1] in ids]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def sql_json(sql):
    """One JSON value from PostgreSQL (the query must return a single json column)."""
    return json.loads(psql(sql) or "null")


def id_list(ids):
    for i in ids:
        uuid.UUID(i)  # only ids go into SQL
    return ",".join(f"'{i}'" for i in ids)


def progress(ids):
    """{id: (status, completed_at epoch or None)}; raises while PostgreSQL is down."""
    rows = sql_json(f"SELECT json_agg(json_build_array(id, status, extract(epoch FROM completed_at))) "
                    f"FROM interviews WHERE id IN ({id_list(ids)})") or []
    return {r[0]: (r[1], r[2]) for r in rows}


def records(ids):
    """Everything PostgreSQL holds about each interview, rows counted per table."""
    rows = sql_json(f"""
        SELECT json_object_agg(i.id, json_build_object(
          'status', i.status, 'failure_reason', i.failure_reason,
          'completed_at', extract(epoch FROM i.completed_at),
          'keys', json_build_array(i.raw_key, i.video_key, i.audio_key, i.poster_key), 'probe', i.probe,
          'n_reports', (SELECT count(*) FROM reports r WHERE r.interview_id = i.id),
          'n_transcripts', (SELECT count(*) FROM transcripts t WHERE t.interview_id = i.id),
          'n_metrics', (SELECT count(*) FROM metrics m WHERE m.interview_id = i.id),
          'n_stage_events', (SELECT count(*) FROM stage_events s WHERE s.interview_id = i.id),
          'stages', (SELECT json_object_agg(s.stage, s.state) FROM stage_events s WHERE s.interview_id = i.id),
          'report', (SELECT r.report FROM reports r WHERE r.interview_id = i.id),
          'transcript', (SELECT json_build_object('engine', t.engine, 'model', t.model, 'note', t.note,
                                                  'text', t.text, 'words', t.words)
                         FROM transcripts t WHERE t.interview_id = i.id),
          'metrics', (SELECT json_object_agg(m.kind, m.data) FROM metrics m WHERE m.interview_id = i.id)))
        FROM interviews i WHERE i.id IN ({id_list(ids)})""")
    return rows or {}
