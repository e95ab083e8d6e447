"""Sentence-boundary errors of recognised word times against the known
speech spans of joined recordings."""
from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median
from typing import Any, Optional

MARGIN_S = 0.3


@dataclass
class Boundaries:
    sentences: int = 0
    missed: int = 0  # sentences with no recognised word
    start_err: list[float] = field(default_factory=list)  # first word start - true start
    end_err: list[float] = field(default_factory=list)  # last word end - true end
    words: int = 0
    words_in_silence: int = 0  # more than MARGIN_S away from every sentence's speech

    def add(self, words: list[dict[str, Any]], spans: list[tuple[float, float]]) -> None:
        groups: list[list[dict[str, Any]]] = [[] for _ in spans]
        for w in words:
            mid = (w["start"] + w["end"]) / 2
            dist = [max(b - mid, mid - e, 0.0) for b, e in spans]
            groups[dist.index(min(dist))].append(w)
            self.words += 1
            if not any(w["end"] > b - MARGIN_S and w["start"] < e + MARGIN_S for b, e in spans):
                self.words_in_silence += 1
        for (b, e), g in zip(spans, groups):
            self.sentences += 1
            if not g:
                self.missed += 1
                continue
            self.start_err.append(g[0]["start"] - b)
            self.end_err.append(g[-1]["end"] - e)

    def summary(self) -> dict[str, Any]:
        return {"sentences": self.sentences, "missed": self.missed, "words": self.words,
                "words_in_silence": self.words_in_silence,
                "start": _stats(self.start_err), "end": _stats(self.end_err)}


def _stats(errs: list[float]) -> dict[str, Optional[float]]:
    if not errs:
        return {"median_abs": None, "p90_abs": None, "within_0_3": None, "median_signed": None}
    a = sorted(abs(e) for e in errs)
    p90 = a[min(len(a) - 1, int(round(0.9 * (len(a) - 1))))]
    return {"median_abs": round(median(a), 3), "p90_abs": round(p90, 3),
            "within_0_3": round(sum(1 for e in a if e <= MARGIN_S) / len(a), 4),
            "median_signed": round(median(errs), 3)}
