"""Reasons given in the pages for reading one person's record (SPEC §3)."""

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from prog_tracker.core.models import UTCDateTime
from prog_tracker.extensions import db


class AccessGrant(db.Model):
    """A reason code a supervisor or admin gave in one signed-in session to open one
    person's pages, until expires_at. Server-side: the cookie carries no person id."""

    __tablename__ = "access_grants"
    __table_args__ = (UniqueConstraint("auth_session_id", "participant_id"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    # Ending the session (sign-out, deactivation, purge) ends its grants with it.
    auth_session_id: Mapped[str] = mapped_column(ForeignKey("auth_sessions.id", ondelete="CASCADE"))
    # No foreign key: a grant outlives nothing, and retention may remove the person.
    participant_id: Mapped[str] = mapped_column(String(36))
    reason_code: Mapped[str] = mapped_column(String(32))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
