"""Language of a text by script: Cyrillic letters mean Russian, Latin letters English; no model, fast.

Klaster reads English and Russian news only, so counting letters per script is enough to route a
paragraph to the right extractor. A paragraph with too few letters to judge (a date line, "×")
takes the language of its document.

>>> detect("Тульская область и АО «Арнест»")
'ru'
>>> detect("JSC Arnest became the anchor of the cluster")
'en'
>>> detect("10.06.2024")
'other'
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from loaders.encoding import ranges_where

LANGS: tuple[str, ...] = ("en", "ru", "other")
# Below this many letters a paragraph says nothing reliable about its language.
MIN_LETTERS = 8
# Share of one script among all letters needed to call a text Russian or English outright.
DOMINANT_SHARE = 0.5


def _class_where(test: Callable[[str], bool], start: int, stop: int) -> str:
    """A regex character class of the code points in [start, stop) for which `test` holds."""
    return f"[{ranges_where(test, stop, start)}]+"


# Counting letters with regexes instead of a per-character loop; the classes are the letters
# (str.isalpha) of each range exactly, built once by testing every code point of the range.
_CYRILLIC = re.compile(_class_where(str.isalpha, 0x0400, 0x0530))
_LATIN = re.compile(_class_where(str.isalpha, 0, 0x0250))  # Basic Latin, Latin-1, Latin extended A/B
# Everything outside both ranges except general punctuation (dashes, quotes: never letters, which
# tests/test_readers.py checks); its letters are counted one by one, as they are rare in our news.
_ELSEWHERE = re.compile("[\u0250-\u03ff\u0530-\u1fff\u2065-\U0010ffff]+")


def script_counts(text: str) -> tuple[int, int, int]:
    """Counts of (Cyrillic, Latin, other-script) letters in `text`."""
    cyr = sum(map(len, _CYRILLIC.findall(text)))
    lat = sum(map(len, _LATIN.findall(text)))
    other = sum(1 for run in _ELSEWHERE.findall(text) for ch in run if ch.isalpha())
    return cyr, lat, other


def _decide(cyr: int, lat: int, other: int) -> str:
    total = cyr + lat + other
    if total == 0:
        return "other"
    if cyr / total >= DOMINANT_SHARE and cyr >= lat:
        return "ru"
    if lat / total >= DOMINANT_SHARE:
        return "en"
    return "other"


def detect(text: str) -> str:
    """"en", "ru" or "other" for one text (a paragraph or a whole document)."""
    cyr, lat, other = script_counts(text)
    if cyr + lat + other < 1:
        return "other"
    return _decide(cyr, lat, other)


def detect_document(paragraphs: Sequence[str]) -> tuple[str, list[str]]:
    """The document's main language ("en" or "ru") and one language per paragraph.

    The main language is decided by letters over all paragraphs, so a long English article with a
    Russian footer stays English while its footer paragraphs are tagged "ru". Paragraphs too short
    to judge inherit the main language.
    """
    counts = [script_counts(p) for p in paragraphs]
    cyr = sum(c[0] for c in counts)
    lat = sum(c[1] for c in counts)
    main = "ru" if cyr > lat else "en"
    langs = [main if sum(c) < MIN_LETTERS else _decide(*c) for c in counts]
    return main, langs
