"""Releases ahead: people in the user's scope released in the next 90 days, soonest first."""

from flask import g, render_template

from prog_tracker.core import audit
from prog_tracker.extensions import db
from prog_tracker.release import plans
from prog_tracker.release.views import bp

DAYS_AHEAD = 90


@bp.route("/releases")
def releases_ahead():
    """The coming releases with each plan's progress, linking to the person and the plan."""
    rows = plans.releases_ahead(g.user, days=DAYS_AHEAD)
    # One list-like read carrying the people shown.
    audit.record("release.list", "participant", [r["participant"].id for r in rows], g.user.id)
    db.session.commit()
    return render_template(
        "release/releases.html",
        rows=rows,
        days=DAYS_AHEAD,
        several_facilities=len({r["participant"].facility_id for r in rows}) > 1,
    )
