"""Permission-matrix rows for the workshop pages (merged into tests/test_permission_matrix.py).

Each row: (method, rule) -> (body or None or callable(world), statuses for
(anon, admin, supervisor, officer, instructor, caseworker)).
"""

ROWS: dict = {}
