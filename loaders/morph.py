"""One pymorphy3 analyser per process, and cached lemma look-ups shared by the resolvers.

The analyser is created on first use, so importing this module costs nothing.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pymorphy3 import MorphAnalyzer

_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


@lru_cache(maxsize=1)
def analyzer() -> MorphAnalyzer:
    """The process-wide analyser (loading takes ~0.1 s and ~15 MB, so only once)."""
    from pymorphy3 import MorphAnalyzer

    return MorphAnalyzer()


def is_cyrillic(word: str) -> bool:
    return bool(_CYRILLIC.search(word))


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The first parse's normal form, lower-cased, ё→е (the identity rule of shared/schema.md).

    >>> lemma("Кластера")
    'кластер'
    """
    low = word.lower().replace("ё", "е")
    if not is_cyrillic(low):
        return low
    parses = analyzer().parse(low)
    best = parses[0]
    if "Poss" in best.tag or ("plur" in best.tag and ({"Name", "Geox"} & best.tag.grammemes)):
        # "Владимиров" reads first as the plural of "Владимир", while "Владимирова" reads as the
        # surname: prefer the surname so every case of a name has one key.
        best = next((p for p in parses if "Surn" in p.tag), best)
    return best.normal_form.replace("ё", "е")


@lru_cache(maxsize=200_000)
def lemma_adj_first(word: str) -> str:
    """Lemma preferring an adjective reading, then a noun one.

    Region names are adjective + generic noun ("Тульской области"); preferring the
    adjective parse makes every case of "Тульская" land on "тульский" even where the
    first parse would be a rare noun or surname reading.
    """
    low = word.lower().replace("ё", "е")
    if not is_cyrillic(low):
        return low
    parses = analyzer().parse(low)
    for pos in ("ADJF", "NOUN"):
        for p in parses:
            if p.tag.POS == pos:
                return p.normal_form.replace("ё", "е")
    return parses[0].normal_form.replace("ё", "е")


@lru_cache(maxsize=200_000)
def lemma_set(word: str) -> frozenset[str]:
    """The word as written (lower-cased, ё→е) and every normal form pymorphy3 offers for it.

    Two forms of one name share at least one member even when the analyser guesses the
    nominative wrongly ("Ростех" parses only as "ростёха"; "Ростеха" also as "ростех").
    """
    low = word.lower().replace("ё", "е")
    if not is_cyrillic(low):
        return frozenset((low,))
    return frozenset({low} | {p.normal_form.replace("ё", "е") for p in analyzer().parse(low)})
