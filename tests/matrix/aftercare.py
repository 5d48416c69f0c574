"""Permission-matrix rows for the contact, outcome and caseload API.

`extend` adds, at the world's facility, a person released ten days ago whom
the world's caseworker follows (`world.aftercare_client`), with a contact and
an outcome recorded by that caseworker. Rows point `world.contact` (shared
with the pages' rows) and `world.outcome` at these records before the path is
built, so the order in which modules extend the world does not matter.
"""

import datetime as dt

# anon, admin, supervisor, officer, instructor, caseworker
SCOPED_READ = (401, 200, 200, 200, 404, 200)
# Only the organisation's caseworkers (and admins) write contacts and outcomes.
RECORD = (401, 200, 403, 403, 404, 200)
CREATE = (401, 201, 403, 403, 404, 201)
# Records of world.participant (in custody, no referral): caseworkers see nothing.
PERSON_READ = (401, 200, 200, 200, 404, 404)


def extend(make, world) -> None:
    """A released person the caseworker follows, with a contact and an outcome."""
    from prog_tracker.core.dates import today_at

    caseworker = world.users["caseworker"]
    released_on = today_at(world.facility) - dt.timedelta(days=10)
    person = make.participant(facility=world.facility)
    make.release(person, released_on=released_on, actor=world.users["officer"])
    make.referral(
        person, world.organisation, status="accepted", assigned_caseworker_id=caseworker.id
    )
    make.consent(person, world.organisation)
    world.aftercare_client = person
    world.aftercare_contact = make.contact(person, caseworker)
    world.aftercare_outcome = make.outcome(person, caseworker)


def _contact(w) -> dict:
    """A visit to the caseworker's client an hour ago (admins name the organisation)."""
    w.contact = w.aftercare_contact
    moment = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    return {
        "participant_id": w.aftercare_client.id,
        "organisation_id": w.organisation.id,
        "occurred_at": moment.isoformat(),
        "mode": "visit",
        "needs": ["work"],
    }


def _the_contact(w) -> None:
    """Read the client's contact (no body)."""
    w.contact = w.aftercare_contact


def _edit_contact(w) -> dict:
    """Correct the client's contact."""
    w.contact = w.aftercare_contact
    return {"summary": f"Corrected at {dt.datetime.now(dt.UTC).isoformat()}"}


def _outcome(w) -> dict:
    """The client works and lives in a stable home."""
    from prog_tracker.core.dates import today_at

    return {
        "participant_id": w.aftercare_client.id,
        "observed_on": today_at(w.facility).isoformat(),
        "employment": "self_employed",
        "uses_trained_skill": True,
        "housing": "stable",
        "returned_to_custody": False,
    }


def _the_outcome(w) -> None:
    """Read the client's outcome (no body)."""
    w.outcome = w.aftercare_outcome


def _edit_outcome(w) -> dict:
    """Correct the client's housing."""
    w.outcome = w.aftercare_outcome
    return {"housing": "temporary"}


ROWS = {
    ("POST", "/api/v1/contacts"): (_contact, CREATE),
    ("GET", "/api/v1/contacts/<contact_id>"): (_the_contact, SCOPED_READ),
    ("PATCH", "/api/v1/contacts/<contact_id>"): (_edit_contact, RECORD),
    ("GET", "/api/v1/participants/<participant_id>/contacts"): (None, PERSON_READ),
    ("POST", "/api/v1/outcomes"): (_outcome, CREATE),
    ("GET", "/api/v1/outcomes/<outcome_id>"): (_the_outcome, SCOPED_READ),
    ("PATCH", "/api/v1/outcomes/<outcome_id>"): (_edit_outcome, RECORD),
    ("GET", "/api/v1/participants/<participant_id>/outcomes"): (None, PERSON_READ),
    # Instructors have no caseload; everyone else gets the released people in scope.
    ("GET", "/api/v1/caseload"): (None, (401, 200, 200, 200, 403, 200)),
}
