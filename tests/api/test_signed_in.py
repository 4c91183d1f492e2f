"""A process remembers a checked bearer token for a few seconds (kith/accounts.py ``Recent``):
a revoked token is refused once that time has passed, an unknown one is never remembered, and
the service keeps one such memory that the app's door uses."""

from __future__ import annotations

import time

from starlette.testclient import TestClient

from api.app import create_app
from kith import accounts
from kith.service import Kith

from ..conftest import as_

ME = {"query": "{ me { id } }"}


def test_a_revoked_token_is_refused_once_its_remembered_check_has_lapsed(derby: Kith) -> None:
    kept = derby.signed_in
    derby.signed_in = accounts.Recent(seconds=0.5)
    try:
        client = TestClient(create_app(kith=derby))
        account, token = accounts.add(derby.store, "Rev Oked", accounts.Role.COORDINATOR)
        assert client.post("/graphql", json=ME, headers=as_(token)).json()["data"]["me"]["id"] \
            == account.id  # fmt: skip
        assert derby.signed_in.cached(token) == account
        accounts.revoke(derby.store, account.id)
        time.sleep(0.6)
        assert derby.signed_in.cached(token) is None
        refused = client.post("/graphql", json=ME, headers=as_(token))
        assert refused.status_code == 401
    finally:
        derby.signed_in = kept


def test_an_unknown_token_is_never_remembered(derby: Kith) -> None:
    client = TestClient(create_app(kith=derby))
    assert client.post("/graphql", json=ME, headers=as_("kith_nobody")).status_code == 401
    assert derby.signed_in.cached("kith_nobody") is None
    assert derby.signed_in.seconds == accounts.TOKEN_SECONDS


def test_the_memory_keeps_at_most_its_limit(derby: Kith) -> None:
    recent = accounts.Recent(most=2)
    tokens = [accounts.add(derby.store, f"T{n}", accounts.Role.COORDINATOR)[1] for n in range(3)]
    for token in tokens:
        recent.authenticate(derby.store, token)
    assert recent.cached(tokens[0]) is None and recent.cached(tokens[2]) is not None
    assert len(recent.found) == 2
