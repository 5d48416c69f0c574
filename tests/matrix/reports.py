"""Permission-matrix rows for the indicators and the dashboard (issue 7): supervisors and
admins only; the other roles get 403 (there is no record to hide)."""

REPORT_READERS_API = (401, 200, 200, 403, 403, 403)
REPORT_READERS_PAGE = (302, 200, 200, 403, 403, 403)

ROWS = {
    ("GET", "/api/v1/reports/indicators"): (None, REPORT_READERS_API),
    ("GET", "/reports"): (None, REPORT_READERS_PAGE),
    ("GET", "/reports/definitions"): (None, REPORT_READERS_PAGE),
}
