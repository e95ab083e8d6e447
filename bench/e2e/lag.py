"""Each worker's consumer lag over time, read from Kafka as an operator's
tools read it: the messages on its input topics past its group's committed
offsets (the services commit every 5 s, so a sample may lag by that much)."""
import threading
import time
import uuid

from confluent_kafka import Consumer, TopicPartition

# The group of each worker (common/kafka_worker.c: "isim-" + service) and what it reads.
INPUTS = {"converter": ["interview.uploaded"], "transcriber": ["interview.audio-extracted"],
          "video-metrics": ["interview.converted"], "text-metrics": ["interview.transcribed"],
          "result-writer": ["interview.status", "interview.converted", "interview.transcribed",
                            "interview.video-metrics", "interview.text-metrics"]}
PERIOD_S = 1.0


class LagWatch:
    """Samples every PERIOD_S in a thread until stop(); writes "t stage lag" lines to path."""

    def __init__(self, brokers, path):
        self.brokers = brokers
        self.out = open(path, "w", encoding="utf-8")
        self.out.write("t_s\tstage\tlag\n")
        self.area = {stage: 0.0 for stage in INPUTS}  # message-seconds
        self.peak = {stage: 0 for stage in INPUTS}
        self.stopping = threading.Event()
        self.consumers = {stage: Consumer({"bootstrap.servers": brokers, "group.id": f"isim-{stage}",
                                           "enable.auto.commit": False, "log_level": 0})
                          for stage in INPUTS}
        self.probe = Consumer({"bootstrap.servers": brokers, "group.id": f"isim-bench-{uuid.uuid4()}",
                               "enable.auto.commit": False, "log_level": 0})
        meta = self.probe.list_topics(timeout=30)
        self.parts = {stage: [TopicPartition(t, p) for t in topics for p in meta.topics[t].partitions]
                      for stage, topics in INPUTS.items()}
        self.t0 = time.time()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def lag(self, stage):
        """Messages of stage's inputs not yet committed by its group."""
        committed = self.consumers[stage].committed(self.parts[stage], timeout=10)
        total = 0
        for tp in committed:
            _, high = self.probe.get_watermark_offsets(TopicPartition(tp.topic, tp.partition), timeout=10)
            total += max(0, high - (tp.offset if tp.offset >= 0 else 0))
        return total

    def _run(self):
        while not self.stopping.wait(PERIOD_S):
            t = time.time() - self.t0
            for stage in INPUTS:
                n = self.lag(stage)
                self.area[stage] += n * PERIOD_S
                self.peak[stage] = max(self.peak[stage], n)
                self.out.write(f"{t:.1f}\t{stage}\t{n}\n")
            self.out.flush()

    def stop(self):
        self.stopping.set()
        self.thread.join()
        self.out.close()
        for c in [self.probe, *self.consumers.values()]:
            c.close()

    def bottleneck(self):
        """The stage whose input waited longest (largest lag area), and that area."""
        stage = max(self.area, key=self.area.get)
        return stage, self.area[stage]
