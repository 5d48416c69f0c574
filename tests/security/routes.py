"""The url_map as the crawl sees it: which ids fill which argument, what it skips,
what extra queries it sends, and URLs built from rules."""

import re
from urllib.parse import quote

from werkzeug.exceptions import HTTPException

from prog_tracker.reports.exports.datasets import DATASETS

# Route argument -> the type of record whose ids fill it.
ARGUMENTS = {
    "participant_id": "participant",
    "custody_participant_id": "participant",
    "person_id": "participant",
    "consent_id": "consent",
    "referral_id": "referral",
    "cohort_id": "cohort",
    "session_id": "session",
    "enrolment_id": "enrolment",
    "contact_id": "contact",
    "outcome_id": "outcome",
    "certificate_id": "certificate",
    "release_plan_item_id": "release_plan_item",
    "facility_id": "facility",
    "organisation_id": "organisation",
    "qualification_id": "qualification",
    "skill_id": "skill",
    "trade_id": "trade",
    "user_id": "user",
    "token_id": "token",
    "device_id": "device",
    "merge_id": "merge",
    "code": "certificate_code",
}
# Arguments that name no record.
FIXED_ARGUMENTS = {
    "subpath": ["caseload", "people/x"],
    "locale": ["en", "ar"],
    "filename": ["css/aftercare.css"],
}
# Form and JSON body fields that carry ids, beyond the route arguments.
FIELD_TYPES = {**ARGUMENTS, "caseworker_id": "user", "assigned_caseworker_id": "user"}
MALFORMED_ID = "not-an-id"
BOGUS_CODE = "0000-0000-0000-0000"

# Routes the crawl leaves alone, because they would end or change its own sign-in.
SKIP = {
    ("POST", "auth.logout"): "signs out",
    ("POST", "auth_api.logout"): "signs out",
    ("POST", "auth.login"): "replaces the session",
    ("POST", "auth_api.login"): "replaces the session",
    ("POST", "auth.change_password"): "changes the crawler's password",
    ("POST", "auth_api.change_password"): "changes the crawler's password",
    ("DELETE", "push_api.delete_subscription"): "removes the crawler's push subscriptions",
}
# Extra query strings per endpoint (beyond the plain GET): every export dataset,
# identified and pseudonymised.
EXTRA_QUERIES = {
    endpoint: [
        {"dataset": dataset, "identified": identified}
        for dataset in sorted(DATASETS)
        for identified in ("true", "false")
    ]
    for endpoint in ("reports_export_api.export_csv", "reports_export_api.export_xlsx_file")
}
# The dashboard's export with names: the reason picker, then each dataset and format.
EXTRA_QUERIES["reports.export_identified"] = [
    {"dataset": dataset, "format": file_format, "reason_code": reason}
    for dataset in sorted(DATASETS)
    for file_format in ("csv", "xlsx")
    for reason in ("", "case_review")
]
# Exports that must be pseudonymised: no names, numbers or free text of anyone.
PSEUDONYMISED = ("/api/v1/reports/export.csv", "/api/v1/reports/export.xlsx")
_ARGUMENT = re.compile(r"<(?:[^<>:]+:)?([^<>]+)>")


def fill(rule, arguments: dict) -> str:
    """The URL of a rule with its arguments filled."""
    return _ARGUMENT.sub(lambda m: quote(str(arguments[m.group(1)]), safe="/"), rule.rule)


def openapi_path(rule) -> str:
    """The rule as the OpenAPI document writes its path (/x/{id})."""
    return _ARGUMENT.sub(r"{\1}", rule.rule)


def match_route(adapter, path: str, method: str):
    """(endpoint, arguments) of a path, or None when no route takes it."""
    try:
        return adapter.match(path, method=method)
    except HTTPException:
        return None


def unfillable(rule) -> list:
    """The arguments of a rule the crawl has no values for."""
    return [n for n in sorted(rule.arguments) if n not in ARGUMENTS and n not in FIXED_ARGUMENTS]
