"""What the home pages show: counts by status and the next releases, in the user's scope."""

from sqlalchemy import func, select

from prog_tracker.core import policy
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.participants.services import audit_list_read


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
