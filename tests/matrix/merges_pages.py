"""Permission-matrix rows for the duplicates page, the merge confirmation and the undo.

Each row: (method, rule) -> (body or None or callable(world), statuses for
(anon, admin, supervisor, officer, instructor, caseworker)). The merge without
`confirm` only shows the confirmation; the undo meets the matrix's merge, already
undone (tests/matrix/merges.py).
"""

ROWS = {
    ("GET", "/participants/duplicates"): (None, (302, 200, 403, 200, 403, 403)),
    ("POST", "/participants/duplicates/not-the-same"): (
        lambda w: {"a_id": "", "b_id": ""},
        (400, 404, 403, 404, 403, 403),
    ),
    ("POST", "/participants/<participant_id>/merge"): (
        lambda w: {"into_id": w.duplicate.id},
        (400, 200, 403, 200, 404, 404),
    ),
    ("POST", "/merges/<merge_id>/undo"): (None, (400, 409, 403, 409, 404, 404)),
}
