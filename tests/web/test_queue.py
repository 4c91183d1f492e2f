"""The coordinator's "Referrals" queue and the prescriber's view of what came of a referral, in a
real browser at both widths: the order a coordinator works in, every move made through the
forms by keyboard, refusals shown by their form, the "assigned to me" filter, paging, a
practice's printable summary; and the queue's order and waiting times through the service."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import Locator, Page, expect

from kith import (
    accounts,
    attendance,
    contacts,
    matches,
    people,
    referral_queue,
    referral_states,
    suggestions,
    wellbeing,
)
from kith.accounts import Account, Role
from kith.domain import MatchStatus, Person, Referral, ReferralSource, ReferralStatus
from kith.errors import Forbidden, InvalidInput, Unauthenticated
from kith.service import Kith

from .conftest import fits, sign_in

S = ReferralStatus
VIEWPORTS = ("desktop", "phone")
FILLERS = 22  # routine referrals from another prescriber: the queue runs to a second page
COLLEAGUE = "Colleague Coordinator"
OTHER = ("queue.other.gp", "another prescriber password")


def form(name: str) -> dict:
    return {"name": name, "birth_year": 1950, "place": {"postcode": "DE22 3AB"},
            "interests": ["knitting"], "consent_to_matching": True}  # fmt: skip


def refer(kith: Kith, gp: Account, name: str, urgency: str) -> Referral:
    made = people.refer(kith, gp, form(name), f"{name} is lonely", urgency).referral
    assert made is not None
    return made


def names(viewport: str) -> dict[str, str]:
    return {key: f"{key.capitalize()} Queue-{viewport}" for key in
            ("ursula", "una", "dora", "sid", "connie", "rose")}  # fmt: skip


@pytest.fixture(scope="module")
def colleague(derby: Kith) -> Account:
    return accounts.add(derby.store, COLLEAGUE, Role.COORDINATOR)[0]


@pytest.fixture(scope="module")
def queued(derby: Kith, prescriber: tuple[str, str], colleague: Account) -> dict[str, Referral]:
    """For each width: two urgent referrals (older first), one soon, one routine and one to
    lose a race, made in that order; and after them routine ones from another prescriber."""
    gp = accounts.sign_in(derby.store, *prescriber)
    made: dict[str, Referral] = {}
    for viewport in VIEWPORTS:
        n = names(viewport)
        for key, urgency in (
            ("ursula", "URGENT"),
            ("una", "URGENT"),
            ("dora", "SOON"),
            ("sid", "SOON"),
            ("connie", "ROUTINE"),
            ("rose", "ROUTINE"),
        ):
            made[n[key]] = refer(derby, gp, n[key], urgency)  # fmt: skip
    other = accounts.ensure_sign_in(derby.store, "Other Queue GP", Role.PRESCRIBER, *OTHER)
    for i in range(FILLERS):
        refer(derby, other, f"Filler Person {i}", "ROUTINE")
    return made


def row(page: Page, name: str) -> Locator:
    listed = page.get_by_role("region", name=re.compile("^(All referrals|Assigned to me)$"))
    return listed.get_by_role("listitem").filter(has=page.get_by_role("heading", name=name))


def headings(page: Page) -> list[str]:
    return page.locator(".queue > li h3").all_inner_texts()


def act(page: Page, control: Locator) -> None:
    """Focus a control and press Enter on it, as someone using a keyboard would."""
    control.focus()
    control.press("Enter")


@pytest.mark.parametrize("browser_page", VIEWPORTS, indirect=True)
def test_a_coordinator_works_through_the_queue_by_keyboard(
    live_server: str, browser_page: Page, coordinator: tuple[str, str],
    queued: dict[str, Referral], derby: Kith, colleague: Account,
    request: pytest.FixtureRequest,
) -> None:  # fmt: skip
    page, problems = browser_page, []
    viewport = request.node.callspec.params["browser_page"]
    n = names(viewport)
    sign_in(page, live_server, *coordinator)
    nav = page.get_by_role("navigation", name="Main")
    act(page, nav.get_by_role("link", name="Referrals"))
    expect(page).to_have_url(f"{live_server}/queue")
    expect(nav.get_by_role("link", name="Referrals")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("heading", level=1)).to_have_text("Referrals")

    # New first: urgent before soon before routine, the longest waiting first within each.
    shown = headings(page)
    order = [shown.index(n[k]) for k in ("ursula", "una", "dora", "sid", "connie", "rose")]
    assert order == sorted(order), shown
    assert shown.index(n["rose"]) < shown.index("Filler Person 0")
    first = row(page, n["ursula"])
    for said in (
        "Urgent",
        "Received, not yet taken on",
        "GP",
        f"{n['ursula']} is lonely",
        "Nobody yet",
        "under an hour",
    ):
        expect(first).to_contain_text(said)  # fmt: skip
    expect(first.get_by_role("link", name=n["ursula"])).to_have_attribute(
        "href", f"/people/{queued[n['ursula']].person_id}")  # fmt: skip
    problems += fits(page, f"queue-{viewport}")

    # Accept one for a colleague, chosen from the coordinators: it moves on down the queue.
    first.get_by_label("Who will work with them").select_option(label=COLLEAGUE)
    act(page, first.get_by_role("button", name=f"Accept the referral for {n['ursula']}"))
    expect(page.get_by_role("status")).to_have_text("Referral accepted.")
    expect(row(page, n["ursula"])).to_have_count(0)  # page 1 is all new referrals
    ursula = referral_states.get(derby, colleague, queued[n["ursula"]].id)
    assert (ursula.status, ursula.coordinator_id) == (S.ACCEPTED, colleague.id)

    # Decline without a reason: the error is by the form, the reason field marked.
    dora = row(page, n["dora"])
    act(page, dora.locator("summary", has_text=f"Decline the referral for {n['dora']}"))
    act(page, dora.get_by_role("button", name=f"Decline the referral for {n['dora']}"))
    dora = row(page, n["dora"])
    reason = dora.get_by_label("Reason for declining")
    expect(reason).to_be_visible()
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(dora.locator("#problem")).to_have_text("Error: Reason for declining is required.")
    expect(page.get_by_role("alert")).to_contain_text("Reason for declining is required.")
    assert referral_states.get(derby, colleague, queued[n["dora"]].id).status is S.RECEIVED
    problems += fits(page, f"queue-error-{viewport}")
    reason.focus()
    page.keyboard.type("Lives outside the area we cover")
    act(page, dora.get_by_role("button", name=f"Decline the referral for {n['dora']}"))
    expect(page.get_by_role("status")).to_have_text("Referral declined.")
    declined = referral_states.get(derby, colleague, queued[n["dora"]].id)
    assert declined.status is S.DECLINED
    assert declined.decline_reason == "Lives outside the area we cover"

    # Take two on myself (the choice starts at me); they are mine, not my colleague's.
    for key in ("sid", "una"):
        act(page, row(page, n[key]).get_by_role(
            "button", name=f"Accept the referral for {n[key]}"))  # fmt: skip
        expect(page.get_by_role("status")).to_have_text("Referral accepted.")
    act(page, page.get_by_role("link", name="Assigned to me"))
    expect(page).to_have_url(f"{live_server}/queue?mine=yes")
    expect(page.get_by_role("link", name="Assigned to me")).to_have_attribute(
        "aria-current", "page")  # fmt: skip
    expect(row(page, n["ursula"])).to_have_count(0)
    sid = row(page, n["sid"])
    expect(sid).to_contain_text("Accepted by a coordinator")
    expect(sid).to_contain_text("Test Coordinator")
    problems += fits(page, f"queue-mine-{viewport}")

    # Record a contact with a note, then close it as completed: the filter stays on.
    act(page, sid.locator("summary", has_text=f"Record a contact with {n['sid']}"))
    sid.get_by_label("Note on the contact (optional)").focus()
    page.keyboard.type("Rang him; he would like to try a walking group")
    act(page, sid.get_by_role("button", name=f"Record the contact with {n['sid']}"))
    expect(page.get_by_role("status")).to_have_text("Contact recorded.")
    expect(page).to_have_url(f"{live_server}/queue?mine=yes")
    sid = row(page, n["sid"])
    expect(sid).to_contain_text("In progress")
    act(page, sid.locator("summary", has_text=f"Close the referral for {n['sid']}"))
    sid.get_by_label("Completed").check()
    act(page, sid.get_by_role("button", name=f"Close the referral for {n['sid']}"))
    expect(page.get_by_role("status")).to_have_text("Referral closed.")
    expect(row(page, n["sid"])).to_contain_text("Completed")
    closed = referral_states.get(derby, colleague, queued[n["sid"]].id)
    assert closed.status is S.COMPLETED and closed.first_contact_at is not None
    assert [e.note for e in closed.history][2] == "Rang him; he would like to try a walking group"

    # Withdrawn by a colleague while my page was open: CONFLICT, said by the referral.
    una = row(page, n["una"])
    act(page, una.locator("summary", has_text=f"Record a contact with {n['una']}"))
    referral_states.close(derby, colleague, queued[n["una"]].id, S.WITHDRAWN, None)
    act(page, una.get_by_role("button", name=f"Record the contact with {n['una']}"))
    expect(page.get_by_role("alert")).to_contain_text("is WITHDRAWN")
    expect(row(page, n["una"]).locator("#problem")).to_contain_text("Not done:")
    expect(row(page, n["una"])).to_contain_text("Withdrawn")
    problems += fits(page, f"queue-conflict-{viewport}")

    # Accepted by a colleague while the page was open: said at the top (it has moved on).
    act(page, page.get_by_role("link", name="All referrals"))
    connie = row(page, n["connie"])
    referral_states.accept(derby, colleague, queued[n["connie"]].id, None)
    act(page, connie.get_by_role("button", name=f"Accept the referral for {n['connie']}"))
    expect(page.get_by_role("alert")).to_contain_text("is ACCEPTED")
    assert referral_states.get(derby, colleague, queued[n["connie"]].id).coordinator_id == (
        colleague.id)  # fmt: skip

    # A page at a time: the rest of the queue is one "Next page" away.
    act(page, page.get_by_role("link", name="All referrals"))
    act(page, page.get_by_role("link", name="Next page"))
    expect(page).to_have_url(f"{live_server}/queue?page=2")
    expect(page.get_by_role("region", name="All referrals")).to_contain_text("page 2 of")
    expect(page.get_by_role("link", name="Previous page")).to_be_visible()
    problems += fits(page, f"queue-page-2-{viewport}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("browser_page", VIEWPORTS, indirect=True)
def test_the_prescriber_sees_what_came_of_a_referral_and_can_print_it(
    live_server: str, browser_page: Page, prescriber: tuple[str, str],
    queued: dict[str, Referral], derby: Kith, colleague: Account,
    request: pytest.FixtureRequest,
) -> None:  # fmt: skip
    page, problems = browser_page, []
    viewport = request.node.callspec.params["browser_page"]
    name = names(viewport)["rose"]
    referral = queued[name]
    person = referral.person_id
    referral_states.accept(derby, colleague, referral.id, None)
    referral_states.record_contact(derby, colleague, referral.id, None, None)
    activity = suggestions.for_person(derby, colleague, person, first=1)[0].target
    attendance.attend(derby, colleague, person, activity.id)
    buddy = suggestions.buddies(derby, colleague, person, first=1)[0].target
    assert isinstance(buddy, Person)
    match = matches.propose(derby, colleague, person, buddy.id)
    matches.update(derby, colleague, match.id, MatchStatus.ACCEPTED, None)
    referral_states.close(derby, colleague, referral.id, S.COMPLETED, None)

    sign_in(page, live_server, *prescriber)
    entry = page.get_by_role("region", name="People you referred").get_by_role(
        "listitem").filter(has=page.get_by_role("link", name=name))  # fmt: skip
    today = date.today().strftime("%-d %B %Y")
    for said in (
        "Completed",
        COLLEAGUE,
        f"Accepted{today}",
        f"First contact{today}",
        f"Closed{today}",
        activity.name,
        "Matched with a volunteer buddy",
    ):
        expect(entry).to_contain_text(said)  # fmt: skip
    expect(entry).not_to_contain_text(buddy.name)
    problems += fits(page, f"referrals-summary-{viewport}")

    printable = entry.get_by_role("link", name="Printable summary")
    expect(printable).to_have_accessible_description(name)
    act(page, printable)
    expect(page).to_have_url(f"{live_server}/referrals/{referral.id}/print")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Social prescribing referral: {name}")  # fmt: skip
    main = page.get_by_role("main")
    for said in (
        "Completed",
        COLLEAGUE,
        activity.name,
        "Matched with a volunteer buddy",
        f"{name} is lonely",
    ):
        expect(main).to_contain_text(said)  # fmt: skip
    expect(main).not_to_contain_text(buddy.name)
    problems += fits(page, f"referral-print-{viewport}")
    page.emulate_media(media="print")
    expect(page.locator("header.site")).to_be_hidden()
    expect(page.get_by_text("Back to my referrals")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert not problems, "\n".join(problems)


def test_another_prescribers_referral_does_not_print_and_nobody_else_has_a_queue(
    live_server: str, browser_page: Page, prescriber: tuple[str, str],
    coordinator: tuple[str, str], queued: dict[str, Referral],
) -> None:  # fmt: skip
    page = browser_page
    theirs = next(iter(queued.values()))
    sign_in(page, live_server, *OTHER)
    answer = page.goto(f"{live_server}/referrals/{theirs.id}/print")
    assert answer is not None and answer.status == 404
    expect(page.get_by_role("main")).not_to_contain_text("Queue-")
    assert (page.goto(f"{live_server}/referrals/no-such-referral/print") or answer).status == 404

    # A prescriber: no Referrals in the navigation, the queue refused, its forms too.
    expect(page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Referrals", exact=True)).to_have_count(0)  # fmt: skip
    refused = page.goto(f"{live_server}/queue")
    assert refused is not None and refused.status == 403
    expect(page.get_by_role("main")).to_contain_text("only a coordinator may do this")
    token = page.locator("input[name=csrf]").first.get_attribute("value") or ""
    sent = page.request.post(f"{live_server}/queue/{theirs.id}/accept", form={"csrf": token})
    assert sent.status == 403
    page.get_by_role("button", name="Sign out").click()

    # A coordinator's print of a prescriber's page: not theirs to print.
    sign_in(page, live_server, *coordinator)
    answer = page.goto(f"{live_server}/referrals/{theirs.id}/print")
    assert answer is not None and answer.status == 403
    page.get_by_role("button", name="Sign out").click()

    # The public: asked to sign in.
    page.goto(f"{live_server}/queue?mine=yes")
    expect(page).to_have_url(f"{live_server}/sign-in?next=/queue%3Fmine%3Dyes")


def test_a_move_the_page_does_not_know_or_a_bad_page_number_is_refused_clearly(
    live_server: str, browser_page: Page, coordinator: tuple[str, str],
    queued: dict[str, Referral], derby: Kith, colleague: Account,
) -> None:  # fmt: skip
    page = browser_page
    sign_in(page, live_server, *coordinator)
    answer = page.goto(f"{live_server}/queue?page=two")
    assert answer is not None and answer.status == 400
    expect(page.get_by_role("main")).to_contain_text("'two' is not a whole number")
    answer = page.goto(f"{live_server}/queue?page=0")
    assert answer is not None and answer.status == 400
    expect(page.get_by_role("main")).to_contain_text("must be 1 or more")

    referral = queued[names("desktop")["una"]]
    before = referral_states.get(derby, colleague, referral.id)
    page.goto(f"{live_server}/queue")
    token = page.locator("input[name=csrf]").first.get_attribute("value") or ""
    sent = page.request.post(f"{live_server}/queue/{referral.id}/merge", form={"csrf": token})
    assert sent.status == 404 and "cannot be moved by &#39;merge&#39;" in sent.text()
    sent = page.request.post(f"{live_server}/queue/{referral.id}/close",
                             form={"csrf": token, "outcome": "DECLINED"})  # fmt: skip
    assert sent.status == 400 and "Outcome: &#39;DECLINED&#39; is not an outcome." in sent.text()
    sent = page.request.post(f"{live_server}/queue/{referral.id}/accept",
                             form={"csrf": token, "coordinator": "acct-nobody"})  # fmt: skip
    assert sent.status == 400 and "acct-nobody is not a coordinator" in sent.text()
    sent = page.request.post(f"{live_server}/queue/{referral.id}/accept", form={})
    assert sent.status == 403  # no CSRF token
    assert referral_states.get(derby, colleague, referral.id) == before


# The service, without a browser ----------------------------------------------------------

NOW = datetime(2025, 5, 20, 12, 0, tzinfo=UTC)


def made(i: int, status: ReferralStatus, urgency: str, days_ago: float, **more: str) -> Referral:
    at = (NOW - timedelta(days=days_ago)).isoformat(timespec="milliseconds")
    return Referral(f"ref-{i}", f"p-{i}", "lonely", urgency, ReferralSource.GP, status, at,
                    **more)  # type: ignore[arg-type]  # fmt: skip


def test_the_queue_order_is_new_by_urgency_then_age_then_being_worked_on_then_closed() -> None:
    day = timedelta(days=1)
    found = [
        made(1, S.RECEIVED, "ROUTINE", 9), made(2, S.RECEIVED, "URGENT", 1),
        made(3, S.ACCEPTED, "URGENT", 20), made(4, S.RECEIVED, "SOON", 5),
        made(5, S.RECEIVED, "URGENT", 3), made(6, S.COMPLETED, "URGENT", 30,
                                                 closed_at=(NOW - 9 * day).isoformat()),
        made(7, S.IN_PROGRESS, "ROUTINE", 40), made(8, S.DECLINED, "ROUTINE", 2,
                                                      closed_at=(NOW - day).isoformat()),
        made(9, S.RECEIVED, "ROUTINE", 12), made(10, S.IN_PROGRESS, "SOON", 2),
    ]  # fmt: skip
    assert [r.id for r in referral_queue.ordered(found)] == [
        "ref-5",
        "ref-2",
        "ref-4",
        "ref-9",
        "ref-1",  # new: urgent, soon, routine; oldest first
        "ref-3",
        "ref-10",
        "ref-7",  # being worked on, in the same order
        "ref-8",
        "ref-6",  # closed: the most recently closed first
    ]


def test_a_wait_is_said_as_a_person_says_it_and_ends_when_someone_acts() -> None:
    said = {d: referral_queue.how_long(d) for d in (
        timedelta(minutes=59), timedelta(hours=1), timedelta(hours=23, minutes=59),
        timedelta(days=1), timedelta(days=3, hours=5), timedelta(days=13),
        timedelta(days=14), timedelta(days=40))}  # fmt: skip
    assert list(said.values()) == ["under an hour", "1 hour", "23 hours", "1 day", "3 days",
                                   "13 days", "2 weeks", "5 weeks"]  # fmt: skip
    waiting = made(1, S.RECEIVED, "SOON", 3)
    assert referral_queue.waited(waiting, NOW) == timedelta(days=3)
    accepted = replace(waiting, status=S.ACCEPTED,
                       accepted_at=(NOW - timedelta(days=1)).isoformat())  # fmt: skip
    assert referral_queue.waited(accepted, NOW) == timedelta(days=2)
    declined = replace(waiting, status=S.DECLINED, closed_at=NOW.isoformat())
    assert referral_queue.waited(declined, NOW + timedelta(days=7)) == timedelta(days=3)


def test_the_queue_pages_filters_and_is_a_coordinators_only(
    derby: Kith, queued: dict[str, Referral], colleague: Account
) -> None:
    me = accounts.add(derby.store, "Queue Tester", Role.COORDINATOR)[0]
    gp = accounts.add(derby.store, "Queue GP", Role.PRESCRIBER)[0]
    whole = referral_queue.queue(derby, me, size=100)
    assert whole.total == len(whole.rows) >= len(queued) + FILLERS and whole.pages == 1
    shown = [r.referral.id for r in whole.rows]
    assert [r.id for r in referral_queue.ordered([r.referral for r in whole.rows])] == shown

    pages = [referral_queue.queue(derby, me, page=p, size=7) for p in (1, 2, 3)]
    assert [r.referral.id for p in pages for r in p.rows] == shown[:21]
    assert {p.pages for p in pages} == {-(-whole.total // 7)} and pages[1].page == 2
    assert referral_queue.queue(derby, me, page=99).rows == []
    with pytest.raises(InvalidInput) as bad:
        referral_queue.queue(derby, me, page=0)
    assert bad.value.field == "page"

    mine = referral_states.accept(derby, me, refer(derby, gp, "Mine Only", "URGENT").id, None)
    assert [r.referral.id for r in referral_queue.queue(derby, me, assigned_to_me=True).rows] == [
        mine.id]  # fmt: skip
    (top,) = [r for r in referral_queue.queue(derby, me, size=100).rows if r.referral.id == mine.id]
    assert top.person is not None and top.person.name == "Mine Only"
    assert top.coordinator == "Queue Tester" and top.waited == "under an hour"
    assert (top.actions.accept, top.actions.decline, top.actions.contact) == (False, False, True)
    assert top.actions.outcomes == (S.WITHDRAWN,)

    with pytest.raises(Forbidden):
        referral_queue.queue(derby, gp)
    with pytest.raises(Unauthenticated):
        referral_queue.queue(derby, None)


def test_a_referral_goes_to_a_live_coordinator_only(derby: Kith, colleague: Account) -> None:
    me = accounts.add(derby.store, "Aaron Alphabetical", Role.COORDINATOR)[0]
    gone = accounts.add(derby.store, "Gone Coordinator", Role.COORDINATOR)[0]
    accounts.revoke(derby.store, gone.id)
    listed = referral_queue.coordinators(derby, me)
    assert {me.id, colleague.id} <= {a.id for a in listed}
    assert gone.id not in {a.id for a in listed}
    assert {a.role for a in listed} == {Role.COORDINATOR}
    assert [a.name.casefold() for a in listed] == sorted(a.name.casefold() for a in listed)
    with pytest.raises(Forbidden):
        referral_queue.coordinators(derby, accounts.add(derby.store, "GP", Role.PRESCRIBER)[0])


def test_the_queue_lists_wellbeing_follow_ups_due_until_they_are_taken(
    live_server: str, browser_page: Page, coordinator: tuple[str, str], derby: Kith
) -> None:
    """A baseline taken more than the follow-up interval ago puts the person on the queue
    page; recording the follow-up takes them off."""
    co = accounts.sign_in(derby.store, *coordinator)
    who = people.add(derby, co, form("Wynn Followup")).person
    then = date.today() - timedelta(weeks=13)
    ons4 = {"measure": "ONS4", "answers": [6, 7, 5, 4]}
    wellbeing.record(derby, co, who.id, {**ons4, "timepoint": "BASELINE", "taken_on": then})
    page = browser_page
    sign_in(page, live_server, *coordinator)
    page.goto(f"{live_server}/queue")
    due = page.get_by_role("region", name="Wellbeing follow-ups due")
    expect(due.get_by_role("listitem").filter(has_text="Wynn Followup")).to_contain_text(
        f"ONS4, due {(then + timedelta(weeks=12)).strftime('%-d %B %Y')}"
    )
    assert not fits(page, "queue-follow-ups-desktop")
    wellbeing.record(derby, co, who.id, {**ons4, "timepoint": "FOLLOW_UP"})
    page.reload()
    expect(page.get_by_text("Wynn Followup")).to_have_count(0)


def test_the_queue_lists_check_ins_due_until_someone_gets_in_touch(
    live_server: str, browser_page: Page, coordinator: tuple[str, str], derby: Kith
) -> None:
    """A monthly check-in last made six weeks ago is due; recording a contact takes it off."""
    co = accounts.sign_in(derby.store, *coordinator)
    who = people.add(derby, co, form("Cora Checkin")).person
    contacts.record(derby, co, who.id, {"kind": "PHONE",
                                         "at": datetime.now(UTC) - timedelta(weeks=6)})  # fmt: skip
    contacts.set_check_in(derby, co, who.id, 30)
    page = browser_page
    sign_in(page, live_server, *coordinator)
    page.goto(f"{live_server}/queue")
    due = page.get_by_role("region", name="Check-ins due")
    expect(due.get_by_role("listitem").filter(has_text="Cora Checkin")).to_contain_text(
        "every 30 days, due"
    )
    assert not fits(page, "queue-check-ins-desktop")
    contacts.record(derby, co, who.id, {"kind": "VISIT"})
    page.reload()
    expect(page.get_by_text("Cora Checkin")).to_have_count(0)
