"""Permission-matrix rows for the matcher's API (participants/matching).

Whoever may read the world's participant may ask for their likely duplicates
(answered within the caller's own scope); caseworkers do not see the person: 404.
"""

ROWS = {
    ("GET", "/api/v1/participants/<participant_id>/duplicates"): (
        None,
        (401, 200, 200, 200, 200, 404),
    ),
}
