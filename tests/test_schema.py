"""`klaster init` against the real server: every constraint and index exists, and applying twice changes nothing."""
from __future__ import annotations

import pytest
from neo4j.exceptions import ConstraintError

from graph.schema import init_graph

# The identity keys of docs/graph-model.md, written out here independently of graph/schema.py.
EXPECTED_UNIQUE = {
    ("Region", "key"), ("Region", "iso"), ("Cluster", "key"), ("Enterprise", "key"),
    ("Institution", "key"), ("Official", "key"), ("Agreement", "key"), ("Document", "id"), ("Sentence", "id"),
}


def _constraints(driver) -> set[tuple[str, str]]:
    recs = driver.execute_query(
        "SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties WHERE type = 'UNIQUENESS' "
        "RETURN labelsOrTypes[0] AS label, properties[0] AS prop"
    ).records
    return {(r["label"], r["prop"]) for r in recs}


def _schema_snapshot(driver) -> list[tuple]:
    recs = driver.execute_query(
        "SHOW INDEXES YIELD name, type, labelsOrTypes, properties, options "
        "RETURN name, type, labelsOrTypes, properties, options.indexConfig['fulltext.analyzer'] AS analyzer "
        "ORDER BY name"
    ).records
    return [tuple(r.values()) for r in recs]


def _graph_snapshot(driver) -> list[tuple]:
    recs = driver.execute_query(
        "MATCH (n) RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props ORDER BY id"
    ).records
    return [(r["id"], r["labels"], sorted(r["props"].items())) for r in recs]


def test_init_creates_every_uniqueness_constraint(empty_graph) -> None:
    init_graph(empty_graph)
    missing = EXPECTED_UNIQUE - _constraints(empty_graph)
    assert not missing, f"constraints missing: {sorted(missing)}"


def test_init_creates_fulltext_indexes_in_both_languages(empty_graph) -> None:
    init_graph(empty_graph)
    fulltext = {row[0]: row for row in _schema_snapshot(empty_graph) if row[1] == "FULLTEXT"}
    assert fulltext["entity_search_ru"][4] == "russian"
    assert "searchText" in fulltext["entity_search"][3]
    assert set(fulltext["entity_search"][2]) >= {"Region", "Cluster", "Enterprise", "Institution", "Official"}


def test_init_twice_changes_nothing(empty_graph) -> None:
    first = init_graph(empty_graph)
    schema_before, graph_before = _schema_snapshot(empty_graph), _graph_snapshot(empty_graph)
    second = init_graph(empty_graph)
    assert first.created == first.regions > 80
    assert (second.created, second.updated) == (0, 0)
    assert _schema_snapshot(empty_graph) == schema_before
    assert _graph_snapshot(empty_graph) == graph_before


def test_regions_loaded_with_gazetteer_properties(empty_graph) -> None:
    init_graph(empty_graph)
    rec = empty_graph.execute_query(
        "MATCH (r:Region {iso: 'RU-TUL'}) RETURN r.name AS name, r.nameRu AS ru, r.federalDistrict AS fd"
    ).records[0]
    assert (rec["name"], rec["ru"]) == ("Tula Oblast", "Тульская область")
    assert rec["fd"] == "Central Federal District"


def test_constraint_is_enforced(empty_graph) -> None:
    init_graph(empty_graph)
    with pytest.raises(ConstraintError):
        empty_graph.execute_query("CREATE (:Region {key: 'RU-TUL-dup', iso: 'RU-TUL'})")
