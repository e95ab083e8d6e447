"""isim dlq against the real stack: an interview.uploaded message whose
recording is not in storage (yet) makes the converter dead-letter it and the
interview fail, as a message sent before the upload finished would; once the
recording is in place, `isim dlq list` shows the dead letter and `isim dlq
replay` puts it back, the interview completes with its report, and a second
replay sends nothing. --dry-run changes nothing, --reason chooses by reason,
an erased interview is skipped, and a Kafka that cannot be reached is said."""
import os
import time
import uuid

from confluent_kafka import Consumer, TopicPartition

from conftest import DEAD_LETTER_MISSING, dead_lettered, dlq, dlq_listed as listed, free_port, psql, put_file

BROKERS = os.environ.get("ISIM_KAFKA_BROKERS", "127.0.0.1:29092")
MISSING = DEAD_LETTER_MISSING


def wait_for(what, fn, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = fn()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"{what}: not after {timeout} s")


def replays_on_uploaded(iid):
    """The messages of interview.uploaded keyed by iid that carry
    x-isim-replay-of: (its value, traceparent)."""
    consumer = Consumer({"bootstrap.servers": BROKERS, "group.id": f"dlq-test-{uuid.uuid4()}",
                         "enable.auto.commit": False, "enable.partition.eof": True})
    found = []
    try:
        meta = consumer.list_topics("interview.uploaded", timeout=10).topics["interview.uploaded"]
        parts, left = [], set()
        for p in meta.partitions:
            lo, hi = consumer.get_watermark_offsets(TopicPartition("interview.uploaded", p), timeout=10)
            if hi > lo:
                parts.append(TopicPartition("interview.uploaded", p, lo))
                left.add(p)
        consumer.assign(parts)
        deadline = time.time() + 30
        while left and time.time() < deadline:
            m = consumer.poll(1)
            if m is None:
                continue
            if m.error():
                left.discard(m.partition())
                continue
            headers = dict(m.headers() or [])
            if m.key() == iid.encode() and "x-isim-replay-of" in headers:
                found.append((headers["x-isim-replay-of"].decode(), headers.get("traceparent", b"").decode()))
        assert not left, f"interview.uploaded not read to its end: {left}"
    finally:
        consumer.close()
    return found


def test_a_repaired_interview_replays_to_complete_once(api, media_dir):
    created, sample, traceparent = dead_lettered(api, media_dir)
    iid = created["id"]
    [entry] = listed(iid)
    assert entry["stage"] == "converter" and entry["source_topic"] == "interview.uploaded", entry
    assert MISSING in entry["reason"] and entry["replayed"] is False and entry["replayed_at"] is None, entry
    assert entry["source_partition"] >= 0 and entry["source_offset"] >= 0 and entry["time"].endswith("Z"), entry
    ref = f"{entry['dlq_partition']}:{entry['dlq_offset']}"
    text = dlq("list", "--interview", iid)
    assert text.returncode == 0, text.stderr
    [header, line] = text.stdout.splitlines()
    assert header.split()[:3] == ["DLQ", "TIME", "INTERVIEW"], header
    assert line.split()[:5] == [ref, entry["time"], iid, "converter",
                                f"interview.uploaded:{entry['source_partition']}:{entry['source_offset']}"], line
    assert MISSING in line and " no " in line, line

    assert put_file(created["upload"]["url"], sample) == 200  # the repair
    out = dlq("replay", "--interview", iid)
    assert out.returncode == 0, out.stderr
    assert f"replayed {ref} interview {iid} to interview.uploaded" in out.stdout, out.stdout
    assert "was failed, now processing" in out.stdout, out.stdout
    assert "1 message(s) replayed, 0 skipped, 0 replayed before" in out.stdout, out.stdout
    done = api.wait_done(iid, timeout=240)
    assert done["status"] == "complete", done
    assert done["failure_reason"] is None and done["report"]["transcript"]["text"], done
    [entry] = listed(iid)
    assert entry["replayed"] is True and entry["replayed_at"].endswith("Z"), entry
    assert replays_on_uploaded(iid) == [(ref, traceparent)], "the original's trace is carried on"

    again = dlq("replay", "--interview", iid)
    assert again.returncode == 0, again.stderr
    assert "0 message(s) replayed, 0 skipped, 1 replayed before" in again.stdout, again.stdout
    assert replays_on_uploaded(iid) == [(ref, traceparent)], "nothing sent a second time"
    assert api.call("GET", f"/v1/interviews/{iid}")[1]["status"] == "complete"


def test_dry_run_changes_nothing_and_reason_chooses(api, media_dir):
    kept, sample, _ = dead_lettered(api, media_dir)
    erased, _, _ = dead_lettered(api, media_dir)
    refs = {}
    for created in (kept, erased):
        [entry] = listed(created["id"])
        refs[created["id"]] = f"{entry['dlq_partition']}:{entry['dlq_offset']}"

    dry = dlq("replay", "--reason", MISSING.upper(), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    for iid, ref in refs.items():
        assert f"would replay {ref} interview {iid} to interview.uploaded" in dry.stdout, dry.stdout
    assert "would be set to processing" in dry.stdout and "message(s) would be replayed" in dry.stdout, dry.stdout
    for iid in refs:
        assert psql("SELECT status FROM interviews WHERE id = :'p0'", iid) == "failed"
        assert [e["replayed"] for e in listed(iid)] == [False]
    assert replays_on_uploaded(kept["id"]) == []
    none = dlq("replay", "--reason", "no dead letter has this reason", "--dry-run")
    assert none.returncode == 0 and "0 message(s) would be replayed, 0 skipped" in none.stdout, none

    assert api.call("DELETE", f"/v1/interviews/{erased['id']}")[0] == 204
    assert put_file(kept["upload"]["url"], sample) == 200
    out = dlq("replay", "--reason", MISSING)
    assert out.returncode == 0, out.stderr
    assert f"replayed {refs[kept['id']]} interview {kept['id']}" in out.stdout, out.stdout
    assert (f"skipped {refs[erased['id']]} interview {erased['id']}: the interview no longer exists"
            in out.stdout), out.stdout
    for line in out.stdout.splitlines():  # whatever else it chose matched the reason
        if line.startswith("replayed "):
            assert MISSING in line, line
    assert api.wait_done(kept["id"], timeout=240)["status"] == "complete"
    assert [e["replayed"] for e in listed(erased["id"])] == [False], "a skipped message is not recorded as replayed"


def test_bad_arguments_and_unreachable_kafka_are_said():
    for args, said in [(("replay",), "choose what to replay"),
                       (("replay", "--all", "--reason", "x"), "give it alone"),
                       (("list", "--interview", "not-an-id"), "not an interview id"),
                       (("list", "--all"), "unknown option"),
                       (("purge",), "unknown command")]:
        out = dlq(*args)
        assert out.returncode == 2 and said in out.stderr, (args, out)
    port = free_port()
    out = dlq("list", ISIM_KAFKA_BROKERS=f"127.0.0.1:{port}")
    assert out.returncode == 1 and f"cannot reach Kafka at 127.0.0.1:{port}" in out.stderr, out
    out = dlq("replay", "--all", "--dry-run", ISIM_KAFKA_BROKERS=f"127.0.0.1:{port}")
    assert out.returncode == 1 and "cannot reach Kafka" in out.stderr, out
