"""People in the programme and the history of their release dates."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from prog_tracker.core.models import RecordMixin, UTCDateTime, new_id, utcnow
from prog_tracker.extensions import db

SEXES = ("female", "male", "other", "undisclosed")
STATUSES = ("in_custody", "released", "returned_to_custody", "closed")


class Participant(RecordMixin, db.Model):
    """A person in prison taking part in the programme, and after release."""

    __tablename__ = "participants"
    __table_args__ = (
        UniqueConstraint("facility_id", "prison_number"),
        # A facility's people by id from the index alone: every report's scope
        # ("held in these facilities") is built from it.
        Index("ix_participants_facility_person", "facility_id", "id"),
    )

    facility_id: Mapped[str] = mapped_column(ForeignKey("facilities.id"))
    prison_number: Mapped[str] = mapped_column(String(64))
    given_name: Mapped[str] = mapped_column(String(200))
    family_name: Mapped[str] = mapped_column(String(200))
    other_names: Mapped[str | None] = mapped_column(String(200))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(16), default="undisclosed")
    preferred_language: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(32), default="in_custody", index=True)
    expected_release_date: Mapped[date | None] = mapped_column(Date, index=True)
    actual_release_date: Mapped[date | None] = mapped_column(Date)
    # Folded names (accents off, lower case, Cyrillic also in Latin letters) so
    # one LIKE finds a person whichever way they are typed; the prison number is
    # folded apart, since caseworkers search names only (SPEC §3).
    search_text: Mapped[str] = mapped_column(Text, default="")
    number_search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Set when the retention schedule blanked the person's identity (docs/retention.md):
    # pages then show a neutral label, and date_of_birth holds the year only.
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when this person was merged into another (SPEC §12): the row stays as a
    # tombstone that redirects to the survivor for a while; policy never lists it.
    merged_into_id: Mapped[str | None] = mapped_column(ForeignKey("participants.id"), index=True)
    merged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    facility = relationship("Facility", lazy="joined")


class ReleaseDateChange(db.Model):
    """One change of a participant's expected release date."""

    __tablename__ = "release_date_changes"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    participant_id: Mapped[str] = mapped_column(ForeignKey("participants.id"), index=True)
    previous_date: Mapped[date | None] = mapped_column(Date)
    new_date: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    # Null when the system made the change (a register imported from the command line).
    changed_by_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    changed_by = relationship("User", lazy="joined")
