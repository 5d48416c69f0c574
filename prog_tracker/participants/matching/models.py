"""The matcher's tables: blocking keys per person, and pairs known not to be one person."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from prog_tracker.core.models import UTCDateTime, utcnow
from prog_tracker.extensions import db


class ParticipantMatchKey(db.Model):
    """One blocking key of a person: people sharing a key are compared, nobody else."""

    __tablename__ = "participant_match_keys"

    # Derived rows: they go with the person (ON DELETE CASCADE), whatever deletes it.
    participant_id: Mapped[str] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(80), primary_key=True, index=True)


class NotDuplicate(db.Model):
    """Two people an officer said are not the same person (a_id < b_id)."""

    __tablename__ = "participant_not_duplicates"

    a_id: Mapped[str] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    b_id: Mapped[str] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    marked_by_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
