"""Staff users' names as pages print them (who recorded, assessed, issued or is assigned)."""

from sqlalchemy import select

from prog_tracker.auth.models import User
from prog_tracker.core.bidi import printable_name
from prog_tracker.extensions import db


def display_names(user_ids) -> dict:
    """Display names of the staff users named by id, as printed (no bidi controls)."""
    wanted = {uid for uid in user_ids if uid}
    if not wanted:
        return {}
    rows = db.session.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))
    return {row[0]: printable_name(row[1]) for row in rows}
