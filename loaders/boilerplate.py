"""Removes site boilerplate from an article's paragraphs: trailing blocks of newsletter prompts,
"Related Articles", tag and label lines, catalogue adverts, and one-word site controls.

The patterns live in `loaders/gazetteer/boilerplate.yaml`; this module only runs them.

>>> strip_boilerplate(["Headline", "The cluster grew.", "Companies: Arnest", "Related Articles", "×"])
['Headline', 'The cluster grew.']
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

PATTERNS_FILE = Path(__file__).parent / "gazetteer" / "boilerplate.yaml"


@dataclass(frozen=True)
class BoilerplateRules:
    block_start: tuple[re.Pattern[str], ...]
    label_line: re.Pattern[str]
    label_max_chars: int
    junk_line: re.Pattern[str]
    weak_max_words: int
    weak_line_end: re.Pattern[str]
    anywhere: tuple[re.Pattern[str], ...]
    leading: tuple[re.Pattern[str], ...]

    def is_block_line(self, line: str) -> bool:
        """A line that by itself marks site furniture."""
        if self.junk_line.match(line):
            return True
        if any(p.search(line) for p in self.block_start):
            return True
        return len(line) <= self.label_max_chars and bool(self.label_line.match(line))

    def is_weak_line(self, line: str) -> bool:
        """A short unpunctuated line: boilerplate only when it sits inside a trailing block."""
        return len(line.split()) <= self.weak_max_words and bool(self.weak_line_end.search(line))

    def is_anywhere_line(self, line: str) -> bool:
        return any(p.match(line) for p in self.anywhere)


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@lru_cache(maxsize=4)
def load_rules(path: Path = PATTERNS_FILE) -> BoilerplateRules:
    """The boilerplate rules of a YAML file (cached)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return BoilerplateRules(
        block_start=tuple(_compile(p) for p in data["block_start"]),
        label_line=_compile(data["label_line"]),
        label_max_chars=int(data["label_max_chars"]),
        junk_line=_compile(data["junk_line"]),
        weak_max_words=int(data["weak_max_words"]),
        weak_line_end=_compile(data["weak_line_end"]),
        anywhere=tuple(_compile(p) for p in data["anywhere"]),
        leading=tuple(_compile(p) for p in data.get("leading", [])),
    )


def trailing_block_start(paragraphs: Sequence[str], rules: BoilerplateRules | None = None) -> int:
    """Index where the trailing boilerplate block begins (len(paragraphs) when there is none)."""
    rules = rules or load_rules()
    cut = len(paragraphs)
    for i in range(len(paragraphs) - 1, -1, -1):
        line = paragraphs[i].strip()
        if rules.is_block_line(line):
            cut = i
        elif rules.is_weak_line(line):
            continue  # may be a related-article headline; cut only if a block line precedes it
        else:
            break
    return cut


def strip_boilerplate(paragraphs: Sequence[str], rules: BoilerplateRules | None = None) -> list[str]:
    """The article's paragraphs without leading breadcrumbs, the trailing boilerplate block and
    one-word site controls."""
    rules = rules or load_rules()
    kept = list(paragraphs[: trailing_block_start(paragraphs, rules)])
    start = 0
    while start < len(kept) and any(p.match(kept[start].strip()) for p in rules.leading):
        start += 1  # breadcrumbs above the headline
    return [p for p in kept[start:] if not rules.is_anywhere_line(p.strip())]
