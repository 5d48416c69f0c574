"""Permission-matrix rows for the facility and organisation API.

Each row: (method, rule) -> (body or None, statuses for (anon, admin,
supervisor, officer, instructor, caseworker)). `<facility_id>` is the world's
facility and `<organisation_id>` the world's organisation (the caseworker's).
"""

ROWS = {
    ("GET", "/api/v1/facilities"): (None, (401, 200, 200, 200, 200, 200)),
    ("POST", "/api/v1/facilities"): (
        {"name": "New colony", "country": "KZ", "public_name": "Skills Centre"},
        (401, 201, 403, 403, 403, 403),
    ),
    ("GET", "/api/v1/facilities/<facility_id>"): (None, (401, 200, 200, 200, 200, 404)),
    ("PATCH", "/api/v1/facilities/<facility_id>"): (
        {"timezone": "Asia/Almaty"},
        (401, 200, 403, 403, 403, 404),
    ),
    ("GET", "/api/v1/organisations"): (None, (401, 200, 200, 200, 200, 200)),
    ("POST", "/api/v1/organisations"): (
        {"name": "New NGO", "country": "KZ", "kind": "ngo"},
        (401, 201, 403, 403, 403, 403),
    ),
    ("GET", "/api/v1/organisations/<organisation_id>"): (None, (401, 200, 200, 200, 200, 200)),
    ("PATCH", "/api/v1/organisations/<organisation_id>"): (
        {"kind": "employer"},
        (401, 200, 403, 403, 403, 403),
    ),
}
