"""Subscribing a device to reminders and unsubscribing it."""

from functools import lru_cache

from flask import current_app, g
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from prog_tracker.auth.models import User
from prog_tracker.core import audit
from prog_tracker.core.errors import ApiError, validation_error
from prog_tracker.extensions import db
from prog_tracker.notifications.endpoints import allowed
from prog_tracker.notifications.keys import load_vapid, public_key
from prog_tracker.notifications.models import PushSubscription


def push_unavailable() -> ApiError:
    """503 when the server has no VAPID key (run `prog-tracker init`); its own code, since
    `unavailable` means the database is away and a retry will do."""
    return ApiError(503, "push_not_configured", _l("Notifications are not set up on this server."))


def vapid():
    """The server's VAPID signer, or None when no key is configured."""
    key = current_app.config.get("VAPID_PRIVATE_KEY")
    return _vapid_of(key) if key else None


@lru_cache(maxsize=4)
def _vapid_of(key: str):
    """Parse a key once per process (it is used on every send)."""
    return load_vapid(key)


def server_public_key() -> str:
    """The application server key browsers subscribe with."""
    signer = vapid()
    if signer is None:
        raise push_unavailable()
    return public_key(signer)


def subscribe(user: User, data: dict) -> tuple[PushSubscription, bool]:
    """Keep this device's subscription for the user; returns (row, created).

    The endpoint must be on the allow-list (PROG_TRACKER_PUSH_ENDPOINTS): the
    server will post to it. An endpoint another user subscribed moves to this
    user (a shared device that changed hands).
    """
    endpoint, keys = data["endpoint"], data["keys"]
    if not allowed(endpoint, current_app.config["PUSH_ENDPOINT_PATTERNS"]):
        raise validation_error(
            {"endpoint": [_l("This push service is not allowed on this server.")]},
            code="push_endpoint_not_allowed",
        )
    row = db.session.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint))
    created = row is None
    if created:
        row = PushSubscription(endpoint=endpoint)
        db.session.add(row)
    session_id = getattr(g.get("auth_session"), "id", None)
    unchanged = not created and (row.user_id, row.p256dh, row.auth, row.session_id) == (
        user.id,
        keys["p256dh"],
        keys["auth"],
        session_id,
    )
    if unchanged:
        return row, False  # the app re-sends its subscription now and then: nothing to record
    row.user_id, row.session_id = user.id, session_id
    row.p256dh, row.auth = keys["p256dh"], keys["auth"]
    db.session.flush()
    audit.record("push_subscription.create", "push_subscription", [row.id], user.id)
    db.session.commit()
    return row, created


def forget_session_devices(session_id: str) -> None:
    """Signing out on the website: the browsers subscribed in that session stop receiving
    reminders (on a shared computer the next person must not get them). The caller commits."""
    db.session.execute(delete(PushSubscription).where(PushSubscription.session_id == session_id))


def unsubscribe(user: User, endpoint: str) -> None:
    """Forget the user's subscription at this endpoint (nothing to do if there is none)."""
    row = db.session.scalar(
        select(PushSubscription).where(
            PushSubscription.endpoint == endpoint, PushSubscription.user_id == user.id
        )
    )
    if row is None:
        return
    audit.record("push_subscription.delete", "push_subscription", [row.id], user.id)
    db.session.delete(row)
    db.session.commit()


def on_session_ended(session_id: str) -> None:
    """A sign-in session ended: forget the browsers subscribed in it."""
    forget_session_devices(session_id)
