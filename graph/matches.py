"""Buddy matches: a Match node per pairing with its status history, and BUDDY_OF edges while
a pairing is agreed."""

from __future__ import annotations

from neo4j import ManagedTransaction

from kith.domain import Match, MatchStatus

from .store import Store

CREATE = """
MATCH (p:Person {id: $person}), (b:Person {id: $buddy})
CREATE (m:Match {id: $id, personId: $person, buddyId: $buddy, status: $status,
                 history: $history})
CREATE (m)-[:FOR]->(p)
CREATE (m)-[:WITH]->(b)
"""
READ = "MATCH (m:Match) WHERE m.id IN $ids RETURN properties(m) AS m"
OF_PEOPLE = """
MATCH (m:Match) WHERE m.personId IN $ids OR m.buddyId IN $ids
RETURN properties(m) AS m ORDER BY m.id
"""
SET_STATUS = "MATCH (m:Match {id: $id}) SET m.status = $status, m.history = $history"
LINK = """
MATCH (p:Person {id: $person}), (b:Person {id: $buddy})
MERGE (p)-[r:BUDDY_OF {matchId: $id}]->(b)
"""
UNLINK = "MATCH (:Person)-[r:BUDDY_OF {matchId: $id}]->(:Person) DELETE r"


def history_text(entry: tuple[MatchStatus, str, str | None]) -> str:
    status, at, note = entry
    return f"{status.value}|{at}|{note or ''}"


def match_from(p: dict) -> Match:
    history = []
    for text in p.get("history") or []:
        status, at, note = text.split("|", 2)
        history.append((MatchStatus(status), at, note or None))
    return Match(p["id"], p["personId"], p["buddyId"], MatchStatus(p["status"]), history)


def create(store: Store, match: Match) -> None:
    store.write(
        lambda tx: tx.run(
            CREATE, id=match.id, person=match.person_id, buddy=match.buddy_id,
            status=match.status.value, history=[history_text(h) for h in match.history],
        ).consume()
    )  # fmt: skip


def by_id(store: Store, ids: list[str]) -> dict[str, Match]:
    rows = store.read(lambda tx: tx.run(READ, ids=ids).data())
    return {r["m"]["id"]: match_from(r["m"]) for r in rows}


def of_people(store: Store, person_ids: list[str]) -> list[Match]:
    rows = store.read(lambda tx: tx.run(OF_PEOPLE, ids=person_ids).data())
    return [match_from(r["m"]) for r in rows]


def save_status(store: Store, match: Match) -> None:
    """Store the new status; an accepted match links the pair, any other status unlinks it."""

    def work(tx: ManagedTransaction) -> None:
        history = [history_text(h) for h in match.history]
        tx.run(SET_STATUS, id=match.id, status=match.status.value, history=history).consume()
        if match.status is MatchStatus.ACCEPTED:
            tx.run(LINK, id=match.id, person=match.person_id, buddy=match.buddy_id).consume()
        else:
            tx.run(UNLINK, id=match.id).consume()

    store.write(work)
