"""A real Neo4j 5.26 community server for the test suite (``KITH_TEST_ENGINE=neo4j``).

The server is the small Java program in ``tests/neo4j`` (Neo4j's own engine, in process, behind
its Bolt connector), built once by ``make neo4j-server`` with Maven and run here with plain
``java -cp``: no Maven, no network at test time. It stops when its stdin closes, so a test run
that dies however it dies (even ``kill -9``) never leaves it running.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PROJECT = Path(__file__).resolve().parent / "neo4j"
TARGET = PROJECT / "target"
MAIN = "kith.neo4j.TestServer"
USERNAME = "neo4j"
PASSWORD = "kith-test-password"  # a throwaway server on loopback, gone with the test run
START_TIMEOUT_S = 120.0
# Modest memory (the test worlds are a few thousand nodes), and the module access Neo4j's own
# launcher grants, without which its page cache falls back to a slower mode.
JVM_OPTIONS = (
    "-Xms128m", "-Xmx512m", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "-Dio.netty.tryReflectionSetAccessible=true",
)  # fmt: skip
READY = re.compile(r"^READY (bolt://\S+)$")


class Neo4jDidNotStart(RuntimeError):
    """The server was not built, or did not say READY in time (the message has its output)."""


def version() -> str:
    """The Neo4j version the Maven project builds against (``<neo4j.version>`` in pom.xml)."""
    found = re.search(r"<neo4j\.version>([^<]+)<", (PROJECT / "pom.xml").read_text())
    return found.group(1) if found else "unknown"


def command(home: Path) -> list[str]:
    """The java command line that runs the built server on ``home`` with a free port."""
    jar = TARGET / "kith-neo4j-test-server-1.jar"
    if not jar.exists() or not (TARGET / "lib").is_dir():
        raise Neo4jDidNotStart(
            f"the Neo4j test server is not built ({jar} is missing): run `make neo4j-server`"
        )
    java = shutil.which("java", path=os.path.join(os.environ.get("JAVA_HOME", ""), "bin"))
    java = java or shutil.which("java")
    if java is None:
        raise Neo4jDidNotStart("no `java` (17 or later) on PATH to run the Neo4j test server")
    classpath = f"{jar}{os.pathsep}{TARGET / 'lib' / '*'}"
    return [java, *JVM_OPTIONS, "-cp", classpath, MAIN, str(home), "0", PASSWORD]


class Neo4jServer:
    """One server process on a home directory: ``start`` waits for its READY line."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.uri = ""
        self.process: subprocess.Popen[str] | None = None
        self.output: deque[str] = deque(maxlen=40)  # the tail, for a failure message
        self.ready = threading.Event()

    def start(self, timeout: float = START_TIMEOUT_S) -> str:
        """Start the server and return its ``bolt://`` URI once it accepts connections."""
        self.home.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            command(self.home), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, cwd=self.home, start_new_session=True,
        )  # fmt: skip
        threading.Thread(target=self._read, name="neo4j-output", daemon=True).start()
        deadline = time.monotonic() + timeout
        while not self.ready.wait(0.2):
            if self.process.poll() is not None or time.monotonic() > deadline:
                why = (
                    f"exited with status {self.process.returncode}"
                    if self.process.poll() is not None
                    else f"did not say READY within {timeout:.0f} s"
                )
                self.stop()
                tail = "\n".join(self.output) or "(no output)"
                raise Neo4jDidNotStart(f"the Neo4j test server {why}; its last output:\n{tail}")
        return self.uri

    def _read(self) -> None:
        """Keep the output's tail and a copy in the home directory; notice READY."""
        assert self.process is not None and self.process.stdout is not None
        with open(self.home / "server-output.log", "a") as copy:
            for line in self.process.stdout:
                line = line.rstrip("\n")
                self.output.append(line)
                copy.write(line + "\n")
                copy.flush()
                ready = READY.match(line)
                if ready:
                    self.uri = ready.group(1)
                    self.ready.set()

    def stop(self, timeout: float = 60.0) -> None:
        """Close its stdin (a clean shutdown), then SIGTERM, then SIGKILL if it still runs."""
        process = self.process
        if process is None or process.poll() is not None:
            return
        try:
            if process.stdin is not None:
                process.stdin.close()
            process.wait(timeout)
        except (OSError, subprocess.TimeoutExpired):
            process.terminate()
            try:
                process.wait(timeout / 2)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def running(home: Path, timeout: float = START_TIMEOUT_S) -> Iterator[Neo4jServer]:
    """A started server on ``home`` (its ``uri`` set), stopped on the way out."""
    server = Neo4jServer(home)
    try:
        server.start(timeout)
        yield server
    finally:
        server.stop()
