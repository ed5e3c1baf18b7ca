"""The API's one-pass JSON encoding of the driver's own values says exactly what the value-by-value
JSON-safe conversion says: nodes, relationships, paths, dates, NaN and infinities included."""
from __future__ import annotations

import asyncio
import json
import math
from pathlib import Path
from typing import Any

from api.convert import dumps, json_safe
from api.execute import run_async
from api.registry import NamedQuery
from klaster.settings import Neo4jSettings

# Built in a transaction that is rolled back: real driver values, no change to the graph.
VALUES = """
CREATE p = (a:JsonProbe {name: 'Тула', since: date('2018-06-01'), score: 0.5})
          -[r:PROBES {weight: 1.5, seen: datetime('2020-01-02T03:04:05Z')}]->(b:JsonProbe {name: 'b'})
RETURN a, r, p, [a, b] AS nodes, {node: b, when: localdatetime('2019-05-06T07:08')} AS nested,
       0.0 / 0.0 AS nan, [1.0 / 0.0, -1.0 / 0.0, 2.5] AS infinities, time('10:11:12+03:00') AS t,
       null AS nothing, true AS yes, 9007199254740993 AS big, 'кластер "x"\\n' AS text
"""


def _record(driver: Any) -> dict[str, Any]:
    with driver.session() as session:
        tx = session.begin_transaction()
        try:
            record = tx.run(VALUES).single()
            return dict(record.items())
        finally:
            tx.rollback()


def test_dumps_equals_json_safe_for_graph_and_temporal_values(driver: Any) -> None:
    row = _record(driver)
    document = {"query": "probe", "columns": list(row), "rows": [row]}
    encoded = json.loads(dumps(document))
    assert encoded == json_safe(document)
    [out] = encoded["rows"]
    assert out["a"]["labels"] == ["JsonProbe"] and out["a"]["properties"]["since"] == "2018-06-01"
    assert out["a"]["properties"]["name"] == "Тула"
    assert out["r"]["type"] == "PROBES" and out["r"]["start"] == out["a"]["elementId"]
    assert out["r"]["properties"]["seen"].startswith("2020-01-02T03:04:05")
    assert [n["properties"]["name"] for n in out["p"]["nodes"]] == ["Тула", "b"]
    assert out["p"]["relationships"][0]["elementId"] == out["r"]["elementId"]
    assert out["nested"]["node"]["properties"] == {"name": "b"} and out["nested"]["when"].startswith("2019-05-06T07:08")
    assert out["nan"] is None and out["infinities"] == [None, None, 2.5]
    assert out["t"].startswith("10:11:12") and out["nothing"] is None and out["yes"] is True
    assert out["big"] == 9007199254740993 and out["text"] == 'кластер "x"\n'


def test_dumps_is_utf8_json_without_escapes_or_nan() -> None:
    body = dumps({"rows": [{"name": "Тульская область", "x": 1.25}]})
    assert body == '{"rows":[{"name":"Тульская область","x":1.25}]}'.encode()
    assert json.loads(dumps({"v": [math.nan, {"w": math.inf}]})) == {"v": [None, {"w": None}]}


def test_raw_rows_are_the_json_safe_rows_before_conversion(neo4j_settings: Neo4jSettings) -> None:
    """run_async(convert=False), which the API encodes with dumps, holds the same rows as run_async."""
    from neo4j import AsyncGraphDatabase

    query = NamedQuery(name="probe", description="probe", params=(), returns=("d", "n", "m"),
                       text="RETURN date('2021-02-03') AS d, 0.0 / 0.0 AS n, {a: [1, 2.5, 'x']} AS m",
                       path=Path("probe.cypher"))

    async def both() -> tuple[Any, Any]:
        s = neo4j_settings
        async with AsyncGraphDatabase.driver(s.uri, auth=(s.user, s.password)) as drv:
            raw = await run_async(drv, query, {}, database=s.database, timeout=10, convert=False)
            safe = await run_async(drv, query, {}, database=s.database, timeout=10)
        return raw, safe

    (raw_columns, raw_rows), (columns, rows) = asyncio.run(both())
    assert raw_columns == columns == ["d", "n", "m"]
    assert not isinstance(raw_rows[0]["d"], str) and math.isnan(raw_rows[0]["n"])  # the driver's own values
    assert json_safe(raw_rows) == rows == [{"d": "2021-02-03", "n": None, "m": {"a": [1, 2.5, "x"]}}]
    assert json.loads(dumps(raw_rows)) == rows
