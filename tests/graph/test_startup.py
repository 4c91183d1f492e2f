"""A store that cannot be used is refused at connect, with an error naming why."""

from __future__ import annotations

from dataclasses import replace

import pytest

from graph.store import connect
from kith.errors import Unavailable
from kith.settings import Settings

from ..conftest import ENGINE


@pytest.mark.skipif(ENGINE != "neo4j", reason="the embedded store makes its own password")
def test_a_wrong_neo4j_password_is_named(settings: Settings) -> None:
    with pytest.raises(Unavailable, match="refused NEO4J_USERNAME and NEO4J_PASSWORD"):
        connect(replace(settings, neo4j_password="not the password"))
