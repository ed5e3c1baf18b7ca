"""Exports the graph: the JSON exchange format (the reference scorer reads it), GraphML, neo4j-admin CSV.

- `json`: one object `{documents, entities, relations}` (shared/schema.md); an entity's `key` is
  `<Label>:<key>` (node keys are unique per label only), a relation's `evidence` lists `{doc, text}`.
  `per_document=True` writes one such file per document into a folder instead (`<doc stem>.json`: the
  entities it mentions, the relations it states with its own evidence), the layout `score.py` compares.
- `graphml`: the domain nodes and relationships for Gephi/yEd; lists are joined with ` | `.
- `csv`: the neo4j-admin import layout: `nodes_<Label>.csv` (`key:ID(<Label>)`, `:LABEL`, typed
  property columns; Documents and Sentences use `id:ID(...)`) and `rels_<TYPE>.csv` (`:START_ID(<Label>)`,
  `:END_ID(<Label>)`, `:TYPE`, properties); a type joining several label pairs gets one file per pair,
  `rels_<TYPE>_<Start>_<End>.csv`. `import.sh` holds the matching `neo4j-admin database import` line.
"""
from __future__ import annotations

import csv
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from neo4j import Driver

from loaders.exchange import LABELS, REL_TYPES

# Internal bookkeeping, not facts: never exported as entity props.
_ENTITY_META = {"key", "name", "aliases", "normAliases", "searchText", "gazetteerHash"}


@dataclass
class GraphDump:
    documents: list[dict[str, Any]]
    nodes: list[dict[str, Any]]  # {label, key, props}
    rels: list[dict[str, Any]]  # {type, start: (label, key), end: (label, key), props}
    sentences: dict[str, dict[str, Any]]  # id -> props
    mentions: list[tuple[tuple[str, str], str]]  # ((label, key), doc id)


def _plain(value: Any) -> Any:
    """Neo4j temporal values as ISO strings; everything else unchanged."""
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def dump_graph(driver: Driver, database: str | None = None) -> GraphDump:
    """Everything an export needs, read in a few queries."""
    def rows(query: str) -> list[Any]:
        return driver.execute_query(query, labels=list(LABELS), types=list(REL_TYPES), database_=database).records

    nodes = [{"label": r["label"], "key": r["props"]["key"],
              "props": {k: _plain(v) for k, v in r["props"].items()}}
             for r in rows("MATCH (n) WITH n, [l IN labels(n) WHERE l IN $labels][0] AS label "
                           "WHERE label IS NOT NULL RETURN label, properties(n) AS props ORDER BY label, n.key")]
    documents = [{k: _plain(v) for k, v in r["props"].items()}
                 for r in rows("MATCH (d:Document) RETURN properties(d) AS props ORDER BY d.id")]
    sentences = {r["props"]["id"]: r["props"]
                 for r in rows("MATCH (s:Sentence) RETURN properties(s) AS props ORDER BY s.id")}
    rels = [{"type": r["type"], "start": (r["sl"], r["sk"]), "end": (r["el"], r["ek"]), "props": r["props"]}
            for r in rows(
                "MATCH (a)-[r]->(b) WHERE type(r) IN $types "
                "WITH a, r, b, [l IN labels(a) WHERE l IN $labels][0] AS sl, [l IN labels(b) WHERE l IN $labels][0] AS el "
                "RETURN type(r) AS type, sl, a.key AS sk, el, b.key AS ek, properties(r) AS props "
                "ORDER BY type, sl, sk, el, ek")]
    mentions = [((r["l"], r["k"]), r["d"]) for r in rows(
        "MATCH (n)-[:MENTIONED_IN]->(d:Document) WITH n, d, [l IN labels(n) WHERE l IN $labels][0] AS l "
        "RETURN l, n.key AS k, d.id AS d ORDER BY d, l, k")]
    return GraphDump(documents, nodes, rels, sentences, mentions)


def _entity(node: dict[str, Any]) -> dict[str, Any]:
    props = {k: v for k, v in node["props"].items() if k not in _ENTITY_META}
    return {"key": f"{node['label']}:{node['key']}", "label": node["label"], "name": node["props"].get("name"),
            "aliases": list(node["props"].get("aliases") or []), "props": props}


def _doc_ref(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: doc.get(k) for k in ("id", "lang", "date", "title", "source", "contentHash")}


def _relation(rel: dict[str, Any], dump: GraphDump, only_doc: str | None = None) -> dict[str, Any]:
    evidence = []
    for sid in rel["props"].get("evidence") or []:
        sent = dump.sentences.get(sid)
        if sent and (only_doc is None or sent.get("docId") == only_doc):
            evidence.append({"doc": sent.get("docId"), "text": sent.get("text")})
    props = {k: v for k, v in rel["props"].items() if k not in ("sources", "evidence")}
    return {"type": rel["type"], "from": f"{rel['start'][0]}:{rel['start'][1]}",
            "to": f"{rel['end'][0]}:{rel['end'][1]}", "props": props, "evidence": evidence,
            "sources": list(rel["props"].get("sources") or [])}


def to_exchange(dump: GraphDump) -> dict[str, Any]:
    return {"documents": [_doc_ref(d) for d in dump.documents],
            "entities": [_entity(n) for n in dump.nodes],
            "relations": [_relation(r, dump) for r in dump.rels]}


def per_document(dump: GraphDump) -> dict[str, dict[str, Any]]:
    """doc id → the exchange object of that document alone."""
    by_key = {(n["label"], n["key"]): n for n in dump.nodes}
    mentioned: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for ident, doc in dump.mentions:
        mentioned[doc].append(ident)
    out = {}
    for doc in dump.documents:
        did = doc["id"]
        ents = [_entity(by_key[i]) for i in mentioned.get(did, []) if i in by_key]
        rels = [_relation(r, dump, did) for r in dump.rels if did in (r["props"].get("sources") or [])]
        out[did] = {"documents": [_doc_ref(doc)], "entities": ents, "relations": rels}
    return out


def write_json(dump: GraphDump, out: Path, split: bool = False) -> list[Path]:
    if not split:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(to_exchange(dump), ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        return [out]
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for did, obj in per_document(dump).items():
        path = out / f"{Path(did).stem or did}.json"
        path.write_text(json.dumps(obj, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        written.append(path)
    return written


# ---------------------------------------------------------------- GraphML

def _gml_type(values: list[Any]) -> str:
    kinds = {type(v) for v in values if v is not None}
    if kinds == {bool}:
        return "boolean"
    if kinds and kinds <= {int}:
        return "long"
    if kinds and kinds <= {int, float}:
        return "double"
    return "string"


def _gml_value(value: Any) -> str:
    if isinstance(value, list):
        return " | ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_graphml(dump: GraphDump, out: Path) -> list[Path]:
    node_props: dict[str, list[Any]] = defaultdict(list)
    for n in dump.nodes:
        for k, v in n["props"].items():
            if k not in ("normAliases", "gazetteerHash"):
                node_props[k].append(v)
    edge_props: dict[str, list[Any]] = defaultdict(list)
    for r in dump.rels:
        for k, v in r["props"].items():
            edge_props[k].append(v)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             ('<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
             'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
             'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
             'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">'),
             '  <key id="n_label" for="node" attr.name="label" attr.type="string"/>',
             '  <key id="e_type" for="edge" attr.name="type" attr.type="string"/>']
    for k, vals in sorted(node_props.items()):
        lines.append(f'  <key id="n_{k}" for="node" attr.name="{k}" attr.type="{_gml_type(vals)}"/>')
    for k, vals in sorted(edge_props.items()):
        lines.append(f'  <key id="e_{k}" for="edge" attr.name="{k}" attr.type="{_gml_type(vals)}"/>')
    lines.append('  <graph id="klaster" edgedefault="directed">')
    for n in dump.nodes:
        lines.append(f"    <node id={quoteattr(n['label'] + ':' + n['key'])}>")
        lines.append(f'      <data key="n_label">{n["label"]}</data>')
        for k, v in sorted(n["props"].items()):
            if k in node_props and v is not None:
                lines.append(f'      <data key="n_{k}">{escape(_gml_value(v))}</data>')
        lines.append("    </node>")
    for i, r in enumerate(dump.rels):
        src, dst = f"{r['start'][0]}:{r['start'][1]}", f"{r['end'][0]}:{r['end'][1]}"
        lines.append(f"    <edge id=\"e{i}\" source={quoteattr(src)} target={quoteattr(dst)}>")
        lines.append(f'      <data key="e_type">{r["type"]}</data>')
        for k, v in sorted(r["props"].items()):
            if v is not None:
                lines.append(f'      <data key="e_{k}">{escape(_gml_value(v))}</data>')
        lines.append("    </edge>")
    lines += ["  </graph>", "</graphml>"]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [out]


# ---------------------------------------------------------------- neo4j-admin CSV

def _csv_type(values: list[Any]) -> str:
    if any(isinstance(v, list) for v in values):
        return "string[]"
    return _gml_type(values)  # the scalar types are named alike in GraphML and neo4j-admin headers


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _write_table(path: Path, rows: list[dict[str, Any]], lead: list[str]) -> None:
    """One CSV: `lead` header cells, then one typed column per property seen in `rows`."""
    names = sorted({k for r in rows for k in r["props"]})
    types = {k: _csv_type([r["props"].get(k) for r in rows]) for k in names}
    if "loadedAt" in types:
        types["loadedAt"] = "datetime"
    header = lead + [f"{k}:{types[k]}" if types[k] != "string" else k for k in names]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for r in rows:
            writer.writerow([_csv_cell(v) for v in r["lead"]] + [_csv_cell(r["props"].get(k)) for k in names])


def write_csv(dump: GraphDump, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    nodes_args, rels_args = [], []
    by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for n in dump.nodes:
        props = {k: v for k, v in n["props"].items() if k != "key"}
        by_label[n["label"]].append({"lead": [n["key"], n["label"]], "props": props})
    for label, rows in by_label.items():
        path = out / f"nodes_{label}.csv"
        _write_table(path, rows, [f"key:ID({label})", ":LABEL"])
        written.append(path)
        nodes_args.append(path.name)
    for label, items in (("Document", dump.documents), ("Sentence", list(dump.sentences.values()))):
        rows = [{"lead": [item["id"], label], "props": {k: v for k, v in item.items() if k != "id"}}
                for item in items]
        if rows:
            path = out / f"nodes_{label}.csv"
            _write_table(path, rows, [f"id:ID({label})", ":LABEL"])
            written.append(path)
            nodes_args.append(path.name)
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in dump.rels:
        groups[(r["type"], r["start"][0], r["end"][0])].append(
            {"lead": [r["start"][1], r["end"][1], r["type"]], "props": r["props"]})
    for (ident, items) in (
            (("MENTIONED_IN", "*", "Document"), [{"lead": [k[1], d, "MENTIONED_IN"], "props": {}, "label": k[0]}
                                                 for k, d in dump.mentions]),
            (("HAS_SENTENCE", "Document", "Sentence"), [{"lead": [s["docId"], sid, "HAS_SENTENCE"], "props": {}}
                                                        for sid, s in dump.sentences.items()])):
        if ident[0] == "MENTIONED_IN":
            for item in items:
                groups[("MENTIONED_IN", item.pop("label"), "Document")].append(item)
        elif items:
            groups[ident] = items
    pairs_per_type: dict[str, int] = defaultdict(int)
    for rtype, _, _ in groups:
        pairs_per_type[rtype] += 1
    for (rtype, start, end), rows in sorted(groups.items()):
        name = f"rels_{rtype}.csv" if pairs_per_type[rtype] == 1 else f"rels_{rtype}_{start}_{end}.csv"
        path = out / name
        _write_table(path, rows, [f":START_ID({start})", f":END_ID({end})", ":TYPE"])
        written.append(path)
        rels_args.append(name)
    script = out / "import.sh"
    script.write_text(
        "#!/bin/sh\n# Import this export into an empty, stopped database: sh import.sh [DATABASE]\n"
        'cd "$(dirname "$0")" && neo4j-admin database import full "${1:-neo4j}" --overwrite-destination '
        "--multiline-fields=true --array-delimiter=';' \\\n  "
        + " \\\n  ".join([f"--nodes={n}" for n in nodes_args] + [f"--relationships={r}" for r in rels_args])
        + "\n", encoding="utf-8")
    return written


def export(driver: Driver, fmt: str, out: Path, split: bool = False, database: str | None = None) -> list[Path]:
    """Write the graph in `fmt` (json | graphml | csv) to `out` (a file, or a folder for csv/split json)."""
    dump = dump_graph(driver, database)
    if fmt == "json":
        return write_json(dump, out, split)
    if fmt == "graphml":
        return write_graphml(dump, out)
    if fmt == "csv":
        return write_csv(dump, out)
    raise ValueError(f"unknown export format '{fmt}' (json, graphml, csv)")
