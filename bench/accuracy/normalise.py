"""The one text normaliser of the benchmark, applied to references and
recogniser output alike (docs/accuracy.md describes it).

Steps, in order:
1. markup of transcripts dropped: ``<...>`` tags (``<cutoff-x>``, ``<VOCNOISE>``,
   ``<unk>``, LibriVox's ``<s>``) and ``[...]`` notes (``[laughter]``, ``[adif]``);
2. lowercase; curly apostrophes made straight;
3. numbers to words with num2words: ``15%`` -> fifteen percent, ``$5`` -> five
   dollars, ``3rd`` -> third, ``2.5`` -> two point five, ``1,200`` -> one
   thousand two hundred; the "and" num2words puts inside numbers is left out
   ("one hundred fifteen"), so "115" and "one hundred fifteen" agree;
4. hyphens, slashes and other punctuation to spaces; apostrophes kept inside
   words (``don't``) and dropped at word edges;
5. per word: a few abbreviations (mr -> mister, mrs -> missus, dr -> doctor,
   st -> saint, vs -> versus), a few spellings (ok -> okay, alright -> all right,
   yknow -> you know) and filler spellings (umm -> um, uhh -> uh, hm -> hmm,
   mmm -> mm); fillers are kept as words.

Portuguese (``lang="pt"``): the same steps with Portuguese rules: accented
letters and ç are kept as they are (``você``, ``três``), numbers are spelt
with num2words' Brazilian Portuguese (``1.200`` -> mil e duzentos, ``2,5`` ->
dois vírgula cinco, ``3º`` -> terceiro, ``15%`` -> quinze por cento), and the
fillers are Brazilian ones (hum, hã, é, ah, eh, ahn, uhm; hmm -> hum).
"""
from __future__ import annotations

import re

from num2words import num2words

FILLERS: frozenset[str] = frozenset({"um", "uh", "er", "ah", "erm", "hmm", "mm"})

# One word to one or more words.
WORD_MAP: dict[str, str] = {
    "mr": "mister", "mrs": "missus", "dr": "doctor", "st": "saint", "vs": "versus",
    "ok": "okay", "alright": "all right", "yknow": "you know", "y'know": "you know",
    "umm": "um", "ummm": "um", "uhh": "uh", "uhhh": "uh", "hm": "hmm", "hmmm": "hmm",
    "mmm": "mm", "errm": "erm", "ahh": "ah",
}

_MARKUP = re.compile(r"<[^>]*>|\[[^\]]*\]")
_CURRENCY = {"$": "dollars", "£": "pounds", "€": "euros"}
_NUMBER = re.compile(
    r"(?P<cur>[$£€])?(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)(?P<suf>st|nd|rd|th|%)?(?![\w])")


def _spell(num: str, ordinal: bool) -> str:
    num = num.replace(",", "")
    if "." in num:
        whole, frac = num.split(".", 1)
        words = num2words(int(whole)) + " point " + " ".join(num2words(int(d)) for d in frac)
    else:
        words = num2words(int(num), to="ordinal" if ordinal else "cardinal")
    return " ".join(w for w in re.split(r"[\s,-]+", words) if w and w != "and")


def _number(m: re.Match[str]) -> str:
    suf = m.group("suf") or ""
    words = _spell(m.group("num"), ordinal=suf in ("st", "nd", "rd", "th"))
    if suf == "%":
        words += " percent"
    if m.group("cur"):
        words += " " + _CURRENCY[m.group("cur")]
    return f" {words} "


FILLERS_PT: frozenset[str] = frozenset({"hum", "hã", "ah", "eh", "ahn", "uhm"})
WORD_MAP_PT: dict[str, str] = {"hmm": "hum", "humm": "hum", "hummm": "hum", "ãh": "hã", "hãã": "hã", "ahh": "ah",
                               "éé": "é", "ééé": "é", "uhum": "uhm"}
_NUMBER_PT = re.compile(r"(?P<num>\d+(?:\.\d{3})*(?:,\d+)?)(?P<suf>[ºª°]|%)?(?![\w])")


def _number_pt(m: re.Match[str]) -> str:
    num, suf = m.group("num").replace(".", ""), m.group("suf") or ""
    if "," in num:
        whole, frac = num.split(",", 1)
        words = num2words(int(whole), lang="pt_BR") + " vírgula " + \
            " ".join(num2words(int(d), lang="pt_BR") for d in frac)
    else:
        words = num2words(int(num), lang="pt_BR", to="ordinal" if suf in ("º", "ª", "°") else "cardinal")
    if suf == "%":
        words += " por cento"
    return " " + " ".join(re.split(r"[\s,-]+", words)) + " "


def _normalise_pt(text: str) -> list[str]:
    t = _MARKUP.sub(" ", text)
    t = t.lower().replace("\u2019", "'").replace("\u2018", "'")
    t = _NUMBER_PT.sub(_number_pt, t)
    t = t.replace("%", " por cento ")
    t = re.sub(r"[^a-z0-9à-öø-ÿ' ]+", " ", t)
    words: list[str] = []
    for w in t.split():
        w = w.strip("'")
        if w:
            words.extend(WORD_MAP_PT.get(w, w).split())
    return words


def normalise(text: str, lang: str = "en") -> list[str]:
    """The words of ``text``, normalised (``lang``: "en" or "pt")."""
    if lang == "pt":
        return _normalise_pt(text)
    t = _MARKUP.sub(" ", text)
    t = t.lower().replace("\u2019", "'").replace("\u2018", "'")
    t = _NUMBER.sub(_number, t)
    t = t.replace("%", " percent ")
    t = re.sub(r"[^a-z0-9' ]+", " ", t)
    words: list[str] = []
    for w in t.split():
        w = w.strip("'")
        if not w:
            continue
        words.extend(WORD_MAP.get(w, w).split())
    return words


def is_filler(word: str) -> bool:
    return word in FILLERS


def is_filler_pt(word: str) -> bool:
    """Brazilian fillers; "é" is left out: it is also the verb (is)."""
    return word in FILLERS_PT
