"""Turns the `cypher/` folder into a validated registry of named, read-only queries.

Each `<name>.cypher` starts with a header of `//` lines:

    // name: clusters_in_region
    // description: The clusters located in a region ...
    // param: region region — the region: ISO code or any name variant
    // param: limit integer(1..1000) = 20 — how many rows at most
    // returns: region, cluster, industry

A parameter without `= default` is required; an integer may carry bounds, `integer(1..1000)`. Types: string, integer, float, boolean, date (an ISO date
or its prefix: 2018, 2018-06, 2018-06-01) and region (a string naming a region; the API may turn it
into an ISO code first). Loading checks everything a request would otherwise find out too late: the
header, every `$param` declared and every declared one used, unique identifier names, and that the
query cannot write. Nothing else in the project knows this file syntax.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PARAM_TYPES: dict[str, type] = {
    "string": str, "region": str, "date": str, "integer": int, "float": float, "boolean": bool,
}
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PARAM_LINE = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>[a-z]+)(?:\((?P<min>-?\d+)?\.\.(?P<max>-?\d+)?\))?"
    r"(?:\s*=\s*(?P<default>.+?))?\s+—\s+(?P<meaning>.+)$"
)
# Neo4j integers are 64-bit: anything outside would fail in the driver, not as a clean 422.
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
_PARAM_USE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
# Clauses and procedures that write or administer; Neo4j also refuses them in read transactions,
# this makes a bad file fail at start-up instead of at its first request.
_WRITE_CLAUSE = re.compile(
    r"\b(CREATE|MERGE|SET|DELETE|REMOVE|DETACH|DROP|FOREACH|LOAD\s+CSV|ALTER|RENAME|GRANT|DENY|REVOKE"
    r"|TERMINATE|ENABLE|DEALLOCATE|REALLOCATE)\b",
    re.IGNORECASE,
)
_WRITE_PROCEDURE = re.compile(
    r"\b(apoc\s*\.\s*(create|merge|refactor|periodic|nodes\s*\.\s*(delete|link|collapse)|do|trigger|schema"
    r"|atomic|lock|graph\s*\.\s*from|cypher\s*\.\s*(doit|runwrite|runschema|runmany|runfile))"
    r"|db\s*\.\s*(create|index\s*\.\s*fulltext\s*\.\s*(create|drop)|clearquerycaches)"
    r"|dbms\s*\.\s*(?!components\b|procedures\b|functions\b)\w+)",
    re.IGNORECASE,
)


class RegistryError(ValueError):
    """A query file is malformed or could write; the message names the file and line."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    meaning: str
    default: Any = None
    required: bool = True
    minimum: int | None = None  # integer bounds, from `integer(1..1000)`
    maximum: int | None = None

    @property
    def python_type(self) -> type:
        return PARAM_TYPES[self.type]

    def coerce(self, raw: str) -> Any:
        """A value typed on a command line or in a URL, converted to this parameter's type."""
        if self.type == "integer":
            value = int(raw)
            low = INT_MIN if self.minimum is None else self.minimum
            high = INT_MAX if self.maximum is None else self.maximum
            if not low <= value <= high:
                raise ValueError(f"{value} is outside {low}..{high}")
            return value
        if self.type == "float":
            return float(raw)
        if self.type == "boolean":
            low = raw.strip().lower()
            if low in ("true", "1", "yes", "on"):
                return True
            if low in ("false", "0", "no", "off"):
                return False
            raise ValueError(f"not a boolean: {raw!r}")
        if self.type == "date" and not re.match(DATE_PATTERN, raw):
            raise ValueError(f"not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {raw!r}")
        return raw


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    params: tuple[Param, ...]
    returns: tuple[str, ...]
    text: str  # the whole file, header included: runnable as is in Neo4j Browser
    path: Path = field(compare=False)

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params if not p.required}

    def catalogue_entry(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "parameters": [
                {"name": p.name, "type": p.type, "required": p.required, "default": p.default,
                 "meaning": p.meaning, "minimum": p.minimum, "maximum": p.maximum}
                for p in self.params
            ],
            "columns": list(self.returns),
        }


def mask_literals(text: str) -> str:
    """The text with string literals, backquoted names and comments blanked out (newlines kept, so
    line numbers stay right): what remains is the Cypher that actually runs."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "'\"`":
            j = i + 1
            while j < n and text[j] != ch:
                j += 2 if text[j] == "\\" and ch != "`" else 1
            end = min(j + 1, n)
            out.append(ch + "".join(c if c == "\n" else " " for c in text[i + 1:end - 1]) + ch)
            i = end
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("".join(c if c == "\n" else " " for c in text[i:j]))
            i = j
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _parse_default(raw: str, ptype: str, where: str) -> Any:
    try:
        value = json.loads(raw.replace("'", '"')) if raw.startswith("'") else json.loads(raw)
    except json.JSONDecodeError as exc:
        raise RegistryError(f"{where}: default {raw!r} is not a JSON literal (null, 3, 1.5, true, \"text\")") from exc
    if value is not None and not isinstance(value, PARAM_TYPES[ptype]):
        raise RegistryError(f"{where}: default {raw!r} is not of type {ptype}")
    if value is not None and ptype == "date" and not re.match(DATE_PATTERN, value):
        raise RegistryError(f"{where}: default {raw!r} is not an ISO date")
    return value


def parse_query_file(path: Path) -> NamedQuery:
    """One query file, checked; raises RegistryError naming the file and line of the first problem."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    header: dict[str, list[tuple[int, str]]] = {}
    for lineno, line in enumerate(lines, 1):
        m = re.match(r"^//\s*(name|description|param|returns):\s*(.*?)\s*$", line)
        if m:
            header.setdefault(m.group(1), []).append((lineno, m.group(2)))
        elif not line.startswith("//"):
            break
    for key in ("name", "description", "returns"):
        found = header.get(key, [])
        if len(found) != 1 or not found[0][1]:
            raise RegistryError(f"{path}:1: the header needs exactly one non-empty '// {key}:' line")
    name = header["name"][0][1]
    if not _IDENT.match(name):
        raise RegistryError(f"{path}:{header['name'][0][0]}: name {name!r} is not a valid identifier")
    if name != path.stem:
        raise RegistryError(f"{path}:{header['name'][0][0]}: name {name!r} differs from the file name")
    returns = tuple(c.strip() for c in header["returns"][0][1].split(","))
    if not all(_IDENT.match(c) for c in returns):
        raise RegistryError(f"{path}:{header['returns'][0][0]}: returns must list column identifiers")
    params: list[Param] = []
    for lineno, raw in header.get("param", []):
        where = f"{path}:{lineno}"
        m = _PARAM_LINE.match(raw)
        if not m:
            raise RegistryError(f"{where}: expected '// param: <name> <type> [= default] — <meaning>'")
        if m["type"] not in PARAM_TYPES:
            raise RegistryError(f"{where}: unknown type {m['type']!r} (one of {', '.join(PARAM_TYPES)})")
        if any(p.name == m["name"] for p in params):
            raise RegistryError(f"{where}: parameter {m['name']!r} declared twice")
        if (m["min"] or m["max"]) and m["type"] != "integer":
            raise RegistryError(f"{where}: only integer parameters take bounds")
        required = m["default"] is None
        default = None if required else _parse_default(m["default"], m["type"], where)
        minimum = int(m["min"]) if m["min"] else None
        maximum = int(m["max"]) if m["max"] else None
        params.append(Param(m["name"], m["type"], m["meaning"], default, required, minimum, maximum))

    code = mask_literals(text)
    code_lines = code.splitlines()
    for pattern, what in ((_WRITE_CLAUSE, "write clause"), (_WRITE_PROCEDURE, "write procedure")):
        for lineno, line in enumerate(code_lines, 1):
            hit = pattern.search(line)
            if hit:
                raise RegistryError(f"{path}:{lineno}: {what} {hit.group(0)!r} refused: named queries are read-only")
    used: dict[str, int] = {}
    for lineno, line in enumerate(code_lines, 1):
        for m in _PARAM_USE.finditer(line):
            used.setdefault(m.group(1), lineno)
    declared = {p.name for p in params}
    for pname, lineno in used.items():
        if pname not in declared:
            raise RegistryError(f"{path}:{lineno}: ${pname} is used but not declared with '// param:'")
    for lineno, raw in header.get("param", []):
        pname = raw.split()[0]
        if pname not in used:
            raise RegistryError(f"{path}:{lineno}: parameter {pname!r} is declared but never used")
    return NamedQuery(name, header["description"][0][1], tuple(params), returns, text, path)


def load_registry(folder: Path) -> dict[str, NamedQuery]:
    """Every `*.cypher` file of the folder, by name, sorted; raises RegistryError on the first bad file."""
    files = sorted(folder.glob("*.cypher"))
    if not files:
        raise RegistryError(f"{folder}: no .cypher files")
    registry: dict[str, NamedQuery] = {}
    for path in files:
        query = parse_query_file(path)
        if query.name in registry:
            raise RegistryError(f"{path}:1: name {query.name!r} already used by {registry[query.name].path}")
        registry[query.name] = query
    return registry
