"""Russian NLP resources loaded once per process: natasha NER, pymorphy3, the YAML vocabularies.

Every loader here is a cached zero-argument function, so importing this module costs nothing and
the first document pays the model load (~1 s) once.
"""
from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

PATTERNS = Path(__file__).resolve().parent.parent / "patterns" / "ru"


@cache
def vocab(name: str) -> dict[str, Any]:
    """The YAML vocabulary `loaders/patterns/ru/<name>.yaml`."""
    return yaml.safe_load((PATTERNS / f"{name}.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def natasha_models() -> tuple[Any, Any]:
    """(Segmenter, NewsNERTagger): the only statistical step of Russian extraction."""
    from natasha import NewsEmbedding, NewsNERTagger, Segmenter

    return Segmenter(), NewsNERTagger(NewsEmbedding())


@lru_cache(maxsize=1)
def morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=200_000)
def parses(word: str) -> tuple[Any, ...]:
    """pymorphy3 parses of a word (cached: news repeats its words, parsing is the hot path)."""
    return tuple(morph().parse(word))


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The most likely normal form, lower-case, ё as е."""
    p = parses(word)
    return (p[0].normal_form if p else word.lower()).replace("ё", "е")


def has_case(word: str, case: str, pos: frozenset[str] | None = None) -> bool:
    """Whether some parse of `word` is in grammatical `case` (and, if given, one of parts of speech `pos`)."""
    for p in parses(word):
        if case in p.tag and (pos is None or p.tag.POS in pos):
            return True
    return False


def is_pos(word: str, pos: frozenset[str]) -> bool:
    p = parses(word)
    return bool(p) and p[0].tag.POS in pos


def _match_case(word: str, source: str) -> str:
    if source.isupper() and len(source) > 1:
        return word.upper()
    if source[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


@lru_cache(maxsize=200_000)
def inflect_nomn(word: str, want_pos: frozenset[str] | None = None, gender: str | None = None,
                 number: str | None = None) -> str:
    """`word` in the nominative, keeping its number (or `number`) and written case; unchanged if unknown."""
    if not any(ch.isalpha() for ch in word) or word.isupper():
        return word
    cands = [p for p in parses(word) if want_pos is None or p.tag.POS in want_pos]
    if not cands:
        return word
    # Prefer a parse that is not already nominative only when the word is oblique in all readings.
    best = cands[0]
    num = number or best.tag.number or "sing"
    grams = {"nomn", num}
    if gender and num == "sing" and best.tag.POS in {"ADJF", "PRTF"}:
        grams.add(gender)
    form = best.inflect(grams) or best.inflect({"nomn"})
    if form is None:
        return word
    return _match_case(form.word, word)


def person_nominative(tokens: list[str]) -> str:
    """A person's name in the nominative, as its given name shows the case.

    >>> person_nominative(["Дмитрием", "Прониным"]), person_nominative(["Алексей", "Сагал"])
    ('Дмитрий Пронин', 'Алексей Сагал')
    """
    return _person_nominative(tuple(tokens))


@lru_cache(maxsize=50_000)
def _person_nominative(tokens: tuple[str, ...]) -> str:
    """A person's name (given name, patronymic, surname) in the nominative: 'Дмитрием Прониным' -> 'Дмитрий Пронин'."""
    gender = None
    given: list = []
    for t in tokens:
        given = [p for p in parses(t) if "Name" in p.tag]
        if given:
            gender = given[0].tag.gender
            break
    # the given name tells the case of the whole name: "Махмуд-Али Калиматов" (no known given name) and
    # "Дмитрий Пронин" stay as written; only "Дмитрием Прониным" is inflected
    if not given or "nomn" in given[0].tag:  # the most likely reading ("Дмитрия" is rarely a woman's name)
        return " ".join(tokens)
    out = []
    for t in tokens:
        if not t[:1].isupper() or not any("а" <= c.lower() <= "я" or c.lower() == "ё" for c in t):
            out.append(t)
            continue
        cands = [p for p in parses(t) if {"Name", "Surn", "Patr"} & set(p.tag.grammemes)]
        if gender:
            fitting = [p for p in cands if p.tag.gender is None or p.tag.gender == gender]
            if not fitting and any("nomn" in p.tag and p.tag.number == "sing" for p in parses(t)):
                out.append(t)  # an unknown surname that may well be nominative already ("Сагал")
                continue
            cands = fitting or cands
        # already nominative in some reading of the right gender: keep ("Владимиров", "Сагал")
        if not cands or any("nomn" in p.tag and p.tag.number != "plur" for p in cands):
            out.append(t)
            continue
        grams = {"nomn", "sing"}
        if gender and "Surn" in cands[0].tag:
            grams.add(gender)
        form = cands[0].inflect(grams) or cands[0].inflect({"nomn"})
        out.append(_match_case(form.word, t) if form else t)
    return " ".join(out)
