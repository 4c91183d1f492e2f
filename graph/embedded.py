"""Find or start the embedded ArcadeDB server for a data directory.

The first Kith process on a data directory starts the engine in a child process; later
processes find it through ``server.json`` and join over Bolt. Every process using it holds a
shared lock on ``clients.lock``, and the server stops once none does, so whichever process
started it may finish first.
See ``graph.embedded_server`` for the child's side of the bargain.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from kith.errors import Unavailable
from kith.settings import Settings

from .embedded_server import ALREADY_RUNNING, CLIENTS_LOCK, unused


@dataclass
class EmbeddedServer:
    """Where a running embedded server listens, and the child process if this process owns it."""

    uri: str
    user: str
    password: str = field(repr=False)
    database: str
    pid: int
    data_dir: Path
    process: subprocess.Popen | None = None
    in_use: bool = False  # whether this handle counts in ``USING``

    @property
    def owned(self) -> bool:
        return self.process is not None

    def stop(self, timeout: float = 30.0) -> None:
        """This process is done with the server: stop it now if this process started it and no
        other uses it; otherwise it stops by itself once the last process using it has gone."""
        if self.in_use:
            self.in_use = False
            leave(self.data_dir)
        if self.process is None or self.process.poll() is not None:
            return
        with nobody_using(self.data_dir) as unused:
            if not unused:
                return
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


USING: dict[Path, tuple[IO[str], int]] = {}
"""The shared lock this process holds on each data directory's ``clients.lock`` while it uses
that directory's server (graph/embedded_server.py stops once nobody holds one), with how many
of this process's server handles use it."""


def use(data_dir: Path, deadline: float) -> None:
    """Hold the shared clients' lock, waiting while a server that nobody used is stopping."""
    key = data_dir.resolve()
    if key in USING:
        handle, users = USING[key]
        USING[key] = handle, users + 1
        return
    handle = open(key / CLIENTS_LOCK, "a+")  # noqa: SIM115 - held while this process uses it
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() > deadline:
                handle.close()
                raise Unavailable(
                    f"the embedded database on {data_dir} did not finish stopping"
                ) from None
            time.sleep(0.1)
    USING[key] = handle, 1


def leave(data_dir: Path) -> None:
    key = data_dir.resolve()
    handle, users = USING.pop(key, (None, 0))
    if users > 1:
        USING[key] = handle, users - 1
    elif handle is not None:
        handle.close()


@contextlib.contextmanager
def nobody_using(data_dir: Path) -> Iterator[bool]:
    """True, holding the clients' lock exclusively (as the server does to stop), when no Kith
    process uses the server."""
    handle = unused(data_dir)
    try:
        yield handle is not None
    finally:
        if handle is not None:
            handle.close()


def lock_is_held(data_dir: Path) -> bool:
    """True when a live server process holds the data directory's lock."""
    path = data_dir / "server.lock"
    if not path.exists():
        return False
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def read_running(data_dir: Path) -> EmbeddedServer | None:
    """The server already running on this data directory, if there is one ready to join."""
    info_path = data_dir / "server.json"
    if not lock_is_held(data_dir):
        info_path.unlink(missing_ok=True)  # left by a killed server: stale
        return None
    try:
        info = json.loads(info_path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None  # still starting (or stopping)
    if not answers(info["bolt_port"]):
        return None  # dying: a killed server holds its lock until the kernel has torn it down
    return EmbeddedServer(
        uri=f"bolt://127.0.0.1:{info['bolt_port']}",
        user=info["user"],
        password=info["password"],
        database=info["database"],
        pid=info["pid"],
        data_dir=data_dir,
    )


# Bolt's opening: its magic number, then four protocol versions offered (5.0, 4.4, none, none).
BOLT_HELLO = bytes.fromhex("6060b017") + bytes((0, 0, 0, 5, 0, 0, 4, 4)) + bytes(8)


def answers(port: int) -> bool:
    """True when a Bolt server answers the protocol's handshake on this loopback port. Taking
    the connection is not enough: a killed 1 GB JVM keeps its listening socket (and its lock)
    while the kernel frees its memory, and the kernel goes on accepting connections for it."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as conn:
            conn.sendall(BOLT_HELLO)
            return len(conn.recv(4)) == 4
    except OSError:
        return False


def prepare_data_dir(data_dir: Path) -> None:
    """Create the data directory (owner only), or explain clearly why it cannot be used."""
    try:
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise Unavailable(f"cannot create data directory {data_dir}: {exc.strerror}") from exc
    if not os.access(data_dir, os.W_OK | os.X_OK):
        raise Unavailable(f"data directory {data_dir} is not writable by this user")


def spawn(settings: Settings) -> subprocess.Popen:
    """Start the server child process, its chatter going to a log file in the data directory."""
    data_dir = settings.data_dir.resolve()
    log = open(data_dir / "arcadedb.log", "ab")  # noqa: SIM115 - handed to the child
    args = [str(data_dir), settings.embedded_heap, str(settings.query_timeout_ms)]
    with log:
        return subprocess.Popen(
            [sys.executable, "-m", "graph.embedded_server", *args],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=str(data_dir),  # the engine writes its own logs under ./log
        )


def log_tail(data_dir: Path, lines: int = 5) -> str:
    path = data_dir / "arcadedb.log"
    if not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def ensure_server(settings: Settings) -> EmbeddedServer:
    """Join the running embedded server on ``settings.data_dir``, or start and own a new one."""
    data_dir = settings.data_dir
    prepare_data_dir(data_dir)
    deadline = time.monotonic() + settings.start_timeout_s
    use(data_dir, deadline)
    try:
        return find_or_start(settings, deadline)
    except BaseException:
        leave(data_dir)
        raise


def find_or_start(settings: Settings, deadline: float) -> EmbeddedServer:
    """The running server, or a new one this process starts (and owns) when there is none."""
    data_dir = settings.data_dir
    process: subprocess.Popen | None = None
    while time.monotonic() < deadline:
        running = read_running(data_dir)
        if running and (process is None or running.pid == process.pid):
            running.process, running.in_use = process, True
            if process is not None:
                atexit.register(running.stop)
            return running
        if process is not None and process.poll() is not None:
            if process.returncode != ALREADY_RUNNING:
                raise Unavailable(
                    f"the embedded database did not start (see {data_dir}/arcadedb.log): "
                    f"{log_tail(data_dir, 2)}"
                )
            process = None  # another process won the race to start it: join theirs
        if process is None and not lock_is_held(data_dir):
            process = spawn(settings)
        time.sleep(0.1)
    if process is not None:
        process.kill()
    raise Unavailable(f"the embedded database did not start within {settings.start_timeout_s}s")
