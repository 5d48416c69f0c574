"""Kinds of records a merge moves, as the confirmation page names them."""

from flask_babel import lazy_gettext as _l

RECORD_LABELS = {
    "assessments": _l("Skill assessments"),
    "attendance": _l("Attendance lines"),
    "certificates": _l("Certificates"),
    "consents": _l("Consents"),
    "contacts": _l("Contacts after release"),
    "enrolments": _l("Enrolments"),
    "follow_ups": _l("Follow-ups"),
    "outcomes": _l("Outcomes"),
    "referrals": _l("Referrals"),
    "release_date_changes": _l("Release date changes"),
    "release_episodes": _l("Release episodes"),
    "release_plan_items": _l("Release plan items"),
    "status_changes": _l("Status changes"),
}
