"""Writes resolved documents to Neo4j: batched, idempotent `UNWIND` upserts, one transaction per batch.

A batch holds whole documents only, and each document's `Document.contentHash` (the mark that it is
loaded) is set in the same transaction as its facts: a document is loaded exactly when all its facts
are, so a load killed mid-batch leaves nothing half-written and a re-run finishes the rest.

Rows are split by what the resolver knows about the graph when the batch is resolved: a node no earlier
batch wrote (and every relationship touching one) is CREATEd; the rest are MERGEd on content-derived keys
with list unions; a document's mentions, sentences and HAS_SENTENCE are CREATEd after its old ones are
deleted. A retried transaction function (the driver retries transient failures) runs on the rolled-back
graph, so it gives the same graph as one run; a node CREATEd twice would break a uniqueness constraint
rather than slip in. Each statement runs only when it has rows, with `CYPHER replan=skip` (all its reads
are unique-index seeks, so the first plan stays right while the graph grows).

A document already in the graph with another content hash is *replaced* in the same transaction:
its ids are removed from every relationship's `sources`/`evidence`, relationships left with no source
are deleted, its MENTIONED_IN and Sentence nodes go, the new facts are written, and then entities it
used to mention that are left with no relationship at all are deleted (Regions excepted).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver, ManagedTransaction

from loaders.exchange import REL_ENDS
from loaders.resolve import LABEL_PROPS, ResolvedDocument

# Every entity statement ends by linking the node to the documents that mention it.
_ADD_MENTIONS = """WITH n, row
UNWIND row.docs AS docId
MATCH (d:Document {id: docId})
CREATE (n)-[:MENTIONED_IN]->(d)
"""

# ON CREATE writes each property once, straight from the row; ON MATCH adds what the row has that the node
# lacks (searchText from the aliases as they will be once this SET ran).
_ENTITY = """
UNWIND $rows AS row
MERGE (n:{label} {{key: row.key}})
ON CREATE SET n += row.props, n.name = row.name, n.aliases = [a IN row.forms WHERE a <> row.name],
              n.normAliases = row.norm,
              n.searchText = reduce(s = row.name, a IN [x IN [row.props.nameRu] + row.forms
                                                        WHERE x IS NOT NULL AND x <> row.name] | s + ' | ' + a)
ON MATCH SET n.aliases = n.aliases + [a IN row.forms WHERE a <> n.name AND NOT a IN n.aliases],
             n.normAliases = n.normAliases + [k IN row.norm WHERE NOT k IN n.normAliases]{props},
             n.searchText = reduce(s = n.name, a IN [x IN [coalesce(n.nameRu, row.props.nameRu)] + n.aliases
                                                     + [a IN row.forms WHERE a <> n.name AND NOT a IN n.aliases]
                                                     WHERE x IS NOT NULL AND x <> n.name] | s + ' | ' + a)
"""

# A node the resolver knows is not in the graph yet (no node with its key existed when the batch was
# resolved) is CREATEd: no merge lock, no ON MATCH evaluation. The key's uniqueness constraint would reject
# a duplicate rather than let one in.
_CREATE_ENTITY = """
UNWIND $rows AS row
CREATE (n:{label} {{key: row.key}})
SET n += row.props, n.name = row.name, n.aliases = [a IN row.forms WHERE a <> row.name], n.normAliases = row.norm,
    n.searchText = reduce(s = row.name, a IN [x IN [row.props.nameRu] + row.forms
                                              WHERE x IS NOT NULL AND x <> row.name] | s + ' | ' + a)
"""

# A node that already holds everything a row says only gains the mentions.
_MENTION_ONLY = """
UNWIND $rows AS row
MATCH (n:{label} {{key: row.key}})
"""

# Regions come from the gazetteer (graph.schema.load_regions); a document only adds one it lacks.
_REGION = """
UNWIND $rows AS row
MERGE (n:Region {key: row.key})
ON CREATE SET n.iso = row.key, n.name = row.name, n += row.props,
              n.aliases = [a IN row.forms WHERE a <> row.name],
              n.searchText = reduce(s = row.name, a IN [a IN row.forms WHERE a <> row.name] | s + ' | ' + a)
"""

# Documents first (MENTIONED_IN and HAS_SENTENCE need them), with their metadata and evidence sentences.
# A document not yet loaded has no node (its node is created in the transaction that writes all its facts,
# contentHash included): it is CREATEd, so a document committed by another run since this one read the graph
# fails the batch on the id constraint instead of doubling anything, and a re-run sees it as loaded. A
# replaced document lost its mentions and sentences just before (`_UNMENTION`, `_UNSENTENCE`). Either way
# the document has no mentions and no sentences here, so they are CREATEd: a MERGE would scan a Region's
# thousands of MENTIONED_IN for nothing. Within the one transaction the order is invisible outside: the
# document is loaded exactly when the transaction commits.
_DOCUMENT_SETS = """d.contentHash = doc.contentHash, d.title = doc.title, d.lang = doc.lang, d.date = doc.date,
    d.source = doc.source, d.loadedAt = datetime()"""
_SENTENCES = """
WITH d, doc
UNWIND doc.sentences AS row
CREATE (d)-[:HAS_SENTENCE]->(:Sentence {id: row.id, docId: row.docId, index: row.index, text: row.text})
"""
_NEW_DOCUMENTS = "UNWIND $docs AS doc\nCREATE (d:Document {id: doc.id})\nSET " + _DOCUMENT_SETS + _SENTENCES
_REPLACED_DOCUMENTS = "UNWIND $docs AS doc\nMATCH (d:Document {id: doc.id})\nSET " + _DOCUMENT_SETS + _SENTENCES

_RELATION = """
UNWIND $rows AS row
MATCH (a:{start} {{key: row.start}})
MATCH (b:{end} {{key: row.end}})
MERGE (a)-[r:{type}]->(b)
ON CREATE SET r += row.props, r.sources = row.sources, r.evidence = row.evidence
ON MATCH SET r.sources = r.sources + [x IN row.sources WHERE NOT x IN r.sources],
             r.evidence = r.evidence + [x IN row.evidence WHERE NOT x IN r.evidence]{props}
"""

# A relationship with an end created by this batch cannot exist yet: CREATEd, no Expand(Into) over a
# Region's thousands of relationships.
_CREATE_RELATION = """
UNWIND $rows AS row
MATCH (a:{start} {{key: row.start}})
MATCH (b:{end} {{key: row.end}})
CREATE (a)-[r:{type}]->(b)
SET r += row.props, r.sources = row.sources, r.evidence = row.evidence
"""

_UNSOURCE = """
UNWIND $ids AS id
MATCH (:Document {id: id})<-[:MENTIONED_IN]-(e)-[r]-()
WHERE NOT type(r) IN ['MENTIONED_IN', 'HAS_SENTENCE'] AND id IN r.sources
WITH r, collect(DISTINCT id) AS ids
SET r.sources = [x IN r.sources WHERE NOT x IN ids],
    r.evidence = [x IN r.evidence WHERE none(i IN ids WHERE x STARTS WITH i + '#')]
WITH r WHERE size(r.sources) = 0
DELETE r
"""

_UNMENTION = """
UNWIND $ids AS id
MATCH (:Document {id: id})<-[m:MENTIONED_IN]-(e)
DELETE m
RETURN collect(DISTINCT elementId(e)) AS formerly
"""

_UNSENTENCE = """
UNWIND $ids AS id
MATCH (:Document {id: id})-[:HAS_SENTENCE]->(s:Sentence)
DETACH DELETE s
"""

_ORPHANS = """
UNWIND $eids AS eid
MATCH (e) WHERE elementId(e) = eid AND NOT e:Region AND NOT (e)--()
WITH e, [l IN labels(e) WHERE l IN $labels][0] AS label, e.key AS key
DELETE e
RETURN label, key
"""


@dataclass
class WriteStats:
    documents: int = 0
    nodes_created: int = 0
    nodes_merged: int = 0
    rels_created: int = 0
    rels_merged: int = 0
    deleted_nodes: list[tuple[str, str]] = field(default_factory=list)  # (label, key) orphans removed

    def add(self, other: WriteStats) -> None:
        self.documents += other.documents
        self.nodes_created += other.nodes_created
        self.nodes_merged += other.nodes_merged
        self.rels_created += other.rels_created
        self.rels_merged += other.rels_merged
        self.deleted_nodes += other.deleted_nodes


def _prop_sets(var: str, names: Iterable[str], source: str = "row.props") -> str:
    return "".join(f",\n             {var}.{p} = coalesce({var}.{p}, {source}.{p})" for p in names)


# The graph grows fast during a load, so the server would keep re-planning the statements as its statistics
# drift (a long statement took ~0.4 s to plan); every read in them is a unique-index seek whatever the
# statistics, so the first plan stays right.
_NO_REPLAN = "CYPHER replan=skip\n"
ENTITY_LABELS: tuple[str, ...] = tuple(LABEL_PROPS)
REL_GROUPS: tuple[tuple[str, str, str], ...] = tuple(
    (rtype, start, end) for rtype, (starts, ends) in REL_ENDS.items() for start in sorted(starts) for end in sorted(ends))
# One short statement per label and per relationship group, run only when it has rows: short plans are
# cheap to cache, and a batch pays one local round trip per non-empty group.
_UPSERT = {label: _NO_REPLAN + (_REGION if label == "Region"
                                else _ENTITY.format(label=label, props=_prop_sets("n", LABEL_PROPS[label])))
           + _ADD_MENTIONS
           for label in ENTITY_LABELS}
_CREATE = {label: _NO_REPLAN + _CREATE_ENTITY.format(label=label) + _ADD_MENTIONS for label in ENTITY_LABELS if label != "Region"}
_MENTION = {label: _NO_REPLAN + _MENTION_ONLY.format(label=label) + _ADD_MENTIONS for label in ENTITY_LABELS}
_RELATE = {(rtype, start, end): _NO_REPLAN + _RELATION.format(
    start=start, end=end, type=rtype, props=_prop_sets("r", ("title",)) if rtype == "HOLDS_POST" else "")
    for rtype, start, end in REL_GROUPS}
_RELATE_NEW = {(rtype, start, end): _NO_REPLAN + _CREATE_RELATION.format(start=start, end=end, type=rtype)
               for rtype, start, end in REL_GROUPS}


@dataclass
class _Batch:
    """A batch's rows, grouped per statement and merged across its documents."""

    docs: list[dict[str, Any]]
    replace: list[str]
    entities: dict[str, list[dict[str, Any]]]
    sentences: dict[str, list[dict[str, Any]]]  # doc id -> its sentences
    relations: dict[tuple[str, str, str], list[dict[str, Any]]]


def _group(docs: list[ResolvedDocument], replace: set[str]) -> _Batch:
    entities: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    relations: dict[tuple[str, str, str], dict[tuple[str, str], dict[str, Any]]] = defaultdict(dict)
    sentences: dict[str, list[dict[str, Any]]] = {}
    for res in docs:
        doc_id = res.doc.id
        for node in res.nodes:
            row = entities[node.label].get(node.key)
            if row is None:
                entities[node.label][node.key] = {"key": node.key, "name": node.name, "forms": list(node.forms),
                                                  "norm": list(node.norm), "props": dict(node.props),
                                                  "docs": [doc_id], "touch": node.touch, "new": node.new}
            else:
                row["touch"] = row["touch"] or node.touch
                row["new"] = row["new"] or node.new
                if doc_id not in row["docs"]:
                    row["docs"].append(doc_id)
                row["forms"] += [f for f in node.forms if f not in row["forms"]]
                row["norm"] += [k for k in node.norm if k not in row["norm"]]
                for name, value in node.props.items():
                    row["props"].setdefault(name, value)
        for rel in res.rels:
            group = relations[(rel.type, rel.from_label, rel.to_label)]
            row = group.get((rel.from_key, rel.to_key))
            if row is None:
                group[(rel.from_key, rel.to_key)] = {"start": rel.from_key, "end": rel.to_key, "sources": [doc_id],
                                                     "evidence": list(rel.sentences), "props": dict(rel.props)}
            else:
                if doc_id not in row["sources"]:
                    row["sources"].append(doc_id)
                row["evidence"] += [s for s in rel.sentences if s not in row["evidence"]]
                for name, value in rel.props.items():
                    row["props"].setdefault(name, value)
        sentences[doc_id] = res.doc.sentences
    # Nodes no batch before this one wrote: every relationship touching one of them is new too.
    fresh = {(label, key) for label, rows in entities.items() for key, row in rows.items() if row["new"]}
    for (_, start, end), group in relations.items():
        for row in group.values():
            row["new"] = (start, row["start"]) in fresh or (end, row["end"]) in fresh
    doc_rows = [{"id": r.doc.id, "contentHash": r.doc.content_hash, "title": r.doc.title, "lang": r.doc.lang,
                 "date": r.doc.date, "source": r.doc.source} for r in docs]
    return _Batch(doc_rows, sorted(replace), {lb: list(rows.values()) for lb, rows in entities.items()},
                  sentences, {k: list(v.values()) for k, v in relations.items()})


def _write(tx: ManagedTransaction, batch: _Batch) -> WriteStats:
    stats = WriteStats(documents=len(batch.docs))
    formerly: list[str] = []
    if batch.replace:
        tx.run(_UNSOURCE, ids=batch.replace).consume()
        formerly = tx.run(_UNMENTION, ids=batch.replace).single()["formerly"]
        tx.run(_UNSENTENCE, ids=batch.replace).consume()
    replaced = set(batch.replace)
    for query, docs in ((_NEW_DOCUMENTS, [d for d in batch.docs if d["id"] not in replaced]),
                        (_REPLACED_DOCUMENTS, [d for d in batch.docs if d["id"] in replaced])):
        if docs:
            tx.run(_NO_REPLAN + query, docs=[{**d, "sentences": batch.sentences.get(d["id"], [])}
                                             for d in docs]).consume()
    for label in ENTITY_LABELS:
        rows = batch.entities.get(label, [])
        created = [r for r in rows if r["new"]] if label in _CREATE else []
        upserts = [r for r in rows if r["touch"] and not (r["new"] and label in _CREATE)]
        mentions = [{"key": r["key"], "docs": r["docs"]} for r in rows if not r["touch"]]
        if created:
            stats.nodes_created += tx.run(_CREATE[label], rows=created).consume().counters.nodes_created
        if upserts:
            stats.nodes_created += tx.run(_UPSERT[label], rows=upserts).consume().counters.nodes_created
        if mentions:
            tx.run(_MENTION[label], rows=mentions).consume()
    stats.nodes_merged = sum(len(rows) for rows in batch.entities.values()) - stats.nodes_created
    for group, rows in batch.relations.items():
        created = [r for r in rows if r["new"]]
        merged = [r for r in rows if not r["new"]]
        if created:
            stats.rels_created += tx.run(_RELATE_NEW[group], rows=created).consume().counters.relationships_created
        if merged:
            stats.rels_created += tx.run(_RELATE[group], rows=merged).consume().counters.relationships_created
    stats.rels_merged = sum(len(rows) for rows in batch.relations.values()) - stats.rels_created
    if formerly:
        result = tx.run(_ORPHANS, eids=formerly, labels=list(LABEL_PROPS))
        stats.deleted_nodes = [(rec["label"], rec["key"]) for rec in result]
    return stats


def write_documents(driver: Driver, docs: list[ResolvedDocument], replace: Iterable[str] = (),
                    database: str | None = None) -> WriteStats:
    """Write whole documents in one managed write transaction; `replace`: ids whose old facts go first."""
    if not docs:
        return WriteStats()
    batch = _group(docs, set(replace))
    with driver.session(database=database) as session:
        return session.execute_write(_write, batch)
