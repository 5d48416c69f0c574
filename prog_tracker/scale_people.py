"""seed-scale: participants, their custody histories, release episodes and release plans."""

from datetime import date, timedelta

from prog_tracker.core.text import search_blob
from prog_tracker.participants.models import Participant, ReleaseDateChange
from prog_tracker.participants.services import SEARCHED
from prog_tracker.release.models import ReleaseEpisode, ReleasePlanItem, StatusChange
from prog_tracker.scale_base import Seeding, clamp
from prog_tracker.scale_names import (
    COUNTRY_SHARE,
    DATE_CHANGE_REASONS,
    LOCALES,
    NAME_POOLS,
)

# People of the benchmark organisation: 50 it sees and 13 it must not (see scale_aftercare).
BENCH_PEOPLE = 63
# SPEC §2 default template: days before the expected release date.
PLAN_OFFSETS = {
    "id_documents": 90,
    "housing": 60,
    "employment": 60,
    "ngo_referral": 60,
    "education": 60,
    "health": 30,
    "family_contact": 30,
    "toolkit": 7,
    "transport": 1,
}
# Which kind of partner usually owns a plan item of a kind.
PLAN_OWNERS = {
    "housing": "ngo",
    "ngo_referral": "ngo",
    "employment": "employer",
    "education": "training_provider",
}


class Person:
    """What later steps need to know about one synthetic participant."""

    __slots__ = (
        "bench",
        "episodes",
        "expected",
        "facility",
        "family",
        "given",
        "id",
        "intake",
        "language",
        "number",
        "other",
        "releases",
        "sex",
        "status",
    )

    @property
    def country(self) -> str:
        """The country of the person's facility."""
        return self.facility["country"]

    @property
    def last_release(self) -> date | None:
        """The day of the latest release, if any."""
        return self.releases[-1][0] if self.releases else None


def seed_people(ctx: Seeding, world: dict, total: int) -> list[Person]:
    """Participants with histories, episodes, date changes and plan items."""
    people = []
    for facility, count in _allocation(world["facilities"], total):
        facility["people"] = count
        bench = BENCH_PEOPLE if facility is world["facilities"][0] else 0
        people.extend(_person(ctx, facility, n, n <= bench) for n in range(1, count + 1))
    ctx.insert(Participant, (_participant_row(ctx, p) for p in people))
    ctx.insert(StatusChange, (row for p in people for row in _status_changes(ctx, world, p)))
    ctx.insert(ReleaseEpisode, (row for p in people for row in _episodes(ctx, p)))
    ctx.insert(ReleaseDateChange, (row for p in people for row in _date_changes(ctx, p)))
    ctx.insert(ReleasePlanItem, (row for p in people for row in _plan_items(ctx, world, p)))
    return people


def _allocation(facilities: list[dict], total: int):
    """(facility, number of people) with each country's share split evenly over its prisons."""
    counts = []
    for country, share in COUNTRY_SHARE.items():
        mine = [f for f in facilities if f["country"] == country]
        people = round(total * share) if country != "UG" else total - sum(c for _, c in counts)
        for index, facility in enumerate(mine):
            counts.append((facility, people // len(mine) + (index < people % len(mine))))
    return counts


def _person(ctx: Seeding, facility: dict, number: int, bench: bool) -> Person:
    """One person: name in their country's scripts, and a custody story."""
    person = Person()
    person.id, person.facility, person.bench, person.number = ctx.new_id(), facility, bench, number
    pools = NAME_POOLS[facility["country"]]
    pool = ctx.rng.choices([p for p, _ in pools], weights=[w for _, w in pools])[0]
    person.sex = ctx.pick({"male": 85, "female": 13, "other": 1, "undisclosed": 1})
    female = person.sex == "female"
    person.given = ctx.rng.choice(pool["female" if female else "male"])
    person.family = ctx.rng.choice(pool["family"])[1 if female else 0]
    person.other = ctx.rng.choice(pool["male"]) if ctx.chance(0.12) else None
    person.language = ctx.rng.choice(LOCALES[facility["country"]])
    person.status, person.releases, person.expected = _story(ctx, bench)
    first = person.releases[0][0] if person.releases else ctx.today
    person.intake = first - timedelta(days=ctx.rng.randint(200, 1400))
    person.episodes = []
    return person


def _story(ctx: Seeding, bench: bool):
    """(status, [[released_on, returned_on], ...], expected_release_date) for one person."""
    today, rng = ctx.today, ctx.rng
    if bench:
        out = ctx.days_ago(20, 400)
        return "released", [[out, None]], out
    roll = rng.random()
    if roll < 0.45:
        expected = today + timedelta(days=rng.randint(1, 720)) if ctx.chance(0.75) else None
        return "in_custody", [], expected
    if roll < 0.80:
        out = ctx.days_ago(1, 540)
        return "released", [[out, None]], out
    if roll < 0.87:
        first = ctx.days_ago(500, 900)
        back = first + timedelta(days=rng.randint(30, 200))
        again = clamp(back + timedelta(days=rng.randint(60, 300)), back, today - timedelta(1))
        return "released", [[first, back], [again, None]], again
    if roll < 0.96:
        out = ctx.days_ago(60, 700)
        back = out + timedelta(days=rng.randint(14, min(365, (today - out).days - 1)))
        expected = today + timedelta(days=rng.randint(30, 500)) if ctx.chance(0.6) else None
        return "returned_to_custody", [[out, back]], expected
    out = ctx.days_ago(400, 900)
    return "closed", [[out, None]], out


def _participant_row(ctx: Seeding, person: Person) -> dict:
    """The participants row of a person."""
    facility = person.facility
    fields = {
        "given_name": person.given,
        "family_name": person.family,
        "other_names": person.other,
        # Unique per facility: the running number; the year of admission in front.
        "prison_number": f"{facility['key'].upper()}/{person.intake:%y}/{person.number:06d}",
    }
    row = ctx.record(
        person.intake,
        id=person.id,
        facility_id=facility["id"],
        date_of_birth=person.intake - timedelta(days=ctx.rng.randint(18 * 365, 60 * 365)),
        sex=person.sex,
        preferred_language=person.language,
        status=person.status,
        expected_release_date=person.expected,
        actual_release_date=person.last_release,
        search_text=search_blob(*(fields[f] for f in SEARCHED)),
        **fields,
    )
    if person.releases:
        row["updated_at"] = ctx.at(max(d for pair in person.releases for d in pair if d))
        row["version"] = 1 + sum(1 for pair in person.releases for d in pair if d)
    return row


def _officer(ctx: Seeding, facility: dict) -> str:
    """The id of one of the facility's officers."""
    return ctx.rng.choice(facility["officers"])["id"]


def _status_changes(ctx: Seeding, world: dict, person: Person):
    """Releases and returns (and now and then a transfer in) of one person."""
    facility = person.facility
    others = [
        f for f in world["facilities"] if f["country"] == person.country and f is not facility
    ]
    if others and person.status == "in_custody" and ctx.chance(0.05):
        day = clamp(
            person.intake + timedelta(days=ctx.rng.randint(30, 150)),
            person.intake,
            ctx.today - timedelta(1),
        )
        yield _change(ctx, person, "transferred", day, ctx.rng.choice(others)["id"], facility["id"])
    for out, back in person.releases:
        yield _change(ctx, person, "released", out, facility["id"], None)
        if back is not None:
            yield _change(ctx, person, "returned_to_custody", back, None, facility["id"])


def _change(ctx: Seeding, person: Person, kind: str, day: date, source, target) -> dict:
    """One status_changes row."""
    return {
        "id": ctx.new_id(),
        "participant_id": person.id,
        "kind": kind,
        "occurred_on": day,
        "from_facility_id": source,
        "to_facility_id": target,
        "note": None,
        "recorded_by_id": _officer(ctx, person.facility),
        "recorded_at": ctx.at(day),
    }


def _episodes(ctx: Seeding, person: Person):
    """One release episode per release; kept on the person for follow-ups and contacts."""
    for out, back in person.releases:
        row = ctx.record(out, participant_id=person.id, released_on=out, returned_on=back)
        if back is not None:
            row["updated_at"], row["version"] = ctx.at(back), 2
        person.episodes.append((row["id"], out, back))
        yield row


def _date_changes(ctx: Seeding, person: Person):
    """The expected release date as first set, and for some a later change with its reason."""
    if person.expected is None:
        return
    changed = ctx.chance(0.25)
    first = person.expected + timedelta(days=ctx.rng.randint(30, 200)) if changed else None
    yield _date_change(ctx, person, None, first or person.expected, None, person.intake)
    if changed:
        day = clamp(
            person.intake + timedelta(days=ctx.rng.randint(30, 300)),
            person.intake,
            min(ctx.today, person.expected),
        )
        reason = ctx.rng.choice(DATE_CHANGE_REASONS)
        yield _date_change(ctx, person, first, person.expected, reason, day)


def _date_change(ctx: Seeding, person: Person, before, after, reason, day: date) -> dict:
    """One release_date_changes row."""
    return {
        "id": ctx.new_id(),
        "participant_id": person.id,
        "previous_date": before,
        "new_date": after,
        "reason": reason,
        "changed_by_id": _officer(ctx, person.facility),
        "changed_at": ctx.at(day),
    }


def _plan_base(ctx: Seeding, person: Person) -> date | None:
    """The release day a plan was made for: the latest release, or one due within a year."""
    if person.status in ("released", "closed"):
        return person.last_release
    if person.expected and person.expected <= ctx.today + timedelta(days=365):
        return person.expected
    return None


def _plan_items(ctx: Seeding, world: dict, person: Person):
    """One item per kind, due before the release day, most done once the person is out."""
    base = _plan_base(ctx, person)
    if base is None:
        return
    for kind, offset in PLAN_OFFSETS.items():
        due = base - timedelta(days=offset)
        status = _plan_status(ctx, released=base <= ctx.today, overdue=due < ctx.today)
        done = status == "done"
        completed = clamp(due - timedelta(days=ctx.rng.randint(0, 20)), person.intake, ctx.today)
        yield ctx.record(
            clamp(due - timedelta(days=30), person.intake, ctx.today),
            participant_id=person.id,
            kind=kind,
            status=status,
            due_date=due,
            owner_organisation_id=_plan_owner(ctx, world, person, kind),
            note=None,
            completed_on=completed if done else None,
        )


def _plan_status(ctx: Seeding, released: bool, overdue: bool) -> str:
    """A plausible status for a plan item."""
    if released:
        return ctx.pick({"done": 70, "not_needed": 15, "todo": 10, "in_progress": 5})
    if overdue:
        return ctx.pick({"done": 60, "in_progress": 25, "todo": 15})
    return ctx.pick({"todo": 70, "in_progress": 25, "done": 5})


def _plan_owner(ctx: Seeding, world: dict, person: Person, kind: str) -> str | None:
    """A partner organisation owning the item, for kinds partners take on."""
    wanted = PLAN_OWNERS.get(kind)
    if wanted is None or not ctx.chance(0.5):
        return None
    if person.bench and wanted == "ngo":
        return world["bench_organisation"]["id"]
    fitting = [o for o in world["organisations"][person.country] if o["kind"] == wanted]
    return ctx.rng.choice(fitting)["id"]
