"""HTML pages for workshops: cohorts, enrolment, sessions and attendance rolls.

One blueprint; its routes live beside this module: cohorts.py (cohort list,
creation, the cohort page), enrol.py (the enrolment search, enrolling, changing
an enrolment) and roll.py (sessions and the attendance roll). This module holds
the labels they share. A person's skills checklist, reached from the cohort
page, records assessments: it is certification's (certification/views/checklist.py).
"""

from flask import Blueprint

from prog_tracker.workshops.labels import (
    ATTENDANCE_STATUS_LABELS,
    ENROLMENT_STATUS_LABELS,
    WITHDRAWAL_REASON_LABELS,
)

bp = Blueprint("workshops", __name__)


@bp.context_processor
def workshop_labels() -> dict:
    """Translated labels and helpers for the workshop templates."""
    return {
        "enrolment_status_labels": ENROLMENT_STATUS_LABELS,
        "withdrawal_reason_labels": WITHDRAWAL_REASON_LABELS,
        "attendance_status_labels": ATTENDANCE_STATUS_LABELS,
    }
