"""Permission-matrix rows for the sign-in, settings and admin users pages.

Each row: (method, rule) -> (body or None or callable(world), statuses for
(anon, admin, supervisor, officer, instructor, caseworker)). The API tokens
section of the settings page has its rows in tests/matrix/tokens.py.
"""

from tests.matrix.auth import user_body

ADMIN_PAGE = (302, 200, 403, 403, 403, 403)
ADMIN_POST = (400, 302, 403, 403, 403, 403)

ROWS = {
    ("GET", "/login"): (None, (200, 200, 200, 200, 200, 200)),
    # Anonymous form posts carry no pre-sign-in CSRF token here: refused.
    ("POST", "/login"): (
        {"username": "matrix.login", "password": "x"},
        (400, 401, 401, 401, 401, 401),
    ),
    ("POST", "/logout"): (None, (400, 302, 302, 302, 302, 302)),
    ("GET", "/settings"): (None, (302, 200, 200, 200, 200, 200)),
    ("POST", "/settings"): ({"display_name": "Me", "locale": "fr"}, (400, 302, 302, 302, 302, 302)),
    ("GET", "/settings/password"): (None, (302, 200, 200, 200, 200, 200)),
    ("POST", "/settings/password"): ({"current_password": "wrong"}, (400, 422, 422, 422, 422, 422)),
    ("GET", "/settings/mfa"): (None, (302, 200, 200, 200, 200, 200)),
    # Admin and supervisor already have MFA (page says so); others have not started.
    ("POST", "/settings/mfa"): ({"code": "000000"}, (400, 200, 200, 302, 302, 302)),
    # Admin pages
    ("GET", "/admin/users"): (None, ADMIN_PAGE),
    ("GET", "/admin/users/new"): (None, ADMIN_PAGE),
    ("POST", "/admin/users/new"): (user_body, ADMIN_POST),
    ("GET", "/admin/users/<user_id>"): (None, ADMIN_PAGE),
    ("POST", "/admin/users/<user_id>"): (
        lambda w: {
            "display_name": "Renamed",
            "role": "officer",
            "facility_id": w.facility.id,
            "active": "true",
        },
        ADMIN_POST,
    ),
    ("POST", "/admin/users/<user_id>/reset-password"): (
        {"password": "a temporary password"},
        ADMIN_POST,
    ),
    ("POST", "/admin/users/<user_id>/reset-mfa"): ({}, ADMIN_POST),
}
