"""The rules for trades and cohorts (who teaches, dates, capacity)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from prog_tracker.auth.models import User
from prog_tracker.core import audit, policy
from prog_tracker.core.conflicts import check_version, commit_or_conflict
from prog_tracker.core.errors import ApiError, validation_error
from prog_tracker.directory.models import Facility
from prog_tracker.extensions import db
from prog_tracker.workshops.models import Cohort, Enrolment, Trade


def refuse_taken_id(model, record_id: str | None) -> None:
    """409 when a client-chosen id is already in use (records about no person: trades,
    cohorts, sessions; person-linked ones ask policy.refuse_taken_id)."""
    if record_id and db.session.get(model, record_id) is not None:
        raise ApiError(409, "conflict", _l("A record with this id exists already."))


def create_trade(actor: User, data: dict) -> Trade:
    """Add a trade to the catalogue (admin)."""
    policy.require(actor, "catalogue.manage")
    refuse_taken_id(Trade, data.get("id"))
    _unique_trade_name(data["name"])
    trade = Trade(**data)
    db.session.add(trade)
    db.session.flush()
    audit.record("trade.create", "trade", [trade.id], actor_id=actor.id)
    db.session.commit()
    return trade


def update_trade(actor: User, trade: Trade, data: dict) -> Trade:
    """Rename a trade (admin)."""
    policy.require(actor, "catalogue.manage")
    check_version(trade, data.pop("version", None))
    if "name" in data and data["name"] != trade.name:
        _unique_trade_name(data["name"])
    for key, value in data.items():
        setattr(trade, key, value)
    audit.record("trade.update", "trade", [trade.id], actor_id=actor.id)
    commit_or_conflict(trade)
    return trade


def _unique_trade_name(name: str) -> None:
    """Trade names are unique, ignoring case."""
    taken = db.session.scalar(select(Trade.id).where(func.lower(Trade.name) == name.lower()))
    if taken:
        raise validation_error({"name": [_l("This trade exists already.")]})


def create_cohort(actor: User, data: dict) -> Cohort:
    """Open a cohort at a facility the actor works for (admin, officer)."""
    policy.require(actor, "cohort.create")
    refuse_taken_id(Cohort, data.get("id"))
    facility_id = data.get("facility_id") or actor.facility_id
    allowed = policy.facility_choices(actor).where(Facility.id == facility_id)
    if not facility_id or db.session.scalar(allowed) is None:
        raise validation_error({"facility_id": [_l("Choose a facility you work for.")]})
    instructor_ids = data.pop("instructor_ids", [])
    cohort = Cohort(**{**data, "facility_id": facility_id})
    _check_cohort(cohort, instructor_ids)
    cohort.instructors = _instructors(cohort, instructor_ids)
    db.session.add(cohort)
    db.session.flush()
    audit.record("cohort.create", "cohort", [cohort.id], actor_id=actor.id)
    db.session.commit()
    return cohort


def update_cohort(actor: User, cohort: Cohort, data: dict) -> Cohort:
    """Change a cohort; a larger capacity promotes people from the waitlist."""
    from prog_tracker.workshops.enrolments import promote_waitlisted

    policy.require(actor, "cohort.update", cohort)
    check_version(cohort, data.pop("version", None))
    instructor_ids = data.pop("instructor_ids", None)
    for key, value in data.items():
        setattr(cohort, key, value)
    ids = instructor_ids if instructor_ids is not None else cohort.instructor_ids
    _check_cohort(cohort, ids)
    if instructor_ids is not None:
        cohort.instructors = _instructors(cohort, instructor_ids)
    if enrolled_count(cohort) > cohort.capacity:
        raise validation_error(
            {"capacity": [_l("More people are enrolled than this capacity.")]},
            code="capacity_below_enrolled",
        )
    promote_waitlisted(actor, cohort)
    audit.record("cohort.update", "cohort", [cohort.id], actor_id=actor.id)
    commit_or_conflict(cohort)
    return cohort


def _check_cohort(cohort: Cohort, instructor_ids: list[str]) -> None:
    """Dates in order, a known trade and qualification, instructors of the facility."""
    from prog_tracker.certification.models import Qualification

    errors = {}
    if cohort.end_date < cohort.start_date:
        errors["end_date"] = [_l("The cohort must end on or after its start.")]
    if db.session.get(Trade, cohort.trade_id) is None:
        errors["trade_id"] = [_l("No such trade.")]
    if cohort.qualification_id:
        qualification = db.session.get(Qualification, cohort.qualification_id)
        if qualification is None or qualification.trade_id != cohort.trade_id:
            errors["qualification_id"] = [_l("Choose a qualification of this trade.")]
    if len(_instructors(cohort, instructor_ids)) != len(set(instructor_ids)):
        errors["instructor_ids"] = [_l("Choose instructors of this cohort's facility.")]
    if errors:
        raise validation_error(errors)


def _instructors(cohort: Cohort, user_ids: list[str]) -> list[User]:
    """The instructors of the cohort's facility with these ids (deactivated ones too: a
    cohort keeps the instructor who taught it)."""
    if not user_ids:
        return []
    query = policy.instructors_of([cohort.facility_id], active_only=False)
    return list(db.session.scalars(query.where(User.id.in_(set(user_ids)))))


def enrolled_count(cohort: Cohort, status="enrolled") -> int:
    """How many enrolments of cohort have status."""
    return db.session.scalar(
        select(func.count(Enrolment.id)).where(
            Enrolment.cohort_id == cohort.id, Enrolment.status == status
        )
    )


def search_cohorts(actor: User, facility_id=None, trade_id=None, current=None):
    """The actor's visible cohorts, newest first."""
    from prog_tracker.core.dates import today_at

    query = policy.visible_cohorts(actor)
    if facility_id:
        query = query.where(Cohort.facility_id == facility_id)
    if trade_id:
        query = query.where(Cohort.trade_id == trade_id)
    if current:
        today = today_at(actor.facility)
        query = query.where(Cohort.start_date <= today, Cohort.end_date >= today)
    return query.order_by(Cohort.start_date.desc(), Cohort.title, Cohort.id)


def with_counts(cohort: Cohort) -> Cohort:
    """Attach the seat counts the API and pages show."""
    cohort.enrolled_count = enrolled_count(cohort)
    cohort.waitlisted_count = enrolled_count(cohort, "waitlisted")
    return cohort
