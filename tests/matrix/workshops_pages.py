"""Permission-matrix rows for the workshop pages.

Each row: (method, rule) -> (body or None or callable(world), statuses for
(anon, admin, supervisor, officer, instructor, caseworker)).
"""

import itertools

_n = itertools.count(1)

# Cohort lists leave out what is out of scope: the caseworker sees an empty list.
SIGNED_IN_LIST = (302, 200, 200, 200, 200, 200)
# The world's cohort is taught by the instructor; caseworkers have no way in.
COHORT_PAGE = (302, 200, 200, 200, 200, 404)
# Officers of the facility and admins open cohorts.
COHORT_CREATE_PAGE = (302, 200, 403, 200, 403, 403)
# Enrolment: admin, officer of the facility, instructor of the cohort.
ENROL_PAGE = (302, 200, 403, 200, 200, 404)
ENROL_POST = (400, 302, 403, 302, 302, 404)
# Sessions, attendance and assessments: the cohort's instructors and admins.
TEACHING_PAGE = (302, 200, 403, 403, 200, 404)
TEACHING_POST = (400, 302, 403, 403, 302, 404)


def _today(w) -> str:
    """Today at the world's facility, as a form sends it."""
    from prog_tracker.core.dates import today_at

    return today_at(w.facility).isoformat()


def _cohort_form(w) -> dict:
    """A cohort at the world's facility taught by the world's instructor."""
    return {
        "trade_id": w.trade.id,
        "facility_id": w.facility.id,
        "title": f"Evening joinery {next(_n)}",
        "start_date": _today(w),
        "end_date": _today(w),
        "capacity": "8",
        "instructor_ids": w.users["instructor"].id,
    }


def _new_candidate(w) -> dict:
    """A person in custody at the facility, to enrol."""
    from tests.factories import Factory

    return {"participant_id": Factory().participant(facility=w.facility).id}


def _roll(w) -> dict:
    """The world's roll: its one enrolled person marked present."""
    return {"participant_id": w.participant.id, f"status-{w.participant.id}": "present"}


def _assessment(w) -> dict:
    """The world's skill signed off today for the world's participant."""
    return {"skill_id": w.skill.id, "result": "competent", "assessed_on": _today(w)}


ROWS: dict = {
    ("GET", "/cohorts"): (None, SIGNED_IN_LIST),
    ("GET", "/cohorts/new"): (None, COHORT_CREATE_PAGE),
    ("POST", "/cohorts/new"): (_cohort_form, (400, 302, 403, 302, 403, 403)),
    ("GET", "/cohorts/<cohort_id>"): (None, COHORT_PAGE),
    ("GET", "/cohorts/<cohort_id>/enrol"): (None, ENROL_PAGE),
    ("POST", "/cohorts/<cohort_id>/enrolments"): (_new_candidate, ENROL_POST),
    # Allowed roles reach the rule (enrolled -> enrolled is not a move): the
    # cohort page again, with the message (422).
    ("POST", "/enrolments/<enrolment_id>"): (
        {"status": "enrolled"},
        (400, 422, 403, 422, 422, 404),
    ),
    ("GET", "/cohorts/<cohort_id>/sessions/new"): (None, TEACHING_PAGE),
    ("POST", "/cohorts/<cohort_id>/sessions/new"): (
        lambda w: {"date": _today(w), "topic": "Joints"},
        TEACHING_POST,
    ),
    # Everyone who sees the cohort reads the roll; its instructors and admins save it.
    ("GET", "/sessions/<session_id>/attendance"): (None, COHORT_PAGE),
    ("POST", "/sessions/<session_id>/attendance"): (_roll, TEACHING_POST),
    # Everyone who sees the cohort and the person reads the checklist.
    ("GET", "/cohorts/<cohort_id>/participants/<participant_id>/skills"): (None, COHORT_PAGE),
    ("POST", "/cohorts/<cohort_id>/participants/<participant_id>/skills"): (
        _assessment,
        TEACHING_POST,
    ),
}
