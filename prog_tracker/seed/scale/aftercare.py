"""seed-scale: referrals, consents, follow-ups, contacts and outcomes after release.

The benchmark organisation gets exactly 50 people its caseworkers see (accepted
referral, active consent) and 13 they must not: a pending referral, an expired
or withdrawn consent, a closed or declined referral, consent given to another
organisation only.
"""

from prog_tracker.partners.models import Consent, Referral
from prog_tracker.release.models import FollowUp
from prog_tracker.seed.scale.base import RECORD, Seeding, bag, clamp
from prog_tracker.seed.scale.contacts import Case, seed_contacts
from prog_tracker.seed.scale.names import REFERRAL_REASONS
from prog_tracker.seed.scale.people import BENCH_PEOPLE, Person

# Referrals made after the release day rather than before it.
REFERRED_AFTER_RELEASE = 0.25
REFERRAL_STATUSES = bag({"accepted": 62, "pending": 8, "declined": 10, "closed": 20})
PARTNER_KINDS = bag({"ngo": 85, "training_provider": 8, "employer": 7})
CONSENT_STATES = bag({"active": 85, "expired": 8, "withdrawn": 7})
CONSENT_METHODS = bag({"signed": 70, "thumbprint": 15, "verbal_witnessed": 15})
# (referral status, consent state) of the benchmark organisation's people after the 50.
BENCH_HIDDEN = (
    [("pending", "active")] * 3
    + [("accepted", "expired")] * 3
    + [("accepted", "withdrawn")] * 3
    + [("closed", "active")] * 2
    + [("declined", "active"), ("accepted", "elsewhere")]
)
BENCH_VISIBLE = 50
assert BENCH_VISIBLE + len(BENCH_HIDDEN) == BENCH_PEOPLE  # nosec B101 # checks constants only
REFERRAL_COLUMNS = (
    *RECORD,
    "participant_id",
    "organisation_id",
    "status",
    "reason",
    "referred_by_id",
    "assigned_caseworker_id",
    "responded_at",
    "responded_by_id",
    "closed_at",
    "closed_by_id",
)
CONSENT_COLUMNS = (
    *RECORD,
    "participant_id",
    "organisation_id",
    "purpose",
    "given_on",
    "method",
    "expires_on",
    "withdrawn_on",
    "recorded_by_id",
    "wording_locale",
)
FOLLOW_UP_COLUMNS = (
    *RECORD,
    "episode_id",
    "participant_id",
    "sequence",
    "offset_days",
    "due_on",
    "window_days",
)


class Referred:
    """A referral as written, with the days later steps need."""

    __slots__ = ("caseworker_id", "closed", "made", "row")

    def __init__(self, row: tuple, made: int, closed: int | None, caseworker_id: str | None):
        self.row, self.made, self.closed, self.caseworker_id = row, made, closed, caseworker_id


def seed_aftercare(ctx: Seeding, world: dict, people: list[Person]) -> None:
    """Referrals and consents, then follow-ups, contacts and outcomes of the cases."""
    referrals: list[tuple] = []
    consents: list[tuple] = []
    cases: list[Case] = []
    for person in people:
        if not person.bench:
            _partners(ctx, world, person, referrals, consents, cases)
    _bench(ctx, world, [p for p in people if p.bench], referrals, consents, cases)
    ctx.insert(Referral, REFERRAL_COLUMNS, referrals)
    ctx.insert(Consent, CONSENT_COLUMNS, consents)
    ctx.insert(FollowUp, FOLLOW_UP_COLUMNS, (r for p in people for r in _follow_ups(ctx, p)))
    seed_contacts(ctx, cases, len(people))


def _partners(ctx: Seeding, world: dict, person: Person, referrals, consents, cases) -> None:
    """Most released people were referred; some soon-released ones are pending."""
    soon = person.expected and person.expected <= ctx.today + 90
    if person.status == "in_custody":
        if not (soon and ctx.chance(0.4)):
            return
        status, out = "pending", person.expected
    elif person.releases and ctx.chance(0.85):
        status, out = ctx.pick(REFERRAL_STATUSES), person.last_release
    else:
        return
    organisation = _partner(ctx, world, person.country)
    referral = _referral(ctx, person, organisation, status, out)
    referrals.append(referral.row)
    consent_chance = {"accepted": 1.0, "closed": 1.0, "pending": 0.6, "declined": 0.3}[status]
    if ctx.chance(consent_chance):
        state = ctx.pick(CONSENT_STATES)
        consent, ends = _consent(ctx, person, organisation, state, referral.made)
        consents.append(consent)
        if status in ("accepted", "closed"):
            end = min(ctx.today, referral.closed or ctx.today, *ends)
            cases.append(Case(person, organisation, referral.caseworker_id, end))


def _partner(ctx: Seeding, world: dict, country: str) -> dict:
    """Mostly an NGO of the country, sometimes a training provider or employer."""
    kind = ctx.pick(PARTNER_KINDS)
    return ctx.pick([o for o in world["organisations"][country] if o["kind"] == kind])


def _referral(
    ctx: Seeding,
    person: Person,
    organisation: dict,
    status: str,
    out: int,
    caseworker_id: str | None = None,
) -> Referred:
    """One referral, mostly made weeks before the release day (some after it), answered a
    few days later."""
    if person.bench or person.status == "in_custody" or not ctx.chance(REFERRED_AFTER_RELEASE):
        made = clamp(out - ctx.between(10, 60), person.intake, ctx.today)
    else:
        made = min(out + ctx.between(1, 30), ctx.today)
    caseworker_id = caseworker_id or ctx.pick(organisation["caseworkers"])["id"]
    assigned = caseworker_id if status in ("accepted", "closed") else None
    written = ctx.stamp(made)
    updated, version, answer, closing, closed = written, 1, (None, None), (None, None), None
    if status != "pending":
        answered = ctx.stamp(min(made + ctx.between(1, 9), ctx.today))
        updated, version, answer = answered, 2, (answered, caseworker_id)
    if status == "closed":
        closed = clamp(out + ctx.between(30, 300), made + 10, ctx.today)
        updated, version, closing = ctx.stamp(closed), 3, (ctx.stamp(closed), caseworker_id)
    row = (
        ctx.new_id(),
        written,
        updated,
        version,
        person.id,
        organisation["id"],
        status,
        ctx.pick(REFERRAL_REASONS),
        ctx.pick(person.facility["officers"])["id"],
        assigned,
        *answer,
        *closing,
    )
    return Referred(row, made, closed, assigned)


def _consent(ctx: Seeding, person: Person, organisation: dict, state: str, given: int):
    """(consents row, [the days it ended]) of a consent that is active, expired or withdrawn."""
    expires = withdrawn = None
    if state == "active" and ctx.chance(0.4):
        expires = ctx.today + ctx.between(30, 700)
    elif state == "expired":
        expires = clamp(ctx.days_ago(10, 120), given + 1, ctx.today - 2)
    elif state == "withdrawn":
        withdrawn = clamp(ctx.days_ago(2, 90), given, ctx.today - 1)
    written = ctx.stamp(given)
    updated, version = (ctx.stamp(withdrawn), 2) if withdrawn else (written, 1)
    row = (
        ctx.new_id(),
        written,
        updated,
        version,
        person.id,
        organisation["id"],
        "post_release_support",
        ctx.day(given),
        ctx.pick(CONSENT_METHODS),
        ctx.day(expires) if expires else None,
        ctx.day(withdrawn) if withdrawn else None,
        ctx.pick(person.facility["officers"])["id"],
        person.language,
    )
    return row, [d for d in (expires, withdrawn) if d]


def _bench(ctx: Seeding, world: dict, people: list[Person], referrals, consents, cases) -> None:
    """The benchmark organisation: 50 people in scope, the rest deliberately out of it."""
    organisation = world["bench_organisation"]
    me, colleague = (u["id"] for u in organisation["caseworkers"][:2])
    plan = [("accepted", "active")] * BENCH_VISIBLE + BENCH_HIDDEN
    for index, (person, (status, state)) in enumerate(zip(people, plan, strict=True)):
        caseworker = me if index % 2 == 0 else colleague
        referral = _referral(ctx, person, organisation, status, person.last_release, caseworker)
        referrals.append(referral.row)
        consent_to = organisation
        if state == "elsewhere":
            consent_to, state = world["organisations"]["KZ"][0], "active"
        consent, ends = _consent(ctx, person, consent_to, state, referral.made)
        if index < BENCH_VISIBLE and ends and ctx.chance(0.5):
            consent, ends = (*consent[:9], None, *consent[10:]), []  # no expiry date
        consents.append(consent)
        if status in ("accepted", "closed"):
            end = min(ctx.today, referral.closed or ctx.today, *ends)
            cases.append(Case(person, organisation, caseworker, end))


def _follow_ups(ctx: Seeding, person: Person):
    """The configured schedule for each of the person's release episodes."""
    for episode_id, out, _back in person.episodes:
        written = ctx.stamp(out)
        for sequence, (offset, window) in enumerate(ctx.follow_ups, start=1):
            due = ctx.day(out + offset)
            yield (
                ctx.new_id(),
                written,
                written,
                1,
                episode_id,
                person.id,
                sequence,
                offset,
                due,
                window,
            )
