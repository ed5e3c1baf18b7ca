"""Registries (CSV/XLSX/JSON): documented columns, rows as facts with provenance, resolved onto news entities."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures.graph_dump import gold_exchanges

from klaster.settings import PROJECT_ROOT
from loaders.load import load_exchange, load_paths
from loaders.registry import RegistryError, is_registry, read_registry, read_rows, row_text

EXAMPLE = PROJECT_ROOT / "seeds" / "registry" / "example_registry.csv"
ROWS = [
    {"cluster": "Кластер тест", "region": "Тульская область", "member": "ООО «Альфа»", "inn": "7100000001",
     "role": "anchor"},
    {"cluster": "Кластер тест", "region": "RU-TUL", "member": "Тульский государственный университет",
     "role": "member", "kind": "university"},
    {"cluster": "Кластер тест", "member": "Фонд развития", "role": "coordinator", "source": "https://example.org"},
]


def _write_csv(path: Path, rows: list[dict[str, str]], delimiter: str = ",", encoding: str = "utf-8") -> Path:
    cols = ["cluster", "region", "member", "inn", "ogrn", "role", "kind", "source"]
    lines = [delimiter.join(c.upper() if c == "inn" else c for c in cols)]  # header case does not matter
    lines += [delimiter.join(r.get(c, "") for c in cols) for r in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def test_rows_become_entities_and_relations_with_the_row_as_evidence(tmp_path):
    exchange, doc = read_registry(_write_csv(tmp_path / "reg.csv", ROWS))
    labels = {e.name: (e.label, e.props) for e in exchange.entities}
    assert labels["Альфа"] == ("Enterprise", {"legalForm": "LLC", "inn": "7100000001"})
    assert labels["Тульский государственный университет"][0] == "Institution"
    assert labels["Фонд развития"][0] == "Institution"  # coordinators are institutions
    types = sorted(r.type for r in exchange.relations)
    assert types == ["ANCHORS", "COORDINATES", "LOCATED_IN", "LOCATED_IN", "MEMBER_OF"]
    anchor = next(r for r in exchange.relations if r.type == "ANCHORS")
    assert anchor.evidence[0].doc == doc.id == "reg.csv"
    assert anchor.evidence[0].text == ("cluster=Кластер тест; region=Тульская область; member=ООО «Альфа»; "
                                       "inn=7100000001; role=anchor")
    assert doc.lang is None and doc.source == str(tmp_path / "reg.csv") and len(doc.content_hash) == 64


def test_csv_semicolon_cp1251_xlsx_and_json_read_the_same_rows(tmp_path):
    from openpyxl import Workbook

    base = read_rows(_write_csv(tmp_path / "a.csv", ROWS))
    assert read_rows(_write_csv(tmp_path / "b.csv", ROWS, ";", "cp1251")) == base
    book = Workbook()
    sheet = book.active
    cols = ["cluster", "region", "member", "inn", "ogrn", "role", "kind", "source"]
    sheet.append(cols)
    for r in ROWS:
        sheet.append([r.get(c) or None for c in cols])
    book.save(tmp_path / "c.xlsx")
    assert read_rows(tmp_path / "c.xlsx") == base
    (tmp_path / "d.json").write_text(json.dumps({"registry": ROWS}, ensure_ascii=False), encoding="utf-8")
    assert is_registry(tmp_path / "d.json")
    assert read_rows(tmp_path / "d.json") == base


def test_news_json_is_not_a_registry(tmp_path):
    (tmp_path / "news.json").write_text(json.dumps({"title": "t", "text": "x"}), encoding="utf-8")
    assert not is_registry(tmp_path / "news.json")
    assert is_registry(EXAMPLE)


@pytest.mark.parametrize("rows, message", [
    ([{"cluster": "X", "member": "Y", "role": "owner"}], "role 'owner'"),
    ([{"member": "Y"}], "cluster"),
    ([{"cluster": "X", "member": "МГУ", "role": "anchor", "kind": "university"}], "anchor is an enterprise"),
])
def test_bad_rows_are_refused_with_the_reason(tmp_path, rows, message):
    with pytest.raises(RegistryError, match=message):
        read_registry(_write_csv(tmp_path / "bad.csv", rows))


def test_row_text_is_stable():
    assert row_text({"role": "member", "cluster": "C", "member": "M", "extra": "e"}) == \
        "cluster=C; member=M; role=member; extra=e"


def test_example_registry_resolves_onto_news_entities(empty_graph):
    for ex in gold_exchanges():
        load_exchange(empty_graph, ex)
    before = {r["l"]: r["c"] for r in empty_graph.execute_query(
        "MATCH (n) WHERE NOT n:Document AND NOT n:Sentence AND NOT n:Region "
        "RETURN labels(n)[0] AS l, count(n) AS c").records}
    report = load_paths(empty_graph, [EXAMPLE], progress=False)
    assert report.loaded == ["example_registry.csv"] and not report.failed
    after = {r["l"]: r["c"] for r in empty_graph.execute_query(
        "MATCH (n) WHERE NOT n:Document AND NOT n:Sentence AND NOT n:Region "
        "RETURN labels(n)[0] AS l, count(n) AS c").records}
    assert after == before  # every cluster, member and region of the registry was already known from news
    anchors = empty_graph.execute_query(
        "MATCH (e:Enterprise)-[r:ANCHORS]->(c:Cluster) RETURN e.name AS e, c.name AS c, r.sources AS s, "
        "COLLECT { MATCH (x:Sentence) WHERE x.id IN r.evidence RETURN x.text } AS texts ORDER BY e").records
    by_name = {r["e"]: r for r in anchors}
    arnest = by_name["Arnest"]
    assert set(arnest["s"]) == {"000_6cd9891a57f4c440.txt", "example_registry.csv"}
    assert any(t.startswith("cluster=Национальный аэрозольный кластер; region=Ставропольский край; "
                            "member=АО «Арнест»") for t in arnest["texts"])
    assert "example_registry.csv" in by_name["Презент упаковка"]["s"]
    doc = empty_graph.execute_query("MATCH (d:Document {id: 'example_registry.csv'}) RETURN d.lang AS lang, "
                                    "d.source AS source").records[0]
    assert doc["lang"] is None and doc["source"].endswith("example_registry.csv")
    coord = empty_graph.execute_query(
        "MATCH (i:Institution)-[r:COORDINATES]->(:Cluster) RETURN i.name AS name, r.sources AS s").records
    assert len(coord) == 1 and set(coord[0]["s"]) == {"001_b1d624e466ddd344.txt", "example_registry.csv"}


def test_registry_inn_links_rows_naming_one_company_differently(empty_graph, tmp_path):
    _write_csv(tmp_path / "one.csv", [{"cluster": "Кластер А", "member": "АО «Бета»", "inn": "7100000002",
                                       "role": "anchor"}])
    _write_csv(tmp_path / "two.csv", [{"cluster": "Cluster B", "member": "Beta Holding", "inn": "7100000002",
                                       "role": "member"}])
    load_paths(empty_graph, [tmp_path], progress=False)
    rows = empty_graph.execute_query("MATCH (e:Enterprise) RETURN e.inn AS inn, count(*) AS c, "
                                     "collect(e.aliases) AS aliases").records
    assert len(rows) == 1 and rows[0]["inn"] == "7100000002"
    assert "Beta Holding" in rows[0]["aliases"][0]
