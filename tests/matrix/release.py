"""Permission-matrix rows for the release API: release, return, transfer, plans, follow-ups.

The custody routes change a person's status, so each call gets a fresh person
in the state the route needs (`world.custody_participant`), enrolled in the
instructor's cohort so the instructor sees them (403, not 404). The plan item
belongs to `world.release_case`, a person the world's caseworker follows
(accepted referral and active consent), so the owning caseworker's 200 shows.
"""

from prog_tracker.core.dates import today_at
from prog_tracker.partners.models import Consent, Referral

# anon, admin, supervisor, officer, instructor, caseworker
CUSTODY_CHANGE = (401, 200, 403, 200, 403, 404)
# Release records of world.participant: the instructor and caseworker get none.
RELEASE_READ = (401, 200, 200, 200, 404, 404)


def factory():
    """A factory (imported late: the matrix module loads before the app exists)."""
    from tests.factories import Factory

    return Factory()


def today(w) -> str:
    """Today at the world's facility."""
    return today_at(w.facility).isoformat()


def person_in_custody(w):
    """A fresh person in custody, enrolled in the instructor's cohort."""
    make = factory()
    person = make.participant(facility=w.facility)
    make.enrolment(w.cohort, person)
    return person


def release_body(w) -> dict:
    """Release a fresh person in custody today."""
    w.custody_participant = person_in_custody(w)
    return {"released_on": today(w)}


def return_body(w) -> dict:
    """Return a fresh released person (who completed the instructor's cohort) today."""
    make = factory()
    person = make.participant(facility=w.facility, status="released")
    make.enrolment(w.cohort, person, status="completed")
    make.episode(person, today_at(w.facility), schedule=False)
    w.custody_participant = person
    return {"on": today(w), "note": "Recalled"}


def _transfer_body(w) -> dict:
    """Transfer a fresh person in custody to the other facility today."""
    w.custody_participant = person_in_custody(w)
    return {"facility_id": w.release_destination.id, "on": today(w)}


ROWS = {
    ("POST", "/api/v1/participants/<custody_participant_id>/release"): (
        release_body,
        CUSTODY_CHANGE,
    ),
    ("POST", "/api/v1/participants/<custody_participant_id>/return-to-custody"): (
        return_body,
        CUSTODY_CHANGE,
    ),
    ("POST", "/api/v1/participants/<custody_participant_id>/transfer"): (
        _transfer_body,
        CUSTODY_CHANGE,
    ),
    ("GET", "/api/v1/participants/<participant_id>/status-history"): (None, RELEASE_READ),
    ("GET", "/api/v1/participants/<participant_id>/release-episodes"): (None, RELEASE_READ),
    ("GET", "/api/v1/participants/<participant_id>/release-plan"): (None, RELEASE_READ),
    ("GET", "/api/v1/participants/<participant_id>/follow-ups"): (None, RELEASE_READ),
    ("GET", "/api/v1/release-plan-items/<release_plan_item_id>"): (
        None,
        (401, 200, 200, 200, 404, 200),
    ),
    ("PATCH", "/api/v1/release-plan-items/<release_plan_item_id>"): (
        {"status": "in_progress", "note": "Hostel contacted"},
        (401, 200, 403, 200, 404, 200),
    ),
}


def extend(make, w) -> None:
    """A transfer destination, a person the caseworker follows, and their plan item."""
    w.release_destination = make.facility(country="KZ")
    w.custody_participant = make.participant(facility=w.facility)
    person = make.participant(facility=w.facility, status="released")
    officer = w.users["officer"]
    make._save(
        Referral(
            participant_id=person.id,
            organisation_id=w.organisation.id,
            status="accepted",
            referred_by_id=officer.id,
        )
    )
    make._save(
        Consent(
            participant_id=person.id,
            organisation_id=w.organisation.id,
            given_on=today_at(w.facility),
            method="signed",
            recorded_by_id=officer.id,
        )
    )
    w.release_case = person
    w.release_plan_item = make.plan_item(person, owner_organisation_id=w.organisation.id)
