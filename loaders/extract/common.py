"""Shared helpers for the language extractors: entity registry, relations with evidence, lists, references.

Both `english.py` and `russian.py` (and the pipeline's merge) use these, so that entities are keyed,
deduplicated and serialised the same way whatever the language:

- `Registry`: one per document. `add(label, name, ...)` returns a stable key and merges a new
  mention into an existing entity of the same label when their identity keys (or any alias) agree;
  `add_region(iso, ...)` keys Regions by ISO code; `relate(type, src, dst, evidence)` records a
  relationship once, accumulating evidence sentences; `to_exchange()` gives the `Exchange`.
- `Mention`: where an entity occurs in a sentence (offsets are sentence-relative).
- `coordinated_items(text)`: split "A, B and C" / "А, Б и В" into item spans (list expansion).
- `ClusterSalience`: which cluster a document is about, for "the cluster", "этот кластер", "its members".
- `identity_key(text)`: the identity key of shared/schema.md (delegates to `loaders.normalize` when present).

Example:
>>> reg = Registry("doc.txt")
>>> a = reg.add("Enterprise", "Arnest", surface="JSC Arnest", props={"legalForm": "JSC"})
>>> b = reg.add("Enterprise", "arnest", surface="Arnest")
>>> a == b, reg.entity(a).aliases
(True, ['JSC Arnest'])
>>> r = reg.add_region("RU-TUL", "Tula Oblast", surface="Tula region")
>>> reg.relate("LOCATED_IN", a, r, "Arnest works in Tula region.")
>>> reg.relate("LOCATED_IN", a, r, "Arnest works in Tula region.")
>>> len(reg.to_exchange().relations)
1
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from loaders.exchange import DocumentRef, Entity, Evidence, Exchange, Relation

KEY_PREFIX = {
    "Region": "r",
    "Cluster": "c",
    "Enterprise": "e",
    "Institution": "i",
    "Official": "o",
    "Agreement": "a",
}

# Fallback identity normalisation (shared/schema.md "Identity") used until/unless loaders.normalize exists.
_LEGAL = {
    "ооо",
    "ooo",
    "llc",
    "ао",
    "jsc",
    "пао",
    "pjsc",
    "зао",
    "cjsc",
    "оао",
    "ojsc",
    "нп",
    "np",
    "ано",
    "ano",
    "ltd",
    "inc",
}
_QUOTES_RE = re.compile(r"[«»“”„\"'`’‘()\[\],.;:!?]")
_DASH_RE = re.compile(r"[-–—]")


def _fallback_key(text: str) -> str:
    s = unicodedata.normalize("NFKC", text or "").casefold().replace("ё", "е")
    s = _DASH_RE.sub(" ", _QUOTES_RE.sub(" ", s))
    return " ".join(t for t in s.split() if t not in _LEGAL)


_IDENTITY = None


@lru_cache(maxsize=65536)
def identity_key(text: str) -> str:
    """The identity key of a name (case, ё, quotes, legal forms, Russian lemmas); never empty for a word.

    >>> identity_key("JSC «Arnest»") == identity_key("arnest")
    True
    """
    global _IDENTITY
    if _IDENTITY is None:
        try:
            from loaders.normalize import identity_key as _ik  # gazetteer helper's normaliser

            _IDENTITY = _ik
        except ImportError:
            _IDENTITY = _fallback_key
    return _IDENTITY(text) or _fallback_key(text)


def slug(text: str, limit: int = 40) -> str:
    """A short ASCII-ish key fragment: 'National Aerosol Cluster' -> 'national-aerosol-cluster'."""
    s = re.sub(r"[^\w]+", "-", identity_key(text), flags=re.UNICODE).strip("-")
    return s[:limit].rstrip("-") or "x"


@dataclass
class Mention:
    """One occurrence of an entity in a sentence; offsets are relative to the sentence text.

    `ref` marks a reference ("the cluster", "this agreement") rather than a naming mention.
    """

    key: str
    label: str
    start: int
    end: int
    surface: str
    ref: bool = False


@dataclass
class _Ent:
    key: str
    label: str
    name: str
    aliases: list[str] = field(default_factory=list)
    props: dict[str, Any] = field(default_factory=dict)
    optional: bool = False


@dataclass
class _Rel:
    type: str
    src: str
    dst: str
    props: dict[str, Any] = field(default_factory=dict)
    evidence: list[str] = field(default_factory=list)


class Registry:
    """Entities and relations of one document, deduplicated as they are added."""

    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        self._ents: dict[str, _Ent] = {}
        self._index: dict[tuple[str, str], str] = {}  # (label, identity key of name/alias) -> key
        self._rels: dict[tuple[str, str, str], _Rel] = {}

    # ---- entities -------------------------------------------------------------------------------
    def find(self, label: str, name: str) -> str | None:
        """The key of an entity of `label` whose name or alias has the identity key of `name`."""
        return self._index.get((label, identity_key(name)))

    def entity(self, key: str) -> _Ent:
        return self._ents[key]

    def entities(self, label: str | None = None) -> list[_Ent]:
        return [e for e in self._ents.values() if label is None or e.label == label]

    def _new_key(self, label: str, name: str) -> str:
        base = f"{KEY_PREFIX.get(label, 'x')}-{slug(name)}"
        key, n = base, 2
        while key in self._ents:
            key, n = f"{base}-{n}", n + 1
        return key

    def _index_name(self, ent: _Ent, name: str) -> None:
        k = identity_key(name)
        if k:
            self._index.setdefault((ent.label, k), ent.key)

    def add(
        self,
        label: str,
        name: str,
        *,
        surface: str | None = None,
        aliases: Iterable[str] = (),
        props: dict[str, Any] | None = None,
        into: str | None = None,
    ) -> str:
        """Register a mention; returns the entity key (an existing one when the names agree).

        `into` forces merging into a known key (e.g. a reference already resolved by the caller).
        Props of the first mention win; later mentions only fill missing props.
        """
        name = " ".join(name.split())
        names = [name, *(a for a in ([surface] if surface else []) if a), *aliases]
        key = into
        if key is None:
            for n in names:
                key = self._index.get((label, identity_key(n)))
                if key:
                    break
        if key is None:
            key = self._new_key(label, name)
            self._ents[key] = _Ent(key=key, label=label, name=name)
        ent = self._ents[key]
        for n in names:
            self.add_alias(key, n)
        for k, v in (props or {}).items():
            if v not in (None, "", []) and k not in ent.props:
                ent.props[k] = v
        return key

    def add_alias(self, key: str, alias: str) -> None:
        ent = self._ents[key]
        alias = " ".join((alias or "").split())
        seen = {ent.name.casefold(), *(a.casefold() for a in ent.aliases)}
        if alias and alias.casefold() not in seen:  # case-only variants are noise
            ent.aliases.append(alias)
        if alias:
            self._index_name(ent, alias)

    def rename(self, key: str, name: str) -> None:
        """Make `name` the display name, keeping the old one as an alias."""
        ent = self._ents[key]
        if name == ent.name:
            return
        old = ent.name
        ent.name = name
        if name in ent.aliases:
            ent.aliases.remove(name)
        self.add_alias(key, old)
        self._index_name(ent, name)

    def add_region(
        self,
        iso: str,
        name: str,
        *,
        name_ru: str | None = None,
        surface: str | None = None,
        props: dict[str, Any] | None = None,
    ) -> str:
        """A Region keyed by its ISO code ('RU-TUL' -> 'r-tul'); surface forms become aliases."""
        key = "r-" + iso.lower().removeprefix("ru-")
        if key not in self._ents:
            p = {"iso": iso.upper()}
            if name_ru:
                p["nameRu"] = name_ru
            p.update(props or {})
            self._ents[key] = _Ent(key=key, label="Region", name=name, props=p)
        if surface:
            self.add_alias(key, surface)
        if name_ru:
            self.add_alias(key, name_ru)
        return key

    def merge(self, keep: str, drop: str) -> None:
        """Fold entity `drop` into `keep` (aliases, props, relation ends)."""
        if keep == drop or drop not in self._ents:
            return
        gone = self._ents.pop(drop)
        self.add_alias(keep, gone.name)
        for a in gone.aliases:
            self.add_alias(keep, a)
        for k, v in gone.props.items():
            self._ents[keep].props.setdefault(k, v)
        for idx, k in list(self._index.items()):
            if k == drop:
                self._index[idx] = keep
        for rk, rel in list(self._rels.items()):
            if drop in (rel.src, rel.dst):
                del self._rels[rk]
                src = keep if rel.src == drop else rel.src
                dst = keep if rel.dst == drop else rel.dst
                for ev in rel.evidence:
                    self.relate(rel.type, src, dst, ev, rel.props)

    # ---- relations ------------------------------------------------------------------------------
    def relate(
        self, type_: str, src: str, dst: str, evidence: str, props: dict[str, Any] | None = None
    ) -> None:
        """Record `src -type-> dst` once; a second statement only adds its evidence sentence."""
        if src == dst or src not in self._ents or dst not in self._ents:
            return
        rk = (type_, src, dst)
        rel = self._rels.get(rk)
        if rel is None:
            rel = self._rels[rk] = _Rel(type=type_, src=src, dst=dst, props=dict(props or {}))
        else:
            for k, v in (props or {}).items():
                rel.props.setdefault(k, v)
        ev = " ".join(evidence.split())
        if ev and ev not in rel.evidence:
            rel.evidence.append(ev)

    def has_relation(self, type_: str, src: str | None = None, dst: str | None = None) -> bool:
        return any(
            r.type == type_ and src in (None, r.src) and dst in (None, r.dst) for r in self._rels.values()
        )

    def relations(self) -> list[_Rel]:
        return list(self._rels.values())

    # ---- output ---------------------------------------------------------------------------------
    def to_exchange(self, documents: Iterable[DocumentRef] = ()) -> Exchange:
        ents = [
            Entity(
                key=e.key,
                label=e.label,
                name=e.name,
                aliases=list(e.aliases),
                props=dict(e.props),
                optional=e.optional,
            )
            for e in self._ents.values()
        ]
        rels = [
            Relation(
                type=r.type,
                **{"from": r.src},
                to=r.dst,
                props=dict(r.props),
                evidence=[Evidence(doc=self.doc_id, text=t) for t in r.evidence],
            )
            for r in self._rels.values()
        ]
        return Exchange(documents=list(documents), entities=ents, relations=rels)


# ---- lists ------------------------------------------------------------------------------------------
_COORD_RE = re.compile(
    r"\s*(?:,\s*(?:and|or|и|или)\s+|;\s*|,\s*|\s+(?:and|or|as well as|и|или|а также)\s+)\s*", re.IGNORECASE
)


def coordinated_items(text: str) -> list[tuple[int, int]]:
    """Spans of the items of a coordinated list: 'A, B and C' -> spans of A, B, C.

    >>> s = "Tula, Kaluga and Samara regions"
    >>> [s[a:b] for a, b in coordinated_items(s)]
    ['Tula', 'Kaluga', 'Samara regions']
    >>> s = "Тульской, Калужской и Самарской областей"
    >>> [s[a:b] for a, b in coordinated_items(s)]
    ['Тульской', 'Калужской', 'Самарской областей']
    """
    out: list[tuple[int, int]] = []
    pos = 0
    for m in _COORD_RE.finditer(text):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return [(a, b) for a, b in out if text[a:b].strip()]


def mentions_between(
    mentions: Iterable[Mention], start: int, end: int, labels: Iterable[str] | None = None
) -> list[Mention]:
    """Mentions lying inside [start, end), optionally of some labels, in text order."""
    want = set(labels) if labels is not None else None
    return sorted(
        (m for m in mentions if m.start >= start and m.end <= end and (want is None or m.label in want)),
        key=lambda m: m.start,
    )


# ---- references ---------------------------------------------------------------------------------
class ClusterSalience:
    """Which cluster a document is about: the one named most often, ties to the earliest (the title's).

    Feed every naming mention with `see(key, position)`; `about()` gives the salient cluster;
    `resolve(recent)` prefers a single cluster named in the recent context, else the salient one.

    >>> s = ClusterSalience()
    >>> s.see("c-a", 10); s.see("c-b", 0); s.see("c-a", 30)
    >>> s.about(), s.resolve(["c-b"]), s.resolve(["c-a", "c-b"])
    ('c-a', 'c-b', 'c-a')
    """

    def __init__(self) -> None:
        self._count: dict[str, int] = {}
        self._first: dict[str, int] = {}

    def see(self, key: str, position: int, weight: int = 1) -> None:
        self._count[key] = self._count.get(key, 0) + weight
        self._first[key] = min(position, self._first.get(key, position))

    def forget(self, key: str, into: str | None = None) -> None:
        """Drop a key (merged away), adding its counts to `into`."""
        n = self._count.pop(key, 0)
        first = self._first.pop(key, None)
        if into is not None and first is not None:
            self.see(into, first, n)

    def about(self) -> str | None:
        if not self._count:
            return None
        return min(self._count, key=lambda k: (-self._count[k], self._first[k]))

    def resolve(self, recent: Iterable[str] = ()) -> str | None:
        """The cluster a reference points to: the only one named recently, else the document's."""
        rec = list(dict.fromkeys(recent))
        if len(rec) == 1:
            return rec[0]
        return self.about()
