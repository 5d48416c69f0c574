"""seed-scale: referrals, consents, follow-ups, contacts and outcomes after release.

The benchmark organisation gets exactly 50 people its caseworkers see (accepted
referral, active consent) and 13 they must not: a pending referral, an expired
or withdrawn consent, a closed or declined referral, consent given to another
organisation only.
"""

from datetime import date, timedelta

from prog_tracker.aftercare.models import Contact, ContactVersion, FollowUp, Outcome
from prog_tracker.partners.models import Consent, Referral
from prog_tracker.scale_base import Seeding, clamp
from prog_tracker.scale_names import CONTACT_SUMMARIES, NEEDS, REFERRAL_REASONS
from prog_tracker.scale_people import BENCH_PEOPLE, Person

# SPEC §2 default schedule: (days after release, window ± days).
FOLLOW_UPS = ((7, 3), (30, 7), (90, 14), (180, 14), (365, 30))
CONTACTS_PER_PERSON = 10
OUTCOME_MARKS = (90, 180, 365)
CONTACT_MODES = {
    "visit": 25,
    "phone": 35,
    "office": 15,
    "video": 5,
    "message": 10,
    "attempt_failed": 10,
}
EMPLOYMENT = {
    "employed_formal": 18,
    "employed_informal": 25,
    "self_employed": 12,
    "in_training": 10,
    "unemployed": 28,
    "unknown": 7,
}
HOUSING = {"stable": 55, "temporary": 30, "homeless": 5, "unknown": 10}
# (referral status, consent state) of the benchmark organisation's people after the 50.
BENCH_HIDDEN = (
    [("pending", "active")] * 3
    + [("accepted", "expired")] * 3
    + [("accepted", "withdrawn")] * 3
    + [("closed", "active")] * 2
    + [("declined", "active"), ("accepted", "elsewhere")]
)
BENCH_VISIBLE = 50
assert BENCH_VISIBLE + len(BENCH_HIDDEN) == BENCH_PEOPLE


class Case:
    """A person followed by an organisation's caseworker after their latest release."""

    __slots__ = ("caseworker_id", "end", "episode", "organisation", "person", "start")

    def __init__(self, person: Person, organisation: dict, caseworker_id: str, end: date):
        self.person, self.organisation, self.caseworker_id = person, organisation, caseworker_id
        self.episode = person.episodes[-1]
        self.start = self.episode[1]
        self.end = min(end, self.episode[2] or end)


def seed_aftercare(ctx: Seeding, world: dict, people: list[Person]) -> None:
    """Referrals and consents, then follow-ups, contacts and outcomes of the cases."""
    referrals: list[dict] = []
    consents: list[dict] = []
    cases: list[Case] = []
    for person in people:
        if not person.bench:
            _partners(ctx, world, person, referrals, consents, cases)
    _bench(ctx, world, [p for p in people if p.bench], referrals, consents, cases)
    ctx.insert(Referral, referrals)
    ctx.insert(Consent, consents)
    ctx.insert(FollowUp, (row for p in people for row in _follow_ups(ctx, p)))
    versions: list[dict] = []
    counts = _contact_counts(cases, CONTACTS_PER_PERSON * len(people))
    ctx.insert(
        Contact,
        (
            c
            for case, n in zip(cases, counts, strict=True)
            for c in _contacts(ctx, case, n, versions)
        ),
    )
    ctx.insert(ContactVersion, versions)
    ctx.insert(Outcome, (row for case in cases for row in _outcomes(ctx, case)))


def _partners(ctx: Seeding, world: dict, person: Person, referrals, consents, cases) -> None:
    """Most released people were referred before release; some soon-released ones are pending."""
    soon = person.expected and person.expected <= ctx.today + timedelta(days=90)
    if person.status == "in_custody":
        if not (soon and ctx.chance(0.4)):
            return
        status, out = "pending", person.expected
    elif person.releases and ctx.chance(0.85):
        status = ctx.pick({"accepted": 62, "pending": 8, "declined": 10, "closed": 20})
        out = person.last_release
    else:
        return
    organisation = _partner(ctx, world, person.country)
    referral = _referral(ctx, person, organisation, status, out)
    referrals.append(referral)
    consent_chance = {"accepted": 1.0, "closed": 1.0, "pending": 0.6, "declined": 0.3}[status]
    if ctx.chance(consent_chance):
        state = ctx.pick({"active": 85, "expired": 8, "withdrawn": 7})
        consents.append(_consent(ctx, person, organisation, state, referral["created_at"].date()))
        if status in ("accepted", "closed"):
            end = _case_end(ctx, referral, consents[-1])
            cases.append(Case(person, organisation, referral["assigned_caseworker_id"], end))


def _partner(ctx: Seeding, world: dict, country: str) -> dict:
    """Mostly an NGO of the country, sometimes a training provider or employer."""
    kind = ctx.pick({"ngo": 85, "training_provider": 8, "employer": 7})
    return ctx.rng.choice([o for o in world["organisations"][country] if o["kind"] == kind])


def _referral(
    ctx: Seeding,
    person: Person,
    organisation: dict,
    status: str,
    out: date,
    caseworker_id: str | None = None,
) -> dict:
    """One referral made some weeks before the release day, answered a few days later."""
    made = clamp(out - timedelta(days=ctx.rng.randint(10, 60)), person.intake, ctx.today)
    caseworker_id = caseworker_id or ctx.rng.choice(organisation["caseworkers"])["id"]
    row = ctx.record(
        made,
        participant_id=person.id,
        organisation_id=organisation["id"],
        status=status,
        reason=ctx.rng.choice(REFERRAL_REASONS),
        referred_by_id=ctx.rng.choice(person.facility["officers"])["id"],
        assigned_caseworker_id=caseworker_id if status in ("accepted", "closed") else None,
        responded_at=None,
        responded_by_id=None,
        closed_at=None,
        closed_by_id=None,
    )
    if status == "pending":
        return row
    answered = clamp(made + timedelta(days=ctx.rng.randint(1, 9)), made, ctx.today)
    row.update(responded_at=ctx.at(answered), responded_by_id=caseworker_id, version=2)
    row["updated_at"] = row["responded_at"]
    if status == "closed":
        closed = clamp(out + timedelta(days=ctx.rng.randint(30, 300)), answered, ctx.today)
        row.update(closed_at=ctx.at(closed), closed_by_id=caseworker_id, version=3)
        row["updated_at"] = row["closed_at"]
    return row


def _consent(ctx: Seeding, person: Person, organisation: dict, state: str, given: date) -> dict:
    """A consent that is active, has expired, or was withdrawn."""
    expires = withdrawn = None
    if state == "active" and ctx.chance(0.4):
        expires = ctx.today + timedelta(days=ctx.rng.randint(30, 700))
    elif state == "expired":
        expires = clamp(ctx.days_ago(10, 120), given + timedelta(days=1), ctx.today - timedelta(2))
    elif state == "withdrawn":
        withdrawn = clamp(ctx.days_ago(2, 90), given, ctx.today - timedelta(days=1))
    row = ctx.record(
        given,
        participant_id=person.id,
        organisation_id=organisation["id"],
        purpose="post_release_support",
        given_on=given,
        method=ctx.pick({"signed": 70, "thumbprint": 15, "verbal_witnessed": 15}),
        expires_on=expires,
        withdrawn_on=withdrawn,
        recorded_by_id=ctx.rng.choice(person.facility["officers"])["id"],
        wording_locale=person.language,
    )
    if withdrawn:
        row.update(updated_at=ctx.at(withdrawn), version=2)
    return row


def _case_end(ctx: Seeding, referral: dict, consent: dict) -> date:
    """The last day contacts were possible: closure, expiry or withdrawal, else today."""
    ends = [ctx.today]
    if referral["closed_at"]:
        ends.append(referral["closed_at"].date())
    ends += [d for d in (consent["expires_on"], consent["withdrawn_on"]) if d]
    return min(ends)


def _bench(ctx: Seeding, world: dict, people: list[Person], referrals, consents, cases) -> None:
    """The benchmark organisation: 50 people in scope, the rest deliberately out of it."""
    organisation = world["bench_organisation"]
    me, colleague = (u["id"] for u in organisation["caseworkers"][:2])
    plan = [("accepted", "active")] * BENCH_VISIBLE + BENCH_HIDDEN
    for index, (person, (status, state)) in enumerate(zip(people, plan, strict=True)):
        caseworker = me if index % 2 == 0 else colleague
        referral = _referral(ctx, person, organisation, status, person.last_release, caseworker)
        referrals.append(referral)
        given = referral["created_at"].date()
        consent_to = organisation
        if state == "elsewhere":
            consent_to, state = world["organisations"]["KZ"][0], "active"
        consent = _consent(ctx, person, consent_to, state, given)
        if index < BENCH_VISIBLE and state == "active" and ctx.chance(0.5):
            consent["expires_on"] = None
        consents.append(consent)
        if status in ("accepted", "closed"):
            cases.append(Case(person, organisation, caseworker, _case_end(ctx, referral, consent)))


def _follow_ups(ctx: Seeding, person: Person):
    """The default schedule for each of the person's release episodes."""
    for episode_id, out, _back in person.episodes:
        for sequence, (offset, window) in enumerate(FOLLOW_UPS, start=1):
            yield ctx.record(
                out,
                episode_id=episode_id,
                participant_id=person.id,
                sequence=sequence,
                offset_days=offset,
                due_on=out + timedelta(days=offset),
                window_days=window,
            )


def _contact_counts(cases: list[Case], target: int) -> list[int]:
    """Contacts per case, in proportion to how long each was followed, adding up to ~target."""
    spans = [max(0, (case.end - case.start).days + 1) for case in cases]
    total = sum(spans) or 1
    return [max(1, round(target * span / total)) if span else 0 for span in spans]


def _contact_days(ctx: Seeding, case: Case, count: int) -> list[date]:
    """Half the contacts near follow-up due dates, the rest on any day of the case."""
    span = (case.end - case.start).days
    dues = [case.start + timedelta(days=d) for d, _ in FOLLOW_UPS]
    dues = [d for d in dues if d <= case.end]
    days = []
    for n in range(count):
        if dues and n % 2 == 0:
            near = ctx.rng.choice(dues) + timedelta(days=ctx.rng.randint(-5, 5))
            days.append(clamp(near, case.start, case.end))
        else:
            days.append(case.start + timedelta(days=ctx.rng.randint(0, span)))
    return days


def _contacts(ctx: Seeding, case: Case, count: int, versions: list[dict]):
    """The case's contacts; about one in fifty was edited and keeps its first version."""
    city = case.person.facility["city"]
    for day in _contact_days(ctx, case, count):
        mode = ctx.pick(CONTACT_MODES)
        location = {"visit": f"Home visit, {city}", "office": f"{case.organisation['name']} office"}
        row = ctx.record(
            day,
            participant_id=case.person.id,
            organisation_id=case.organisation["id"],
            caseworker_id=case.caseworker_id,
            occurred_at=None,
            mode=mode,
            location=location.get(mode),
            summary=(
                "No answer; will try again."
                if mode == "attempt_failed"
                else ctx.rng.choice(CONTACT_SUMMARIES)
            ),
            needs=ctx.rng.sample(NEEDS, ctx.rng.choice((0, 0, 1, 1, 2))),
        )
        row["occurred_at"] = row["created_at"]
        if ctx.chance(0.02):
            versions.append(_edited(ctx, row))
        yield row


def _edited(ctx: Seeding, row: dict) -> dict:
    """Make row a second version; return its first version."""
    written = row["created_at"]
    row.update(version=2, updated_at=written + timedelta(hours=20))
    return {
        "id": ctx.new_id(),
        "contact_id": row["id"],
        "version": 1,
        "occurred_at": row["occurred_at"],
        "mode": row["mode"],
        "location": row["location"],
        "summary": "Draft note, completed the next day.",
        "needs": [],
        "written_by_id": row["caseworker_id"],
        "written_at": written,
        "replaced_at": row["updated_at"],
    }


def _outcomes(ctx: Seeding, case: Case):
    """Situations observed around 3, 6 and 12 months, and on a return to custody."""
    for mark in OUTCOME_MARKS:
        day = case.start + timedelta(days=mark + ctx.rng.randint(-20, 20))
        if day <= case.end:
            employment = ctx.pick(EMPLOYMENT)
            yield _outcome(ctx, case, day, employment, returned=False)
    back = case.episode[2]
    if back is not None:
        yield _outcome(ctx, case, back, "unknown", returned=True)


def _outcome(ctx: Seeding, case: Case, day: date, employment: str, returned: bool) -> dict:
    """One outcome row."""
    employed = employment in ("employed_formal", "employed_informal", "self_employed")
    return ctx.record(
        day,
        participant_id=case.person.id,
        organisation_id=case.organisation["id"],
        recorded_by_id=case.caseworker_id,
        observed_on=day,
        employment=employment,
        uses_trained_skill=ctx.pick({True: 55, False: 35, None: 10}) if employed else None,
        housing="unknown" if returned else ctx.pick(HOUSING),
        returned_to_custody=returned,
        note=None,
    )
