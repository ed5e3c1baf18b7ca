"""Extraction pipeline: route a document's paragraphs by language, merge the results, prune off-schema facts.

`extract_document(doc)` runs `english.extract` on the English paragraphs and `russian.extract` on the
Russian ones (imported lazily: models load once per process, on first use), merges the two
`Exchange`s so that one thing is one entity within the document (same label and identity key, a
shared alias, or the same region ISO code), remaps relation ends, merges evidence, drops every
relation whose ends are not allowed by `REL_ENDS` (the reasons are kept in `LAST_PRUNED` and logged at
debug), and adds the `documents` entry.

`ner_only(doc)` runs only the candidate step (natasha NER on Russian paragraphs, the English
candidate patterns) and returns the number of spans: the benchmark's baseline.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from types import ModuleType

from loaders.document import Paragraph, SourceDocument
from loaders.exchange import REL_ENDS, DocumentRef, Entity, Evidence, Exchange, Relation
from loaders.extract import agreement_details, industry
from loaders.extract.common import identity_key

log = logging.getLogger(__name__)

# Reasons relations were pruned in the last extract_document call: "TYPE from->to: reason".
LAST_PRUNED: list[str] = []


def _language_module(lang: str) -> ModuleType | None:
    """The extractor for a language, or None when it is not installed (yet)."""
    try:
        if lang == "en":
            from loaders.extract import english as mod
        elif lang == "ru":
            from loaders.extract import russian as mod
        else:
            return None
    except ImportError as exc:  # a missing extractor skips its paragraphs instead of failing the document
        log.warning("no extractor for %s paragraphs: %s", lang, exc)
        return None
    return mod


def _by_language(doc: SourceDocument) -> dict[str, list[Paragraph]]:
    groups: dict[str, list[Paragraph]] = {}
    for p in doc.paragraphs:
        lang = p.lang if p.lang in ("en", "ru") else doc.lang
        groups.setdefault(lang, []).append(p)
    return groups


def extract_document(doc: SourceDocument) -> Exchange:
    """All facts of one document, in the exchange format of shared/schema.md."""
    parts: list[Exchange] = []
    for lang, paragraphs in _by_language(doc).items():
        mod = _language_module(lang)
        if mod is not None and paragraphs:
            parts.append(mod.extract(doc.id, paragraphs))
    merged = merge(parts)
    agreement_details.fill(merged, doc.date)
    industry.fill(merged)
    pruned = prune(merged)
    LAST_PRUNED[:] = pruned
    for reason in pruned:
        log.debug("pruned %s", reason)
    merged.documents = [
        DocumentRef(id=doc.id, lang=doc.lang, date=doc.date, title=doc.title or _first_line(doc))
    ]
    return merged


def _first_line(doc: SourceDocument) -> str | None:
    for p in doc.paragraphs:
        if p.text.strip():
            return p.text.strip().splitlines()[0]
    return None


def _entity_names(e: Entity) -> set[str]:
    return {k for k in (identity_key(n) for n in [e.name, *e.aliases]) if k}


def merge(parts: Iterable[Exchange]) -> Exchange:
    """One Exchange from several of the same document: one entity per thing, relations remapped.

    Entities are one thing when they share a label and (Regions) an ISO code or (others) the
    identity key of a name or alias. Keys are made unique; evidence of equal relations is merged.
    """
    entities: list[Entity] = []
    index: dict[tuple[str, str], int] = {}  # (label, identity/iso) -> position in entities
    relations: dict[tuple[str, str, str], Relation] = {}
    used_keys: set[str] = set()
    for part in parts:
        remap: dict[str, str] = {}
        for e in part.entities:
            ids = (
                {("Region", str(e.props.get("iso", "")).upper())}
                if e.label == "Region" and e.props.get("iso")
                else {(e.label, n) for n in _entity_names(e)}
            )
            hit = next((index[i] for i in ids if i in index), None)
            if hit is None:
                key = e.key
                n = 2
                while key in used_keys:
                    key, n = f"{e.key}-{n}", n + 1
                used_keys.add(key)
                entities.append(
                    e.model_copy(update={"key": key, "aliases": list(e.aliases), "props": dict(e.props)})
                )
                hit = len(entities) - 1
            else:
                kept = entities[hit]
                for alias in [e.name, *e.aliases]:
                    if alias != kept.name and alias not in kept.aliases:
                        kept.aliases.append(alias)
                for k, v in e.props.items():
                    kept.props.setdefault(k, v)
                kept.optional = kept.optional and e.optional
            for i in ids:
                index.setdefault(i, hit)
            remap[e.key] = entities[hit].key
        for r in part.relations:
            src, dst = remap.get(r.from_, r.from_), remap.get(r.to, r.to)
            if src == dst:
                continue
            rk = (r.type, src, dst)
            have = relations.get(rk)
            if have is None:
                relations[rk] = Relation(
                    type=r.type,
                    **{"from": src},
                    to=dst,
                    props=dict(r.props),
                    evidence=list(r.evidence),
                    optional=r.optional,
                )
            else:
                for k, v in r.props.items():
                    have.props.setdefault(k, v)
                seen = {(ev.doc, ev.text) for ev in have.evidence}
                have.evidence.extend(
                    Evidence(doc=ev.doc, text=ev.text) for ev in r.evidence if (ev.doc, ev.text) not in seen
                )
    return Exchange(entities=entities, relations=list(relations.values()))


def prune(ex: Exchange) -> list[str]:
    """Drop relations the schema does not allow (unknown type, wrong end labels, dangling ends).

    Returns the reasons, one line per dropped relation.
    """
    labels = {e.key: e.label for e in ex.entities}
    keep: list[Relation] = []
    reasons: list[str] = []
    for r in ex.relations:
        ends = REL_ENDS.get(r.type)
        src, dst = labels.get(r.from_), labels.get(r.to)
        what = f"{r.type} {r.from_}->{r.to}"
        if ends is None:
            reasons.append(f"{what}: unknown relationship type")
        elif src is None or dst is None:
            reasons.append(f"{what}: an end is not an entity of the document")
        elif src not in ends[0] or dst not in ends[1]:
            reasons.append(
                f"{what}: {src}->{dst} is not allowed (schema: {sorted(ends[0])}->{sorted(ends[1])})"
            )
        else:
            keep.append(r)
    ex.relations = keep
    return reasons


def ner_only(doc: SourceDocument) -> int:
    """The statistical/candidate step alone (for `klaster bench extract`): number of spans found."""
    n = 0
    for lang, paragraphs in _by_language(doc).items():
        mod = _language_module(lang)
        if mod is None:
            continue
        if lang == "ru" and hasattr(mod, "ner_only"):
            n += mod.ner_only(paragraphs)
        elif lang == "en" and hasattr(mod, "candidates"):
            n += mod.candidates(paragraphs)
    return n
