"""HTML pages for release: the participant page's Release section and its actions
(custody.py), a person's release plan (plan.py) and the releases ahead (ahead.py).

One blueprint; its context processor gives every template the release labels and
the Release section's data (participant and home pages).
"""

from flask import Blueprint

from prog_tracker.release.labels import (
    FOLLOW_UP_STATUS_LABELS,
    PLAN_KIND_LABELS,
    PLAN_STATUS_LABELS,
    STATUS_EVENT_LABELS,
)

bp = Blueprint("release", __name__)


@bp.app_context_processor
def release_helpers() -> dict:
    """Labels and the Release section's data for every template (participant and home pages)."""
    return {
        "release_of": custody.release_of,
        "may_list_releases": custody.may_list_releases,
        "status_event_labels": STATUS_EVENT_LABELS,
        "plan_kind_labels": PLAN_KIND_LABELS,
        "plan_status_labels": PLAN_STATUS_LABELS,
        "follow_up_status_labels": FOLLOW_UP_STATUS_LABELS,
    }


# The routes register themselves on bp when imported.
from prog_tracker.release.views import ahead, custody, plan  # noqa: E402, F401
