"""Finds an article's publication date in its first lines and writes it as ISO 8601.

Accepted shapes: "2024-06-10", "10.06.2024", "June 10, 2024", "10 June 2024", "10 июня 2024 г.".
A date needs a day, a month and a year: "In 2024" or "On July 3" are not publication dates.
Month names live in `loaders/gazetteer/dates.yaml`.

>>> find_date(["Headline", "10.06.2024", "Text"])
'2024-06-10'
>>> find_date(["В Туле 10 июня 2024 года открыли завод"])
'2024-06-10'
>>> find_date(["On July 3, a meeting was held", "Sochi-2018"]) is None
True
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DATES_FILE = Path(__file__).parent / "gazetteer" / "dates.yaml"
# A dateline holds a date and little else: "Опубликовано 10.06.2024, 12:30".
DATELINE_EXTRA_CHARS = 30
# Every accepted shape has a four-digit year; a text without four digits in a row skips the patterns.
_YEAR_DIGITS = re.compile(r"\d{4}")


@dataclass(frozen=True)
class _DateRules:
    months: dict[str, int]
    year_min: int
    year_max: int
    search_paragraphs: int
    patterns: tuple[tuple[re.Pattern[str], str], ...]  # (regex, order of groups: "ymd", "dmy", "mdy")


@lru_cache(maxsize=1)
def _rules() -> _DateRules:
    data = yaml.safe_load(DATES_FILE.read_text(encoding="utf-8"))
    months = {str(k).lower(): int(v) for k, v in data["months"].items()}
    names = "|".join(sorted(map(re.escape, months), key=len, reverse=True))
    initials = "".join(sorted({re.escape(name[0]) for name in months}))
    patterns = (
        (re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)"), "ymd"),
        (re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d.]\d)"), "dmy"),
        (re.compile(rf"(?<![\w])(\d{{1,2}})(?:st|nd|rd|th)?\s+({names})\.?,?\s+(\d{{4}})(?!\d)", re.IGNORECASE), "dmy"),
        # the lookahead on initials only lets the slow alternation of names start where one can match
        (re.compile(rf"(?<![\w])(?=[{initials}])({names})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)",
                    re.IGNORECASE), "mdy"),
    )
    return _DateRules(months, int(data["year_min"]), int(data["year_max"]),
                      int(data["search_paragraphs"]), patterns)


def _month(token: str, rules: _DateRules) -> int | None:
    if token.isdigit():
        return int(token)
    return rules.months.get(token.lower().rstrip("."))


def parse_date(text: str) -> str | None:
    """The first valid date in `text` as "YYYY-MM-DD", or None."""
    found = _find(text)
    return found[0] if found else None


def _find(text: str) -> tuple[str, int] | None:
    """The first valid date in `text` and the length of its match."""
    if not _YEAR_DIGITS.search(text):
        return None
    rules = _rules()
    found: list[tuple[int, str, int]] = []
    for regex, order in rules.patterns:
        for m in regex.finditer(text):
            parts = dict(zip(order, m.groups()))
            month = _month(parts["m"], rules)
            try:
                date = dt.date(int(parts["y"]), month or 0, int(parts["d"]))
            except ValueError:
                continue
            if rules.year_min <= date.year <= rules.year_max:
                found.append((m.start(), date.isoformat(), m.end() - m.start()))
                break
    if not found:
        return None
    _, iso, size = min(found)
    return iso, size


def find_date(paragraphs: Sequence[str]) -> str | None:
    """The publication date near the top of an article: a dateline first, else the earliest date."""
    head = [p for p in paragraphs[: _rules().search_paragraphs] if p.strip()]
    seen: list[tuple[str, int] | None] = []  # each paragraph is searched once for both passes
    for para in head:  # a line that is little more than a date is the dateline
        seen.append(found := _find(para))
        if found and len(para.strip()) - found[1] <= DATELINE_EXTRA_CHARS:
            return found[0]
    for found in seen:
        if found:
            return found[0]
    return None
