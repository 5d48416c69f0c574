"""The device registry: one row per field-app store (a device and one of its users)."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from prog_tracker.core.input import parse_uuid
from prog_tracker.core.models import Model, UTCDateTime, utcnow

LABEL_MAX = 100
STATES = ("active", "revoked", "wiped")


class Device(Model):
    """A field app's store on one device for one user, named by the id the app chose.

    A shared tablet holds one store per user, each with an id of its own, so a row
    has exactly one user. The escrow key lets the server hand the app its data key's
    wrapping secret again after an online sign-in; it is dropped on revoke.
    """

    __tablename__ = "devices"

    # The client-generated id the app sends in X-Device-Id.
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    label: Mapped[str] = mapped_column(String(LABEL_MAX))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    wiped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The unsent count the app last reported (X-Device-Pending), or gave in its wipe receipt.
    pending_count: Mapped[int | None] = mapped_column(Integer)
    # 32 random bytes, encrypted at rest (devices/keys.py); NULL once revoked.
    key_ciphertext: Mapped[str | None] = mapped_column(String(255))
    # SHA-256 of the newest one-time wipe receipt token.
    receipt_token_hash: Mapped[str | None] = mapped_column(String(64))

    # By name: the users' model lives in a higher domain (auth), which imports this one.
    user = relationship("User", foreign_keys=[user_id], lazy="joined")

    @property
    def state(self) -> str:
        """active, revoked (not yet wiped) or wiped."""
        if self.wiped_at is not None:
            return "wiped"
        return "revoked" if self.revoked_at is not None else "active"


# The push body's device_id allows as much (sync/schemas.py): the header is the same id.
MAX_ID_LENGTH = 100


def device_key(raw: str | None) -> str | None:
    """A device id as stored: a UUID in its canonical form, any other id as sent; None when
    it is not an id (empty, too long, or with control characters)."""
    text = (raw or "").strip()
    if not text or len(text) > MAX_ID_LENGTH or not text.isprintable():
        return None
    return parse_uuid(text) or text
