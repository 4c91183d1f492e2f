"""Review reminders: the listings due or overdue for review, and the e-mail each organiser
would be sent about theirs.

Run daily (``kith reminders``, or "Write today's reminders" on the coordinators' page). A
listing is reminded about when its review is due (matching/reviews.py), it is not closed for
good, and no reminder about it was sent in the last ``REMINDER_DAYS``; each reminder counts
against it until a review answers it, and three unanswered make it long overdue, lowering it
in search and suggestions as ALISS does. Each organiser keeping a reminded listing gets one
message listing all of theirs, written as an RFC 5322 ``.eml`` file (Python's ``email``
package) into the outbox, one folder per day, for the council's own mail system to send:
Kith itself sends no mail. Listings nobody organises are not counted: coordinators see them
on the page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from pathlib import Path

from graph import reminders as repo
from matching.reviews import Freshness, freshness

from . import accounts
from .access import require
from .accounts import Account, Role
from .domain import Activity, Group, ListingStatus
from .service import Kith

REMINDER_DAYS = 14
"""Days between two reminders about one listing: three go unanswered in about six weeks."""


@dataclass(frozen=True)
class DueListing:
    """A listing due or overdue for review, with who keeps it."""

    activity: Activity
    group: Group | None
    state: Freshness
    organisers: tuple[Account, ...]
    last_reminded: date | None = None


@dataclass
class Sent:
    """What one run did: the listings reminded, the files written, the listings nobody keeps."""

    reminded: list[DueListing] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    unkept: list[DueListing] = field(default_factory=list)


def due_listings(kith: Kith, today: date) -> list[DueListing]:
    """Every listing due or overdue for review and not closed for good, most overdue first,
    from the in-memory directory (kith/memory/nearby.py): a page view scans nothing."""
    months, here = kith.weights.review_months, kith.directory_mirror.current()
    states = {a.id: freshness(a, today, months) for a in here.activities.values()
              if a.status is not ListingStatus.CLOSED}  # fmt: skip
    due = [here.activities[i] for i, state in states.items() if state is not Freshness.FRESH]
    keepers = organisers_by_group(kith)
    last = repo.last_sent(kith.store, [a.id for a in due])
    found = [
        DueListing(a, here.groups.get(a.group_id or ""), states[a.id],
                   keepers.get(a.group_id or "", ()), last.get(a.id))
        for a in due
    ]  # fmt: skip
    return sorted(found, key=lambda d: (d.activity.last_reviewed_on or date.min, d.activity.id))


def organisers_by_group(kith: Kith) -> dict[str, tuple[Account, ...]]:
    """The live organiser accounts keeping each group."""
    out: dict[str, list[Account]] = defaultdict(list)
    for account in accounts.listing(kith.store):
        if account.role is Role.ORGANISER and not account.revoked:
            for group_id in account.group_ids:
                out[group_id].append(account)
    return {g: tuple(found) for g, found in out.items()}


def listing_page(kith: Kith, actor: Account | None) -> list[DueListing]:
    """The coordinators' view of what is due (the page beside ``kith reminders``)."""
    require(actor, Role.COORDINATOR)
    return due_listings(kith, date.today())


def send(kith: Kith, actor: Account | None, today: date | None = None,
         outbox: Path | None = None) -> Sent:  # fmt: skip
    """Count today's reminders and write each organiser's message into the outbox (a
    coordinator from the page; ``actor`` None for the command, which runs as the operator)."""
    if actor is not None:
        require(actor, Role.COORDINATOR)
    today = today or date.today()
    sent = Sent()
    before = today - timedelta(days=REMINDER_DAYS)
    for due in due_listings(kith, today):
        if not due.organisers:
            sent.unkept.append(due)
        elif (due.last_reminded is None or due.last_reminded <= before) and \
                repo.remind(kith.store, due.activity.id, today, before):  # fmt: skip
            sent.reminded.append(due)
    folder = (outbox or default_outbox(kith)) / today.isoformat()
    for organiser, theirs in by_organiser(sent.reminded).items():
        sent.files.append(write(folder, message(kith, organiser, theirs, today), organiser))
    return sent


def default_outbox(kith: Kith) -> Path:
    return kith.store.settings.data_dir / "outbox"


def by_organiser(reminded: list[DueListing]) -> dict[Account, list[DueListing]]:
    out: dict[Account, list[DueListing]] = defaultdict(list)
    for due in reminded:
        for organiser in due.organisers:
            out[organiser].append(due)
    return out


def message(kith: Kith, organiser: Account, due: list[DueListing], today: date) -> EmailMessage:
    """The reminder one organiser would be sent about their listings due for review."""
    settings = kith.store.settings
    mail = EmailMessage()
    mail["From"] = settings.mail_from
    mail["To"] = formataddr((organiser.name, organiser.login if is_address(organiser) else ""))
    mail["Subject"] = f"Please check your {plural(len(due), 'listing')} in the Kith directory"
    mail["Date"] = format_datetime(datetime_of(today))
    mail["Message-ID"] = make_msgid("review", domain=settings.mail_from.rpartition("@")[2] or None)
    mail["X-Kith-Account"] = organiser.id
    lines = [f"Dear {organiser.name},", "",
             "People find your activities through Kith. Please check that these listings are",
             "still right, and press \"Still right\" or change what has changed:", ""]  # fmt: skip
    for d in due:
        checked = f"last checked {d.activity.last_reviewed_on:%d %B %Y}" \
            if d.activity.last_reviewed_on else "never checked"  # fmt: skip
        lines.append(
            f"- {d.activity.name}{' (' + d.group.name + ')' if d.group else ''}: {checked}"
        )
    lines += ["", f"Sign in at {settings.public_url}/my-listings", "",
              "Listings not checked for a long while are shown lower in the directory.", "",
              "Thank you,", "The Kith directory team"]  # fmt: skip
    mail.set_content("\n".join(lines))
    return mail


def is_address(account: Account) -> bool:
    return bool(account.login and "@" in account.login)


def datetime_of(day: date) -> datetime:
    """The message's date: 08:00 UTC on the day of the run."""
    return datetime.combine(day, time(8), UTC)


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def write(folder: Path, mail: EmailMessage, organiser: Account) -> Path:
    """The message as ``<account id>.eml`` in the day's folder (``-2``, ``-3``... after the
    first that day), written whole and then renamed, so a mail system watching the folder
    never picks up half a file."""
    folder.mkdir(parents=True, exist_ok=True)
    path, n = folder / f"{organiser.id}.eml", 1
    while path.exists():
        n += 1
        path = folder / f"{organiser.id}-{n}.eml"
    partial = path.with_suffix(".eml.part")
    partial.write_bytes(mail.as_bytes())
    partial.replace(path)
    return path
