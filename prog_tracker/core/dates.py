"""Dates as people at a facility see them."""

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from prog_tracker.core.models import utcnow


def today_at(facility) -> dt.date:
    """Today's date in the facility's time zone (UTC if it has none or a bad one)."""
    try:
        zone = ZoneInfo(facility.timezone or "UTC") if facility is not None else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return utcnow().astimezone(zone).date()
