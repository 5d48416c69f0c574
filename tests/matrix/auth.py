"""Permission-matrix rows for the auth API: sign-in, one's own session, MFA,
password, tokens, and the users (admin only).

Each row: (method, rule) -> (body or None or callable(world), statuses for
(anon, admin, supervisor, officer, instructor, caseworker)). `matrix.login` is
an officer the world makes with the factories' password; `<user_id>` is
`world.other_user`, another officer; `<token_id>` is a token of the world's officer.
"""

import itertools

_n = itertools.count(1)


def user_body(_w) -> dict:
    """A new supervisor with a fresh username (the admin users page posts it too)."""
    return {
        "username": f"matrix{next(_n)}",
        "display_name": "Matrix User",
        "role": "supervisor",
        "password": "a long enough password",
    }


ROWS = {
    # Public
    ("POST", "/api/v1/auth/login"): (
        lambda w: {"username": "matrix.login", "password": "correct horse battery staple"},
        (200, 200, 200, 200, 200, 200),
    ),
    # Own session
    ("POST", "/api/v1/auth/logout"): (None, (401, 204, 204, 204, 204, 204)),
    ("GET", "/api/v1/auth/me"): (None, (401, 200, 200, 200, 200, 200)),
    ("PATCH", "/api/v1/auth/me"): ({"locale": "fr"}, (401, 200, 200, 200, 200, 200)),
    # MFA is already on for admin and supervisor (409); others may start it.
    ("POST", "/api/v1/auth/mfa/setup"): (None, (401, 409, 409, 200, 200, 200)),
    ("POST", "/api/v1/auth/mfa/confirm"): ({"code": "000000"}, (401, 422, 422, 422, 422, 422)),
    ("POST", "/api/v1/auth/password"): (
        {"current_password": "wrong one", "new_password": "a new long password"},
        (401, 422, 422, 422, 422, 422),
    ),
    ("GET", "/api/v1/auth/tokens"): (None, (401, 200, 200, 200, 200, 200)),
    ("POST", "/api/v1/auth/tokens"): ({"name": "sync job"}, (401, 201, 201, 201, 201, 201)),
    # The token belongs to the officer; admins may revoke anyone's.
    ("DELETE", "/api/v1/auth/tokens/<token_id>"): (None, (401, 204, 404, 204, 404, 404)),
    # Users (admin only)
    ("GET", "/api/v1/users"): (None, (401, 200, 403, 403, 403, 403)),
    ("POST", "/api/v1/users"): (user_body, (401, 201, 403, 403, 403, 403)),
    ("GET", "/api/v1/users/<user_id>"): (None, (401, 200, 403, 403, 403, 403)),
    ("PATCH", "/api/v1/users/<user_id>"): (
        {"display_name": "Renamed"},
        (401, 200, 403, 403, 403, 403),
    ),
    ("POST", "/api/v1/users/<user_id>/reset-password"): (
        {"password": "a temporary password"},
        (401, 200, 403, 403, 403, 403),
    ),
    ("POST", "/api/v1/users/<user_id>/reset-mfa"): (None, (401, 200, 403, 403, 403, 403)),
}
