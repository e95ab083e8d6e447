"""Portuguese and the choice of models (docs/accuracy.md): direct requests to
the speech-to-text server (client.py), after the main benchmark.

- English, whisper-base against whisper-tiny.en on the English sets, the same
  requests as the transcriber's (language=en, its filler prompt);
- Portuguese, whisper-base with language=pt, with the Portuguese filler
  prompt the transcriber will send, without a prompt, and with the English one;
- detection by base: the language of requests without one, among en and pt
  (the deployed ISIM_STT_DETECT_LANGUAGES) and among all of Whisper's languages;
- real-time factor of both models on the 2-minute English answer and of base
  on a Portuguese one, each alone on an idle machine, median of 3.
"""
from __future__ import annotations

import os
import time
from pathlib import Path
from statistics import median
from typing import Any, Callable

import client
from align import Counts, score
from datasets import Item, log
from normalise import is_filler, is_filler_pt, normalise
from server import base_alone, deployed, english_only, metrics, stt_server

PROMPT_EN = "Um, uh, so, like, you know, I mean... I was, uh, thinking."  # TRANSCRIBE_DEFAULT_PROMPT
PROMPT_PT = "Hum, é, então, tipo, sabe, quer dizer... eu estava, é, pensando."
EN_SETS = ["librivox", "asterisk", "mfa", "synth-clean"]
PT_SETS = ["pt-clips", "synth-pt-clean", "synth-pt-20dB"]
PT_PROMPTS = {"pt-prompt": PROMPT_PT, "no-prompt": None, "en-prompt": PROMPT_EN}
DETECT_SETS = ["pt-clips", "synth-pt-clean", "en-clips", "librivox", "mfa"]
RTF_RUNS = 3


def wer_of(url: str, items: list[Item], language: str, prompt: str | None) -> dict[str, Any]:
    lang = "pt" if language == "pt" else "en"
    filler = is_filler_pt if lang == "pt" else is_filler
    total, per_item = Counts(), []
    m0 = metrics(url)
    for item in items:
        t = client.transcribe(url, Path(item.wav), language=language, prompt=prompt)
        ref, hyp = normalise(item.ref, lang), normalise(" ".join(w["word"] for w in t["words"]), lang)
        c = score(ref, hyp, filler)
        total.add(c)
        per_item.append({"id": item.id, **c.as_dict(), "hyp": " ".join(hyp), "model": t["model"]})
    m1 = metrics(url)
    spent = m1["isim_stt_processing_seconds_total"] - m0["isim_stt_processing_seconds_total"]
    audio = m1["isim_stt_audio_seconds_total"] - m0["isim_stt_audio_seconds_total"]
    return {**total.as_dict(), "server_rtf": round(spent / audio, 4) if audio else None,
            "model": per_item[0]["model"] if per_item else None, "items": per_item}


def detections(url: str, items: list[Item], truth: Callable[[Item], str]) -> dict[str, Any]:
    rows = []
    for item in items:
        t = client.transcribe(url, Path(item.wav), language=None, prompt=None)
        rows.append({"id": item.id, "truth": truth(item), "language": t["language"],
                     "probability": t["language_probability"], "model": t["model"]})
    right = [r for r in rows if r["language"] == r["truth"]]
    return {"items": len(rows), "right": len(right), "accuracy": round(len(right) / len(rows), 4) if rows else None,
            "median_probability_right": median(r["probability"] for r in right) if right else None,
            "wrong": [r for r in rows if r["language"] != r["truth"]], "rows": rows}


def rtf(url: str, item: Item, language: str, prompt: str | None, wait_idle: Callable[[], float]) -> dict[str, Any]:
    client.transcribe(url, Path(item.wav), language=language, prompt=prompt)  # warm
    runs = []
    for _ in range(RTF_RUNS):
        busy, load = wait_idle(), os.getloadavg()
        m0, t0 = metrics(url), time.monotonic()
        client.transcribe(url, Path(item.wav), language=language, prompt=prompt)
        wall, m1 = time.monotonic() - t0, metrics(url)
        spent = m1["isim_stt_processing_seconds_total"] - m0["isim_stt_processing_seconds_total"]
        runs.append({"wall_s": round(wall, 3), "rtf": round(wall / item.duration, 4),
                     "server_rtf": round(spent / item.duration, 4), "cpu_busy_before": round(busy, 3),
                     "loadavg_before": [round(x, 2) for x in load]})
        log(f"RTF {language}: {runs[-1]}")
    return {"audio_s": round(item.duration, 2), "runs": runs, "rtf_median": median(r["rtf"] for r in runs),
            "server_rtf_median": median(r["server_rtf"] for r in runs)}


def measure(repo: Path, deps: Path, out: Path, items: list[Item], wait_idle: Callable[[], float] | None,
            ) -> dict[str, Any]:
    by_set = {s: [i for i in items if i.set == s] for s in dict.fromkeys(i.set for i in items)}
    any_language = {**base_alone(deps), "ISIM_STT_DETECT_LANGUAGES": "*"}
    settings = {"deployed": deployed(deps), "base_alone": base_alone(deps), "any_language": any_language,
                "english_only": english_only(deps),
                "prompt_en": PROMPT_EN, "prompt_pt": PROMPT_PT}
    res: dict[str, Any] = {"english": {"whisper-tiny.en": {}, "whisper-base": {}}, "portuguese": {},
                           "detection": {}, "rtf": None, "settings": settings}
    with stt_server(repo, deps, out / "stt-tiny.en.log", settings=english_only(deps)) as url:
        for set_name in EN_SETS:
            res["english"]["whisper-tiny.en"][set_name] = wer_of(url, by_set[set_name], "en", PROMPT_EN)
            log(f"en {set_name} tiny.en: WER {res['english']['whisper-tiny.en'][set_name]['wer']:.3f}")
        if wait_idle:
            res["rtf"] = {"tiny.en (en)": rtf(url, by_set["rtf"][0], "en", PROMPT_EN, wait_idle)}
    with stt_server(repo, deps, out / "stt-base.log", settings=base_alone(deps)) as url:
        for set_name in EN_SETS:
            res["english"]["whisper-base"][set_name] = wer_of(url, by_set[set_name], "en", PROMPT_EN)
            log(f"en {set_name} base: WER {res['english']['whisper-base'][set_name]['wer']:.3f}")
        for set_name in PT_SETS:
            for label, prompt in PT_PROMPTS.items():
                if set_name != "synth-pt-20dB" or label == "pt-prompt":
                    res["portuguese"].setdefault(set_name, {})[label] = wer_of(url, by_set[set_name], "pt", prompt)
                    log(f"pt {set_name} {label}: WER {res['portuguese'][set_name][label]['wer']:.3f}")
        res["detection"]["among en, pt"] = {s: detections(url, by_set[s], truth) for s in DETECT_SETS}
        if wait_idle and res["rtf"] is not None:
            res["rtf"]["base (en)"] = rtf(url, by_set["rtf"][0], "en", PROMPT_EN, wait_idle)
            res["rtf"]["base (pt)"] = rtf(url, by_set["rtf-pt"][0], "pt", PROMPT_PT, wait_idle)
    with stt_server(repo, deps, out / "stt-any-language.log", settings=any_language) as url:
        res["detection"]["among all"] = {s: detections(url, by_set[s], truth) for s in DETECT_SETS}
    return res


def truth(item: Item) -> str:
    return "pt" if item.set.startswith(("pt-", "synth-pt")) else "en"

