"""The home page of each role."""

from flask import Blueprint, g, render_template
from sqlalchemy import func, select

from prog_tracker.aftercare.overview import caseworker_overview
from prog_tracker.core import policy
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.participants.services import audit_list_read
from prog_tracker.release.plans import releases_ahead
from prog_tracker.workshops.views import instructor_overview

bp = Blueprint("home", __name__)


@bp.route("/")
def home():
    """The signed-in user's home page, by role."""
    if g.user.role == "caseworker":
        # The caseload is the caseworker's home; the caseload service audits its read.
        return render_template("home/caseworker.html", **caseworker_overview(g.user))
    context = home_context(g.user)
    if g.user.role == "instructor":
        context.update(instructor_overview(g.user))
    if g.user.role == "officer":
        # A count only (no names): the releases page audits what it shows.
        context["releases_ahead"] = len(releases_ahead(g.user))
    return render_template(f"home/{g.user.role}.html", **context)


def home_context(user) -> dict:
    """Counts and the next releases for the user's home page."""
    visible = policy.visible_participants(user).subquery()
    by_status = dict(
        db.session.execute(select(visible.c.status, func.count()).group_by(visible.c.status)).all()
    )
    upcoming = list(
        db.session.scalars(
            policy.visible_participants(user)
            .where(
                Participant.status == "in_custody", Participant.expected_release_date.is_not(None)
            )
            .order_by(Participant.expected_release_date)
            .limit(10)
        )
    )
    if upcoming:
        audit_list_read(user, upcoming, action="participant.home")
    return {"by_status": by_status, "upcoming_releases": upcoming, "total": sum(by_status.values())}
