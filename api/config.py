"""The API's settings: where Neo4j is, where the queries are, and how long to wait; read from the environment."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from klaster.settings import Neo4jSettings, cypher_dir

# Neo4j Browser's own origins, so `:guide http://localhost:8000/guide` can fetch the guide.
BROWSER_ORIGINS: tuple[str, ...] = ("http://localhost:7474", "http://127.0.0.1:7474")


def _float(name: str, default: float) -> float:
    return float(os.environ.get(name, str(default)))


@dataclass(frozen=True)
class ApiSettings:
    neo4j: Neo4jSettings
    cypher_dir: Path
    query_timeout: float = 15.0  # seconds: the transaction timeout Neo4j enforces (then 504)
    retry_after: int = 10  # seconds, sent with 503 when Neo4j cannot be reached
    connect_timeout: float = 5.0  # seconds to open a connection to Neo4j
    max_retry_time: float = 3.0  # seconds the driver keeps retrying a transaction on transient errors
    health_timeout: float = 3.0  # seconds /health waits for Neo4j before calling it unavailable
    cors_origins: tuple[str, ...] = field(default=BROWSER_ORIGINS)

    @classmethod
    def from_env(cls) -> ApiSettings:
        extra = tuple(o for o in os.environ.get("KLASTER_API_CORS_ORIGINS", "").split(",") if o.strip())
        return cls(
            neo4j=Neo4jSettings.from_env(),
            cypher_dir=cypher_dir(),
            query_timeout=_float("KLASTER_API_QUERY_TIMEOUT", 15.0),
            retry_after=int(os.environ.get("KLASTER_API_RETRY_AFTER", "10")),
            connect_timeout=_float("KLASTER_API_CONNECT_TIMEOUT", 5.0),
            max_retry_time=_float("KLASTER_API_MAX_RETRY_TIME", 3.0),
            health_timeout=_float("KLASTER_API_HEALTH_TIMEOUT", 3.0),
            cors_origins=BROWSER_ORIGINS + extra,
        )
