"""The period and filters of a report, resolved against what the caller may see.

Every report (indicators, dashboard, exports) starts here, so a supervisor
scoped to one country cannot reach another country's figures through any of
them: the scope narrows the facilities before any query is built.
"""

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from prog_tracker.core import policy
from prog_tracker.core.errors import validation_error
from prog_tracker.core.models import utcnow
from prog_tracker.directory.models import Facility, Organisation
from prog_tracker.extensions import db
from prog_tracker.workshops.models import Trade

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


def resolve(user, args: dict, action: str = "report.read") -> ReportFilters:
    """Check the caller may run reports and turn validated query args into filters."""
    policy.require(user, action)
    start, end = _period(args)
    country = policy.report_country(user, args.get("country"))
    facility_id = _facility(user, args.get("facility_id"), country)
    return ReportFilters(
        start=start,
        end=end,
        facility_ids=_facility_ids(country, facility_id),
        trade_id=_trade(args.get("trade_id")),
        organisation_id=_organisation(args.get("organisation_id"), country),
        country=country,
        facility_id=facility_id,
        breakdown=args.get("breakdown"),
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


def _facility(user, facility_id: str | None, country: str | None) -> str | None:
    """A facility the caller sees (in the country, if one is set), or 422."""
    if facility_id is None:
        return None
    query = policy.visible_facilities(user).where(Facility.id == facility_id)
    if country:
        query = query.where(Facility.country == country)
    if db.session.scalar(query) is None:
        raise validation_error({"facility_id": [_l("Unknown facility.")]})
    return facility_id


def _facility_ids(country: str | None, facility_id: str | None) -> tuple[str, ...] | None:
    """The facilities counted, as ids (the table is small; an IN list plans best)."""
    if facility_id:
        return (facility_id,)
    if country:
        ids = db.session.scalars(select(Facility.id).where(Facility.country == country))
        return tuple(sorted(ids))
    return None


def _trade(trade_id: str | None) -> str | None:
    """A trade that exists, or 422."""
    if trade_id and db.session.get(Trade, trade_id) is None:
        raise validation_error({"trade_id": [_l("Unknown trade.")]})
    return trade_id


def _organisation(organisation_id: str | None, country: str | None) -> str | None:
    """A partner organisation (of the country counted, if one is set), or 422."""
    if organisation_id is None:
        return None
    found = db.session.get(Organisation, organisation_id)
    if found is None or (country and found.country != country):
        raise validation_error({"organisation_id": [_l("Unknown organisation.")]})
    return organisation_id
