"""A scripted week for the reminder tests: one facility, its people and their staff.

The facility is in Asia/Almaty; the week runs from Friday 6 to Friday 13
November 2026, each day looked at 09:00 local time (after REMINDER_HOUR).
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from prog_tracker.certification.models import Certificate
from prog_tracker.core.models import utcnow
from prog_tracker.extensions import db
from prog_tracker.notifications.models import ReminderOptOut

WEEK = [dt.date(2026, 11, day) for day in range(6, 14)]


@dataclass
class World:
    """The records a week of reminders is about."""

    facility: object
    officer: object
    caseworker: object
    colleague: object
    released: object
    withdrawn: object
    leaving: object
    referred: object
    referral_id: str
    certified: object
    certificate: object


def at(world: World, day: dt.date, hour: int = 9) -> dt.datetime:
    """`hour` o'clock at the world's facility on day, as an aware moment."""
    zone = ZoneInfo(world.facility.timezone)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zone)


def build(make) -> World:
    """Everyone and everything the week's reminders depend on."""
    facility = make.facility(timezone="Asia/Almaty")
    organisation = make.organisation()
    officer = make.user("officer", facility=facility, locale="ru")
    caseworker = make.user("caseworker", organisation_id=organisation.id, locale="fr")
    colleague = make.user("caseworker", organisation_id=organisation.id, locale="en")
    # Released on 2 November: the 7-day follow-up is due on Monday 9 November (±3).
    released = make.participant(facility=facility)
    make.client_of(caseworker, released, released_on=dt.date(2026, 11, 2))
    # The same, but the consent was withdrawn: the caseworker no longer sees them.
    withdrawn = make.participant(facility=facility)
    make.client_of(caseworker, withdrawn, released_on=dt.date(2026, 11, 2))
    for consent in _consents_of(withdrawn):
        consent.withdrawn_on = dt.date(2026, 11, 3)
    # In custody, released on Monday 16 November, two plan items still open.
    leaving = make.participant(facility=facility, expected_release_date=dt.date(2026, 11, 16))
    make.plan_item(leaving, "housing", due_date=dt.date(2026, 10, 15))
    make.plan_item(leaving, "transport", due_date=dt.date(2026, 11, 15))
    make.plan_item(leaving, "health", status="done", due_date=dt.date(2026, 10, 17))
    make.referral(leaving, organisation, status="accepted", assigned_caseworker_id=caseworker.id)
    make.consent(leaving, organisation, given_on=dt.date(2026, 10, 1))
    # Referred to the organisation on Thursday 5 November at 10:00 UTC, no reply yet.
    referred = make.participant(facility=facility)
    referral = make.referral(
        referred, organisation, created_at=dt.datetime(2026, 11, 5, 10, tzinfo=dt.UTC)
    )
    # A certificate issued on Tuesday 10 November by a supervisor.
    certified = make.participant(facility=facility)
    certificate = _certificate(make, certified, facility, dt.date(2026, 11, 10))
    db.session.add(ReminderOptOut(user_id=colleague.id, kind="release_soon"))
    db.session.commit()
    return World(
        facility,
        officer,
        caseworker,
        colleague,
        released,
        withdrawn,
        leaving,
        referred,
        referral.id,
        certified,
        certificate,
    )


def _consents_of(person):
    """The person's consents."""
    from sqlalchemy import select

    from prog_tracker.partners.models import Consent

    return db.session.scalars(select(Consent).where(Consent.participant_id == person.id))


def _certificate(make, person, facility, issued_on: dt.date) -> Certificate:
    """A valid certificate issued by a supervisor on a day."""
    supervisor = make.user("supervisor")
    record = Certificate(
        participant_id=person.id,
        qualification_id=make.qualification().id,
        code=f"TEST-{person.id[:4].upper()}-0000-0000",
        issued_on=issued_on,
        issued_by_id=supervisor.id,
        holder_name="Test Holder",
        issuer_facility_id=facility.id,
        created_at=utcnow(),
    )
    db.session.add(record)
    db.session.commit()
    return record
