"""The local Neo4j server Klaster runs without Docker: assembled from Maven Central, started and stopped by pid file.

Layout under the state folder (git-ignored):

    neo4j-dist/<version>-<pom hash>/{lib,plugins}   jars, assembled once by Maven and shared by every home
    neo4j/          the user's server home:  conf/neo4j.conf, data/, logs/, run/neo4j.pid
    test-neo4j/     the test session's server home (other ports)

The server is launched through Neo4j's own bootloader (`Neo4jCommand start`), as the tarball's `bin/neo4j`
would do, and is only ever stopped through the pid file of its home, never by process name.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import signal
import socket
import string
import subprocess
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from klaster.settings import state_dir

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "neo4j"
POM = DATA_DIR / "pom.xml"
CONF_TEMPLATE = DATA_DIR / "neo4j.conf"
BOOTLOADER = "org.neo4j.server.startup.Neo4jCommand"
ADMIN = "org.neo4j.server.startup.Neo4jAdminCommand"
SUPPORTED_JAVA = (17, 21)  # what the 5.26 bootloader accepts
# Short-lived helper JVMs (bootloader, neo4j-admin) need little memory and no optimising compiler.
HELPER_JVM_FLAGS = ("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
MIN_PASSWORD_LENGTH = 8  # Neo4j refuses shorter initial passwords
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")  # Maven 3.8 colours some lines even in batch mode


class Neo4jServerError(RuntimeError):
    """The local server could not be assembled, started or stopped; the message says where to look."""


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    pid: int | None
    bolt_uri: str
    http_url: str
    browser_url: str
    version: str | None  # Neo4j Kernel version over Bolt; None when stopped or unreachable
    problem: str | None = None  # why the version is unknown although the process runs


def pom_version(pom: Path = POM) -> str:
    """The Neo4j version the pom assembles (its `neo4j.version` property)."""
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    node = ET.parse(pom).getroot().find("m:properties/m:neo4j.version", ns)
    if node is None or not (node.text or "").strip():
        raise Neo4jServerError(f"{pom} has no <neo4j.version> property")
    return node.text.strip()


def default_dist_root() -> Path:
    return state_dir() / "neo4j-dist"


def pid_alive(pid: int) -> bool:
    """True while the process exists and has not exited (a zombie awaiting its parent counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # no /proc (macOS): trust the signal check
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    """True when something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def find_java() -> Path:
    """JAVA_HOME's java, else the one on PATH; it must be a version the 5.26 bootloader supports."""
    java_home = os.environ.get("JAVA_HOME")
    java = Path(java_home) / "bin" / "java" if java_home else None
    if java is None or not java.exists():
        found = shutil.which("java")
        if not found:
            raise Neo4jServerError("Java 17 is needed to run Neo4j 5.26 and no `java` is on PATH")
        java = Path(found).resolve()
    out = subprocess.run([str(java), "-version"], check=False, capture_output=True, text=True).stderr
    match = re.search(r'version "(\d+)', out)
    major = int(match.group(1)) if match else 0
    if major not in SUPPORTED_JAVA:
        raise Neo4jServerError(f"{java} is Java {major or '?'}; Neo4j 5.26 needs Java 17 or 21 "
                               "(set JAVA_HOME to one)")
    return java


class LocalNeo4j:
    """One Neo4j server home on this machine: assemble its jars, render its config, start, stop, report."""

    def __init__(self, home: Path, bolt_port: int = 7687, http_port: int = 7474, *, password: str,
                 heap: str = "1g", pagecache: str = "1g", dist_root: Path | None = None,
                 report: Callable[[str], None] | None = None) -> None:
        self.home = Path(home).resolve()
        self.bolt_port = bolt_port
        self.http_port = http_port
        self.password = password
        self.heap = heap
        self.pagecache = pagecache
        self.dist_root = Path(dist_root or default_dist_root()).resolve()
        self.report: Callable[[str], None] = report or log.info

    # ---- addresses and files -------------------------------------------------------------------
    @property
    def bolt_uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def browser_url(self) -> str:
        return f"{self.http_url}/browser/"

    @property
    def pid_file(self) -> Path:
        return self.home / "run" / "neo4j.pid"

    @property
    def log_file(self) -> Path:
        return self.home / "logs" / "neo4j.log"

    @property
    def conf_file(self) -> Path:
        return self.home / "conf" / "neo4j.conf"

    @property
    def dist_dir(self) -> Path:
        """The assembled jars for this pom: a new pom (another version) gets a new folder."""
        digest = hashlib.sha256(POM.read_bytes()).hexdigest()[:10]
        return self.dist_root / f"{pom_version()}-{digest}"

    # ---- assembly ------------------------------------------------------------------------------
    def assembled(self) -> bool:
        version = pom_version()
        dist = self.dist_dir
        return ((dist / "lib" / f"neo4j-{version}.jar").is_file()
                and (dist / "plugins" / f"apoc-core-{version}.jar").is_file())

    def assemble(self) -> Path:
        """Resolve the server's jars with Maven once; later calls return the cached folder at once.

        Maven works in a scratch folder renamed into place only when complete, so an interrupted
        assembly is redone next time instead of being half-used. Maven's own ~/.m2 cache makes a second
        assembly (say, after `rm -rf .state`) need no network.
        """
        if self.assembled():
            return self.dist_dir
        mvn = shutil.which("mvn")
        if not mvn:
            raise Neo4jServerError("Maven (`mvn`) is needed once to assemble Neo4j from Maven Central")
        self.dist_root.mkdir(parents=True, exist_ok=True)
        self._remove_abandoned_scratch()
        final = self.dist_dir
        scratch = self.dist_root / f".tmp-{final.name}-{os.getpid()}"
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir()
        maven_log = self.dist_root / "maven.log"
        try:
            shutil.copyfile(POM, scratch / "pom.xml")
            base = [mvn, "-B", "-Dstyle.color=never", "package"]
            # Offline first: with every jar already in ~/.m2 this needs no network and fails fast otherwise.
            offline = subprocess.run([*base, "-o", "-q"], check=False, cwd=scratch, capture_output=True, text=True)
            if offline.returncode != 0:
                self.report(f"Downloading Neo4j {pom_version()} and APOC from Maven Central "
                            "(about 130 MB, first time only)...")
                rc, output = self._run_maven_online(base, scratch)
                maven_log.write_text(output, encoding="utf-8")
                if rc != 0:
                    tail = "\n".join(output.splitlines()[-40:])
                    raise Neo4jServerError(f"Maven could not assemble Neo4j (exit {rc}); full output in "
                                           f"{maven_log}:\n{tail}")
            shutil.rmtree(scratch / "target", ignore_errors=True)
            (scratch / "pom.xml").unlink()
            if final.exists() and not self.assembled():
                shutil.rmtree(final)  # damaged by hand (a jar deleted): replace it whole
            if not final.exists():
                os.rename(scratch, final)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        if not self.assembled():
            raise Neo4jServerError(f"Maven finished but {final} lacks the neo4j or apoc-core jar")
        return final

    def _run_maven_online(self, base: list[str], cwd: Path) -> tuple[int, str]:
        """Run Maven with its download log streamed, reporting progress every 100 files."""
        lines: list[str] = []
        downloaded = 0
        proc = subprocess.Popen(base, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(ANSI_ESCAPE.sub("", line.rstrip("\n")))
            if "Downloaded from" in line:  # batch mode prefixes "[INFO] "
                downloaded += 1
                if downloaded % 100 == 0:
                    self.report(f"  {downloaded} files downloaded...")
        rc = proc.wait()
        if rc == 0:
            self.report(f"  done: {downloaded} files downloaded.")
        return rc, "\n".join(lines) + "\n"

    def _remove_abandoned_scratch(self) -> None:
        for scratch in self.dist_root.glob(".tmp-*"):
            owner = scratch.name.rsplit("-", 1)[-1]
            if not owner.isdigit() or not pid_alive(int(owner)):
                shutil.rmtree(scratch, ignore_errors=True)

    # ---- configuration -------------------------------------------------------------------------
    def render_conf(self) -> Path:
        """Write <home>/conf/neo4j.conf from the template (ports, memory, the shared jars)."""
        dist = self.dist_dir
        text = string.Template(CONF_TEMPLATE.read_text(encoding="utf-8")).substitute(
            bolt_port=self.bolt_port, http_port=self.http_port, heap=self.heap, pagecache=self.pagecache,
            lib_dir=dist / "lib", plugins_dir=dist / "plugins")
        self.conf_file.parent.mkdir(parents=True, exist_ok=True)
        if not self.conf_file.exists() or self.conf_file.read_text(encoding="utf-8") != text:
            self.conf_file.write_text(text, encoding="utf-8")
        return self.conf_file

    def _java_env(self, java: Path) -> dict[str, str]:
        env = dict(os.environ)
        # With JAVA_OPTS set the bootloader ignores server.jvm.additional and the heap settings.
        env.pop("JAVA_OPTS", None)
        env.update(NEO4J_HOME=str(self.home), NEO4J_CONF=str(self.home / "conf"),
                   JAVA_HOME=str(java.parent.parent))
        return env

    def _java(self, java: Path, main_class: str, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(java), *HELPER_JVM_FLAGS, "-cp", str(self.dist_dir / "lib" / "*"),
               f"-Dbasedir={self.home}", main_class, *args]
        return subprocess.run(cmd, check=False, cwd=self.home, env=self._java_env(java),
                              capture_output=True, text=True)

    # ---- process -------------------------------------------------------------------------------
    def pid(self) -> int | None:
        """The pid of this home's running server, from its pid file; None if it is not running."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        if not pid_alive(pid):
            return None
        cmdline = Path(f"/proc/{pid}/cmdline")
        if cmdline.exists():
            # A reused pid belongs to another program: only a JVM started for this home counts.
            args = cmdline.read_bytes().split(b"\0")
            if f"--home-dir={self.home}".encode() not in args:
                return None
        return pid

    def _remove_stale_pid_file(self) -> None:
        if self.pid_file.exists() and self.pid() is None:
            self.pid_file.unlink(missing_ok=True)

    def _log_tail(self, lines: int = 25) -> str:
        try:
            text = self.log_file.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return "(no log yet)"
        return "\n".join(text[-lines:])

    def start(self, timeout: float = 180.0) -> ServerStatus:
        """Start the server unless it already runs; return once Bolt answers a query."""
        if self.pid() is not None:
            self._wait_for_bolt(timeout)
            return self.status()
        self._remove_stale_pid_file()
        for port in (self.bolt_port, self.http_port):
            if port_open(port):
                raise Neo4jServerError(f"port {port} is already in use by another program; this home's "
                                       f"server ({self.home}) is not running")
        if len(self.password) < MIN_PASSWORD_LENGTH:
            raise Neo4jServerError(f"the Neo4j password must have at least {MIN_PASSWORD_LENGTH} characters")
        java = find_java()
        self.assemble()
        self.render_conf()
        for sub in ("data", "logs", "run", "import"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        if not (self.home / "data" / "databases" / "system").exists():
            # The user store is created at the first start, so the password is set before it.
            done = self._java(java, ADMIN, "dbms", "set-initial-password", self.password)
            if done.returncode != 0:
                raise Neo4jServerError(f"setting the initial password failed:\n{done.stdout}{done.stderr}")
        done = self._java(java, BOOTLOADER, "start")
        if done.returncode != 0 or self.pid() is None:
            raise Neo4jServerError(f"Neo4j did not start (exit {done.returncode}):\n{done.stdout}{done.stderr}\n"
                                   f"last lines of {self.log_file}:\n{self._log_tail()}")
        self._wait_for_bolt(timeout)
        return self.status()

    def _wait_for_bolt(self, timeout: float) -> None:
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable, SessionExpired

        deadline = time.monotonic() + timeout
        with GraphDatabase.driver(self.bolt_uri, auth=("neo4j", self.password),
                                  connection_timeout=3) as driver:
            while True:
                try:
                    # An auto-commit query, not execute_query: that one retries for 30 s on its own.
                    with driver.session() as session:
                        session.run("RETURN 1").consume()
                    return
                except AuthError as exc:
                    raise Neo4jServerError(
                        f"Neo4j at {self.bolt_uri} refused the password: it was set at the first start "
                        f"of {self.home}; use that one (or remove {self.home / 'data'} to start afresh)"
                    ) from exc
                except (ServiceUnavailable, SessionExpired, Neo4jError, OSError):
                    pass
                if self.pid() is None:
                    raise Neo4jServerError(f"Neo4j exited while starting; see {self.log_file}:\n"
                                           f"{self._log_tail()}")
                if time.monotonic() > deadline:
                    raise Neo4jServerError(f"Bolt did not answer at {self.bolt_uri} within {timeout:.0f} s; "
                                           f"see {self.log_file}:\n{self._log_tail()}")
                time.sleep(0.5)

    def stop(self, timeout: float = 120.0) -> bool:
        """Stop this home's server (SIGTERM to the pid in its pid file). False if it was not running."""
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while pid_alive(pid) and time.monotonic() < deadline:
            _reap(pid)
            time.sleep(0.2)
        if pid_alive(pid):
            # A clean shutdown took too long; the store recovers from its transaction log at next start.
            os.kill(pid, signal.SIGKILL)
            while pid_alive(pid):
                _reap(pid)
                time.sleep(0.1)
        self.pid_file.unlink(missing_ok=True)
        return True

    def status(self) -> ServerStatus:
        pid = self.pid()
        version, problem = probe(self.bolt_uri, "neo4j", self.password) if pid is not None else (None, None)
        return ServerStatus(running=pid is not None, pid=pid, bolt_uri=self.bolt_uri, http_url=self.http_url,
                            browser_url=self.browser_url, version=version, problem=problem)


def probe(uri: str, user: str, password: str) -> tuple[str | None, str | None]:
    """(Neo4j Kernel version and edition from `dbms.components()`, None) or (None, why it did not answer)."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

    try:
        with GraphDatabase.driver(uri, auth=(user, password), connection_timeout=3) as driver, \
                driver.session() as session:  # auto-commit: a stopped server is reported at once, not retried
            records = list(session.run("CALL dbms.components() YIELD name, versions, edition "
                                       "RETURN name, versions[0] AS version, edition"))
    except AuthError:
        return None, "the password was refused"
    except ServiceUnavailable:
        return None, "Bolt did not answer"
    except (Neo4jError, OSError, ValueError) as exc:
        return None, f"{type(exc).__name__}: {exc}"
    for rec in records:
        if rec["name"] == "Neo4j Kernel":
            return f"{rec['version']} {rec['edition']}", None
    return None, "dbms.components() named no Neo4j Kernel"


def server_version(uri: str, user: str, password: str) -> str | None:
    """The Neo4j Kernel version a server reports over Bolt, or None if it cannot be asked."""
    return probe(uri, user, password)[0]


def _reap(pid: int) -> None:
    """Collect the exit status if the server is our own child, so it does not linger as a zombie."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass
