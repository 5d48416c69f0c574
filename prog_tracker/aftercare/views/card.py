"""A person's after-release card: follow-ups, contacts, outcomes, their organisation's plan."""

from flask import g, render_template, url_for
from werkzeug.routing import BuildError

from prog_tracker.aftercare import overview
from prog_tracker.aftercare.views import bp
from prog_tracker.core import policy
from prog_tracker.participants.models import Participant


@bp.route("/participants/<person_id>")
def participant_card(person_id):
    """A person's after-release card: follow-ups, contacts, outcomes, their organisation's plan."""
    participant = policy.get_aftercare_participant(g.user, person_id, "participant.read")
    card = overview.read_card(g.user, participant)
    return render_template(
        "aftercare/participant.html",
        participant=participant,
        **card,
        plan_url=_plan_url(participant) if card["plan_items"] else None,
        may_contact=policy.may(g.user, "contact.record", participant),
        may_outcome=policy.may(g.user, "outcome.record", participant),
        may_edit={c.id for c in card["contacts"] if policy.may(g.user, "contact.record", c)},
    )


def _plan_url(participant: Participant) -> str | None:
    """The release plan page, where items are updated (None while that page is not served)."""
    try:
        return url_for("release.release_plan", participant_id=participant.id)
    except BuildError:
        return None
