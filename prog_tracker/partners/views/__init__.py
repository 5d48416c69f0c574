"""HTML pages for partners: a person's referrals and consents (person.py, the officer's
side) and the caseworker's referral inbox (inbox.py, a blueprint of its own).

Two blueprints, `partners` and `referral_inbox`, kept apart so every endpoint
keeps its name; register() attaches both. The context processor gives every
template the referral and consent labels and the participant page's summary.
"""

from flask import Blueprint

from prog_tracker.partners.labels import (
    CONSENT_METHOD_LABELS,
    CONSENT_PURPOSE_LABELS,
    CONSENT_STATE_LABELS,
    REFERRAL_STATUS_LABELS,
)

bp = Blueprint("partners", __name__)


@bp.app_context_processor
def partner_labels() -> dict:
    """Labels for referral and consent templates (the caseworker pages use them too)."""
    return {
        "partners_of": person.partners_of,
        "referral_status_labels": REFERRAL_STATUS_LABELS,
        "consent_method_labels": CONSENT_METHOD_LABELS,
        "consent_purpose_labels": CONSENT_PURPOSE_LABELS,
        "consent_state_labels": CONSENT_STATE_LABELS,
    }


# The routes register themselves when imported (inbox.py on its own blueprint).
from prog_tracker.partners.views import inbox, person  # noqa: E402, F401
