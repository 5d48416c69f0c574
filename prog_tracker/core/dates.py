"""Dates as people at a facility see them."""

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from prog_tracker.core.models import utcnow


def today_at(facility) -> dt.date:
    """Today's date in the facility's time zone (UTC if it has none or a bad one)."""
    return utcnow().astimezone(facility_zone(facility)).date()


def facility_zone(facility) -> ZoneInfo:
    """The facility's time zone (UTC when it has none or a bad one)."""
    try:
        return ZoneInfo(getattr(facility, "timezone", None) or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_moment(moment: dt.datetime | None, facility) -> dt.datetime | None:
    """A UTC timestamp on the facility's clock."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(facility_zone(facility))
