"""Workshops: trades, cohorts with their instructors, enrolments, sessions, attendance."""

import datetime as dt

from sqlalchemy import (
    JSON,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from prog_tracker.core.models import RecordMixin, UTCDateTime, new_id, utcnow
from prog_tracker.extensions import db

ENROLMENT_STATUSES = ("waitlisted", "enrolled", "completed", "withdrawn")
ACTIVE_ENROLMENT = ("waitlisted", "enrolled")
WITHDRAWAL_REASONS = (
    "released",
    "transferred",
    "security",
    "health",
    "dismissed",
    "own_request",
    "other",
)
ATTENDANCE_STATUSES = ("present", "late", "excused", "absent", "sick", "refused")


class Trade(RecordMixin, db.Model):
    """A vocational trade taught in workshops (furniture-making, tailoring…)."""

    __tablename__ = "trades"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    # The name in other languages, {"kk": ..., "ru": ...}; `name` is the default.
    names: Mapped[dict] = mapped_column(JSON, default=dict)


cohort_instructors = Table(
    "cohort_instructors",
    db.metadata,
    Column("cohort_id", ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True, index=True),
)


class Cohort(RecordMixin, db.Model):
    """One run of a workshop at a facility."""

    __tablename__ = "cohorts"

    trade_id: Mapped[str] = mapped_column(ForeignKey("trades.id"), index=True)
    facility_id: Mapped[str] = mapped_column(ForeignKey("facilities.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    # The title in other languages, {"kk": ..., "ru": ...}; `title` is the default.
    titles: Mapped[dict] = mapped_column(JSON, default=dict)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    capacity: Mapped[int] = mapped_column(Integer)
    qualification_id: Mapped[str | None] = mapped_column(ForeignKey("qualifications.id"))

    trade = relationship("Trade", lazy="joined")
    facility = relationship("Facility", lazy="joined")
    instructors = relationship("User", secondary=cohort_instructors, lazy="selectin")

    @property
    def instructor_ids(self) -> list[str]:
        """Ids of the cohort's instructors."""
        return sorted(user.id for user in self.instructors)


class Enrolment(RecordMixin, db.Model):
    """A participant's place (or place in the queue) in a cohort."""

    __tablename__ = "enrolments"
    __table_args__ = (
        # At most one active (waitlisted or enrolled) enrolment per person and
        # cohort, held by the database so two tablets cannot race past it.
        Index(
            "uq_enrolments_active",
            "cohort_id",
            "participant_id",
            unique=True,
            sqlite_where=db.text("status IN ('waitlisted', 'enrolled')"),
            postgresql_where=db.text("status IN ('waitlisted', 'enrolled')"),
        ),
    )

    cohort_id: Mapped[str] = mapped_column(ForeignKey("cohorts.id"), index=True)
    participant_id: Mapped[str] = mapped_column(ForeignKey("participants.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    status_reason: Mapped[str | None] = mapped_column(String(32))
    # The queue order of the waitlist, and the dates the indicators count.
    waitlisted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    enrolled_on: Mapped[dt.date | None] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)

    cohort = relationship("Cohort", lazy="joined")
    participant = relationship("Participant", lazy="joined")


class WorkshopSession(RecordMixin, db.Model):
    """One class meeting of a cohort ("session" in the API)."""

    __tablename__ = "workshop_sessions"

    cohort_id: Mapped[str] = mapped_column(ForeignKey("cohorts.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    topic: Mapped[str | None] = mapped_column(String(200))

    cohort = relationship("Cohort", lazy="joined")


class Attendance(RecordMixin, db.Model):
    """Whether a participant came to a session; one row per (session, person)."""

    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("session_id", "participant_id"),
        # attendance_rate counts statuses per session from the index alone.
        Index("ix_attendance_session_status", "session_id", "status"),
    )

    session_id: Mapped[str] = mapped_column(ForeignKey("workshop_sessions.id"))
    participant_id: Mapped[str] = mapped_column(ForeignKey("participants.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by_id: Mapped[str] = mapped_column(ForeignKey("users.id"))


class AttendanceHistory(db.Model):
    """An attendance value that was replaced by a later recording."""

    __tablename__ = "attendance_history"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    attendance_id: Mapped[str] = mapped_column(ForeignKey("attendance.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    recorded_by_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer)
    replaced_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    replaced_by_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
