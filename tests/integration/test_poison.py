"""Poison on every topic of the real stack: a message that is not JSON, one
valid JSON but not matching its topic's schema, one of an unknown version,
and for the stages that read media, one naming an object that is not in
storage. Each is dead-lettered with its origin in headers (read back with
isim dlq list), its interview fails with a reason a candidate can read, and
the consumers go on: an interview sent after them completes."""
import json
import os

import pytest
from confluent_kafka import Producer

from conftest import dlq_listed, psql

BROKERS = os.environ.get("ISIM_KAFKA_BROKERS", "127.0.0.1:29092")
INTERNAL = "set aside for the operators"

TOPICS = ["interview.uploaded", "interview.audio-extracted", "interview.converted", "interview.transcribed",
          "interview.video-metrics", "interview.text-metrics", "interview.status"]
PROBE = {"duration_s": 3.0, "has_video": True, "has_audio": True}


def not_json(iid):
    return b'{"version":1,"interview_id":"' + iid.encode() + b'","cut off'


def not_the_schema(iid):
    return json.dumps({"version": 1, "interview_id": iid, "unexpected": True}).encode()


def unknown_version(iid):
    return json.dumps({"version": 9, "interview_id": iid}).encode()


KINDS = {"not JSON": (not_json, "not JSON"),
         "schema": (not_the_schema, "required but missing"),
         "version": (unknown_version, "unsupported message version 9")}

# Messages valid for their schema whose media object does not exist.
MISSING_OBJECT = {
    "interview.audio-extracted": lambda iid: {"version": 1, "interview_id": iid, "probe": PROBE,
                                              "audio_key": f"media/{iid}/audio.wav"},
    "interview.converted": lambda iid: {"version": 1, "interview_id": iid, "probe": PROBE,
                                        "audio_key": f"media/{iid}/audio.wav", "video_key": f"media/{iid}/video.mp4",
                                        "poster_key": f"media/{iid}/poster.jpg"},
}


@pytest.fixture(scope="module")
def poisoned(api):
    """One new interview per (topic, kind), its poison message sent."""
    producer = Producer({"bootstrap.servers": BROKERS, "enable.idempotence": True})
    sent = []
    for topic in TOPICS:
        cases = [(kind, make(api_iid := api.create()["id"]), want, api_iid) for kind, (make, want) in KINDS.items()]
        if topic in MISSING_OBJECT:
            iid = api.create()["id"]
            cases.append(("missing object", json.dumps(MISSING_OBJECT[topic](iid)).encode(),
                          "could not be found", iid))
        for kind, payload, want, iid in cases:
            producer.produce(topic, payload, key=iid)
            sent.append((topic, kind, want, iid))
    assert producer.flush(30) == 0
    return sent


def test_every_poison_message_is_dead_lettered_and_fails_its_interview(api, poisoned):
    problems = []
    for topic, kind, want, iid in poisoned:
        body = api.wait_done(iid, timeout=90)
        if body["status"] != "failed":
            problems.append(f"{topic} {kind}: {body['status']}")
        reason = body["failure_reason"] or ""
        if kind == "missing object":
            if "could not be found" not in reason:
                problems.append(f"{topic} {kind}: reason {reason!r}")
        elif INTERNAL not in reason:
            problems.append(f"{topic} {kind}: reason {reason!r}")
        letters = [d for d in dlq_listed(iid) if d["source_topic"] == topic]
        if not letters:
            problems.append(f"{topic} {kind}: no dead letter")
            continue
        d = letters[0]
        if want not in d["reason"] or d["attempts"] != 1 or d["source_partition"] is None or d["source_offset"] is None:
            problems.append(f"{topic} {kind}: dead letter {d}")
    assert not problems, "\n".join(problems)


def test_the_consumers_go_on_after_poison(api, poisoned, media_dir):
    assert poisoned
    iid = api.create()["id"]
    with open(os.path.join(media_dir, "sample.webm"), "rb") as f:
        assert api.call("PUT", f"/v1/interviews/{iid}/recording", raw=f.read(),
                        headers={"Content-Type": "video/webm"})[0] == 202
    assert api.wait_done(iid)["status"] == "complete"
    assert psql(f"SELECT count(*) FROM reports WHERE interview_id = '{iid}'") == "1"
