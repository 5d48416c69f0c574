"""The audit log's codes in the reader's language."""

from flask_babel import lazy_gettext as _l

# Kept in core: the reports' export page asks for the same reasons.
from prog_tracker.core.policy.reasons import REASON_LABELS  # noqa: F401 - re-exported

OUTCOME_LABELS = {"allowed": _l("Allowed"), "denied": _l("Denied")}
# What kind of record an event names, in the reader's language; a kind missing here
# is shown as its code.
ENTITY_LABELS = {
    "participant": _l("Participant"),
    "certificate": _l("Certificate"),
    "contact": _l("Contact"),
    "contact_version": _l("Contact"),
    "outcome": _l("Outcome"),
    "consent": _l("Consent"),
    "referral": _l("Referral"),
    "enrolment": _l("Enrolment"),
    "attendance": _l("Attendance"),
    "assessment": _l("Assessment"),
    "cohort": _l("Cohort"),
    "session": _l("Session"),
    "trade": _l("Trade"),
    "skill": _l("Skill"),
    "qualification": _l("Qualification"),
    "follow_up": _l("Follow-up"),
    "release_episode": _l("Time out of custody"),
    "release_plan_item": _l("Release plan item"),
    "release_date_change": _l("Release date change"),
    "status_change": _l("Status change"),
    "facility": _l("Facility"),
    "organisation": _l("Organisation"),
    "user": _l("Account"),
    "api_token": _l("API token"),
    "auth_session": _l("Sign-in session"),
    "push_subscription": _l("Reminder subscription"),
    "backup": _l("Backup"),
    "audit_event": _l("Audit event"),
}
