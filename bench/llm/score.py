#!/usr/bin/env python3
"""Summarises review_bench runs (one JSON line per answer, see review_bench.c).

    score.py RUN.jsonl...                      table: valid share, claims, latency
    score.py --claims RUN.jsonl > claims.tsv   every shown claim with its span's words,
                                               a blank "supports" column to judge by hand
    score.py --judged claims.tsv               share of judged claims whose words support them

A run's name is its file name. Standard library only: no model, no network."""
from __future__ import annotations

import csv
import json
import statistics
import sys
from pathlib import Path


def load(path: str) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]


def claims(review: dict | None):
    for key in ("strengths", "improvements"):
        for c in (review or {}).get(key, []):
            yield key, c


def summary(path: str) -> dict:
    rows = load(path)
    secs = sorted(r["seconds"] for r in rows)
    valid = [r for r in rows if r["valid"]]
    shown = sum(1 for r in valid for _ in claims(r["review"]))
    dropped = sum(r["review"].get("dropped_claims", 0) for r in valid)
    return {
        "run": Path(path).stem,
        "answers": len(rows),
        "valid": len(valid),
        "first_try": sum(1 for r in valid if r["attempts"] == 1),
        "claims_shown": shown,
        "claims_dropped": dropped,
        "outline_steps": sum(len(r["review"].get("outline", [])) for r in valid),
        "median_s": statistics.median(secs) if secs else 0.0,
        "max_s": secs[-1] if secs else 0.0,
        "errors": sorted({r["error"].split(" (")[0][:60] for r in rows if not r["valid"]}),
    }


def table(paths: list[str]) -> None:
    print("| run | answers | valid | valid on 1st try | claims shown | claims dropped (outside or no words) "
          "| outline steps | median s | max s | why invalid |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for p in paths:
        s = summary(p)
        print(f"| {s['run']} | {s['answers']} | {s['valid']} ({s['valid'] / max(s['answers'], 1):.0%}) "
              f"| {s['first_try']} | {s['claims_shown']} | {s['claims_dropped']} | {s['outline_steps']} "
              f"| {s['median_s']:.1f} | {s['max_s']:.1f} | {'; '.join(s['errors'])} |")


def claims_tsv(paths: list[str]) -> None:
    w = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    w.writerow(["run", "answer", "kind", "claim", "span_words", "supports"])
    for p in paths:
        for r in load(p):
            for kind, c in claims(r["review"] if r["valid"] else None):
                said = " | ".join(s.get("words", "") for s in c["spans"])
                w.writerow([Path(p).stem, r["id"], kind, c["claim"], said, ""])


def judged(path: str) -> None:
    with open(path, newline="") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if r["supports"].strip() in ("y", "n")]
    yes = sum(r["supports"].strip() == "y" for r in rows)
    print(f"judged {len(rows)} claims by hand: {yes} supported by their span's words "
          f"({yes / max(len(rows), 1):.0%}), {len(rows) - yes} not")


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "--claims":
        claims_tsv(argv[1:])
    elif len(argv) == 2 and argv[0] == "--judged":
        judged(argv[1])
    elif argv and not argv[0].startswith("-"):
        table(argv)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
