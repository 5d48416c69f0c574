"""The rows of each export dataset: which records, which columns, which date puts them in
the period. The filters follow `reports.scope`, so exports and indicators agree.

Every statement selects labelled columns only (no ORM objects, so nothing is
loaded beside what is written out): the person's columns, the dataset's, and
`_tz` (the facility's time zone) where a timestamp is shown as a local time.

No ORDER BY: sorting a million rows would hold back the first byte until every
row was read (and more than double the time on SQLite); the rows come in the
order the database finds them, and spreadsheets sort.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Text, and_, case, false, literal, or_, select, type_coerce

from prog_tracker.aftercare.models import Contact, Outcome
from prog_tracker.certification.models import Certificate, Qualification
from prog_tracker.core.dates import facility_zone
from prog_tracker.directory.models import Facility, Organisation
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.reports import scope
from prog_tracker.workshops.models import Attendance, Cohort, Enrolment, Trade, WorkshopSession

# What any export says about a person; identified exports add IDENTITY.
PERSON = ("person", "birth_year", "sex")
IDENTITY = (
    "participant_id",
    "prison_number",
    "given_name",
    "family_name",
    "other_names",
    "date_of_birth",
)
_PERSON_COLUMNS = (
    Participant.id.label("participant_id"),
    Participant.prison_number.label("prison_number"),
    Participant.given_name.label("given_name"),
    Participant.family_name.label("family_name"),
    Participant.other_names.label("other_names"),
    Participant.date_of_birth.label("date_of_birth"),
    Participant.sex.label("sex"),
)
_PLACE = (Facility.country.label("country"), Facility.name.label("facility"))


@dataclass(frozen=True)
class Dataset:
    """One export dataset: its columns and the statement that reads its rows."""

    name: str
    # After the person's columns, in every export.
    columns: tuple[str, ...]
    # Free text and codes, added to identified exports only.
    identified_columns: tuple[str, ...]
    build: Callable
    # The summary sheet counts by trade only where a row belongs to one.
    has_trade: bool = True

    def header(self, identified: bool) -> list[str]:
        """The column names, in order."""
        person = PERSON + IDENTITY if identified else PERSON
        extra = self.identified_columns if identified else ()
        return [*person, *self.columns, *extra]


@dataclass(frozen=True)
class _Where:
    """Where a certificate belongs, in the shape `scope.cohort_rows` reads from a cohort."""

    facility_id: object
    trade_id: object


def _enrolments(filters):
    """Enrolments that started (or joined the waitlist) in the period, at the cohort's facility."""
    waited = and_(
        Enrolment.enrolled_on.is_(None),
        local_days(filters, Cohort.facility_id, Enrolment.waitlisted_at),
    )
    return (
        select(
            *_PERSON_COLUMNS,
            *_PLACE,
            Facility.timezone.label("_tz"),
            Trade.name.label("trade"),
            Cohort.title.label("cohort"),
            Enrolment.status.label("status"),
            Enrolment.status_reason.label("status_reason"),
            Enrolment.waitlisted_at.label("waitlisted_at"),
            Enrolment.enrolled_on.label("enrolled_on"),
            Enrolment.ended_on.label("ended_on"),
        )
        .select_from(Enrolment)
        .join(Participant, Participant.id == Enrolment.participant_id)
        .join(Cohort, Cohort.id == Enrolment.cohort_id)
        .join(Facility, Facility.id == Cohort.facility_id)
        .join(Trade, Trade.id == Cohort.trade_id)
        .where(
            scope.cohort_rows(filters, Cohort, Enrolment.participant_id),
            or_(Enrolment.enrolled_on.between(filters.start, filters.end), waited),
        )
    )


def _attendance(filters):
    """Attendance records of sessions held in the period, at the cohort's facility."""
    return (
        select(
            *_PERSON_COLUMNS,
            *_PLACE,
            Trade.name.label("trade"),
            Cohort.title.label("cohort"),
            WorkshopSession.date.label("session_date"),
            Attendance.status.label("status"),
            Attendance.note.label("note"),
        )
        .select_from(Attendance)
        .join(Participant, Participant.id == Attendance.participant_id)
        .join(WorkshopSession, WorkshopSession.id == Attendance.session_id)
        .join(Cohort, Cohort.id == WorkshopSession.cohort_id)
        .join(Facility, Facility.id == Cohort.facility_id)
        .join(Trade, Trade.id == Cohort.trade_id)
        .where(
            scope.cohort_rows(filters, Cohort, Attendance.participant_id),
            WorkshopSession.date.between(filters.start, filters.end),
        )
    )


def _certificates(filters):
    """Certificates issued in the period (revoked ones too, marked), by the issuing facility."""
    where = _Where(Certificate.issuer_facility_id, Qualification.trade_id)
    return (
        select(
            *_PERSON_COLUMNS,
            *_PLACE,
            Trade.name.label("trade"),
            Qualification.title.label("qualification"),
            Qualification.level.label("level"),
            Certificate.issued_on.label("issued_on"),
            Certificate.status.label("status"),
            Certificate.revoked_on.label("revoked_on"),
            Certificate.code.label("certificate_code"),
            Certificate.revoked_reason.label("revoked_reason"),
        )
        .select_from(Certificate)
        .join(Participant, Participant.id == Certificate.participant_id)
        .join(Qualification, Qualification.id == Certificate.qualification_id)
        .join(Trade, Trade.id == Qualification.trade_id)
        .join(Facility, Facility.id == Certificate.issuer_facility_id)
        .where(
            scope.cohort_rows(filters, where, Certificate.participant_id),
            Certificate.issued_on.between(filters.start, filters.end),
        )
    )


def _contacts(filters):
    """Contacts on a day of the period (at the person's facility), by the person's facility."""
    clauses = [
        scope.in_facilities(filters, Participant.facility_id),
        scope.people(filters, Contact.participant_id),
        local_days(filters, Participant.facility_id, Contact.occurred_at),
    ]
    if filters.organisation_id:
        clauses.append(Contact.organisation_id == filters.organisation_id)
    return (
        select(
            *_PERSON_COLUMNS,
            *_PLACE,
            Facility.timezone.label("_tz"),
            Organisation.name.label("organisation"),
            Contact.occurred_at.label("occurred_at"),
            Contact.mode.label("mode"),
            # As stored: SQLite's JSON text is decoded only when it holds a need.
            type_coerce(Contact.needs, Text).label("needs"),
            Contact.location.label("location"),
            Contact.summary.label("summary"),
        )
        .select_from(Contact)
        .join(Participant, Participant.id == Contact.participant_id)
        .join(Facility, Facility.id == Participant.facility_id)
        .join(Organisation, Organisation.id == Contact.organisation_id)
        .where(*clauses)
    )


def _outcomes(filters):
    """Outcomes observed in the period, by the person's facility."""
    clauses = [
        scope.in_facilities(filters, Participant.facility_id),
        scope.people(filters, Outcome.participant_id),
        Outcome.observed_on.between(filters.start, filters.end),
    ]
    if filters.organisation_id:
        clauses.append(Outcome.organisation_id == filters.organisation_id)
    return (
        select(
            *_PERSON_COLUMNS,
            *_PLACE,
            Organisation.name.label("organisation"),
            Outcome.observed_on.label("observed_on"),
            Outcome.employment.label("employment"),
            Outcome.uses_trained_skill.label("uses_trained_skill"),
            Outcome.housing.label("housing"),
            Outcome.returned_to_custody.label("returned_to_custody"),
            Outcome.note.label("note"),
        )
        .select_from(Outcome)
        .join(Participant, Participant.id == Outcome.participant_id)
        .join(Facility, Facility.id == Participant.facility_id)
        .outerjoin(Organisation, Organisation.id == Outcome.organisation_id)
        .where(*clauses)
    )


def local_days(filters, facility_column, moment_column):
    """moment_column falls on a day of the period as the row's facility sees it.

    Facilities are few: the period's ends in UTC are looked up per facility's
    time zone with a CASE, which keeps one range on the stored column (an OR of
    ranges, one per zone, makes SQLite merge index scans through a set of every
    matching row id, which grows with the export).
    """
    query = select(Facility.id, Facility.timezone)
    if filters.facility_ids is not None:
        query = query.where(Facility.id.in_(filters.facility_ids))
    zones: dict = {}
    for row in db.session.execute(query):
        zones.setdefault(facility_zone(row), []).append(row.id)
    if not zones:
        return false()
    bounds = [(ids, *_utc_bounds(filters.start, filters.end, zone)) for zone, ids in zones.items()]
    kind = moment_column.type
    if len(bounds) == 1:
        _ids, start, end = bounds[0]
        return and_(moment_column >= literal(start, kind), moment_column < literal(end, kind))
    starts = case(*((facility_column.in_(ids), literal(start, kind)) for ids, start, _ in bounds))
    ends = case(*((facility_column.in_(ids), literal(end, kind)) for ids, _, end in bounds))
    return and_(moment_column >= starts, moment_column < ends)


def _utc_bounds(start: dt.date, end: dt.date, zone) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants the local days start … end begin and stop (clamped at the calendar's
    ends, where a time zone would overflow)."""
    low = dt.datetime(1, 1, 2, tzinfo=dt.UTC)
    high = dt.datetime(9999, 12, 30, tzinfo=dt.UTC)
    try:
        first = dt.datetime.combine(start, dt.time(), zone).astimezone(dt.UTC)
    except OverflowError:
        first = low
    try:
        after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), zone)
        after = after.astimezone(dt.UTC)
    except OverflowError:
        after = high
    return max(first, low), min(after, high)


DATASETS = {
    "enrolments": Dataset(
        "enrolments",
        (
            "country",
            "facility",
            "trade",
            "cohort",
            "status",
            "status_reason",
            "waitlisted_on",
            "enrolled_on",
            "ended_on",
        ),
        (),
        _enrolments,
    ),
    "attendance": Dataset(
        "attendance",
        ("country", "facility", "trade", "cohort", "session_date", "status"),
        ("note",),
        _attendance,
    ),
    "certificates": Dataset(
        "certificates",
        (
            "country",
            "facility",
            "trade",
            "qualification",
            "level",
            "issued_on",
            "status",
            "revoked_on",
        ),
        ("certificate_code", "revoked_reason"),
        _certificates,
    ),
    "contacts": Dataset(
        "contacts",
        ("country", "facility", "organisation", "occurred_at", "mode", "needs"),
        ("location", "summary"),
        _contacts,
        has_trade=False,
    ),
    "outcomes": Dataset(
        "outcomes",
        (
            "country",
            "facility",
            "organisation",
            "observed_on",
            "employment",
            "uses_trained_skill",
            "housing",
            "returned_to_custody",
        ),
        ("note",),
        _outcomes,
        has_trade=False,
    ),
}
