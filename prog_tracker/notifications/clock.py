"""Each facility's local day and hour at a given moment (reminders are about days)."""

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from prog_tracker.core.dates import facility_zone
from prog_tracker.directory.models import Facility
from prog_tracker.extensions import db


@dataclass(frozen=True)
class LocalDay:
    """A facility's date at the moment, whether reminders may go out yet, and when it ends."""

    today: dt.date
    ready: bool
    ends_at: dt.datetime


class Clock:
    """The moment `send-reminders` runs for, seen from every facility."""

    def __init__(self, now: dt.datetime):
        self.now = now
        hour = int(current_app.config["REMINDER_HOUR"])
        rows = db.session.execute(select(Facility.id, Facility.timezone))
        self.days = {row.id: _local_day(now, row, hour) for row in rows}

    def at(self, facility_id: str) -> LocalDay:
        """The local day at a facility (UTC for an unknown one)."""
        return self.days.get(facility_id) or _local_day(self.now, None, 0)

    def dates(self) -> dict:
        """facility id -> local date: the days consent is judged on."""
        return {facility_id: day.today for facility_id, day in self.days.items()}

    def earliest(self) -> dt.date:
        """The earliest local date of any facility (queries start their range there)."""
        return min((day.today for day in self.days.values()), default=self.now.date())

    def latest(self) -> dt.date:
        """The latest local date of any facility."""
        return max((day.today for day in self.days.values()), default=self.now.date())


def _local_day(now: dt.datetime, facility, hour: int) -> LocalDay:
    """The local day at a facility: reminders about it go out from `hour` o'clock."""
    zone = facility_zone(facility)
    local = now.astimezone(zone)
    tomorrow = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    return LocalDay(local.date(), local.hour >= hour, tomorrow.astimezone(dt.UTC))
