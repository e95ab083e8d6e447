"""The "Portuguese and model choice" tables of results.md (languages.py's results)."""
from __future__ import annotations

from typing import Any

from report import SET_LABEL, num, pct

LABELS = {**SET_LABEL,
          "pt-clips": "Portuguese sample clips, 3 (pytest-audioeval; likely text-to-speech)",
          "en-clips": "English sample clips, 3 (pytest-audioeval; likely text-to-speech)",
          "synth-pt-clean": "SYNTHETIC Portuguese answers (espeak-ng pt-br), clean",
          "synth-pt-20dB": "SYNTHETIC Portuguese answers (espeak-ng pt-br), 20 dB SNR"}
PROMPTS = {"pt-prompt": "Portuguese filler prompt", "no-prompt": "no prompt", "en-prompt": "English filler prompt"}


def cell(d: dict[str, Any]) -> str:
    return f"{pct(d['wer'])} ({d['sub']}/{d['del']}/{d['ins']})"


def markdown(lang: dict[str, Any]) -> str:
    out = ["", "## Portuguese and model choice", "",
           "Direct requests to the server (bench/accuracy/languages.py). English: language=en with the "
           "transcriber's filler prompt; the server's RTF is its decode time / audio seconds over the set, "
           "on a machine doing other work.", "",
           "| English set | words | whisper-tiny.en WER (S/D/I) | server RTF | whisper-base WER (S/D/I) | server RTF |",
           "| --- | ---: | ---: | ---: | ---: | ---: |"]
    tiny, base = lang["english"]["whisper-tiny.en"], lang["english"]["whisper-base"]
    for st in tiny:
        out.append(f"| {LABELS.get(st, st)} | {tiny[st]['ref_words']} | {cell(tiny[st])} | "
                   f"{num(tiny[st]['server_rtf'], 3)} | {cell(base[st])} | {num(base[st]['server_rtf'], 3)} |")
    out += ["", "Portuguese, whisper-base, language=pt:", "",
            "| set | words | prompt | WER (S/D/I) | server RTF |", "| --- | ---: | --- | ---: | ---: |"]
    for st, by_prompt in lang["portuguese"].items():
        for p, d in by_prompt.items():
            out.append(f"| {LABELS.get(st, st)} | {d['ref_words']} | {PROMPTS.get(p, p)} | {cell(d)} | "
                       f"{num(d['server_rtf'], 3)} |")
    out += ["", "Language detection (requests without a language):", "",
            "| among | set | right | median probability when right | wrong (detected, probability) |",
            "| --- | --- | ---: | ---: | --- |"]
    for among, sets in lang["detection"].items():
        for st, d in sets.items():
            wrong = ", ".join(f"{w['id']}: {w['language']} {num(w['probability'])}" for w in d["wrong"]) or "none"
            out.append(f"| {among} | {LABELS.get(st, st)} | {d['right']} / {d['items']} | "
                       f"{num(d['median_probability_right'])} | {wrong} |")
    if lang.get("rtf"):
        out += ["", "Real-time factor, each alone (median of 3; wall time of the request / audio seconds):", "",
                "| model (language) | audio s | RTF | server's RTF | CPU busy before / load average |",
                "| --- | ---: | ---: | ---: | --- |"]
        for m, d in lang["rtf"].items():
            busy = "; ".join(f"{r['cpu_busy_before']:.0%} / {r['loadavg_before'][0]}" for r in d["runs"])
            out.append(f"| {m} | {d['audio_s']} | {num(d['rtf_median'], 3)} | {num(d['server_rtf_median'], 3)} | "
                       f"{busy} |")
    return "\n".join(out) + "\n"
