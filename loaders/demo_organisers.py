"""The demo organiser: keeps the Knit and Natter group of the seed stories, and has a change to
its listing waiting, so that `make run` shows a coordinator the "Listing changes" queue."""

from __future__ import annotations

from kith import listing_changes
from kith.accounts import Account
from kith.service import Kith

GROUPS = {"ORGANISER": ("g-knit-allestree",)}
ACTIVITY = "a-knit-allestree"
CHANGE = {
    "sessions": [{"day": "TUESDAY", "start": "10:00", "end": "12:00"},
                 {"day": "FRIDAY", "start": "10:00", "end": "12:00"}],
    "description": "Knitting, crochet and a cup of tea, now on Fridays too. Bring a project "
                   "or learn one; wool and needles to borrow.",
}  # fmt: skip


def load(kith: Kith, organiser: Account) -> None:
    """Propose the demo change, unless one of the organiser's is already waiting or the listing
    already says it (a demo loaded again changes nothing)."""
    if listing_changes.listing(kith, organiser, True, 1, None).total:
        return
    live = kith.activities([ACTIVITY]).get(ACTIVITY)
    if live is None or live.description == CHANGE["description"]:
        return
    listing_changes.update(kith, organiser, ACTIVITY, CHANGE)
