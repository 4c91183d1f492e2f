"""A door bad clients cannot break: depth, aliases, tokens, size, requests that are not one
GraphQL operation, and no internals in errors. Every refusal has GraphQL's error shape, its
code, and says what to send instead."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from starlette.testclient import TestClient

from kith.errors import Timeout
from kith.service import Kith

from ..conftest import call, code_of

ONE_OPERATION = 'send one operation as a JSON object {"query": "...", "variables": {...}} by POST'


def test_a_twenty_deep_query_is_refused(client: TestClient) -> None:
    inner = "id"
    for _ in range(20):
        inner = f"broader {{ {inner} }}"
    body = call(client, f"{{ taxonomy(kind: INTEREST) {{ {inner} }} }}")
    assert body["data"] is None
    assert code_of(body) == "QUERY_TOO_COMPLEX"
    assert "depth" in body["errors"][0]["message"].lower()
    assert "send a smaller query" in body["errors"][0]["message"]


def test_five_hundred_aliases_are_refused(client: TestClient) -> None:
    aliases = " ".join(f"a{i}: me {{ id }}" for i in range(500))
    body = call(client, f"{{ {aliases} }}")
    assert body["data"] is None and code_of(body) == "QUERY_TOO_COMPLEX"


@pytest.mark.parametrize("count, refused", [(30, False), (31, True), (31, True)])
def test_the_alias_limit_holds_however_often_a_document_is_sent(
    client: TestClient, count: int, refused: bool
) -> None:
    """31 aliases, twice: the parse and validation caches never let a refused document in."""
    aliases = " ".join(f"a{i}: me {{ id }}" for i in range(count))
    body = call(client, f"{{ {aliases} }}")
    assert ("aliases" in str(body.get("errors", "")).lower()) is refused


def test_a_document_of_more_than_2000_tokens_is_too_complex(client: TestClient) -> None:
    """The token limit stops the parser (strawberry's ParserCache parses outside the extension
    that gives errors their codes: the door codes it)."""
    body = call(client, "{ me { " + "id " * 2_100 + "} }")
    assert body["data"] is None and code_of(body) == "QUERY_TOO_COMPLEX"
    message = body["errors"][0]["message"]
    assert "more than 2000 tokens" in message and "send a smaller query" in message
    assert "Syntax Error" not in message


def test_a_syntax_error_has_its_code(client: TestClient) -> None:
    body = call(client, "{ me { ")
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "query"}


JSON = {"content-type": "application/json"}
ME = {"query": "{ me { id } }"}


def refused(status: int, content_type: str, body: dict) -> dict:
    """The one error of a 400 answered in GraphQL's shape."""
    assert status == 400 and content_type.startswith("application/json")
    assert body["data"] is None
    (error,) = body["errors"]
    return error


POSTED = {
    "batch": ({"json": [ME, ME]}, "body", "not a list"),
    "not JSON": ({"content": b"{nope", "headers": JSON}, "body", "does not parse"),
    "a JSON string": ({"content": b'"{ me { id } }"', "headers": JSON}, "body", "not an object"),
    "text/plain": ({"content": json.dumps(ME), "headers": {"content-type": "text/plain"}},
                   "content-type", "not JSON"),
    "no content type": ({"content": json.dumps(ME).encode()}, "content-type", "not JSON"),
    "no query": ({"json": {"variables": {}}}, "query", "no query"),
    "an empty query": ({"json": {"query": ""}}, "query", "no query"),
    "a query that is not a string": ({"json": {"query": 5}}, "query", "must be a string"),
    "variables that are not an object": ({"json": {**ME, "variables": [1]}}, "variables",
                                         "must be an object"),
}  # fmt: skip


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_another_method_is_refused_in_the_graphql_shape(client: TestClient, method: str) -> None:
    response = client.request(method, "/graphql", json=ME)
    assert response.status_code == 405
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "method"}
    assert "only GET and POST" in error["message"]


@pytest.mark.parametrize(("sent", "field", "said"), POSTED.values(), ids=POSTED.keys())
def test_a_post_that_is_not_one_graphql_operation_is_refused(
    client: TestClient, sent: dict, field: str, said: str
) -> None:
    response = client.post("/graphql", **sent)
    error = refused(response.status_code, response.headers["content-type"], response.json())
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert said in error["message"] and ONE_OPERATION in error["message"]
    assert "content-type application/json" in error["message"]


GOT = {
    "a mutation": ({"query": 'mutation { forgetPerson(id: "p-1") { id } }'}, "query", "needs POST"),
    "no query": ({}, "query", "no query"),
    "variables that are not JSON": ({**ME, "variables": "{nope"}, "variables", "JSON objects"),
    "variables that are a number": ({**ME, "variables": "5"}, "variables", "JSON objects"),
}  # fmt: skip


@pytest.mark.parametrize(("params", "field", "said"), GOT.values(), ids=GOT.keys())
def test_a_get_that_is_not_one_graphql_query_is_refused(
    client: TestClient, params: dict, field: str, said: str
) -> None:
    response = client.get("/graphql", params=params, headers={"accept": "application/json"})
    error = refused(response.status_code, response.headers["content-type"], response.json())
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert said in error["message"] and ONE_OPERATION in error["message"]


def test_an_unknown_operation_name_is_refused(client: TestClient) -> None:
    response = client.post(
        "/graphql", json={"query": "query A { me { id } }", "operationName": "B"}
    )
    error = refused(response.status_code, response.headers["content-type"], response.json())
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "operationName"}
    assert "send operationName naming one operation of the query" in error["message"]


def test_a_browser_asking_for_the_page_still_gets_graphiql(client: TestClient) -> None:
    response = client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200 and "text/html" in response.headers["content-type"]


def test_a_refusal_has_the_graphql_shape_over_a_real_socket(live_server: str) -> None:
    """uvicorn on a real port: what a client on the network gets for a batch."""
    request = urllib.request.Request(
        f"{live_server}/graphql", data=json.dumps([ME]).encode(), headers=JSON, method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(request, timeout=10)
    http = answer.value
    error = refused(http.code, http.headers["content-type"], json.loads(http.read()))
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "body"}
    assert ONE_OPERATION in error["message"]


def test_a_query_the_store_stopped_is_a_timeout(
    client: TestClient, derby: Kith, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store's Timeout (tests/graph/test_timeout.py makes real ones) reaches the client
    as TIMEOUT with its message, on a normal 200 answer."""

    def stopped(work: object) -> None:
        raise Timeout("the query took longer than 10000 ms and was stopped")

    monkeypatch.setattr(derby.store, "read", stopped)
    response = client.post("/graphql", json={"query": '{ venue(id: "v-1") { name } }'})
    assert response.status_code == 200
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": "TIMEOUT"}
    assert error["message"] == "the query took longer than 10000 ms and was stopped"


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
