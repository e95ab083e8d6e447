"""Word alignment (Levenshtein, unit costs) of a reference and a hypothesis,
word error counts, and filler precision and recall on the alignment."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

# One aligned pair: (reference word or None, hypothesis word or None).
Pair = tuple[Optional[str], Optional[str]]


@dataclass
class Counts:
    ref_words: int = 0
    hyp_words: int = 0
    sub: int = 0
    dele: int = 0
    ins: int = 0
    # fillers: in the reference, in the hypothesis, aligned to the same filler
    ref_fillers: int = 0
    hyp_fillers: int = 0
    fillers_found: int = 0
    extra: dict[str, int] = field(default_factory=dict)

    def add(self, o: "Counts") -> "Counts":
        for k in ("ref_words", "hyp_words", "sub", "dele", "ins", "ref_fillers", "hyp_fillers",
                  "fillers_found"):
            setattr(self, k, getattr(self, k) + getattr(o, k))
        return self

    @property
    def errors(self) -> int:
        return self.sub + self.dele + self.ins

    @property
    def wer(self) -> float:
        return self.errors / self.ref_words if self.ref_words else 0.0

    @property
    def filler_precision(self) -> Optional[float]:
        return self.fillers_found / self.hyp_fillers if self.hyp_fillers else None

    @property
    def filler_recall(self) -> Optional[float]:
        return self.fillers_found / self.ref_fillers if self.ref_fillers else None

    def as_dict(self) -> dict[str, object]:
        return {"ref_words": self.ref_words, "hyp_words": self.hyp_words, "sub": self.sub,
                "del": self.dele, "ins": self.ins, "wer": round(self.wer, 4),
                "ref_fillers": self.ref_fillers, "hyp_fillers": self.hyp_fillers,
                "fillers_found": self.fillers_found,
                "filler_precision": _r(self.filler_precision), "filler_recall": _r(self.filler_recall)}


def _r(x: Optional[float]) -> Optional[float]:
    return None if x is None else round(x, 4)


def align(ref: list[str], hyp: list[str]) -> list[Pair]:
    """A minimum-edit alignment. Ties prefer a match or substitution, then a
    deletion, then an insertion (deterministic)."""
    n, m = len(ref), len(hyp)
    d = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        d[i][0] = i
    for j in range(1, m + 1):
        d[0][j] = j
    for i in range(1, n + 1):
        ri, row, prev = ref[i - 1], d[i], d[i - 1]
        for j in range(1, m + 1):
            row[j] = min(prev[j - 1] + (ri != hyp[j - 1]), prev[j] + 1, row[j - 1] + 1)
    pairs: list[Pair] = []
    i, j = n, m
    while i > 0 or j > 0:
        if i > 0 and j > 0 and d[i][j] == d[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]):
            pairs.append((ref[i - 1], hyp[j - 1]))
            i, j = i - 1, j - 1
        elif i > 0 and d[i][j] == d[i - 1][j] + 1:
            pairs.append((ref[i - 1], None))
            i -= 1
        else:
            pairs.append((None, hyp[j - 1]))
            j -= 1
    pairs.reverse()
    return pairs


def score(ref: list[str], hyp: list[str], is_filler: Callable[[str], bool]) -> Counts:
    """Errors and filler counts of ``hyp`` against ``ref``. A filler in the
    hypothesis is found when it is aligned to the same filler in the reference."""
    c = Counts(ref_words=len(ref), hyp_words=len(hyp))
    c.ref_fillers = sum(1 for w in ref if is_filler(w))
    c.hyp_fillers = sum(1 for w in hyp if is_filler(w))
    for r, h in align(ref, hyp):
        if r is None:
            c.ins += 1
        elif h is None:
            c.dele += 1
        elif r != h:
            c.sub += 1
        elif is_filler(r):
            c.fillers_found += 1
    return c
