"""The directory search through GraphQL over HTTP, on the demo world."""

from __future__ import annotations

from starlette.testclient import TestClient

from ..conftest import call, gql

ALLESTREE = {"latitude": 52.9515, "longitude": -1.4893}  # Mrs Shardlow's street

SEARCH = """
query Search($text: String, $near: PlaceInput, $radiusKm: Float! = 5, $kinds: [EntryKind!],
             $interests: [String!], $supports: [String!], $day: Weekday,
             $freeOnly: Boolean! = false, $stepFree: Boolean! = false, $language: String,
             $first: Int! = 20, $after: String) {
  search(text: $text, near: $near, radiusKm: $radiusKm, kinds: $kinds, interests: $interests,
         supports: $supports, day: $day, freeOnly: $freeOnly, stepFree: $stepFree,
         language: $language, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor distanceKm score
      node {
        __typename
        ... on Activity { id name free cost languages schedule { day start end }
                          venue { id name stepFree } group { id name }
                          interests { id } supports { id } lastReviewedOn reviewDue }
        ... on Venue { id name stepFree latitude longitude }
        ... on Group { id name }
      }
    }
  }
}
"""


def search(client: TestClient, **variables: object) -> dict:
    body = gql(client, SEARCH, **variables)
    assert "errors" not in body, body["errors"]
    return body["data"]["search"]


def error_of(client: TestClient, **variables: object) -> dict:
    body = gql(client, SEARCH, **variables)
    assert body["data"] is None
    (error,) = body["errors"]
    return error


def names(result: dict, typename: str = "Activity") -> list[str]:
    return [e["node"]["name"] for e in result["edges"] if e["node"]["__typename"] == typename]


def test_knit_near_allestree_finds_the_library_knit_and_natter(client: TestClient) -> None:
    result = search(client, text="knit", near=ALLESTREE, radiusKm=3)
    first = result["edges"][0]
    assert first["node"]["name"] in {"Knit and Natter", "Allestree Library"}
    knit = next(e for e in result["edges"] if e["node"].get("id") == "a-knit-allestree")
    assert knit["node"]["venue"]["name"] == "Allestree Library"
    assert knit["node"]["schedule"] == [{"day": "TUESDAY", "start": "10:00", "end": "12:00"}]
    assert knit["node"]["free"] is True
    assert 0.1 < knit["distanceKm"] < 0.4
    assert 0 < knit["score"] <= 1
    for edge in result["edges"]:
        assert edge["distanceKm"] <= 3


def test_text_is_typo_tolerant_and_matches_taxonomy_terms(client: TestClient) -> None:
    typo = search(client, text="knittin", kinds=["ACTIVITY"])
    assert "Knit and Natter" in names(typo)
    # "yarn" is a synonym of knitting: found through the taxonomy, not the activity's name.
    assert "Knit and Natter" in names(search(client, text="yarn", kinds=["ACTIVITY"]))
    assert search(client, text="xylophone quantum", kinds=["ACTIVITY"])["totalCount"] == 0


def test_results_are_nearest_first_when_text_matches_equally(client: TestClient) -> None:
    """Of listings as fresh as each other (reviewed within their cycle, or not), the nearer
    first: the review part is the only other thing a search without text weighs."""
    result = search(client, interests=["walking"], near=ALLESTREE, radiusKm=8, kinds=["ACTIVITY"])
    fresh = [e["distanceKm"] for e in result["edges"] if not e["node"]["reviewDue"]]
    assert len(fresh) > 2
    assert fresh == sorted(fresh)
    scores = [e["score"] for e in result["edges"]]
    assert scores == sorted(scores, reverse=True)


def test_paging_walks_every_result_once(client: TestClient) -> None:
    whole = search(client, near=ALLESTREE, radiusKm=4, first=100)
    seen, after = [], None
    while True:
        page = search(client, near=ALLESTREE, radiusKm=4, first=7, after=after)
        assert page["totalCount"] == whole["totalCount"]
        seen += [e["node"]["id"] + e["node"]["__typename"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == whole["totalCount"] > 7


def test_filters_narrow_the_results(client: TestClient) -> None:
    base = {"near": ALLESTREE, "radiusKm": 10, "kinds": ["ACTIVITY"], "first": 100}
    free = search(client, freeOnly=True, **base)
    assert free["edges"] and all(e["node"]["free"] for e in free["edges"])
    step_free = search(client, stepFree=True, **base)
    assert all(e["node"]["venue"]["stepFree"] for e in step_free["edges"])
    tuesday = search(client, day="TUESDAY", **base)
    assert all(any(s["day"] == "TUESDAY" for s in e["node"]["schedule"])
               for e in tuesday["edges"])  # fmt: skip
    polish = search(client, language="Polski", **base)
    assert polish["edges"] and all("Polish" in e["node"]["languages"] for e in polish["edges"])
    every = search(client, **base)["totalCount"]
    assert every > max(free["totalCount"], tuesday["totalCount"], polish["totalCount"])


def test_interest_and_support_filters_include_narrower_terms(client: TestClient) -> None:
    crafts = search(client, interests=["crafts"], kinds=["ACTIVITY"], first=100)
    assert "Knit and Natter" in names(crafts)  # knitting is narrower than crafts
    dementia = search(client, supports=["memory loss"], kinds=["ACTIVITY"], first=100)
    assert "Memory Cafe" in names(dementia)
    assert all("dementia" in [s["id"] for s in e["node"]["supports"]] for e in dementia["edges"])


def test_a_postcode_is_a_place(client: TestClient) -> None:
    result = search(client, text="memory", near={"postcode": "de3 0da"}, radiusKm=2)
    assert "Memory Cafe" in names(result)


def test_groups_and_venues_are_found_through_their_activities(client: TestClient) -> None:
    result = search(client, text="breathe easy", first=50)
    assert "Breathe Easy Derby" in names(result, "Group")
    assert "Derby Central Library" in names(result, "Venue")


def test_bad_arguments_are_named_in_the_error(client: TestClient) -> None:
    cases = [
        ({"near": {"postcode": "not a postcode"}}, "postcode"),
        ({"near": {"postcode": "ZZ99 9ZZ"}}, "postcode"),
        ({"near": {"latitude": 100, "longitude": 0}}, "latitude"),
        ({"near": {"latitude": 52.9}}, "place"),
        ({"radiusKm": -1}, "radiusKm"),
        ({"first": 100000}, "first"),
        ({"after": "bm9wZQ=="}, "after"),
        ({"interests": ["zzzzqqq"]}, "interests"),
        ({"language": "Klingon"}, "language"),
        ({"text": "x" * 201}, "text"),
    ]
    for variables, field in cases:
        error = error_of(client, **variables)
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}, variables
        assert "Traceback" not in error["message"] and "MATCH" not in error["message"]


def test_people_are_not_in_the_public_directory(client: TestClient, tokens: dict) -> None:
    error = error_of(client, kinds=["PERSON"])
    assert error["extensions"]["code"] == "FORBIDDEN"
    whole = search(client, text="Shardlow", first=100)
    assert whole["totalCount"] == 0
    as_prescriber = call(client, SEARCH, tokens["prescriber"], kinds=["VOLUNTEER"])
    assert as_prescriber["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_coordinators_find_people_and_volunteers_and_each_is_audited(
    client: TestClient, tokens: dict, derby
) -> None:
    from kith import audit

    query = """query($text: String, $near: PlaceInput, $kinds: [EntryKind!]) {
      search(text: $text, near: $near, radiusKm: 2, kinds: $kinds) { totalCount edges {
        distanceKm node { __typename ... on Person { id name } ... on Volunteer { id approved } }
      } } }"""
    people = call(client, query, tokens["coordinator"], text="Shardlow", kinds=["PERSON"])
    (edge,) = people["data"]["search"]["edges"]
    assert edge["node"] == {"__typename": "Person", "id": "p-shardlow", "name": "Mrs Shardlow"}
    assert audit.about(derby.store, "p-shardlow")[0].action == "person.search"
    volunteers = call(client, query, tokens["coordinator"], near=ALLESTREE, kinds=["VOLUNTEER"])
    nodes = [e["node"] for e in volunteers["data"]["search"]["edges"]]
    assert {"__typename": "Volunteer", "id": "p-brown", "approved": True} in nodes
    assert all(n["__typename"] == "Volunteer" for n in nodes)


def test_malformed_graphql_is_bad_user_input(client: TestClient) -> None:
    body = gql(client, "{ search(text: 5) { totalCount } }")
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    body = gql(client, "{ search { nope } }")
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
