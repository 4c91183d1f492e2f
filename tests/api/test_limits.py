"""A door bad clients cannot break: depth, aliases, size, and no internals in errors."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from ..conftest import call


def test_a_twenty_deep_query_is_refused(client: TestClient) -> None:
    inner = "id"
    for _ in range(20):
        inner = f"broader {{ {inner} }}"
    body = call(client, f"{{ taxonomy(kind: INTEREST) {{ {inner} }} }}")
    assert body["data"] is None
    assert "depth" in body["errors"][0]["message"].lower()


def test_five_hundred_aliases_are_refused(client: TestClient) -> None:
    aliases = " ".join(f"a{i}: me {{ id }}" for i in range(500))
    body = call(client, f"{{ {aliases} }}")
    assert body["data"] is None and body["errors"]


@pytest.mark.parametrize("count, refused", [(30, False), (31, True), (31, True)])
def test_the_alias_limit_holds_however_often_a_document_is_sent(
    client: TestClient, count: int, refused: bool
) -> None:
    """31 aliases, twice: the parse and validation caches never let a refused document in."""
    aliases = " ".join(f"a{i}: me {{ id }}" for i in range(count))
    body = call(client, f"{{ {aliases} }}")
    assert ("aliases" in str(body.get("errors", "")).lower()) is refused


def test_a_huge_page_is_refused(client: TestClient) -> None:
    body = call(client, "{ search(first: 100000) { totalCount } }")
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}


def test_a_huge_body_is_refused_before_it_is_read(client: TestClient) -> None:
    response = client.post("/graphql", content=b"{" + b" " * 400_000 + b"}",
                           headers={"content-type": "application/json"})  # fmt: skip
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_errors_never_carry_internals(client: TestClient) -> None:
    hostile = '"}) DETACH DELETE n //'
    body = call(client, "query($t: String) { search(text: $t) { totalCount } }", t=hostile)
    assert body["data"]["search"]["totalCount"] == 0
    body = call(client, 'query { venue(id: "\\") MATCH (n) RETURN n //") { name } }')
    assert body["data"] == {"venue": None}
