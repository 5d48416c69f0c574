"""A facility with an officer, an instructor teaching a cohort, and people in custody."""

from dataclasses import dataclass

import pytest


@dataclass
class Workshop:
    """What the workshop tests act on."""

    facility: object
    cohort: object
    officer: object
    instructor: object
    officer_api: object
    instructor_api: object


@pytest.fixture
def shop(make, api_as):
    """A cohort of 2 seats at facility A, taught by an instructor of A."""
    facility = make.facility()
    instructor = make.user("instructor", facility=facility)
    officer = make.user("officer", facility=facility)
    cohort = make.cohort(facility, instructors=[instructor], capacity=2)
    return Workshop(facility, cohort, officer, instructor, api_as(officer), api_as(instructor))
