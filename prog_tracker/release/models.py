"""Release: status history, release episodes with their follow-ups, and release plan items."""

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from prog_tracker.core.models import RecordMixin, UTCDateTime, new_id, utcnow
from prog_tracker.extensions import db

STATUS_EVENTS = ("released", "returned_to_custody", "transferred")
PLAN_KINDS = (
    "id_documents",
    "housing",
    "employment",
    "education",
    "family_contact",
    "health",
    "toolkit",
    "ngo_referral",
    "transport",
)
PLAN_STATUSES = ("todo", "in_progress", "done", "not_needed")
OPEN_PLAN_STATUSES = ("todo", "in_progress")
FOLLOW_UP_STATUSES = ("upcoming", "due", "overdue", "met", "missed")


class StatusChange(db.Model):
    """One dated change of a participant's custody status (append-only)."""

    __tablename__ = "status_changes"
    __table_args__ = (Index("ix_status_changes_participant_on", "participant_id", "occurred_on"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    participant_id: Mapped[str] = mapped_column(ForeignKey("participants.id"))
    kind: Mapped[str] = mapped_column(String(32))
    occurred_on: Mapped[dt.date] = mapped_column(Date)
    # Transfers name both facilities; releases and returns name where they happen.
    from_facility_id: Mapped[str | None] = mapped_column(ForeignKey("facilities.id"))
    to_facility_id: Mapped[str | None] = mapped_column(ForeignKey("facilities.id"))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReleaseEpisode(RecordMixin, db.Model):
    """One period out of custody: from a release to a return (open while out)."""

    __tablename__ = "release_episodes"
    __table_args__ = (
        Index("ix_release_episodes_participant_released", "participant_id", "released_on"),
        # Reports read the episodes of a period (person, return) from the index alone.
        Index("ix_release_episodes_released", "released_on", "participant_id", "returned_on"),
    )

    participant_id: Mapped[str] = mapped_column(ForeignKey("participants.id"))
    released_on: Mapped[dt.date] = mapped_column(Date)
    returned_on: Mapped[dt.date | None] = mapped_column(Date)

    participant = relationship("Participant", lazy="joined")


class FollowUp(RecordMixin, db.Model):
    """One scheduled follow-up of a release episode; its status is computed for a day."""

    __tablename__ = "follow_ups"
    __table_args__ = (
        UniqueConstraint("episode_id", "sequence"),
        # Covers what follow_up_compliance_rate reads of a person's follow-ups.
        Index(
            "ix_follow_ups_participant_due_met",
            "participant_id",
            "due_on",
            "window_days",
            "met_contact_id",
        ),
        # Reports find the follow-ups whose window closed in a period, one window size at a time.
        Index("ix_follow_ups_window_due", "window_days", "due_on", "participant_id"),
    )

    episode_id: Mapped[str] = mapped_column(ForeignKey("release_episodes.id"))
    participant_id: Mapped[str] = mapped_column(ForeignKey("participants.id"))
    sequence: Mapped[int] = mapped_column(Integer)
    offset_days: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[dt.date] = mapped_column(Date, index=True)
    window_days: Mapped[int] = mapped_column(Integer)
    # The contact that meets it whenever its status is judged once its window has
    # closed (the `met` of followups.status_on): kept by followups.refresh_met so that
    # reports count met follow-ups without searching every contact.
    met_contact_id: Mapped[str | None] = mapped_column(ForeignKey("contacts.id"))

    episode = relationship("ReleaseEpisode", lazy="joined")


class ReleasePlanItem(RecordMixin, db.Model):
    """One item of a participant's release plan (documents, housing, work…)."""

    __tablename__ = "release_plan_items"
    __table_args__ = (UniqueConstraint("participant_id", "kind"),)

    participant_id: Mapped[str] = mapped_column(ForeignKey("participants.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="todo")
    due_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    owner_organisation_id: Mapped[str | None] = mapped_column(
        ForeignKey("organisations.id"), index=True
    )
    note: Mapped[str | None] = mapped_column(Text)
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    # The referral the NGO referral item follows (plans.follow_referral): the one it
    # was last moved by. A reference only; release never reads partners' records.
    referral_id: Mapped[str | None] = mapped_column(ForeignKey("referrals.id"))

    owner_organisation = relationship("Organisation", lazy="joined")
    # The person, for services following a record the policy returned (read only).
    participant = relationship("Participant", viewonly=True)
