"""Facilities (prisons) and partner organisations."""

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from prog_tracker.core.models import RecordMixin
from prog_tracker.extensions import db

ORGANISATION_KINDS = ("ngo", "employer", "government", "training_provider")


class Facility(RecordMixin, db.Model):
    """A prison that runs workshops."""

    __tablename__ = "facilities"

    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2), index=True)
    # Printed on certificates: never names or hints at a prison.
    public_name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")


class Organisation(RecordMixin, db.Model):
    """A civil-society partner that supports people after release."""

    __tablename__ = "organisations"

    name: Mapped[str] = mapped_column(String(200))
    # The name in other languages, {"kk": ..., "ru": ...}; `name` is the default.
    names: Mapped[dict] = mapped_column(JSON, default=dict)
    country: Mapped[str] = mapped_column(String(2), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    contact_email: Mapped[str | None] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(64))
