"""What participant statuses and sexes are called on screen (pages and the subject summary)."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

# Statuses in the order a person's journey goes.
STATUS_LABELS = {
    "in_custody": _l("In custody"),
    "released": _l("Released"),
    "returned_to_custody": _l("Returned to custody"),
    "closed": _l("Closed"),
}
SEX_LABELS = {
    "female": _l("Female"),
    "male": _l("Male"),
    "other": lazy_pgettext("sex", "Other"),
    "undisclosed": _l("Not disclosed"),
}
