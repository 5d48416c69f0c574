"""What contact modes, needs, work and housing are called on screen (caseworker pages,
the home page, the subject summary)."""

from flask_babel import lazy_gettext as _l

CONTACT_MODE_LABELS = {
    "visit": _l("Visit"),
    "phone": _l("Phone call"),
    "office": _l("At our office"),
    "video": _l("Video call"),
    "message": _l("Message"),
    "attempt_failed": _l("Tried, could not reach"),
}
# Common needs offered as checkboxes, by their code (aftercare.models.NEED_CODES).
NEED_LABELS = {
    "housing": _l("Housing"),
    "work": _l("Work"),
    "documents": _l("Documents"),
    "health": _l("Health"),
    "family": _l("Family"),
    "money": _l("Money"),
    "training": _l("Training"),
    "other": _l("Other"),
}
EMPLOYMENT_LABELS = {
    "employed_formal": _l("Employed, with a contract"),
    "employed_informal": _l("Working, without a contract"),
    "self_employed": _l("Self-employed"),
    "in_training": _l("In training or education"),
    "unemployed": _l("Not working"),
    "unknown": _l("Not known"),
}
HOUSING_LABELS = {
    "stable": _l("Stable home"),
    "temporary": _l("Temporary place"),
    "homeless": _l("No home"),
    "unknown": _l("Not known"),
}
