"""The query-file loader: the real cypher/ folder loads, and every kind of bad file is refused at load time
with its file and line."""
from __future__ import annotations

from pathlib import Path

import pytest

from api.registry import RegistryError, load_registry, mask_literals, parse_query_file
from klaster.settings import cypher_dir

REQUIRED = {"regions_sharing_clusters", "clusters_in_region", "cluster_profile", "enterprise_profile",
            "official_profile", "interregional_clusters", "anchor_enterprises", "agreements", "search",
            "connection", "evidence", "stats"}

GOOD = """// name: {name}
// description: Clusters of a region.
// param: region region — the region
// param: limit integer(1..100) = 10 — how many
// returns: cluster
MATCH (c:Cluster)-[:LOCATED_IN]->(r:Region {{iso: $region}})
RETURN c.name AS cluster LIMIT $limit
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.cypher"
    path.write_text(text, encoding="utf-8")
    return path


def test_project_queries_load() -> None:
    registry = load_registry(cypher_dir())
    assert REQUIRED <= set(registry)
    region = registry["clusters_in_region"].params[0]
    assert (region.name, region.type, region.required) == ("region", "region", True)
    since = next(p for p in registry["agreements"].params if p.name == "since")
    assert (since.type, since.required, since.default) == ("date", False, None)
    limit = next(p for p in registry["search"].params if p.name == "limit")
    assert (limit.default, limit.minimum, limit.maximum) == (20, 1, 1000)
    assert registry["regions_sharing_clusters"].returns == ("regionA", "regionB", "clusters", "count")


def test_good_file_parses(tmp_path: Path) -> None:
    q = parse_query_file(write(tmp_path, "ok", GOOD.format(name="ok")))
    assert q.name == "ok" and q.description == "Clusters of a region."
    assert [(p.name, p.type, p.required, p.default) for p in q.params] == [
        ("region", "region", True, None), ("limit", "integer", False, 10)]
    assert q.params[1].coerce("5") == 5
    with pytest.raises(ValueError):
        q.params[1].coerce("500")


@pytest.mark.parametrize("clause", ["CREATE (n:X)", "MERGE (n:X)", "SET c.x = 1", "DETACH DELETE c",
                                    "REMOVE c.name", "LOAD CSV FROM 'x' AS row", "FOREACH (x IN [] | SET c.a = 1)",
                                    "CALL apoc.create.node(['X'], {})", "CALL apoc.periodic.iterate('a', 'b', {})",
                                    "CALL db.createLabel('X')", "DROP INDEX foo", "delete c"])
def test_write_clause_refused_with_file_and_line(tmp_path: Path, clause: str) -> None:
    text = GOOD.format(name="bad").replace("RETURN c.name", f"{clause}\nRETURN c.name")
    path = write(tmp_path, "bad", text)
    with pytest.raises(RegistryError) as err:
        parse_query_file(path)
    assert f"{path}:7:" in str(err.value)
    assert "read-only" in str(err.value)


def test_write_words_inside_strings_and_comments_are_fine(tmp_path: Path) -> None:
    text = GOOD.format(name="ok").replace(
        "RETURN c.name AS cluster", "// we never CREATE or DELETE here\n"
        "WHERE c.name <> 'CREATE (x)' AND c.note <> \"SET it\" /* MERGE */\nRETURN c.name AS cluster")
    assert parse_query_file(write(tmp_path, "ok", text)).name == "ok"


def test_mask_literals_keeps_lines() -> None:
    text = "RETURN 'a\nCREATE' AS x // SET\nMATCH (n)"
    masked = mask_literals(text)
    assert masked.count("\n") == text.count("\n")
    assert "CREATE" not in masked and "SET" not in masked and "MATCH (n)" in masked


def test_undeclared_parameter(tmp_path: Path) -> None:
    text = GOOD.format(name="bad").replace("LIMIT $limit", "LIMIT $limit SKIP $offset")
    with pytest.raises(RegistryError, match=r"bad.cypher:7: \$offset is used but not declared"):
        parse_query_file(write(tmp_path, "bad", text))


def test_declared_but_unused_parameter(tmp_path: Path) -> None:
    text = GOOD.format(name="bad").replace("LIMIT $limit", "LIMIT 5")
    with pytest.raises(RegistryError, match=r"bad.cypher:4: parameter 'limit' is declared but never used"):
        parse_query_file(write(tmp_path, "bad", text))


def test_parameter_in_a_string_does_not_count(tmp_path: Path) -> None:
    text = GOOD.format(name="bad").replace("LIMIT $limit", "LIMIT 5 // $limit")
    with pytest.raises(RegistryError, match="never used"):
        parse_query_file(write(tmp_path, "bad", text))


@pytest.mark.parametrize(("header", "message"), [
    ("// description: x\n// returns: a\n", "exactly one non-empty '// name:'"),
    ("// name: bad\n// returns: a\n", "'// description:'"),
    ("// name: bad\n// description: x\n", "'// returns:'"),
    ("// name: bad\n// description: x\n// returns: a\n// param: n integer = 1 ~ no dash\n",
     "expected '// param:"),
    ("// name: bad\n// description: x\n// returns: a\n// param: n decimal — wrong type\n", "unknown type"),
    ("// name: bad\n// description: x\n// returns: a\n// param: n integer = 'x' — wrong default\n",
     "not of type integer"),
    ("// name: bad\n// description: x\n// returns: a b\n", "column identifiers"),
    ("// name: other\n// description: x\n// returns: a\n", "differs from the file name"),
])
def test_malformed_headers(tmp_path: Path, header: str, message: str) -> None:
    with pytest.raises(RegistryError, match=message):
        parse_query_file(write(tmp_path, "bad", header + "RETURN $n AS a\n"))


def test_invalid_identifier_name(tmp_path: Path) -> None:
    path = write(tmp_path, "bad-name", "// name: bad-name\n// description: x\n// returns: a\nRETURN 1 AS a\n")
    with pytest.raises(RegistryError, match="not a valid identifier"):
        parse_query_file(path)


def test_folder_refuses_on_first_bad_file(tmp_path: Path) -> None:
    write(tmp_path, "ok", GOOD.format(name="ok"))
    write(tmp_path, "writes", GOOD.format(name="writes").replace("RETURN c.name", "SET c.x = 1 RETURN c.name"))
    with pytest.raises(RegistryError, match="writes.cypher:7: write clause .SET."):
        load_registry(tmp_path)


def test_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="no .cypher files"):
        load_registry(tmp_path)
