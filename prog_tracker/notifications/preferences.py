"""Which kinds of reminder a user receives (all of their role's kinds unless switched off)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from prog_tracker.auth.models import User
from prog_tracker.core import audit
from prog_tracker.core.errors import validation_error
from prog_tracker.extensions import db
from prog_tracker.notifications import kinds as k
from prog_tracker.notifications.models import ReminderOptOut

LABELS = {
    k.FOLLOW_UP_DUE: _l("A follow-up is due tomorrow"),
    k.FOLLOW_UP_OVERDUE: _l("A follow-up is overdue"),
    k.RELEASE_SOON: _l("A release is 30 or 7 days away and its plan is not finished"),
    k.REFERRAL_WAITING: _l("A referral to my organisation has waited three days for a reply"),
    k.CERTIFICATE_ISSUED: _l("A certificate was issued to someone at my facility"),
}


def switched_off(user: User) -> set:
    """The kinds the user chose not to receive."""
    return set(
        db.session.scalars(select(ReminderOptOut.kind).where(ReminderOptOut.user_id == user.id))
    )


def reminder_choices(user: User) -> list[tuple[str, str, bool]]:
    """(kind, label, receives it) for each kind the user's role can receive."""
    off = switched_off(user)
    return [(kind, LABELS[kind], kind not in off) for kind in k.kinds_for(user.role)]


def set_reminder_kinds(user: User, wanted: set) -> None:
    """Receive exactly the `wanted` kinds of those the user's role can receive."""
    possible = set(k.kinds_for(user.role))
    unknown = wanted - possible
    if unknown:
        raise validation_error({"kinds": [_l("Not a kind of reminder you can receive.")]})
    db.session.execute(delete(ReminderOptOut).where(ReminderOptOut.user_id == user.id))
    for kind in sorted(possible - wanted):
        db.session.add(ReminderOptOut(user_id=user.id, kind=kind))
    audit.record("reminder_preferences.update", "user", [user.id], user.id)
    db.session.commit()
