"""Releases ahead: people in the user's scope released in the next 90 days, soonest first."""

from flask import g, render_template

from prog_tracker.release import plans
from prog_tracker.release.views import bp

DAYS_AHEAD = 90


@bp.route("/releases")
def releases_ahead():
    """The coming releases with each plan's progress, linking to the person and the plan."""
    rows = plans.read_releases_ahead(g.user, DAYS_AHEAD)
    return render_template(
        "release/releases.html",
        rows=rows,
        days=DAYS_AHEAD,
        several_facilities=len({r["participant"].facility_id for r in rows}) > 1,
    )
