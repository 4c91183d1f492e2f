"""The GraphQL schema of API.md: resolvers are one or two lines calling the service."""

from __future__ import annotations

import datetime
from typing import Annotated

import strawberry
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.scalars import JSON

from kith import (
    listing_changes,
    listing_reports,
    listing_versions,
    merges,
    organisers,
    outreach,
    pairing,
    referral_states,
    reports,
    subject_access,
    suggestions,
    wellbeing,
    winter_plans,
)
from kith.domain import Place
from kith.errors import NotFound
from kith.service import SEARCH_RADIUS_KM, SearchRequest

from .context import Info
from .errors import ErrorCodes
from .mutations import Mutation
from .types import helpers as helping
from .types import listing_changes as changing
from .types import listing_reports as listed
from .types import outreach as reached
from .types import pairing as planned
from .types import reports as reported
from .types import suggestions as suggested
from .types.directory import (
    Activity,
    Group,
    Term,
    TermKindEnum,
    Venue,
    Weekday,
    activity,
    group,
    term,
    venue,
)
from .types.inputs import ReferralStatus
from .types.merges import MergeOffer
from .types.pairing import BuddyPlan
from .types.people import Account, Person, Volunteer, account, load_people
from .types.referrals import Referral, ReferralConnection
from .types.referrals import connection as connection_of_referrals
from .types.search import EntryKind, Node, PlaceInput, SearchConnection, connection, entry
from .types.suggestions import ActivitySuggestion, BuddySuggestion
from .types.wellbeing import FollowUp
from .types.winter_plans import Helping


async def to_place(info: Info, place: PlaceInput | None) -> Place | None:
    if place is None:
        return None
    kith = info.context.kith
    return await info.context.call(kith.place, place.postcode, place.latitude, place.longitude)


@strawberry.type
class Query:
    @strawberry.field(description="Search the directory: text (typo-tolerant), place, filters.")
    async def search(
        self,
        info: Info,
        text: str | None = None,
        near: PlaceInput | None = None,
        radius_km: float | None = SEARCH_RADIUS_KM,  # null: as if left out
        kinds: list[EntryKind] | None = None,  # type: ignore[valid-type]
        interests: list[str] | None = None,
        supports: list[str] | None = None,
        day: Weekday | None = None,  # type: ignore[valid-type]
        free_only: bool = False,
        step_free: bool = False,
        language: str | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> SearchConnection:
        request = SearchRequest(
            text=text, near=await to_place(info, near), kinds=kinds,
            radius_km=radius_km,
            interests=interests, supports=supports, day=day, free_only=free_only,
            step_free=step_free, language=language, first=first, after=after,
        )  # fmt: skip
        kith, actor = info.context.kith, info.context.actor
        return connection(await info.context.call(kith.search, request, actor))

    @strawberry.field(description="A person's record: coordinators, their referrer, or themself.")
    async def person(self, info: Info, id: strawberry.ID) -> Person:
        return (await load_people(info, [id]))[0]

    @strawberry.field(description="A volunteer's record, with what they offer.")
    async def volunteer(self, info: Info, id: strawberry.ID) -> Volunteer:
        found = (await load_people(info, [id]))[0]
        if not isinstance(found, Volunteer):
            raise NotFound(f"{id} is not a volunteer")
        return found

    @strawberry.field(description="Any record by id: an activity, venue, group or person.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        c = info.context
        for name, fetch in (("activity", c.kith.activities), ("venue", c.kith.venues),
                            ("group", c.kith.groups)):  # fmt: skip
            found = await c.loader(name, fetch).load(id)
            if found is not None:
                return entry(found)
        if c.actor is None:
            return None  # the public never learns whether a person exists
        return (await load_people(info, [id]))[0]

    @strawberry.field(description="Peer buddies for a person, best first, with reasons.")
    async def suggest_buddies(
        self, info: Info, person_id: strawberry.ID, first: int = 5
    ) -> list[BuddySuggestion]:
        c = info.context
        found = await c.call(suggestions.buddies, c.kith, c.actor, person_id, first)
        return [suggested.buddy(s) for s in found]

    @strawberry.field(
        description="Coordinators: buddies for everyone waiting near a place at once, for the "
        "best total fit (writes nothing; propose pairs with proposeBuddy)."
    )
    async def plan_buddy_pairs(
        self, info: Info, area: PlaceInput, radius_km: float | None = pairing.DEFAULT_RADIUS_KM
    ) -> BuddyPlan:
        c = info.context
        here = await to_place(info, area)
        return planned.plan(await c.call(pairing.plan, c.kith, c.actor, here, radius_km))

    @strawberry.field(description="Activities for a person, best first, with reasons.")
    async def suggest_activities(
        self, info: Info, person_id: strawberry.ID, first: int = 10, radius_km: float | None = None
    ) -> list[ActivitySuggestion]:
        c = info.context
        found = await c.call(suggestions.for_person, c.kith, c.actor, person_id, first, radius_km)
        return [suggested.activity(s) for s in found]

    suggest_helpers = helping.HELPERS
    suggest_companions = helping.COMPANIONS

    @strawberry.field(description="Activities near a place for interests or needs (public).")
    async def activities_near(
        self,
        info: Info,
        place: PlaceInput,
        radius_km: float | None = suggestions.NEAR_RADIUS_KM,  # null: as if left out
        interests: list[str] | None = None,
        supports: list[str] | None = None,
        first: int = 10,
    ) -> list[ActivitySuggestion]:
        c = info.context
        here = await to_place(info, place)
        found = await c.call(suggestions.activities_near, c.kith, here, radius_km,
                             interests or [], supports or [], first)  # fmt: skip
        return [suggested.activity(s) for s in found]

    @strawberry.field(
        description="Subject access: everything held about a person, as JSON (audited)."
    )
    async def export_person(self, info: Info, id: strawberry.ID) -> JSON:
        c = info.context
        return await c.call(subject_access.export, c.kith, c.actor, id)

    @strawberry.field(
        description="Volunteers: the parts of winter plans that name them (whom they help, "
        "with what, whom to call), and nothing else of those people's records."
    )
    async def my_helping(self, info: Info) -> list[Helping]:
        c = info.context
        return [Helping(record=h) for h in await c.call(winter_plans.helping, c.kith, c.actor)]

    @strawberry.field(description="The signed-in account, or null for the public.")
    def me(self, info: Info) -> Account | None:
        actor = info.context.actor
        return account(actor) if actor else None

    @strawberry.field(
        description="Referrals, newest first: every one for a coordinator, their own for a "
        "prescriber."
    )
    async def referrals(
        self,
        info: Info,
        status: list[ReferralStatus] | None = None,  # type: ignore[valid-type]
        assigned_to_me: bool | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> ReferralConnection:
        c = info.context
        page = await c.call(referral_states.listing, c.kith, c.actor, status, bool(assigned_to_me),
                            first, after)  # fmt: skip
        return connection_of_referrals(page)

    @strawberry.field(
        description="What the public said is wrong with listings, newest first (open ones "
        "unless open is false; null for all): coordinators only."
    )
    async def listing_reports(
        self, info: Info, open: bool | None = True, first: int = 20, after: str | None = None
    ) -> listed.ListingReportConnection:
        c = info.context
        page = await c.call(listing_reports.listing, c.kith, c.actor, open, first, after)
        return listed.connection(page)

    @strawberry.field(
        description="Changes to listings, newest first (pending ones unless open is false; "
        "null for all): every one for a coordinator, their own for an organiser."
    )
    async def listing_changes(
        self, info: Info, open: bool | None = True, first: int = 20, after: str | None = None
    ) -> changing.ListingChangeConnection:
        c = info.context
        page = await c.call(listing_changes.listing, c.kith, c.actor, open, first, after)
        return changing.connection(page)

    @strawberry.field(description="Coordinators: every version of a listing, newest first.")
    async def listing_versions(
        self, info: Info, activity_id: strawberry.ID
    ) -> list[changing.ListingVersion]:
        c = info.context
        found = await c.call(listing_versions.versions, c.kith, c.actor, activity_id)
        return [changing.ListingVersion(record=v) for v in found]

    @strawberry.field(description="Coordinators: the organisers, with their groups and trust.")
    async def organisers(self, info: Info) -> list[changing.Organiser]:
        c = info.context
        return [changing.Organiser(record=a) for a in await c.call(organisers.every, c.kith,
                                                                    c.actor)]  # fmt: skip

    @strawberry.field(description="Organisers: the listings of the groups they keep, by name.")
    async def my_listings(self, info: Info) -> list[Activity]:
        c = info.context
        found = await c.call(organisers.kept_listings, c.kith, c.actor)
        return [Activity(record=a) for a in found]

    @strawberry.field(
        description="Records that may be one person held twice (the same birth year and "
        "postcode, names a typo apart), for a coordinator to merge or keep apart."
    )
    async def merge_offers(self, info: Info, first: int = 20) -> list[MergeOffer]:
        c = info.context
        return [MergeOffer(record=o) for o in await c.call(merges.offers, c.kith, c.actor, first)]

    @strawberry.field(
        description="Coordinators: people whose wellbeing follow-up is due on or before a day "
        "(today if left out), the longest overdue first."
    )
    async def follow_ups_due(self, info: Info, on: datetime.date | None = None) -> list[FollowUp]:
        c = info.context
        found = await c.call(wellbeing.follow_ups_due, c.kith, c.actor, on or datetime.date.today())
        return [FollowUp(record=f) for f in found]

    @strawberry.field(
        description="Coordinators: people to reach out to before a crisis, meeting every "
        "condition given, never contacted first, then the longest since, each with why; "
        "never anyone whose latest consent to contact is a no."
    )
    async def outreach(
        self, info: Info, criteria: reached.OutreachInput, first: int = 20,
        after: str | None = None,
    ) -> reached.PersonConnection:  # fmt: skip
        c = info.context
        asked = reached.criteria(criteria, await to_place(info, criteria.near))
        return reached.connection(await c.call(outreach.listing, c.kith, c.actor, asked, first,
                                               after))  # fmt: skip

    @strawberry.field(
        description="Coordinators and admins: referrals, waiting, matches, wellbeing change and "
        "unmet needs over a period (both days included), for people living within radiusKm "
        "(default 5) of an area if given; aggregates only, counts of 1-4 suppressed."
    )
    async def report(
        self, info: Info, from_: Annotated[datetime.date, strawberry.argument(name="from")],
        to: datetime.date, area: PlaceInput | None = None, radius_km: float | None = None,
    ) -> reported.Report:  # fmt: skip
        c = info.context
        where = await to_place(info, area)
        return reported.report(await c.call(reports.report, c.kith, c.actor, from_, to, where,
                                            radius_km))  # fmt: skip

    @strawberry.field(description="One referral, if it is yours to see.")
    async def referral(self, info: Info, id: strawberry.ID) -> Referral | None:
        c = info.context
        return Referral(record=await c.call(referral_states.get, c.kith, c.actor, id))

    @strawberry.field
    async def group(self, info: Info, id: strawberry.ID) -> Group | None:
        return group(await info.context.loader("group", info.context.kith.groups).load(id))

    @strawberry.field
    async def venue(self, info: Info, id: strawberry.ID) -> Venue | None:
        return venue(await info.context.loader("venue", info.context.kith.venues).load(id))

    @strawberry.field
    async def activity(self, info: Info, id: strawberry.ID) -> Activity | None:
        kith = info.context.kith
        return activity(await info.context.loader("activity", kith.activities).load(id))

    @strawberry.field(description="Terms of one vocabulary, optionally those starting with prefix.")
    def taxonomy(
        self,
        info: Info,
        kind: TermKindEnum,  # type: ignore[valid-type]
        prefix: str | None = None,
    ) -> list[Term]:
        return [term(t) for t in info.context.kith.terms(kind, prefix)]


class Schema(strawberry.Schema):
    """Strawberry's schema without its own error log: ``ErrorCodes`` logs what is internal,
    and a client's mistake is not worth a traceback."""

    def process_errors(self, errors, execution_context=None) -> None:  # type: ignore[no-untyped-def]
        return None


# The depth and alias limits as validation rules made once: a fresh limiter per request would
# make fresh rule classes, and the validation cache below is keyed by them.
LIMITS = [
    *QueryDepthLimiter(max_depth=10).validation_rules,
    *MaxAliasesLimiter(max_alias_count=30).validation_rules,
]


def build_schema(introspection: bool = True) -> strawberry.Schema:
    """The schema with its protections: depth, alias and token limits, client-safe errors, and
    introspection only when configured (``KITH_INTROSPECTION``). Clients send the same few
    documents again and again, so each is parsed and validated once (bounded caches: random
    documents cannot grow memory)."""
    closed = [] if introspection else [DisableIntrospection]
    return Schema(
        query=Query,
        mutation=Mutation,
        types=[Volunteer],
        extensions=[
            lambda: AddValidationRules(LIMITS),
            lambda: MaxTokensLimiter(max_token_count=2_000),
            *closed,
            ErrorCodes,
            lambda: ParserCache(maxsize=256),
            lambda: ValidationCache(maxsize=256),
        ],
    )
