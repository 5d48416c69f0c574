"""What people read for each indicator and funnel stage (one place, translated)."""

from flask_babel import format_decimal, format_percent
from flask_babel import lazy_gettext as _l

from prog_tracker.reports.measures.definitions import RATES

INDICATORS = {
    "participants_in_custody": _l("People in custody"),
    "enrolled_now": _l("Enrolled in a workshop"),
    "enrolments_started": _l("Enrolments started"),
    "completion_rate": _l("Workshop completion"),
    "attendance_rate": _l("Attendance"),
    "skills_assessed": _l("Skills assessed"),
    "certificates_issued": _l("Certificates issued"),
    "releases_next_90_days": _l("Releases in the next 90 days"),
    "release_plans_complete_rate": _l("Release plans complete on release day"),
    "referred_before_release_rate": _l("Referred to a partner before release"),
    "contact_within_7_days_rate": _l("Contacted within 7 days of release"),
    "follow_up_compliance_rate": _l("Follow-ups met"),
    "employed_at_3_months_rate": _l("In work 3 months after release"),
    "employed_at_6_months_rate": _l("In work 6 months after release"),
    "employed_at_12_months_rate": _l("In work 12 months after release"),
    "uses_trained_skill_rate": _l("In work using the trained skill"),
    "returned_to_custody_12_months_rate": _l("Back in custody within 12 months"),
}

# What each headline counts, in a sentence (the full definitions: docs/indicators.md).
EXPLAINED = {
    "participants_in_custody": _l("on the last day of the period"),
    "enrolled_now": _l("on the last day of the period"),
    "enrolments_started": _l("in the period"),
    "completion_rate": _l(
        "of enrolments that ended, not counting withdrawals on release or transfer"
    ),
    "attendance_rate": _l("present or late, of every attendance record"),
    "skills_assessed": _l("in the period"),
    "certificates_issued": _l("in the period, revoked ones left out"),
    "releases_next_90_days": _l("expected after the period"),
    "release_plans_complete_rate": _l("of releases in the period"),
    "referred_before_release_rate": _l("of releases in the period"),
    "contact_within_7_days_rate": _l("of releases in the period"),
    "follow_up_compliance_rate": _l("of follow-up windows that closed in the period"),
    "employed_at_3_months_rate": _l("of people with an outcome recorded near the mark"),
    "employed_at_6_months_rate": _l("of people with an outcome recorded near the mark"),
    "employed_at_12_months_rate": _l("of people with an outcome recorded near the mark"),
    "uses_trained_skill_rate": _l("of those in work at the 3, 6 and 12-month marks"),
    "returned_to_custody_12_months_rate": _l("of releases whose 12-month mark fell in the period"),
}

STAGES = {
    "enrolled": _l("Enrolled"),
    "completed": _l("Completed"),
    "certified": _l("Certified"),
    "released": _l("Released"),
    "contacted_within_7_days": _l("Contacted within 7 days"),
    "employed_at_3_months": _l("In work at 3 months"),
    "employed_at_6_months": _l("In work at 6 months"),
    "employed_at_12_months": _l("In work at 12 months"),
}


def percent(value) -> str:
    """A rate as the page's language writes a percentage."""
    return format_percent(value)  # the locale's own pattern: "50 %" in French


def count(value) -> str:
    """A count as the page's language writes it."""
    return format_decimal(value, "#,##0")


def value_text(key: str, value) -> str:
    """An indicator's value for display (an em dash when there was nothing to count)."""
    if value is None:
        return "—"
    return percent(value) if key in RATES else count(value)
