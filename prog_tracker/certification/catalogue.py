"""Reading the catalogue: the skills and qualifications that pages and forms list."""

from sqlalchemy import func, select

from prog_tracker.certification.models import Qualification, Skill
from prog_tracker.core.collation import by_name
from prog_tracker.extensions import db
from prog_tracker.workshops.models import Trade


def skill_counts(trades: list[Trade]) -> dict[str, int]:
    """trade_id -> how many skills the trade has."""
    skills = select(func.count(Skill.id)).where(Skill.trade_id == Trade.id).scalar_subquery()
    rows = db.session.execute(select(Trade.id, skills).where(Trade.id.in_([t.id for t in trades])))
    return dict(rows.all())


def skills_by_trade(trade_id: str | None = None):
    """A SELECT of the skills of every trade (or of one), by trade name, then code."""
    query = (
        select(Skill)
        .join(Trade, Skill.trade_id == Trade.id)
        .order_by(by_name(Trade.name), Skill.code, Skill.id)
    )
    return query.where(Skill.trade_id == trade_id) if trade_id else query


def skill_groups(trade_id: str | None = None) -> list[tuple[Trade, list[Skill]]]:
    """The skills of every trade (or of one), grouped by trade, for a form's checkboxes."""
    groups: dict = {}
    for skill in db.session.scalars(skills_by_trade(trade_id)):
        groups.setdefault(skill.trade, []).append(skill)
    return list(groups.items())


def skills_by_code(skill_ids) -> list[Skill]:
    """The skills named by id, in code order."""
    if not skill_ids:
        return []
    return list(
        db.session.scalars(select(Skill).where(Skill.id.in_(skill_ids)).order_by(Skill.code))
    )


def qualifications_by_trade():
    """A SELECT of every qualification, by trade name, then title and level."""
    return (
        select(Qualification)
        .join(Trade, Qualification.trade_id == Trade.id)
        .order_by(
            by_name(Trade.name), by_name(Qualification.title), Qualification.level, Qualification.id
        )
    )


def all_qualifications() -> list[Qualification]:
    """Every qualification, by trade name, then title and level (the issue form's choice)."""
    return list(db.session.scalars(qualifications_by_trade()))


def qualifications_by_title() -> list[Qualification]:
    """Every qualification, by title and level (the cohort form's choice)."""
    return list(
        db.session.scalars(
            select(Qualification).order_by(
                by_name(Qualification.title), Qualification.level, Qualification.id
            )
        )
    )
