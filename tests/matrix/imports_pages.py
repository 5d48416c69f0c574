"""Permission-matrix rows for the import page and its blank registers.

Each row: (method, rule) -> (body or None or callable(world), statuses for
(anon, admin, supervisor, officer, instructor, caseworker)). Without a file (or
with an unknown token) the importing roles get the form again with a 422.
"""

ROWS = {
    ("GET", "/imports/participants"): (None, (302, 200, 403, 200, 403, 403)),
    ("POST", "/imports/participants/check"): (None, (400, 422, 403, 422, 403, 403)),
    ("POST", "/imports/participants/apply"): (
        {"token": "x" * 32},
        (400, 422, 403, 422, 403, 403),
    ),
    ("GET", "/imports/participants/template.csv"): (None, (302, 200, 403, 200, 403, 403)),
    ("GET", "/imports/participants/template.xlsx"): (None, (302, 200, 403, 200, 403, 403)),
}
