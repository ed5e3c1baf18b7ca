"""The Klaster HTTP API: the named queries of `cypher/` as typed GET routes, their catalogue, a health
check and the Neo4j Browser guide.

`create_app()` loads and validates the query folder at once (a bad file stops start-up, naming file
and line); the async Neo4j driver lives for the app's lifespan. Reads go through `execute_read` with
READ access, so a `neo4j://` URI to a cluster or Aura routes them to readers unchanged.
"""
from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError, create_model
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from api import errors
from api.config import ApiSettings
from api.convert import dumps, json_safe, rows_to_csv
from api.execute import prepare_params, run_async
from api.guide import render_guide
from api.registry import DATE_PATTERN, INT_MAX, INT_MIN, NamedQuery, load_registry


class QueryResult(BaseModel):
    query: str
    columns: list[str]
    rows: list[dict[str, Any]]


class ParameterInfo(BaseModel):
    name: str
    type: str
    required: bool
    default: Any = None
    meaning: str
    minimum: int | None = None
    maximum: int | None = None


class CatalogueEntry(BaseModel):
    name: str
    description: str
    parameters: list[ParameterInfo]
    columns: list[str]
    url: str


class Health(BaseModel):
    api: Literal["ok"]
    neo4j: Literal["ok", "unavailable"]
    neo4jError: str | None = None
    queries: int


def _open_driver(settings: ApiSettings) -> Any:
    from neo4j import AsyncGraphDatabase

    s = settings.neo4j
    return AsyncGraphDatabase.driver(
        s.uri, auth=(s.user, s.password),
        connection_timeout=settings.connect_timeout,
        connection_acquisition_timeout=settings.connect_timeout + settings.query_timeout,
        max_transaction_retry_time=settings.max_retry_time,
        notifications_min_severity="OFF",  # hints about absent properties are noise for API users
    )


def _query_parameter(query: NamedQuery, index: int) -> inspect.Parameter:
    p = query.params[index]
    constraints: dict[str, Any] = {"alias": p.name, "description": p.meaning}
    if p.type == "date":
        constraints["pattern"] = DATE_PATTERN
    if p.type == "integer":
        constraints["ge"] = INT_MIN if p.minimum is None else p.minimum
        constraints["le"] = INT_MAX if p.maximum is None else p.maximum
    annotation: Any = p.python_type | None if (not p.required and p.default is None) else p.python_type
    # Python names are `p<i>` so that parameters named like keywords (`from`) or like ours (`format`) work.
    return inspect.Parameter(
        f"p{index}", inspect.Parameter.KEYWORD_ONLY,
        default=inspect.Parameter.empty if p.required else p.default,
        annotation=Annotated[annotation, Query(**constraints)],
    )


def _endpoint(query: NamedQuery) -> Callable[..., Any]:
    keys = [(p.name, f"p{i}") for i, p in enumerate(query.params)]  # once, not per request

    async def endpoint(request: Request, **kwargs: Any) -> Response:
        given = {name: kwargs[key] for name, key in keys}
        for name, value in given.items():
            if isinstance(value, str):
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:
                    raise errors.ApiError(422, "invalid_parameter", f"{name}: not valid UTF-8 text",
                                          parameter=name) from None
        columns, rows = await _run(request.app, query, prepare_params(query, given))
        if kwargs["fmt"] == "csv":
            return Response(rows_to_csv(columns, json_safe(rows)), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": f'inline; filename="{query.name}.csv"'})
        # The driver's values go to the encoder as they are: one pass, no JSON-safe copy of every row.
        return Response(dumps({"query": query.name, "columns": columns, "rows": rows}),
                        media_type="application/json")

    params = [inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY, annotation=Request)]
    params += [_query_parameter(query, i) for i in range(len(query.params))]
    params.append(inspect.Parameter(
        "fmt", inspect.Parameter.KEYWORD_ONLY, default="json",
        annotation=Annotated[Literal["json", "csv"], Query(alias="format", description="json (default) or csv")],
    ))
    endpoint.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    endpoint.__name__ = f"query_{query.name}"
    return endpoint


class _FastQuery:
    """ASGI app in front of one query's FastAPI route. A GET whose parameters validate at once against a
    model built at start-up from the very same annotations is answered by the same endpoint, without
    FastAPI's per-request dependency solving (a third of the API's own work per request). Anything else
    (another method, `format=`, a parameter that does not validate) goes to the FastAPI route, which
    answers exactly as it always did (405, CSV, 422 naming the parameter)."""

    def __init__(self, query: NamedQuery, route: APIRoute, endpoint: Callable[..., Any]) -> None:
        fields: dict[str, Any] = {}
        for i in range(len(query.params)):
            p = _query_parameter(query, i)
            fields[p.name] = (p.annotation, ... if p.default is inspect.Parameter.empty else p.default)
        self.model = create_model(f"Params_{query.name}", **fields)  # field p<i>, alias: the parameter's name
        self.route, self.endpoint = route, endpoint

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        if scope["method"] == "GET" and "format" not in request.query_params:
            try:
                values = self.model.model_validate(dict(request.query_params))
            except ValidationError:
                values = None
            if values is not None:
                response = await self.endpoint(request, fmt="json", **dict(values))
                await response(scope, receive, send)
                return
        _, child = self.route.matches(scope)  # as the router would have set it for the FastAPI route
        scope.update(child)
        await self.route.handle(scope, receive, send)


async def _run(app: FastAPI, query: NamedQuery, params: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    settings: ApiSettings = app.state.settings
    try:
        # The transaction timeout is Neo4j's; the outer one only guards against a server that never answers.
        async with asyncio.timeout(settings.query_timeout + settings.connect_timeout + settings.max_retry_time + 5):
            return await run_async(app.state.driver, query, params, database=settings.neo4j.database,
                                   timeout=settings.query_timeout, convert=False)
    except TimeoutError:
        raise errors.ApiError(504, "query_timeout", "the query ran past its time limit") from None
    except errors.ApiError:
        raise
    except Exception as exc:  # noqa: BLE001 -- from_neo4j re-raises what is not a Neo4j failure
        raise errors.from_neo4j(exc, settings.retry_after) from None


def create_app(settings: ApiSettings | None = None) -> FastAPI:
    """The FastAPI app; raises api.registry.RegistryError at once if a query file is bad."""
    settings = settings or ApiSettings.from_env()
    registry = load_registry(settings.cypher_dir)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.driver = _open_driver(settings)
        try:
            yield
        finally:
            await app.state.driver.close()

    app = FastAPI(
        title="Klaster API",
        version="0.1.0",
        description="Named Cypher queries over the graph of Russia's industrial clusters. "
                    "`GET /queries` lists them; each has its own route with typed parameters; "
                    "`?format=csv` returns CSV. `GET /guide` is a Neo4j Browser guide of the same queries.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.registry = registry
    app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["GET"],
                       allow_headers=["*"])
    errors.install(app)

    @app.get("/queries", response_model=list[CatalogueEntry], tags=["queries"])
    async def catalogue() -> JSONResponse:
        """Every named query: name, description, parameters (type, default, meaning) and columns."""
        return JSONResponse([{**q.catalogue_entry(), "url": f"/queries/{q.name}"} for q in registry.values()])

    fast: list[Route] = []
    for query in registry.values():
        endpoint = _endpoint(query)
        app.add_api_route(
            f"/queries/{query.name}", endpoint, methods=["GET"], tags=["queries"],
            summary=query.name, description=query.description, response_model=QueryResult,
            responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}, **errors.ERROR_RESPONSES},
        )
        route = app.router.routes[-1]
        assert isinstance(route, APIRoute)
        fast.append(Route(route.path, _FastQuery(query, route, endpoint), include_in_schema=False))

    # The query routes first (Starlette tries routes in order, and these do the work), each one's fast
    # path ahead of its FastAPI route, which stays for OpenAPI and for everything the fast path hands on.
    app.router.routes.sort(key=lambda route: not getattr(route, "path", "").startswith("/queries"))
    app.router.routes[:0] = fast

    @app.get("/queries/{name}", include_in_schema=False)
    async def unknown_query(name: str) -> Response:
        raise errors.ApiError(404, "unknown_query", f"no query named {name!r}; GET /queries lists them")

    @app.get("/health", response_model=Health, tags=["service"])
    async def health() -> JSONResponse:
        """Always 200 while the API runs (so a supervisor does not restart it because the database is
        down); `neo4j` says separately whether the database answers, and query routes then give 503."""
        state, error = "ok", None
        try:
            await asyncio.wait_for(app.state.driver.verify_connectivity(), timeout=settings.health_timeout)
        except TimeoutError:
            state, error = "unavailable", "no answer within the health timeout"
        except Exception as exc:  # noqa: BLE001 -- any failure to reach Neo4j is "unavailable"
            state, error = "unavailable", type(exc).__name__
        body = {"api": "ok", "neo4j": state, "queries": len(registry)}
        if error:
            body["neo4jError"] = error
        return JSONResponse(body)

    @app.get("/guide", response_class=HTMLResponse, tags=["service"])
    async def guide() -> HTMLResponse:
        """A Neo4j Browser guide of every named query: `:guide http://localhost:8000/guide`."""
        return HTMLResponse(render_guide(list(registry.values())))

    @app.get("/", tags=["service"])
    async def index() -> JSONResponse:
        """Where to go next."""
        return JSONResponse({"queries": "/queries", "guide": "/guide", "health": "/health", "docs": "/docs",
                             "openapi": "/openapi.json"})

    return app
