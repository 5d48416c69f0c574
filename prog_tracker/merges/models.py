"""One merge of two records of the same person, with what it takes to undo it."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from prog_tracker.core.models import Model, UTCDateTime, new_id, utcnow


class ParticipantMerge(Model):
    """`source` merged into `into` (the survivor), and undone once at most.

    `snapshot` holds what an exact undo needs (merges/snapshot.py): every row
    the merge changed with its columns' values before and after (moved records,
    referrals closed as double lines, follow-ups judged again, both people), and
    every row it deleted as a double line, whole. Written once, never changed.
    """

    __tablename__ = "participant_merges"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    source_id: Mapped[str] = mapped_column(ForeignKey("participants.id"), index=True)
    into_id: Mapped[str] = mapped_column(ForeignKey("participants.id"), index=True)
    merged_by_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    merged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    undone_by_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    snapshot: Mapped[dict] = mapped_column(JSON, default=dict)
