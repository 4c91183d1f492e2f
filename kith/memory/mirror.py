"""In-memory copies of parts of the graph, kept up to date by asking the store what changed.

The embedded engine reads a node with its links in about 0.3 ms (DESIGN.md), so a search or a
suggestion that read every activity or volunteer near a place in central Derby would read
thousands of them, for seconds. The directory and the volunteers are held in memory instead.

How fresh they are: before a use a mirror counts the nodes of its labels (about a
millisecond each, whatever their number), unless it counted less than ``TRUST_S`` ago and this
process has written nothing since: under load those counts were a fifth of the store's work. So
nodes created or deleted by another process are seen within ``TRUST_S``. It looks for updated
nodes (stamped ``updatedAt``, graph/changes.py) when a count moved, when this process wrote
(``signal``), and otherwise every ``LOOK_S`` seconds at most: that range scan costs tens of
milliseconds on a store filled by upserts (ArcadeDB's non-unique indexes grown by many small
commits scan slowly), too much for every request. So an update made by another process is
seen within ``LOOK_S``; whatever this process writes, at once.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from graph import changes
from graph.changes import Watch
from graph.store import Store

T = TypeVar("T")
V = TypeVar("V")
SLACK_MS = 10_000
"""How far before the last look each look goes: a write is stamped when its statement runs and
seen when its transaction commits, and a commit up to this much later is still caught."""
LOOK_S = 10.0
"""How long a mirror trusts its copies of nodes that no count or signal says have changed."""
TRUST_S = 0.2
"""How long a mirror trusts its count of nodes when this process has written nothing since."""
READ_BATCH = 500  # ids per read: longer IN lists cost the engine more than proportionally


class Copy(Generic[T]):
    """The nodes one watch sees, as domain objects by id, with the stamp each was read at.

    ``records`` is replaced, never changed in place, so a view built from it stays whole.
    """

    def __init__(
        self, watch: Watch, read_all: Callable[[], dict[str, T]],
        read_ids: Callable[[list[str]], dict[str, T]],
    ) -> None:  # fmt: skip
        self.watch = watch
        self.read_all = read_all
        self.read_ids = read_ids
        self.records: dict[str, T] = {}
        self.stamps: dict[str, int] = {}
        self.count = 0  # of the label's nodes, at the last check

    def load(self, count: int) -> None:
        self.records, self.stamps, self.count = self.read_all(), {}, count

    def expects(self, count: int) -> bool:
        """Whether the label's ``count`` is what the copy holds: a whole label's count must
        equal the copy's size; a narrowed watch cannot tell its own nodes apart in the count,
        so its count must not have moved."""
        return count == (len(self.records) if self.watch.whole else self.count)

    def read(self, ids: Iterable[str]) -> dict[str, T]:
        wanted, found = sorted(ids), {}
        for start in range(0, len(wanted), READ_BATCH):
            found.update(self.read_ids(wanted[start : start + READ_BATCH]))
        return found

    def apply(self, store: Store, stamps: dict[str, int], count: int) -> bool:
        """Read again what changed, and reconcile when the count says that nodes went (or came
        without a stamp); True if anything changed."""
        stale = [i for i, at in stamps.items() if self.stamps.get(i) != at]
        if stale:
            self.replace(stale, self.read(stale))
            self.stamps.update({i: stamps[i] for i in stale})
        expected, self.count = self.expects(count), count
        if expected:
            return bool(stale)
        self.reconcile(store)
        return True

    def replace(self, ids: Iterable[str], fresh: dict[str, T]) -> None:
        """Put in what was read for ``ids``; an id not read any more has gone."""
        records = dict(self.records)
        for i in ids:
            if i in fresh:
                records[i] = fresh[i]
            else:
                records.pop(i, None)
                self.stamps.pop(i, None)
        self.records = records

    def reconcile(self, store: Store) -> None:
        """After a deletion, or a write without a stamp: the ids the store holds decide."""
        present = changes.ids(store, self.watch)
        gone, new = set(self.records) - present, present - set(self.records)
        self.replace(gone, {})
        self.replace(new, self.read(new))


class Mirror(Generic[V]):
    """Copies brought up to date together, and the view built from them.

    One check runs at a time. A request uses a check that started after it asked (or less
    than ``TRUST_S`` before, with nothing signalled since), or starts one, so that it sees
    every signalled write that came before it; requests arriving together share a check.
    """

    def __init__(
        self, store: Store, copies: tuple[Copy, ...], build: Callable[[object], V],
        signal: Callable[[], object], basis: Callable[[], object] = lambda: None,
    ) -> None:  # fmt: skip
        """``build`` makes the view from the copies and ``basis()``, whatever else the view
        rests on (the taxonomy, which an import may replace); ``signal()`` changes when this
        process writes what the copies hold."""
        self.store = store
        self.copies = copies
        self.watches = tuple(c.watch for c in copies)
        self.build = build
        self.signal = signal
        self.basis = basis
        self.built_on: object = None
        self.lock = threading.Lock()
        self.view: V | None = None
        self.checked_at = -1.0  # time.monotonic() when the last check started
        self.looked_at = -1.0  # ... and the last look for updates
        self.moment = 0  # the store's clock at the last look
        self.signalled: object = None  # the signal at the last look

    def current(self) -> V:
        """The view, checked after this call began or less than ``TRUST_S`` before, with no
        write by this process since (how fresh that is: the module's note)."""
        asked = time.monotonic()
        with self.lock:
            trusted = self.checked_at >= asked - TRUST_S and self.signal() == self.signalled \
                and self.basis() is self.built_on  # fmt: skip
            if self.view is None or not trusted:
                started = time.monotonic()
                self.check()
                self.checked_at = started
            assert self.view is not None
            return self.view

    def check(self) -> None:
        signal = self.signal()
        if self.view is None:
            self.load(signal)
            return
        due = signal != self.signalled or time.monotonic() - self.looked_at >= LOOK_S
        if not due:
            counts = changes.counts(self.store, self.watches)
            due = not all(c.expects(counts[c.watch.label]) for c in self.copies)
        if due:
            self.look(signal)
        if self.basis() is not self.built_on:
            self.rebuild()

    def load(self, signal: object) -> None:
        started = time.monotonic()
        found = changes.since(self.store, self.watches, changes.NEVER)
        for copy in self.copies:
            copy.load(found.counts[copy.watch.label])
        self.moment, self.looked_at, self.signalled = found.now, started, signal
        self.rebuild()

    def look(self, signal: object) -> None:
        """Read again what changed since a little before the last look."""
        started = time.monotonic()
        found = changes.since(self.store, self.watches, self.moment - SLACK_MS)
        changed = [c.apply(self.store, found.stamps[c.watch.label], found.counts[c.watch.label])
                   for c in self.copies]  # fmt: skip
        self.moment, self.looked_at, self.signalled = found.now, started, signal
        if any(changed):
            self.rebuild()

    def rebuild(self) -> None:
        self.built_on = self.basis()
        self.view = self.build(self.built_on)
        # The copies are long-lived millions of objects: walking them all made each full
        # collection of the cyclic collector a 150 ms pause at county scale. Frozen, they are
        # left out of it (and still freed by reference counting when replaced).
        gc.freeze()
