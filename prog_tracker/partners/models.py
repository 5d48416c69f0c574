"""Partners: referrals to partner organisations and the consents behind them."""

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from prog_tracker.core.models import RecordMixin, UTCDateTime
from prog_tracker.extensions import db

REFERRAL_STATUSES = ("pending", "accepted", "declined", "closed")
OPEN_REFERRAL = ("pending", "accepted")
CONSENT_PURPOSES = ("post_release_support",)
CONSENT_METHODS = ("signed", "thumbprint", "verbal_witnessed")


class Referral(RecordMixin, db.Model):
    """A participant's case handed to a partner organisation, which accepts or declines."""

    __tablename__ = "referrals"
    __table_args__ = (
        # One open (pending or accepted) referral per person and organisation.
        Index(
            "uq_referrals_open",
            "participant_id",
            "organisation_id",
            unique=True,
            sqlite_where=db.text("status IN ('pending', 'accepted')"),
            postgresql_where=db.text("status IN ('pending', 'accepted')"),
        ),
        # The caseworker scope: accepted referrals of one organisation.
        Index("ix_referrals_organisation_status", "organisation_id", "status", "participant_id"),
    )

    participant_id: Mapped[str] = mapped_column(ForeignKey("participants.id"), index=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    reason: Mapped[str | None] = mapped_column(Text)
    referred_by_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    assigned_caseworker_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True)
    responded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    responded_by_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    closed_by_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))

    organisation = relationship("Organisation", lazy="joined")
    participant = relationship("Participant", lazy="joined")


class Consent(RecordMixin, db.Model):
    """A participant's consent to share their record with one organisation for one purpose."""

    __tablename__ = "consents"
    __table_args__ = (
        Index("ix_consents_organisation_participant", "organisation_id", "participant_id"),
    )

    participant_id: Mapped[str] = mapped_column(ForeignKey("participants.id"), index=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    purpose: Mapped[str] = mapped_column(String(32), default="post_release_support")
    given_on: Mapped[dt.date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(32))
    expires_on: Mapped[dt.date | None] = mapped_column(Date)
    withdrawn_on: Mapped[dt.date | None] = mapped_column(Date)
    recorded_by_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    # The language the consent wording was read out or shown in.
    wording_locale: Mapped[str | None] = mapped_column(String(10))

    organisation = relationship("Organisation", lazy="joined")
    # The person, for services following a record the policy returned (read only).
    participant = relationship("Participant", viewonly=True)
