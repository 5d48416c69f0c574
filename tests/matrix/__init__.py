"""The permission matrix: rows per domain, merged by test_permission_matrix.py here."""
