"""The period and filters of a report, resolved against what the caller may see.

Every report (indicators, dashboard, exports) starts here, so a supervisor
scoped to one country cannot reach another country's figures through any of
them: the scope narrows the facilities before any query is built.

A facility, partner or trade that does not belong to the country counted is a
mismatch. The JSON API refuses it (422 naming the field: a script must not get
figures for other filters than it asked for); the dashboard page drops it and
says so (`lenient`): its pickers follow the country, so a choice left over from
another country is not on screen any more and the figures are shown for the rest.
"""

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from prog_tracker.core import policy
from prog_tracker.core.errors import validation_error
from prog_tracker.core.localised import country_name, display_name, with_country
from prog_tracker.core.models import utcnow
from prog_tracker.directory.models import Facility, Organisation
from prog_tracker.extensions import db
from prog_tracker.workshops.models import Cohort, Trade

# Long enough for a programme's whole history, short enough to keep month series small.
MAX_PERIOD_DAYS = 366 * 20


@dataclass(frozen=True)
class ReportFilters:
    """A resolved report request: a closed period and the rows it may cover."""

    start: dt.date
    end: dt.date
    # None: every facility; otherwise the only facilities counted (scope and filters met).
    facility_ids: tuple[str, ...] | None = None
    trade_id: str | None = None
    organisation_id: str | None = None
    country: str | None = None
    facility_id: str | None = None
    breakdown: str | None = None
    # The filters the page left out because they did not belong to the country.
    dropped: tuple["Dropped", ...] = ()

    def params(self) -> dict:
        """The request parameters that give these filters again (for links and exports)."""
        values = {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "country": self.country,
            "facility_id": self.facility_id,
            "trade_id": self.trade_id,
            "organisation_id": self.organisation_id,
        }
        return {key: value for key, value in values.items() if value}


@dataclass(frozen=True)
class Dropped:
    """A filter left out of a page's report: which one, and why (a translated sentence)."""

    field: str
    message: object


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last twelve months up to today, both ends included."""
    end = today or utcnow().date()
    return one_year_before(end), end


def one_year_before(end: dt.date) -> dt.date:
    """The first day of the year that ends on `end`."""
    try:
        return end.replace(year=end.year - 1) + dt.timedelta(days=1)
    except ValueError:  # 29 February
        return end.replace(year=end.year - 1, day=28) + dt.timedelta(days=1)


def resolve(user, args: dict, action: str = "report.read", lenient: bool = False) -> ReportFilters:
    """Check the caller may run reports and turn validated query args into filters.

    A filter that is unknown or not of the country counted answers 422 naming the
    field; with `lenient` (the dashboard page) it is left out and listed in `dropped`.
    """
    policy.require(user, action)
    start, end = _period(args)
    country = policy.report_country(user, args.get("country"))
    checked = {
        "facility_id": _facility(user, args.get("facility_id"), country),
        "organisation_id": _organisation(args.get("organisation_id"), country),
        "trade_id": _trade(args.get("trade_id"), country if lenient else None),
    }
    problems = {name: message for name, (_, message) in checked.items() if message}
    if problems and not lenient:
        raise validation_error({name: [message] for name, message in problems.items()})
    kept = {name: None if name in problems else value for name, (value, _) in checked.items()}
    return ReportFilters(
        start=start,
        end=end,
        facility_ids=_facility_ids(country, kept["facility_id"]),
        trade_id=kept["trade_id"],
        organisation_id=kept["organisation_id"],
        country=country,
        facility_id=kept["facility_id"],
        breakdown=args.get("breakdown"),
        dropped=tuple(Dropped(name, message) for name, message in problems.items()),
    )


def _period(args: dict) -> tuple[dt.date, dt.date]:
    """from and to, defaulting to the year up to today; from after to is refused."""
    start, end = args.get("from"), args.get("to")
    if end is None:
        end = default_period()[1] if start is None else max(start, default_period()[1])
    if start is None:
        start = one_year_before(end)
    if start > end:
        raise validation_error({"from": [_l("The period must start on or before its end.")]})
    if (end - start).days > MAX_PERIOD_DAYS:
        raise validation_error({"to": [_l("A report covers at most twenty years.")]})
    return start, end


# A filter as checked: its value, and what is wrong with it (None: nothing).
Checked = tuple[str | None, object]


def _facility(user, facility_id: str | None, country: str | None) -> Checked:
    """A facility the caller sees, in the country if one is set."""
    if facility_id is None:
        return None, None
    found = db.session.scalar(policy.visible_facilities(user).where(Facility.id == facility_id))
    if found is None:
        return facility_id, _l("Unknown facility.")
    if country and found.country != country:
        return facility_id, _not_in(f"{found.name} ({country_name(found.country)})", country)
    return facility_id, None


def _facility_ids(country: str | None, facility_id: str | None) -> tuple[str, ...] | None:
    """The facilities counted, as ids (the table is small; an IN list plans best)."""
    if facility_id:
        return (facility_id,)
    if country:
        ids = db.session.scalars(select(Facility.id).where(Facility.country == country))
        return tuple(sorted(ids))
    return None


def _trade(trade_id: str | None, country: str | None) -> Checked:
    """A trade that exists (and, when country is given, is taught there)."""
    if trade_id is None:
        return None, None
    found = db.session.get(Trade, trade_id)
    if found is None:
        return trade_id, _l("Unknown trade.")
    if country and trade_id not in taught_in(country):
        return trade_id, _l(
            "%(name)s is not taught in %(country)s.",
            name=display_name(found),
            country=country_name(country),
        )
    return trade_id, None


def _organisation(organisation_id: str | None, country: str | None) -> Checked:
    """A partner organisation, of the country counted if one is set."""
    if organisation_id is None:
        return None, None
    found = db.session.get(Organisation, organisation_id)
    if found is None:
        return organisation_id, _l("Unknown organisation.")
    if country and found.country != country:
        return organisation_id, _not_in(with_country(found), country)
    return organisation_id, None


def _not_in(name: str, country: str):
    """What is wrong with a facility or partner of another country."""
    return _l("%(name)s is not in %(country)s.", name=name, country=country_name(country))


def taught_in(country: str) -> set[str]:
    """The ids of the trades of the cohorts held in a country's facilities."""
    query = (
        select(Cohort.trade_id)
        .join(Facility, Facility.id == Cohort.facility_id)
        .where(Facility.country == country)
        .distinct()
    )
    return set(db.session.scalars(query))
