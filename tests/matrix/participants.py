"""Permission-matrix rows for the participant API.

Each row: (method, rule) -> (body or None or callable(world), statuses for
(anon, admin, supervisor, officer, instructor, caseworker)). `<participant_id>`
is the world's participant: in custody at the world's facility, enrolled in
the cohort the world's instructor teaches.
"""

import itertools

_n = itertools.count(1)


def participant_body(w) -> dict:
    """A new person at the world's facility, with a fresh prison number."""
    return {
        "prison_number": f"M-{next(_n)}",
        "given_name": "Dana",
        "family_name": "Ermek",
        "facility_id": w.facility.id,
    }


# The instructor sees the participant through the cohort they teach;
# caseworkers see nobody until the referral domain.
ROWS = {
    ("GET", "/api/v1/participants"): (None, (401, 200, 200, 200, 200, 200)),
    ("POST", "/api/v1/participants"): (participant_body, (401, 201, 403, 201, 403, 403)),
    ("GET", "/api/v1/participants/<participant_id>"): (None, (401, 200, 200, 200, 200, 404)),
    ("PATCH", "/api/v1/participants/<participant_id>"): (
        {"other_names": "Dana"},
        (401, 200, 403, 200, 403, 404),
    ),
    # Instructors never receive the release-date history and its reasons (SPEC §3).
    ("GET", "/api/v1/participants/<participant_id>/release-date-history"): (
        None,
        (401, 200, 200, 200, 404, 404),
    ),
}
