"""Extraction quality against gold annotations, by the rules of shared/schema.md ("How extraction
quality is scored") and shared/gold/README.md; its figures equal those of shared/eval/score.py.

Rules, in order:
- Names are normalised: NFKC, case-folded, ё→е, quotes and punctuation to spaces, hyphens and dashes
  to spaces, legal forms dropped, Russian words longer than four letters stemmed by suffix.
- A predicted entity matches a gold entity of the same label when a normalised name or alias is
  shared, or a fuzzy score (sorted-token similarity, or token containment covering >= 60 % of the
  longer name) is >= 90; Regions with an ISO code on both sides match on the code alone.
- Pairs are taken best score first, each gold entity once; a further predicted duplicate still maps
  to its gold entity (for relations) but counts neither as hit nor as extra.
- Agreements left unmatched are paired by shared signers/parties, or one-to-one when each side
  has exactly one left.
- A predicted relation matches when type and both mapped ends agree; repeats count once; a
  MEMBER_OF where the gold has ANCHORS is ignored (anchors are members).
- Gold facts marked `optional` are neither required nor rewarded.
- Precision, recall and F1 are micro-averaged over all documents, per label/type and overall.

Public API: `score_document(pred, gold, name) -> ScoreReport`, `score_dirs(gold_dir, pred_dir)
-> ScoreReport`, `ScoreReport.format()`, `ScoreReport.to_dict()`, `normalise_name(name)`.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

# The normalisation constants are part of the scoring rules, fixed with them (not tunable data).
LEGAL_FORMS = frozenset({
    "ооо", "ooo", "llc", "ао", "jsc", "пао", "pjsc", "зао", "cjsc", "оао", "ojsc",
    "нп", "np", "ано", "ano", "ltd", "inc", "гк", "пк", "фгуп", "гуп", "муп",
})
RU_ENDINGS: tuple[str, ...] = tuple(sorted(
    ("ого", "его", "ому", "ему", "ыми", "ими", "ой", "ей", "ий", "ый", "ая", "яя", "ое", "ее", "ые", "ие",
     "ых", "их", "ую", "юю", "ом", "ем", "ам", "ям", "ах", "ях", "ов", "ев", "ию", "ия", "ье", "ья",
     "а", "я", "ы", "и", "у", "ю", "е", "о", "ь"),
    key=len, reverse=True,
))
FUZZY_THRESHOLD = 90
CONTAINMENT_SHARE = 0.6
CONTAINMENT_SCORE = 0.95
_PUNCT = re.compile(r"[«»“”„\"'`’‘()\[\],.;:!?]")
_CYRILLIC = re.compile("[а-я]")

Json = Mapping[str, Any]


# --- names ---------------------------------------------------------------------------------------

def _stem(token: str) -> str:
    if len(token) > 4 and _CYRILLIC.search(token):
        for ending in RU_ENDINGS:
            if token.endswith(ending) and len(token) - len(ending) >= 3:
                return token[: -len(ending)]
    return token


def normalise_name(name: str | None) -> str:
    """A name as the scorer compares it: 'АО «Арнест»' and 'Arnest JSC' lose their legal forms."""
    text = unicodedata.normalize("NFKC", name or "").casefold().replace("ё", "е")
    text = _PUNCT.sub(" ", text)
    text = text.replace("-", " ").replace("–", " ").replace("—", " ")
    return " ".join(_stem(tok) for tok in text.split() if tok not in LEGAL_FORMS)


def fuzzy_score(a: str, b: str) -> float:
    """0..100: sorted-token similarity, or 95 when one name's words are inside the other's and cover
    at least 60 % of it ('kaluga' inside 'kaluga cluster' does not: 50 %)."""
    ta, tb = a.split(), b.split()
    best = SequenceMatcher(None, " ".join(sorted(ta)), " ".join(sorted(tb))).ratio()
    sa, sb = set(ta), set(tb)
    small, big = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
    if small and small <= big and len(small) / len(big) >= CONTAINMENT_SHARE:
        best = max(best, CONTAINMENT_SCORE)
    return best * 100


@dataclass(frozen=True)
class _Entity:
    key: str
    label: str | None
    name: str | None
    names: frozenset[str]
    iso: str | None
    optional: bool

    @classmethod
    def of(cls, data: Json) -> _Entity:
        names = {normalise_name(data.get("name", ""))}
        names.update(normalise_name(a) for a in data.get("aliases", []) or [])
        names.discard("")
        props = data.get("props") or {}
        return cls(data["key"], data.get("label"), data.get("name"), frozenset(names), props.get("iso"),
                   bool(data.get("optional")))


def entity_score(pred: _Entity, gold: _Entity) -> float:
    """0 when they cannot be the same entity, else 90..100."""
    if pred.label != gold.label:
        return 0
    if gold.label == "Region" and gold.iso and pred.iso:
        return 100 if gold.iso.upper() == pred.iso.upper() else 0
    if pred.names & gold.names:
        return 100
    best = max((fuzzy_score(a, b) for a in pred.names for b in gold.names), default=0)
    return best if best >= FUZZY_THRESHOLD else 0


# --- pairing -------------------------------------------------------------------------------------

def match_entities(pred: Iterable[_Entity], gold: Iterable[_Entity]) -> dict[str, str]:
    """Predicted key -> gold key, best pairs first; duplicates map to an already taken gold entity."""
    golds = list(gold)
    pairs = [(s, p.key, g.key) for p in pred for g in golds if (s := entity_score(p, g))]
    pairs.sort(reverse=True)  # ties fall to the larger keys, as in the reference scorer
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for _, pk, gk in pairs:
        if pk not in mapping and gk not in taken:
            mapping[pk] = gk
            taken.add(gk)
    for _, pk, gk in pairs:
        mapping.setdefault(pk, gk)
    return mapping


def _neighbours(relations: Iterable[Json], key: str, mapping: Mapping[str, str] | None = None) -> set[str]:
    out: set[str | None] = set()
    for rel in relations:
        ends = (rel.get("from"), rel.get("to"))
        if key in ends:
            other = ends[1] if ends[0] == key else ends[0]
            out.add(mapping.get(other) if mapping is not None else other)  # type: ignore[arg-type]
    out.discard(None)
    return out  # type: ignore[return-value]


def match_agreements(pred_rels: list[Json], gold_rels: list[Json], pents: Mapping[str, _Entity],
                     gents: Mapping[str, _Entity], mapping: dict[str, str]) -> None:
    """Pairs unmatched Agreements by shared signers/parties, then one-to-one if one is left each side."""
    used = set(mapping.values())
    pred_left = [k for k, e in pents.items() if e.label == "Agreement" and k not in mapping]
    gold_left = [k for k, e in gents.items() if e.label == "Agreement" and k not in used]
    for pk in pred_left:
        around = _neighbours(pred_rels, pk, mapping)
        best = max(gold_left, key=lambda gk: len(around & _neighbours(gold_rels, gk)), default=None)
        if best is not None and around & _neighbours(gold_rels, best):
            mapping[pk] = best
            gold_left.remove(best)
    pred_left = [k for k in pred_left if k not in mapping]
    if len(pred_left) == 1 and len(gold_left) == 1:
        mapping[pred_left[0]] = gold_left[0]


# --- report --------------------------------------------------------------------------------------

@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def to_dict(self) -> dict[str, float | int]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn,
                "p": self.precision, "r": self.recall, "f1": self.f1}


@dataclass
class ScoreReport:
    """Counts per entity label and per relation type (only those that occurred), and the misses."""

    entities: dict[str, Counts] = field(default_factory=dict)
    relations: dict[str, Counts] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    documents: int = 0

    @property
    def entity_total(self) -> Counts:
        return sum(self.entities.values(), Counts())

    @property
    def relation_total(self) -> Counts:
        return sum(self.relations.values(), Counts())

    def merge(self, other: ScoreReport) -> None:
        for mine, theirs in ((self.entities, other.entities), (self.relations, other.relations)):
            for label, counts in theirs.items():
                mine[label] = mine.get(label, Counts()) + counts
        self.misses += other.misses
        self.documents += other.documents

    def _count(self, table: dict[str, Counts], label: Any, what: str) -> None:
        counts = table.setdefault(label, Counts())
        setattr(counts, what, getattr(counts, what) + 1)

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "entities": {"all": self.entity_total.to_dict(),
                         **{k: c.to_dict() for k, c in sorted(self.entities.items(), key=_label_order)}},
            "relations": {"all": self.relation_total.to_dict(),
                          **{k: c.to_dict() for k, c in sorted(self.relations.items(), key=_label_order)}},
            "misses": list(self.misses),
        }

    def summary(self) -> str:
        e, r = self.entity_total, self.relation_total
        return (f"entity F1 {e.f1:.3f} (P {e.precision:.3f} R {e.recall:.3f}); "
                f"relation F1 {r.f1:.3f} (P {r.precision:.3f} R {r.recall:.3f})")

    def format(self, misses: bool = False) -> str:
        """The per-label and per-type table, the misses if asked, and the one-line summary."""
        lines: list[str] = []
        for title, table, total in (("entities", self.entities, self.entity_total),
                                    ("relations", self.relations, self.relation_total)):
            lines.append(f"== {title}")
            for label, c in sorted(table.items(), key=_label_order):
                lines.append(f"  {label!s:12s} P={c.precision:.2f} R={c.recall:.2f} F1={c.f1:.2f}  "
                             f"(tp={c.tp} fp={c.fp} fn={c.fn})")
            lines.append(f"  {'ALL':12s} P={total.precision:.2f} R={total.recall:.2f} F1={total.f1:.2f}")
        if misses:
            lines += self.misses
        lines.append(self.summary())
        return "\n".join(lines)


def _label_order(item: tuple[Any, Counts]) -> str:
    return str(item[0])


# --- scoring -------------------------------------------------------------------------------------

def score_document(pred: Json, gold: Json, name: str) -> ScoreReport:
    """The counts and misses of one predicted document against its gold; `name` prefixes misses."""
    report = ScoreReport(documents=1)
    gents = {e["key"]: _Entity.of(e) for e in gold.get("entities", [])}
    pents = {e["key"]: _Entity.of(e) for e in pred.get("entities", [])}
    pred_rels: list[Json] = list(pred.get("relations", []))
    gold_rels: list[Json] = list(gold.get("relations", []))
    mapping = match_entities(pents.values(), gents.values())
    match_agreements(pred_rels, gold_rels, pents, gents, mapping)

    counted: set[str] = set()
    for pk, pe in pents.items():
        gk = mapping.get(pk)
        if gk is None:
            report._count(report.entities, pe.label, "fp")
            report.misses.append(f"{name}: extra {pe.label} '{pe.name}'")
        elif gk not in counted:
            counted.add(gk)
            if not gents[gk].optional:
                report._count(report.entities, pe.label, "tp")
    for gk, ge in gents.items():
        if gk not in counted and not ge.optional:
            report._count(report.entities, ge.label, "fn")
            report.misses.append(f"{name}: missed {ge.label} '{ge.name}'")

    gold_by_key: dict[tuple[Any, Any, Any], Json] = {(r["type"], r["from"], r["to"]): r for r in gold_rels}
    anchors = {(f, t) for (kind, f, t) in gold_by_key if kind == "ANCHORS"}
    found: set[tuple[Any, Any, Any]] = set()
    for rel in pred_rels:
        key = (rel.get("type"), mapping.get(rel.get("from")), mapping.get(rel.get("to")))  # type: ignore[arg-type]
        if key in found:
            continue
        if key in gold_by_key:
            found.add(key)
            if not gold_by_key[key].get("optional"):
                report._count(report.relations, key[0], "tp")
        elif key[0] == "MEMBER_OF" and (key[1], key[2]) in anchors:
            continue
        else:
            report._count(report.relations, rel.get("type"), "fp")
            src = pents[rel["from"]].name if rel.get("from") in pents else None
            dst = pents[rel["to"]].name if rel.get("to") in pents else None
            report.misses.append(f"{name}: extra {rel.get('type')} '{src}' -> '{dst}'")
    for key, rel in gold_by_key.items():
        if key not in found and not rel.get("optional"):
            report._count(report.relations, key[0], "fn")
            report.misses.append(f"{name}: missed {key[0]} '{gents[key[1]].name}' -> '{gents[key[2]].name}'")
    return report


def score_dirs(gold_dir: Path, pred_dir: Path) -> ScoreReport:
    """Every `GOLD_DIR/NAME.json` against `PRED_DIR/NAME.json` (missing predictions are empty)."""
    report = ScoreReport()
    for gold_file in sorted(Path(gold_dir).glob("*.json")):
        gold = _read_json(gold_file)
        pred_file = Path(pred_dir) / gold_file.name
        if pred_file.exists():
            pred = _read_json(pred_file)
        else:
            pred = {"entities": [], "relations": []}
            report.misses.append(f"{gold_file.name}: no prediction file")
        report.merge(score_document(pred, gold, gold_file.stem))
    return report


class ScoringInputError(ValueError):
    """A gold or prediction file that is not an exchange JSON object; the message names the file."""


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeError, json.JSONDecodeError) as exc:
        raise ScoringInputError(f"{path}: not readable exchange JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise ScoringInputError(f"{path}: expected a JSON object with entities and relations")
    return data
