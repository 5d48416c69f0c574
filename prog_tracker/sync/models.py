"""The sync ledger (mutations applied) and the cursors handed to devices."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from prog_tracker.core.models import Model, UTCDateTime, utcnow


class SyncMutation(Model):
    """One mutation applied from a device's outbox.

    The primary key is the client's mutation_id: the row commits in the same
    transaction as the record change it describes, so a second worker applying
    the same mutation fails on this key and answers `duplicate` with the stored
    result, whichever process or server it runs in.
    """

    __tablename__ = "sync_mutations"
    # A pull looks up what its user pushed lately (records pushed, not yet pulled).
    __table_args__ = (Index("ix_sync_mutations_user_applied", "user_id", "applied_at"),)

    mutation_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    device_id: Mapped[str] = mapped_column(String(100))
    # SHA-256 of the canonical payload (entity, op, id, base_version, data).
    payload_hash: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    op: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[str] = mapped_column(String(36))
    # What the first answer said: {"id": ..., "version": ...}.
    result: Mapped[dict] = mapped_column(JSON)
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SyncCursor(Model):
    """What one pull left a device holding: the records and their tags.

    What a cursor says the device holds never changes, so a pull whose answer
    was lost can be repeated with the same cursor. Each pull that sends
    something issues the next cursor of the device's line (`lineage_id`,
    `seq`), and older ones of the line go; a pull that finds nothing new
    answers with the same cursor and only renews its `issued_at`.
    """

    __tablename__ = "sync_cursors"
    __table_args__ = (Index("ix_sync_cursors_lineage_seq", "lineage_id", "seq"),)

    # 32 random bytes, URL-safe base64: the opaque cursor itself.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    lineage_id: Mapped[str] = mapped_column(String(36))
    seq: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    # The user's reach when it was issued: a change of any of them expires it.
    role: Mapped[str] = mapped_column(String(20))
    facility_id: Mapped[str | None] = mapped_column(String(36))
    organisation_id: Mapped[str | None] = mapped_column(String(36))
    country: Mapped[str | None] = mapped_column(String(2))
    # When the scope it records began to be read (renewed by pulls that find nothing new).
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    # zlib-compressed JSON {entity: {id: tag}} of what the device holds.
    holdings: Mapped[bytes] = mapped_column(LargeBinary)
    held_count: Mapped[int] = mapped_column(Integer)
