"""Permission-matrix rows for the participant pages: search, register, read, edit.

Each row: (method, rule) -> (body or None or callable(world), statuses for
(anon, admin, supervisor, officer, instructor, caseworker)).
"""

from tests.matrix.participants import participant_body

ROWS = {
    ("GET", "/participants"): (None, (302, 200, 200, 200, 200, 200)),
    ("GET", "/participants/new"): (None, (302, 200, 403, 200, 403, 403)),
    ("POST", "/participants/new"): (
        # Every role registers the same Dana Ermek: past the first, the page would warn of
        # a likely duplicate (200) before saving; the flag is the officer's "save anyway".
        lambda w: {**participant_body(w), "sex": "female", "confirm_not_duplicate": "1"},
        (400, 302, 403, 302, 403, 403),
    ),
    ("GET", "/participants/<participant_id>"): (None, (302, 200, 200, 200, 200, 404)),
    ("GET", "/participants/<participant_id>/edit"): (None, (302, 200, 403, 200, 403, 404)),
    ("POST", "/participants/<participant_id>/edit"): (
        lambda w: {
            "prison_number": w.participant.prison_number,
            "given_name": "Dana",
            "family_name": "Ermek",
            "sex": "female",
            "other_names": "Dana",
        },
        (400, 302, 403, 302, 403, 404),
    ),
}
