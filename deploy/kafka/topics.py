#!/usr/bin/env python3
"""Ensure Kafka topics exist and have a leader, speaking the wire protocol.

Used by deploy/stack.sh instead of one JVM per topic (kafka-topics.sh takes a
second or more per call): one short Python process, standard library only.

    topics.py HOST:PORT PARTITIONS TIMEOUT_S TOPIC...

Retries until the broker answers (connection refused, not yet unfenced,
controller not ready), creates the missing topics (CreateTopics v4; an
existing topic is fine), then waits until Metadata v4 shows every topic with
a leader on every partition. Exit 0 when done, 1 with a message on timeout.
"""
import socket
import struct
import sys
import time

CREATE_TOPICS, METADATA = 19, 3
TOPIC_ALREADY_EXISTS = 36
# Errors that mean "not ready yet, ask again".
RETRIABLE = {5, 6, 7, 8, 15, 41, 51, 89}  # leader/coordinator/controller not available, timeout, ...


class Reader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, fmt):
        (value,) = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += struct.calcsize(fmt)
        return value

    def string(self):
        n = self.take(">h")
        if n < 0:
            return None
        s = self.data[self.pos:self.pos + n].decode()
        self.pos += n
        return s


def kstring(s):
    b = s.encode()
    return struct.pack(">h", len(b)) + b


def call(addr, api_key, version, body, correlation=1):
    header = struct.pack(">hhi", api_key, version, correlation) + kstring("isim-stack")
    msg = header + body
    with socket.create_connection(addr, timeout=10) as s:
        s.sendall(struct.pack(">i", len(msg)) + msg)
        size = struct.unpack(">i", recv_exact(s, 4))[0]
        data = recv_exact(s, size)
    r = Reader(data)
    if r.take(">i") != correlation:
        raise RuntimeError("correlation id mismatch")
    return r


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("connection closed by broker")
        buf += chunk
    return buf


def create_topics(addr, names, partitions):
    """Returns {name: (error_code, message)}."""
    body = struct.pack(">i", len(names))
    for name in names:
        body += kstring(name) + struct.pack(">ihii", partitions, 1, 0, 0)
    body += struct.pack(">i?", 15000, False)
    r = call(addr, CREATE_TOPICS, 4, body)
    r.take(">i")  # throttle_time_ms
    out = {}
    for _ in range(r.take(">i")):
        name, code, message = r.string(), r.take(">h"), r.string()
        out[name] = (code, message)
    return out


def unready_topics(addr, names):
    """Names of topics that are missing or have a partition without leader."""
    body = struct.pack(">i", len(names)) + b"".join(kstring(n) for n in names)
    body += struct.pack(">?", False)  # allow_auto_topic_creation
    r = call(addr, METADATA, 4, body)
    r.take(">i")  # throttle_time_ms
    for _ in range(r.take(">i")):  # brokers
        r.take(">i"), r.string(), r.take(">i"), r.string()
    r.string()  # cluster_id
    r.take(">i")  # controller_id
    ready = set()
    for _ in range(r.take(">i")):
        code, name, _internal = r.take(">h"), r.string(), r.take(">?")
        ok = code == 0
        nparts = r.take(">i")
        for _ in range(nparts):
            pcode, _index, leader = r.take(">h"), r.take(">i"), r.take(">i")
            for _ in range(2):  # replica_nodes, isr_nodes
                for _ in range(r.take(">i")):
                    r.take(">i")
            ok = ok and pcode == 0 and leader >= 0
        if ok and nparts > 0:
            ready.add(name)
    return [n for n in names if n not in ready]


def main(argv):
    if len(argv) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    host, _, port = argv[1].rpartition(":")
    addr = (host, int(port))
    partitions, timeout, names = int(argv[2]), float(argv[3]), argv[4:]
    deadline = time.monotonic() + timeout
    last = "no answer"
    created = []
    while True:
        try:
            todo = unready_topics(addr, names)
            if not todo:
                if created:
                    print("created: " + " ".join(created))
                return 0
            results = create_topics(addr, todo, partitions)
            for name, (code, message) in results.items():
                if code == 0:
                    created.append(name)
                elif code == TOPIC_ALREADY_EXISTS:
                    pass
                elif code in RETRIABLE:
                    last = f"{name}: error {code} {message or ''}"
                else:
                    print(f"creating topic {name} failed: error {code} {message or ''}",
                          file=sys.stderr)
                    return 1
            last = "topics created, waiting for leaders"
        except (OSError, ConnectionError, RuntimeError, struct.error) as e:
            last = f"{type(e).__name__}: {e}"
        if time.monotonic() >= deadline:
            print(f"Kafka at {argv[1]} not ready after {timeout:.0f}s: {last}", file=sys.stderr)
            return 1
        time.sleep(0.3)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
