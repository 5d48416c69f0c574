"""HTML pages for workshops: cohorts, enrolment, sessions and attendance rolls.

One blueprint; its routes live beside this module: cohorts.py (cohort list,
creation, the cohort page), enrol.py (the enrolment search, enrolling, changing
an enrolment) and roll.py (sessions and the attendance roll). This module holds
the labels they share. A person's skills checklist, reached from the cohort
page, records assessments: it is certification's (certification/views/checklist.py).
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("workshops", __name__)

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


@bp.context_processor
def workshop_labels() -> dict:
    """Translated labels and helpers for the workshop templates."""
    return {
        "enrolment_status_labels": ENROLMENT_STATUS_LABELS,
        "withdrawal_reason_labels": WITHDRAWAL_REASON_LABELS,
        "attendance_status_labels": ATTENDANCE_STATUS_LABELS,
    }
