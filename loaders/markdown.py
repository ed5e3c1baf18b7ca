"""Markdown to plain paragraphs: headings, lists and quotes become plain lines; links keep their
text; images, code blocks, tables' rules and HTML tags go. Front matter gives title and date.

>>> md = MarkdownText.parse("---\\ntitle: Big news\\n---\\n# Big news\\n\\nThe **cluster** grew, see [site](http://x).")
>>> md.title, md.blocks
('Big news', [['Big news'], ['The cluster grew, see site.']])
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_QUOTE = re.compile(r"^\s{0,3}(>\s?)+")
_LIST = re.compile(r"^\s*([-*+]|\d{1,9}[.)])\s+")
_REFDEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_INLINE = (
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # reference links
    (re.compile(r"<(https?://[^>]+)>"), r"\1"),  # autolinks
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),  # inline HTML
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"), r"\1"),
    (re.compile(r"~~(.+?)~~"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|])"), r"\1"),
)


def strip_inline(text: str) -> str:
    """A Markdown line without inline markup."""
    for regex, repl in _INLINE:
        text = regex.sub(repl, text)
    return text.strip()


_MD_LINK = re.compile(r"\[[^\]\n]+\]\((https?://|/|#)[^)\s]*\)")


def looks_like_markdown(text: str) -> bool:
    """Markdown without a telling file name: a heading on the first line, two headings, or links.

    Lists alone do not count: plain news text has dash-led lines too.
    """
    lines = [line for line in text.splitlines()[:200] if line.strip()]
    if not lines:
        return False
    headings = sum(bool(_HEADING.match(line)) for line in lines)
    return bool(_HEADING.match(lines[0])) or headings >= 2 or len(_MD_LINK.findall(text[:20000])) >= 2


@dataclass(frozen=True)
class MarkdownText:
    title: str | None
    date: str | None
    blocks: list[list[str]]  # paragraphs; each a list of its source lines, markup removed

    @classmethod
    def parse(cls, text: str) -> MarkdownText:
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        title, date, lines = _front_matter(lines)
        blocks: list[list[str]] = []
        current: list[str] = []
        first_heading: str | None = None

        def close() -> None:
            nonlocal current
            if current:
                blocks.append(current)
            current = []

        in_fence = False
        for i, raw in enumerate(lines):
            if _FENCE.match(raw):
                in_fence = not in_fence
                close()
                continue
            if in_fence or _REFDEF.match(raw) or _TABLE_RULE.match(raw):
                continue
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            line = _QUOTE.sub("", raw)
            if not line.strip() or _RULE.match(line):
                close()
                continue
            if _SETEXT.match(line) and not current:
                continue
            heading = _HEADING.match(line)
            if heading or (_SETEXT.match(nxt) and nxt.strip() and not current):
                close()
                head = strip_inline(heading.group(1) if heading else line)
                first_heading = first_heading or head
                blocks.append([head])
                continue
            if _LIST.match(line):
                close()
                current.append(strip_inline(_LIST.sub("", line)))
                continue
            if "|" in line and line.strip().startswith("|"):
                close()
                cells = [strip_inline(c) for c in line.strip().strip("|").split("|")]
                blocks.append(["; ".join(c for c in cells if c)])
                continue
            current.append(strip_inline(line))
        close()
        blocks = [[x for x in b if x] for b in blocks]
        return cls(title or first_heading, date, [b for b in blocks if b])


def _front_matter(lines: list[str]) -> tuple[str | None, str | None, list[str]]:
    if not lines or lines[0].strip() != "---":
        return None, None, lines
    for end in range(1, min(len(lines), 200)):
        if lines[end].strip() in ("---", "..."):
            try:
                meta = yaml.safe_load("\n".join(lines[1:end])) or {}
            except yaml.YAMLError:
                return None, None, lines
            if not isinstance(meta, dict):
                return None, None, lines
            title = meta.get("title")
            date = meta.get("date")
            return (str(title) if title else None, str(date) if date else None, lines[end + 1:])
    return None, None, lines
