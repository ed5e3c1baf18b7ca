"""How the API fails: one JSON error shape, the HTTP status for each kind of failure, and the handlers.

Users see 404 (unknown query), 422 (a bad parameter, named), 400 (Neo4j refused the query for these
values), 503 with Retry-After (Neo4j unreachable or refusing our credentials), 504 (the query ran past
its transaction timeout). Anything else is a bug: it is logged with its trace and answered with a
generic 500 that reveals nothing.
"""
from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("klaster.api")


class ErrorBody(BaseModel):
    error: str  # a stable code: unknown_query, invalid_parameter, bad_request, neo4j_unavailable, ...
    message: str
    parameter: str | None = None
    detail: list[dict[str, Any]] | None = None


class ApiError(Exception):
    def __init__(self, status: int, error: str, message: str, *, parameter: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.error, self.message = status, error, message
        self.parameter, self.headers = parameter, headers or {}

    def response(self) -> JSONResponse:
        body = ErrorBody(error=self.error, message=self.message, parameter=self.parameter)
        return JSONResponse(body.model_dump(exclude_none=True), status_code=self.status, headers=self.headers)


def from_neo4j(exc: Exception, retry_after: int) -> ApiError:
    """The user-facing error for an exception raised by the driver or the server."""
    from neo4j.exceptions import (
        AuthError,
        ClientError,
        DatabaseError,
        DriverError,
        Neo4jError,
        ServiceUnavailable,
        SessionExpired,
        TransientError,
    )

    retry = {"Retry-After": str(retry_after)}
    code = getattr(exc, "code", None) or ""
    if "TransactionTimedOut" in code:
        return ApiError(504, "query_timeout", "the query ran past its time limit; narrow it or raise the timeout")
    if isinstance(exc, (ServiceUnavailable, SessionExpired)):
        return ApiError(503, "neo4j_unavailable", "Neo4j cannot be reached; try again later", headers=retry)
    if isinstance(exc, AuthError) or code.startswith("Neo.ClientError.Security."):
        return ApiError(503, "neo4j_unavailable", "Neo4j refused the API's credentials", headers=retry)
    if isinstance(exc, (TransientError, DatabaseError)):
        return ApiError(503, "neo4j_unavailable", "Neo4j could not answer now; try again later", headers=retry)
    if isinstance(exc, ClientError):
        return ApiError(400, "bad_request", f"Neo4j refused the query for these values: {exc.message or code}")
    if isinstance(exc, (DriverError, Neo4jError)):
        return ApiError(503, "neo4j_unavailable", "Neo4j cannot be reached; try again later", headers=retry)
    raise exc


def _validation_response(exc: RequestValidationError) -> JSONResponse:
    detail = [
        {"parameter": str(err["loc"][-1]) if err.get("loc") else None, "message": err.get("msg", ""),
         "location": str(err["loc"][0]) if err.get("loc") else None}
        for err in exc.errors()
    ]
    names = [d["parameter"] for d in detail if d["parameter"]]
    message = "invalid parameter " + ", ".join(repr(n) for n in names) + ": " + "; ".join(
        f"{d['parameter']}: {d['message']}" for d in detail)
    body = ErrorBody(error="invalid_parameter", message=message, parameter=names[0] if names else None,
                     detail=detail)
    return JSONResponse(body.model_dump(exclude_none=True), status_code=422)


def install(app: FastAPI) -> None:
    """Register the handlers that give every error the same JSON shape and no stack trace."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return exc.response()

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _validation_response(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        error = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        body = ErrorBody(error=error, message=str(exc.detail))
        return JSONResponse(body.model_dump(exclude_none=True), status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        body = ErrorBody(error="internal_error", message="internal error; the server log has the details")
        return JSONResponse(body.model_dump(exclude_none=True), status_code=500)


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Neo4j refused the query for these parameter values"},
    422: {"model": ErrorBody, "description": "A parameter is missing or invalid; `parameter` names it"},
    503: {"model": ErrorBody, "description": "Neo4j is unreachable; retry after `Retry-After` seconds",
          "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "seconds to wait"}}},
    504: {"model": ErrorBody, "description": "The query ran past its transaction timeout"},
    500: {"model": ErrorBody, "description": "An unexpected error (a bug); details are only in the server log"},
}
