"""Constraints and indexes, applied idempotently at every start.

Written in the subset both Neo4j 5 and ArcadeDB accept (``IF NOT EXISTS``, single-property
range indexes); no full-text indexes, as ArcadeDB's Cypher has none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .races import settled

if TYPE_CHECKING:
    from .store import Store

NODE_LABELS = (
    "Person", "Group", "Activity", "Venue", "Interest", "Skill", "Condition", "Need",
    "Language", "Consent", "Account", "Referral", "Match", "AuditEvent", "Postcode", "Setting",
    "SignInAttempts", "WellbeingRecord", "Plan", "UnmetNeed", "Contact", "WinterPlan",
    "ListingReport", "ReviewReminder", "ListingChange", "ListingVersion",
)  # fmt: skip

# (label, property): lookups by name, by postcode, by position (the bounding-box pre-filter
# of every "near" query starts here), by taxonomy term name, and by the stamp of the last change
# (how the in-memory copies of kith/memory/mirror.py find what changed: graph/changes.py). No query
# looks people up by name or postcode (search reads the in-memory copies), so those indexes,
# which every person written would pay for, are not made.
INDEXES = (
    ("Person", "lat"), ("Person", "lon"),
    ("Group", "name"), ("Activity", "name"), ("Venue", "name"), ("Venue", "postcode"),
    ("Venue", "lat"), ("Venue", "lon"), ("Interest", "name"), ("Skill", "name"),
    ("Condition", "name"), ("Need", "name"), ("Language", "name"), ("Account", "tokenHash"),
    ("Account", "personId"), ("AuditEvent", "subject"), ("AuditEvent", "at"),
    ("Person", "updatedAt"), ("Person", "email"), ("Activity", "updatedAt"),
    ("Venue", "updatedAt"), ("Group", "updatedAt"), ("SignInAttempts", "updatedAt"),
)  # fmt: skip


def statements() -> list[str]:
    """Every schema statement, built from the fixed tables above (never from input)."""
    out = [
        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        for label in NODE_LABELS
    ]
    out += [
        f"CREATE INDEX {label.lower()}_{prop.lower()} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})"
        for label, prop in INDEXES
    ]
    return out


def apply(store: Store) -> None:
    """Create what is missing; existing constraints and indexes are left as they are. Each
    statement is settled on its own, as another process may be making the same rule."""
    for statement in statements():
        settled(lambda s=statement: store.write(lambda tx: tx.run(s).consume()), "the schema")
