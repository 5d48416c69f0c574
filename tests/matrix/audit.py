"""Permission-matrix rows for the audit log and the reason picker (issue 9).

The audit log is for admins and supervisors; other roles get 403 (there is no
record to hide). The reason picker names nobody: admins and supervisors get the
form, other roles (never asked for a reason) are sent on to where they were going.
"""

AUDIT_READERS_API = (401, 200, 200, 403, 403, 403)
AUDIT_READERS_PAGE = (302, 200, 200, 403, 403, 403)

ROWS = {
    ("GET", "/api/v1/audit-events"): (None, AUDIT_READERS_API),
    ("GET", "/audit"): (None, AUDIT_READERS_PAGE),
    ("GET", "/access-reason/<participant_id>"): (None, (302, 200, 200, 302, 302, 302)),
    # Anonymous form posts carry no pre-sign-in CSRF token here: refused.
    ("POST", "/access-reason/<participant_id>"): (
        {"reason_code": "case_review"},
        (400, 302, 302, 302, 302, 302),
    ),
}
