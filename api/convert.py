"""Turns Neo4j values into JSON-safe Python values, and result rows into CSV."""
from __future__ import annotations

import base64
import csv
import io
import json
import math
from collections.abc import Iterable
from typing import Any

from neo4j.graph import Node, Path, Relationship
from neo4j.spatial import Point
from neo4j.time import Date, DateTime, Duration, Time


def json_safe(value: Any) -> Any:
    """Nodes, relationships and paths become plain maps; temporal values ISO strings; points maps;
    NaN and infinities null (JSON has no such numbers)."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (Date, DateTime, Time)):
        return value.iso_format()
    if isinstance(value, Duration):
        return str(value.iso_format())
    if isinstance(value, Point):
        keys = ("x", "y", "z")[: len(value)]
        return {"srid": value.srid, **{k: json_safe(v) for k, v in zip(keys, value, strict=False)}}
    if isinstance(value, Node):
        return {"elementId": value.element_id, "labels": sorted(value.labels), "properties": json_safe(dict(value))}
    if isinstance(value, Relationship):
        return {"elementId": value.element_id, "type": value.type,
                "start": value.start_node.element_id if value.start_node else None,
                "end": value.end_node.element_id if value.end_node else None,
                "properties": json_safe(dict(value))}
    if isinstance(value, Path):
        return {"nodes": [json_safe(n) for n in value.nodes],
                "relationships": [json_safe(r) for r in value.relationships]}
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return str(value)


def rows_to_csv(columns: list[str], rows: Iterable[dict[str, Any]]) -> str:
    """One line per row; scalars as they are, lists and maps as compact JSON in their cell."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return buf.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
