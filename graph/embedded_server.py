"""The embedded ArcadeDB server, run as a child process of the first Kith process on a data dir.

Run as ``python -m graph.embedded_server DATA_DIR HEAP TIMEOUT_MS``. The process holds an
exclusive lock on ``DATA_DIR/server.lock`` for as long as it lives, so the kernel frees it when
the process dies, however it dies: a lock that can be taken is a stale one. Once the engine
answers, it writes ``server.json`` (port, password, pid; readable by the owner only), which is
how other Kith processes join it over Bolt. It stops cleanly on SIGTERM, or once no Kith
process uses it any more: each holds a shared lock on ``DATA_DIR/clients.lock`` while it does
(graph/embedded.py), so the process that started the server may finish first (``kith users
add`` beside a ``kith serve``) without taking the store from the others.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import signal
import socket
import sys
import threading
from pathlib import Path

DATABASE = "kith"
ALREADY_RUNNING = 3
CLIENTS_LOCK = "clients.lock"


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read, atomically, so readers never see half of it."""
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def root_password(data_dir: Path) -> str:
    """The engine's root password: generated once, then reused, as the engine keeps its users."""
    secret = data_dir / "server.secret"
    if secret.exists():
        return secret.read_text().strip()
    password = secrets.token_urlsafe(24)
    write_private(secret, password)
    return password


def take_lock(data_dir: Path):
    """Hold the data directory's lock, or exit: another live server already owns it."""
    handle = open(data_dir / "server.lock", "a+")  # noqa: SIM115 - held for the process's life
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        sys.exit(ALREADY_RUNNING)
    return handle


def start_engine(data_dir: Path, password: str, heap: str, timeout_ms: int):
    """Start ArcadeDB with Bolt on free loopback ports and make sure the database exists."""
    import arcadedb_embedded as arcadedb

    bolt_port, http_port, https_port = free_port(), free_port(), free_port()
    server = arcadedb.ArcadeDBServer(
        root_path=str(data_dir / "arcadedb"),
        root_password=password,
        config={
            "server_plugins": "Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
            "bolt_port": bolt_port,
            "http_port": http_port,
            "server_httpsIncomingPort": https_port,
            "server_mode": "production",
        },
        # The query time limit is a JVM-wide default, not a server setting: as "command_timeout"
        # in config it reached the server's configuration but not the database's, which is
        # what openCypher over Bolt reads, and a query ran on (28 s against a 1 s limit).
        jvm_kwargs={"heap_size": heap, "jvm_args": [f"-Darcadedb.command.timeout={timeout_ms}"]},
    )
    server.start()
    if not (data_dir / "arcadedb" / "databases" / DATABASE).exists():
        server.create_database(DATABASE)
    return server, bolt_port


def unused(data_dir: Path):
    """The clients' lock taken exclusively when no Kith process holds it, else None. Held until
    the server has gone, so that a process arriving meanwhile waits and starts a new one."""
    handle = open(data_dir / CLIENTS_LOCK, "a+")  # noqa: SIM115 - held until the server stops
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def main(argv: list[str]) -> None:
    data_dir, heap, timeout_ms = Path(argv[0]), argv[1], int(argv[2])
    lock = take_lock(data_dir)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    server, bolt_port = start_engine(data_dir, root_password(data_dir), heap, timeout_ms)
    info = {"pid": os.getpid(), "bolt_port": bolt_port, "database": DATABASE, "user": "root"}
    info["password"] = root_password(data_dir)
    write_private(data_dir / "server.json", json.dumps(info))
    clients = None
    while clients is None and not stop.wait(0.5):
        clients = unused(data_dir)
    (data_dir / "server.json").unlink(missing_ok=True)
    server.stop()
    lock.close()
    if clients is not None:
        clients.close()


if __name__ == "__main__":
    main(sys.argv[1:])
