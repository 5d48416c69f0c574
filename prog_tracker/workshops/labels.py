"""Translated names of the workshops' states, for its pages and others that show them."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

ENROLMENT_STATUS_LABELS = {
    "waitlisted": _l("Waitlisted"),
    "enrolled": _l("Enrolled"),
    "completed": _l("Completed"),
    "withdrawn": _l("Withdrawn"),
}
WITHDRAWAL_REASON_LABELS = {
    "released": lazy_pgettext("withdrawal reason", "Released"),
    "transferred": _l("Transferred"),
    "security": _l("Security"),
    "health": _l("Health"),
    "dismissed": _l("Dismissed from the workshop"),
    "own_request": _l("At their own request"),
    "other": _l("Other reason"),
}
ATTENDANCE_STATUS_LABELS = {
    "present": _l("Present"),
    "late": _l("Late"),
    "excused": _l("Excused"),
    "absent": _l("Absent"),
    "sick": _l("Sick"),
    "refused": _l("Refused"),
}
