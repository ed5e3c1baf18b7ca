"""The local Neo4j server: assembled jars, Bolt, APOC, Browser, status, idempotent start, clean stop, password file."""
from __future__ import annotations

import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from graph.server import LocalNeo4j, Neo4jServerError, pid_alive, pom_version, port_open

# The one extra server this file starts (besides the session's): ports of its own, free on this machine.
EXTRA_BOLT_PORT = 17688
EXTRA_HTTP_PORT = 17475


@pytest.fixture()
def session_server(local_neo4j: LocalNeo4j | None) -> LocalNeo4j:
    if local_neo4j is None:
        pytest.skip("KLASTER_TEST_NEO4J_URI is set: no local server to inspect")
    return local_neo4j


def _kernel(driver) -> tuple[str, str]:
    records = driver.execute_query("CALL dbms.components() YIELD name, versions, edition "
                                   "WHERE name = 'Neo4j Kernel' RETURN versions[0] AS v, edition").records
    assert len(records) == 1
    return records[0]["v"], records[0]["edition"]


def _dead_pid() -> int:
    """The pid of a process that has exited and been reaped."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_bolt_answers_with_community_server_of_the_pom_version(driver) -> None:
    version, edition = _kernel(driver)
    assert version == pom_version() == "5.26.19"
    assert edition == "community"


def test_apoc_core_is_loaded_with_the_server_version(driver) -> None:
    version, _ = _kernel(driver)
    apoc = driver.execute_query("RETURN apoc.version() AS v").records[0]["v"]
    assert apoc == version
    # Procedures, not only functions, are registered (they load from plugins/, never from lib/).
    rows = driver.execute_query("CALL apoc.help('apoc.coll.sort') YIELD name RETURN name").records
    assert any(r["name"] == "apoc.coll.sort" for r in rows)


def test_browser_is_served_on_the_http_port(session_server: LocalNeo4j) -> None:
    response = httpx.get(session_server.browser_url, timeout=10)
    assert response.status_code == 200
    assert "<title>Neo4j Browser</title>" in response.text


def test_discovery_document_advertises_the_real_bolt_port(session_server: LocalNeo4j) -> None:
    doc = httpx.get(session_server.http_url + "/", headers={"Accept": "application/json"}, timeout=10).json()
    assert doc["bolt_direct"] == f"bolt://127.0.0.1:{session_server.bolt_port}"
    assert doc["bolt_routing"] == f"neo4j://127.0.0.1:{session_server.bolt_port}"
    assert doc["neo4j_version"] == pom_version()


def test_rendered_settings_are_in_force(session_server: LocalNeo4j, driver) -> None:
    rows = driver.execute_query("CALL dbms.listConfig() YIELD name, value RETURN name, value").records
    config = {r["name"]: r["value"] for r in rows}
    assert config["server.bolt.listen_address"] == f"127.0.0.1:{session_server.bolt_port}"
    assert config["server.http.listen_address"] == f"127.0.0.1:{session_server.http_port}"
    assert config["server.default_listen_address"] == "127.0.0.1"
    assert config["dbms.usage_report.enabled"] == "false"
    assert config["dbms.security.auth_enabled"] == "true"
    assert config["dbms.security.procedures.unrestricted"] == "apoc.*"
    assert config["server.memory.heap.max_size"] == "512.00MiB"
    assert config["server.memory.pagecache.size"] == "512.00MiB"
    allowed = config["browser.remote_content_hostname_whitelist"].split(",")
    assert "localhost" in allowed and "127.0.0.1" in allowed
    assert Path(config["server.directories.plugins"]) == session_server.dist_dir / "plugins"


def test_status_reports_the_running_server(session_server: LocalNeo4j) -> None:
    status = session_server.status()
    assert status.running
    assert status.pid == int(session_server.pid_file.read_text())
    assert pid_alive(status.pid)
    assert status.version == f"{pom_version()} community"
    assert status.bolt_uri == f"bolt://127.0.0.1:{session_server.bolt_port}"
    assert status.browser_url == f"http://127.0.0.1:{session_server.http_port}/browser/"


def test_start_twice_keeps_the_same_server(session_server: LocalNeo4j) -> None:
    before = session_server.pid()
    assert before is not None
    status = session_server.start()
    assert status.pid == before
    assert session_server.pid() == before


def test_assembly_is_cached_and_apoc_sits_in_plugins(session_server: LocalNeo4j) -> None:
    dist = session_server.dist_dir
    stamp = dist.stat().st_mtime_ns
    assert session_server.assemble() == dist
    assert dist.stat().st_mtime_ns == stamp  # not rebuilt
    version = pom_version()
    plugins = {p.name for p in (dist / "plugins").iterdir()}
    assert plugins == {f"apoc-core-{version}.jar", f"apoc-common-{version}.jar"}
    assert (dist / "lib" / f"neo4j-{version}.jar").is_file()
    assert not list((dist / "lib").glob("apoc-*.jar"))
    assert not list(dist.parent.glob(".tmp-*"))  # no scratch folder left behind


def test_interrupted_or_damaged_assembly_is_redone(tmp_path: Path) -> None:
    """Runs Maven again (offline once any assembly has filled ~/.m2) into a fresh cache folder."""
    server = LocalNeo4j(tmp_path / "home", password="not-started", dist_root=tmp_path / "dist")
    abandoned = tmp_path / "dist" / f".tmp-{server.dist_dir.name}-{_dead_pid()}"
    (abandoned / "lib").mkdir(parents=True)
    (abandoned / "lib" / "half-downloaded.jar").write_bytes(b"")
    damaged = server.dist_dir / "lib"
    damaged.mkdir(parents=True)  # a cache folder without its jars must not count as assembled
    assert not server.assembled()
    assert server.assemble() == server.dist_dir
    assert server.assembled()
    assert not abandoned.exists()
    version = pom_version()
    lib = {p.name for p in (server.dist_dir / "lib").iterdir()}
    assert {f"neo4j-{version}.jar", f"neo4j-bolt-{version}.jar", "neo4j-browser-5.24.0.jar"} <= lib
    assert len(lib) > 200  # the whole server, not a few jars
    assert {p.name for p in (server.dist_dir / "plugins").iterdir()} == \
        {f"apoc-core-{version}.jar", f"apoc-common-{version}.jar"}


def test_generated_password_file_is_private_and_stable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from klaster.settings import local_password, password_file

    monkeypatch.setenv("KLASTER_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    first = local_password()
    assert password_file() == tmp_path / "state" / "neo4j-password"
    assert stat.S_IMODE(password_file().stat().st_mode) == 0o600
    assert len(first) >= 8
    assert local_password() == first
    monkeypatch.setenv("NEO4J_PASSWORD", "from-the-environment")
    assert local_password() == "from-the-environment"


def test_stop_on_a_home_that_never_started_is_harmless(tmp_path: Path) -> None:
    server = LocalNeo4j(tmp_path / "never", bolt_port=EXTRA_BOLT_PORT, http_port=EXTRA_HTTP_PORT,
                        password="never-started")
    assert server.stop() is False
    assert server.status().running is False
    assert server.status().version is None


def test_pid_file_of_another_program_is_never_signalled(tmp_path: Path) -> None:
    server = LocalNeo4j(tmp_path / "home", password="not-a-server")
    server.pid_file.parent.mkdir(parents=True)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        server.pid_file.write_text(f"{sleeper.pid}\n")
        assert server.pid() is None  # alive, but not a Neo4j of this home
        assert server.stop() is False
        assert sleeper.poll() is None
    finally:
        sleeper.kill()
        sleeper.wait()


def test_extra_server_starts_over_a_stale_pid_file_and_stops_completely(
        tmp_path: Path, local_neo4j: LocalNeo4j | None) -> None:
    """Catches a server left running: after stop() its process is gone and both ports are closed."""
    from neo4j import GraphDatabase

    assert not port_open(EXTRA_BOLT_PORT) and not port_open(EXTRA_HTTP_PORT), "extra test ports are taken"
    dist_root = local_neo4j.dist_root if local_neo4j else None
    server = LocalNeo4j(tmp_path / "home", bolt_port=EXTRA_BOLT_PORT, http_port=EXTRA_HTTP_PORT,
                        password="extra-test-password", heap="256m", pagecache="64m", dist_root=dist_root)
    # A server killed by a signal leaves its pid file behind; the next start must not believe it.
    stale = _dead_pid()
    server.pid_file.parent.mkdir(parents=True)
    server.pid_file.write_text(f"{stale}\n")
    try:
        status = server.start()
        assert status.running and status.pid != stale
        pid = status.pid
        with GraphDatabase.driver(server.bolt_uri, auth=("neo4j", "extra-test-password")) as drv:
            assert drv.execute_query("RETURN 40 + 2 AS x").records[0]["x"] == 42
        assert server.start().pid == pid
        # Another home cannot start on ports that are taken.
        squatter = LocalNeo4j(tmp_path / "other", bolt_port=EXTRA_BOLT_PORT, http_port=EXTRA_HTTP_PORT,
                              password="other-password", dist_root=dist_root)
        with pytest.raises(Neo4jServerError, match="already in use"):
            squatter.start()
    finally:
        stopped = server.stop()
    assert stopped is True
    deadline = time.monotonic() + 10  # the kernel may take a moment to release the process
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not pid_alive(pid)
    assert not port_open(EXTRA_BOLT_PORT)
    assert not port_open(EXTRA_HTTP_PORT)
    assert not server.pid_file.exists()
    assert server.status().running is False
    assert server.stop() is False
