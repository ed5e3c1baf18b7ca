"""Export: exchange JSON the reference scorer reads, GraphML that parses, neo4j-admin CSV that matches the graph."""
from __future__ import annotations

import csv
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from fixtures.graph_dump import GOLD_DIR, gold_exchanges

from graph.export import export
from loaders.load import load_exchange


@pytest.fixture()
def gold_graph(empty_graph):
    for ex in gold_exchanges():
        load_exchange(empty_graph, ex)
    return empty_graph


def _count(driver, query: str) -> int:
    return driver.execute_query(query).records[0]["c"]


def test_per_document_json_scores_as_the_gold_it_was_loaded_from(gold_graph, tmp_path, shared_dir):
    export(gold_graph, "json", tmp_path / "pred", split=True)
    assert sorted(p.name for p in (tmp_path / "pred").iterdir()) == sorted(p.name for p in GOLD_DIR.glob("*.json"))
    out = subprocess.run([sys.executable, str(shared_dir / "eval" / "score.py"), str(GOLD_DIR),
                          str(tmp_path / "pred"), "--json"], capture_output=True, text=True, check=True).stdout
    scores = json.loads(out.strip().splitlines()[-2])
    # Entities are merged across documents, so names and aliases come from all of them; still every
    # gold fact must be found, and nothing invented.
    assert scores["ent"]["f"] >= 0.99 and scores["rel"]["f"] >= 0.99


def test_whole_graph_json_is_one_exchange_object(gold_graph, tmp_path):
    from loaders.exchange import Exchange

    export(gold_graph, "json", tmp_path / "graph.json")
    data = json.loads((tmp_path / "graph.json").read_text(encoding="utf-8"))
    ex = Exchange.model_validate(data)
    assert len(ex.documents) == 5
    domain = _count(gold_graph, "MATCH (n) WHERE n:Region OR n:Cluster OR n:Enterprise OR n:Institution "
                                "OR n:Official OR n:Agreement RETURN count(n) AS c")
    assert len(ex.entities) == domain
    keys = {e.key for e in ex.entities}
    assert len(keys) == len(ex.entities)
    assert all(r.from_ in keys and r.to in keys for r in ex.relations)
    assert all(r.evidence and all(ev.text for ev in r.evidence) for r in ex.relations)
    tula = next(r for r in data["relations"] if r["type"] == "LOCATED_IN" and r["to"] == "Region:RU-TUL"
                and r["from"] == "Cluster:national aerosol cluster")
    assert {ev["doc"] for ev in tula["evidence"]} == {"000_6cd9891a57f4c440.txt", "001_b1d624e466ddd344.txt"}


def test_graphml_parses_with_every_node_and_relationship(gold_graph, tmp_path):
    export(gold_graph, "graphml", tmp_path / "g.graphml")
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.parse(tmp_path / "g.graphml").getroot()
    nodes = root.findall(".//g:node", ns)
    edges = root.findall(".//g:edge", ns)
    assert len(nodes) == _count(gold_graph, "MATCH (n) WHERE NOT n:Document AND NOT n:Sentence RETURN count(n) AS c")
    assert len(edges) == _count(gold_graph, "MATCH ()-[r]->() WHERE NOT type(r) IN ['MENTIONED_IN', 'HAS_SENTENCE'] "
                                            "RETURN count(r) AS c")
    ids = {n.get("id") for n in nodes}
    assert all(e.get("source") in ids and e.get("target") in ids for e in edges)
    keys = {k.get("attr.name") for k in root.findall("g:key", ns)}
    assert {"label", "name", "type", "sources", "evidence"} <= keys


def test_csv_follows_the_neo4j_admin_import_layout(gold_graph, tmp_path):
    export(gold_graph, "csv", tmp_path / "csv")
    files = {p.name: p for p in (tmp_path / "csv").glob("*.csv")}
    node_rows = rel_rows = 0
    ids: dict[str, set[str]] = {}
    for name, path in sorted(files.items()):
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        header, body = rows[0], rows[1:]
        assert all(len(r) == len(header) for r in body), name
        if name.startswith("nodes_"):
            label = name[len("nodes_"):-len(".csv")]
            assert header[0] in (f"key:ID({label})", f"id:ID({label})") and header[1] == ":LABEL"
            ids[label] = {r[0] for r in body}
            node_rows += len(body)
            if label == "Region":
                assert "aliases:string[]" in header
            if label == "Sentence":
                assert "index:long" in header
            if label == "Document":
                assert "loadedAt:datetime" in header
    for name, path in sorted(files.items()):
        if not name.startswith("rels_"):
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        header, body = rows[0], rows[1:]
        start = header[0][len(":START_ID("):-1]
        end = header[1][len(":END_ID("):-1]
        assert header[0].startswith(":START_ID(") and header[1].startswith(":END_ID(") and header[2] == ":TYPE"
        assert all(r[0] in ids[start] and r[1] in ids[end] for r in body), name
        rel_rows += len(body)
    assert "rels_ANCHORS.csv" in files and "sources:string[]" in next(csv.reader(files["rels_ANCHORS.csv"].open()))
    assert node_rows == _count(gold_graph, "MATCH (n) RETURN count(n) AS c")
    assert rel_rows == _count(gold_graph, "MATCH ()-[r]->() RETURN count(r) AS c")
    assert "neo4j-admin database import full" in (tmp_path / "csv" / "import.sh").read_text()
