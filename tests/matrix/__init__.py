"""Permission-matrix rows per domain, merged by tests/test_permission_matrix.py."""
