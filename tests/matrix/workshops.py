"""Permission-matrix rows for the workshop API: trades, cohorts, enrolments,
sessions and attendance.

Each row: (method, rule) -> (body or None or callable(world), statuses for
(anon, admin, supervisor, officer, instructor, caseworker)). The world's
cohort, at the world's facility, is taught by the world's instructor; the
world's participant is enrolled in it and it has one session.
"""

import itertools
from datetime import date

_n = itertools.count(1)

ALL_READ = (401, 200, 200, 200, 200, 200)
ADMIN_CREATE = (401, 201, 403, 403, 403, 403)
ADMIN_CHANGE = (401, 200, 403, 403, 403, 403)
# The cohort's records: caseworkers have no way in.
COHORT_READ = (401, 200, 200, 200, 200, 404)


def _new_candidate(w) -> dict:
    """A person in custody at the facility, to enrol."""
    from tests.factories import Factory

    return {"participant_id": Factory().participant(facility=w.facility).id}


ROWS = {
    # Workshop catalogue (admin changes it, everyone reads it)
    ("GET", "/api/v1/trades"): (None, ALL_READ),
    ("POST", "/api/v1/trades"): (lambda w: {"name": f"Trade M{next(_n)}"}, ADMIN_CREATE),
    ("GET", "/api/v1/trades/<trade_id>"): (None, ALL_READ),
    ("PATCH", "/api/v1/trades/<trade_id>"): (lambda w: {"name": f"T{next(_n)}"}, ADMIN_CHANGE),
    # Cohorts: officers of the facility run them, instructors see those they teach
    ("GET", "/api/v1/cohorts"): (None, ALL_READ),
    ("POST", "/api/v1/cohorts"): (
        lambda w: {
            "trade_id": w.trade.id,
            "facility_id": w.facility.id,
            "title": "Evening joinery",
            "start_date": date.today().isoformat(),
            "end_date": date.today().isoformat(),
            "capacity": 8,
        },
        (401, 201, 403, 201, 403, 403),
    ),
    ("GET", "/api/v1/cohorts/<cohort_id>"): (None, COHORT_READ),
    ("PATCH", "/api/v1/cohorts/<cohort_id>"): (
        {"title": "Renamed"},
        (401, 200, 403, 200, 403, 404),
    ),
    ("GET", "/api/v1/cohorts/<cohort_id>/enrolments"): (None, COHORT_READ),
    ("POST", "/api/v1/cohorts/<cohort_id>/enrolments"): (
        _new_candidate,
        (401, 201, 403, 201, 201, 404),
    ),
    ("GET", "/api/v1/cohorts/<cohort_id>/candidates"): (None, (401, 200, 403, 200, 200, 404)),
    ("GET", "/api/v1/enrolments/<enrolment_id>"): (None, COHORT_READ),
    # Allowed roles reach the rule (enrolled -> enrolled is not a move): 422.
    ("PATCH", "/api/v1/enrolments/<enrolment_id>"): (
        {"status": "enrolled"},
        (401, 422, 403, 422, 422, 404),
    ),
    ("GET", "/api/v1/cohorts/<cohort_id>/sessions"): (None, COHORT_READ),
    ("POST", "/api/v1/cohorts/<cohort_id>/sessions"): (
        lambda w: {"date": date.today().isoformat()},
        (401, 201, 403, 403, 201, 404),
    ),
    ("GET", "/api/v1/sessions/<session_id>"): (None, COHORT_READ),
    ("GET", "/api/v1/sessions/<session_id>/attendance"): (None, COHORT_READ),
    ("PUT", "/api/v1/sessions/<session_id>/attendance"): (
        lambda w: {"records": [{"participant_id": w.participant.id, "status": "present"}]},
        (401, 200, 403, 403, 200, 404),
    ),
}
