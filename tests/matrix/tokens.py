"""Permission-matrix rows for the API tokens section of the settings page (issue 18).

Everyone signed in may make a token (the default scope, read, is open to every
role); the anonymous client sends no CSRF token (400). The world's token
belongs to the officer: the admin may revoke anyone's, the others' attempts
answer 404 as for a token that does not exist. Revoking twice is not an error.
"""

ROWS = {
    ("POST", "/settings/tokens"): (
        {"name": "report import", "expires_in_days": "30"},
        (400, 200, 200, 200, 200, 200),
    ),
    ("POST", "/settings/tokens/<token_id>/revoke"): (None, (400, 302, 404, 302, 404, 404)),
}
