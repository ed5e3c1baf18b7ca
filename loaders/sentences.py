"""Sentence splitting for English and Russian paragraphs, with character offsets into the paragraph.

razdel does the splitting (it knows Russian abbreviations, initials and quotes); a small data list
(`loaders/gazetteer/sentence_abbreviations.yaml`) re-joins the English cases it splits too early
("St. Petersburg", "See Fig. 3", "Approx. 5").

>>> [s.text for s in split_sentences("Decree No. 1659 was signed. St. Petersburg agreed.", "en")]
['Decree No. 1659 was signed.', 'St. Petersburg agreed.']
>>> [s.text for s in split_sentences("А. С. Пушкин жил в г. Туле. Он писал.", "ru")]
['А. С. Пушкин жил в г. Туле.', 'Он писал.']
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

ABBREVIATIONS_FILE = Path(__file__).parent / "gazetteer" / "sentence_abbreviations.yaml"
_LAST_WORD = re.compile(r"(?:^|[\s(«\"“])([^\W\d_]{1,8})\.$")
_GOES_ON = re.compile(r"^[\s\"“«(]*[a-zа-яё\d]")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # offset of the first character in the paragraph
    end: int  # offset just past the last character


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[frozenset[str], frozenset[str]]:
    data = yaml.safe_load(ABBREVIATIONS_FILE.read_text(encoding="utf-8"))
    return frozenset(map(str, data["never_final"])), frozenset(map(str, data["maybe_final"]))


def _should_join(left: str, right: str) -> bool:
    """Whether razdel's break between `left` and `right` falls after an abbreviation, not a sentence."""
    m = _LAST_WORD.search(left)
    if m is None:
        return False
    word = m.group(1).lower()
    never, maybe = _abbreviations()
    if word in never:
        return True
    if word not in maybe:
        return False
    first = right.split(maxsplit=1)[0].rstrip(".,").lower() if right.strip() else ""
    return bool(_GOES_ON.match(right)) or first in maybe  # "Co. Ltd." is one name


def split_sentences(text: str, lang: str = "en") -> list[Sentence]:
    """The sentences of one paragraph; `text[s.start:s.end] == s.text` for every sentence.

    `lang` ("en" | "ru" | "other") is accepted for symmetry with the extractors; razdel's rules
    cover both languages, so it does not change the result today.
    """
    from razdel import sentenize

    spans: list[list[int]] = []
    for part in sentenize(text):
        if spans and _should_join(text[spans[-1][0]:spans[-1][1]], text[part.start:part.stop]):
            spans[-1][1] = part.stop
        else:
            spans.append([part.start, part.stop])
    return [Sentence(text[a:b], a, b) for a, b in spans if text[a:b].strip()]
