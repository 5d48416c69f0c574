"""The home page of each role."""

from flask import Blueprint, g, render_template

from prog_tracker.aftercare.overview import caseworker_overview
from prog_tracker.home.services import home_context
from prog_tracker.release.plans import releases_ahead
from prog_tracker.workshops.services import instructor_overview

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
