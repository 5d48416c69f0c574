"""seed-scale: the sessions of each cohort, their rolls, assessments and certificates."""

import json

from prog_tracker.certification.certificates import ALPHABET, CODE_CHARS
from prog_tracker.certification.models import Assessment, Certificate
from prog_tracker.seed.scale.base import RECORD, TIMES, Seeding, bag
from prog_tracker.workshops.models import Attendance, AttendanceHistory, WorkshopSession

# Three sessions a week (Monday, Wednesday, Friday) for twelve weeks.
SESSION_DAYS = tuple(7 * week + day for week in range(12) for day in (0, 2, 4))
# Attendance habits: most people come, a few often miss.
HABITS = (
    bag({"present": 85, "late": 6, "excused": 3, "absent": 3, "sick": 2, "refused": 1}),
    bag({"present": 74, "late": 9, "excused": 5, "absent": 7, "sick": 4, "refused": 1}),
    bag({"present": 55, "late": 10, "excused": 6, "absent": 18, "sick": 6, "refused": 5}),
)
HABIT_SHARES = bag({0: 45, 1: 40, 2: 15})
# Rolls are taken in the afternoon (minute of the day).
ROLL_MINUTE = 15 * 60
RERECORDED = 0.01
FIRST_TRY_COMPETENT = 0.75
SECOND_TRY_COMPETENT = 0.85
# Share of the skills of their trade assessed for people who did not complete.
PARTLY_ASSESSED = 0.5
SESSION_COLUMNS = (*RECORD, "cohort_id", "date", "topic")
ATTENDANCE_COLUMNS = (
    *RECORD,
    "session_id",
    "participant_id",
    "status",
    "recorded_at",
    "recorded_by_id",
)
HISTORY_COLUMNS = (
    "id",
    "attendance_id",
    "status",
    "recorded_at",
    "recorded_by_id",
    "version",
    "replaced_at",
    "replaced_by_id",
)
ASSESSMENT_COLUMNS = (
    *RECORD,
    "participant_id",
    "skill_id",
    "cohort_id",
    "result",
    "assessed_on",
    "assessor_id",
)
CERTIFICATE_COLUMNS = (
    *RECORD,
    "participant_id",
    "qualification_id",
    "code",
    "issued_on",
    "issued_by_id",
    "status",
    "revoked_reason",
    "revoked_on",
    "revoked_by_id",
    "holder_name",
    "issuer_facility_id",
    "assessment_ids",
)


def seed_training(ctx: Seeding, world: dict, cohorts: list[dict], places: list) -> None:
    """Sessions, then rolls (a few re-recorded), then assessments and the certificates earned."""
    ctx.insert(WorkshopSession, SESSION_COLUMNS, (r for c in cohorts for r in _sessions(ctx, c)))
    history: list[tuple] = []
    rolls = (r for c in cohorts for r in _attendance(ctx, c, history))
    ctx.insert(Attendance, ATTENDANCE_COLUMNS, rolls)
    ctx.insert(AttendanceHistory, HISTORY_COLUMNS, history)
    certificates: list[tuple] = []
    assessed = (r for p in places for r in _assessments(ctx, world, p, certificates))
    ctx.insert(Assessment, ASSESSMENT_COLUMNS, assessed)
    ctx.insert(Certificate, CERTIFICATE_COLUMNS, certificates)


def _sessions(ctx: Seeding, cohort: dict):
    """The cohort's sessions, planned a week ahead; kept on the cohort for the rolls."""
    topics = cohort["trade"]["topics"]
    written = ctx.stamp(cohort["start"] - 7)
    cohort["sessions"] = sessions = []
    for number, offset in enumerate(SESSION_DAYS):
        day = cohort["start"] + offset
        topic = topics[number // 3 % len(topics)]
        row = (ctx.new_id(), written, written, 1, cohort["id"], ctx.day(day), topic)
        sessions.append((row[0], day))
        yield row


def _last_day(ctx: Seeding, place) -> int:
    """The last day a person was in the cohort: its end, the eve of leaving, or yesterday."""
    if place.status == "completed":
        return place.cohort["end"]
    if place.status == "withdrawn":
        return place.ended - 1
    return ctx.today - 1


def _attendance(ctx: Seeding, cohort: dict, history: list):
    """The roll of each past session: one row per person in the cohort that day."""
    recorder = cohort["instructors"][0]["id"]
    roll = [
        (p.person.id, _last_day(ctx, p), HABITS[ctx.pick(HABIT_SHARES)])
        for p in cohort["places"]
        if p.status != "waitlisted"
    ]
    random, new_id = ctx.random, ctx.new_id
    for session_id, day in cohort["sessions"]:
        if day >= ctx.today:
            return
        minute = ROLL_MINUTE + int(random() * 60)
        taken = ctx.day(day) + TIMES[minute]
        for person_id, last, habit in roll:
            if day <= last:
                status = habit[int(random() * len(habit))]
                row = (new_id(), taken, taken, 1, session_id, person_id, status, taken, recorder)
                if random() < RERECORDED:
                    row = _rerecorded(ctx, row, minute, history)
                yield row


def _rerecorded(ctx: Seeding, row: tuple, minute: int, history: list) -> tuple:
    """row recorded again two hours later; its first value goes to the history."""
    again = row[1][:10] + TIMES[minute + 120]
    first = "absent" if row[6] != "absent" else "present"
    history.append((ctx.new_id(), row[0], first, row[7], row[8], 1, again, row[8]))
    return (row[0], row[1], again, 2, *row[4:7], again, row[8])


def _assessments(ctx: Seeding, world: dict, place, certificates: list):
    """Skills signed off (every one for completers, some for others), retried when not yet
    competent; a completer who passed their qualification's skills gets its certificate."""
    if place.status == "waitlisted":
        return
    completer = place.status == "completed"
    last = _last_day(ctx, place)
    retry_until = min(last + 21 if completer else last, ctx.today - 1)
    competent: dict[str, tuple[str, int]] = {}  # skill: (assessment id, day)
    course_days = place.cohort["end"] - place.cohort["start"]
    for skill_id in place.cohort["trade"]["skill_ids"]:
        if not completer and not ctx.chance(PARTLY_ASSESSED):
            continue
        day = place.cohort["start"] + ctx.between(28 if completer else 14, course_days)
        passed = ctx.chance(FIRST_TRY_COMPETENT)
        if day > last:
            continue
        yield _assessment(ctx, place, skill_id, day, passed, competent)
        day += ctx.between(7, 21)
        if not passed and day <= retry_until:
            passed = ctx.chance(SECOND_TRY_COMPETENT)
            yield _assessment(ctx, place, skill_id, day, passed, competent)
    if completer:
        certificate = _certificate(ctx, world, place, competent)
        if certificate:
            certificates.append(certificate)


def _assessment(ctx: Seeding, place, skill_id: str, day: int, passed: bool, competent) -> tuple:
    """One assessments row by one of the cohort's instructors (noted in competent if passed)."""
    cohort = place.cohort
    row = (
        *ctx.meta(day),
        place.person.id,
        skill_id,
        cohort["id"],
        "competent" if passed else "not_yet_competent",
        ctx.day(day),
        ctx.pick(cohort["instructors"])["id"],
    )
    if passed:
        competent[skill_id] = (row[0], day)
    return row


def _certificate(ctx: Seeding, world: dict, place, competent: dict) -> tuple | None:
    """The certificate of the cohort's qualification, issued by the country's supervisor,
    who assesses no one (four eyes); a few were revoked later."""
    cohort = place.cohort
    wanted = cohort["qualification"]["skill_ids"]
    if not wanted <= competent.keys():
        return None
    evidence = [competent[s] for s in cohort["trade"]["skill_ids"] if s in wanted]
    # After the course, and after the last assessment it rests on (a re-sit may come later).
    issued = max(cohort["end"], *(day for _, day in evidence)) + ctx.between(3, 40)
    if issued >= ctx.today or ctx.chance(0.08):
        return None
    person = place.person
    written = ctx.stamp(issued)
    revocation = (written, 1, "valid", None, None, None)
    if ctx.chance(0.02):
        day = ctx.between(issued + 1, ctx.today)
        admin = world["users"]["admin"][0]["id"]
        revocation = (ctx.stamp(day), 2, "revoked", "Issued in error.", ctx.day(day), admin)
    updated, version, status, reason, revoked_on, revoked_by = revocation
    return (
        ctx.new_id(),
        written,
        updated,
        version,
        person.id,
        cohort["qualification"]["id"],
        _code(ctx),
        ctx.day(issued),
        _supervisor(world, person.country),
        status,
        reason,
        revoked_on,
        revoked_by,
        " ".join(part for part in (person.given, person.other, person.family) if part),
        cohort["facility"]["id"],
        json.dumps([assessment_id for assessment_id, _ in evidence]),
    )


def _code(ctx: Seeding) -> str:
    """A certificate code in the app's form (7Q2K-9XMD-4HT0-BV3R), from the seeded source."""
    bits = ctx.rng.getrandbits(5 * CODE_CHARS)
    raw = "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(CODE_CHARS))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_CHARS, 4))


def _supervisor(world: dict, country: str) -> str:
    """The id of the supervisor of a country."""
    return next(u["id"] for u in world["users"]["supervisor"] if u["country"] == country)
