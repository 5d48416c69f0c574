"""HTML pages for caseworkers after release: a person's card (card.py), contacts (log,
edit, history: contact_pages.py) and outcomes (outcome_pages.py).

One blueprint; its context processor gives every template the aftercare labels
and the inbox count (the home page uses them too). Every rule is the services'
and the policy's: these pages parse, call and render.
"""

from flask import Blueprint, g

from prog_tracker.aftercare.labels import (
    CONTACT_MODE_LABELS,
    EMPLOYMENT_LABELS,
    HOUSING_LABELS,
    NEED_LABELS,
)
from prog_tracker.partners import casework

bp = Blueprint("aftercare", __name__, url_prefix="/aftercare")


@bp.app_context_processor
def aftercare_labels() -> dict:
    """Labels for the aftercare templates (the home page uses them too)."""
    return {
        "contact_mode_labels": CONTACT_MODE_LABELS,
        "need_labels": NEED_LABELS,
        "employment_labels": EMPLOYMENT_LABELS,
        "housing_labels": HOUSING_LABELS,
        "pending_referral_count": pending_referral_count,
    }


def pending_referral_count(user=None) -> int:
    """How many referrals to the caseworker's organisation wait for an answer."""
    return casework.pending_count(user or g.get("user"))
