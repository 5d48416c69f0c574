"""What release plan kinds and statuses are called on screen (officer and caseworker pages)."""

from flask_babel import lazy_gettext as _l

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
