"""Permission-matrix rows for the subject access export (issue 9): admins only.

The page and the download are refused to every other role before the person is
looked up (403, whether or not the person is in their scope), as the admin pages
are; an anonymous form post carries no CSRF token (400). The admin's download is
the ZIP itself (200). tests/privacy/test_subject_export.py covers the contents.
"""

ROWS = {
    ("GET", "/participants/<participant_id>/subject-export"): (
        None,
        (302, 200, 403, 403, 403, 403),
    ),
    ("POST", "/participants/<participant_id>/subject-export"): (
        None,
        (400, 200, 403, 403, 403, 403),
    ),
}
