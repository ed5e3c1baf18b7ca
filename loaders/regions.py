"""The federal subjects of Russia: the gazetteer records, and a resolver from any mention to an ISO code.

The data is `loaders/gazetteer/regions.yaml`. The resolver lemmatises Russian words with
pymorphy3 (no hand-written case endings), so every case and number of a variant matches:

>>> get_resolver().resolve("Тульской области")
'RU-TUL'
>>> get_resolver().resolve("Tula") is None  # the city, not the region
True
>>> [m.iso for m in get_resolver().find("предприятия Тульской, Калужской и Самарской областей", "ru")]
['RU-TUL', 'RU-KLU', 'RU-SAM']
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal, TypeVar

import yaml

from loaders.morph import is_cyrillic, lemma_adj_first, lemma_set

_V = TypeVar("_V")

GAZETTEER = Path(__file__).parent / "gazetteer" / "regions.yaml"

RegionType = Literal["oblast", "krai", "republic", "autonomous_okrug", "autonomous_oblast", "federal_city"]


@dataclass(frozen=True)
class RegionRecord:
    iso: str
    name: str
    name_ru: str
    type: str
    federal_district: str
    disputed: bool
    variants: tuple[str, ...]
    adjective_ru: str | None = None
    adjective_en: str | None = None
    variants_en: tuple[str, ...] = ()
    variants_ru: tuple[str, ...] = ()
    capital_en: str | None = None
    capital_ru: str | None = None
    # further regional adjectives in use besides the one formed from the name ("кузбасский")
    other_adjectives: tuple[str, ...] = ()


@dataclass(frozen=True)
class RegionMatch:
    start: int
    end: int
    iso: str
    surface: str
    via: Literal["name", "adjective"]


@lru_cache(maxsize=1)
def all_regions() -> list[RegionRecord]:
    """Every federal subject in the gazetteer, in file order."""
    rows = yaml.safe_load(GAZETTEER.read_text(encoding="utf-8"))
    out = []
    for r in rows:
        ven = tuple(r["variants"].get("en") or ())
        vru = tuple(r["variants"].get("ru") or ())
        out.append(RegionRecord(
            iso=r["iso"], name=r["name"], name_ru=r["nameRu"], type=r["type"],
            federal_district=r["federalDistrict"], disputed=bool(r.get("disputed")),
            variants=tuple(dict.fromkeys(ven + vru)), adjective_ru=r.get("adjective_ru"),
            adjective_en=r.get("adjective_en"), variants_en=ven, variants_ru=vru,
            capital_en=(r.get("capital") or {}).get("en"), capital_ru=(r.get("capital") or {}).get("ru"),
            other_adjectives=tuple(r.get("other_adjectives") or ()),
        ))
    return out


@lru_cache(maxsize=1)
def _by_iso() -> dict[str, RegionRecord]:
    return {r.iso: r for r in all_regions()}


def region(iso: str) -> RegionRecord:
    """The record for an ISO code (KeyError if unknown)."""
    return _by_iso()[iso.upper()]


# --- tokens -------------------------------------------------------------------------------

# Words (hyphenated parts are separate tokens), list connectors, and sentence breakers.
_TOKEN = re.compile(r"[^\W\d_]+|[,;]|[.!?:](?!\d)")
_ABBREV_DOT = {"обл", "респ", "г", "st", "gov"}  # a dot after these is not a boundary


@dataclass(frozen=True)
class _Tok:
    start: int
    end: int
    norm: str
    word: bool


def _tokens(text: str) -> list[_Tok]:
    if not is_cyrillic(text):
        return _latin_tokens(text)
    out: list[_Tok] = []
    for m in _TOKEN.finditer(text):
        s = m.group()
        if s[0].isalpha():
            # Only the last part of a hyphenated Russian word inflects ("Карачаево-Черкесской").
            nxt = text[m.end():m.end() + 1]
            if is_cyrillic(s) and nxt not in ("-", "‑"):
                norm = lemma_adj_first(s)
            else:
                norm = s.lower().replace("ё", "е")
            out.append(_Tok(m.start(), m.end(), norm, True))
        elif s == "." and out and out[-1].word and out[-1].norm in _ABBREV_DOT:
            continue
        else:
            out.append(_Tok(m.start(), m.end(), s, False))
    return out


def _latin_tokens(text: str) -> list[_Tok]:
    """`_tokens` of a text without Cyrillic letters: no lemmas to look up (most English sentences)."""
    out: list[_Tok] = []
    for m in _TOKEN.finditer(text):
        s = m.group()
        if s[0].isalpha():
            out.append(_Tok(m.start(), m.end(), s.lower(), True))
        elif s == "." and out and out[-1].word and out[-1].norm in _ABBREV_DOT:
            continue
        else:
            out.append(_Tok(m.start(), m.end(), s, False))
    return out


# --- generic words ------------------------------------------------------------------------

# (normalised tokens) -> (class, plural). "region" is the wildcard class.
_GENERIC: dict[tuple[str, ...], tuple[str, bool]] = {}
for _words, _cls in [
    ("область", "oblast"), ("обл", "oblast"), ("край", "krai"), ("республика", "republic"),
    ("респ", "republic"), ("регион", "region"), ("округ", "autonomous_okrug"),
    ("автономный округ", "autonomous_okrug"), ("автономный область", "autonomous_oblast"),
    # the regional adjectives: "Тульская областная Дума", "Ставропольского краевого"
    ("областной", "oblast"), ("краевой", "krai"), ("региональный", "region"), ("республиканский", "republic"),
]:
    _GENERIC[tuple(_words.split())] = (_cls, True)  # Russian number is not checked (lemmas)
for _sg, _pl, _cls in [
    ("oblast", "oblasts", "oblast"), ("province", "provinces", "oblast"), ("region", "regions", "region"),
    ("krai", "krais", "krai"), ("kray", "krays", "krai"), ("territory", "territories", "krai"),
    ("republic", "republics", "republic"), ("okrug", "okrugs", "autonomous_okrug"),
    ("autonomous okrug", "autonomous okrugs", "autonomous_okrug"),
    ("autonomous district", "autonomous districts", "autonomous_okrug"),
    ("autonomous area", "autonomous areas", "autonomous_okrug"),
    ("autonomous oblast", "autonomous oblasts", "autonomous_oblast"),
    ("autonomous region", "autonomous regions", "autonomous_oblast"),
]:
    _GENERIC[tuple(_sg.split())] = (_cls, False)
    _GENERIC[tuple(_pl.split())] = (_cls, True)
# "the Tula regional government" = the government of Tula Oblast
_GENERIC[("regional",)] = ("region", False)
# "Ненецкий АО", "Khanty-Mansi AO": only after a name of an autonomous okrug or oblast, because
# "АО" is also the legal form ("тульское АО «Арнест»" names a company, not a region)
_GENERIC[("ао",)] = ("ao", True)
_GENERIC[("ao",)] = ("ao", False)
_GENERIC_MAX = max(len(k) for k in _GENERIC)
# adjectives follow the name, they never introduce it ("областной центр Тула" names no region)
_SUFFIX_ONLY = {("областной",), ("краевой",), ("региональный",), ("республиканский",), ("regional",),
                ("ао",), ("ao",)}
_GENERIC_FIRST = {k[0] for k in _GENERIC}

_FILLER = {"of", "the"}  # "Republic of Tatarstan", "the Kaluga Region"
_CONNECTORS = {",", "и", "and", "or", "или", "а", "также", "as", "well"}
_STOP = {"the", "in", "of", "в", "во", "на", "по", "г", "город", "city"}


def _generic_at(toks: list[_Tok], i: int) -> tuple[str, bool, int] | None:
    """(class, plural, end index) of a generic word starting at token i."""
    if i >= len(toks) or toks[i].norm not in _GENERIC_FIRST:
        return None
    for n in range(_GENERIC_MAX, 0, -1):
        seg = toks[i:i + n]
        if len(seg) == n and all(t.word for t in seg):
            g = _GENERIC.get(tuple(t.norm for t in seg))
            if g:
                return g[0], g[1], i + n
    return None


def _split_generic(norms: list[str]) -> tuple[tuple[str, ...], str | None]:
    """A variant's tokens -> (stem, class). Generic words at either end become the class."""
    words = [w for w in norms if w not in _FILLER]
    for n in range(_GENERIC_MAX, 0, -1):
        if len(words) > n and (g := _GENERIC.get(tuple(words[-n:]))):
            return tuple(words[:-n]), g[0]
        if len(words) > n and (g := _GENERIC.get(tuple(words[:n]))):
            return tuple(words[n:]), g[0]
    return tuple(words), None


# --- resolver -----------------------------------------------------------------------------

class RegionResolver:
    """An index of lemmatised variants, built once; `find` scans a sentence's tokens against it."""

    def __init__(self, records: list[RegionRecord]) -> None:
        # stem tokens -> {class or None (bare name allowed) -> iso}
        self._stems: dict[tuple[str, ...], dict[str | None, str]] = {}
        self._adjectives: dict[tuple[str, ...], str] = {}
        self._isos = {r.iso for r in records}
        for r in records:
            for v in r.variants:
                # A variant like "Khanty-Mansi Autonomous Okrug – Yugra": index each dash part.
                for part in re.split(r"\s[—–-]\s", v):
                    norms = [t.norm for t in _tokens(part) if t.word]
                    if not norms:
                        continue
                    stem, cls = _split_generic(norms)
                    if stem:
                        self._stems.setdefault(stem, {}).setdefault(cls, r.iso)
            for adj in (r.adjective_ru, r.adjective_en, *r.other_adjectives):
                if adj:
                    key = tuple(t.norm for t in _tokens(adj) if t.word)
                    self._adjectives.setdefault(key, r.iso)
                    # the adjective is also the stem of "<adjective> region/регион"
                    self._stems.setdefault(key, {}).setdefault("region", r.iso)
        self._stem_max = max(len(k) for k in self._stems)
        self._adj_max = max(len(k) for k in self._adjectives)
        # most tokens start no name at all: one set look-up rejects them
        self._stem_first = {k[0] for k in self._stems}
        self._capitals = {_city_key(c): r.iso for r in records for c in (r.capital_en, r.capital_ru) if c}
        self._adj_first = {k[0] for k in self._adjectives}

    # a stem with a generic class -> iso, or None when absent or ambiguous
    def _classed(self, entry: dict[str | None, str], cls: str) -> str | None:
        if cls in entry:
            return entry[cls]
        if cls == "ao":
            return entry.get("autonomous_okrug") or entry.get("autonomous_oblast")
        isos = {iso for c, iso in entry.items() if c is not None}
        return isos.pop() if len(isos) == 1 else None

    @staticmethod
    def _longest_at(toks: list[_Tok], i: int, table: dict[tuple[str, ...], _V], first: set[str],
                    longest: int) -> tuple[_V, int] | None:
        """The longest run of words from token i that is a key of `table`, and the index after it."""
        if i >= len(toks) or toks[i].norm not in first:
            return None
        for n in range(longest, 0, -1):
            seg = toks[i:i + n]
            if len(seg) == n and all(t.word for t in seg):
                value = table.get(tuple(t.norm for t in seg))
                if value:
                    return value, i + n
        return None

    def _stem_at(self, toks: list[_Tok], i: int) -> tuple[dict[str | None, str], int] | None:
        return self._longest_at(toks, i, self._stems, self._stem_first, self._stem_max)

    def _adjective_at(self, toks: list[_Tok], i: int) -> tuple[str, int] | None:
        return self._longest_at(toks, i, self._adjectives, self._adj_first, self._adj_max)

    def _skip_connectors(self, toks: list[_Tok], j: int) -> int:
        k = j
        while k < len(toks) and toks[k].norm in _CONNECTORS:
            k += 1
        return k

    def find(self, text: str, lang: str | None = None) -> list[RegionMatch]:
        """Every region mention in `text`, in order. `lang` is advisory: each word is
        handled by its script, so mixed-language text works."""
        toks = _tokens(text)
        out: list[RegionMatch] = []

        def emit(a: int, b: int, iso: str, via: Literal["name", "adjective"]) -> None:
            s, e = toks[a].start, toks[b - 1].end
            out.append(RegionMatch(s, e, iso, text[s:e], via))

        i = 0
        while i < len(toks):
            if not toks[i].word:
                i += 1
                continue
            # generic first: "Республика Татарстан", "Republic of Tatarstan"
            g = _generic_at(toks, i)
            if g and tuple(t.norm for t in toks[i:g[2]]) not in _SUFFIX_ONLY:
                j = g[2]
                while j < len(toks) and toks[j].norm in _FILLER:
                    j += 1
                st = self._stem_at(toks, j)
                if st and (iso := self._classed(st[0], g[0])):
                    emit(i, st[1], iso, "name")
                    i = st[1]
                    # a plural generic may introduce a list: "the regions of Tula, Kaluga and Samara"
                    while g[1] and (is_cyrillic(toks[g[2] - 1].norm) or toks[g[2] - 1].norm.endswith("s")):
                        k = self._skip_connectors(toks, i)
                        nxt = self._stem_at(toks, k) if k > i else None
                        # the same kind of name, and not the start of a name with its own generic word
                        if not nxt or g[0] not in nxt[0] or _generic_at(toks, nxt[1]):
                            break
                        iso = nxt[0][g[0]]
                        emit(k, nxt[1], iso, "name")
                        i = nxt[1]
                    continue
            st = self._stem_at(toks, i)
            if st:
                entry, e = st
                g = _generic_at(toks, e) if e < len(toks) else None
                if g and (iso := self._classed(entry, g[0])):
                    emit(i, g[2], iso, "name")
                    i = g[2]
                    continue
                chain = self._chain(toks, i)
                if chain:
                    for a, b, iso in chain:
                        emit(a, b, iso, "name")
                    i = chain[-1][1]
                    continue
                if None in entry:
                    emit(i, e, entry[None], "name")
                    i = e
                    continue
            adj = self._adjective_at(toks, i)
            if adj:
                emit(i, adj[1], adj[0], "adjective")
                i = adj[1]
                continue
            i += 1
        # a region inside a hyphenated company name stays: "СУЭК-Кузбасс" tells where the company is
        return _merge(out, text)

    def _chain(self, toks: list[_Tok], i: int) -> list[tuple[int, int, str]] | None:
        """A coordinated list sharing one generic word: "Тульской, Калужской и Самарской
        областей", "Kaluga and Tula regions". English needs the plural generic, so that
        "Moscow and Tula region" stays two different things."""
        items: list[tuple[int, int, dict[str | None, str]]] = []
        j = i
        while True:
            st = self._stem_at(toks, j)
            if not st:
                return None
            items.append((j, st[1], st[0]))
            k = self._skip_connectors(toks, st[1])
            g = _generic_at(toks, st[1]) if st[1] < len(toks) else None
            if g:
                break
            if k == st[1] or k >= len(toks):
                return None
            j = k
        cls, plural, gend = g
        if len(items) < 2:
            return None
        if not plural and not is_cyrillic(toks[st[1]].norm):
            return None
        out = []
        for n, (a, b, entry) in enumerate(items):
            iso = self._classed(entry, cls)
            if iso is None:
                return None
            out.append((a, gend if n == len(items) - 1 else b, iso))
        return out

    def resolve(self, mention: str, *, bare_stems: bool = False) -> str | None:
        """The ISO code a whole mention names, or None (a city, a person, several regions).

        `bare_stems=True` also accepts a name that needs its generic word in running text
        ("Tula", "Калуга"), for search boxes where the user means the region; still None when
        the stem is ambiguous ("Altai").
        """
        m = mention.strip()
        if m.upper() in self._isos:
            return m.upper()
        matches = self.find(m)
        if matches and len({x.iso for x in matches}) == 1 and all(
                not t.word or t.norm in _STOP or any(x.start <= t.start < x.end for x in matches)
                for t in _tokens(m)):
            return matches[0].iso
        if bare_stems:
            words = [t for t in _tokens(m) if t.word and t.norm not in _STOP]
            entry = self._stems.get(tuple(t.norm for t in words)) or {}
            isos = {iso for c, iso in entry.items() if c is not None}
            if not isos and (iso := self.city_region(m)):
                isos = {iso}
            return isos.pop() if len(isos) == 1 else None
        return None

    def city_region(self, city: str) -> str | None:
        """The region whose administrative centre `city` is, in any case ("в Туле" -> RU-TUL).
        A city is not its region: use this only where the text places something in the city.
        Note "Владимир" is also a given name; the caller knows whether it read a place."""
        key = _city_key(city)
        if key in self._capitals:
            return self._capitals[key]
        # an unusual form whose first lemma differs ("Йошкар-Олы"): any shared lemma per word
        sets = [lemma_set(w) | {k} for w, k in zip(_city_words(city), key, strict=True)]
        for ckey, iso in self._capitals.items():
            if len(ckey) == len(sets) and all(c in s or lemma_set(c) & s for c, s in zip(ckey, sets, strict=True)):
                return iso
        return None

_CITY_WORD = re.compile(r"[^\W\d_]+")
_CITY_STOP = {"в", "во", "г", "город", "городе", "city", "of", "the", "in"}


def _city_words(text: str) -> list[str]:
    return [w for w in _CITY_WORD.findall(text) if w.lower() not in _CITY_STOP]


def _city_key(text: str) -> tuple[str, ...]:
    """Every part lemmatised, hyphenated ones too ("Ростове-на-Дону" = "Ростов-на-Дону")."""
    return tuple(lemma_adj_first(w) for w in _city_words(text))


def _merge(matches: list[RegionMatch], text: str) -> list[RegionMatch]:
    """One match for "Ханты-Мансийский автономный округ — Югра" and "Саха (Якутия)"."""
    out: list[RegionMatch] = []
    for m in matches:
        if out and out[-1].iso == m.iso and out[-1].via == m.via == "name" \
                and re.fullmatch(r"[\s—–\-()]*", text[out[-1].end:m.start]):
            p = out[-1]
            out[-1] = RegionMatch(p.start, m.end, p.iso, text[p.start:m.end], "name")
        else:
            out.append(m)
    for n, m in enumerate(out):
        if m.surface.count("(") > m.surface.count(")") and text[m.end:m.end + 1] == ")":
            out[n] = RegionMatch(m.start, m.end + 1, m.iso, text[m.start:m.end + 1], m.via)
    return out


def inside_hyphenated(text: str, start: int, end: int) -> bool:
    """The span starts or ends inside a hyphenated word ("Rosatom-Service", "Ural-Kuban"); "-based"
    after it is no part of a name."""
    before = start >= 2 and text[start - 1] in "-‑" and text[start - 2].isalnum()
    after = end + 1 < len(text) and text[end] in "-‑" and text[end + 1].isalnum()
    return before or after and not re.match(r"[-‑]based\b", text[end:])


@lru_cache(maxsize=1)
def get_resolver() -> RegionResolver:
    """The process-wide resolver (the index is built on first use)."""
    return RegionResolver(all_regions())
