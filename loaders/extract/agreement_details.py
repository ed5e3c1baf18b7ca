"""An agreement's date and place, read from the sentences that report it (either language).

The date is a full date in one of those sentences ("on 5 September 2023"), a day and month there
completed with the document's year ("on September 5"), else the document's date unless the sentence
names another year ("signed in 2019"). The place is the event it was signed at ("at the St.
Petersburg International Economic Forum", «на форуме «Белгородская неделя АПК»») else the
capitalised place it was signed in ("in Tyumen", «в Махачкале»). Patterns live in
`loaders/patterns/agreement_details.yaml`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from loaders.dates import parse_date
from loaders.exchange import Exchange

PATTERNS = Path(__file__).resolve().parent.parent / "patterns" / "agreement_details.yaml"


@lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    data = yaml.safe_load(PATTERNS.read_text(encoding="utf-8"))
    months = {str(k).lower(): int(v) for k, v in data["months"].items()}
    names = "|".join(sorted(map(re.escape, months), key=len, reverse=True))
    no_year = r"(?!\s*,?\s*\d{4})"
    return {
        "months": months,
        "day_month": [
            re.compile(rf"(?<!\w)(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{names})\b{no_year}", re.IGNORECASE),
            re.compile(rf"(?<!\w)(?P<m>{names})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b{no_year}", re.IGNORECASE),
        ],
        "year": re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)"),
        "event": [re.compile(p) for p in data["event"]],
        "place": [re.compile(p) for p in data["place"]],
        "not_places": {w.lower() for w in data["not_places"]},
    }


def _date(sentences: list[str], doc_date: str | None) -> str | None:
    r = _rules()
    for s in sentences:
        if full := parse_date(s):
            return full
    year = doc_date[:4] if doc_date else None
    for s in sentences:
        for rx in r["day_month"]:
            if (m := rx.search(s)) and year:
                month = r["months"][m.group("m").lower().rstrip(".")]
                day = int(m.group("d"))
                if 1 <= day <= 31:
                    return f"{year}-{month:02d}-{day:02d}"
    if any(y != year for s in sentences for y in r["year"].findall(s)):
        return None  # "was signed in 2019": another year than the article's
    return doc_date


def _place(sentences: list[str]) -> str | None:
    from loaders.normalize import nominative_ru

    r = _rules()
    for group in ("event", "place"):
        for s in sentences:
            for rx in r[group]:
                for m in rx.finditer(s):
                    name = " ".join(m.group("name").split()).strip(" ,")
                    if not name or name.split()[0].lower() in r["not_places"] or name.lower() in r["not_places"]:
                        continue
                    if m.groupdict().get("ru") is not None:
                        name = nominative_ru(name)
                        name = name[:1].upper() + name[1:]
                    return name
    return None


def fill(ex: Exchange, doc_date: str | None) -> None:
    """Set `date` and `place` of every Agreement that lacks them, from its relations' evidence."""
    for e in ex.entities:
        if e.label != "Agreement":
            continue
        sentences = list(
            dict.fromkeys(ev.text for r in ex.relations if e.key in (r.from_, r.to) for ev in r.evidence)
        )
        if not e.props.get("date") and (date := _date(sentences, doc_date)):
            e.props["date"] = date
        if not e.props.get("place") and (place := _place(sentences)):
            e.props["place"] = place
