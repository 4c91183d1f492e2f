"""Answers leave once their audit events are committed (api/audited.py), on the app
`kith serve` serves: in process and through a real socket."""

from __future__ import annotations

import json
import urllib.request

import pytest
from starlette.testclient import TestClient

from graph import audit as audit_repo
from kith import audit
from kith.errors import Unavailable
from kith.service import Kith

READ = '{ person(id: "p-khan") { name conditions { id } } }'


def test_a_read_is_on_the_trail_when_its_answer_arrives(
    live_server: str, tokens: dict, derby: Kith
) -> None:
    before = len(audit.about(derby.store, "p-khan"))
    request = urllib.request.Request(
        f"{live_server}/graphql", data=json.dumps({"query": READ}).encode(),
        headers={"content-type": "application/json",
                 "authorization": f"Bearer {tokens['coordinator']}"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=30) as response:
        assert json.loads(response.read())["data"]["person"]["name"]
    assert len(audit.about(derby.store, "p-khan")) == before + 1


def test_an_answer_whose_audit_cannot_be_written_is_withheld(
    client: TestClient, tokens: dict, derby: Kith, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    """The store refuses the audit write (as it would when it stops between the read and the
    commit): the client learns nothing of the person, and may try again."""

    def refused(store: object, events: list[dict]) -> None:
        raise Unavailable("the graph store is not answering")

    monkeypatch.setattr(audit_repo, "write", refused)
    headers = {"authorization": f"Bearer {tokens['coordinator']}"}
    response = client.post("/graphql", json={"query": READ}, headers=headers)
    assert response.status_code == 503
    body = response.json()
    assert body["data"] is None and body["errors"][0]["extensions"] == {"code": "UNAVAILABLE"}
    assert "Khan" not in response.text and "Khan" not in caplog.text
    monkeypatch.undo()
    again = client.post("/graphql", json={"query": READ}, headers=headers)
    assert again.status_code == 200 and again.json()["data"]["person"]["name"]
