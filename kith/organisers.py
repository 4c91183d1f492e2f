"""Organisers: accounts that keep their own groups' listings (kith/listing_changes.py).

An organiser is made for named groups, each of which must be in the directory; a coordinator
says whether their changes go live at once (trusted) or wait for approval. An organiser's page
shows their listings and what the public has reported about them, never who reported it.
"""

from __future__ import annotations

from dataclasses import replace

from graph import accounts as account_repo
from graph import listing_reports as reports_repo
from graph import organisers as repo

from . import audit, listing_reports
from .access import require
from .accounts import Account, Role, from_row, listing
from .domain import Activity
from .errors import InvalidInput, NotFound
from .service import Kith


def groups_for(kith: Kith, role: Role, group_ids: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The groups a new account keeps, checked: an organiser keeps at least one, each in the
    directory; no other role keeps any."""
    wanted = tuple(dict.fromkeys(g.strip() for g in group_ids))
    if role is Role.ORGANISER and not wanted:
        raise InvalidInput("group", "an organiser keeps at least one group: give --group ID")
    if role is not Role.ORGANISER and wanted:
        raise InvalidInput("group", f"only an organiser keeps groups, not a {role.value.lower()}")
    held = kith.groups(list(wanted))
    missing = [g for g in wanted if g not in held]
    if missing:
        raise InvalidInput("group", f"no group {missing[0]!r} in the directory")
    return wanted


def set_trust(kith: Kith, account_id: str, trusted: bool) -> Account:
    """Mark an organiser trusted (changes go live at once) or not (they wait for approval)."""
    row = account_repo.by_id(kith.store, account_id)
    if row is None:
        raise NotFound(f"no account {account_id}")
    account = from_row(row)
    if account.role is not Role.ORGANISER:
        raise InvalidInput("accountId", f"{account_id} is a {account.role.value.lower()}, not "
                           "an organiser: only organisers' changes wait for approval")  # fmt: skip
    repo.set_trusted(kith.store, account_id, trusted)
    return replace(account, trusted=trusted)


def trust(kith: Kith, actor: Account | None, account_id: str, trusted: bool) -> Account:
    """A coordinator's ``set_trust``, audited."""
    actor = require(actor, Role.COORDINATOR)
    done = set_trust(kith, account_id, trusted)
    audit.record(kith.store, actor, "organiser.trust" if trusted else "organiser.untrust",
                 [account_id])  # fmt: skip
    return done


def every(kith: Kith, actor: Account | None) -> list[Account]:
    """The live organisers, for a coordinator to trust or not."""
    require(actor, Role.COORDINATOR)
    return [a for a in listing(kith.store) if a.role is Role.ORGANISER and not a.revoked]


def kept_listings(kith: Kith, actor: Account | None) -> list[Activity]:
    """The activities an organiser's groups run, by name."""
    account = require(actor, Role.ORGANISER)
    ids = repo.activities_run_by(kith.store, list(account.group_ids))
    found = kith.activities(ids)
    return [found[i] for i in ids if i in found]


def reports_about(
    kith: Kith, actor: Account | None, activities: list[Activity]
) -> list[listing_reports.ListingReport]:
    """Open public reports about these listings of an organiser's (what was said, never who
    said it: a report keeps nothing about its sender)."""
    account = require(actor, Role.ORGANISER)
    mine = {a.id for a in activities if account.keeps(a.group_id)}
    rows = [r for r in reports_repo.every(kith.store, True) if r["activity"] in mine]
    return listing_reports.reports_of(kith, rows)
