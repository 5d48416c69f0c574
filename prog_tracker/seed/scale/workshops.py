"""seed-scale: trades, skills, qualifications, cohorts and enrolments.

People ask for places while in custody; each prison starts a cohort of every
trade every four weeks, as many as the requests for that start need (at most
CAPACITY people each). What became of an enrolment follows from the person's
story: completed or withdrawn (security, health…) when the cohort ran its
course in custody, withdrawn `released` or `transferred` when the person left
during it, enrolled or waitlisted while it runs.
"""

import math
from datetime import date

from prog_tracker.certification.models import Qualification, Skill, qualification_skills
from prog_tracker.seed.scale.base import NO_TRANSLATIONS, RECORD, Seeding, bag
from prog_tracker.seed.scale.names import TRADES, WITHDRAWAL_REASONS
from prog_tracker.seed.scale.people import Person
from prog_tracker.seed.scale.training import seed_training
from prog_tracker.workshops.models import Cohort, Enrolment, Trade, cohort_instructors

CAPACITY = 20
COHORT_DAYS = 84
# Cohorts of a trade start every four weeks in each big prison (less often in small
# ones), on a Monday, with about TYPICAL_SIZE people.
PERIOD = 28
TYPICAL_SIZE = 16
# How many cohorts a person takes during their time inside (about one on average).
ENROLMENTS = bag({0: 22, 1: 56, 2: 22})
# Share of people released during a course they had started.
RELEASED_MID_COURSE = 0.08
COMPLETED = 0.82
WITHDRAWALS = bag(WITHDRAWAL_REASONS)
COHORT_COLUMNS = (
    *RECORD,
    "trade_id",
    "facility_id",
    "title",
    "start_date",
    "end_date",
    "capacity",
    "qualification_id",
    "titles",
)
ENROLMENT_COLUMNS = (
    *RECORD,
    "cohort_id",
    "participant_id",
    "status",
    "status_reason",
    "waitlisted_at",
    "enrolled_on",
    "ended_on",
)


class Place:
    """One enrolment: who, in which cohort, how it stands, and until when they attended."""

    __slots__ = ("cohort", "ended", "id", "person", "reason", "status")

    def __init__(self, cohort: dict, person: Person, status: str, reason, ended):
        self.cohort, self.person, self.id = cohort, person, ""
        self.status, self.reason, self.ended = status, reason, ended


def seed_workshops(ctx: Seeding, world: dict, people: list[Person]) -> None:
    """The workshop catalogue, the cohorts people asked for, and what happened in them."""
    trades = _catalogue(ctx)
    buckets = _requests(ctx, world, trades, people)
    cohorts = [c for key in sorted(buckets) for c in _cohorts(ctx, *buckets[key])]
    ctx.insert(Cohort, COHORT_COLUMNS, (c["row"] for c in cohorts))
    ctx.insert(
        cohort_instructors,
        ("cohort_id", "user_id"),
        ((c["id"], u["id"]) for c in cohorts for u in c["instructors"]),
    )
    places = [p for c in cohorts for p in c["places"]]
    ctx.insert(Enrolment, ENROLMENT_COLUMNS, (_enrolment_row(ctx, p) for p in places))
    seed_training(ctx, world, cohorts, places)


def _catalogue(ctx: Seeding) -> list[dict]:
    """Trades with five skills each and two qualifications (level 1: three skills; 2: all)."""
    suffix = "" if ctx.batch == 1 else f" ({ctx.batch})"
    trades, skills, qualifications, links = [], [], [], []
    start = ctx.days_ago(1100, 1200)
    for name, code, titles, topics in TRADES:
        trade = (*ctx.meta(start), name + suffix, NO_TRANSLATIONS)
        trade_skills = [
            (*ctx.meta(start), trade[0], f"{code}-{n:02d}", title, NO_TRANSLATIONS)
            for n, title in enumerate(titles, start=1)
        ]
        levels = []
        for level, required in (("1", trade_skills[:3]), ("2", trade_skills)):
            qualification = (
                *ctx.meta(start),
                trade[0],
                f"{name}, level {level}",
                level,
                NO_TRANSLATIONS,
            )
            links += [(qualification[0], s[0]) for s in required]
            qualifications.append(qualification)
            levels.append({"id": qualification[0], "skill_ids": {s[0] for s in required}})
        skills += trade_skills
        trades.append(
            {
                "id": trade[0],
                "row": trade,
                "name": name,
                "code": code,
                "skill_ids": [s[0] for s in trade_skills],
                "qualifications": levels,
                "topics": topics,
            }
        )
    ctx.insert(Trade, (*RECORD, "name", "names"), (t["row"] for t in trades))
    ctx.insert(Skill, (*RECORD, "trade_id", "code", "title", "titles"), skills)
    ctx.insert(Qualification, (*RECORD, "trade_id", "title", "level", "titles"), qualifications)
    ctx.insert(qualification_skills, ("qualification_id", "skill_id"), links)
    return trades


def _requests(ctx: Seeding, world: dict, trades: list[dict], people: list[Person]) -> dict:
    """{(prison, start day, trade): (prison, trade, start day, [(person, kind)])}: the places
    people asked for, by the cohort start they fit."""
    # The latest start, from which the others are counted back: the Monday four weeks
    # ago (a cohort that has a record to show, and runs today).
    latest = ctx.today - date.fromordinal(ctx.today).weekday() - PERIOD
    for facility in world["facilities"]:
        facility["starts"] = (latest, _period(facility["people"]))
    buckets: dict = {}
    for person in people:
        for facility, start, kind in _wishes(ctx, person):
            if start <= latest:
                trade = ctx.pick(trades)
                key = (facility["key"], start, trade["code"])
                buckets.setdefault(key, (facility, trade, start, []))[3].append((person, kind))
    return buckets


def _period(people: int) -> int:
    """Days between cohort starts of a trade: every four weeks in a big prison, less often
    in a small one, so that cohorts stay near TYPICAL_SIZE."""
    # Requests spread over about 45 start days per trade (measured), five trades.
    per_start = max(1.0, people / (5 * 45))
    return PERIOD * max(1, min(12, round(TYPICAL_SIZE / per_start)))


def _start(facility: dict, day: int) -> int:
    """The last cohort start of the prison on or before day."""
    latest, period = facility["starts"]
    return latest + period * ((day - latest) // period)


def _wishes(ctx: Seeding, person: Person):
    """(facility, cohort start, kind) of each course a person began, none overlapping."""
    begin = person.transfer[0] if person.transfer else person.intake
    release = person.first_release
    limit = release or ctx.today  # the day their custody ended (or today)
    if person.transfer and ctx.chance(0.5):  # left a course when moved here
        day, source = person.transfer
        start = _start(source, day - 14)
        if start >= person.intake and start + COHORT_DAYS > day:
            yield source, start, "transfer"
    facility, period = person.facility, person.facility["starts"][1]
    free = begin  # the first day they could begin another course
    for _ in range(ctx.pick(ENROLMENTS)):
        earliest = free + (7 if free == begin else ctx.between(14, 120))
        # Most finished a course before release when they had the time; those still
        # inside may be in the middle of one.
        room = release and limit - earliest > COHORT_DAYS + 7
        latest = limit - COHORT_DAYS if room else limit - 7
        if latest < earliest:
            return
        start = _start(facility, ctx.between(earliest, latest))
        while start < free:
            start += period
        if start >= limit:
            return
        free = start + COHORT_DAYS
        yield facility, start, "regular"
    if release and not person.bench and ctx.chance(RELEASED_MID_COURSE):
        start = _start(facility, release - ctx.between(30, 75))
        if start >= free and start + COHORT_DAYS > release:
            yield facility, start, "regular"


def _cohorts(ctx: Seeding, facility: dict, trade: dict, start: int, requests: list) -> list:
    """The cohorts of one prison, trade and start day, sharing its requests."""
    many = math.ceil(len(requests) / CAPACITY)
    size = math.ceil(len(requests) / many)
    cohorts = []
    for index in range(many):
        cohort = _cohort(ctx, facility, trade, start, index)
        members = requests[index * size : (index + 1) * size]
        cohort["places"] = [_place(ctx, cohort, person, kind) for person, kind in members]
        _queue(ctx, cohort)
        cohort["row"] = _cohort_row(ctx, cohort)
        cohorts.append(cohort)
    return cohorts


def _cohort(ctx: Seeding, facility: dict, trade: dict, start: int, index: int) -> dict:
    """One cohort (its row is written once its places are known)."""
    title = f"{trade['name']} {date.fromordinal(start):%Y-%m}"
    return {
        "id": ctx.new_id(),
        "title": title if not index else f"{title} ({'BCDEFGH'[index - 1]})",
        "trade": trade,
        "qualification": ctx.pick(trade["qualifications"]),
        "facility": facility,
        "start": start,
        "end": start + COHORT_DAYS - 1,
        "capacity": CAPACITY,
        "instructors": ctx.rng.sample(facility["instructors"], 2),
    }


def _place(ctx: Seeding, cohort: dict, person: Person, kind: str) -> Place:
    """How a person's place in a cohort ended (or stands today)."""
    start, end = cohort["start"], cohort["end"]
    if kind == "transfer":
        return Place(cohort, person, "withdrawn", "transferred", person.transfer[0])
    release = person.first_release
    if release is not None and release <= end:
        return Place(cohort, person, "withdrawn", "released", release)
    if end >= ctx.today:
        return Place(cohort, person, "enrolled", None, None)
    if ctx.chance(COMPLETED):
        return Place(cohort, person, "completed", None, end)
    ended = start + ctx.between(7, COHORT_DAYS - 7)
    return Place(cohort, person, "withdrawn", ctx.pick(WITHDRAWALS), ended)


def _queue(ctx: Seeding, cohort: dict) -> None:
    """Now and then a running cohort is full and its last applicants wait for a place."""
    places = cohort["places"]
    running = [p for p in places if p.status == "enrolled"]
    if len(running) < 4 or not ctx.chance(0.3):
        return
    waiting = ctx.between(1, 3)
    for place in running[-waiting:]:
        place.status = "waitlisted"
    cohort["capacity"] = len(running) - waiting


def _cohort_row(ctx: Seeding, cohort: dict) -> tuple:
    """The cohorts row."""
    written = ctx.stamp(cohort["start"] - 30)
    return (
        cohort["id"],
        written,
        written,
        1,
        cohort["trade"]["id"],
        cohort["facility"]["id"],
        cohort["title"],
        ctx.day(cohort["start"]),
        ctx.day(cohort["end"]),
        cohort["capacity"],
        cohort["qualification"]["id"],
        NO_TRANSLATIONS,
    )


def _enrolment_row(ctx: Seeding, place: Place) -> tuple:
    """The enrolments row of a place (its id is kept for attendance and assessments)."""
    start = place.cohort["start"]
    place.id, written, updated, version = ctx.meta(start - ctx.between(5, 20))
    waitlisted = place.status == "waitlisted"
    if place.ended is not None:
        updated, version = ctx.stamp(place.ended), 2
    return (
        place.id,
        written,
        updated,
        version,
        place.cohort["id"],
        place.person.id,
        place.status,
        place.reason,
        written if waitlisted else None,
        None if waitlisted else ctx.day(start),
        ctx.day(place.ended) if place.ended is not None else None,
    )
