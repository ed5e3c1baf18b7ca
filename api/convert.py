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
from neo4j.time import Date, DateTime, Time


def json_safe(value: Any) -> Any:
    """Nodes, relationships and paths become plain maps; dates and times ISO strings; NaN and infinities
    null (JSON has no such numbers). Points and durations are tuples to the driver, so they come out as
    lists, here and in `dumps` alike (the graph holds neither)."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    return json_safe(json_default(value))


def json_default(value: Any) -> Any:
    """A value JSON has no type for, as plain maps, lists and strings (which may hold more such values)."""
    if isinstance(value, (Date, DateTime, Time)):
        return value.iso_format()
    if isinstance(value, Node):
        return {"elementId": value.element_id, "labels": sorted(value.labels), "properties": dict(value)}
    if isinstance(value, Relationship):
        return {"elementId": value.element_id, "type": value.type,
                "start": value.start_node.element_id if value.start_node else None,
                "end": value.end_node.element_id if value.end_node else None,
                "properties": dict(value)}
    if isinstance(value, Path):
        return {"nodes": list(value.nodes), "relationships": list(value.relationships)}
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return str(value)


# Driver values are trees (never circular), so the encoder may skip its bookkeeping of visited containers.
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, check_circular=False, separators=(",", ":"),
                            default=json_default)


def dumps(document: Any) -> bytes:
    """UTF-8 JSON of a document holding the driver's own values, in one pass: only what JSON has no type
    for goes through json_default. NaN and infinities are refused by the encoder; the rare document
    holding one is made json_safe first, so they become null as everywhere else."""
    try:
        return _ENCODER.encode(document).encode("utf-8")
    except ValueError:
        return _ENCODER.encode(json_safe(document)).encode("utf-8")


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
