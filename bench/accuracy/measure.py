"""The accuracy benchmark: prepares the data, starts its own speech-to-text
server, runs `isim transcribe` with each engine on every item, measures the
real-time factor (last, alone, on an otherwise idle machine), scores, and writes
build/accuracy/results.json and results.md.

    python measure.py --repo REPO --deps DEPS --out OUT
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from statistics import median
from typing import Any, Optional

import client
import datasets
import datasets_pt
import languages
import report
import report_languages
import synth
from align import Counts, score
from datasets import Item, log
from normalise import is_filler, normalise
from server import deployed, metrics, stt_server
from timing import Boundaries


@dataclass(frozen=True)
class System:
    name: str
    engine: str
    env: tuple[tuple[str, str], ...]


SYSTEMS = [
    System("openai", "openai", ()),  # the transcriber's default prompt
    # The C client sends its default prompt when ISIM_TRANSCRIBE_PROMPT is
    # empty, so "no prompt" is a direct request (client.py).
    System("openai-noprompt", "direct", ()),
    System("pocketsphinx", "pocketsphinx", (("ISIM_TRANSCRIBE_THREADS", "1"),)),
]
WER_SETS = ["librivox", "asterisk", "mfa", "synth-clean", "synth-20dB", "synth-10dB"]
FILLER_SETS = ["synth-clean", "synth-20dB", "synth-10dB", "mfa"]
TIMING_SETS = ["timing-librivox", "asterisk"]
RTF_RUNS = 3


class Runner:
    def __init__(self, isim: Path, url: str, work: Path, raw: Path) -> None:
        self.isim, self.url, self.work, self.raw = isim, url, work, raw

    def env(self, extra: tuple[tuple[str, str], ...] = ()) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ISIM_")}
        env.update(ISIM_WORK_DIR=str(self.work), ISIM_TRANSCRIBE_URL=self.url,
                   ISIM_TRANSCRIBE_FALLBACK="0", ISIM_LOG_LEVEL="warning")
        env.update(dict(extra))
        return env

    def transcribe(self, engine: str, wav: str, extra: tuple[tuple[str, str], ...] = ()) -> tuple[dict[str, Any], float]:
        t0 = time.monotonic()
        p = subprocess.run([str(self.isim), "transcribe", "--engine", engine, wav], env=self.env(extra),
                           capture_output=True, text=True)
        wall = time.monotonic() - t0
        if p.returncode != 0:
            raise RuntimeError(f"isim transcribe --engine {engine} {wav}: exit {p.returncode}: {p.stderr[-2000:]}")
        out = json.loads(p.stdout)
        if out.get("engine") != engine:
            raise RuntimeError(f"{wav}: asked for {engine}, got {out.get('engine')} ({out.get('note')})")
        return out, wall

    def path(self, system: System, item: Item) -> Path:
        return self.raw / system.name / item.set / (item.id.replace("/", "__") + ".json")

    def run(self, system: System, item: Item) -> None:
        if system.engine == "direct":
            t0 = time.monotonic()
            out = client.transcribe(self.url, Path(item.wav))
            wall = time.monotonic() - t0
        else:
            out, wall = self.transcribe(system.engine, item.wav, system.env)
        out["_wall_s"] = round(wall, 3)
        dest = self.path(system, item)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(json.dumps(out))

    def run_all(self, jobs: list[tuple[System, Item]]) -> None:
        """Remote jobs on one worker (the server decodes one at a time),
        pocketsphinx jobs on both: one core each."""
        remote = deque(j for j in jobs if j[0].engine != "pocketsphinx")
        local = deque(j for j in jobs if j[0].engine == "pocketsphinx")
        done, total, lock = [0], len(jobs), threading.Lock()
        errors: list[BaseException] = []

        def worker(queues: list[deque[tuple[System, Item]]]) -> None:
            for q in queues:
                while not errors:
                    with lock:
                        if not q:
                            break
                        system, item = q.popleft()
                    try:
                        self.run(system, item)
                    except BaseException as e:  # reported after both workers stop
                        errors.append(e)
                        return
                    with lock:
                        done[0] += 1
                        if done[0] % 25 == 0 or done[0] == total:
                            log(f"transcribed {done[0]}/{total}")

        threads = [threading.Thread(target=worker, args=([remote, local],)),
                   threading.Thread(target=worker, args=([local],))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            raise errors[0]


def cpu_busy(seconds: float = 2.0) -> float:
    """Share of all CPU time spent busy over ``seconds``."""
    def snap() -> tuple[int, int]:
        v = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        idle = v[3] + v[4]
        return sum(v) - idle, sum(v)
    b0, t0 = snap()
    time.sleep(seconds)
    b1, t1 = snap()
    return (b1 - b0) / max(1, t1 - t0)


def wait_idle(max_wait_s: float, busy_max: float = 0.15) -> float:
    deadline = time.monotonic() + max_wait_s
    while True:
        busy = cpu_busy()
        if busy <= busy_max or time.monotonic() > deadline:
            return busy
        log(f"waiting for an idle machine (CPU {busy:.0%} busy)")
        time.sleep(5)


def measure_rtf(runner: Runner, item: Item, warm: Item, url: str, max_wait_s: float) -> dict[str, Any]:
    """Wall time of `isim transcribe` / audio seconds, median of RTF_RUNS, per
    engine with its production settings, and the server's own figure."""
    runner.transcribe("openai", warm.wav)  # first decode after start-up
    out: dict[str, Any] = {"audio_s": round(item.duration, 2), "runs": RTF_RUNS, "engines": {}}
    for engine in ("openai", "pocketsphinx"):
        runs = []
        for _ in range(RTF_RUNS):
            busy = wait_idle(max_wait_s)
            load = os.getloadavg()
            m0 = metrics(url)
            _, wall = runner.transcribe(engine, item.wav)
            m1 = metrics(url)
            run: dict[str, Any] = {"wall_s": round(wall, 3), "rtf": round(wall / item.duration, 4),
                                   "cpu_busy_before": round(busy, 3), "loadavg_before": [round(x, 2) for x in load]}
            if engine == "openai":
                proc = m1["isim_stt_processing_seconds_total"] - m0["isim_stt_processing_seconds_total"]
                aud = m1["isim_stt_audio_seconds_total"] - m0["isim_stt_audio_seconds_total"]
                run.update(server_processing_s=round(proc, 3), server_audio_s=round(aud, 3),
                           server_rtf=round(proc / aud, 4) if aud else None)
            runs.append(run)
            log(f"RTF {engine}: {run}")
        e: dict[str, Any] = {"runs": runs, "rtf_median": median(r["rtf"] for r in runs)}
        if engine == "openai":
            e["server_rtf_median"] = median(r["server_rtf"] for r in runs)
        out["engines"][engine] = e
    return out


def load(runner: Runner, system: System, item: Item) -> dict[str, Any]:
    return json.loads(runner.path(system, item).read_text())


def hyp_words(t: dict[str, Any]) -> list[str]:
    return normalise(" ".join(w["word"] for w in t.get("words", [])))


def scores(runner: Runner, items: list[Item]) -> dict[str, Any]:
    res: dict[str, Any] = {"wer": {}, "wer_without_fillers": {}, "fillers": {}, "timing": {}, "items": {}}
    for system in SYSTEMS:
        for key in ("wer", "wer_without_fillers", "fillers", "timing", "items"):
            res[key][system.name] = {}
        for set_name in WER_SETS:
            total, nofill = Counts(), Counts()
            per_item = []
            for item in (i for i in items if i.set == set_name):
                t = load(runner, system, item)
                ref, hyp = normalise(item.ref), hyp_words(t)
                c = score(ref, hyp, is_filler)
                total.add(c)
                nofill.add(score([w for w in ref if not is_filler(w)], [w for w in hyp if not is_filler(w)],
                                 is_filler))
                per_item.append({"id": item.id, **c.as_dict(), "hyp": " ".join(hyp), "wall_s": t["_wall_s"],
                                 "audio_s": round(item.duration, 2)})
            res["wer"][system.name][set_name] = total.as_dict()
            res["wer_without_fillers"][system.name][set_name] = nofill.as_dict()
            res["items"][system.name][set_name] = per_item
            if set_name in FILLER_SETS:
                d = total.as_dict()
                res["fillers"][system.name][set_name] = {k: d[k] for k in (
                    "ref_fillers", "hyp_fillers", "fillers_found", "filler_precision", "filler_recall")}
        for set_name in TIMING_SETS:
            b = Boundaries()
            for item in (i for i in items if i.set == set_name):
                assert not set(item.span_ids) & datasets.TIMING_TUNED
                b.add(load(runner, system, item).get("words", []), item.spans)
            res["timing"][system.name][set_name] = b.summary()
    return res


def versions(repo: Path, deps: Path) -> dict[str, Any]:
    def sh(*cmd: str) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, cwd=repo).stdout.strip()
        except OSError:
            return ""
    return {
        "git_commit": sh("git", "rev-parse", "HEAD"),
        "git_dirty": bool(sh("git", "status", "--porcelain")),
        "pocketsphinx": sh("dpkg-query", "-W", "-f", "${Version}", "libpocketsphinx3"),
        "pocketsphinx_en_us": sh("dpkg-query", "-W", "-f", "${Version}", "pocketsphinx-en-us"),
        "pocketsphinx_testdata": sh("dpkg-query", "-W", "-f", "${Version}", "pocketsphinx-testdata"),
        "espeak_ng": synth.espeak_version(),
        "ffmpeg": sh("ffmpeg", "-version").split("\n")[0],
        "stt_models": deployed(deps),
        "faster_whisper": sh(str(deps / "stt-venv" / "bin" / "python"), "-c",
                             "import faster_whisper; print(faster_whisper.__version__)"),
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", type=Path, required=True)
    ap.add_argument("--deps", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--idle-wait", type=float, default=float(os.environ.get("ACCURACY_IDLE_WAIT_S", "300")),
                    help="longest wait for an idle CPU before each real-time-factor run, seconds")
    ap.add_argument("--skip-rtf", action="store_true", help="leave out the real-time factor")
    ap.add_argument("--quick", action="store_true",
                    help="a small subset (first two Asterisk files, first answer), to try the pipeline")
    ap.add_argument("--skip-languages", action="store_true",
                    help="leave out Portuguese and the model comparison (languages.py)")
    ap.add_argument("--only-languages", action="store_true",
                    help="Portuguese and the model comparison alone: results-languages.json and .md")
    args = ap.parse_args()
    started = time.monotonic()
    cache = args.deps / "accuracy-data"
    out = args.out
    raw, work = out / "raw", out / "work"
    for d in (raw, work):
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)

    items = datasets.prepare(cache)
    items += synth.prepare(cache)
    if args.quick:
        items = [i for i in items if not (i.set == "asterisk" and i.id not in ("00", "01"))
                 and not (i.set.startswith("synth") and not i.id.startswith("01-"))]
    log(f"data ready: {len(items)} files, {sum(i.duration for i in items) / 60:.1f} min of audio "
        f"({time.monotonic() - started:.0f} s)")
    by_set = {s: [i for i in items if i.set == s] for s in dict.fromkeys(i.set for i in items)}
    lang: Optional[dict[str, Any]] = None
    if not args.skip_languages:
        lang_items = items + datasets_pt.prepare(cache, args.deps)
        if args.quick:
            lang_items = [i for i in lang_items if not (i.set.startswith("synth-pt") and i.id[:2] != "01")]
        idle = None if args.skip_rtf else (lambda: wait_idle(args.idle_wait))
        lang = languages.measure(args.repo, args.deps, out, lang_items, idle)
        if args.only_languages:
            (out / "results-languages.json").write_text(json.dumps(lang, indent=1))
            md = report_languages.markdown(lang)
            (out / "results-languages.md").write_text(md)
            print(md)
            return 0

    with stt_server(args.repo, args.deps, out / "stt.log") as url:
        runner = Runner(args.repo / "build" / "isim", url, work, raw)
        jobs = [(s, i) for s in SYSTEMS for set_name in WER_SETS + ["timing-librivox"] for i in by_set[set_name]]
        t0 = time.monotonic()
        runner.run_all(jobs)
        accuracy_wall = time.monotonic() - t0
        server_totals = metrics(url)
        # Last, alone: nothing of ours runs while it is measured, and it
        # waits (up to --idle-wait) for the rest of the machine to be idle.
        rtf: Optional[dict[str, Any]] = None
        if not args.skip_rtf:
            rtf = measure_rtf(runner, by_set["rtf"][0], by_set["librivox"][0], url, args.idle_wait)

    res = scores(runner, items)
    res["rtf"] = rtf
    res["languages"] = lang
    res["meta"] = {
        "date_utc": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.node()}: {os.cpu_count()} CPUs, {platform.platform()}",
        "cpu": next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                     if ln.startswith("model name")), ""),
        "versions": versions(args.repo, args.deps),
        "sets": {s: {"files": len(v), "audio_s": round(sum(i.duration for i in v), 1)} for s, v in by_set.items()},
        "synth": {"voices": synth.VOICES, "snrs_db": [s for s in synth.SNRS if s], "wpm": synth.SPEED_WPM},
        "accuracy_runs_wall_s": round(accuracy_wall, 1),
        "server_totals": server_totals,
        "total_wall_s": round(time.monotonic() - started, 1),
    }
    (out / "results.json").write_text(json.dumps(res, indent=1))
    md = report.markdown(res) + (report_languages.markdown(lang) if lang else "")
    (out / "results.md").write_text(md)
    print(md)
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
