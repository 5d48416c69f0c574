"""Permission-matrix rows for the admin facility and organisation pages (admin only).

Each row: (method, rule) -> (body or None or callable(world), statuses for
(anon, admin, supervisor, officer, instructor, caseworker)).
"""

ADMIN_PAGE = (302, 200, 403, 403, 403, 403)
ADMIN_POST = (400, 302, 403, 403, 403, 403)

ROWS = {
    ("GET", "/admin/facilities"): (None, ADMIN_PAGE),
    ("GET", "/admin/facilities/new"): (None, ADMIN_PAGE),
    ("POST", "/admin/facilities/new"): (
        {"name": "New colony", "country": "KZ", "public_name": "Skills Centre"},
        ADMIN_POST,
    ),
    ("GET", "/admin/facilities/<facility_id>"): (None, ADMIN_PAGE),
    ("POST", "/admin/facilities/<facility_id>"): (
        lambda w: {
            "name": w.facility.name,
            "country": "KZ",
            "public_name": "Skills Centre",
            "timezone": "Asia/Almaty",
        },
        ADMIN_POST,
    ),
    ("GET", "/admin/organisations"): (None, ADMIN_PAGE),
    ("GET", "/admin/organisations/new"): (None, ADMIN_PAGE),
    ("POST", "/admin/organisations/new"): (
        {"name": "New NGO", "country": "KZ", "kind": "ngo"},
        ADMIN_POST,
    ),
    ("GET", "/admin/organisations/<organisation_id>"): (None, ADMIN_PAGE),
    ("POST", "/admin/organisations/<organisation_id>"): (
        {"name": "NGO", "country": "KZ", "kind": "employer"},
        ADMIN_POST,
    ),
}
