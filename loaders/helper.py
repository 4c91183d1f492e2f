"""A loader's checking done in a second process while this one writes.

On a small machine a loader's Python checking and the store's writing compete for the CPU and,
within one process, for the interpreter's lock, so the store waits on Python much of the time.
A helper process at a lower priority reads and checks the file; this process only writes. The
writes, which the store waits on, go first and checking uses what is left of the machine: a
100,000-row volunteer sheet loads about a fifth faster on two cores (``make bench``).

The helper is a plain ``python`` child talking pickles over a pipe, not ``multiprocessing``,
whose start methods either copy this process's sockets (fork) or re-run the caller's main
script (spawn). The pipe's own buffer keeps the helper at most a batch or so ahead, so memory
stays bounded however big the file is.
"""

from __future__ import annotations

import importlib
import os
import pickle
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

from kith.errors import InvalidInput
from kith.service import Kith
from kith.settings import Settings

from .rows import old_objects_frozen

T = TypeVar("T")
Work = Callable[[Kith, Path], Iterator[T]]
NICER = 5  # below the writing process, never above: raising priority needs privileges


def in_helper(work: Work[T], settings: Settings, path: Path) -> Iterator[T]:
    """What ``work(kith, path)`` yields, made in a helper process with a ``Kith`` of its own
    joined to this one's store; ``work`` is a module-level function, sent by name. An
    ``InvalidInput`` there is raised here as it was; any other failure as a RuntimeError that
    names its kind only (its message could hold a row's personal data)."""
    command = [sys.executable, "-c", "from loaders.helper import serve; serve()"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    helper = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
    assert helper.stdin is not None and helper.stdout is not None
    try:
        pickle.dump((work.__module__, work.__name__, settings, path), helper.stdin)
        helper.stdin.close()
        while True:
            kind, value = _next(helper.stdout)
            if kind == "item":
                yield value
            elif kind == "done":
                return
            elif kind == "invalid":
                raise InvalidInput(*value)
            else:
                raise RuntimeError(f"checking {path.name} failed in the helper process: {value}")
    finally:
        helper.kill()
        helper.wait()
        helper.stdout.close()


def _next(pipe: IO[bytes]) -> tuple[str, Any]:
    """The helper's next message; a helper that died without saying why (killed, out of
    memory) ends the pipe, which is an error rather than a wait for ever."""
    try:
        return pickle.load(pipe)
    except EOFError:
        raise RuntimeError("the helper process checking the file stopped") from None


def serve() -> None:
    """The helper process: run the work named on stdin, sending what it yields, then how it
    ended, to stdout."""
    if hasattr(os, "nice"):
        os.nice(NICER)
    out = sys.stdout.buffer
    module, name, settings, path = pickle.load(sys.stdin.buffer)
    work = getattr(importlib.import_module(module), name)
    try:
        kith = Kith.open(settings, setup=False)
        try:
            with old_objects_frozen():
                for item in work(kith, path):
                    _send(out, "item", item)
        finally:
            kith.close()
        _send(out, "done", None)
    except InvalidInput as error:
        _send(out, "invalid", (error.field, error.reason))
    except Exception as error:  # reported in the loading process, which then stops
        _send(out, "failed", type(error).__name__)


def _send(out: IO[bytes], kind: str, value: Any) -> None:
    pickle.dump((kind, value), out, protocol=pickle.HIGHEST_PROTOCOL)
    out.flush()
