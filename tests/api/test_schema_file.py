"""api/schema.graphql is what `kith schema` prints: integrators read the file."""

from __future__ import annotations

from api.schema import build_schema

from ..conftest import ROOT


def test_the_committed_schema_matches_the_code() -> None:
    committed = (ROOT / "api" / "schema.graphql").read_text()
    assert committed.strip() == build_schema().as_str().strip(), (
        "api/schema.graphql is out of date: run `kith schema > api/schema.graphql`"
    )


def test_the_contract_names_are_kept() -> None:
    sdl = build_schema().as_str()
    for name in (
        "search(text: String",
        "near: PlaceInput",
        "radiusKm: Float",
        "totalCount: Int!",
        "distanceKm: Float",
        "pageInfo: PageInfo!",
        "hasNextPage: Boolean!",
        "endCursor: String",
        "stepFree: Boolean",
        "hearingLoop: Boolean",
        "accessibleToilet: Boolean",
        "free: Boolean!",
        "schedule: [Session!]!",
    ):
        assert name in sdl, name  # fmt: skip
