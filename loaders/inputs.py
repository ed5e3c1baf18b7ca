"""Command-line inputs to files: paths, folders (read recursively), glob patterns and "-" for stdin.

>>> expand_inputs(["-"])
(['-'], [])
"""
from __future__ import annotations

import glob
from collections.abc import Iterable
from pathlib import Path

STDIN = "-"


def _visible(path: Path, root: Path) -> bool:
    """Not a hidden file and not inside a hidden folder below `root` (.git, .state)."""
    return not any(part.startswith(".") for part in path.relative_to(root).parts)


def expand_inputs(raw_paths: Iterable[str]) -> tuple[list[Path | str], list[tuple[str, str]]]:
    """Files to read (each once, in argument order, sorted within a folder or pattern) and
    (argument, reason) for arguments that match nothing. "-" stays as is (stdin)."""
    files: list[Path | str] = []
    problems: list[tuple[str, str]] = []
    seen: set[Path | str] = set()
    for raw in raw_paths:
        if raw == STDIN:
            found: list[Path | str] = [STDIN]
        elif glob.has_magic(raw) and not Path(raw).exists():
            found = [Path(m) for m in sorted(glob.glob(raw, recursive=True)) if Path(m).is_file()]
            if not found:
                problems.append((raw, "no file matches this pattern"))
        else:
            path = Path(raw)
            if path.is_dir():
                found = sorted(p for p in path.rglob("*") if p.is_file() and _visible(p, path))
                if not found:
                    problems.append((raw, "folder holds no files"))
            elif path.exists():
                found = [path]
            else:
                found = []
                problems.append((raw, "no such file or folder"))
        for item in found:
            key = item if item == STDIN else Path(item).resolve()
            if key not in seen:
                seen.add(key)
                files.append(item)
    return files, problems
