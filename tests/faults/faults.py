"""Fault injection against the real local stack (tests/faults/run.sh starts it).

The pipeline promises at-least-once processing with idempotent effects. For
each scenario a batch of interviews is created and uploaded through the
gateway's API with real speech (tests/media/make_sample.sh), ONE fault is
injected while the batch is in flight, and the system is left to recover.
Then every interview of the batch must be `complete` exactly once, with the
same results as a baseline batch of the same media processed without faults
(report, transcript, metrics and media objects, compared whole), no
duplicate rows in PostgreSQL (reports, transcripts, metrics, stage_events),
no object in S3 beyond the baseline's, nothing dead-lettered, one `complete`
webhook per interview, and the last interview done within a bound after the
fault ended. A table per scenario is printed and kept in OUT_DIR.

    faults.py --scenarios short|full|NAME[,NAME...] --batch 20 --out DIR
"""
import argparse
import errno
import glob
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
from conftest import Api, put_file, s3_list  # noqa: E402  (the integration suite's helpers)

import observe  # noqa: E402

STATE = os.environ["ISIM_STATE_DIR"]
OFF = int(os.environ.get("ISIM_PORT_OFFSET", "0"))
WORKERS = ["converter", "transcriber", "video-metrics", "text-metrics", "result-writer"]
PORTS = {"converter": 9101, "transcriber": 9102, "video-metrics": 9103, "text-metrics": 9104, "result-writer": 9105}
INPUTS = {"converter": ["interview.uploaded"], "transcriber": ["interview.audio-extracted"],
          "video-metrics": ["interview.converted"], "text-metrics": ["interview.transcribed"],
          "result-writer": ["interview.status", "interview.converted", "interview.transcribed",
                            "interview.video-metrics", "interview.text-metrics"]}
# librdkafka's session.timeout.ms (the services leave it at its default): a
# consumer silent this long is dropped from its group and its partitions go
# to the other members.
SESSION_TIMEOUT_S = 45
# Media variants of the batch: real read speech (LibriVox clips from Debian's
# pocketsphinx-testdata) over a test pattern, as a browser's WebM. Several,
# so that one interview's results landing on another would show.
VARIANTS = {"faults-a": ["0880"], "faults-b": ["0930"], "faults-c": ["0890"], "faults-d": ["0920"]}

SHORT = ["kill9-transcriber", "restart-kafka", "s3-outage"]
FULL = ["kill9-converter", "kill9-transcriber", "kill9-video-metrics", "kill9-text-metrics",
        "kill9-result-writer", "restart-kafka", "restart-postgres", "restart-redis", "s3-outage",
        "sigstop-converter", "sigstop-transcriber", "sigstop-video-metrics", "sigstop-text-metrics",
        "sigstop-result-writer", "disk-full"]


def log(msg):
    print(f"[faults {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def stack(*args, env=None):
    """deploy/stack.sh COMMAND..., failing loudly."""
    e = dict(os.environ, **(env or {}))
    r = subprocess.run(["bash", os.path.join(ROOT, "deploy", "stack.sh"), *args], env=e, capture_output=True,
                       text=True, timeout=600)
    if r.returncode != 0:
        raise RuntimeError(f"stack.sh {' '.join(args)} failed:\n{r.stdout}\n{r.stderr}")
    return r.stdout


def pid_of(inst):
    with open(os.path.join(STATE, "run", f"isim-{inst}.pid")) as f:
        return int(f.read().split()[0])


def gone(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def port_of(inst):
    name, _, k = inst.rpartition("-")
    if name in PORTS and k.isdigit():
        return PORTS[name] + OFF + 10 * (int(k) - 1)
    return PORTS[inst] + OFF


def ready(inst):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port_of(inst)}/readyz", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def work_leftovers():
    """{folder: KiB} of the workers' temporary folders (util_tempdir_new's
    isim-XXXXXX) in the stack's work dir, once no job runs: each a job that
    never cleaned up after itself."""
    base = os.environ.get("ISIM_WORK_DIR", os.path.join(STATE, "work"))
    out = {}
    for d in glob.glob(os.path.join(base, "isim-*")):
        size = 0
        for root, _, files in os.walk(d):
            size += sum(os.path.getsize(os.path.join(root, f)) for f in files)
        out[os.path.basename(d)] = size // 1024
    return out


class ApiProbe:
    """Reads one interview through the gateway twice a second while a
    scenario runs: what a candidate watching the progress page sees."""

    def __init__(self, api, iid):
        self.api, self.iid = api, iid
        self.answers = []  # (time, HTTP status or 0)
        self.stopping = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stopping:
            t = time.time()
            try:
                status = self.api.call("GET", f"/v1/interviews/{self.iid}")[0]
            except OSError:
                status = 0
            self.answers.append((t, status))
            time.sleep(max(0.0, 0.5 - (time.time() - t)))

    def stop(self):
        self.stopping = True
        self.thread.join(timeout=40)

    def during(self, t0, t1):
        got = [s for t, s in self.answers if t0 <= t <= t1]
        return sum(1 for s in got if s == 200), len(got), sorted({s for s in got if s != 200})


class Batch:
    def __init__(self, ids, variant):
        self.ids = ids
        self.variant = variant  # id -> variant name
        self.idset = set(ids)


class Suite:
    def __init__(self, args):
        self.args = args
        self.brokers = os.environ["ISIM_KAFKA_BROKERS"]
        admin = Api(os.environ["ISIM_GATEWAY_URL"], os.environ["ISIM_BOOTSTRAP_ADMIN_KEY"])
        self.user = admin.new_user("fault injection", rate_limit_per_min=0)
        self.hooks = observe.WebhookReceiver()
        status, body = self.user.call("POST", "/v1/webhooks", {"url": self.hooks.url})
        assert status == 201, body
        self.media = {}
        for name in VARIANTS:
            with open(os.path.join(args.media, f"{name}.webm"), "rb") as f:
                self.media[name] = f.read()
        self.base = None  # per variant: what an undisturbed run gives
        self.rows = []
        self.replicas = False
        self.work_mount = None

    # -- the batch -------------------------------------------------------------

    def submit(self, n):
        names = sorted(self.media)
        made = []
        for i in range(n):
            v = names[i % len(names)]
            c = self.user.create(upload=self.media[v])
            assert put_file(c["upload"]["url"], self.media[v]) == 200
            made.append((c["id"], v))
        # Every upload stored first, then all announced at once: the whole
        # batch is queued before any fault.
        for iid, _ in made:
            status, body = self.user.call("POST", f"/v1/interviews/{iid}/uploaded")
            assert status == 202, body
        return Batch([i for i, _ in made], dict(made))

    def wait_done(self, batch, deadline):
        """{id: (status, completed_at as first seen)} once every interview
        ended or at the deadline: a completed_at that changes later would be
        a second completion."""
        prog = {}
        while time.time() < deadline:
            try:
                now = observe.progress(batch.ids)
            except Exception:  # PostgreSQL restarting
                time.sleep(0.5)
                continue
            for iid, (status, at) in now.items():
                if iid not in prog or prog[iid][1] is None:
                    prog[iid] = (status, at)
            if sum(1 for s, _ in prog.values() if s in ("complete", "failed")) == len(batch.ids):
                break
            time.sleep(0.5)
        return prog

    def wait_until(self, what, cond, timeout=300, step=0.05):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if cond():
                return True
            time.sleep(step)
        raise AssertionError(f"timed out waiting for {what}")

    def wait_idle(self, timeout=300):
        """Every worker ready and every consumer group caught up (nothing in flight)."""
        insts = WORKERS + ([f"{w}-2" for w in WORKERS] if self.replicas else [])
        deadline = time.time() + timeout
        while True:
            dead = [i for i in insts if gone(pid_of(i))]
            unready = [i for i in insts if i not in dead and not ready(i)]
            lagging = {w: lag for w in WORKERS
                       if (lag := observe.group_lag(self.brokers, f"isim-{w}", INPUTS[w])) != 0}
            if not dead and not unready and not lagging:
                return
            if dead or time.time() >= deadline:
                raise AssertionError(f"the stack is not idle: exited {dead}, not ready {unready}, "
                                     f"messages not committed {lagging}")
            time.sleep(1)

    # -- catching a worker in the middle of a job ------------------------------

    def stage_begun(self, watch, stage, batch):
        return any(st for st in watch.stage_state(stage, batch.idset).values())

    def catch_mid_job(self, watch, worker, batch, confirm_s, tries=80):
        """SIGSTOPs the worker's first process at a moment it holds a message of
        the batch it has not finished: for a stage, one it announced
        `started` (before the stop) and not `finished`; result-writer, which
        announces nothing, while its group has messages it has not committed.
        Some stages take milliseconds a message, so first the worker is held
        (at most 15 s, well inside its session timeout) until a few messages
        wait for it; then it runs in slices of 5 to 50 ms, each followed by a
        stop and a look, until one lands inside a job. Returns (pid,
        evidence); the process is left stopped."""
        pid = pid_of(worker)
        group = f"isim-{worker}"
        self.wait_until(f"work for {worker}", lambda: (observe.group_lag(self.brokers, group, INPUTS[worker]) or 0) > 0,
                        step=0.2)
        t_hold = time.time()
        os.kill(pid, signal.SIGSTOP)
        try:
            want = min(6, len(batch.ids))
            while time.time() < t_hold + 15 and (observe.group_lag(self.brokers, group, INPUTS[worker]) or 0) < want:
                time.sleep(0.2)
            queued = observe.group_lag(self.brokers, group, INPUTS[worker])
            for _ in range(tries):
                os.kill(pid, signal.SIGCONT)
                time.sleep(random.uniform(0.005, 0.05))
                t_stop = time.time()
                os.kill(pid, signal.SIGSTOP)
                time.sleep(confirm_s)
                how = f"after holding it {t_stop - t_hold:.1f} s for {queued} messages to queue"
                if worker == "result-writer":
                    lag = observe.group_lag(self.brokers, group, INPUTS[worker])
                    if lag:
                        return pid, f"{lag} messages not committed, {how}"
                    continue
                held = [iid for iid, (st, ts) in self.last_states(watch, worker, batch).items()
                        if st == "started" and ts <= t_stop]
                if held:
                    return pid, f"held {held[0][:8]}: started, not finished, {how}"
                states = watch.stage_state(worker, batch.idset)
                if len(states) == len(batch.ids) and all(st != "started" for st in states.values()):
                    raise AssertionError(f"{worker} finished the whole batch before it could be caught mid-job")
            raise AssertionError(f"{worker} never caught in the middle of a job")
        except BaseException:
            os.kill(pid, signal.SIGCONT)
            raise

    @staticmethod
    def last_states(watch, stage, batch):
        out = {}
        for ts, topic, _, iid, body in watch.snapshot(batch.idset):
            if topic == "interview.status" and isinstance(body, dict) and body.get("stage") == stage:
                out[iid] = (body.get("state"), ts)
        return out

    def when_in_flight(self, watch, batch):
        """Waits until the batch is well under way: three transcripts done."""
        self.wait_until("the batch to be under way", lambda: sum(
            1 for st in watch.stage_state("transcriber", batch.idset).values() if st == "finished") >= 3)

    # -- the faults ------------------------------------------------------------
    # Each takes (watch, batch, notes) and returns (fault start, fault end).

    def kill9(self, worker):
        def inject(watch, batch, notes):
            pid, held = self.catch_mid_job(watch, worker, batch, confirm_s=0.4)
            t0 = time.time()
            os.kill(pid, signal.SIGKILL)
            self.wait_until(f"{worker} to die", lambda: gone(pid), timeout=30)
            # Restarted at once, as a supervisor would: the fault ends when
            # the new process starts; its wait to rejoin the group counts
            # as recovery.
            t1 = time.time()
            stack("start", worker)
            notes.append(f"SIGKILL mid-job ({held}); restarted, ready (partitions assigned) "
                         f"{time.time() - t1:.1f} s later")
            return t0, t1
        return inject

    def restart(self, part):
        def inject(watch, batch, notes):
            self.when_in_flight(watch, batch)
            t0 = time.time()
            stack("restart", part)
            t1 = time.time()
            notes.append(f"{part} restarted in {t1 - t0:.1f} s")
            return t0, t1
        return inject

    def s3_outage(self, watch, batch, notes):
        self.when_in_flight(watch, batch)
        t0 = time.time()
        stack("stop", "s3proxy", "--kill")
        time.sleep(30)
        stack("start", "s3proxy")
        t1 = time.time()
        notes.append(f"S3 unreachable {t1 - t0:.1f} s (SIGKILL, restart)")
        return t0, t1

    def sigstop(self, worker):
        def inject(watch, batch, notes):
            # Long enough for the other replica to finish a job it holds, so
            # that a job still `started` then is the stopped one's (3 times
            # the 90th percentile of the stage's jobs in the baseline).
            typical = self.base["durations"].get(worker, 1.0) if worker != "result-writer" else 0.2
            pid, held = self.catch_mid_job(watch, worker, batch, confirm_s=min(10.0, max(1.0, 3 * typical)))
            t0 = time.time()
            try:
                time.sleep(SESSION_TIMEOUT_S + 15 - (time.time() - t0))
            finally:
                os.kill(pid, signal.SIGCONT)
            t1 = time.time()
            notes.append(f"SIGSTOP {t1 - t0:.0f} s mid-job ({held}), replica 2 running")
            return t0, t1
        return inject

    def disk_full(self, watch, batch, notes):
        mnt = self.work_mount
        self.wait_until("the converter to start on the batch", lambda: self.stage_begun(watch, "converter", batch))
        t0 = time.time()
        fill = os.path.join(mnt, "fill")
        fd = os.open(fill, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            size = 0
            for chunk in (1 << 20, 4096):
                while True:
                    try:
                        os.posix_fallocate(fd, size, chunk)
                        size += chunk
                    except OSError as e:
                        if e.errno != errno.ENOSPC:
                            raise
                        break
            st = os.statvfs(mnt)
            notes.append(f"work dir tmpfs filled ({st.f_bavail * st.f_frsize} bytes left)")
            log_path = os.path.join(STATE, "logs", "isim-converter.log")
            start = os.path.getsize(log_path)
            time.sleep(20)
            with open(log_path, errors="replace") as f:
                f.seek(start)
                hits = sum(1 for line in f if "No space left on device" in line)
            notes.append(f"{hits} converter log lines with ENOSPC while full")
        finally:
            os.close(fd)
            os.unlink(fill)
        return t0, time.time()

    # -- scenarios -------------------------------------------------------------

    def setup_replicas(self):
        if not self.replicas:
            stack("replicas-up", "2")
            self.replicas = True

    def teardown_replicas(self):
        if self.replicas:
            stack("replicas-down")
            self.replicas = False

    def setup_small_work_dir(self):
        mnt = os.path.join(STATE, "converter-work")
        os.makedirs(mnt, exist_ok=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m,mode=0755", "isim-faults", mnt], check=True)
        self.work_mount = mnt
        stack("stop", "converter")
        stack("start", "converter", env={"ISIM_WORK_DIR": mnt})

    def teardown_small_work_dir(self):
        if self.work_mount:
            stack("stop", "converter")
            subprocess.run(["umount", self.work_mount], check=False)
            self.work_mount = None
            stack("start", "converter")

    def scenario(self, name):
        if name.startswith("kill9-"):
            return self.kill9(name[6:]), None, None
        if name.startswith("restart-"):
            return self.restart(name[8:]), None, None
        if name == "s3-outage":
            return self.s3_outage, None, None
        if name.startswith("sigstop-"):
            return self.sigstop(name[8:]), self.setup_replicas, None
        if name == "disk-full":
            return self.disk_full, self.setup_small_work_dir, self.teardown_small_work_dir
        raise SystemExit(f"unknown scenario {name}")

    def run(self, name, inject=None):
        n = self.args.batch
        notes = []
        if name != "sigstop" and not name.startswith("sigstop-"):
            self.teardown_replicas()
        self.wait_idle()
        watch = observe.KafkaWatch(self.brokers)
        left_before = set(work_leftovers())
        try:
            log(f"{name}: submitting {n} interviews")
            batch = self.submit(n)
            t0 = t1 = time.time()
            probe = ApiProbe(self.user, batch.ids[0])
            try:
                if inject:
                    t0, t1 = inject(watch, batch, notes)
                    log(f"{name}: fault from {t0:.1f} to {t1:.1f} ({t1 - t0:.1f} s); waiting for the batch")
                prog = self.wait_done(batch, t1 + self.args.bound + 60)
            finally:
                probe.stop()
            if inject:
                ok, n, other = probe.during(t0, time.time())
                notes.append(f"gateway reads of an interview from the fault's start until the batch was done: "
                             f"{ok}/{n} answered 200" + (f" (others: {other}; 0: no answer)" if other else ""))
            # Late effects (a resumed worker finishing what it held, webhooks).
            unsettled = self.wait_until_quiet(batch, prog, t1)
            if unsettled:
                notes.append(f"afterwards {unsettled}")
            left = {d: kib for d, kib in work_leftovers().items() if d not in left_before}
            if left:
                notes.append(f"left in the work dir: {len(left)} temporary folders, {sum(left.values())} KiB "
                             f"(not cleaned up by any worker: {', '.join(sorted(left))})")
            row = self.judge(name, batch, prog, watch, t0, t1, notes, baseline=inject is None)
            if unsettled:
                row["ok"] = False
        finally:
            watch.stop()
        self.rows.append(row)
        print(format_table([row]), flush=True)
        return row

    def wait_until_quiet(self, batch, prog, t1):
        done = [i for i, (s, _) in prog.items() if s == "complete"]
        deadline = time.time() + 60
        while time.time() < deadline:
            hooked = {d[1] for d in self.hooks.of(batch.idset)}
            if all(i in hooked for i in done):
                break
            time.sleep(0.5)
        time.sleep(max(0.0, t1 + 10 - time.time()))
        try:
            self.wait_idle(timeout=120)
        except AssertionError as e:
            return str(e)
        return None

    # -- judging ---------------------------------------------------------------

    @staticmethod
    def objects_by_interview(ids):
        objs = {}
        for prefix in ("raw/", "media/"):
            for key, (size, etag) in s3_list(prefix).items():
                parts = key.split("/")
                if len(parts) >= 3 and parts[1] in ids:
                    objs.setdefault(parts[1], {})[f"{parts[0]}/{'/'.join(parts[2:])}"] = (etag, size)
        return objs

    @staticmethod
    def signature(rec, objs):
        """What must equal the baseline's for the same media. Objects by
        content (ETag), except the remuxed video: FFmpeg's Matroska muxer
        writes a random segment UID, so two remuxes of one upload differ in
        those bytes only; its size must still match."""
        objects = {k: (None if k.startswith("media/video.") else etag, size) for k, (etag, size) in objs.items()}
        return {"report": rec["report"], "transcript": rec["transcript"], "metrics": rec["metrics"],
                "probe": rec["probe"], "stages": rec["stages"], "objects": objects}

    def judge(self, name, batch, prog, watch, t0, t1, notes, baseline):
        recs = observe.records(batch.ids)
        objs = self.objects_by_interview(batch.idset)
        hooks = self.hooks.of(batch.idset)
        counts = watch.counts(batch.idset)
        problems = {}

        def bad(iid, what):
            problems.setdefault(iid, []).append(what)

        lost, dup, differs = set(), set(), set()
        sigs = {}
        for iid in batch.ids:
            r = recs.get(iid)
            if not r or r["status"] != "complete":
                lost.add(iid)
                bad(iid, f"status {r and r['status']}: {r and r['failure_reason']}")
                continue
            first = prog.get(iid, (None, None))[1]
            if first is not None and abs(r["completed_at"] - first) > 1e-3:
                dup.add(iid)
                bad(iid, "completed_at changed after completion (completed twice)")
            for table, want in (("n_reports", 1), ("n_transcripts", 1), ("n_metrics", 2)):
                if r[table] != want:
                    dup.add(iid)
                    bad(iid, f"{r[table]} rows counted in {table[2:]}")
            mine = [d for d in hooks if d[1] == iid]
            if [d for d in mine if d[2] != "interview.complete"]:
                dup.add(iid)
                bad(iid, f"webhook events {[d[2] for d in mine]}")
            if len({d[3] for d in mine}) > 1:
                dup.add(iid)
                bad(iid, f"{len({d[3] for d in mine})} different complete deliveries")
            sigs[iid] = self.signature(r, objs.get(iid, {}))
        hooked = {d[1] for d in hooks if d[2] == "interview.complete"}
        missing_hooks = [i for i in batch.ids if i not in lost and i not in hooked]
        for iid in missing_hooks:
            bad(iid, "no complete webhook")
        dlq = counts.get("interview.dlq", 0)

        if baseline:
            base = {}
            for iid, sig in sigs.items():
                v = batch.variant[iid]
                if v not in base:
                    base[v] = sig
                elif sig != base[v]:
                    differs.add(iid)
                    bad(iid, "baseline not deterministic: differs from the first of its media: "
                             + ", ".join(k for k in sig if sig[k] != base[v][k]))
            per = {k: v / len(batch.ids) for k, v in counts.items()}
            rows = {iid: recs[iid]["n_stage_events"] for iid in sigs}
            self.base = {"sig": base, "per_interview": per, "durations": watch.stage_durations(batch.idset),
                         "stage_events": max(rows.values()) if rows else 0}
            notes.append("job time per stage, 90th percentile: " + ", ".join(
                f"{k} {v:.1f} s" for k, v in sorted(self.base["durations"].items())))
        else:
            for iid, sig in sigs.items():
                want = self.base["sig"][batch.variant[iid]]
                if recs[iid]["n_stage_events"] != self.base["stage_events"]:
                    dup.add(iid)
                    bad(iid, f"{recs[iid]['n_stage_events']} stage_events rows (baseline "
                             f"{self.base['stage_events']})")
                extra = set(sig["objects"]) - set(want["objects"])
                if extra:
                    dup.add(iid)
                    bad(iid, f"S3 objects beyond the baseline's: {sorted(extra)}")
                diff = [k for k in sig if sig[k] != want[k]]
                if diff:
                    differs.add(iid)
                    bad(iid, "differs from the baseline in " + ", ".join(diff))
        expected = sum(self.base["per_interview"].values()) * len(batch.ids) if self.base else 0
        extra_msgs = max(0, round(sum(counts.values()) - expected)) if not baseline else 0
        if extra_msgs:
            notes.append(f"{extra_msgs} messages more than the baseline's on the topics (work redone "
                         f"upstream): " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        redone = processed_again(batch.idset, watch)
        done_at = [r["completed_at"] for r in recs.values() if r["status"] == "complete" and r["completed_at"]]
        last = max(done_at) if done_at else None
        recover = None if baseline or last is None or lost else last - t1
        ok = not lost and not dup and not differs and dlq == 0 and not missing_hooks and \
            (recover is None or recover <= self.args.bound)
        return {"scenario": name, "batch": len(batch.ids), "lost": len(lost), "duplicated": len(dup),
                "differs": len(differs), "redone": redone, "dlq": dlq,
                "webhooks": f"{len(batch.ids) - len(lost) - len(missing_hooks)}/{len(batch.ids)}",
                "fault_s": round(t1 - t0, 1), "recover_s": None if recover is None else round(recover, 1),
                "span_s": None if last is None else round(last - t0, 1), "bound_s": self.args.bound,
                "ok": ok, "notes": notes, "problems": problems, "messages": counts}


LEGEND = """  lost: not complete within the bound; dup: interviews with a duplicate effect (a second row in
  reports, transcripts or metrics, more stage_events rows or S3 objects than the baseline's, a second
  completion, a webhook for another event); differs: report, transcript, metrics, probe, stage
  states or objects unlike the baseline's for the same media; redone: messages a worker processed to
  the end twice (at-least-once at work, harmless when the rest is 0); dlq: messages dead-lettered;
  webhooks: interviews with their `complete` webhook; fault s: from the fault's start to its end (the
  part running again: restarted process, broker, server, SIGCONT, disk freed); recover s: from the
  fault's end to the last interview complete (negative: all done before the fault ended, another
  replica having taken over)."""


def processed_again(ids, watch):
    """Messages of the batch a worker processed to the end more than once
    (redelivered after the work was done but before its offset was
    committed): the workers' "processed <topic>" log lines, every replica's
    log, less the messages on their input topics."""
    done = {}
    for path in glob.glob(os.path.join(STATE, "logs", "isim-*.log")):
        worker = os.path.basename(path)[5:-4].rstrip("0123456789").rstrip("-")
        if worker not in INPUTS:
            continue
        with open(path, errors="replace") as f:
            for line in f:
                if '"msg":"processed ' not in line:
                    continue
                try:
                    j = json.loads(line)
                except ValueError:
                    continue
                if j.get("interview_id") in ids:
                    done[worker] = done.get(worker, 0) + 1
    inputs = {}
    for _, topic, _, _, _ in watch.snapshot(ids):
        inputs[topic] = inputs.get(topic, 0) + 1
    return sum(max(0, done.get(w, 0) - sum(inputs.get(t, 0) for t in INPUTS[w])) for w in INPUTS)


def format_table(rows, legend=False):
    head = ["scenario", "batch", "lost", "dup", "differs", "redone", "dlq", "webhooks", "fault s", "recover s",
            "bound s", "result"]
    lines = []
    for r in rows:
        if r.get("skipped"):
            lines.append([r["scenario"], "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "SKIP"])
            continue
        rec = "-" if r["recover_s"] is None else f"{r['recover_s']:.1f}"
        if r["lost"]:
            rec = f">{r['bound_s']}"
        lines.append([r["scenario"], r["batch"], r["lost"], r["duplicated"], r["differs"], r["redone"], r["dlq"],
                      r["webhooks"], r["fault_s"], rec, r["bound_s"], "ok" if r["ok"] else "FAIL"])
    widths = [max(len(str(x)) for x in col) for col in zip(head, *lines)]
    fmt = "  ".join(f"{{:{'<' if i == 0 else '>'}{w}}}" for i, w in enumerate(widths))
    out = [fmt.format(*head)] + [fmt.format(*map(str, ln)) for ln in lines]
    if legend:
        out += [LEGEND]
    for r in rows:
        for n in r.get("notes", []):
            out.append(f"  {r['scenario']}: {n}")
        for iid, what in list(r.get("problems", {}).items())[:10]:
            out.append(f"  {r['scenario']}: {iid}: {'; '.join(what)}")
    return "\n".join(out)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scenarios", default="short", help="short, full, or a comma-separated list: " + ", ".join(FULL))
    p.add_argument("--batch", type=int, default=20, help="interviews per batch (default 20)")
    p.add_argument("--bound", type=int, default=180,
                   help="seconds from a fault's end within which the last interview must be done (default 180)")
    p.add_argument("--media", required=True, help="folder of the media variants (make_sample.sh)")
    p.add_argument("--out", required=True, help="folder for the table (faults-<scenarios>.txt) and details (.json)")
    args = p.parse_args()
    names = {"short": SHORT, "full": FULL}.get(args.scenarios) or args.scenarios.split(",")
    label = args.scenarios if args.scenarios in ("short", "full") else "custom"
    os.makedirs(args.out, exist_ok=True)
    started = time.time()
    suite = Suite(args)
    try:
        suite.run("baseline")
        for name in names:
            inject, setup, teardown = suite.scenario(name)
            if name == "disk-full" and os.geteuid() != 0:
                suite.rows.append({"scenario": name, "skipped": True, "ok": True,
                                   "notes": ["needs root to mount a small tmpfs as the converter's work dir"]})
                continue
            if setup:
                setup()
            try:
                suite.run(name, inject)
            finally:
                if teardown:
                    teardown()
    finally:
        for teardown in (suite.teardown_replicas, suite.teardown_small_work_dir):
            try:
                teardown()
            except Exception as e:  # keep the first error, report this one
                log(f"cleanup: {e}")
        suite.hooks.stop()
        took = time.time() - started
        table = format_table(suite.rows, legend=True)
        summary = (f"fault injection ({label}): {len(suite.rows) - 1} scenarios, batches of {args.batch}, "
                   f"{took:.0f} s in all")
        with open(os.path.join(args.out, f"faults-{label}.txt"), "w") as f:
            f.write(summary + "\n" + table + "\n")
        with open(os.path.join(args.out, f"faults-{label}.json"), "w") as f:
            json.dump({"summary": summary, "rows": suite.rows}, f, indent=1, default=str)
        print("\n" + summary + "\n" + table, flush=True)
    failed = [r["scenario"] for r in suite.rows if not r["ok"]]
    if failed:
        print(f"FAILED: {', '.join(failed)}", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
