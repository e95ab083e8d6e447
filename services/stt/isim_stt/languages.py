"""The languages Whisper knows, by code, and reading a request's language tag."""
from __future__ import annotations

import re

# Whisper's 100 languages: code and English name (tests/test_units.py checks
# the codes against faster-whisper's own list). Codes are ISO 639-1 where one
# exists; "haw" and "yue" have none, "jw" is Whisper's spelling of Javanese.
_TABLE = (
    "af Afrikaans|am Amharic|ar Arabic|as Assamese|az Azerbaijani|ba Bashkir|be Belarusian|bg Bulgarian|"
    "bn Bengali|bo Tibetan|br Breton|bs Bosnian|ca Catalan|cs Czech|cy Welsh|da Danish|de German|el Greek|"
    "en English|es Spanish|et Estonian|eu Basque|fa Persian|fi Finnish|fo Faroese|fr French|gl Galician|"
    "gu Gujarati|ha Hausa|haw Hawaiian|he Hebrew|hi Hindi|hr Croatian|ht Haitian Creole|hu Hungarian|"
    "hy Armenian|id Indonesian|is Icelandic|it Italian|ja Japanese|jw Javanese|ka Georgian|kk Kazakh|"
    "km Khmer|kn Kannada|ko Korean|la Latin|lb Luxembourgish|ln Lingala|lo Lao|lt Lithuanian|lv Latvian|"
    "mg Malagasy|mi Maori|mk Macedonian|ml Malayalam|mn Mongolian|mr Marathi|ms Malay|mt Maltese|"
    "my Burmese|ne Nepali|nl Dutch|nn Norwegian Nynorsk|no Norwegian|oc Occitan|pa Punjabi|pl Polish|"
    "ps Pashto|pt Portuguese|ro Romanian|ru Russian|sa Sanskrit|sd Sindhi|si Sinhala|sk Slovak|"
    "sl Slovenian|sn Shona|so Somali|sq Albanian|sr Serbian|su Sundanese|sv Swedish|sw Swahili|ta Tamil|"
    "te Telugu|tg Tajik|th Thai|tk Turkmen|tl Tagalog|tr Turkish|tt Tatar|uk Ukrainian|ur Urdu|uz Uzbek|"
    "vi Vietnamese|yi Yiddish|yo Yoruba|zh Chinese|yue Cantonese")
NAMES: dict[str, str] = dict(entry.split(" ", 1) for entry in _TABLE.split("|"))

AUTO = "auto"
# A BCP 47 style tag: a primary language subtag, then optional subtags
# (region, script, ...): "pt", "pt-BR", "en-US", "zh-Hant-TW".
_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")


class LanguageError(ValueError):
    """The tag is not a language Whisper knows; the message says why."""


def name(code: str) -> str:
    return f"{NAMES.get(code, code)} ({code})"


def parse(tag: str | None) -> str | None:
    """The Whisper language code for a request's tag, or None to detect it
    (no tag, an empty one, or "auto"). "pt-BR" and "pt_BR" are "pt"."""
    tag = (tag or "").strip()
    if not tag or tag.lower() == AUTO:
        return None
    m = _TAG.match(tag)
    if not m:
        raise LanguageError(f"language {tag!r} is not a language tag: send an ISO 639-1 code such as en or pt, "
                            f"a tag such as pt-BR, or auto")
    code = m.group(1).lower()
    if code not in NAMES:
        raise LanguageError(f"language {tag!r} is not one the speech models know ({code!r} is not among "
                            f"Whisper's {len(NAMES)} languages)")
    return code
