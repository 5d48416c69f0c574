"""Push subscriptions, the reminders sent (each at most once per user) and opt-outs."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from prog_tracker.core.models import UTCDateTime, new_id, utcnow
from prog_tracker.extensions import db


class PushSubscription(db.Model):
    """One browser's push endpoint for one user (a phone, a tablet, a desktop).

    The endpoint is unique: a device that signs in as someone else moves its
    subscription to them, so a shared tablet never gets the previous user's
    reminders.
    """

    __tablename__ = "push_subscriptions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    endpoint: Mapped[str] = mapped_column(String(2000), unique=True)
    # The browser's keys for payload encryption (base64url): P-256 point, auth secret.
    p256dh: Mapped[str] = mapped_column(String(100))
    auth: Mapped[str] = mapped_column(String(50))
    # The sign-in session it was (last) sent from: signing out of it removes it.
    session_id: Mapped[str | None] = mapped_column(String(36), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Notification(db.Model):
    """A reminder due to one user: claimed by inserting it, so it is sent at most once.

    `key` names the reminder (kind and record, e.g. "follow_up_due:<id>"); the
    unique (user_id, key) pair is what makes two `send-reminders` runs at the
    same minute send it once. No names or free text: titles and bodies are
    written at sending time, in the user's language, from `kind` and `params`.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("user_id", "key", name="uq_notifications_user_key"),
        Index("ix_notifications_status_next", "status", "next_attempt_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(200))
    # The record the reminder is about (follow-up, participant, referral, certificate).
    entity_id: Mapped[str | None] = mapped_column(String(36))
    # Numbers and codes the text needs (days, counts, a follow-up's sequence): no text.
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    # The path of the screen to open (made absolute with PUBLIC_URL when sent).
    path: Mapped[str] = mapped_column(String(300))
    # pending -> sending -> sent | retry | no_device | failed | expired
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Past this moment the reminder is stale and is not sent (nor retried).
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ReminderOptOut(db.Model):
    """A kind of reminder a user chose not to receive (new kinds reach everyone)."""

    __tablename__ = "reminder_opt_outs"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
