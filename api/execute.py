"""Runs a named query in a read transaction (routed to readers, with a server-side timeout), for the
API, the `klaster query` command and the API benchmark alike."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import lru_cache
from typing import Any

from neo4j import READ_ACCESS, AsyncDriver, Driver, unit_of_work

from api.convert import json_safe
from api.registry import NamedQuery


@lru_cache(maxsize=1)
def _region_resolver() -> Any | None:
    try:
        from loaders.regions import get_resolver
    except ImportError:  # the gazetteer is optional here: the Cypher resolves common spellings itself
        return None
    return get_resolver()


def prepare_params(query: NamedQuery, given: dict[str, Any]) -> dict[str, Any]:
    """Every declared parameter, defaults filled in; a `region` value becomes its ISO code when the
    gazetteer knows it (the query would find it anyway, this also catches spellings it would not)."""
    params = {p.name: given.get(p.name, p.default) for p in query.params}
    for p in query.params:
        value = params[p.name]
        if p.type == "region" and isinstance(value, str) and value.strip():
            resolver = _region_resolver()
            try:
                iso = resolver.resolve(value) if resolver is not None else None
            except Exception:  # noqa: BLE001 -- a resolver failure must never fail the request
                iso = None
            if isinstance(iso, str) and iso:
                params[p.name] = iso
    return params


@lru_cache(maxsize=256)
def _async_work(app: str, name: str, timeout: float | None, convert: bool) -> Callable[..., Awaitable[Any]]:
    """The transaction function of one named query, built once (not per request)."""

    @unit_of_work(timeout=timeout, metadata={"app": app, "query": name})
    async def work(tx: Any, text: str, params: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
        result = await tx.run(text, params)
        keys = list(result.keys())
        # A Record is a tuple of its values, in the order of its keys.
        if convert:
            return keys, [{k: json_safe(v) for k, v in zip(keys, record, strict=True)} async for record in result]
        return keys, [dict(zip(keys, record, strict=True)) async for record in result]

    return work


async def run_async(driver: AsyncDriver, query: NamedQuery, params: dict[str, Any], *,
                    database: str | None, timeout: float | None,
                    convert: bool = True) -> tuple[list[str], list[dict[str, Any]]]:
    """Columns and rows of one named query: JSON-safe values, or with `convert=False` the driver's own
    values (for api.convert.dumps, which converts only what JSON cannot encode as it is)."""
    work = _async_work("klaster-api", query.name, timeout, convert)
    async with driver.session(database=database, default_access_mode=READ_ACCESS) as session:
        return await session.execute_read(work, query.text, params)


def run_sync(driver: Driver, query: NamedQuery, params: dict[str, Any], *,
             database: str | None, timeout: float | None) -> tuple[list[str], list[dict[str, Any]]]:
    """The same as run_async, with the blocking driver (command line, tests)."""

    @unit_of_work(timeout=timeout, metadata={"app": "klaster-cli", "query": query.name})
    def work(tx: Any) -> tuple[list[str], list[dict[str, Any]]]:
        result = tx.run(query.text, params)
        keys = list(result.keys())
        rows = [{k: json_safe(v) for k, v in zip(keys, record.values(), strict=True)} for record in result]
        return keys, rows

    with driver.session(database=database, default_access_mode=READ_ACCESS) as session:
        return session.execute_read(work)
