"""A source document after reading: decoded text split into paragraphs, each with its language.

Readers (loaders/readers.py) produce these; extraction (loaders/extract/) consumes them.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    text: str
    lang: str  # "en" | "ru" | "other"


@dataclass(frozen=True)
class SourceDocument:
    id: str  # the input file's name ("000_6cd9891a57f4c440.txt"), or "stdin", or a URL
    text: str  # the main text, boilerplate removed, paragraphs joined by blank lines
    paragraphs: tuple[Paragraph, ...]
    lang: str  # the document's main language: "en" | "ru"
    title: str | None = None
    date: str | None = None  # ISO 8601 date when the document gives one
    source: str | None = None  # path or URL it was read from
    content_hash: str = ""  # sha256 hex of `text`
    meta: dict[str, str] = field(default_factory=dict)
