"""Analyst-driven deduplication: `klaster doubts` lists near-duplicate pairs, `klaster merge A B` joins two.

Resolution merges only on certain identity (registry id, or an exact normalised name/alias). What is
close but not certain stays two nodes and shows up here:

- same label, a rapidfuzz score of their normalised names/aliases/transliterations (`normAliases`)
  at or above `min_score` (default 80): the mean of token-set and token-sort ratios, e.g.
  `Altai composite cluster` vs `Altai polymer composite cluster` (91);
- the same normalised name kept apart because their legal forms or INNs differ
  (`JSC Arnest` vs `LLC Arnest`): reported with score 100 and that reason.

Regions (identified by ISO code) and Agreements (identified by title and date) are not compared.

A node is named `Label:key` (`Enterprise:arnest`), as `doubts` prints it. `merge_nodes(A, B)` keeps A:
every relationship of B moves to A (a relationship A already has absorbs B's `sources` and `evidence`),
B's mentions move too, B's name and aliases become A's aliases (so later loads resolve them to A), A's
missing properties are filled from B, and B is deleted — all in one transaction.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from neo4j import Driver, ManagedTransaction

from loaders.exchange import REL_TYPES

COMPARED_LABELS = ("Cluster", "Enterprise", "Institution", "Official")
_META = {"key", "name", "aliases", "normAliases", "searchText"}
# A token shared by more names than this (кластер, cluster, ...) says nothing about identity.
_COMMON_TOKEN = 200


@dataclass(frozen=True)
class Doubt:
    score: float
    label: str
    a: str  # Label:key
    a_name: str
    b: str
    b_name: str
    reason: str


def parse_ref(ref: str) -> tuple[str, str]:
    """`Label:key` → (label, key)."""
    label, sep, key = ref.partition(":")
    if not sep or not key or label not in COMPARED_LABELS + ("Agreement", "Region"):
        raise ValueError(f"'{ref}' is not a node reference: write Label:key, e.g. Enterprise:arnest")
    return label, key


def find_doubts(driver: Driver, min_score: float = 80.0, labels: tuple[str, ...] = COMPARED_LABELS,
                limit: int | None = None, database: str | None = None) -> list[Doubt]:
    """Pairs of nodes that may be one thing, best score first."""
    from rapidfuzz import fuzz

    out: list[Doubt] = []
    for label in labels:
        records, _, _ = driver.execute_query(
            f"MATCH (n:{label}) RETURN n.key AS key, n.name AS name, "
            "[k IN ['normAliases', 'legalForm', 'inn'] | n[k]] AS p ORDER BY n.key", database_=database)
        nodes = [(r["key"], r["name"], [r["key"], *(r["p"][0] or [])], r["p"][1], r["p"][2]) for r in records]
        strings: list[tuple[int, str]] = []
        for i, (_, _, norms, _, _) in enumerate(nodes):
            for s in dict.fromkeys(norms):
                strings.append((i, s))
        # Block on shared tokens so the comparison stays near-linear on big graphs.
        blocks: dict[str, list[int]] = defaultdict(list)
        for j, (_, s) in enumerate(strings):
            for tok in set(s.split()):
                blocks[tok].append(j)
        best: dict[tuple[int, int], tuple[float, str]] = {}
        for members in blocks.values():
            if len(members) > _COMMON_TOKEN:
                continue
            for x in range(len(members)):
                ia, sa = strings[members[x]]
                for y in range(x + 1, len(members)):
                    ib, sb = strings[members[y]]
                    if ia == ib:
                        continue
                    pair = (min(ia, ib), max(ia, ib))
                    # token-set alone scores any subset 100 ("vladimir popov" ⊃ "vladimir"); averaging
                    # with token-sort keeps subsets high only when they cover most of the longer name.
                    score = (fuzz.token_set_ratio(sa, sb) + fuzz.token_sort_ratio(sa, sb)) / 2
                    if score >= min_score and score > best.get(pair, (0.0, ""))[0]:
                        best[pair] = (score, "near name")
        for (ia, ib), (score, reason) in best.items():
            a, b = nodes[ia], nodes[ib]
            if set(a[2][1:]) & set(b[2][1:]) or a[2][0].split("|")[0] == b[2][0].split("|")[0]:
                if a[3] != b[3]:
                    reason = f"same name, different legal forms ({a[3] or '-'} vs {b[3] or '-'})"
                elif a[4] != b[4]:
                    reason = f"same name, different INN ({a[4] or '-'} vs {b[4] or '-'})"
                score = 100.0
            out.append(Doubt(round(score, 1), label, f"{label}:{a[0]}", a[1], f"{label}:{b[0]}", b[1], reason))
    out.sort(key=lambda d: (-d.score, d.label, d.a, d.b))
    return out[:limit] if limit else out


# Moves b's relationships of one type onto a, in one direction: {pattern} is `(b)-[r]->(x)` going out
# or `(x)-[r]->(b)` coming in, and {merged} the same shape with a in b's place.
_MOVE = """
MATCH {pattern}
MATCH (a:{label} {{key: $a}})
WHERE x <> a
MERGE {merged}
ON CREATE SET n.sources = [], n.evidence = []
SET n.sources = n.sources + [s IN coalesce(r.sources, []) WHERE NOT s IN n.sources],
    n.evidence = n.evidence + [s IN coalesce(r.evidence, []) WHERE NOT s IN n.evidence]{title}
DELETE r
RETURN count(*) AS moved
"""
_DIRECTIONS = (
    ("(b:{label} {{key: $b}})-[r:{type}]->(x)", "(a)-[n:{type}]->(x)"),
    ("(x)-[r:{type}]->(b:{label} {{key: $b}})", "(x)-[n:{type}]->(a)"),
)

_MOVE_MENTIONS = """
MATCH (b:{label} {{key: $b}})-[r:MENTIONED_IN]->(d:Document)
MATCH (a:{label} {{key: $a}})
MERGE (a)-[:MENTIONED_IN]->(d)
DELETE r
"""


def _merge(tx: ManagedTransaction, label: str, a: str, b: str) -> dict[str, Any]:
    nodes = {r["key"]: r["props"] for r in tx.run(
        f"MATCH (n:{label}) WHERE n.key IN [$a, $b] RETURN n.key AS key, properties(n) AS props", a=a, b=b)}
    if a not in nodes or b not in nodes:
        missing = ", ".join(f"{label}:{k}" for k in (a, b) if k not in nodes)
        raise LookupError(f"no such node: {missing}")
    pa, pb = nodes[a], nodes[b]
    moved = 0
    for rtype in REL_TYPES:
        title = ",\n    n.title = coalesce(n.title, r.title)" if rtype == "HOLDS_POST" else ""
        for pattern, merged in _DIRECTIONS:
            query = _MOVE.format(pattern=pattern.format(label=label, type=rtype), merged=merged.format(type=rtype),
                                 label=label, title=title)
            rec = tx.run(query, a=a, b=b).single()
            moved += rec["moved"] if rec else 0
    tx.run(_MOVE_MENTIONS.format(label=label), a=a, b=b).consume()
    aliases = list(pa.get("aliases") or [])
    for form in [pb.get("name"), *(pb.get("aliases") or [])]:
        if form and form != pa.get("name") and form not in aliases:
            aliases.append(form)
    norm = list(pa.get("normAliases") or [])
    norm += [k for k in [pb["key"].split("|")[0], *(pb.get("normAliases") or [])] if k not in norm]
    fill = {k: v for k, v in pb.items() if k not in _META and pa.get(k) is None}
    name = pa.get("name") or pb.get("name")
    search = " | ".join(dict.fromkeys(x for x in [name, pa.get("nameRu") or fill.get("nameRu"), *aliases] if x))
    tx.run(f"MATCH (b:{label} {{key: $b}}) DETACH DELETE b", b=b).consume()
    tx.run(f"MATCH (a:{label} {{key: $a}}) SET a += $fill, a.aliases = $aliases, a.normAliases = $norm, "
           "a.searchText = $search", a=a, fill=fill, aliases=aliases, norm=norm, search=search).consume()
    return {"kept": f"{label}:{a}", "removed": f"{label}:{b}", "relationshipsMoved": moved,
            "aliasesAdded": len(aliases) - len(pa.get("aliases") or [])}


def merge_nodes(driver: Driver, a: str, b: str, database: str | None = None) -> dict[str, Any]:
    """Merge node B into node A (both `Label:key`, same label) in one transaction; returns what moved."""
    la, ka = parse_ref(a)
    lb, kb = parse_ref(b)
    if la != lb:
        raise ValueError(f"cannot merge a {la} with a {lb}")
    if ka == kb:
        raise ValueError("A and B are the same node")
    if la == "Region":
        raise ValueError("Regions are identified by ISO code and are not merged")
    with driver.session(database=database) as session:
        return session.execute_write(_merge, la, ka, kb)
