"""The rules for sessions and attendance: within the cohort's dates, only its people."""

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from prog_tracker.auth.models import User
from prog_tracker.core import audit, creates, policy
from prog_tracker.core.dates import today_at
from prog_tracker.core.errors import rule_error, validation_error
from prog_tracker.core.models import utcnow
from prog_tracker.extensions import db
from prog_tracker.workshops.models import (
    Attendance,
    AttendanceHistory,
    Cohort,
    Enrolment,
    WorkshopSession,
)


@creates.replayable("session", "session.create")
def create_session(actor: User, cohort: Cohort, data: dict) -> WorkshopSession:
    """Plan a session on a day within the cohort's dates."""
    policy.require(actor, "session.manage", cohort)
    claim = creates.claim(actor, "session", data, "session.create")
    if claim.earlier is not None:
        return claim.earlier
    if not cohort.start_date <= data["date"] <= cohort.end_date:
        raise rule_error(
            "outside_cohort_dates",
            _l("Sessions must fall within the cohort's dates."),
            fields={"date": [_l("Choose a day between the cohort's start and end.")]},
        )
    session = WorkshopSession(cohort_id=cohort.id, **data)
    claim.keep(session)
    db.session.add(session)
    db.session.flush()
    audit.record("session.create", "session", [session.id], actor_id=actor.id)
    db.session.commit()
    return session


def cohort_sessions(cohort: Cohort):
    """A SELECT of a cohort's sessions in date order."""
    return (
        select(WorkshopSession)
        .where(WorkshopSession.cohort_id == cohort.id)
        .order_by(WorkshopSession.date, WorkshopSession.created_at, WorkshopSession.id)
    )


def sessions_of(cohort: Cohort) -> list[WorkshopSession]:
    """A cohort's sessions in date order."""
    return list(db.session.scalars(cohort_sessions(cohort)))


def roll_counts(sessions: list[WorkshopSession]) -> dict[str, int]:
    """session_id -> how many attendance lines are recorded."""
    if not sessions:
        return {}
    rows = db.session.execute(
        select(Attendance.session_id, func.count(Attendance.id))
        .where(Attendance.session_id.in_([s.id for s in sessions]))
        .group_by(Attendance.session_id)
    )
    return {row[0]: row[1] for row in rows}


# The statuses of a place given (not only queued for); the field app's onRoll
# (static/app/rules.js) lists the same ones.
ROLL_STATUSES = ("enrolled", "completed", "withdrawn")


def on_roll(enrolment: Enrolment, day: dt.date) -> bool:
    """Whether an enrolment puts its person on the cohort's roll on day.

    They were given a place (not only waitlisted) and had not left before
    day: a withdrawal or completion on that day still counts. enrolled_on is
    not compared with day: someone enrolled after a session may be marked at it.
    tests/data/roll_cases.json holds this rule to the field app's copy.
    """
    return (
        enrolment.status in ROLL_STATUSES
        and enrolment.enrolled_on is not None
        and (enrolment.ended_on is None or enrolment.ended_on >= day)
    )


def attending_enrolments(session: WorkshopSession) -> dict[str, Enrolment]:
    """participant_id -> enrolment, for the people who may be marked at a session (on_roll)."""
    # SQL narrows to places given; on_roll then judges each against the day.
    rows = db.session.scalars(
        select(Enrolment).where(
            Enrolment.cohort_id == session.cohort_id,
            Enrolment.status.in_(ROLL_STATUSES),
            Enrolment.enrolled_on.is_not(None),
        )
    )
    return {e.participant_id: e for e in rows if on_roll(e, session.date)}


def record_attendance(actor: User, session: WorkshopSession, records: list[dict], at=None):
    """Save a whole roll at once; a second recording replaces the first, kept in history.

    Nothing is saved when any line breaks a rule, so a roll is never half
    written. `at` is when the roll was taken (sync sends the device's time).
    """
    policy.require(actor, "attendance.record", session.cohort)
    if session.date > today_at(session.cohort.facility):
        raise rule_error(
            "session_in_future", _l("Attendance can be recorded only once the session has begun.")
        )
    _check_roll(session, records)
    existing = _existing_attendance(session)
    saved = []
    for line in records:
        row = existing.get(line["participant_id"])
        saved.append(_save_line(actor, session, row, line, at or utcnow()))
    db.session.flush()
    audit.record("attendance.record", "attendance", [row.id for row in saved], actor_id=actor.id)
    db.session.commit()
    return saved


def _check_roll(session: WorkshopSession, records: list[dict]) -> None:
    """Every line names a different person who may be marked at this session."""
    allowed = attending_enrolments(session)
    errors, seen = {}, set()
    for index, line in enumerate(records):
        pid = line["participant_id"]
        if pid in seen:
            errors[index] = {"participant_id": [_l("This person is listed twice.")]}
        elif pid not in allowed:
            errors[index] = {"participant_id": [_l("Not enrolled in this cohort on that day.")]}
        seen.add(pid)
    if errors:
        raise validation_error(
            {"records": errors},
            _l("Attendance can be recorded only for people enrolled in the cohort."),
            code="not_enrolled",
        )


def _existing_attendance(session: WorkshopSession) -> dict[str, Attendance]:
    """participant_id -> the attendance already recorded at session."""
    rows = db.session.scalars(select(Attendance).where(Attendance.session_id == session.id))
    return {row.participant_id: row for row in rows}


def _save_line(actor, session, row: Attendance | None, line: dict, at: dt.datetime) -> Attendance:
    """Create or replace one attendance line, keeping the replaced value."""
    if row is None:
        row = Attendance(session_id=session.id, participant_id=line["participant_id"])
        if line.get("id"):
            row.id = line["id"]  # chosen offline by the field app (sync)
        db.session.add(row)
    elif at < row.recorded_at:
        return row  # an older recording (a late sync) never overwrites a newer one
    else:
        db.session.add(
            AttendanceHistory(
                attendance_id=row.id,
                status=row.status,
                note=row.note,
                recorded_at=row.recorded_at,
                recorded_by_id=row.recorded_by_id,
                version=row.version,
                replaced_by_id=actor.id,
            )
        )
    row.status, row.note = line["status"], line.get("note")
    row.recorded_at, row.recorded_by_id = at, actor.id
    return row


def session_attendance(session: WorkshopSession) -> list[Attendance]:
    """The attendance recorded at a session."""
    return list(
        db.session.scalars(
            select(Attendance)
            .where(Attendance.session_id == session.id)
            .order_by(Attendance.participant_id)
        )
    )


def audit_roll_read(actor: User, participant_ids: list[str]) -> None:
    """One list-like read of the people on a roll."""
    audit.record_list(actor, "attendance.list", "participant", participant_ids)


def attendance_history(attendance: Attendance) -> list[AttendanceHistory]:
    """Earlier values of one attendance line, newest first."""
    return list(
        db.session.scalars(
            select(AttendanceHistory)
            .where(AttendanceHistory.attendance_id == attendance.id)
            .order_by(AttendanceHistory.replaced_at.desc())
        )
    )
