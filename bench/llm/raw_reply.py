#!/usr/bin/env python3
"""Prints the model's raw reply, before any check, to the request the
result-writer sends for one answer of a review_bench run: the same system
prompt (read from services/result-writer/llm_review.c), the same word lines,
temperature 0, max_tokens 1024, JSON mode. Used to judge claims by hand
(bench/llm/judged.tsv) when the checked review came back invalid.

    raw_reply.py RUN.jsonl ANSWER_ID [URL]   (URL: http://127.0.0.1:8089/v1)

Standard library only."""
from __future__ import annotations

import json
import re
import sys
import time
import urllib.request
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "services/result-writer/llm_review.c"


def system_prompt() -> str:
    body = re.search(r'LLM_SYSTEM =\s*((?:"(?:[^"\\]|\\.)*"\s*)+);', SRC.read_text()).group(1)
    return "".join(json.loads(part) for part in re.findall(r'"(?:[^"\\]|\\.)*"', body))


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    url = (argv[2] if len(argv) > 2 else "http://127.0.0.1:8089/v1").rstrip("/") + "/chat/completions"
    rec = next(r for r in map(json.loads, Path(argv[0]).read_text().splitlines()) if r["id"] == argv[1])
    user = f"Question: {rec['question']}\nAnswer:\n" + "".join(
        f"{w['start']:.2f} {w['word']}\n" for w in rec["words"])
    body = {"model": rec["model"], "messages": [{"role": "system", "content": system_prompt()},
                                                {"role": "user", "content": user}],
            "temperature": 0.0, "max_tokens": 1024, "response_format": {"type": "json_object"}}
    req = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    t0 = time.monotonic()
    with urllib.request.urlopen(req, timeout=600) as resp:
        reply = json.load(resp)
    print(f"{time.monotonic() - t0:.1f} s, usage {reply.get('usage')}, "
          f"finish {reply['choices'][0].get('finish_reason')}")
    print(reply["choices"][0]["message"]["content"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
