"""Column types and mixins shared by every domain's models."""

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, Integer, String, TypeDecorator
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from prog_tracker.extensions import Base, db

if TYPE_CHECKING:
    # Flask-SQLAlchemy makes `db.Model` at run time, a subclass of Base; mypy takes no
    # attribute as a base class, so models declared with `Model` are checked against Base.
    Model = Base
else:
    Model = db.Model


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def new_id() -> str:
    """A new random UUID as a string."""
    return str(uuid.uuid4())


class UTCDateTime(TypeDecorator):
    """Stores naive UTC, returns aware UTC, on SQLite and PostgreSQL alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        """Convert an aware datetime to naive UTC for storage."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use aware UTC datetimes")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        """Attach UTC to the stored naive value."""
        return value.replace(tzinfo=UTC) if value is not None else None


class RecordMixin:
    """id, created_at, updated_at and an optimistic-lock version."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls):
        """Let SQLAlchemy bump version on every UPDATE and detect lost updates."""
        return {"version_id_col": cls.version}


def isoformat_z(value: datetime | None) -> str | None:
    """Format an aware datetime as UTC ISO 8601 with a Z (always with microseconds)."""
    if value is None:
        return None
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    # isoformat is twice as fast as strftime; cut its "+00:00" for the Z.
    return value.isoformat(timespec="microseconds")[:26] + "Z"
