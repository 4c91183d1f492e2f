"""Audit events from many threads at once share transactions (graph/group_commit.py), and each
caller returns only once its own events are stored, or raises what stopped them."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from graph import audit
from graph.group_commit import GroupCommit
from kith.service import Kith


def event(subject: str) -> dict:
    return {"id": uuid.uuid4().hex, "at": "2026-12-02T10:00:00.000+00:00", "actor": "a-test",
            "role": "COORDINATOR", "action": "person.read", "subject": subject,
            "outcome": "allowed"}  # fmt: skip


def test_many_threads_events_are_all_stored_in_fewer_transactions(empty: Kith) -> None:
    writes: list[int] = []
    lock = threading.Lock()

    def counted(rows: list[dict]) -> None:
        with lock:
            writes.append(len(rows))
        audit.write(empty.store, rows)

    writer = GroupCommit(counted)
    subjects = [f"p-group-{i}" for i in range(60)]
    with ThreadPoolExecutor(max_workers=20) as pool:
        list(pool.map(lambda s: writer.add([event(s), event(s)]), subjects))
    assert sum(writes) == 120
    assert len(writes) < 60  # threads that came while a write was under way shared the next
    for subject in subjects:
        assert len(audit.about(empty.store, subject, 10)) == 2


def test_a_failed_write_fails_its_callers_and_the_next_write_goes_ahead(empty: Kith) -> None:
    writer = audit.writer(empty.store)
    bad = {**event("p-group-bad"), "outcome": {"not": "a property value"}}
    with pytest.raises(Exception):  # noqa: B017 - whatever the store says, the caller hears it
        writer.add([bad])
    assert audit.about(empty.store, "p-group-bad", 10) == []
    audit.record(empty.store, [event("p-group-after")])
    assert len(audit.about(empty.store, "p-group-after", 10)) == 1
