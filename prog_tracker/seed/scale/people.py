"""seed-scale: participants, their custody histories, release episodes and release plans."""

from datetime import date

from prog_tracker.core.text import search_blob
from prog_tracker.participants.matching.keys import key_rows
from prog_tracker.participants.matching.models import ParticipantMatchKey
from prog_tracker.participants.models import Participant, ReleaseDateChange
from prog_tracker.release.models import ReleaseEpisode, ReleasePlanItem, StatusChange
from prog_tracker.seed.scale.base import RECORD, Seeding, bag, clamp
from prog_tracker.seed.scale.names import COUNTRY_SHARE, DATE_CHANGE_REASONS, LOCALES, NAME_POOLS

# People of the benchmark organisation: 50 it sees and 13 it must not (see scale/aftercare.py).
BENCH_PEOPLE = 63
# Which kind of partner usually owns a plan item of a kind.
PLAN_OWNERS = {
    "housing": "ngo",
    "ngo_referral": "ngo",
    "employment": "employer",
    "education": "training_provider",
}
# How the plan of someone already released stood on the release day: all items done
# (or not needed) in time, some done only after release, or some never done.
PLAN_OUTCOMES = bag({"ready": 50, "late": 30, "open": 20})
SEXES = bag({"male": 85, "female": 13, "other": 1, "undisclosed": 1})
PARTICIPANT_COLUMNS = (
    *RECORD,
    "facility_id",
    "prison_number",
    "given_name",
    "family_name",
    "other_names",
    "date_of_birth",
    "sex",
    "preferred_language",
    "status",
    "expected_release_date",
    "actual_release_date",
    "search_text",
    "number_search_text",
)
CHANGE_COLUMNS = (
    "id",
    "participant_id",
    "kind",
    "occurred_on",
    "from_facility_id",
    "to_facility_id",
    "recorded_by_id",
    "recorded_at",
)
EPISODE_COLUMNS = (*RECORD, "participant_id", "released_on", "returned_on")
DATE_CHANGE_COLUMNS = (
    "id",
    "participant_id",
    "previous_date",
    "new_date",
    "reason",
    "changed_by_id",
    "changed_at",
)
PLAN_COLUMNS = (
    *RECORD,
    "participant_id",
    "kind",
    "status",
    "due_date",
    "owner_organisation_id",
    "completed_on",
)


class Person:
    """What later steps need to know about one synthetic participant (days as ordinals)."""

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
        "transfer",
    )

    @property
    def country(self) -> str:
        """The country of the person's facility."""
        return self.facility["country"]

    @property
    def last_release(self) -> int | None:
        """The day of the latest release, if any."""
        return self.releases[-1][0] if self.releases else None

    @property
    def first_release(self) -> int | None:
        """The day of the first release, if any."""
        return self.releases[0][0] if self.releases else None


def seed_people(ctx: Seeding, world: dict, total: int) -> list[Person]:
    """Participants with histories, episodes, date changes and plan items."""
    people = []
    for facility, count in _allocation(world["facilities"], total):
        facility["people"] = count
        bench = BENCH_PEOPLE if facility is world["facilities"][0] else 0
        people.extend(_person(ctx, world, facility, n, n <= bench) for n in range(1, count + 1))
    rows = [_participant_row(ctx, p) for p in people]
    ctx.insert(Participant, PARTICIPANT_COLUMNS, rows)
    ctx.insert(ParticipantMatchKey, ("participant_id", "key"), _match_keys(rows))
    ctx.insert(StatusChange, CHANGE_COLUMNS, (r for p in people for r in _status_changes(ctx, p)))
    ctx.insert(ReleaseEpisode, EPISODE_COLUMNS, (r for p in people for r in _episodes(ctx, p)))
    ctx.insert(
        ReleaseDateChange, DATE_CHANGE_COLUMNS, (r for p in people for r in _date_changes(ctx, p))
    )
    ctx.insert(
        ReleasePlanItem, PLAN_COLUMNS, (r for p in people for r in _plan_items(ctx, world, p))
    )
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


def _person(ctx: Seeding, world: dict, facility: dict, number: int, bench: bool) -> Person:
    """One person: name in their country's scripts, and a custody story."""
    person = Person()
    person.id, person.facility, person.bench, person.number = ctx.new_id(), facility, bench, number
    pools = NAME_POOLS[facility["country"]]
    pool = ctx.rng.choices([p for p, _ in pools], weights=[w for _, w in pools])[0]
    person.sex = ctx.pick(SEXES)
    female = person.sex == "female"
    person.given = ctx.pick(pool["female" if female else "male"])
    person.family = ctx.pick(pool["family"])[1 if female else 0]
    person.other = ctx.pick(pool["male"]) if ctx.chance(0.12) else None
    person.language = ctx.pick(LOCALES[facility["country"]])
    person.status, person.releases, person.expected = _story(ctx, bench)
    person.intake = (person.first_release or ctx.today) - ctx.between(200, 1400)
    person.episodes = []
    person.transfer = _transfer(ctx, world, person)
    return person


def _story(ctx: Seeding, bench: bool):
    """(status, [(released_on, returned_on), ...], expected_release_date) for one person."""
    today = ctx.today
    if bench:
        out = ctx.days_ago(20, 400)
        return "released", [(out, None)], out
    roll = ctx.random()
    if roll < 0.45:
        expected = today + ctx.between(1, 720) if ctx.chance(0.75) else None
        return "in_custody", [], expected
    if roll < 0.80:
        out = ctx.days_ago(1, 540)
        return "released", [(out, None)], out
    if roll < 0.87:
        first = ctx.days_ago(500, 900)
        back = first + ctx.between(30, 200)
        again = clamp(back + ctx.between(60, 300), back, today - 1)
        return "released", [(first, back), (again, None)], again
    if roll < 0.96:
        out = ctx.days_ago(60, 700)
        back = out + ctx.between(14, min(365, today - out - 1))
        expected = today + ctx.between(30, 500) if ctx.chance(0.6) else None
        return "returned_to_custody", [(out, back)], expected
    out = ctx.days_ago(400, 900)
    return "closed", [(out, None)], out


def _transfer(ctx: Seeding, world: dict, person: Person):
    """For some, (day, facility) of a transfer in from another prison of the country."""
    if person.bench or not ctx.chance(0.06):
        return None
    others = [f for f in world["facilities"] if f["country"] == person.country]
    others.remove(person.facility)
    day = person.intake + ctx.between(60, 240)
    if not others or day >= (person.first_release or ctx.today) - 120:
        return None
    return day, ctx.pick(others)


def _participant_row(ctx: Seeding, person: Person) -> tuple:
    """The participants row of a person."""
    facility = person.facility
    year = date.fromordinal(person.intake).year % 100
    # Unique per facility: the running number; the year of admission in front.
    number = f"{facility['key'].upper()}/{year:02d}/{person.number:06d}"
    written = ctx.stamp(person.intake)
    changes = [d for pair in person.releases for d in pair if d]
    updated = ctx.stamp(max(changes)) if changes else written
    return (
        person.id,
        written,
        updated,
        1 + len(changes),
        facility["id"],
        number,
        person.given,
        person.family,
        person.other,
        ctx.day(person.intake - ctx.between(18 * 365, 60 * 365)),
        person.sex,
        person.language,
        person.status,
        ctx.day(person.expected) if person.expected else None,
        ctx.day(person.last_release) if person.releases else None,
        search_blob(person.given, person.family, person.other),
        search_blob(number),
    )


def _match_keys(rows: list[tuple]):
    """The matcher's blocking keys of the participants rows (as the services write them)."""
    index = {name: n for n, name in enumerate(PARTICIPANT_COLUMNS)}
    fields = ("id", "given_name", "family_name", "other_names", "sex", "prison_number",
              "facility_id")  # fmt: skip
    for row in rows:
        person = {name: row[index[name]] for name in fields}
        person["date_of_birth"] = date.fromisoformat(row[index["date_of_birth"]])
        yield from key_rows((person,))


def _officer(ctx: Seeding, facility: dict) -> str:
    """The id of one of the facility's officers."""
    return ctx.pick(facility["officers"])["id"]


def _status_changes(ctx: Seeding, person: Person):
    """A transfer in for some, then each release and return of one person."""
    here = person.facility["id"]
    if person.transfer:
        day, source = person.transfer
        yield _change(ctx, person, "transferred", day, source["id"], here)
    for out, back in person.releases:
        yield _change(ctx, person, "released", out, here, None)
        if back is not None:
            yield _change(ctx, person, "returned_to_custody", back, None, here)


def _change(ctx: Seeding, person: Person, kind: str, day: int, source, target) -> tuple:
    """One status_changes row."""
    officer = _officer(ctx, person.facility)
    return (ctx.new_id(), person.id, kind, ctx.day(day), source, target, officer, ctx.stamp(day))


def _episodes(ctx: Seeding, person: Person):
    """One release episode per release; kept on the person for follow-ups and contacts."""
    for out, back in person.releases:
        episode_id, written, _, _ = ctx.meta(out)
        updated, version = (ctx.stamp(back), 2) if back is not None else (written, 1)
        person.episodes.append((episode_id, out, back))
        returned = ctx.day(back) if back is not None else None
        yield (episode_id, written, updated, version, person.id, ctx.day(out), returned)


def _date_changes(ctx: Seeding, person: Person):
    """The expected release date as first set, and for some a later change with its reason."""
    if person.expected is None:
        return
    changed = ctx.chance(0.25)
    first = person.expected + ctx.between(30, 200) if changed else person.expected
    yield _date_change(ctx, person, None, first, None, person.intake)
    if changed:
        latest = min(ctx.today, person.expected)
        day = clamp(person.intake + ctx.between(30, 300), person.intake, latest)
        reason = ctx.pick(DATE_CHANGE_REASONS)
        yield _date_change(ctx, person, first, person.expected, reason, day)


def _date_change(ctx: Seeding, person: Person, before, after, reason, day: int) -> tuple:
    """One release_date_changes row."""
    return (
        ctx.new_id(),
        person.id,
        ctx.day(before) if before else None,
        ctx.day(after),
        reason,
        _officer(ctx, person.facility),
        ctx.stamp(day),
    )


def _plan_base(ctx: Seeding, person: Person) -> int | None:
    """The release day a plan was made for: one due within a year, else the latest release."""
    custody = person.status in ("in_custody", "returned_to_custody")
    if custody and person.expected and person.expected <= ctx.today + 365:
        return person.expected
    return person.last_release


def _plan_items(ctx: Seeding, world: dict, person: Person):
    """One item per kind of the configured template, due before the release day."""
    base = _plan_base(ctx, person)
    if base is None or not ctx.plan_template:
        return
    states = _released_plan(ctx, base) if base <= ctx.today else _open_plan(ctx, base)
    for (kind, offset), (status, completed) in zip(ctx.plan_template.items(), states, strict=True):
        due = base - offset
        written = ctx.stamp(clamp(due - 30, person.intake, ctx.today))
        updated = ctx.stamp(completed) if completed else written
        yield (
            ctx.new_id(),
            written,
            updated,
            2 if completed else 1,
            person.id,
            kind,
            status,
            ctx.day(due),
            _plan_owner(ctx, world, person, kind),
            ctx.day(completed) if completed else None,
        )


def _released_plan(ctx: Seeding, release: int) -> list[tuple]:
    """(status, completed_on) per item of the plan of someone released on `release`."""
    outcome = ctx.pick(PLAN_OUTCOMES)
    kinds = len(ctx.plan_template)
    behind: set[int] = set()
    if outcome != "ready":
        behind = set(ctx.rng.sample(range(kinds), ctx.between(1, min(3, kinds))))
    states = []
    for index, offset in enumerate(ctx.plan_template.values()):
        if index in behind and outcome == "open":
            states.append((ctx.pick(("todo", "in_progress")), None))
        elif index in behind:  # done, but only after the release day
            states.append(("done", min(ctx.today, release + ctx.between(1, 45))))
        elif ctx.chance(0.12):
            states.append(("not_needed", None))
        else:
            states.append(("done", release - offset + ctx.between(-20, offset)))
    return states


def _open_plan(ctx: Seeding, release: int) -> list[tuple]:
    """(status, completed_on) per item of a plan for a release still to come."""
    states = []
    for offset in ctx.plan_template.values():
        due = release - offset
        roll = ctx.random()
        if roll < (0.6 if due < ctx.today else 0.05):
            states.append(("done", min(ctx.today, due - ctx.between(0, 20))))
        elif roll < (0.85 if due < ctx.today else 0.3):
            states.append(("in_progress", None))
        else:
            states.append(("todo", None))
    return states


def _plan_owner(ctx: Seeding, world: dict, person: Person, kind: str) -> str | None:
    """A partner organisation owning the item, for kinds partners take on."""
    wanted = PLAN_OWNERS.get(kind)
    if wanted is None or not ctx.chance(0.5):
        return None
    if person.bench and wanted == "ngo":
        return world["bench_organisation"]["id"]
    fitting = [o for o in world["organisations"][person.country] if o["kind"] == wanted]
    return ctx.pick(fitting)["id"]
