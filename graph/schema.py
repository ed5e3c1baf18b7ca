"""The graph's schema in Neo4j: uniqueness constraints, full-text and range indexes, and the Region nodes.

Everything here is idempotent: applying it twice changes nothing (docs/graph-model.md lists what it creates).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from neo4j import Driver

DOMAIN_LABELS: tuple[str, ...] = ("Region", "Cluster", "Enterprise", "Institution", "Official", "Agreement")

# (name, label, property): one uniqueness constraint each.
UNIQUE_KEYS: tuple[tuple[str, str, str], ...] = (
    ("region_key", "Region", "key"),
    ("region_iso", "Region", "iso"),
    ("cluster_key", "Cluster", "key"),
    ("enterprise_key", "Enterprise", "key"),
    ("institution_key", "Institution", "key"),
    ("official_key", "Official", "key"),
    ("agreement_key", "Agreement", "key"),
    ("document_id", "Document", "id"),
    ("sentence_id", "Sentence", "id"),
)

# (name, label, property): range indexes the loaders and named queries look up by.
RANGE_INDEXES: tuple[tuple[str, str, str], ...] = (
    ("enterprise_inn", "Enterprise", "inn"),
    ("document_hash", "Document", "contentHash"),
    ("document_loaded_at", "Document", "loadedAt"),
    ("agreement_date", "Agreement", "date"),
    ("sentence_doc", "Sentence", "docId"),
)

# (name, analyzer): full-text indexes over `searchText` of every domain label. The Russian analyzer
# stems, so a search for «Тульской области» finds «Тульская область»; the standard one keeps
# English and Latin-script names whole.
# Neo4j refuses two indexes with the same labels and properties (and IF NOT EXISTS then silently skips
# the second), so the Russian one also covers `nameRu`, which `searchText` contains anyway.
FULLTEXT_INDEXES: tuple[tuple[str, str, str], ...] = (
    ("entity_search", "standard-no-stop-words", "[n.searchText]"),
    ("entity_search_ru", "russian", "[n.searchText, n.nameRu]"),
)


def schema_statements() -> list[str]:
    """The Cypher that creates the schema, in order; each statement is a no-op when already applied."""
    stmts = [
        f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{label}) REQUIRE n.{prop} IS UNIQUE"
        for name, label, prop in UNIQUE_KEYS
    ]
    stmts += [
        f"CREATE INDEX {name} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})" for name, label, prop in RANGE_INDEXES
    ]
    labels = "|".join(DOMAIN_LABELS)
    stmts += [
        f"CREATE FULLTEXT INDEX {name} IF NOT EXISTS FOR (n:{labels}) ON EACH {props} "
        f"OPTIONS {{indexConfig: {{`fulltext.analyzer`: '{analyzer}'}}}}"
        for name, analyzer, props in FULLTEXT_INDEXES
    ]
    return stmts


def apply_schema(driver: Driver, database: str | None = None) -> None:
    """Create every constraint and index (idempotent), then wait until the indexes are online."""
    for stmt in schema_statements():
        driver.execute_query(stmt, database_=database)
    driver.execute_query("CALL db.awaitIndexes(300)", database_=database)


@dataclass(frozen=True)
class RegionLoadResult:
    regions: int
    created: int
    updated: int


def _region_rows() -> list[dict[str, object]]:
    from loaders.regions import all_regions

    rows = []
    for reg in all_regions():
        aliases = sorted({v for v in reg.variants if v and v not in (reg.name, reg.name_ru)})
        props: dict[str, object] = {
            "iso": reg.iso,
            "name": reg.name,
            "nameRu": reg.name_ru,
            "type": reg.type,
            "federalDistrict": reg.federal_district,
            "disputed": bool(reg.disputed),
            "aliases": aliases,
            "searchText": " | ".join([reg.name, reg.name_ru, *aliases]),
        }
        digest = hashlib.sha256(json.dumps(props, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        rows.append({"key": reg.iso, "props": props, "hash": digest})
    return rows


# Properties are written only when the gazetteer row changed, so a second `init` sets nothing.
_LOAD_REGIONS = """
UNWIND $rows AS row
MERGE (r:Region {key: row.key})
WITH r, row WHERE r.gazetteerHash IS NULL OR r.gazetteerHash <> row.hash
SET r += row.props, r.gazetteerHash = row.hash
RETURN count(r) AS written
"""


def load_regions(driver: Driver, database: str | None = None) -> RegionLoadResult:
    """Write every federal subject of the gazetteer as a Region node, keyed by its ISO code."""
    rows = _region_rows()
    records, summary, _ = driver.execute_query(_LOAD_REGIONS, rows=rows, database_=database)
    created = summary.counters.nodes_created
    written = records[0]["written"] if records else 0
    return RegionLoadResult(regions=len(rows), created=created, updated=written - created)


def init_graph(driver: Driver, database: str | None = None) -> RegionLoadResult:
    """What `klaster init` and every loader do before writing: schema, then regions."""
    apply_schema(driver, database)
    return load_regions(driver, database)
