"""Permission-matrix rows for the report exports (issue 7): supervisors and admins only.

The matrix calls a route without a query, so the roles that may export meet the
missing `dataset` (422); the others are refused before their query is read (403).
tests/reports/test_exports*.py cover the answers with a dataset.
"""

EXPORT = (401, 422, 422, 403, 403, 403)
# The page that asks why before an export with names: without a query, the format is
# missing (422); tests/reports/test_export_reasons.py covers the answers with one.
EXPORT_PAGE = (302, 422, 422, 403, 403, 403)

ROWS = {
    ("GET", "/api/v1/reports/export.csv"): (None, EXPORT),
    ("GET", "/api/v1/reports/export.xlsx"): (None, EXPORT),
    ("GET", "/reports/export-identified"): (None, EXPORT_PAGE),
}
