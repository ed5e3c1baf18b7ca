"""Where Klaster keeps its state and how it reaches Neo4j: one place that reads the environment."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LOCAL_URI = "bolt://127.0.0.1:7687"


def state_dir() -> Path:
    """The git-ignored folder holding the local server, its data, logs and the generated password."""
    return Path(os.environ.get("KLASTER_STATE_DIR", PROJECT_ROOT / ".state")).resolve()


def cypher_dir() -> Path:
    return Path(os.environ.get("KLASTER_CYPHER_DIR", PROJECT_ROOT / "cypher")).resolve()


def seeds_dir() -> Path:
    return PROJECT_ROOT / "seeds"


def password_file() -> Path:
    return state_dir() / "neo4j-password"


def local_password() -> str:
    """NEO4J_PASSWORD if set; else the generated one, created on first use with mode 0600."""
    env = os.environ.get("NEO4J_PASSWORD")
    if env:
        return env
    path = password_file()
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(18)
    # Create with 0600 from the start so the secret is never world-readable, even briefly.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(password + "\n")
    return password


@dataclass(frozen=True)
class Neo4jSettings:
    uri: str
    user: str
    password: str
    database: str
    is_local: bool  # True when Klaster manages the server itself (NEO4J_URI unset)

    @classmethod
    def from_env(cls) -> Neo4jSettings:
        uri = os.environ.get("NEO4J_URI")
        return cls(
            uri=uri or DEFAULT_LOCAL_URI,
            user=os.environ.get("NEO4J_USER", "neo4j"),
            password=local_password() if not uri else os.environ.get("NEO4J_PASSWORD", ""),
            database=os.environ.get("NEO4J_DATABASE", "neo4j"),
            is_local=not uri,
        )
