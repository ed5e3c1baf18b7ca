"""A gazetteer of well-known Russian federal and national organisations, matched in any case and language.

The data is `loaders/gazetteer/organizations.yaml`; names are compared as pymorphy3 lemmas,
so "Минпромторгом России" finds the Ministry of Industry and Trade:

>>> lookup("Минпромторгом России").name
'Ministry of Industry and Trade of Russia'
>>> lookup("Фонд развития промышленности Тульской области") is None  # a regional namesake
True
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from loaders.morph import is_cyrillic, lemma_set
from loaders.regions import inside_hyphenated

GAZETTEER = Path(__file__).parent / "gazetteer" / "organizations.yaml"

# Kinds whose names regions reuse for their own bodies ("Министерство промышленности Тульской области").
_REGIONAL_NAMESAKES = {"ministry", "government", "fund", "association"}
_REGIONAL_WORDS = {"региональный", "областной", "краевой", "республиканский", "муниципальный", "городской",
                   "regional", "local", "municipal", "city", "oblast", "provincial"}
# "... of the region", "министерство ... региона": a regional body named without its region
_REGION_NOUNS = {"регион", "область", "край", "республика", "субъект", "округ", "город",
                 "region", "oblast", "krai", "republic", "province", "territory", "city"}


@dataclass(frozen=True)
class OrgRecord:
    id: str
    label: str
    kind: str
    name: str
    name_ru: str
    variants: tuple[str, ...]
    region: str | None = None  # ISO code, for organisations that are in one region (SEZs, universities)
    aliases: tuple[str, ...] = ()  # the names as the data file lists them, without generated forms


@dataclass(frozen=True)
class OrgMatch:
    start: int
    end: int
    record: OrgRecord
    surface: str


_TOKEN = re.compile(r"[^\W_]+")
_BREAK = re.compile(r"[()\[\]{};:!?]")  # a name never runs across these
_Tok = tuple[int, int, frozenset[str], bool]  # start, end, forms, follows a break


def _forms(text: str, m: re.Match[str]) -> frozenset[str] | None:
    """The forms a token may match: abbreviations as written ("МЭР" is the ministry, "мэр" a
    mayor), Russian words by any of their lemmas, Latin words case-folded."""
    w = m.group()
    if w.isupper() and len(w) > 1:
        return frozenset((w.replace("Ё", "Е"),))
    if is_cyrillic(w):
        if text[m.end():m.end() + 1] == "-":  # "Торгово-промышленная": only the last part inflects
            return frozenset((w.lower().replace("ё", "е"),))
        return lemma_set(w)
    low = w.lower()
    return None if low == "the" else frozenset((low,))


def _tokens(text: str) -> list[_Tok]:
    latin = not is_cyrillic(text)
    out: list[_Tok] = []
    last = 0
    for m in _TOKEN.finditer(text):
        if latin:  # `_forms` without the Cyrillic branch (most English sentences)
            w = m.group()
            low = w.lower()
            f = frozenset((w,)) if len(w) > 1 and w.isupper() else None if low == "the" else frozenset((low,))
        else:
            f = _forms(text, m)
        if f is not None:
            out.append((m.start(), m.end(), f, bool(_BREAK.search(text, last, m.start()))))
            last = m.end()
    return out


@lru_cache(maxsize=1)
def _data() -> dict:
    return yaml.safe_load(GAZETTEER.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def all_organizations() -> list[OrgRecord]:
    """Every organisation in the gazetteer, with the country-suffixed forms of national names."""
    d = _data()
    nat = d.get("national") or {}
    patterns = d.get("patterns") or {}
    out = []
    for o in d["organizations"]:
        ven = list(o.get("variants", {}).get("en") or [])
        vru = list(o.get("variants", {}).get("ru") or [])
        listed = ven + vru
        name, name_ru = o.get("name"), o.get("nameRu")
        if "short" in o:  # an SEZ or technopark: its names are spelled out from the patterns
            pat, short = patterns[o["kind"]], o["short"]
            name = name or pat["name"]["en"].format(**short)
            name_ru = name_ru or pat["name"]["ru"].format(**short)
            ven += [p.format(**short) for p in pat["en"]]
            vru += [p.format(**short) for p in pat["ru"]]
        ven.insert(0, name)
        vru.insert(0, name_ru)
        if o.get("national"):
            en, ru = nat.get("en", {}), nat.get("ru", {})
            ven += [f"{p} {v}" for v in list(ven) for p in en.get("prefixes", [])]
            ven += [f"{v} {s}" for v in list(ven) for s in en.get("suffixes", [])]
            vru += [f"{v} {s}" for v in list(vru) for s in ru.get("suffixes", [])]
        out.append(OrgRecord(id=o["id"], label=o["label"], kind=o["kind"], name=name, name_ru=name_ru,
                             variants=tuple(dict.fromkeys(ven + vru)), region=o.get("region"),
                             aliases=tuple(dict.fromkeys(v for v in [name, name_ru, *listed]))))
    return out


class OrgIndex:
    """Variants as sequences of form sets, indexed by every form of their first word; a text
    token matches a variant token when their form sets intersect. Longest match first."""

    def __init__(self, records: list[OrgRecord]) -> None:
        from loaders.normalize import split_legal_form

        self._first: dict[str, list[tuple[tuple[frozenset[str], ...], OrgRecord]]] = {}
        seen: set[tuple[frozenset[str], ...]] = set()
        for r in records:
            for v in r.variants:
                # the legal form is not part of the name: "ПАО «Газпром»" is indexed as "Газпром"
                key = tuple(t[2] for t in _tokens(split_legal_form(v)[0]))
                if not key or key in seen:
                    continue
                seen.add(key)
                for f in key[0]:
                    self._first.setdefault(f, []).append((key, r))
        for lst in self._first.values():
            lst.sort(key=lambda kr: -len(kr[0]))  # longest first; file order among equals

    def _match_at(self, toks: list[_Tok], i: int, whole: bool = False) -> tuple[int, OrgRecord] | None:
        best: tuple[int, OrgRecord] | None = None
        for f in toks[i][2]:
            for key, r in self._first.get(f, ()):
                n = len(key)
                if best and n <= best[0]:
                    break
                if i + n > len(toks) or (whole and i + n != len(toks)):
                    continue
                if all(key[j] & toks[i + j][2] and (j == 0 or not toks[i + j][3]) for j in range(n)):
                    best = (n, r)
                    break
        return best

    def lookup(self, name: str) -> OrgRecord | None:
        """The organisation a whole name denotes (any language and case, legal form and quotes
        allowed), or None."""
        from loaders.normalize import split_legal_form

        for cand in (name, split_legal_form(name)[0]):
            toks = _tokens(cand)
            if toks and (hit := self._match_at(toks, 0, whole=True)):
                return hit[1]
        return None

    def find(self, text: str, lang: str | None = None, regions: list | None = None) -> list[OrgMatch]:  # type: ignore[type-arg]
        """Every mention of a gazetteer organisation in `text`, in order, without overlaps.
        `lang` is advisory: each word is handled by its script. `regions`: the region resolver's
        matches in `text` when the caller has them already (saves a second look-up)."""
        toks = _tokens(text)
        out: list[OrgMatch] = []
        if regions is not None:
            regions = [m for m in regions if m.via == "name"]
        first = self._first
        i = 0
        while i < len(toks):
            if not any(f in first for f in toks[i][2]):  # cheap test before the full match
                i += 1
                continue
            hit = self._match_at(toks, i)
            if not hit:
                i += 1
                continue
            n, r = hit
            s, e = toks[i][0], toks[i + n - 1][1]
            e = _close_quotes(text, s, e)
            if inside_hyphenated(text, s, e):
                i += 1  # "Rosatom" in "Rosatom-Service" is another company's name
                continue
            if r.kind in _REGIONAL_NAMESAKES:
                if regions is None:
                    from loaders.regions import get_resolver

                    regions = [m for m in get_resolver().find(text, lang) if m.via == "name"]
                after = [t[2] for t in toks[i + n:i + n + 2] if t[2] != frozenset(("of",))][:1]
                if (i > 0 and toks[i - 1][2] & _REGIONAL_WORDS) or (after and after[0] & _REGION_NOUNS) \
                        or _next_to_region(text, s, e, regions) or _named_before(text, toks, i):
                    i += n
                    continue
            out.append(OrgMatch(s, e, r, text[s:e]))
            i += n
        return out


def _close_quotes(text: str, s: int, e: int) -> int:
    """Take in the closing quote of a quoted name the match ends inside ("ОЭЗ «Калуга»")."""
    span = text[s:e]
    for o, c in (("«", "»"), ("“", "”"), ("„", "“")):
        if span.count(o) > span.count(c) and text[e:e + 1] == c:
            return e + 1
    if span.count('"') % 2 == 1 and text[e:e + 1] == '"':
        return e + 1
    return e


_OF_ANOTHER = re.compile(r"\s+of\s+(?:the\s+)?[A-Z]")
_NATIONAL_WORDS = frozenset({"russian", "russia", "russia's", "federal", "national", "state", "the", "new"})


def _named_before(text: str, toks: list[_Tok], i: int) -> bool:
    """A Latin capitalised word right before the match makes it a longer, regional name: "Lipetsk
    Industrial Development Fund" is not the federal fund ("Russian Industrial …" still is)."""
    if i == 0 or toks[i][3]:
        return False
    ps, pe = toks[i - 1][0], toks[i - 1][1]
    word = text[ps:pe]
    return (
        word[:1].isupper()
        and word.isascii()
        and not word.isupper()
        and not text[pe:toks[i][0]].strip()
        and word.lower() not in _NATIONAL_WORDS
    )


def _next_to_region(text: str, start: int, end: int, regions: list) -> bool:  # type: ignore[type-arg]
    """A region right after ("... Тульской области", "... of the Tula Region") or right
    before ("Tula Region's Industrial Development Fund"); or, in English, any other place after
    "of" ("Ministry of Finance of Belarus": "of Russia" would have been part of the match)."""
    if _OF_ANOTHER.match(text, end):
        return True
    for m in regions:
        if m.start >= end and re.fullmatch(r"\s*(?:of\s+(?:the\s+)?)?", text[end:m.start], re.IGNORECASE):
            return True
        if m.end <= start and re.fullmatch(r"(?:['’]s)?\s*", text[m.end:start]):
            return True
    return False


@lru_cache(maxsize=1)
def get_index() -> OrgIndex:
    """The process-wide index (built on first use)."""
    return OrgIndex(all_organizations())


def lookup(name: str) -> OrgRecord | None:
    """The gazetteer organisation a name denotes, or None."""
    return get_index().lookup(name)


def find(text: str, lang: str | None = None, regions: list | None = None) -> list[OrgMatch]:  # type: ignore[type-arg]
    """Every gazetteer organisation mentioned in `text` (`regions`: the resolver's matches in it, if known)."""
    return get_index().find(text, lang, regions)
