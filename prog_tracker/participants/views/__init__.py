"""HTML pages for participants: search (search.py), register, read and edit (person.py).

One blueprint; its labels and name helpers serve every template (home pages too).
"""

from flask import Blueprint

from prog_tracker.participants.labels import SEX_LABELS, STATUS_LABELS
from prog_tracker.participants.names import person_name, shown_number, sorted_name

bp = Blueprint("participants", __name__, url_prefix="/participants")


@bp.app_context_processor
def participant_labels() -> dict:
    """Translated status and sex labels for every template (home pages use them too)."""
    return {
        "status_labels": STATUS_LABELS,
        "sex_labels": SEX_LABELS,
        # Names as pages show them: a neutral label for an anonymised record.
        "person_name": person_name,
        "sorted_name": sorted_name,
        "shown_number": shown_number,
    }
