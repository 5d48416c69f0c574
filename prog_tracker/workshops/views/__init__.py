"""HTML pages for workshops: cohorts, enrolment, sessions, attendance rolls, skills.

One blueprint; its routes live beside this module: cohorts.py (cohort list,
creation, the cohort page), enrol.py (the enrolment search, enrolling, changing
an enrolment), roll.py (sessions and the attendance roll) and skills.py (a
person's skills checklist). This module holds the labels and helpers they
share, and what the instructor's home page shows.
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from prog_tracker.auth.models import User
from prog_tracker.core import policy
from prog_tracker.core.dates import today_at
from prog_tracker.extensions import db
from prog_tracker.workshops import services
from prog_tracker.workshops.models import Cohort, WorkshopSession

bp = Blueprint("workshops", __name__)

PAGE_SIZE = 50

ENROLMENT_STATUS_LABELS = {
    "waitlisted": _l("Waitlisted"),
    "enrolled": _l("Enrolled"),
    "completed": _l("Completed"),
    "withdrawn": _l("Withdrawn"),
}
WITHDRAWAL_REASON_LABELS = {
    "released": _l("Released"),
    "transferred": _l("Transferred"),
    "security": _l("Security"),
    "health": _l("Health"),
    "dismissed": _l("Dismissed from the workshop"),
    "own_request": _l("At their own request"),
    "other": _l("Other reason"),
}
ATTENDANCE_STATUS_LABELS = {
    "present": _l("Present"),
    "late": _l("Late"),
    "excused": _l("Excused"),
    "absent": _l("Absent"),
    "sick": _l("Sick"),
    "refused": _l("Refused"),
}
RESULT_LABELS = {
    "competent": _l("Competent"),
    "not_yet_competent": _l("Not yet competent"),
}


@bp.context_processor
def workshop_labels() -> dict:
    """Translated labels and helpers for the workshop templates."""
    return {
        "enrolment_status_labels": ENROLMENT_STATUS_LABELS,
        "withdrawal_reason_labels": WITHDRAWAL_REASON_LABELS,
        "attendance_status_labels": ATTENDANCE_STATUS_LABELS,
        "result_labels": RESULT_LABELS,
    }


def instructor_overview(user: User) -> dict:
    """Today's sessions and the running or coming cohorts of an instructor's home page."""
    today = today_at(user.facility)
    running = list(
        db.session.scalars(services.search_cohorts(user).where(Cohort.end_date >= today))
    )
    running.sort(key=lambda c: (c.start_date, c.title, c.id))
    taught = policy.visible_cohorts(user).with_only_columns(Cohort.id)
    sessions = list(
        db.session.scalars(
            select(WorkshopSession)
            .where(WorkshopSession.cohort_id.in_(taught), WorkshopSession.date == today)
            .order_by(WorkshopSession.created_at, WorkshopSession.id)
        )
    )
    return {
        "today": today,
        "my_cohorts": [services.with_counts(c) for c in running],
        "todays_sessions": sessions,
    }


# The routes register themselves on bp when imported.
from prog_tracker.workshops.views import cohorts, enrol, roll, skills  # noqa: E402, F401
