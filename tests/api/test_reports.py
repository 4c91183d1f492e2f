"""The report through GraphQL on the real app: the counts of a world whose every figure is
known, small counts suppressed (also where subtraction would give them away), the paired t
interval, the area filter, who may read it, and bad input refused by name."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from scipy import stats
from starlette.testclient import TestClient

from api.app import create_app
from kith import accounts, audit
from kith.service import Kith
from matching.geo import distance_km

from ..conftest import call, code_of, load_world
from . import report_world as world

COUNT = "value suppressed"
REPORT = f"""query($from: Date!, $to: Date!, $area: PlaceInput, $radius: Float) {{
  report(from: $from, to: $to, area: $area, radiusKm: $radius) {{ from to radiusKm
    referrals {{ received {{ {COUNT} }} bySource {{ key {COUNT} }} byStatus {{ key {COUNT} }}
                 byMonth {{ key {COUNT} }} }}
    firstContact {{ medianDays {{ {COUNT} }} }}
    matchedWithin8Weeks {{ people {{ {COUNT} }} matched {{ {COUNT} }} notMatched {{ {COUNT} }}
                          share {{ {COUNT} }} }}
    wellbeing {{ measure score better people {{ {COUNT} }} meanChange {{ {COUNT} }}
                lower {{ {COUNT} }} upper {{ {COUNT} }} confidence method }}
    unmetNeeds {{ total {{ {COUNT} }} byKind {{ key {COUNT} }}
                 byOutcode {{ outcode latitude longitude {COUNT} }} }} }} }}"""
PERIOD = {"from": world.START.isoformat(), "to": world.END.isoformat()}
HIDDEN = {"value": None, "suppressed": True}


def shown(n: float | None) -> dict:
    return {"value": n, "suppressed": False}


@pytest.fixture(scope="module")
def reported(kith: Kith) -> Kith:
    load_world(kith, people=500, seed=1)
    world.build(kith)
    return kith


@pytest.fixture(scope="module")
def app(reported: Kith) -> Iterator[TestClient]:
    with TestClient(create_app(kith=reported)) as client:
        yield client


@pytest.fixture(scope="module")
def keys(reported: Kith) -> dict[str, str]:
    made = {}
    for role in ("COORDINATOR", "ADMIN", "PRESCRIBER", "VOLUNTEER"):
        _, made[role] = accounts.add(reported.store, f"Report {role}", accounts.Role(role))
    return made


def report_of(app: TestClient, token: str, **variables: object) -> dict:
    body = call(app, REPORT, token, **{**PERIOD, **variables})
    assert "errors" not in body, body
    return body["data"]["report"]


def by_key(rows: list[dict]) -> dict[str, dict]:
    return {r.pop("key"): r for r in rows}


def small_counts(answer: object) -> list[object]:
    """Every whole number from 1 to 4 given as a count anywhere in an answer (counts are Int;
    means and intervals are Float, so 1.0 is not one)."""
    if isinstance(answer, dict):
        found = [answer] if type(answer.get("value")) is int and 0 < answer["value"] < 5 else []
        return found + [x for v in answer.values() for x in small_counts(v)]
    if isinstance(answer, list):
        return [x for v in answer for x in small_counts(v)]
    return []


def test_referrals_by_source_status_and_month_with_small_counts_hidden(
    app: TestClient, keys: dict
) -> None:
    r = report_of(app, keys["COORDINATOR"])
    assert (r["from"], r["to"], r["radiusKm"]) == ("2026-01-01", "2026-06-30", None)
    referrals = r["referrals"]
    assert referrals["received"] == shown(22)  # the two outside the period are not counted
    # 3 from hospital alone would be 22 - 12 - 7, so the 7 self-referrals are hidden with it.
    assert by_key(referrals["bySource"]) == {
        "GP": shown(12), "SELF": HIDDEN, "SOCIAL_CARE": shown(0), "HOSPITAL": HIDDEN,
        "VOLUNTARY_SECTOR": shown(0), "OTHER": shown(0)}  # fmt: skip
    status = by_key(referrals["byStatus"])
    assert status["IN_PROGRESS"] == shown(10) and status["RECEIVED"] == shown(0)
    assert status["DECLINED"] == HIDDEN and status["COMPLETED"] == HIDDEN
    assert by_key(referrals["byMonth"]) == {
        "2026-01": shown(12), "2026-02": HIDDEN, "2026-03": HIDDEN, "2026-04": shown(0),
        "2026-05": shown(0), "2026-06": shown(0)}  # fmt: skip


def test_first_contact_and_matches_within_eight_weeks(app: TestClient, keys: dict) -> None:
    r = report_of(app, keys["ADMIN"])
    # 19 contacted after 1..19 days; the 3 declined are not (and how many were is not said).
    assert r["firstContact"] == {"medianDays": shown(10.0)}
    # 8 paired and 6 at an activity within 8 weeks; one started too late, one was paired before.
    assert r["matchedWithin8Weeks"] == {"people": shown(22), "matched": shown(14),
                                        "notMatched": shown(8),
                                        "share": shown(pytest.approx(14 / 22))}  # fmt: skip


def test_wellbeing_change_is_first_baseline_to_latest_follow_up_with_a_paired_t_interval(
    app: TestClient, keys: dict
) -> None:
    rows = {(w["measure"], w["score"]): w for w in report_of(app, keys["COORDINATOR"])["wellbeing"]}
    assert len(rows) == 4 + 1 + 1  # every score of ONS4, SWEMWBS and UCLA3, none left out
    for i, score in enumerate(("lifeSatisfaction", "worthwhile", "happiness", "anxiety")):
        before = [b[i] for b, _ in world.ONS4]
        after = [a[i] for _, a in world.ONS4]
        expected = stats.ttest_rel(after, before).confidence_interval(0.95)
        row = rows[("ONS4", score)]
        assert row["people"] == shown(6)
        assert row["meanChange"]["value"] == pytest.approx(
            sum(after) / 6 - sum(before) / 6, abs=0.005)  # fmt: skip
        assert row["lower"]["value"] == pytest.approx(expected.low, abs=0.005)
        assert row["upper"]["value"] == pytest.approx(expected.high, abs=0.005)
        assert (row["method"], row["confidence"]) == ("paired t", 0.95)
    assert rows[("ONS4", "anxiety")]["better"] == -1
    assert rows[("ONS4", "lifeSatisfaction")]["meanChange"] == shown(1.0)  # [1, 2, 0, 1, 3, -1]
    swemwbs = rows[("SWEMWBS", "wellbeing")]  # three people: too few to show anything
    assert swemwbs["people"] == swemwbs["meanChange"] == swemwbs["lower"] == HIDDEN
    ucla = rows[("UCLA3", "loneliness")]  # a follow-up without a baseline pairs with nothing
    assert ucla["people"] == shown(0) and ucla["meanChange"] == shown(None)


def test_unmet_needs_by_outward_code_and_kind(app: TestClient, keys: dict) -> None:
    unmet = report_of(app, keys["COORDINATOR"])["unmetNeeds"]
    assert unmet["total"] == shown(23)  # July's 4 are outside the period
    places = {u.pop("outcode"): u for u in unmet["byOutcode"]}
    assert {k: (u["value"], u["suppressed"]) for k, u in places.items()} == {
        "DE1": (None, True), "DE21": (None, True), "DE22": (9, False),
        "DE3": (7, False)}  # fmt: skip
    assert all(u["latitude"] and u["longitude"] for u in places.values())
    assert by_key(unmet["byKind"]) == {
        "SEARCH": shown(13), "ACTIVITY_SUGGESTION": shown(5), "BUDDY_SUGGESTION": HIDDEN,
        "REFERRAL": HIDDEN}  # fmt: skip


def test_no_count_from_one_to_four_appears_in_any_answer(app: TestClient, keys: dict) -> None:
    for variables in ({}, {"from": "2026-03-01", "to": "2026-03-31"},
                      {"area": {"postcode": "DE22 3AB"}, "radius": 2.0}):  # fmt: skip
        answer = report_of(app, keys["COORDINATOR"], **variables)
        assert small_counts(answer) == []


def test_an_area_counts_the_people_living_within_the_radius(
    app: TestClient, keys: dict, reported: Kith
) -> None:
    people = world.people(reported)[:22]
    centre = people[0]
    near = sum(1 for p in people if distance_km((centre.lat, centre.lon), (p.lat, p.lon)) <= 3)
    r = report_of(app, keys["COORDINATOR"], area={"latitude": centre.lat,
                                                  "longitude": centre.lon}, radius=3.0)  # fmt: skip
    assert r["radiusKm"] == 3.0
    assert r["referrals"]["received"] == (shown(near) if near == 0 or near >= 5 else HIDDEN)
    assert near < 22  # the area leaves some out, or this checks nothing
    default = report_of(app, keys["COORDINATOR"], area={"postcode": centre.postcode})
    assert default["radiusKm"] == 5.0


def test_the_report_is_audited_by_its_period_only(
    app: TestClient, keys: dict, reported: Kith
) -> None:
    report_of(app, keys["COORDINATOR"], area={"postcode": "DE22 3AB"})
    events = [e for e in audit.recent(reported.store) if e.action == "report.read"]
    assert events and events[0].subject == "report:2026-01-01/2026-06-30"
    assert all("DE22" not in e.subject for e in events)


@pytest.mark.parametrize(("who", "code"), [
    ("PRESCRIBER", "FORBIDDEN"), ("VOLUNTEER", "FORBIDDEN"), (None, "UNAUTHENTICATED"),
])  # fmt: skip
def test_only_coordinators_and_admins_may_read_it(
    app: TestClient, keys: dict, who: str | None, code: str
) -> None:
    body = call(app, REPORT, keys[who] if who else None, **PERIOD)
    assert code_of(body) == code and body["data"] is None


@pytest.mark.parametrize(("variables", "field"), [
    ({"from": "2026-06-30", "to": "2026-01-01"}, "to"),
    ({"from": "2016-01-01", "to": "2026-01-01"}, "from"),
    ({"radius": 3.0}, "radiusKm"),
    ({"area": {"postcode": "DE22 3AB"}, "radius": 0.0}, "radiusKm"),
    ({"area": {"postcode": "ZZ99 9ZZ"}}, "postcode"),
])  # fmt: skip
def test_bad_input_is_refused_naming_it(
    app: TestClient, keys: dict, variables: dict, field: str
) -> None:
    body = call(app, REPORT, keys["COORDINATOR"], **{**PERIOD, **variables})
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == field
