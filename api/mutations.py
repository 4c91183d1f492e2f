"""API.md's mutations: each resolver turns its input into a dict and calls one service function."""

from __future__ import annotations

import datetime
from dataclasses import asdict

import strawberry

from kith import (
    attendance,
    contacts,
    curation,
    domain,
    listing_changes,
    listing_reports,
    listing_reviews,
    listing_versions,
    matches,
    merges,
    organisers,
    people,
    plans,
    referral_states,
    self_referral,
    wellbeing,
    winter_plans,
)

from .context import Info
from .types import listing_changes as changing
from .types import payloads as p
from .types.directory import Activity, ListingStatus, group, venue
from .types.inputs import (
    ActivityInput,
    ConsentPurpose,
    GroupInput,
    PersonInput,
    PersonPatch,
    ReferralInput,
    ReferralStatus,
    VenueInput,
    VolunteerInput,
)
from .types.listing_reports import ListingProblem, ListingReport, ReportListingPayload
from .types.outreach import ContactInput
from .types.people import Match, MatchStatus, Volunteer, load_people, wrap
from .types.plans import PlanInput
from .types.referrals import Referral
from .types.self_referral import SelfReferralInput, SelfReferralPayload
from .types.wellbeing import WellbeingInput, WellbeingPayload, WellbeingRecord
from .types.winter_plans import WinterPlanInput


async def referral_payload(info: Info, referral: domain.Referral) -> p.ReferralPayload:
    """A changed referral with its person, read (authorised and audited) as any other read."""
    person = (await load_people(info, [referral.person_id]))[0]
    return p.ReferralPayload(referral=Referral(record=referral), person=person, normalised=[])


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Anyone may offer to volunteer; they start unapproved.")
    async def register_volunteer(self, info: Info, input: VolunteerInput) -> p.VolunteerPayload:
        c = info.context
        done = await c.call(people.register_volunteer, c.kith, c.actor, asdict(input))
        return p.VolunteerPayload(
            volunteer=Volunteer(record=done.person),
            normalised=p.normalisations(done.normalised),
            token=done.token,
        )

    @strawberry.mutation(description="Coordinators approve a volunteer, recording the DBS check.")
    async def approve_volunteer(
        self, info: Info, id: strawberry.ID, dbs_checked_on: datetime.date | None = None
    ) -> p.VolunteerPayload:
        c = info.context
        person = await c.call(people.approve_volunteer, c.kith, c.actor, id, dbs_checked_on)
        return p.VolunteerPayload(volunteer=Volunteer(record=person), normalised=[], token=None)

    @strawberry.mutation
    async def add_person(self, info: Info, input: PersonInput) -> p.PersonPayload:
        c = info.context
        done = await c.call(people.add, c.kith, c.actor, asdict(input))
        return p.PersonPayload(
            person=wrap(done.person), normalised=p.normalisations(done.normalised)
        )

    @strawberry.mutation
    async def update_person(
        self, info: Info, id: strawberry.ID, input: PersonPatch
    ) -> p.PersonPayload:
        c = info.context
        done = await c.call(people.update, c.kith, c.actor, id, asdict(input))
        return p.PersonPayload(
            person=wrap(done.person), normalised=p.normalisations(done.normalised)
        )

    @strawberry.mutation(
        description="Refer someone: the referral joins the person's record if Kith already "
        "holds them (same name, birth year and postcode), else comes with a record of its own. "
        "A prescriber is shown the person only as they sent them."
    )
    async def refer_person(self, info: Info, input: ReferralInput) -> p.ReferralPayload:
        c = info.context
        urgency = input.urgency.value if input.urgency else "ROUTINE"
        source = input.source.value if input.source else None
        done = await c.call(
            people.refer, c.kith, c.actor, asdict(input.person), input.reason, urgency, source
        )
        assert done.referral is not None
        return p.ReferralPayload(
            referral=Referral(record=done.referral, shown=done.person),
            person=wrap(done.person),
            normalised=p.normalisations(done.normalised),
        )

    @strawberry.mutation(
        description="Anyone may ask for support themselves; the answer is a reference only. "
        "Limited per client address (RATE_LIMITED)."
    )
    async def self_refer(self, info: Info, input: SelfReferralInput) -> SelfReferralPayload:
        c = info.context
        reference = await c.call(self_referral.self_refer, c.kith, asdict(input), c.address)
        return SelfReferralPayload(reference=reference)

    @strawberry.mutation(
        description="Anyone may say an activity's listing is wrong (a note of at most 500 "
        "characters; nothing about who sends it). Limited per client address (RATE_LIMITED)."
    )
    async def report_listing(
        self,
        info: Info,
        id: strawberry.ID,
        problem: ListingProblem,  # type: ignore[valid-type]
        note: str | None = None,
    ) -> ReportListingPayload:
        c = info.context
        reference = await c.call(listing_reports.report, c.kith, id, problem, note, c.address)
        return ReportListingPayload(reference=reference)

    @strawberry.mutation(
        description="Say a listing is still right (its organiser or a coordinator), or give its "
        "new status: reviewed today, its review cycle starts again."
    )
    async def review_listing(
        self,
        info: Info,
        id: strawberry.ID,
        status: ListingStatus | None = None,  # type: ignore[valid-type]
    ) -> p.ActivityPayload:
        c = info.context
        activity = await c.call(listing_reviews.review, c.kith, c.actor, id, status)
        return p.ActivityPayload(activity=Activity(record=activity), normalised=[])

    @strawberry.mutation(
        description="Change a listing you keep (sessions, cost, description, status): applied "
        "at once for a coordinator or a trusted organiser, else PENDING a coordinator's approval "
        "(a newer proposal replaces your older pending one for the same listing)."
    )
    async def update_listing(
        self, info: Info, id: strawberry.ID, input: changing.ListingChangeInput
    ) -> changing.ListingChangePayload:
        c = info.context
        done = await c.call(listing_changes.update, c.kith, c.actor, id, input.form())
        return changing.payload(done)

    @strawberry.mutation(description="Coordinators apply a pending change, as a new version.")
    async def approve_listing_change(self, info: Info, id: strawberry.ID) -> changing.ListingChange:
        c = info.context
        done = await c.call(listing_changes.approve, c.kith, c.actor, id)
        return changing.ListingChange(record=done)

    @strawberry.mutation(description="Coordinators turn a pending change down, saying why.")
    async def reject_listing_change(
        self, info: Info, id: strawberry.ID, note: str | None = None
    ) -> changing.ListingChange:
        c = info.context
        done = await c.call(listing_changes.reject, c.kith, c.actor, id, note)
        return changing.ListingChange(record=done)

    @strawberry.mutation(
        description="Coordinators make a listing as an old version had it: a new version."
    )
    async def restore_listing_version(
        self, info: Info, id: strawberry.ID
    ) -> changing.ListingVersion:
        c = info.context
        done = await c.call(listing_versions.restore, c.kith, c.actor, id)
        return changing.ListingVersion(record=done)

    @strawberry.mutation(
        description="Coordinators say whether an organiser's changes go live at once (trusted) "
        "or wait for approval."
    )
    async def trust_organiser(
        self, info: Info, account_id: strawberry.ID, trusted: bool
    ) -> changing.Organiser:
        c = info.context
        done = await c.call(organisers.trust, c.kith, c.actor, account_id, trusted)
        return changing.Organiser(record=done)

    @strawberry.mutation(
        description="Coordinators resolve a listing report, saying what they did; with a "
        "status, the listing is reviewed as it now is (CLOSED: never suggested again)."
    )
    async def resolve_listing_report(
        self, info: Info, id: strawberry.ID, note: str | None = None,
        status: ListingStatus | None = None,  # type: ignore[valid-type]
    ) -> ListingReport:  # fmt: skip
        c = info.context
        return ListingReport(
            record=await c.call(listing_reports.resolve, c.kith, c.actor, id, note, status)
        )

    @strawberry.mutation(description="Coordinators accept a referral, naming who takes it on.")
    async def accept_referral(
        self, info: Info, id: strawberry.ID, coordinator_id: strawberry.ID | None = None
    ) -> p.ReferralPayload:
        c = info.context
        return await referral_payload(
            info, await c.call(referral_states.accept, c.kith, c.actor, id, coordinator_id)
        )

    @strawberry.mutation(description="Coordinators decline a RECEIVED referral, saying why.")
    async def decline_referral(
        self, info: Info, id: strawberry.ID, reason: str
    ) -> p.ReferralPayload:
        c = info.context
        return await referral_payload(
            info, await c.call(referral_states.decline, c.kith, c.actor, id, reason)
        )

    @strawberry.mutation(description="A contact with the person; the first starts the work.")
    async def record_contact(
        self,
        info: Info,
        referral_id: strawberry.ID,
        at: datetime.datetime | None = None,
        note: str | None = None,
    ) -> p.ReferralPayload:
        c = info.context
        done = await c.call(referral_states.record_contact, c.kith, c.actor, referral_id, at, note)
        return await referral_payload(info, done)

    @strawberry.mutation(
        description="Close a referral: COMPLETED, DID_NOT_ENGAGE or WITHDRAWN (a prescriber "
        "may withdraw their own)."
    )
    async def close_referral(
        self,
        info: Info,
        id: strawberry.ID,
        outcome: ReferralStatus,  # type: ignore[valid-type]
        note: str | None = None,
    ) -> p.ReferralPayload:
        c = info.context
        done = await c.call(referral_states.close, c.kith, c.actor, id, outcome, note)
        return await referral_payload(info, done)

    @strawberry.mutation
    async def record_consent(
        self, info: Info, person_id: strawberry.ID, purpose: ConsentPurpose, given: bool
    ) -> p.PersonPayload:
        c = info.context
        person = await c.call(
            people.record_consent, c.kith, c.actor, person_id, purpose.value, given
        )
        return p.person_payload(person)

    @strawberry.mutation
    async def propose_buddy(
        self, info: Info, person_id: strawberry.ID, buddy_id: strawberry.ID
    ) -> p.MatchPayload:
        c = info.context
        match = await c.call(matches.propose, c.kith, c.actor, person_id, buddy_id)
        return p.MatchPayload(match=Match(record=match))

    @strawberry.mutation(description="Accept, decline or end a pairing, with an optional note.")
    async def update_match(
        self,
        info: Info,
        id: strawberry.ID,
        status: MatchStatus,
        note: str | None = None,  # type: ignore[valid-type]
    ) -> p.MatchPayload:
        c = info.context
        match = await c.call(matches.update, c.kith, c.actor, id, status, note)
        return p.MatchPayload(match=Match(record=match))

    @strawberry.mutation(
        description="The person now goes to the activity, from today; recording it again "
        "changes nothing."
    )
    async def record_attendance(
        self, info: Info, person_id: strawberry.ID, activity_id: strawberry.ID
    ) -> p.PersonPayload:
        c = info.context
        person = await c.call(attendance.attend, c.kith, c.actor, person_id, activity_id)
        return p.person_payload(person)

    @strawberry.mutation(
        description="Coordinators write a person's plan whole; the version it replaces is kept."
    )
    async def set_plan(
        self, info: Info, person_id: strawberry.ID, input: PlanInput
    ) -> p.PersonPayload:
        c = info.context
        person = await c.call(plans.set_plan, c.kith, c.actor, person_id, asdict(input))
        return p.person_payload(person)

    @strawberry.mutation(
        description="Coordinators write a person's winter plan whole; the version it replaces "
        "is kept. BAD_USER_INPUT naming helpers for one who is not an approved volunteer."
    )
    async def set_winter_plan(
        self, info: Info, person_id: strawberry.ID, input: WinterPlanInput
    ) -> p.PersonPayload:
        c = info.context
        done = await c.call(winter_plans.set_winter_plan, c.kith, c.actor, person_id, asdict(input))
        return p.person_payload(done)

    @strawberry.mutation(
        description="Coordinators record a wellbeing measure taken: BAD_USER_INPUT naming "
        "answers for a wrong count or range, takenOn for a day in the future."
    )
    async def record_wellbeing(
        self, info: Info, person_id: strawberry.ID, input: WellbeingInput
    ) -> WellbeingPayload:
        c = info.context
        done, person = await c.call(wellbeing.record, c.kith, c.actor, person_id, asdict(input))
        return WellbeingPayload(record=WellbeingRecord(record=done), person=wrap(person))

    @strawberry.mutation(
        description="Coordinators record a phone call, visit or message with anyone they "
        "support; the latest sets lastContactAt. BAD_USER_INPUT naming at for a future time."
    )
    async def record_person_contact(
        self, info: Info, person_id: strawberry.ID, input: ContactInput
    ) -> p.PersonPayload:
        c = info.context
        person = await c.call(contacts.record, c.kith, c.actor, person_id, asdict(input))
        return p.person_payload(person)

    @strawberry.mutation(
        description="Coordinators set how often someone should be in touch with the person, "
        "7 to 365 days; null clears it."
    )
    async def set_check_in(
        self, info: Info, person_id: strawberry.ID, every_days: int | None
    ) -> p.PersonPayload:
        c = info.context
        person = await c.call(contacts.set_check_in, c.kith, c.actor, person_id, every_days)
        return p.person_payload(person)

    @strawberry.mutation(
        description="The person no longer goes to the activity; exportPerson keeps when they went."
    )
    async def end_attendance(
        self, info: Info, person_id: strawberry.ID, activity_id: strawberry.ID
    ) -> p.PersonPayload:
        c = info.context
        person = await c.call(attendance.stop, c.kith, c.actor, person_id, activity_id)
        return p.person_payload(person)

    @strawberry.mutation
    async def upsert_group(self, info: Info, input: GroupInput) -> p.GroupPayload:
        c = info.context
        return p.GroupPayload(
            group=group(await c.call(curation.upsert_group, c.kith, c.actor, asdict(input)))
        )

    @strawberry.mutation
    async def upsert_venue(self, info: Info, input: VenueInput) -> p.VenuePayload:
        c = info.context
        return p.VenuePayload(
            venue=venue(await c.call(curation.upsert_venue, c.kith, c.actor, asdict(input)))
        )

    @strawberry.mutation
    async def upsert_activity(self, info: Info, input: ActivityInput) -> p.ActivityPayload:
        c = info.context
        activity, notes = await c.call(curation.upsert_activity, c.kith, c.actor, asdict(input))
        return p.ActivityPayload(
            activity=Activity(record=activity), normalised=p.normalisations(notes)
        )

    @strawberry.mutation(
        description="Fold one record of a person into another (coordinators): every referral, "
        "match, consent and link moves to the record kept; audited."
    )
    async def merge_people(
        self, info: Info, keep_id: strawberry.ID, merge_id: strawberry.ID
    ) -> p.PersonPayload:
        c = info.context
        person = await c.call(merges.merge, c.kith, c.actor, keep_id, merge_id)
        return p.person_payload(person)

    @strawberry.mutation(
        description="Say two records offered for merging are two people: not offered again."
    )
    async def keep_apart(
        self, info: Info, person_id: strawberry.ID, other_id: strawberry.ID
    ) -> bool:
        c = info.context
        await c.call(merges.keep_apart, c.kith, c.actor, person_id, other_id)
        return True

    @strawberry.mutation(description="Erase a person and every edge; the erasure is audited.")
    async def forget_person(self, info: Info, id: strawberry.ID) -> p.DeletePayload:
        c = info.context
        await c.call(people.forget, c.kith, c.actor, id)
        return p.DeletePayload(id=id, deleted=True)
