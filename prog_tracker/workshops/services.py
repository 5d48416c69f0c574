"""The rules for trades and cohorts (who teaches, dates, capacity), and what pages read of them."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from prog_tracker.auth.models import User
from prog_tracker.core import audit, creates, policy
from prog_tracker.core.collation import by_name, name_sorter
from prog_tracker.core.conflicts import check_version, commit_or_conflict
from prog_tracker.core.dates import today_at
from prog_tracker.core.errors import validation_error
from prog_tracker.core.localised import display_name
from prog_tracker.directory.models import Facility
from prog_tracker.extensions import db
from prog_tracker.workshops import events
from prog_tracker.workshops.enrolments import enrolled_count, promote_waitlisted
from prog_tracker.workshops.models import Cohort, Trade, WorkshopSession


@creates.replayable("trade", "trade.create")
def create_trade(actor: User, data: dict) -> Trade:
    """Add a trade to the catalogue (admin)."""
    policy.require(actor, "catalogue.manage")
    claim = creates.claim(actor, "trade", data, "trade.create")
    if claim.earlier is not None:
        return claim.earlier
    _unique_trade_name(data["name"])
    trade = Trade(**data)
    claim.keep(trade)
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


def trades_by_name():
    """A SELECT of every trade, in the reader's alphabetical order."""
    return select(Trade).order_by(by_name(Trade.name), Trade.id)


def trade_options() -> list[tuple[str, str]]:
    """Every trade as (id, name in the reader's language), by that name, for a select."""
    key = name_sorter()
    options = [(t.id, display_name(t)) for t in db.session.scalars(trades_by_name())]
    return sorted(options, key=lambda option: key(option[1]))


def _unique_trade_name(name: str) -> None:
    """Trade names are unique, ignoring case."""
    taken = db.session.scalar(select(Trade.id).where(func.lower(Trade.name) == name.lower()))
    if taken:
        raise validation_error({"name": [_l("This trade exists already.")]})


@creates.replayable("cohort", "cohort.create")
def create_cohort(actor: User, data: dict) -> Cohort:
    """Open a cohort at a facility the actor works for (admin, officer)."""
    policy.require(actor, "cohort.create")
    claim = creates.claim(actor, "cohort", data, "cohort.create")
    if claim.earlier is not None:
        return claim.earlier
    facility_id = data.get("facility_id") or actor.facility_id
    allowed = policy.facility_choices(actor).where(Facility.id == facility_id)
    if not facility_id or db.session.scalar(allowed) is None:
        raise validation_error({"facility_id": [_l("Choose a facility you work for.")]})
    instructor_ids = data.pop("instructor_ids", [])
    cohort = Cohort(**{**data, "facility_id": facility_id})
    _check_cohort(cohort, instructor_ids)
    cohort.instructors = _instructors(cohort, instructor_ids)
    claim.keep(cohort)
    db.session.add(cohort)
    db.session.flush()
    audit.record("cohort.create", "cohort", [cohort.id], actor_id=actor.id)
    db.session.commit()
    return cohort


def cohort_form_choices(actor: User) -> dict:
    """What the form opening a cohort offers: trades, the actor's facilities, their instructors."""
    facility_names = {f.id: f.name for f in db.session.scalars(policy.facility_choices(actor))}
    instructors = db.session.scalars(policy.instructors_of(facility_names))
    return {
        "trade_options": trade_options(),
        "facility_options": list(facility_names.items()),
        "instructors": [(u, facility_names.get(u.facility_id)) for u in instructors],
        "several_facilities": len(facility_names) > 1,
    }


def update_cohort(actor: User, cohort: Cohort, data: dict) -> Cohort:
    """Change a cohort; a larger capacity promotes people from the waitlist."""
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
    errors = {}
    if cohort.end_date < cohort.start_date:
        errors["end_date"] = [_l("The cohort must end on or after its start.")]
    if db.session.get(Trade, cohort.trade_id) is None:
        errors["trade_id"] = [_l("No such trade.")]
    # The qualification is certification's to judge (a higher domain: it listens).
    events.checking_cohort.send(cohort, errors=errors)
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


def search_cohorts(actor: User, facility_id=None, trade_id=None, current=None):
    """The actor's visible cohorts, newest first."""
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


def instructor_overview(user: User) -> dict:
    """Today's sessions and the running or coming cohorts of an instructor's home page."""
    today = today_at(user.facility)
    cohorts = list(db.session.scalars(search_cohorts(user).where(Cohort.end_date >= today)))
    cohorts.sort(key=lambda c: (c.start_date, c.title, c.id))
    taught = policy.visible_cohorts(user).with_only_columns(Cohort.id)
    sessions = list(
        db.session.scalars(
            select(WorkshopSession)
            .where(WorkshopSession.cohort_id.in_(taught), WorkshopSession.date == today)
            .order_by(WorkshopSession.created_at, WorkshopSession.id)
        )
    )
    return {
        "today": today,
        "my_cohorts": [with_counts(c) for c in cohorts],
        "todays_sessions": sessions,
    }
