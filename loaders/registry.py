"""Structured registries of clusters and their members (CSV, XLSX, JSON) as facts with provenance.

A registry is a table, one row per (cluster, member) fact. Columns (header names, case-insensitive;
only `cluster` is required, the others may be empty or absent):

| column    | meaning |
|-----------|---------|
| `cluster` | the cluster's name, as the registry writes it |
| `region`  | the region the cluster is in: any name variant (`Тульская область`, `Tula Oblast`) or the ISO code (`RU-TUL`) |
| `member`  | an organisation in the cluster, with or without its legal form (`АО «Арнест»`) |
| `inn`     | the member's INN (taxpayer number): wins over names when resolving |
| `ogrn`    | the member's OGRN (state registration number) |
| `role`    | `anchor` (the anchor enterprise), `member` (default) or `coordinator` (the specialised organisation) |
| `kind`    | optional: `enterprise` (default for anchors and members) or an Institution kind (`university`, `college`, `ministry`, `government`, `fund`, `association`, `sez`, `technopark`, `corporation`, `other`); coordinators are Institutions |
| `source`  | where the row's fact comes from (URL, document, register name): kept in the evidence text |

Rows become the same entities and relationships as news: `ANCHORS` (anchor), `MEMBER_OF` (member),
`COORDINATES` (coordinator), `LOCATED_IN` (cluster → region); members resolve against the news-derived
nodes (INN/OGRN first, then names). The registry file is the `Document` (`lang` null, `source` its
path) and each row a `Sentence` whose text is the row as `column=value; ...` (docs/graph-model.md).

CSV: comma or semicolon separated, UTF-8 (with or without BOM) or Windows-1251. XLSX: the first sheet,
header in the first row. JSON: a list of row objects, or `{"registry": [...]}`.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path
from typing import Any

from loaders.document import Paragraph, SourceDocument
from loaders.exchange import Entity, Evidence, Exchange, Relation

COLUMNS = ("cluster", "region", "member", "inn", "ogrn", "role", "kind", "source")
ROLES = {"anchor": "ANCHORS", "member": "MEMBER_OF", "coordinator": "COORDINATES"}
INSTITUTION_KINDS = {"university", "college", "ministry", "government", "fund", "association", "sez",
                     "technopark", "corporation", "other"}
MAX_BYTES = 20 * 2**20
_ISO = re.compile(r"^RU-[A-Z]{2,3}$", re.IGNORECASE)


class RegistryError(ValueError):
    """A registry file that cannot be read, with the reason naming the file."""


def is_registry(path: Path) -> bool:
    """CSV and XLSX files are registries; a JSON file is one when its rows carry a `cluster` column."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".xlsx"):
        return True
    if suffix != ".json" or not path.is_file() or path.stat().st_size > MAX_BYTES:
        return False
    try:
        data = json.loads(path.read_bytes())
    except (ValueError, UnicodeError):
        return False
    rows = data.get("registry") if isinstance(data, dict) else data
    return (isinstance(rows, list) and bool(rows) and isinstance(rows[0], dict)
            and "cluster" in {str(k).strip().lower() for k in rows[0]})


def _decode(raw: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RegistryError(f"{path}: cannot decode as UTF-8 or Windows-1251")


def _rows_csv(raw: bytes, path: Path) -> list[dict[str, str]]:
    text = _decode(raw, path)
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


def _rows_xlsx(path: Path) -> list[dict[str, str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a corrupt workbook
        raise RegistryError(f"{path}: not a readable XLSX workbook ({type(exc).__name__})") from exc
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    if not rows:
        return []
    header = [str(h or "").strip() for h in rows[0]]
    return [{h: "" if v is None else str(v) for h, v in zip(header, row)} for row in rows[1:]]


def _rows_json(raw: bytes, path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise RegistryError(f"{path}: malformed JSON ({exc})") from exc
    rows = data.get("registry") if isinstance(data, dict) else data
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise RegistryError(f"{path}: a JSON registry is a list of row objects")
    return rows


def read_rows(path: Path) -> list[dict[str, str]]:
    """The registry's rows with lower-cased column names and stripped values (empty rows dropped)."""
    size = path.stat().st_size
    if size == 0:
        raise RegistryError(f"{path}: empty file")
    if size > MAX_BYTES:
        raise RegistryError(f"{path}: too large ({size / 2**20:.1f} MB > 20 MB)")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        rows = _rows_xlsx(path)
    else:
        raw = path.read_bytes()
        rows = _rows_json(raw, path) if suffix == ".json" else _rows_csv(raw, path)
    out = []
    for row in rows:
        clean = {str(k).strip().lower(): " ".join(str(v).split()) for k, v in row.items() if k is not None and v}
        if any(clean.values()):
            out.append(clean)
    if out and "cluster" not in out[0] and not any("cluster" in r for r in out):
        raise RegistryError(f"{path}: no `cluster` column (columns: {', '.join(COLUMNS)})")
    return out


def row_text(row: dict[str, str]) -> str:
    """A row rendered as evidence: `column=value; ...` in the documented column order, then any others."""
    names = [c for c in COLUMNS if row.get(c)] + sorted(k for k in row if k not in COLUMNS and row[k])
    return "; ".join(f"{k}={row[k]}" for k in names)


def _split_member(name: str) -> tuple[str, str | None]:
    from loaders.normalize import split_legal_form

    bare, legal = split_legal_form(name)
    return (bare or name), legal


def rows_to_exchange(rows: list[dict[str, str]], doc_id: str, path: Path | None = None) -> Exchange:
    """The registry's facts in the exchange format; every relation's evidence is its row."""
    entities: dict[str, Entity] = {}
    relations: list[Relation] = []

    def entity(key: str, label: str, name: str, props: dict[str, Any]) -> str:
        ent = entities.get(key)
        if ent is None:
            entities[key] = Entity(key=key, label=label, name=name, props=props)
        else:
            if name != ent.name and name not in ent.aliases:
                ent.aliases.append(name)
            for k, v in props.items():
                ent.props.setdefault(k, v)
        return key

    for n, row in enumerate(rows, start=2):
        cluster = row.get("cluster")
        if not cluster:
            raise RegistryError(f"{path or doc_id}: row {n} has no cluster")
        evidence = [Evidence(doc=doc_id, text=row_text(row))]
        c_key = entity(f"c:{cluster.casefold()}", "Cluster", cluster, {})
        region = row.get("region")
        if region:
            props = {"iso": region.upper()} if _ISO.match(region) else {}
            r_key = entity(f"r:{region.casefold()}", "Region", region, props)
            relations.append(Relation(type="LOCATED_IN", from_=c_key, to=r_key, evidence=evidence))
        member = row.get("member")
        if not member:
            continue
        role = (row.get("role") or "member").lower()
        if role not in ROLES:
            raise RegistryError(f"{path or doc_id}: row {n}: role '{role}' is not one of {', '.join(ROLES)}")
        kind = (row.get("kind") or "").lower()
        label = "Institution" if role == "coordinator" or kind in INSTITUTION_KINDS else "Enterprise"
        if role == "anchor" and label != "Enterprise":
            raise RegistryError(f"{path or doc_id}: row {n}: an anchor is an enterprise, not '{kind}'")
        name, legal = _split_member(member)
        props: dict[str, Any] = {}
        if label == "Enterprise":
            props = {k: v for k, v in (("legalForm", legal), ("inn", row.get("inn")), ("ogrn", row.get("ogrn")))
                     if v}
        else:
            props = {"kind": kind if kind in INSTITUTION_KINDS else "other"}
        m_key = entity(f"{label}:{(row.get('inn') or name).casefold()}", label, name, props)
        if member != name and member not in entities[m_key].aliases:
            entities[m_key].aliases.append(member)
        relations.append(Relation(type=ROLES[role], from_=m_key, to=c_key, evidence=evidence))
    return Exchange(entities=list(entities.values()), relations=relations)


def read_registry(path: Path) -> tuple[Exchange, SourceDocument]:
    """A registry file as one document's facts plus the document (id = file name, hash of its bytes)."""
    rows = read_rows(path)
    if not rows:
        raise RegistryError(f"{path}: no rows")
    texts = [row_text(r) for r in rows]
    text = "\n".join(texts)
    doc = SourceDocument(id=path.name, text=text, paragraphs=tuple(Paragraph(t, "other") for t in texts),
                         lang=None,  # type: ignore[arg-type]  # a registry has no language
                         title=f"Registry {path.name}", source=str(path),
                         content_hash=hashlib.sha256(path.read_bytes()).hexdigest())
    return rows_to_exchange(rows, doc.id, path), doc
