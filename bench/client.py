"""A GraphQL client over one keep-alive HTTP connection: what a coordinator's browser or a
prescriber's tool does, timed from request to parsed answer."""

from __future__ import annotations

import http.client
import json
import time
from dataclasses import dataclass
from typing import Any

TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Answer:
    ms: float
    data: dict[str, Any] | None
    error: str | None


class Client:
    """Sends GraphQL operations as the holder of ``token`` (reconnecting after a failure)."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S)

    def ask(self, query: str, variables: dict[str, Any]) -> Answer:
        body = json.dumps({"query": query, "variables": variables})
        started = time.perf_counter()
        try:
            self.connection.request("POST", "/graphql", body, self.headers)
            response = self.connection.getresponse()
            payload = json.loads(response.read())
        except (OSError, http.client.HTTPException, ValueError) as exc:
            self.connection.close()
            return Answer((time.perf_counter() - started) * 1000, None, repr(exc))
        ms = (time.perf_counter() - started) * 1000
        if response.status != 200 or payload.get("errors"):
            return Answer(ms, None, f"{response.status}: {payload.get('errors')}")
        return Answer(ms, payload["data"], None)

    def close(self) -> None:
        self.connection.close()
