"""results.json -> the Markdown tables of build/accuracy/results.md (the
same tables docs/accuracy.md shows)."""
from __future__ import annotations

from typing import Any, Optional

SET_LABEL = {
    "librivox": "LibriVox, 5 read sentences (pocketsphinx TUNED on these)",
    "asterisk": "Asterisk prompts, 254 (held out)",
    "mfa": "MFA conversational clips, 14 (held out)",
    "synth-clean": "synthetic answers, clean",
    "synth-20dB": "synthetic answers, 20 dB SNR",
    "synth-10dB": "synthetic answers, 10 dB SNR",
    "timing-librivox": "LibriVox 0870/0920 joins (held out)",
}
SYSTEM_LABEL = {
    "openai": "openai (server, default prompt)",
    "openai-noprompt": "openai, no prompt",
    "pocketsphinx": "pocketsphinx",
}
TARGETS = {"wer_librivox": 0.10, "wer_other_gap": 0.05, "rtf": 0.15, "filler": 0.90}


def pct(x: Optional[float]) -> str:
    return "n/a" if x is None else f"{100 * x:.1f} %"


def num(x: Optional[float], nd: int = 2) -> str:
    return "n/a" if x is None else f"{x:.{nd}f}"


def markdown(res: dict[str, Any]) -> str:
    systems = list(res["wer"])
    sets = list(next(iter(res["wer"].values())))
    meta = res.get("meta", {})
    out = [f"# Accuracy benchmark results ({meta.get('date_utc', '')})", "",
           f"Machine: {meta.get('machine', '')}; {meta.get('cpu', '')}.", ""]

    out += ["## Word error rate", "",
            "WER = (S + D + I) / reference words, after the normaliser; fillers count as words.", "",
            "| set | words | " + " | ".join(f"{SYSTEM_LABEL.get(s, s)} WER (S/D/I)" for s in systems) + " |",
            "| --- | ---: | " + " | ".join("---:" for _ in systems) + " |"]
    for st in sets:
        cells = []
        for s in systems:
            d = res["wer"][s][st]
            cells.append(f"{pct(d['wer'])} ({d['sub']}/{d['del']}/{d['ins']})")
        out.append(f"| {SET_LABEL.get(st, st)} | {res['wer'][systems[0]][st]['ref_words']} | " + " | ".join(cells) + " |")
    out += ["", "Same, with the fillers taken out of reference and output (the words alone):", "",
            "| set | " + " | ".join(SYSTEM_LABEL.get(s, s) for s in systems) + " |",
            "| --- | " + " | ".join("---:" for _ in systems) + " |"]
    for st in sets:
        out.append(f"| {SET_LABEL.get(st, st)} | " + " | ".join(pct(res['wer_without_fillers'][s][st]['wer'])
                                                              for s in systems) + " |")

    out += ["", "## Fillers (um, uh, er, ah, erm, hmm, mm)", "",
            "Found = an output filler aligned to the same filler in the reference. "
            "Precision = found / output fillers, recall = found / reference fillers.", "",
            "| set | engine | reference fillers | output fillers | found | precision | recall |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for st in next(iter(res["fillers"].values())):
        for s in systems:
            f = res["fillers"][s][st]
            out.append(f"| {SET_LABEL.get(st, st)} | {SYSTEM_LABEL.get(s, s)} | {f['ref_fillers']} | "
                       f"{f['hyp_fillers']} | {f['fillers_found']} | {num(f['filler_precision'])} | "
                       f"{num(f['filler_recall'])} |")

    rtf = res.get("rtf")
    if rtf:
        out += ["", f"## Real-time factor ({rtf['audio_s']} s answer, median of {rtf['runs']} runs)", "",
                "Wall time of `isim transcribe` (conversion, model load for pocketsphinx, request) / audio seconds.",
                "", "| engine | RTF (median) | runs (wall s) | server's own RTF (/metrics) | CPU busy before / load average |",
                "| --- | ---: | --- | ---: | --- |"]
        for e, d in rtf["engines"].items():
            runs = ", ".join(num(r["wall_s"]) for r in d["runs"])
            busy = "; ".join(f"{r['cpu_busy_before']:.0%} / {r['loadavg_before'][0]}" for r in d["runs"])
            out.append(f"| {e} | {num(d['rtf_median'], 3)} | {runs} | {num(d.get('server_rtf_median'), 3)} | {busy} |")

    out += ["", "## Word timing at sentence boundaries", "",
            "Error = first word's start (last word's end) minus where the sentence's speech starts (ends): "
            "first/last 10 ms frame above -40 dBFS, sentences joined with digital silence. "
            "Sentences 0880, 0890, 0930 (used to choose the server's VAD and snapping) are not in these sets.", "",
            "| set | engine | sentences | no word | start: median abs / p90 abs / within 0.3 s | "
            "end: median abs / p90 abs / within 0.3 s | words in silence |",
            "| --- | --- | ---: | ---: | --- | --- | ---: |"]
    for st in next(iter(res["timing"].values())):
        for s in systems:
            t = res["timing"][s][st]
            cell = lambda x: f"{num(x['median_abs'])} s / {num(x['p90_abs'])} s / {pct(x['within_0_3'])}"  # noqa: E731
            out.append(f"| {SET_LABEL.get(st, st)} | {SYSTEM_LABEL.get(s, s)} | {t['sentences']} | {t['missed']} | "
                       f"{cell(t['start'])} | {cell(t['end'])} | {t['words_in_silence']} / {t['words']} |")

    out += ["", "## Targets", "", "| target | measured | met |", "| --- | --- | --- |"]
    for row in targets(res):
        out.append(f"| {row[0]} | {row[1]} | {'yes' if row[2] else 'NO'} |")
    return "\n".join(out) + "\n"


def targets(res: dict[str, Any]) -> list[tuple[str, str, bool]]:
    w = res["wer"]["openai"]
    lv = w["librivox"]["wer"]
    rows = [("WER <= 10 % on LibriVox, default engine", pct(lv), lv <= TARGETS["wer_librivox"])]
    for st in ("asterisk", "mfa"):
        x = w[st]["wer"]
        rows.append((f"WER on {st} within 5 points of LibriVox's ({pct(lv)}), default engine", pct(x),
                     x <= lv + TARGETS["wer_other_gap"]))
    rtf = res.get("rtf")
    if rtf:
        r = rtf["engines"]["openai"]["rtf_median"]
        rows.append(("RTF <= 0.15 for a 2-minute answer, default engine", num(r, 3), r <= TARGETS["rtf"]))
    for st in ("mfa", "synth-clean"):
        f = res["fillers"]["openai"][st]
        p, r = f["filler_precision"], f["filler_recall"]
        ok = p is not None and r is not None and p >= TARGETS["filler"] and r >= TARGETS["filler"]
        rows.append((f"filler precision and recall >= 0.9, default engine and prompt, {st}",
                     f"P {num(p)}, R {num(r)}", ok))
    return rows
