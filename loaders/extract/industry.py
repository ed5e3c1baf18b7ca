"""A cluster's industry as one word group of a fixed list, read from its names in either language.

Described clusters otherwise carry the words of their description ("oil gas equipment manufacturers")
or nothing (Russian); a fixed list lets the graph group clusters by industry across languages.
Rows live in `loaders/patterns/industries.yaml`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from loaders.exchange import Exchange

PATTERNS = Path(__file__).resolve().parent.parent / "patterns" / "industries.yaml"


@lru_cache(maxsize=1)
def _rows() -> tuple[tuple[str, re.Pattern[str]], ...]:
    rows = yaml.safe_load(PATTERNS.read_text(encoding="utf-8"))["industries"]
    return tuple(
        (r["industry"], re.compile(r"(?<![\w])(?:" + "|".join(re.escape(s) for s in r["stems"]) + ")"))
        for r in rows
    )


def industry_of(names: list[str]) -> str | None:
    """The first listed industry a word of these names starts ('Irkutsk Aviation Cluster' -> 'aerospace')."""
    text = " | ".join(n.lower().replace("ё", "е") for n in names)
    for industry, rx in _rows():
        if rx.search(text):
            return industry
    return None


def fill(ex: Exchange) -> None:
    """Set every Cluster's `industry` to the listed industry its names tell, when they tell one."""
    for e in ex.entities:
        if e.label == "Cluster" and (industry := industry_of([e.name, *e.aliases, e.props.get("industry") or ""])):
            e.props["industry"] = industry
