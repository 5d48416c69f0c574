"""seed-scale: trades, skills, qualifications, cohorts, enrolments, attendance, certificates."""

import math
from collections import Counter, defaultdict
from datetime import timedelta

from prog_tracker.certification.certificates import new_code
from prog_tracker.certification.models import (
    Assessment,
    Certificate,
    Qualification,
    Skill,
    qualification_skills,
)
from prog_tracker.scale_base import Seeding, clamp
from prog_tracker.scale_names import TRADES, WITHDRAWAL_REASONS
from prog_tracker.scale_people import Person
from prog_tracker.workshops.models import (
    Attendance,
    AttendanceHistory,
    Cohort,
    Enrolment,
    Trade,
    WorkshopSession,
    cohort_instructors,
)

SHARE_ENROLLED = 0.65
PEOPLE_PER_COHORT = 16
CAPACITY = 20
COHORT_DAYS = 84
SESSIONS_PER_COHORT = 12
# Running cohorts that fill up early and queue later applicants.
WAITLIST_SHARE = 0.05
ATTENDANCE = {"present": 75, "late": 8, "excused": 5, "absent": 7, "sick": 4, "refused": 1}


def seed_workshops(ctx: Seeding, world: dict, people: list[Person]) -> None:
    """The workshop catalogue, then each facility's cohorts and what happened in them."""
    trades = _catalogue(ctx)
    cohorts = [c for f in world["facilities"] for c in _cohorts(ctx, f, trades)]
    enrolments = _enrolments(ctx, cohorts, people)
    ctx.insert(Cohort, (_columns(c, Cohort) for c in cohorts))
    ctx.insert(
        cohort_instructors,
        ({"cohort_id": c["id"], "user_id": u["id"]} for c in cohorts for u in c["instructors"]),
    )
    ctx.insert(WorkshopSession, (s for c in cohorts for s in _sessions(ctx, c)))
    ctx.insert(Enrolment, (_columns(e, Enrolment) for e in enrolments))
    history: list[dict] = []
    ctx.insert(Attendance, (a for e in enrolments for a in _attendance(ctx, e, history)))
    ctx.insert(AttendanceHistory, history)
    assessments = {e["id"]: list(_assessments(ctx, e)) for e in enrolments}
    ctx.insert(Assessment, (a for rows in assessments.values() for a in rows))
    ctx.insert(
        Certificate,
        (c for e in enrolments if (c := _certificate(ctx, world, e, assessments[e["id"]]))),
    )


def _columns(row: dict, model) -> dict:
    """Only the keys of row that are columns of model's table."""
    names = model.__table__.columns.keys()
    return {k: v for k, v in row.items() if k in names}


def _catalogue(ctx: Seeding) -> list[dict]:
    """Trades with five skills each and two qualifications (level 1: three skills; 2: all)."""
    suffix = "" if ctx.batch == 1 else f" ({ctx.batch})"
    trades, skills, qualifications, links = [], [], [], []
    start = ctx.days_ago(1100, 1200)
    for name, prefix, titles, topics in TRADES:
        trade = ctx.record(start, name=name + suffix)
        trade_skills = [
            ctx.record(start, trade_id=trade["id"], code=f"{prefix}-{n:02d}", title=title)
            for n, title in enumerate(titles, start=1)
        ]
        levels = []
        for level, required in (("1", trade_skills[:3]), ("2", trade_skills)):
            qualification = ctx.record(
                start, trade_id=trade["id"], title=f"{name}, level {level}", level=level
            )
            links += [
                {"qualification_id": qualification["id"], "skill_id": s["id"]} for s in required
            ]
            levels.append(qualification | {"skill_ids": {s["id"] for s in required}})
        trades.append(trade | {"skills": trade_skills, "qualifications": levels, "topics": topics})
        skills += trade_skills
        qualifications += levels
    ctx.insert(Trade, (_columns(t, Trade) for t in trades))
    ctx.insert(Skill, skills)
    ctx.insert(Qualification, (_columns(q, Qualification) for q in qualifications))
    ctx.insert(qualification_skills, links)
    return trades


def _cohorts(ctx: Seeding, facility: dict, trades: list[dict]) -> list[dict]:
    """Enough twelve-week cohorts over the last two and a half years for the facility's people."""
    many = max(2, math.ceil(facility["people"] * SHARE_ENROLLED / PEOPLE_PER_COHORT))
    cohorts = []
    for _ in range(many):
        trade = ctx.rng.choice(trades)
        qualification = ctx.rng.choice(trade["qualifications"])
        start = ctx.days_ago(14, 900)
        cohort = ctx.record(
            start - timedelta(days=30),
            trade_id=trade["id"],
            facility_id=facility["id"],
            title=f"{trade['name']} {start:%Y-%m}",
            start_date=start,
            end_date=start + timedelta(days=COHORT_DAYS - 1),
            capacity=CAPACITY,
            qualification_id=qualification["id"],
        )
        cohorts.append(
            cohort
            | {
                "trade": trade,
                "qualification": qualification,
                "facility": facility,
                "instructors": ctx.rng.sample(facility["instructors"], 2),
            }
        )
    return cohorts


def _sessions(ctx: Seeding, cohort: dict):
    """Weekly sessions from the cohort's first day; kept on the cohort for attendance."""
    cohort["sessions"] = []
    topics = cohort["trade"]["topics"]
    for week in range(SESSIONS_PER_COHORT):
        day = cohort["start_date"] + timedelta(days=7 * week)
        row = ctx.record(
            cohort["start_date"] - timedelta(days=7),
            cohort_id=cohort["id"],
            date=day,
            topic=topics[week % len(topics)],
        )
        cohort["sessions"].append((row["id"], day))
        yield row


def _enrolments(ctx: Seeding, cohorts: list[dict], people: list[Person]) -> list[dict]:
    """About two in three people take one cohort, finished before they were first released."""
    by_facility = defaultdict(list)
    for cohort in cohorts:
        by_facility[cohort["facility"]["id"]].append(cohort)
    taken: Counter = Counter()
    rows = []
    for person in people:
        if not ctx.chance(SHARE_ENROLLED):
            continue
        limit = person.releases[0][0] if person.releases else None
        fitting = [
            c
            for c in by_facility[person.facility["id"]]
            if c["start_date"] >= person.intake and (limit is None or c["end_date"] < limit)
        ]
        if fitting:
            cohort = ctx.rng.choice(fitting)
            row = _enrolment(ctx, cohort, person, full=taken[cohort["id"]] >= cohort["capacity"])
            if row is not None:
                taken[cohort["id"]] += row["status"] != "waitlisted"
                rows.append(row)
            if row and row["status"] == "enrolled" and ctx.chance(WAITLIST_SHARE):
                cohort["capacity"] = taken[cohort["id"]]  # full now: the next one queues
    return rows


def _enrolment(ctx: Seeding, cohort: dict, person: Person, full: bool) -> dict | None:
    """One enrolment: finished cohorts completed or withdrawn, running ones enrolled or queued."""
    start, end = cohort["start_date"], cohort["end_date"]
    running = end >= ctx.today
    if full and not running:
        return None
    fields = {"status_reason": None, "waitlisted_at": None, "enrolled_on": start, "ended_on": None}
    if full:
        status = "waitlisted"
        fields |= {"waitlisted_at": ctx.at(start), "enrolled_on": None}
    elif running:
        status = "enrolled"
    elif ctx.chance(0.82):
        status, fields["ended_on"] = "completed", end
    else:
        status = "withdrawn"
        fields["status_reason"] = ctx.pick(WITHDRAWAL_REASONS)
        fields["ended_on"] = start + timedelta(days=ctx.rng.randint(7, COHORT_DAYS - 7))
    row = ctx.record(
        start - timedelta(days=10),
        cohort_id=cohort["id"],
        participant_id=person.id,
        status=status,
        **fields,
    )
    if fields["ended_on"]:
        row["updated_at"], row["version"] = ctx.at(fields["ended_on"]), 2
    return row | {"cohort": cohort, "person": person}


def _attendance(ctx: Seeding, enrolment: dict, history: list[dict]):
    """A roll for each past session the person was enrolled for; a few re-recorded."""
    if enrolment["status"] == "waitlisted":
        return
    cohort = enrolment["cohort"]
    last = min(ctx.today, enrolment["ended_on"] or ctx.today)
    recorder = cohort["instructors"][0]["id"]
    for session_id, day in cohort["sessions"]:
        if day > last:
            break
        status = ctx.pick(ATTENDANCE)
        row = ctx.record(
            day,
            session_id=session_id,
            participant_id=enrolment["participant_id"],
            status=status,
            note=None,
            recorded_at=ctx.at(day, 15),
            recorded_by_id=recorder,
        )
        if ctx.chance(0.01):
            history.append(_replaced(ctx, row))
        yield row


def _replaced(ctx: Seeding, row: dict) -> dict:
    """Turn row into a second recording; return the first one as history."""
    first = row["recorded_at"]
    row.update(
        version=2, recorded_at=first + timedelta(hours=2), updated_at=first + timedelta(hours=2)
    )
    return {
        "id": ctx.new_id(),
        "attendance_id": row["id"],
        "status": "absent",
        "note": None,
        "recorded_at": first,
        "recorded_by_id": row["recorded_by_id"],
        "version": 1,
        "replaced_at": row["recorded_at"],
        "replaced_by_id": row["recorded_by_id"],
    }


def _assessments(ctx: Seeding, enrolment: dict):
    """Skills signed off: all of them for completers, some for others."""
    cohort = enrolment["cohort"]
    share = {"completed": 1.0, "enrolled": 0.5, "withdrawn": 0.2}.get(enrolment["status"], 0)
    for skill in cohort["trade"]["skills"]:
        if not ctx.chance(share):
            continue
        day = cohort["start_date"] + timedelta(days=ctx.rng.randint(20, COHORT_DAYS - 1))
        if day > min(ctx.today, enrolment["ended_on"] or ctx.today):
            continue
        yield ctx.record(
            day,
            participant_id=enrolment["participant_id"],
            skill_id=skill["id"],
            cohort_id=cohort["id"],
            result="competent" if ctx.chance(0.88) else "not_yet_competent",
            assessed_on=day,
            assessor_id=ctx.rng.choice(cohort["instructors"])["id"],
            note=None,
        )


def _certificate(ctx: Seeding, world: dict, enrolment: dict, assessments: list[dict]):
    """A certificate for a completer whose qualification's skills were all found competent.

    Issued by the country's supervisor, who never assesses (four eyes).
    """
    cohort = enrolment["cohort"]
    competent = [a for a in assessments if a["result"] == "competent"]
    wanted = cohort["qualification"]["skill_ids"]
    evidence = [a["id"] for a in competent if a["skill_id"] in wanted]
    if enrolment["status"] != "completed" or len(evidence) < len(wanted) or ctx.chance(0.1):
        return None
    person: Person = enrolment["person"]
    issued = clamp(
        cohort["end_date"] + timedelta(days=ctx.rng.randint(3, 40)), cohort["end_date"], ctx.today
    )
    row = ctx.record(
        issued,
        participant_id=person.id,
        qualification_id=cohort["qualification_id"],
        code=new_code(),
        issued_on=issued,
        issued_by_id=_supervisor(world, person.country),
        status="valid",
        revoked_reason=None,
        revoked_on=None,
        revoked_by_id=None,
        holder_name=f"{person.given} {person.family}",
        issuer_facility_id=cohort["facility_id"],
        assessment_ids=evidence,
    )
    if ctx.chance(0.02):
        row.update(
            status="revoked",
            revoked_reason="Issued in error.",
            revoked_on=ctx.today,
            revoked_by_id=world["users"]["admin"][0]["id"],
            version=2,
        )
    return row


def _supervisor(world: dict, country: str) -> str:
    """The id of the supervisor of a country."""
    return next(u["id"] for u in world["users"]["supervisor"] if u["country"] == country)
