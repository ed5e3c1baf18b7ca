"""The JSON exchange format of shared/schema.md as typed models: extraction output, gold, export.

Everything that crosses a module boundary as "facts of a document" is an `Exchange`.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Label = Literal["Region", "Cluster", "Enterprise", "Institution", "Official", "Agreement"]
RelType = Literal[
    "ANCHORS", "MEMBER_OF", "LOCATED_IN", "SIGNED", "PARTY_TO", "CONCERNS", "HOLDS_POST", "COORDINATES"
]
LABELS: tuple[str, ...] = ("Region", "Cluster", "Enterprise", "Institution", "Official", "Agreement")
REL_TYPES: tuple[str, ...] = (
    "ANCHORS", "MEMBER_OF", "LOCATED_IN", "SIGNED", "PARTY_TO", "CONCERNS", "HOLDS_POST", "COORDINATES"
)

# Which labels each relationship may connect (shared/schema.md, "Relationships").
REL_ENDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "ANCHORS": (frozenset({"Enterprise"}), frozenset({"Cluster"})),
    "MEMBER_OF": (frozenset({"Enterprise", "Institution"}), frozenset({"Cluster"})),
    "LOCATED_IN": (frozenset({"Enterprise", "Institution", "Cluster"}), frozenset({"Region"})),
    "SIGNED": (frozenset({"Official"}), frozenset({"Agreement"})),
    "PARTY_TO": (frozenset({"Region", "Enterprise", "Institution", "Cluster"}), frozenset({"Agreement"})),
    "CONCERNS": (frozenset({"Agreement"}), frozenset({"Cluster"})),
    "HOLDS_POST": (frozenset({"Official"}), frozenset({"Region", "Enterprise", "Institution", "Cluster"})),
    "COORDINATES": (frozenset({"Institution"}), frozenset({"Cluster"})),
}


class _Model(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="ignore")


class DocumentRef(_Model):
    id: str
    lang: str | None = None
    date: str | None = None
    title: str | None = None
    source: str | None = None
    contentHash: str | None = None


class Entity(_Model):
    key: str
    label: Label
    name: str
    aliases: list[str] = Field(default_factory=list)
    props: dict[str, Any] = Field(default_factory=dict)
    optional: bool = False


class Evidence(_Model):
    doc: str
    text: str
    rule: str | None = None  # id of the extraction rule that read this fact off this sentence


class Relation(_Model):
    type: RelType
    from_: str = Field(alias="from")
    to: str
    props: dict[str, Any] = Field(default_factory=dict)
    evidence: list[Evidence] = Field(default_factory=list)
    optional: bool = False
    inferred: bool = False  # drawn by the inference stage from other facts, not stated by one sentence


class Exchange(_Model):
    documents: list[DocumentRef] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)

    def to_json(self, indent: int | None = 2) -> str:
        data = self.model_dump(by_alias=True, exclude_defaults=False)
        for ent in data["entities"]:
            if not ent.get("optional"):
                ent.pop("optional", None)
        for rel in data["relations"]:
            for flag in ("optional", "inferred"):
                if not rel.get(flag):
                    rel.pop(flag, None)
            for ev in rel.get("evidence", []):
                if ev.get("rule") is None:
                    ev.pop("rule", None)
        return json.dumps(data, ensure_ascii=False, indent=indent)

    @classmethod
    def read(cls, path: Path) -> Exchange:
        return cls.model_validate_json(path.read_text(encoding="utf-8"))
