"""`klaster bench gazetteer`: sentences per second of the region and organisation matchers, beside
razdel's tokeniser over the same sentences in the same run (the cheapest pass any extractor makes).

Target: each matcher well under 1 ms per sentence once its lemma cache is warm.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import click


def _sentences(paths: list[Path]) -> list[str]:
    from razdel import sentenize

    out: list[str] = []
    for p in paths:
        files = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix in (".txt", ".md")) if p.is_dir() else [p]
        for f in files:
            out += [s.text for s in sentenize(f.read_text(encoding="utf-8", errors="replace"))]
    return out


def _time(fn: Callable[[str], object], sents: list[str], rounds: int) -> float:
    t0 = time.perf_counter()
    for _ in range(rounds):
        for s in sents:
            fn(s)
    return time.perf_counter() - t0


@click.command("gazetteer")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--rounds", default=5, show_default=True, help="Passes over the sentences (after one warm-up pass).")
def command(paths: tuple[Path, ...], rounds: int) -> None:
    """Throughput of regions.find and organizations.find, side by side with razdel tokenisation.

    \b
    Example:
      klaster bench gazetteer seeds/ --rounds 10
    """
    from razdel import tokenize

    from loaders import organizations
    from loaders.regions import get_resolver

    sents = _sentences(list(paths) or [Path("seeds")])
    if not sents:
        raise click.ClickException("no sentences found")
    resolver = get_resolver()

    def tok(s: str) -> object:
        return list(tokenize(s))

    fns: dict[str, Callable[[str], object]] = {
        "razdel.tokenize": tok, "regions.find": resolver.find, "organizations.find": organizations.find,
    }
    t0 = time.perf_counter()
    for fn in fns.values():  # warm-up: builds the indexes and fills the lemma caches
        for s in sents:
            fn(s)
    click.echo(f"{len(sents)} sentences; warm-up (index build + cold caches) {time.perf_counter() - t0:.2f} s")
    times = {name: 0.0 for name in fns}
    for _ in range(rounds):  # interleaved so load on the machine hits all alike
        for name, fn in fns.items():
            times[name] += _time(fn, sents, 1)
    base = times["razdel.tokenize"]
    for name, secs in times.items():
        per = secs / (rounds * len(sents)) * 1000
        click.echo(f"  {name:20s} {per:7.3f} ms/sentence  {rounds * len(sents) / secs:9.0f} sentences/s  "
                   f"x{secs / base:5.2f} of tokenisation")
