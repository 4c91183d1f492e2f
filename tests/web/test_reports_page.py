"""The /reports page in a real browser at 1280 and 390 px: the last 12 months at first, a
period chosen by keyboard, each chart drawn with the figures of the table beside it, unmet
needs on a map from its table, no count from 1 to 4 anywhere on the page, axe clean; a mistake
named at its field; prescribers and the public kept out."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from kith.service import Kith

from ..api import report_world as world
from .conftest import fits, sign_in

# Every chart's figures beside its table's: the table's data-value of each row, as the chart
# has them (null where the table says "fewer than 5").
CHARTS_AND_TABLES = """() => Array.from(document.querySelectorAll("canvas[data-chart-for]"))
  .map((canvas) => {
    const table = document.getElementById(canvas.dataset.chartFor);
    const chart = Chart.getChart(canvas);
    const rows = Array.from(table.querySelectorAll("tbody tr"));
    const series = canvas.dataset.kind === "interval" ? "mean" : "count";
    const cells = rows.map((row) => row.querySelector(`td[data-series="${series}"]`));
    return {
      id: table.id,
      table: cells.map((c) => c.dataset.value === undefined ? null : parseFloat(c.dataset.value)),
      chart: chart ? chart.data.datasets[0].data : "no chart",
    };
  })"""


VIEWPORT = {"desktop": 1280, "phone": 390}


@pytest.fixture(scope="module")
def reported(derby: Kith) -> Kith:
    world.build(derby)
    return derby


def small_numbers(page: Page) -> list[str]:
    """Every table cell and heading on the page whose text is a whole number from 1 to 4."""
    texts = page.locator("main td, main h2").all_inner_texts()
    return [t for t in texts if re.fullmatch(r"[1-4]|.*: [1-4]", t.strip())]


def chart_labels(page: Page, table_id: str) -> list[str]:
    return page.evaluate(f"Chart.getChart(document.querySelector('[data-chart-for={table_id}]'))"
                         ".data.labels")  # fmt: skip


def choose_period(page: Page, start: str, end: str) -> None:
    page.get_by_label("From").fill(start)
    page.get_by_label("To", exact=True).fill(end)
    page.get_by_label("To", exact=True).press("Enter")


@pytest.mark.parametrize("browser_page", ["desktop", "phone"], indirect=True)
def test_a_coordinator_reads_the_report_with_each_chart_beside_its_table(
    live_server: str, browser_page: Page, coordinator: tuple[str, str], reported: Kith,
    request: pytest.FixtureRequest,
) -> None:  # fmt: skip
    page, size = browser_page, request.node.callspec.params["browser_page"]
    sign_in(page, live_server, *coordinator)
    if size == "phone":
        page.goto(f"{live_server}/reports")
    else:
        page.get_by_role("link", name="Reports", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    today = date.today()
    expect(page.get_by_label("From")).to_have_value((today - timedelta(days=364)).isoformat())
    expect(page.get_by_label("To", exact=True)).to_have_value(today.isoformat())

    choose_period(page, world.START.isoformat(), world.END.isoformat())
    expect(page.get_by_role("heading", name="Referrals received: 22")).to_be_visible()
    source = page.get_by_role("table", name="Referrals by source")
    expect(source.get_by_role("row", name="Hospital")).to_contain_text("fewer than 5")
    expect(source.get_by_role("row", name="GP")).to_contain_text("12")
    waiting = page.get_by_role("table", name="Waiting and matching")
    expect(waiting.get_by_role("row", name="Median days")).to_contain_text("10.0")
    expect(waiting.get_by_role("row", name="Share matched")).to_contain_text("64%")
    ons4 = page.get_by_role("table", name="ONS personal well-being (ONS4)")
    expect(ons4.get_by_role("row", name="Life satisfaction")).to_contain_text("+1.00")
    expect(page.get_by_role("table", name=re.compile("SWEMWBS"))).to_contain_text("fewer than 5")

    page.wait_for_function("typeof Chart !== 'undefined' && !!document.querySelector('.ready')")
    drawn = page.evaluate(CHARTS_AND_TABLES)
    assert {d["id"] for d in drawn} >= {"by-month", "by-source", "by-status", "wellbeing-ons4",
                                        "unmet-kinds"}  # fmt: skip
    for figures in drawn:
        assert figures["chart"] == figures["table"], figures["id"]
    # A suppressed figure's missing bar must not read as zero: its label says why.
    months = chart_labels(page, "by-month")
    assert months[:3] == ["Jan 2026", "Feb 2026 (fewer than 5)", "Mar 2026 (fewer than 5)"]
    assert chart_labels(page, "wellbeing-ons4") == ["Life satisfaction", "Worthwhile",
                                                    "Happiness", "Anxiety"]  # fmt: skip

    places = page.get_by_role("table", name="Unmet needs by outward postcode")
    expect(places.get_by_role("row", name="DE22")).to_contain_text("9")
    expect(places.get_by_role("row", name=re.compile("^DE1 "))).to_contain_text("fewer than 5")
    expect(page.locator("#unmet-map.ready path.leaflet-interactive")).to_have_count(4)

    ons4_interval = ons4.get_by_role("row", name="Life satisfaction").get_by_role("cell").last
    expect(ons4_interval).to_have_text(re.compile(r"^[-+]\d\.\d\d to [-+]\d\.\d\d$"))
    assert small_numbers(page) == []
    # A phone's page grows to fit what is too wide, so its width is checked against 390 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT[size]
    assert fits(page, f"reports-{size}") == []


def test_a_small_period_shows_fewer_than_five_and_a_mistake_is_named(
    live_server: str, browser_page: Page, coordinator: tuple[str, str], reported: Kith
) -> None:
    page = browser_page
    sign_in(page, live_server, *coordinator)
    page.goto(f"{live_server}/reports?from=2026-03-01&to=2026-03-31")
    expect(page.get_by_role("heading", name="Referrals received: fewer than 5")).to_be_visible()
    assert small_numbers(page) == []

    choose_period(page, "2026-06-30", "2026-01-01")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("To: 2026-01-01 is before from (2026-06-30).")
    expect(page.get_by_label("To", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("heading", name=re.compile("Referrals received"))).to_have_count(0)
    assert fits(page, "reports-mistake") == []


def test_prescribers_and_the_public_are_kept_out(
    live_server: str, browser_page: Page, prescriber: tuple[str, str], reported: Kith
) -> None:
    page = browser_page
    response = page.goto(f"{live_server}/reports")
    assert response is not None and "/sign-in" in page.url
    sign_in(page, live_server, *prescriber)
    expect(page.get_by_role("link", name="Reports", exact=True)).to_have_count(0)
    response = page.goto(f"{live_server}/reports")
    assert response is not None and response.status == 403
    expect(page.get_by_role("main")).not_to_contain_text("Referrals received")
