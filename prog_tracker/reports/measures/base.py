"""What every indicator definition shares: the Measure shape, the context, constants."""

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.sql.expression import ColumnElement

from prog_tracker.participants.models import Participant
from prog_tracker.release.models import ReleaseEpisode
from prog_tracker.reports import scope
from prog_tracker.reports.measures.sql import month_of

FAILED_CONTACT = "attempt_failed"
# Withdrawals that say nothing of the workshop: the person left the prison.
NEUTRAL_WITHDRAWALS = ("released", "transferred")
ATTENDED = ("present", "late")
IN_CUSTODY = ("in_custody", "returned_to_custody")
EMPLOYMENT_MARKS = (3, 6, 12)
# An outcome counts for an N-month mark when observed this many days either side of it.
MARK_WINDOW_DAYS = 30
CONTACT_DAYS = 7
RELEASES_AHEAD_DAYS = 90


@dataclass
class Measure:
    """The rows an indicator counts and how (a count, or a rate of rows meeting a condition)."""

    source: object
    where: list
    participant: ColumnElement
    facility: ColumnElement
    numerator: ColumnElement | None = None
    denominator: ColumnElement | None = None
    distinct: ColumnElement | None = None
    month: ColumnElement | None = None
    trade: ColumnElement | None = None
    # The source is the participants table itself.
    joins_people: bool = False
    # The facility (and sex, and UTC offset) is the person's: join them when grouping needs it.
    person_level: bool = False
    # The figure judges stored times on the facility's calendar (Context.offset).
    uses_offset: bool = False

    @property
    def is_rate(self) -> bool:
        """True for rates, False for counts."""
        return self.numerator is not None


@dataclass(frozen=True)
class Context:
    """What every definition needs: the filters and each facility's UTC offset."""

    filters: object
    offset: ColumnElement  # minutes east of UTC: a number, or a CASE on Participant.facility_id
    follow_up_windows: tuple[int, ...] = ()  # the window sizes follow-ups have
    # True when the counted facilities differ in offset: rows then need their person.
    offset_needs_people: bool = False

    @property
    def start(self) -> dt.date:
        """First day of the period."""
        return self.filters.start

    @property
    def end(self) -> dt.date:
        """Last day of the period."""
        return self.filters.end


def day_after(day: dt.date) -> dt.datetime:
    """Midnight UTC at the start of the next day, for comparing stored times."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)


def episodes(c: Context, low: dt.date, high: dt.date) -> Measure:
    """Release episodes that began between low and high, in the filters."""
    return Measure(
        source=ReleaseEpisode.__table__,
        where=[
            ReleaseEpisode.released_on.between(low, high),
            scope.held_in(c.filters, ReleaseEpisode.participant_id),
            scope.people(c.filters, ReleaseEpisode.participant_id),
        ],
        participant=ReleaseEpisode.participant_id,
        facility=Participant.facility_id,
        month=month_of(ReleaseEpisode.released_on),
        person_level=True,
    )
