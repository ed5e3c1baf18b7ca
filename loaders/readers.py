"""Reads source files into SourceDocuments: plain text, Markdown, HTML and JSON, in any of the
encodings Russian and English sites use, with site boilerplate dropped and languages tagged.

Public API:
- `read_path(path) -> list[SourceDocument]`: one file (a JSON list gives several documents).
- `read_bytes(data, name, source) -> list[SourceDocument]`: the same for bytes already in memory
  (stdin, an upload); `name` decides the format by its extension and becomes the document id.
- `ReadError(path, reason)`: raised for anything that is not a readable article (binary content,
  an empty file, a file over 20 MB, malformed JSON); its message names the file.

Document ids: a text, Markdown or HTML file's id is its file name ("000_6cd9891a57f4c440.txt"), so
that it equals the gold `documents[0].id`. In a JSON file, an object with a `url` takes the URL as
its id (the article's identity wherever it is stored); otherwise the id is the file name, with
`#<index>` (0-based) for the items of a list.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from loaders.boilerplate import strip_boilerplate
from loaders.dates import find_date, parse_date
from loaders.document import Paragraph, SourceDocument
from loaders.encoding import DecodeError, decode_text
from loaders.langdetect import detect_document

MAX_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = frozenset({".txt", ".text", ""})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
JSON_SUFFIXES = frozenset({".json"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES
_INVISIBLE = {"\xa0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\xad": "",
              "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": ""}
# A regex finds the few such characters far faster than str.translate walks a whole non-ASCII text.
_INVISIBLE_CHARS = re.compile(f"[{''.join(_INVISIBLE)}]")
_LETTER = re.compile(r"[^\W\d_]")
_SENTENCE_END = re.compile(r"[.!?…:;»\"”)]\s*$")
_CONTINUATION = re.compile(r"^[a-zа-яё(«\"“,]")


class ReadError(Exception):
    """A file that cannot be read as an article; `str()` is "<path>: <reason>"."""

    def __init__(self, path: str | Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


def read_path(path: Path) -> list[SourceDocument]:
    """The documents of one file; raises ReadError naming the file when it cannot be read."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ReadError(path, f"file too large ({size / 1024 / 1024:.1f} MB > {MAX_BYTES // 1024 // 1024} MB)")
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(path, exc.strerror or str(exc)) from exc
    return read_bytes(data, path.name, str(path))


def read_bytes(data: bytes, name: str, source: str | None = None) -> list[SourceDocument]:
    """The documents in `data`, read as the format `name`'s extension says (sniffed when unknown)."""
    where = source or name
    if len(data) > MAX_BYTES:
        raise ReadError(where, f"file too large ({len(data) / 1024 / 1024:.1f} MB > 20 MB)")
    suffix = Path(name).suffix.lower()
    declared = None
    if suffix in HTML_SUFFIXES or suffix not in SUPPORTED_SUFFIXES:
        from loaders.htmltext import declared_charset

        declared = declared_charset(data)
    try:
        text, encoding = decode_text(data, declared)
    except DecodeError as exc:
        raise ReadError(where, str(exc)) from exc
    text = clean_text(text)
    fmt = _format(suffix, text)
    meta = {"format": fmt, "encoding": encoding}
    if fmt == "json":
        return _read_json(text, name, where, meta)
    doc = _document(text, fmt, name, source, meta)
    if doc is None:
        raise ReadError(where, "no article text (empty after removing markup and boilerplate)")
    return [doc]


def clean_text(text: str) -> str:
    """Decoded text made uniform for the extractors: NFC (a decomposed "й" from a Mac copy is one
    letter again), Unix newlines, no-break and thin spaces as spaces, soft hyphens and zero-width
    characters removed. Nothing visible in the article changes."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return _INVISIBLE_CHARS.sub(lambda m: _INVISIBLE[m.group()], text)


def _format(suffix: str, text: str) -> str:
    if suffix in JSON_SUFFIXES:
        return "json"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    from loaders.htmltext import looks_like_html
    from loaders.markdown import looks_like_markdown

    head = text.lstrip()[:1]
    if suffix not in TEXT_SUFFIXES or suffix == "":
        if head in ("{", "[") and _is_json(text):
            return "json"
        if looks_like_html(text):
            return "html"
        if looks_like_markdown(text):
            return "markdown"
    return "text"


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _document(text: str, fmt: str, doc_id: str, source: str | None, meta: dict[str, str],
              title: str | None = None, date: str | None = None) -> SourceDocument | None:
    """A SourceDocument from decoded text of one format, or None when no article text remains."""
    if fmt == "html":
        from loaders.htmltext import HtmlPage

        page = HtmlPage.parse(text)
        raw_paragraphs = page.paragraphs
        title, date = title or page.title, date or page.date
    elif fmt == "markdown":
        from loaders.markdown import MarkdownText

        md = MarkdownText.parse(text)
        raw_paragraphs = [" ".join(block) for block in md.blocks]
        title, date = title or md.title, date or (parse_date(md.date) if md.date else None)
    else:
        raw_paragraphs = text_paragraphs(text)
    if title and title.strip() not in (p.strip() for p in raw_paragraphs[:3]):
        raw_paragraphs = [title.strip(), *raw_paragraphs]  # the headline often states facts too
    paragraphs = strip_boilerplate(_dedupe_adjacent(raw_paragraphs))
    if not paragraphs:
        return None
    main_lang, langs = detect_document(paragraphs)
    body = "\n\n".join(paragraphs)
    return SourceDocument(
        id=doc_id,
        text=body,
        paragraphs=tuple(Paragraph(p, lang) for p, lang in zip(paragraphs, langs)),
        lang=main_lang,
        title=title.strip() if title else _first_title_line(paragraphs),
        date=date or find_date(paragraphs),
        source=source,
        content_hash=hashlib.sha256(body.encode("utf-8")).hexdigest(),
        meta=meta,
    )


def _first_title_line(paragraphs: Sequence[str]) -> str:
    """The headline of a plain text: its first paragraph with words (a leading dateline is skipped)."""
    for p in paragraphs[:3]:
        if len(_LETTER.findall(p)) >= 3 and not (parse_date(p) and len(p) <= 40):
            return p
    return paragraphs[0]


def text_paragraphs(text: str) -> list[str]:
    """Paragraphs of plain text: each non-empty line, except that hard-wrapped lines are joined.

    News files put one paragraph per line; a line is joined to the previous one only when that
    one does not end a sentence and this one continues it (starts in lower case).
    """
    paragraphs: list[str] = []
    joinable = False
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            joinable = False
            continue
        if joinable and paragraphs and _CONTINUATION.match(line):
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
        else:
            paragraphs.append(line)
        joinable = not _SENTENCE_END.search(line)
    return paragraphs


def _dedupe_adjacent(paragraphs: Sequence[str]) -> list[str]:
    """Paragraphs without immediate repeats (a headline printed twice)."""
    out: list[str] = []
    for p in paragraphs:
        p = p.strip()
        if p and (not out or out[-1] != p):
            out.append(p)
    return out


def _read_json(text: str, name: str, where: str, meta: dict[str, str]) -> list[SourceDocument]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(where, f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    items: list[tuple[str, Any]]
    if isinstance(data, list):
        items = [(f"{name}#{i}", item) for i, item in enumerate(data)]
    else:
        items = [(name, data)]
    if not items:
        raise ReadError(where, "JSON list holds no documents")
    docs = []
    for index, (default_id, item) in enumerate(items):
        label = default_id if isinstance(data, list) else name
        if not isinstance(item, dict):
            raise ReadError(where, f"{label}: expected an object with a 'text' field, got {type(item).__name__}")
        body = item.get("text") or item.get("content") or item.get("body")
        if not isinstance(body, str) or not body.strip():
            raise ReadError(where, f"{label}: no 'text' field")
        url = item.get("url") if isinstance(item.get("url"), str) and item.get("url") else None
        title = item.get("title") if isinstance(item.get("title"), str) else None
        date = parse_date(str(item["date"])) if item.get("date") else None
        from loaders.htmltext import looks_like_html

        fmt = "html" if looks_like_html(body) else "text"
        item_meta = {**meta, "format": f"json/{fmt}"} | ({"url": url} if url else {})
        if isinstance(data, list):
            item_meta["index"] = str(index)  # position in the list: output files are <stem>-<index>.json
        doc = _document(body, fmt, url or default_id, url or where, item_meta, title, date)
        if doc is None:
            raise ReadError(where, f"{label}: no article text")
        docs.append(doc)
    return docs
