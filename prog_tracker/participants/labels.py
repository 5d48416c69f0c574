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
# Why the matcher takes two records for one person (participants/matching), in words.
REASON_LABELS = {
    "prison_number": _l("same prison number at the same facility"),
    "name": _l("names alike"),
    "name_other_script": _l("names alike, written in another script"),
    "names_swapped": _l("given and family names swapped"),
    "other_names": _l("a name found among other names"),
    "date_of_birth": _l("same date of birth"),
    "date_of_birth_swapped": _l("date of birth with day and month swapped"),
    "sex": _l("same sex"),
}
