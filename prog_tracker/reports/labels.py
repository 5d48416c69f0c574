"""What people read for each indicator and funnel stage (one place, translated)."""

from flask_babel import format_decimal, format_percent, lazy_pgettext
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


def _at_mark(months: int):
    """The definition of employed_at_N_months_rate for N = months."""
    return _l(
        "Of the releases whose %(months)s-month mark fell in the period and that have an "
        "outcome recorded within 30 days of the mark: those where the outcome shows work "
        "(with or without a contract, or self-employed).",
        months=months,
    )


# How each indicator is counted, in full, for the definitions page (SPEC §7 and
# docs/indicators.md say the same for developers).
DEFINITIONS = {
    "participants_in_custody": _l(
        "People on the register on the last day of the period who were not out on release that day."
    ),
    "enrolled_now": _l(
        "People with a workshop enrolment that had begun and not ended on the last day "
        "of the period, each person once."
    ),
    "enrolments_started": _l(
        "Enrolments that began in the period (a place on a waiting list is not an enrolment)."
    ),
    "completion_rate": _l(
        "Of the enrolments that ended in the period: those completed, out of those "
        "completed or withdrawn. Withdrawals because of release or transfer are left out."
    ),
    "attendance_rate": _l(
        "Present or late, out of every attendance record of the sessions held in the "
        "period (excused, sick, absent and refused count in the total)."
    ),
    "skills_assessed": _l("Skill assessments recorded in the period, whatever the result."),
    "certificates_issued": _l(
        "Certificates issued in the period that are still valid (revoked ones are left out)."
    ),
    "releases_next_90_days": _l(
        "People in custody whose expected release date falls in the 90 days after the period."
    ),
    "release_plans_complete_rate": _l(
        "Of the releases in the period: those whose release plan had every item done or "
        "not needed on the release day."
    ),
    "referred_before_release_rate": _l(
        "Of the releases in the period: those with a referral that a partner organisation "
        "accepted on or before the release day."
    ),
    "contact_within_7_days_rate": _l(
        "Of the releases in the period: those with a contact (not a failed attempt) on the "
        "release day or in the 7 days after it."
    ),
    "follow_up_compliance_rate": _l(
        "Of the follow-ups whose window closed in the period: those met by a contact "
        "inside the window."
    ),
    "employed_at_3_months_rate": _at_mark(3),
    "employed_at_6_months_rate": _at_mark(6),
    "employed_at_12_months_rate": _at_mark(12),
    "uses_trained_skill_rate": _l(
        "Of the outcomes showing work counted at the 3, 6 and 12-month marks: those where "
        "the person uses the skill they trained in (an unknown answer counts in the total)."
    ),
    "returned_to_custody_12_months_rate": _l(
        "Of the releases whose 12-month mark fell in the period: those that ended by a "
        "return to custody on or before the mark."
    ),
}


STAGES = {
    "enrolled": lazy_pgettext("funnel stage", "Enrolled"),
    "completed": lazy_pgettext("funnel stage", "Completed"),
    "certified": _l("Certified"),
    "released": lazy_pgettext("funnel stage", "Released"),
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
