"""Permission-matrix rows for importing participants through the API (SPEC §12).

Each row: (method, rule) -> (body or None or callable(world), statuses for
(anon, admin, supervisor, officer, instructor, caseworker)). Without a file the
importing roles get 422; the others are refused before the upload is read.
"""

ROWS = {
    ("POST", "/api/v1/imports/participants"): (None, (401, 422, 403, 422, 403, 403)),
}
