"""Date arithmetic the indicators need, written once for SQLite and PostgreSQL.

SQLite keeps dates as ISO text and has date(); PostgreSQL has real date and
interval types. Each construct compiles to what its database understands, so
an indicator is one SQLAlchemy expression on both.
"""

import calendar
import datetime as dt

from sqlalchemy import Date, DateTime, String, case, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from prog_tracker.core.dates import facility_zone


class add_days(FunctionElement):
    """date + n days (n a number or an integer column)."""

    type = Date()
    inherit_cache = True
    name = "add_days"


class add_months(FunctionElement):
    """date + n months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""

    type = Date()
    inherit_cache = True
    name = "add_months"


class local_day(FunctionElement):
    """The calendar date of a stored UTC time, shifted by a number of minutes."""

    type = Date()
    inherit_cache = True
    name = "local_day"


class local_midnight(FunctionElement):
    """local_midnight(day, offset minutes, days): the stored (naive UTC) time at which the
    local day `days` after day begins.

    Comparing a stored time with it keeps the column bare, so an index on it
    serves the range: a contact on local days first…last is one index range.
    """

    type = DateTime()
    inherit_cache = True
    name = "local_midnight"


class month_of(FunctionElement):
    """The month of a date as YYYY-MM."""

    type = String()
    inherit_cache = True
    name = "month_of"


def _args(compiler, element, **kw) -> list[str]:
    """The construct's arguments, compiled."""
    return [compiler.process(arg, **kw) for arg in element.clauses]


@compiles(add_days, "sqlite")
def _add_days_sqlite(element, compiler, **kw):
    day, days = _args(compiler, element, **kw)
    return f"date({day}, ({days}) || ' days')"


@compiles(add_days, "postgresql")
def _add_days_postgresql(element, compiler, **kw):
    day, days = _args(compiler, element, **kw)
    return f"CAST({day} + CAST({days} AS INTEGER) AS DATE)"


@compiles(add_months, "sqlite")
def _add_months_sqlite(element, compiler, **kw):
    day, months = _args(compiler, element, **kw)
    # SQLite's '+N months' rolls 31 January into March; clamp to the target month instead.
    month_start = f"date({day}, 'start of month', ({months}) || ' months')"
    last_day = f"date({month_start}, '+1 month', '-1 day')"
    same_day = f"date({month_start}, (CAST(strftime('%d', {day}) AS INTEGER) - 1) || ' days')"
    return f"min({last_day}, {same_day})"


@compiles(add_months, "postgresql")
def _add_months_postgresql(element, compiler, **kw):
    day, months = _args(compiler, element, **kw)
    return f"CAST({day} + make_interval(months => CAST({months} AS INTEGER)) AS DATE)"


@compiles(local_day, "sqlite")
def _local_day_sqlite(element, compiler, **kw):
    moment, minutes = _args(compiler, element, **kw)
    return f"date({moment}, ({minutes}) || ' minutes')"


@compiles(local_day, "postgresql")
def _local_day_postgresql(element, compiler, **kw):
    moment, minutes = _args(compiler, element, **kw)
    return f"CAST({moment} + make_interval(mins => CAST({minutes} AS INTEGER)) AS DATE)"


@compiles(local_midnight, "sqlite")
def _local_midnight_sqlite(element, compiler, **kw):
    day, minutes, days = _args(compiler, element, **kw)
    # Stored times are 'YYYY-MM-DD HH:MM:SS.ffffff': the same text order as time order.
    # One datetime() call (days and offset as minutes): this runs once per counted row.
    return f"datetime({day}, (({days}) * 1440 - ({minutes})) || ' minutes')"


@compiles(local_midnight, "postgresql")
def _local_midnight_postgresql(element, compiler, **kw):
    day, minutes, days = _args(compiler, element, **kw)
    return (
        f"(CAST({day} AS TIMESTAMP) + make_interval(days => CAST({days} AS INTEGER), "
        f"mins => -CAST({minutes} AS INTEGER)))"
    )


@compiles(month_of, "sqlite")
def _month_of_sqlite(element, compiler, **kw):
    (day,) = _args(compiler, element, **kw)
    return f"substr({day}, 1, 7)"


@compiles(month_of, "postgresql")
def _month_of_postgresql(element, compiler, **kw):
    (day,) = _args(compiler, element, **kw)
    return f"to_char({day}, 'YYYY-MM')"


def plus_months(day: dt.date, months: int) -> dt.date:
    """day + months in Python, clamped like add_months."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def released_for_marks(start: dt.date, end: dt.date, months: int) -> tuple[dt.date, dt.date]:
    """The release days whose `months` mark falls in [start, end] (marks never decrease)."""
    low = plus_months(start, -months)
    while plus_months(low, months) < start:
        low += dt.timedelta(days=1)
    high = plus_months(end, -months)
    while plus_months(high + dt.timedelta(days=1), months) <= end:
        high += dt.timedelta(days=1)
    return low, high


def utc_offset_minutes(facilities, on: dt.date, facility_column) -> ColumnElement:
    """The facility's offset from UTC in minutes on a day: a number when every facility
    shares it (no need to look the facility up per row), else a CASE over its id.

    The programme's countries keep no daylight saving time, so the offset on
    the report's last day holds for the whole period.
    """
    moment = dt.datetime.combine(on, dt.time(12))
    minutes = {facility.id: _minutes(facility, moment) for facility in facilities}
    if len(set(minutes.values())) <= 1:
        return literal(next(iter(minutes.values()), 0))
    return case(minutes, value=facility_column, else_=0)


def _minutes(facility, moment: dt.datetime) -> int:
    """A facility's UTC offset in minutes at a moment."""
    offset = facility_zone(facility).utcoffset(moment)
    return int(offset.total_seconds() // 60) if offset else 0
