"""The person page's plan and wellbeing in a real browser, at 1280 and 390 px: a coordinator
writes the plan and records measures (by keyboard alone, one question at a time on a phone),
the chart is drawn from the figures of the table beside it, and the prescriber who referred
the person reads both with nothing to change them with."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from kith import accounts, people
from kith.accounts import Role
from kith.service import Kith

from .conftest import PRESCRIBER, VIEWPORTS, fits, screenshot, sign_in

ONS4 = "ONS personal well-being (ONS4)"


def referred_by_prescriber(kith: Kith, name: str) -> str:
    """Someone the test prescriber referred, so that they may read them."""
    gp = accounts.ensure_sign_in(kith.store, "Test Prescriber", Role.PRESCRIBER, *PRESCRIBER)
    form = {"name": name, "birth_year": 1951, "place": {"postcode": "DE22 3AB"},
            "consent_to_matching": True}  # fmt: skip
    return people.refer(kith, gp, form, "lonely since a move", "ROUTINE").person.id


def focused(page: Page, target: Locator) -> bool:
    return target.evaluate("element => element === document.activeElement")


def tab_to(page: Page, target: Locator, most: int = 250) -> None:
    """Press Tab until ``target`` has the focus, as someone without a mouse would."""
    for _ in range(most):
        if focused(page, target):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} was not reached by Tab")


def answer_by_keyboard(page: Page, form: Locator, answers: list[int], phone: bool) -> None:
    """Answer each question from the keyboard: Tab into its radio group, Space for the first
    answer and the arrow key to the one wanted; on a phone, Next to the following question."""
    questions = form.locator("fieldset[data-question]")
    for n, value in enumerate(answers):
        first = questions.nth(n).get_by_role("radio").first
        if not focused(page, first):
            tab_to(page, first)
        page.keyboard.press("Space")
        for _ in range(value - int(first.get_attribute("value") or 0)):
            page.keyboard.press("ArrowRight")
        expect(questions.nth(n).locator(f"input[value='{value}']")).to_be_checked()
        if phone:
            shown = questions.locator("visible=true")
            expect(shown).to_have_count(1)
            expect(shown.locator("legend")).to_contain_text(f"Question {n + 1} of {len(answers)}:")
            if n < len(answers) - 1:
                tab_to(page, form.get_by_role("button", name="Next question"))
                page.keyboard.press("Enter")
    tab_to(page, form.get_by_role("button", name="Record ONS4"))
    page.keyboard.press("Enter")


def record_ons4(page: Page, answers: list[int], timepoint: str, phone: bool) -> None:
    region = page.get_by_role("region", name="Wellbeing")
    summary = region.locator("summary", has_text=ONS4)
    tab_to(page, summary)
    page.keyboard.press("Enter")
    form = region.locator("details", has=page.locator("summary", has_text=ONS4)).locator("form")
    expect(form.get_by_label(timepoint)).to_be_checked()
    answer_by_keyboard(page, form, answers, phone)


def chart_figures(page: Page, measure: str) -> tuple[list, list]:
    """What the chart drew (each line's values) and what its table says, column by column."""
    drawn = page.evaluate(
        """name => Chart.getChart(document.querySelector(`canvas[data-chart-for=figures-${name}]`))
                    .data.datasets.map(d => d.data)""",
        measure,
    )
    table = page.evaluate(
        """name => { const rows = [...document.querySelectorAll(`#figures-${name} tbody tr`)];
                     return [...rows[0].querySelectorAll("td")].map((_, i) =>
                       rows.map(r => parseFloat(r.querySelectorAll("td")[i].textContent))); }""",
        measure,
    )
    return drawn, table


@pytest.mark.parametrize("browser_page", ["desktop", "phone"], indirect=True)
def test_a_coordinator_records_ons4_by_keyboard_and_sees_baseline_latest_change_and_chart(
    live_server: str, browser_page: Page, derby: Kith, coordinator: tuple[str, str]
) -> None:
    page, phone = browser_page, browser_page.viewport_size["width"] < 500  # type: ignore[index]
    viewport = "phone" if phone else "desktop"
    person = referred_by_prescriber(derby, f"Winnie Wellbeing {viewport}")
    sign_in(page, live_server, *coordinator)
    page.goto(f"{live_server}/people/{person}")
    region = page.get_by_role("region", name="Wellbeing")
    expect(region).to_contain_text("No wellbeing measures recorded yet")

    # On a phone one question shows at a time; on a wide screen all four, and no stepping.
    region.locator("summary", has_text=ONS4).click()
    form = region.locator("form").first
    expect(form.locator("fieldset[data-question]:visible")).to_have_count(1 if phone else 4)
    expect(form.get_by_role("button", name="Next question")).to_be_visible(visible=phone)
    problems = fits(page, f"wellbeing-form-{viewport}")
    region.locator("summary", has_text=ONS4).click()  # closed again: the journey starts afresh

    record_ons4(page, [7, 8, 6, 3], "Baseline", phone)
    expect(page.get_by_role("status")).to_have_text("Recorded: ONS4 baseline.")
    summary = region.get_by_role("table", name="From the latest baseline to the latest")
    expect(summary.get_by_role("row", name="Life satisfaction")).to_contain_text(
        "No follow-up yet: due")  # fmt: skip

    record_ons4(page, [8, 8, 7, 2], "Follow-up", phone)
    expect(page.get_by_role("status")).to_have_text("Recorded: ONS4 follow-up.")
    rows = {name: summary.get_by_role("row", name=name) for name in
            ("Life satisfaction", "Worthwhile", "Happiness", "Anxiety")}  # fmt: skip
    expect(rows["Life satisfaction"]).to_contain_text("+1 better")
    expect(rows["Worthwhile"]).to_contain_text("0 no change")
    expect(rows["Happiness"]).to_contain_text("+1 better")
    expect(rows["Anxiety"]).to_contain_text("-1 better (lower is better)")

    figures = region.get_by_role("table", name="ONS4 scores by the day taken")
    expect(figures.locator("tbody tr")).to_have_count(2)
    expect(region.get_by_role("img", name="Line chart of ONS4 scores over time")).to_be_visible()
    drawn, table = chart_figures(page, "ONS4")
    assert drawn == table == [[7, 8], [8, 8], [6, 7], [3, 2]]
    problems += fits(page, f"wellbeing-recorded-{viewport}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("browser_page", ["desktop", "phone"], indirect=True)
def test_a_coordinator_writes_the_plan_and_the_referring_prescriber_reads_it(
    live_server: str, browser_page: Page, derby: Kith, coordinator: tuple[str, str],
    prescriber: tuple[str, str],
) -> None:  # fmt: skip
    page = browser_page
    viewport = "phone" if page.viewport_size["width"] < 500 else "desktop"  # type: ignore[index]
    person = referred_by_prescriber(derby, f"Pearl Planner {viewport}")
    sign_in(page, live_server, *coordinator)
    page.goto(f"{live_server}/people/{person}")
    plan = page.get_by_role("region", name="Plan", exact=True)
    expect(plan).to_contain_text("No plan yet")
    plan.get_by_label("What matters to them").fill("Being useful again. I miss my allotment.")
    plan.get_by_label("New goal", exact=True).fill("Help at the community garden")
    plan.get_by_label("Steps towards it").fill("Visit on a Saturday\nMeet the volunteers")
    plan.get_by_label("Review by").fill("2027-03-01")
    problems = fits(page, f"plan-form-{viewport}")
    plan.get_by_role("button", name="Save the plan").click()

    expect(page.get_by_role("status")).to_have_text("Plan saved.")
    expect(plan.locator("blockquote")).to_have_text("Being useful again. I miss my allotment.")
    goal = plan.locator(".goals > li")
    expect(goal).to_have_count(1)
    expect(goal).to_contain_text("Help at the community garden Open")
    steps = goal.get_by_role("listitem")
    expect(steps).to_have_text(["Visit on a Saturday", "Meet the volunteers"])
    expect(plan).to_contain_text("Review by 1 March 2027")

    plan.get_by_text("Change the plan").click()
    plan.get_by_label("Status").first.select_option("MET")
    plan.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_role("status")).to_have_text("Plan saved.")
    expect(goal).to_contain_text("Help at the community garden Met")
    problems += fits(page, f"plan-saved-{viewport}")

    # A review date years away is refused, named, and the plan stays as it was.
    plan.get_by_text("Change the plan").click()
    plan.get_by_label("Review by").fill("2031-01-01")
    plan.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_role("alert")).to_contain_text("Not done: reviewOn: must be between")
    expect(plan).to_contain_text("Review by 1 March 2027")
    problems += fits(page, f"plan-refused-{viewport}")

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, *prescriber)
    page.goto(f"{live_server}/people/{person}")
    expect(plan.locator("blockquote")).to_have_text("Being useful again. I miss my allotment.")
    expect(goal).to_contain_text("Help at the community garden Met")
    expect(plan.get_by_text("Change the plan")).to_have_count(0)
    expect(page.locator("form[action$='/plan'], form[action$='/wellbeing']")).to_have_count(0)
    expect(page.get_by_role("region", name="Wellbeing")).to_contain_text("No wellbeing measures")
    problems += fits(page, f"plan-prescriber-{viewport}")
    assert not problems, "\n".join(problems)


@pytest.fixture
def page_without_scripts(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(**VIEWPORTS["phone"], java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_without_scripts_a_phone_shows_every_question_and_the_figures_as_a_table(
    live_server: str, page_without_scripts: Page, derby: Kith, coordinator: tuple[str, str]
) -> None:
    page = page_without_scripts
    person = referred_by_prescriber(derby, "Nora Noscript")
    sign_in(page, live_server, *coordinator)
    page.goto(f"{live_server}/people/{person}")
    region = page.get_by_role("region", name="Wellbeing")
    region.locator("summary", has_text="UCLA 3-item").click()
    form = region.locator("details[open] form")
    questions = form.locator("fieldset[data-question]")
    expect(questions.locator("visible=true")).to_have_count(3)
    for n, label in enumerate(["Often", "Some of the time", "Hardly ever"]):
        questions.nth(n).get_by_label(label, exact=True).check()
    form.get_by_role("button", name="Record UCLA3").click()
    expect(page.get_by_role("status")).to_have_text("Recorded: UCLA3 baseline.")
    figures = region.get_by_role("table", name="UCLA3 scores by the day taken")
    expect(figures.locator("tbody td")).to_have_text(["6"])
    screenshot(page, "wellbeing-no-script-phone")
