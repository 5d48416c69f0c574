"""A prison with an officer, an instructor's cohort, a partner NGO, and helpers to open a case."""

from dataclasses import dataclass

import pytest

from prog_tracker.core.dates import today_at
from prog_tracker.partners.models import Consent, Referral


@dataclass
class Prison:
    """What the release tests act on."""

    facility: object
    officer: object
    instructor: object
    cohort: object
    ngo: object
    today: object


@pytest.fixture
def prison(make):
    """Facility A (Tokyo time: no daylight saving) with its staff, a cohort and an NGO."""
    facility = make.facility(name="Colony A", timezone="Asia/Tokyo")
    instructor = make.user("instructor", facility=facility)
    return Prison(
        facility=facility,
        officer=make.user("officer", facility=facility),
        instructor=instructor,
        cohort=make.cohort(facility, instructors=[instructor], capacity=1),
        ngo=make.organisation(name="Jol NGO"),
        today=today_at(facility),
    )


def open_case(make, person, organisation, officer):
    """An accepted referral and an active consent: the organisation's caseworkers see person."""
    make._save(
        Referral(
            participant_id=person.id,
            organisation_id=organisation.id,
            status="accepted",
            referred_by_id=officer.id,
        )
    )
    make._save(
        Consent(
            participant_id=person.id,
            organisation_id=organisation.id,
            purpose="post_release_support",
            given_on=today_at(person.facility),
            method="signed",
            recorded_by_id=officer.id,
        )
    )


def code(response) -> str:
    """The error code of an error response."""
    return response.get_json()["error"]["code"]
