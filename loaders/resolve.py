"""Entity resolution: one graph node per real thing, matched against what is already in the graph.

Two steps, so the expensive one runs in the extraction workers and the cheap one in the writer:

1. `prepare(exchange, doc)` (pure, per document): every entity gets its identity keys (the
   `identity_key` of its name, of every alias and of their transliterations), its registry ids and,
   for Regions, its ISO code; every relation gets the ids of its evidence sentences.
2. `Resolver.resolve(prepared)` (in the writing process): an in-memory index of the graph's
   `(label, normAliases, inn, ogrn)`, loaded once at the start of a load and updated as documents are
   resolved, names each entity's node: by INN/OGRN first, then by an exact normalised name or alias
   (transliterations included), else a new node whose key is derived from the content (never random).

A name match is not certain when both sides carry different registry ids or different legal forms:
such an entity gets a node of its own (key `<name key>|<inn or legal form>`) and `klaster doubts`
lists the pair for an analyst. Agreements are identified by title *and* date: generic titles
("cooperation agreement") name different agreements in different documents, so an undated agreement
is keyed to the first document stating it.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver

from loaders.document import SourceDocument
from loaders.exchange import REL_ENDS, DocumentRef, Exchange

# Properties each label keeps (shared/schema.md); others in an entity's props are not stored.
LABEL_PROPS: dict[str, tuple[str, ...]] = {
    "Region": ("iso", "nameRu", "federalDistrict", "type"),
    "Cluster": ("nameRu", "industry", "status", "founded"),
    "Enterprise": ("nameRu", "legalForm", "inn", "ogrn"),
    "Institution": ("nameRu", "kind"),
    "Official": (),
    "Agreement": ("title", "date", "place"),
}
_ALL_PROPS: tuple[str, ...] = tuple(dict.fromkeys(p for props in LABEL_PROPS.values() for p in props))
REL_PROPS: dict[str, tuple[str, ...]] = {"HOLDS_POST": ("title",)}
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def sentence_id(doc_id: str, text: str) -> str:
    """`<docId>#<first 16 hex of sha1(text)>` (docs/graph-model.md): derived from content."""
    return f"{doc_id}#{hashlib.sha1(text.encode('utf-8')).hexdigest()[:16]}"


def _identity_key(name: str) -> str:
    from loaders.normalize import identity_key

    return identity_key(name)


def _variants(name: str) -> list[str]:
    """Spellings of a name in the other script (Арнест ↔ Arnest, Дмитрий ↔ Dmitry/Dmitriy)."""
    from loaders.normalize import cyrillic_variants, latin_variants

    return [*latin_variants(name), *cyrillic_variants(name)]


def _region_iso(names: Iterable[str]) -> str | None:
    """The ISO code of the first name the region gazetteer resolves, or None."""
    from loaders.regions import get_resolver

    resolver = get_resolver()
    for name in names:
        iso = resolver.resolve(name)
        if iso:
            return iso
    return None


def identity_keys(name: str, aliases: Iterable[str] = (), transliterate: bool = True) -> list[str]:
    """The keys an entity is matched on, most specific first: name, aliases, then transliterations."""
    keys: list[str] = []
    forms = [name, *aliases]
    for form in forms:
        k = _identity_key(form)
        if k and k not in keys:
            keys.append(k)
    for form in forms if transliterate else ():
        for variant in _variants(form):
            k = _identity_key(variant)
            if k and k not in keys:
                keys.append(k)
    return keys


@dataclass
class PreparedEntity:
    local: str  # the entity's key inside its exchange
    label: str
    name: str
    forms: list[str]  # name and aliases, each once, in the order the source gave them
    props: dict[str, Any]
    keys: list[str]  # identity keys (empty for Regions)
    iso: str | None = None
    inn: str | None = None
    ogrn: str | None = None


@dataclass
class PreparedRelation:
    type: str
    source: str  # local key of the start entity
    target: str
    props: dict[str, Any]
    sentences: list[str]  # Sentence ids of the evidence


@dataclass
class PreparedDocument:
    id: str
    content_hash: str
    title: str | None
    lang: str | None
    date: str | None
    source: str | None
    entities: list[PreparedEntity]
    relations: list[PreparedRelation]
    sentences: list[dict[str, Any]]  # {id, docId, index, text}
    dropped: list[str] = field(default_factory=list)  # facts pruned, with the reason


def _clean_props(label: str, props: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name in LABEL_PROPS[label]:
        value = props.get(name)
        if value not in (None, "", []):
            out[name] = str(value) if name in ("inn", "ogrn", "founded", "date") else value
    return out


def _ordered_forms(name: str, aliases: Iterable[str]) -> list[str]:
    forms: list[str] = []
    for form in (name, *aliases):
        form = " ".join(str(form).split())
        if form and form not in forms:
            forms.append(form)
    return forms


def prepare(exchange: Exchange, doc: SourceDocument | DocumentRef, content_hash: str | None = None,
            skip_optional: bool = False) -> PreparedDocument:
    """Turn one document's extracted facts into resolvable rows; runs anywhere (no database).

    `skip_optional` leaves out entities and relations marked `optional` (gold files use it).
    """
    if isinstance(doc, SourceDocument):
        doc_id, text, lang = doc.id, doc.text, doc.lang or None
        title, date, source, chash = doc.title, doc.date, doc.source, content_hash or doc.content_hash
    else:
        doc_id, text, lang = doc.id, "", doc.lang
        title, date, source, chash = doc.title, doc.date, doc.source, content_hash or doc.contentHash or ""
    dropped: list[str] = []
    entities: list[PreparedEntity] = []
    labels: dict[str, str] = {}
    for ent in exchange.entities:
        if skip_optional and ent.optional:
            continue
        forms = _ordered_forms(ent.name, ent.aliases)
        if not forms:
            dropped.append(f"{ent.label} '{ent.key}': no name")
            continue
        props = _clean_props(ent.label, ent.props)
        if ent.label == "Region":
            iso = (ent.props.get("iso") or _region_iso(forms) or "").upper() or None
            if iso is None:
                dropped.append(f"Region '{ent.name}': not in the region gazetteer")
                continue
            props["iso"] = iso
            entities.append(PreparedEntity(ent.key, "Region", forms[0], forms, props, [], iso=iso))
        else:
            if "nameRu" not in props:
                ru = next((f for f in forms if _CYRILLIC.search(f)), None)
                if ru and ent.label != "Official":
                    props["nameRu"] = ru
            if ent.label == "Agreement":
                props.setdefault("title", forms[0])
            # Agreement titles are descriptions, not names: transliterating them only adds noise.
            keys = identity_keys(forms[0], forms[1:], transliterate=ent.label != "Agreement")
            if not keys:
                dropped.append(f"{ent.label} '{ent.name}': empty identity key")
                continue
            entities.append(PreparedEntity(ent.key, ent.label, forms[0], forms, props, keys,
                                           inn=props.get("inn"), ogrn=props.get("ogrn")))
        labels[ent.key] = ent.label

    # Sentences: every evidence text of this document, numbered in the order they occur in the text.
    texts: dict[str, str] = {}
    relations: list[PreparedRelation] = []
    for rel in exchange.relations:
        if skip_optional and rel.optional:
            continue
        ends = REL_ENDS[rel.type]
        fl, tl = labels.get(rel.from_), labels.get(rel.to)
        if fl is None or tl is None:
            dropped.append(f"{rel.type} {rel.from_}->{rel.to}: an end is not an entity of the document")
            continue
        if fl not in ends[0] or tl not in ends[1]:
            dropped.append(f"{rel.type} {fl}->{tl}: off-schema")
            continue
        sids: list[str] = []
        for ev in rel.evidence:
            if ev.doc not in (doc_id, "") or not ev.text.strip():
                continue
            sid = sentence_id(doc_id, ev.text)
            texts.setdefault(sid, ev.text)
            if sid not in sids:
                sids.append(sid)
        props = {k: rel.props[k] for k in REL_PROPS.get(rel.type, ()) if rel.props.get(k)}
        relations.append(PreparedRelation(rel.type, rel.from_, rel.to, props, sids))
    first_seen = {sid: i for i, sid in enumerate(texts)}

    def position(sid: str) -> tuple[int, int]:
        pos = text.find(texts[sid]) if text else -1
        return (pos if pos >= 0 else len(text) + 1, first_seen[sid])

    sentences = [{"id": sid, "docId": doc_id, "index": i, "text": texts[sid]}
                 for i, sid in enumerate(sorted(texts, key=position))]
    return PreparedDocument(doc_id, chash, title, lang, date, source, entities, relations, sentences, dropped)


@dataclass
class NodeRow:
    label: str
    key: str
    name: str
    forms: list[str]
    props: dict[str, Any]
    norm: list[str]  # identity keys to add to normAliases
    new: bool
    touch: bool = True  # False: the node already holds every form, key and property of this row


@dataclass
class RelRow:
    type: str
    from_label: str
    from_key: str
    to_label: str
    to_key: str
    props: dict[str, Any]
    sentences: list[str]


@dataclass
class ResolvedDocument:
    doc: PreparedDocument
    nodes: list[NodeRow]
    rels: list[RelRow]


class Resolver:
    """The in-memory index of the graph's identities, kept in step with what the loader writes."""

    def __init__(self) -> None:
        self.by_key: dict[str, dict[str, str]] = {}  # label -> identity key -> node key
        self.by_inn: dict[str, tuple[str, str]] = {}  # inn/ogrn -> (label, node key)
        self.legal: dict[tuple[str, str], str] = {}  # (label, node key) -> legalForm
        self.ids: dict[tuple[str, str], str] = {}  # (label, node key) -> inn
        self.nodes: set[tuple[str, str]] = set()
        # What each node already holds (names/aliases, normAliases, filled properties), so a mention that
        # adds nothing is written as a mention only.
        self.content: dict[tuple[str, str], tuple[set[str], set[str], set[str]]] = {}

    @classmethod
    def from_graph(cls, driver: Driver, database: str | None = None) -> Resolver:
        res = cls()
        records, _, _ = driver.execute_query(
            "MATCH (n) WHERE n:Cluster OR n:Enterprise OR n:Institution OR n:Official OR n:Agreement "
            "OR n:Region RETURN labels(n) AS labels, [k IN $props | n[k]] AS p",
            props=["key", "normAliases", "inn", "ogrn", "legalForm", "name", "aliases", *_ALL_PROPS],
            database_=database)
        for rec in records:
            label = next(lb for lb in rec["labels"] if lb in LABEL_PROPS)
            key, norm, inn, ogrn, legal, name, aliases, *values = rec["p"]
            res.remember(label, key, norm or [], inn, ogrn, legal)
            filled = {p for p, v in zip(_ALL_PROPS, values) if v is not None}
            res.content[(label, key)] = ({name, *(aliases or [])}, set(norm or []), filled)
        return res

    def remember(self, label: str, key: str, norm: Iterable[str], inn: str | None = None,
                 ogrn: str | None = None, legal: str | None = None) -> None:
        self.nodes.add((label, key))
        index = self.by_key.setdefault(label, {})
        for k in (key, *norm):
            # An identity key shared by two nodes goes to the node keyed by it, else to the smallest
            # node key: a rule that does not depend on the order nodes are seen in, so an index loaded
            # from the graph equals the one a single run built in memory (interrupted loads re-run the same).
            current = index.get(k)
            if current is None or (current != k and (key == k or key < current)):
                index[k] = key
        for rid in (inn, ogrn):
            if rid:
                self.by_inn.setdefault(str(rid), (label, key))
        if inn:
            self.ids.setdefault((label, key), str(inn))
        if legal:
            self.legal.setdefault((label, key), legal)

    def _conflicts(self, label: str, key: str, ent: PreparedEntity) -> bool:
        """A name match is uncertain when registry ids or legal forms disagree."""
        inn = self.ids.get((label, key))
        if ent.inn and inn and inn != ent.inn:
            return True
        legal = self.legal.get((label, key))
        mine = ent.props.get("legalForm")
        return bool(legal and mine and legal != mine)

    def match(self, ent: PreparedEntity, doc_id: str) -> tuple[str, bool]:
        """(node key, is new) for one prepared entity."""
        label = ent.label
        if label == "Region":
            return ent.iso or "", (label, ent.iso) not in self.nodes
        for rid in (ent.inn, ent.ogrn):
            hit = self.by_inn.get(str(rid)) if rid else None
            if hit and hit[0] == label:
                return hit[1], False
        index = self.by_key.get(label, {})
        if label == "Agreement":
            date = ent.props.get("date")
            key = f"{ent.keys[0]}|{date or doc_id}"
            return key, (label, key) not in self.nodes
        for k in ent.keys:
            node = index.get(k)
            if node is not None and not self._conflicts(label, node, ent):
                return node, False
        key = ent.keys[0]
        if (label, key) in self.nodes or key in index:
            # The name is taken by a node that differs in INN or legal form: a separate node, a doubt.
            key = f"{key}|{(ent.inn or ent.props.get('legalForm') or doc_id).lower()}"
        return key, (label, key) not in self.nodes

    def resolve(self, doc: PreparedDocument) -> ResolvedDocument:
        """Name every entity's node, merge entities of the document that are one node, update the index."""
        local: dict[str, tuple[str, str]] = {}
        rows: dict[tuple[str, str], NodeRow] = {}
        for ent in doc.entities:
            key, new = self.match(ent, doc.id)
            local[ent.local] = (ent.label, key)
            row = rows.get((ent.label, key))
            if row is None:
                rows[(ent.label, key)] = NodeRow(ent.label, key, ent.name, list(ent.forms), dict(ent.props),
                                                 list(ent.keys), new)
            else:
                row.forms += [f for f in ent.forms if f not in row.forms]
                row.norm += [k for k in ent.keys if k not in row.norm]
                for name, value in ent.props.items():
                    row.props.setdefault(name, value)
            if ent.label != "Agreement":
                self.remember(ent.label, key, ent.keys, ent.inn, ent.ogrn, ent.props.get("legalForm"))
            else:
                self.nodes.add(("Agreement", key))
        for row in rows.values():
            held = self.content.get((row.label, row.key))
            if held is None:
                self.content[(row.label, row.key)] = (set(row.forms), set(row.norm), set(row.props))
                continue
            forms, norm, props = held
            # A Region that exists is never rewritten by a document (the gazetteer owns it).
            row.touch = row.new if row.label == "Region" else row.new or not (forms.issuperset(row.forms) and norm.issuperset(row.norm)
                                        and props.issuperset(row.props))
            forms.update(row.forms)
            norm.update(row.norm)
            props.update(row.props)
        merged: dict[tuple[str, str, str], RelRow] = {}
        for rel in doc.relations:
            (fl, fk), (tl, tk) = local[rel.source], local[rel.target]
            if (fl, fk) == (tl, tk):
                continue
            ident = (rel.type, f"{fl}:{fk}", f"{tl}:{tk}")
            row = merged.get(ident)
            if row is None:
                merged[ident] = RelRow(rel.type, fl, fk, tl, tk, dict(rel.props), list(rel.sentences))
            else:
                row.sentences += [s for s in rel.sentences if s not in row.sentences]
                for name, value in rel.props.items():
                    row.props.setdefault(name, value)
        return ResolvedDocument(doc, list(rows.values()), list(merged.values()))
