"""docker-compose.yml and the api Dockerfile: parsed and checked, since no Docker engine runs here."""
from __future__ import annotations

import json
import re

import pytest
import yaml

from klaster.settings import PROJECT_ROOT

COMPOSE = PROJECT_ROOT / "docker-compose.yml"
DOCKERFILE = PROJECT_ROOT / "Dockerfile"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def _env(service: dict) -> dict[str, str]:
    env = service["environment"]
    if isinstance(env, list):  # the "KEY=value" list form
        env = dict(item.split("=", 1) for item in env)
    return {k: str(v) for k, v in env.items()}


def _setting_name(env_key: str) -> str:
    """The official image's rule: NEO4J_a_b__c -> a.b_c."""
    return env_key.removeprefix("NEO4J_").replace("__", "\0").replace("_", ".").replace("\0", "_")


def test_neo4j_is_the_official_5_26_community_image(compose: dict) -> None:
    image = compose["services"]["neo4j"]["image"]
    assert re.fullmatch(r"neo4j:5\.26(\.\d+)?-community", image), image


def test_every_published_port_is_bound_to_loopback(compose: dict) -> None:
    published = {}
    for name, service in compose["services"].items():
        for port in service.get("ports", []):
            host_ip, host_port, container_port = str(port).split(":")
            assert host_ip == "127.0.0.1", f"{name} publishes {port} beyond this machine"
            published[(name, container_port)] = host_port
    assert published[("neo4j", "7687")] == "7687"
    assert published[("neo4j", "7474")] == "7474"
    assert ("api", "8000") in published


def test_auth_comes_from_the_environment_and_is_required(compose: dict) -> None:
    env = _env(compose["services"]["neo4j"])
    assert re.fullmatch(r"neo4j/\$\{NEO4J_PASSWORD:\?[^}]+\}", env["NEO4J_AUTH"])
    # No password written into the file anywhere: every secret is an interpolated variable.
    api_env = _env(compose["services"]["api"])
    assert re.fullmatch(r"\$\{NEO4J_PASSWORD:\?[^}]+\}", api_env["NEO4J_PASSWORD"])


def test_apoc_memory_and_usage_report(compose: dict) -> None:
    env = _env(compose["services"]["neo4j"])
    assert json.loads(env["NEO4J_PLUGINS"]) == ["apoc"]
    settings = {_setting_name(k): v for k, v in env.items() if k not in ("NEO4J_AUTH", "NEO4J_PLUGINS")}
    assert settings["dbms.usage_report.enabled"] == "false"
    for key in ("server.memory.heap.initial_size", "server.memory.heap.max_size", "server.memory.pagecache.size"):
        size = re.fullmatch(r"(\d+)([mg])", settings[key].lower())
        assert size, f"{key}={settings[key]}"
        mib = int(size.group(1)) * (1024 if size.group(2) == "g" else 1)
        assert 256 <= mib <= 4096, f"{key} does not fit a 24 GiB machine shared with the API"


def test_setting_names_exist_in_neo4j_5_26(compose: dict, driver) -> None:
    """A misspelt NEO4J_* key would stop the container at start-up (strict config validation)."""
    known = {r["name"] for r in driver.execute_query("CALL dbms.listConfig() YIELD name RETURN name").records}
    env = _env(compose["services"]["neo4j"])
    names = [_setting_name(k) for k in env if k not in ("NEO4J_AUTH", "NEO4J_PLUGINS")]
    assert names
    assert [n for n in names if n not in known] == []


def test_healthcheck_uses_wget_against_http(compose: dict) -> None:
    check = compose["services"]["neo4j"]["healthcheck"]
    test = " ".join(check["test"]) if isinstance(check["test"], list) else check["test"]
    assert "wget" in test and "curl" not in test  # the image ships wget, not curl
    assert "7474" in test
    assert check["retries"] >= 3


def test_named_volumes_hold_data_and_logs(compose: dict) -> None:
    mounts = dict(v.split(":", 1) for v in compose["services"]["neo4j"]["volumes"])
    by_target = {target: source for source, target in mounts.items()}
    for target in ("/data", "/logs"):
        source = by_target[target]
        assert not source.startswith((".", "/")), f"{target} should be a named volume, not a bind mount"
        assert source in compose["volumes"]


def test_api_service_reaches_neo4j_by_service_name_once_healthy(compose: dict) -> None:
    api = compose["services"]["api"]
    assert api["build"] in (".", {"context": "."})
    env = _env(api)
    assert env["NEO4J_URI"] == "bolt://neo4j:7687"
    assert env.get("NEO4J_USER", "neo4j") == "neo4j"
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"


def test_dockerfile_installs_the_project_and_runs_init_load_serve() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim\b", text, re.MULTILINE)
    assert re.search(r"^RUN pip install \.\s*$", text, re.MULTILINE)
    cmd = json.loads(re.search(r"^CMD (\[.*\])\s*$", text, re.MULTILINE).group(1))
    script = cmd[-1]
    steps = [s.strip() for s in script.split("&&")]
    assert steps[0] == "klaster init"
    assert steps[1] == "klaster load seeds/"
    assert re.fullmatch(r"(exec )?klaster serve --host 0\.0\.0\.0( --port 8000)?", steps[2])


def test_build_context_excludes_local_state() -> None:
    ignored = {line.strip() for line in (PROJECT_ROOT / ".dockerignore").read_text().splitlines()}
    assert {".state", ".venv", ".git"} <= ignored
