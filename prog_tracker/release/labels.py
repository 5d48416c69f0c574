"""What release's codes are called on screen: status changes, plan kinds and statuses,
follow-up statuses (officer and caseworker pages, the subject summary)."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

STATUS_EVENT_LABELS = {
    "released": lazy_pgettext("status change", "Released"),
    "returned_to_custody": _l("Returned to custody"),
    "transferred": _l("Transferred"),
}
PLAN_KIND_LABELS = {
    "id_documents": _l("Identity documents"),
    "housing": _l("Housing"),
    "employment": _l("Employment"),
    "education": _l("Education or training"),
    "family_contact": _l("Family contact"),
    "health": _l("Health care"),
    "toolkit": _l("Toolkit"),
    "ngo_referral": _l("Referral to a partner organisation"),
    "transport": _l("Transport on release day"),
}
PLAN_STATUS_LABELS = {
    "todo": _l("To do"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "not_needed": _l("Not needed"),
}
FOLLOW_UP_STATUS_LABELS = {
    "upcoming": _l("Upcoming"),
    "due": _l("Due now"),
    "overdue": _l("Overdue"),
    "met": _l("Done"),
    "missed": _l("Missed"),
}
