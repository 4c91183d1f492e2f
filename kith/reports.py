"""The service lead's report: referrals, waiting, what people were matched to, whether their
wellbeing changed, and where needs went unmet, in aggregate only and with small numbers
suppressed (kith/disclosure.py). Coordinators and admins may read it.

What is counted, for a period ``start`` to ``end`` (both included) and, given an area, the
people living within ``radius_km`` of it:

- referrals that arrived in the period, by source, by their status now, and by month;
- days from arrival to first contact, median over the referrals contacted (how many were
  contacted is not shown: with the counts by status it would give away a suppressed one, as
  the referrals not contacted are those received, accepted, declined or withdrawn early);
- of the people referred in the period (once each, from their first referral in it), those
  matched within 8 weeks of it: a buddy pairing proposed or agreed, or an activity started;
- per wellbeing measure and score, the people followed up in the period: change from their
  first baseline to their latest follow-up in the period, its mean and the 95 % interval of
  the mean by Student's t on the paired differences (the "paired t" interval);
- unmet needs counted in the period's months (kith/unmet.py), by outward code and by kind;
  an area keeps the outward codes whose centroid is within the radius.
"""

from __future__ import annotations

import csv
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TextIO

from graph import reports as repo
from graph import unmet as unmet_repo
from matching.geo import distance_km

from . import audit
from .access import require
from .accounts import Account, Role
from .disclosure import SMALLEST_SHOWN, Cell, breakdown, count, share, statistic
from .domain import Place, ReferralSource, ReferralStatus
from .errors import InvalidInput
from .measures import MEASURES, scores
from .service import Kith, checked_radius
from .unmet import Kind

AREA_RADIUS_KM = 5.0
MAX_RADIUS_KM = 100.0
LONGEST = timedelta(days=5 * 366)
MATCHED_WITHIN = timedelta(weeks=8)
LIVE_PAIRING = ("PROPOSED", "ACCEPTED")
CONFIDENCE = 0.95
METHOD = "paired t"
# The command line's actor: whoever may run ``kith`` on the store's machine may read it all.
OPERATOR = Account("operator", "kith report (command line)", Role.ADMIN)


@dataclass(frozen=True)
class Change:
    """Follow-up minus baseline of one score of one measure, over the people who had both."""

    measure: str
    score: str
    better: int  # +1 where a rise is an improvement, -1 where a fall is (ONS4 anxiety, UCLA3)
    people: Cell
    mean: Cell
    lower: Cell
    upper: Cell
    method: str = METHOD


@dataclass(frozen=True)
class Unmet:
    """Unmet needs in one outward code, with its centroid (None when the code has none)."""

    outcode: str
    point: tuple[float, float] | None
    count: Cell


@dataclass(frozen=True)
class Report:
    start: date
    end: date
    area: Place | None
    radius_km: float | None
    received: Cell
    by_source: dict[str, Cell]
    by_status: dict[str, Cell]
    by_month: dict[str, Cell]
    median_days: Cell
    referred_people: Cell
    matched: Cell
    unmatched: Cell
    matched_share: Cell
    wellbeing: list[Change]
    unmet_total: Cell
    unmet_by_kind: dict[str, Cell]
    unmet_by_outcode: list[Unmet]


@dataclass(frozen=True)
class Figure:
    """One figure of a report, as the CSV writes it and the pages tabulate it."""

    section: str
    breakdown: str
    key: str
    cell: Cell
    method: str = ""


@dataclass(frozen=True)
class Scope:
    """Where a report looks: everywhere, or within ``radius_km`` of ``area``."""

    area: Place | None
    radius_km: float | None

    def holds(self, lat: float | None, lon: float | None) -> bool:
        if self.area is None:
            return True
        if lat is None or lon is None or self.radius_km is None:
            return False
        return distance_km((self.area.latitude, self.area.longitude), (lat, lon)) <= self.radius_km


def report(
    kith: Kith, actor: Account | None, start: date, end: date, area: Place | None = None,
    radius_km: float | None = None,
) -> Report:  # fmt: skip
    """The report for a period and area, for a coordinator or an admin; audited (the period
    only: an area may be someone's postcode)."""
    actor = require(actor, Role.COORDINATOR)
    scope = checked_scope(start, end, area, radius_km)
    referred = [r for r in repo.referrals(kith.store, start.isoformat(), after(end))
                if scope.holds(r["lat"], r["lon"])]  # fmt: skip
    audit.record(kith.store, actor, "report.read", [f"report:{start}/{end}"])
    received, by_source, by_status, by_month = referral_counts(referred, start, end)
    median = first_contact(referred)
    people, matched, unmatched, fraction = matched_within(kith, referred)
    total, by_kind, by_outcode = unmet_needs(kith, start, end, scope)
    return Report(
        start, end, scope.area, scope.radius_km, received, by_source, by_status, by_month,
        median, people, matched, unmatched, fraction,
        wellbeing_changes(kith, start, end, scope), total, by_kind, by_outcode,
    )  # fmt: skip


def checked_scope(start: date, end: date, area: Place | None, radius_km: float | None) -> Scope:
    if end < start:
        raise InvalidInput("to", f"{end} is before from ({start})")
    if end - start > LONGEST:
        raise InvalidInput("from", "a report covers at most five years")
    if area is None:
        if radius_km is not None:
            raise InvalidInput("radiusKm", "give an area to measure the radius from")
        return Scope(None, None)
    return Scope(area, checked_radius(radius_km, AREA_RADIUS_KM, MAX_RADIUS_KM))


def after(day: date) -> str:
    """The ISO text just past every time on ``day``."""
    return (day + timedelta(days=1)).isoformat()


def months(start: date, end: date) -> list[str]:
    """The months ("YYYY-MM") the period touches, in order."""
    out, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def tally(keys: Iterable[str], every: Iterable[str]) -> dict[str, int]:
    """How many of ``keys`` are each of ``every`` (zero included), in that order."""
    out = dict.fromkeys(every, 0)
    for key in keys:
        out[key] += 1
    return out


def referral_counts(
    referred: list[dict], start: date, end: date
) -> tuple[Cell, dict[str, Cell], dict[str, Cell], dict[str, Cell]]:
    """Referrals received, and the three breakdowns of them (each suppressed on its own)."""
    n = len(referred)
    # A referral stored before referrals had a source or a state is a GP's, RECEIVED
    # (graph/records.py referral_from).
    sources = tally((r["source"] or "GP" for r in referred), (s.value for s in ReferralSource))
    states = tally((r["status"] or "RECEIVED" for r in referred), (s.value for s in ReferralStatus))
    by_month = tally((r["at"][:7] for r in referred), months(start, end))
    total, source_cells = breakdown(n, sources)
    return total, source_cells, breakdown(n, states)[1], breakdown(n, by_month)[1]


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def first_contact(referred: list[dict]) -> Cell:
    """The median days from a referral's arrival to its first contact, over those contacted."""
    days = [(moment(r["firstContactAt"]) - moment(r["at"])).total_seconds() / 86400
            for r in referred if r["firstContactAt"]]  # fmt: skip
    return statistic(round(statistics.median(days), 1) if days else None, len(days))


def matched_within(kith: Kith, referred: list[dict]) -> tuple[Cell, Cell, Cell, Cell]:
    """People referred, those matched within 8 weeks of their first referral in the period,
    the others, and the share matched."""
    first: dict[str, date] = {}
    for r in sorted(referred, key=lambda r: r["at"]):
        first.setdefault(r["person"], date.fromisoformat(r["at"][:10]))
    ids = sorted(first)
    began: dict[str, list[date]] = defaultdict(list)
    for row in repo.pairings(kith.store, ids):
        began[row["person"]] += [date.fromisoformat(at[:10]) for status, at, _ in
                                 (h.split("|", 2) for h in row["history"] or [])
                                 if status in LIVE_PAIRING]  # fmt: skip
    for row in repo.spells(kith.store, ids):
        began[row["person"]] += [date.fromisoformat(t.split("/")[0])
                                 for t in [row["since"], *(row["past"] or [])] if t]  # fmt: skip
    matched = sum(1 for i, on in first.items()
                  if any(on <= d <= on + MATCHED_WITHIN for d in began[i]))  # fmt: skip
    return share(matched, len(first))


def wellbeing_changes(kith: Kith, start: date, end: date, scope: Scope) -> list[Change]:
    """For every score of every measure, the change over the people followed up in the
    period: first baseline to latest follow-up in the period, taken on or before it."""
    records: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in repo.wellbeing(kith.store, end.isoformat()):
        if scope.holds(row["lat"], row["lon"]):
            records[(row["person"], row["measure"])].append(row)
    diffs: dict[tuple[str, str], list[float]] = defaultdict(list)
    for (_, name), rows in records.items():
        pair = paired(rows, start)
        if pair:
            base, follow = (scores(name, r["answers"]) for r in pair)
            for (score, before), (_, later) in zip(base, follow, strict=True):
                diffs[(name, score)].append(later - before)
    return [change(m.name, score, better, diffs[(m.name, score)]) for m in MEASURES.values()
            for score, better in zip(m.score_names, m.better, strict=True)]  # fmt: skip


def paired(rows: list[dict], start: date) -> tuple[dict, dict] | None:
    """One person's first baseline and latest follow-up in the period (records taken up to
    the period's end), the baseline taken on or before the follow-up; None without both."""
    follow_ups = [r for r in rows if r["timepoint"] == "FOLLOW_UP"
                  and r["takenOn"] >= start.isoformat()]  # fmt: skip
    if not follow_ups:
        return None
    latest = max(follow_ups, key=lambda r: r["takenOn"])
    baselines = [r for r in rows if r["timepoint"] == "BASELINE"
                 and r["takenOn"] <= latest["takenOn"]]  # fmt: skip
    return (min(baselines, key=lambda r: r["takenOn"]), latest) if baselines else None


def change(measure: str, score: str, better: int, diffs: list[float]) -> Change:
    n = len(diffs)
    mean, lower, upper = interval(diffs)
    return Change(measure, score, better, count(n), statistic(mean, n), statistic(lower, n),
                  statistic(upper, n))  # fmt: skip


def interval(diffs: list[float]) -> tuple[float | None, float | None, float | None]:
    """The mean of paired differences and its ``CONFIDENCE`` interval by Student's t with
    n - 1 degrees of freedom (the paired t interval), rounded to 2 places; nothing over fewer
    people than may be shown."""
    n = len(diffs)
    if n < SMALLEST_SHOWN:
        return None, None, None
    from scipy.stats import t  # on first use: importing scipy costs start-up ~0.3 s

    mean = statistics.fmean(diffs)
    half = float(t.ppf((1 + CONFIDENCE) / 2, n - 1)) * statistics.stdev(diffs) / math.sqrt(n)
    return round(mean, 2), round(mean - half, 2), round(mean + half, 2)


def unmet_needs(
    kith: Kith, start: date, end: date, scope: Scope
) -> tuple[Cell, dict[str, Cell], list[Unmet]]:
    """Unmet needs of the period's months: in all, by kind, and by outward code."""
    every = months(start, end)
    by_code: dict[str, int] = defaultdict(int)
    by_kind = dict.fromkeys((k.value for k in Kind), 0)
    for row in unmet_repo.between(kith.store, every[0], every[-1]):
        point = kith.postcodes.outcodes.get(row["outcode"])
        if scope.holds(*(point or (None, None))):
            by_code[row["outcode"]] += row["count"]
            by_kind[row["kind"]] += row["count"]
    total = sum(by_code.values())
    cell, code_cells = breakdown(total, by_code)
    places = [Unmet(code, kith.postcodes.outcodes.get(code), code_cells[code])
              for code in sorted(by_code)]  # fmt: skip
    return cell, breakdown(total, by_kind)[1], places


def figures(r: Report) -> Iterator[Figure]:
    """Every figure of the report, one at a time, in the order the CSV writes them."""
    yield Figure("referrals", "total", "all", r.received)
    for name, cells in (("source", r.by_source), ("status", r.by_status), ("month", r.by_month)):
        yield from (Figure("referrals", name, key, cell) for key, cell in cells.items())
    yield Figure("first_contact", "median_days", "all", r.median_days)
    yield Figure("matched_within_8_weeks", "people", "all", r.referred_people)
    yield Figure("matched_within_8_weeks", "matched", "all", r.matched)
    yield Figure("matched_within_8_weeks", "not_matched", "all", r.unmatched)
    yield Figure("matched_within_8_weeks", "share", "all", r.matched_share)
    for c in r.wellbeing:
        key = f"{c.measure} {c.score}"
        yield Figure("wellbeing", "people", key, c.people)
        for name, cell in (("mean_change", c.mean), ("lower_95", c.lower), ("upper_95", c.upper)):
            yield Figure("wellbeing", name, key, cell, c.method)
    yield Figure("unmet_needs", "total", "all", r.unmet_total)
    yield from (Figure("unmet_needs", "kind", k, cell) for k, cell in r.unmet_by_kind.items())
    yield from (Figure("unmet_needs", "outcode", u.outcode, u.count) for u in r.unmet_by_outcode)


# The CSV's columns, one row per figure (README, "Reports"): which part of the report and which
# breakdown, the key within it, the value (empty when suppressed or when there is nothing to
# show), whether it is suppressed, how it was computed (wellbeing only), and the report's scope.
CSV_COLUMNS = ("section", "breakdown", "key", "value", "suppressed", "method", "from", "to",
               "area", "radius_km")  # fmt: skip
FEWER_THAN = f"fewer than {SMALLEST_SHOWN}"


def shown(cell: Cell) -> str:
    """A cell as text: the number, or what stands in for it."""
    if cell.suppressed:
        return FEWER_THAN
    if cell.value is None:
        return "-"
    return f"{cell.value:g}" if isinstance(cell.value, float) else str(cell.value)


def write_csv(r: Report, out: TextIO) -> int:
    """The report as CSV rows (``CSV_COLUMNS``); returns how many figures were written."""
    where = r.area.postcode or f"{r.area.latitude},{r.area.longitude}" if r.area else ""
    scope = [r.start.isoformat(), r.end.isoformat(), where, r.radius_km or ""]
    rows = [[f.section, f.breakdown, f.key, "" if f.cell.value is None else shown(f.cell),
             str(f.cell.suppressed).lower(), f.method, *scope] for f in figures(r)]  # fmt: skip
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(rows)
    return len(rows)


def text(r: Report) -> str:
    """The report as aligned lines for a terminal."""
    head = f"Report {r.start} to {r.end}"
    if r.area:
        head += f", within {r.radius_km:g} km of {r.area.postcode or 'the place given'}"
    rows = [(f.section, f.breakdown, f.key, shown(f.cell)) for f in figures(r)]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    body = ["  ".join([*(c.ljust(w) for c, w in zip(row, widths, strict=False)), row[3]])
            for row in rows]  # fmt: skip
    return "\n".join([head, *body, f"Wellbeing intervals: 95%, {METHOD}."])
