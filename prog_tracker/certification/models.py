"""Skills, qualifications, assessments and certificates."""

import datetime as dt

from sqlalchemy import JSON, Column, Date, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from prog_tracker.core.models import RecordMixin
from prog_tracker.extensions import db

RESULTS = ("competent", "not_yet_competent")
CERTIFICATE_STATUSES = ("valid", "revoked")


class Skill(RecordMixin, db.Model):
    """One competence of a trade, signed off by an instructor."""

    __tablename__ = "skills"
    __table_args__ = (UniqueConstraint("trade_id", "code"),)

    trade_id: Mapped[str] = mapped_column(ForeignKey("trades.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    # The title in other languages, {"kk": ..., "ru": ...}; `title` is the default.
    titles: Mapped[dict] = mapped_column(JSON, default=dict)

    trade = relationship("Trade", lazy="joined")


qualification_skills = Table(
    "qualification_skills",
    db.metadata,
    Column(
        "qualification_id", ForeignKey("qualifications.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("skill_id", ForeignKey("skills.id"), primary_key=True),
)


class Qualification(RecordMixin, db.Model):
    """What a certificate attests: every one of its skills assessed competent."""

    __tablename__ = "qualifications"

    trade_id: Mapped[str] = mapped_column(ForeignKey("trades.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    # The title in other languages, {"kk": ..., "ru": ...}; `title` is the default.
    titles: Mapped[dict] = mapped_column(JSON, default=dict)
    level: Mapped[str] = mapped_column(String(32))

    trade = relationship("Trade", lazy="joined")
    skills = relationship("Skill", secondary=qualification_skills, lazy="selectin")

    @property
    def skill_ids(self) -> list[str]:
        """Ids of the skills the qualification requires."""
        return sorted(skill.id for skill in self.skills)


class Assessment(RecordMixin, db.Model):
    """An instructor's sign-off (or not yet) of one skill for one participant."""

    __tablename__ = "assessments"
    # skills_assessed counts a cohort's assessments in a period from the index alone.
    __table_args__ = (Index("ix_assessments_cohort_assessed", "cohort_id", "assessed_on"),)

    participant_id: Mapped[str] = mapped_column(ForeignKey("participants.id"), index=True)
    skill_id: Mapped[str] = mapped_column(ForeignKey("skills.id"), index=True)
    cohort_id: Mapped[str] = mapped_column(ForeignKey("cohorts.id"))
    result: Mapped[str] = mapped_column(String(32))
    assessed_on: Mapped[dt.date] = mapped_column(Date)
    assessor_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    note: Mapped[str | None] = mapped_column(Text)


class Certificate(RecordMixin, db.Model):
    """A qualification awarded to a participant, checkable by its code."""

    __tablename__ = "certificates"

    participant_id: Mapped[str] = mapped_column(ForeignKey("participants.id"), index=True)
    qualification_id: Mapped[str] = mapped_column(ForeignKey("qualifications.id"), index=True)
    # 80 random bits in Crockford base32, typed as XXXX-XXXX-XXXX-XXXX.
    code: Mapped[str] = mapped_column(String(32), unique=True)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    issued_by_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(16), default="valid")
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    revoked_on: Mapped[dt.date | None] = mapped_column(Date)
    revoked_by_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    # As printed: the name and issuer on the paper stay what verification shows,
    # even if the person is renamed or transferred later.
    holder_name: Mapped[str] = mapped_column(String(620))
    issuer_facility_id: Mapped[str] = mapped_column(ForeignKey("facilities.id"))
    # The competent assessments the certificate rests on (four-eyes evidence).
    assessment_ids: Mapped[list] = mapped_column(JSON, default=list)

    participant = relationship("Participant", lazy="joined")
    qualification = relationship("Qualification", lazy="joined")
    issuer_facility = relationship("Facility", lazy="joined")
