"""`prog-tracker send-reminders`: claim what is due, send it once, retry what may be retried.

At most once per user and reminder: a reminder is claimed by inserting its
(user, key) row, which the database refuses a second time, so two runs at
the same minute cannot both claim it; a claimed row is then taken for
sending by one conditional UPDATE, so only one run posts it. A crash after
that leaves the row `sending` and it is never posted again (a missed
reminder is shown in the field app anyway; a doubled one teaches people to
ignore them).

Per push service answer: 2xx delivered; 404/410 the subscription is gone and
deleted; 429 (and 5xx, and no answer within PUSH_TIMEOUT) retried on a later
run after Retry-After or a growing pause, and that service is left alone for
the rest of this run.
"""

import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass, field
from typing import NamedTuple

from flask import current_app
from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from prog_tracker.auth.models import User
from prog_tracker.core.models import new_id
from prog_tracker.extensions import db
from prog_tracker.notifications import texts
from prog_tracker.notifications.endpoints import allowed, origin_of
from prog_tracker.notifications.models import Notification, PushSubscription
from prog_tracker.notifications.reminders import Reminder, due_reminders
from prog_tracker.notifications.subscriptions import vapid
from prog_tracker.notifications.webpush import Delivery, deliver

log = logging.getLogger("prog_tracker.reminders")
MAX_ATTEMPTS = 5
FIRST_PAUSE = dt.timedelta(minutes=5)
# Push services keep an undelivered message at most this long (and stale reminders help nobody).
MAX_TTL = 7 * 24 * 3600


@dataclass
class Summary:
    """What one run did (printed by the command)."""

    claimed: int = 0
    sent: int = 0
    retry: int = 0
    no_device: int = 0
    failed: int = 0
    expired: int = 0
    removed_subscriptions: int = 0
    throttled: set = field(default_factory=set)

    def line(self) -> str:
        """One line for the log and the terminal (counts only)."""
        return (
            f"Reminders: {self.claimed} new, {self.sent} sent, {self.retry} to retry, "
            f"{self.no_device} without a device, {self.failed} failed, {self.expired} expired; "
            f"{self.removed_subscriptions} subscriptions removed."
        )


def send_reminders(now: dt.datetime) -> Summary:
    """Claim the reminders due at `now` and send every claimed one whose turn has come."""
    summary = Summary()
    summary.claimed = claim(due_reminders(now), now)
    db.session.commit()
    signer = vapid()
    if signer is None:
        log.warning("send-reminders: no VAPID key; run `prog-tracker init`")
        return summary
    for notification_id in _waiting(now):
        if _take(notification_id, now):
            _send(notification_id, now, signer, summary)
    log.info(summary.line())
    return summary


def claim(reminders: list[Reminder], now: dt.datetime) -> int:
    """Insert a row per (user, key) not claimed before; returns how many were new."""
    if not reminders:
        return 0
    rows = [_row(reminder, now) for reminder in reminders]
    insert = _insert_ignoring_duplicates()
    created = 0
    for row in rows:  # one statement each: a returned id says this run claimed it
        created += len(db.session.execute(insert.values(**row)).all())
    return created


def _insert_ignoring_duplicates():
    """INSERT … ON CONFLICT DO NOTHING for the database in use."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    # RETURNING, not rowcount: drivers differ in what rowcount says for this statement.
    return (
        dialect.insert(Notification.__table__)
        .on_conflict_do_nothing(index_elements=["user_id", "key"])
        .returning(Notification.__table__.c.id)
    )


def _row(reminder: Reminder, now: dt.datetime) -> dict:
    """A new notifications row for a reminder."""
    return {
        "id": new_id(),
        "user_id": reminder.user_id,
        "kind": reminder.kind,
        "key": reminder.key,
        "entity_id": reminder.entity_id,
        "params": {**reminder.params, "urgency": reminder.urgency},
        "path": reminder.path,
        "status": "pending",
        "attempts": 0,
        "created_at": now,
        "next_attempt_at": now,
        "expires_at": reminder.expires_at,
    }


def _waiting(now: dt.datetime) -> list[str]:
    """Ids of the rows to send now: new ones, and retries whose pause is over."""
    return list(
        db.session.scalars(
            select(Notification.id)
            .where(
                or_(Notification.status == "pending", Notification.status == "retry"),
                Notification.next_attempt_at <= now,
            )
            .order_by(Notification.created_at, Notification.id)
        )
    )


def _take(notification_id: str, now: dt.datetime) -> bool:
    """Mark one row `sending` if no other run took it first (True when this run did)."""
    taken = db.session.execute(
        update(Notification)
        .where(
            Notification.id == notification_id,
            Notification.status.in_(("pending", "retry")),
            Notification.next_attempt_at <= now,
        )
        .values(status="sending", attempts=Notification.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()  # the claim is visible to other runs before anything is posted
    return taken == 1


class Device(NamedTuple):
    """A subscription as posting needs it, read before the transaction ends."""

    id: str
    endpoint: str
    p256dh: str
    auth: str


class Job(NamedTuple):
    """One reminder ready to post: what the log and the headers need, and the payload."""

    notification_id: str
    kind: str
    key: str
    user_id: str
    expires_at: dt.datetime
    urgency: str
    payload: bytes


def _send(notification_id: str, now: dt.datetime, signer, summary: Summary) -> None:
    """Post one reminder to each of its user's devices and record the outcome.

    No transaction stays open while posting: a slow push service must not
    hold SQLite's write lock (or a PostgreSQL transaction) for its timeout.
    """
    notification = db.session.get(Notification, notification_id)
    user = db.session.get(User, notification.user_id)
    devices = [Device(d.id, d.endpoint, d.p256dh, d.auth) for d in _devices(user)]
    unsendable = _unsendable(notification, user, devices, now)
    if unsendable:
        _finish(notification, unsendable, summary)
        db.session.commit()
        return
    job = Job(
        notification.id,
        notification.kind,
        notification.key,
        notification.user_id,
        notification.expires_at,
        (notification.params or {}).get("urgency", "normal"),
        _payload(notification, user),
    )
    db.session.commit()
    answers = [(device, _post(device, job, now, signer, summary)) for device in devices]
    _record(db.session.get(Notification, notification_id), answers, now, summary)
    db.session.commit()


def _unsendable(notification, user, devices, now) -> str | None:
    """`expired` for a stale reminder, `no_device` when nobody could receive it, else None."""
    if now >= notification.expires_at:
        return "expired"
    if user is None or not user.active or not devices:
        return "no_device"
    return None


def _devices(user: User | None) -> list[PushSubscription]:
    """The user's subscriptions on allowed push services (the list may have changed since)."""
    if user is None:
        return []
    rows = db.session.scalars(select(PushSubscription).where(PushSubscription.user_id == user.id))
    patterns = current_app.config["PUSH_ENDPOINT_PATTERNS"]
    return [row for row in rows if allowed(row.endpoint, patterns)]


def _payload(notification: Notification, user: User) -> bytes:
    """The JSON the service worker shows: title, body, URL, collapse tag, language."""
    text = texts.render(notification, texts.user_locale(user))
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    return json.dumps(
        {
            **text,
            "url": base + notification.path,
            "tag": topic(notification.key),
            "kind": notification.kind,
        },
        ensure_ascii=False,
    ).encode()


def topic(key: str) -> str:
    """The Web Push Topic of a reminder: 32 URL-safe characters, the same for repeats."""
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _post(device: Device, job: Job, now, signer, summary: Summary) -> Delivery:
    """Post to one device unless its push service asked us to wait during this run."""
    origin = origin_of(device.endpoint)
    if origin in summary.throttled:
        return Delivery(429)
    ttl = int(min(MAX_TTL, max(60, (job.expires_at - now).total_seconds())))
    answer = deliver(
        device,
        job.payload,
        vapid=signer,
        subject=current_app.config["VAPID_SUBJECT"],
        ttl=ttl,
        topic=topic(job.key),
        urgency=job.urgency,
        timeout=float(current_app.config["PUSH_TIMEOUT"]),
    )
    # Ids and codes only: no names or texts in logs.
    log.info(
        "push kind=%s notification=%s user=%s subscription=%s status=%s",
        job.kind,
        job.notification_id,
        job.user_id,
        device.id,
        answer.status,
    )
    if answer.status == 429 or answer.status is None:
        summary.throttled.add(origin)
    return answer


def _record(notification: Notification, answers: list, now, summary: Summary) -> None:
    """sent if any device took it; retry after a pause if any may later; else no_device/failed."""
    for device, answer in answers:
        if answer.delivered:
            db.session.execute(
                update(PushSubscription)
                .where(PushSubscription.id == device.id)
                .values(last_success_at=now)
            )
        elif answer.gone:
            db.session.execute(delete(PushSubscription).where(PushSubscription.id == device.id))
            summary.removed_subscriptions += 1
    results = [answer for _, answer in answers]
    if any(a.delivered for a in results):
        notification.sent_at = now
        return _finish(notification, "sent", summary)
    retryable = [a for a in results if a.status is None or a.status == 429 or a.status >= 500]
    if retryable and notification.attempts < MAX_ATTEMPTS:
        waited = max((a.retry_after or 0) for a in retryable)
        pause = max(FIRST_PAUSE * 2 ** (notification.attempts - 1), dt.timedelta(seconds=waited))
        notification.next_attempt_at = now + pause
        return _finish(notification, "retry", summary)
    gone = all(a.gone for a in results)
    return _finish(notification, "no_device" if gone else "failed", summary)


def _finish(notification: Notification, status: str, summary: Summary) -> None:
    """Set the row's status and count it."""
    notification.status = status
    setattr(summary, status, getattr(summary, status) + 1)
