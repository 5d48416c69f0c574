"""After release: contacts (with every earlier version) and outcomes."""

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from prog_tracker.core.models import RecordMixin, UTCDateTime, new_id, utcnow
from prog_tracker.extensions import db

CONTACT_MODES = ("visit", "phone", "office", "video", "message", "attempt_failed")
EMPLOYMENT = (
    "employed_formal",
    "employed_informal",
    "self_employed",
    "in_training",
    "unemployed",
    "unknown",
)
EMPLOYED = ("employed_formal", "employed_informal", "self_employed")
HOUSING = ("stable", "temporary", "homeless", "unknown")
# The needs a contact's checklist offers, stored as these codes. Anything else in a
# contact's needs was typed: free text, which retention blanks and pseudonymised
# exports show as "other".
NEED_CODES = ("housing", "work", "documents", "health", "family", "money", "training", "other")


class Contact(RecordMixin, db.Model):
    """One post-release contact with a participant; edits keep every earlier version."""

    __tablename__ = "contacts"
    __table_args__ = (
        # A person's contacts by time; id and mode make it covering for the caseload's
        # "last successful contact" and "contacts in the open windows" (no table reads).
        Index("ix_contacts_participant_occurred", "participant_id", "occurred_at", "id", "mode"),
    )

    participant_id: Mapped[str] = mapped_column(ForeignKey("participants.id"))
    # The person, for services following a record the policy returned (read only).
    participant = relationship("Participant", viewonly=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    caseworker_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    mode: Mapped[str] = mapped_column(String(16))
    location: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str | None] = mapped_column(Text)
    needs: Mapped[list] = mapped_column(JSON, default=list)
    # Who wrote the current text when it is an edit (null: the recording caseworker),
    # so the version it becomes on the next edit names its writer.
    edited_by_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))


class ContactVersion(db.Model):
    """An earlier version of a contact, kept when it was edited (append-only)."""

    __tablename__ = "contact_versions"
    __table_args__ = (UniqueConstraint("contact_id", "version"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    mode: Mapped[str] = mapped_column(String(16))
    location: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str | None] = mapped_column(Text)
    needs: Mapped[list] = mapped_column(JSON, default=list)
    # Who wrote this version and when it was written (before it was replaced).
    written_by_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    written_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    replaced_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Outcome(RecordMixin, db.Model):
    """What a participant's situation was on a day after release."""

    __tablename__ = "outcomes"
    __table_args__ = (Index("ix_outcomes_participant_observed", "participant_id", "observed_on"),)

    participant_id: Mapped[str] = mapped_column(ForeignKey("participants.id"))
    # The person, for services following a record the policy returned (read only).
    participant = relationship("Participant", viewonly=True)
    organisation_id: Mapped[str | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    recorded_by_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    observed_on: Mapped[dt.date] = mapped_column(Date)
    employment: Mapped[str] = mapped_column(String(32), default="unknown")
    uses_trained_skill: Mapped[bool | None] = mapped_column(Boolean)
    housing: Mapped[str] = mapped_column(String(16), default="unknown")
    returned_to_custody: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)
