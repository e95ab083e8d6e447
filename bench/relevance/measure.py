"""Measures the relevance measures on the labelled answers (README.md).

python3 bench/relevance/measure.py BUILD_DIR [--embed-url URL] [--json OUT] [--as-transcript]

Builds the labelled items from answers.json (on topic: each question's own
three answers; off topic: two answers to other questions of the same split,
one small talk, one rambling, and the question read back followed by small
talk), runs BUILD_DIR/relevance_scores on them (the C code of the report;
with --embed-url the semantic measure too) and prints, for each measure and
split, ROC AUC and accuracy at the bound chosen on dev (the midpoint that
classifies dev best). Standard library only."""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
ECHO = "{question} That is a good question. {small_talk}"


def items_of(data: dict) -> list[dict]:
    """Every labelled item of both splits, in a fixed order."""
    out = []
    for split in ("dev", "heldout"):
        part = data[split]
        qs = part["questions"]
        for i, q in enumerate(qs):
            for kind in ("direct", "paraphrase", "story"):
                out.append({"split": split, "question_id": q["id"], "label": 1, "kind": kind, "answer": q[kind]})
            # Other questions' answers: the next question's direct answer and
            # the one after's paraphrase (so each answer is used once as each).
            nxt, after = qs[(i + 1) % len(qs)], qs[(i + 2) % len(qs)]
            talk, ramble = part["small_talk"][i % len(part["small_talk"])], part["rambling"][i % len(part["rambling"])]
            question_text = q.get("text")
            out += [
                {"split": split, "question_id": q["id"], "label": 0, "kind": "other-question", "answer": nxt["direct"]},
                {"split": split, "question_id": q["id"], "label": 0, "kind": "other-question",
                 "answer": after["paraphrase"]},
                {"split": split, "question_id": q["id"], "label": 0, "kind": "small-talk", "answer": talk},
                {"split": split, "question_id": q["id"], "label": 0, "kind": "rambling", "answer": ramble},
                {"split": split, "question_id": q["id"], "label": 0, "kind": "echo",
                 "answer": ECHO.format(question=question_text, small_talk=part["small_talk"][(i + 3) % len(part["small_talk"])])},
            ]
    for n, it in enumerate(out):
        it["id"] = n
    return out


def auc(scores: list[tuple[float, int]]) -> float:
    """ROC AUC: the chance an on-topic item scores above an off-topic one (ties count half)."""
    pos = [s for s, y in scores if y == 1]
    neg = [s for s, y in scores if y == 0]
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def accuracy(scores: list[tuple[float, int]], bound: float) -> float:
    return sum((s >= bound) == (y == 1) for s, y in scores) / len(scores)


def best_bound(scores: list[tuple[float, int]]) -> float:
    """The midpoint between two neighbouring scores that classifies best (the lowest such on a tie)."""
    values = sorted({s for s, _ in scores})
    cuts = [(a + b) / 2 for a, b in zip(values, values[1:])] or values
    return max(cuts, key=lambda c: (accuracy(scores, c), -c))


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("build_dir")
    ap.add_argument("--embed-url", default="")
    ap.add_argument("--json", help="also write every item with its scores here")
    ap.add_argument("--as-transcript", action="store_true",
                    help="answers as the transcriber stores words: lower case, no punctuation, so sentences are "
                         "cut every 40 words (no pauses in these answers)")
    a = ap.parse_args(argv[1:])
    with open(os.path.join(HERE, "answers.json")) as f:
        data = json.load(f)
    with open(os.path.join(REPO, "data", "en", "questions.json")) as f:
        bank = {q["id"]: q for q in json.load(f)["questions"]}
    for split in ("dev", "heldout"):
        for q in data[split]["questions"]:
            q["text"] = bank[q["id"]]["text"]
    items = items_of(data)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump([{k: it[k] for k in ("id", "question_id", "answer")} for it in items], f)
        path = f.name
    try:
        env = dict(os.environ, ISIM_EMBED_URL=a.embed_url)
        run = subprocess.run([os.path.join(a.build_dir, "relevance_scores"),
                              *(["--as-transcript"] if a.as_transcript else []), os.path.join(REPO, "data"), path],
                             env=env, capture_output=True, text=True, check=True)
    finally:
        os.unlink(path)
    for line in run.stdout.splitlines():
        row = json.loads(line)
        it = items[row["id"]]
        it["lexical"] = row["lexical"]
        sem = row["semantic"]
        if sem.get("similarity") is None:
            if a.embed_url:
                print(f"item {row['id']}: no semantic measure: {sem.get('reason')}", file=sys.stderr)
                return 1
        else:
            it["semantic"] = sem["similarity"]
            best = sem["best_sentence"]
            it["semantic_best_sentence"] = best["similarity"] if best else 0.0
    measures = [("lexical", "TF-IDF cosine, answer vs question + talking points (relevance.similarity)")]
    if a.embed_url:
        measures += [("semantic", "embedding cosine, question + talking points vs the mean of the answer's "
                                  "sentences, read-back question left out (relevance.semantic.similarity)"),
                     ("semantic_best_sentence", "the same reference vs the answer's closest sentence "
                                                "(relevance.semantic.best_sentence.similarity)")]
    counts = {s: (sum(1 for it in items if it["split"] == s and it["label"] == 1),
                  sum(1 for it in items if it["split"] == s and it["label"] == 0)) for s in ("dev", "heldout")}
    print(f"items: dev {counts['dev'][0]} on topic + {counts['dev'][1]} off topic, "
          f"held-out {counts['heldout'][0]} + {counts['heldout'][1]}")
    print(f"| measure | dev AUC | held-out AUC | bound (chosen on dev) | dev accuracy | held-out accuracy |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    summary = {}
    for key, what in measures:
        dev = [(it[key], it["label"]) for it in items if it["split"] == "dev"]
        held = [(it[key], it["label"]) for it in items if it["split"] == "heldout"]
        bound = best_bound(dev)
        summary[key] = {"dev_auc": auc(dev), "heldout_auc": auc(held), "bound": bound,
                        "dev_accuracy": accuracy(dev, bound), "heldout_accuracy": accuracy(held, bound)}
        s = summary[key]
        print(f"| `{key}`: {what} | {s['dev_auc']:.3f} | {s['heldout_auc']:.3f} | {bound:.3f} | "
              f"{s['dev_accuracy']:.3f} | {s['heldout_accuracy']:.3f} |")
    print()
    print("held-out, by kind of answer: share classified right at the dev bound")
    kinds = ["direct", "paraphrase", "story", "other-question", "small-talk", "rambling", "echo"]
    print("| measure | " + " | ".join(kinds) + " |")
    print("| --- |" + " ---: |" * len(kinds))
    for key, _ in measures:
        cells = []
        for kind in kinds:
            sel = [(it[key], it["label"]) for it in items if it["split"] == "heldout" and it["kind"] == kind]
            cells.append(f"{accuracy(sel, summary[key]['bound']):.2f}")
        print(f"| `{key}` | " + " | ".join(cells) + " |")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"summary": summary, "items": items}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
