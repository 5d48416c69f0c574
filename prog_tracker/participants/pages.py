"""The participant page, which other domains show again with a refused form of theirs.

Not a view module: release's actions (higher up) render it after a refusal, so
it lives here, below every domain's views, and reads through the services.
"""

from flask import g, render_template

from prog_tracker.core import policy
from prog_tracker.participants import services
from prog_tracker.participants.models import Participant


def participant_page(participant: Participant, status: int = 200, **extra):
    """Render a participant's page; other domains pass a refused form's values and errors."""
    context = {"values": {}, "errors": {}, "failed_form": None, **extra}
    page = render_template(
        "participants/show.html",
        participant=participant,
        # Instructors never receive the release-date history and its reasons (SPEC §3).
        history=(
            services.release_date_changes(participant)
            if policy.sees_release_history(g.user)
            else None
        ),
        may_edit=policy.may(g.user, "participant.update", participant),
        # Caseworkers never receive the prison number or facility internals (SPEC §3).
        custody_details=policy.sees_custody_details(g.user),
        **context,
    )
    return page, status
