"""Translated names of certificate states and assessment results, for pages and documents."""

from flask_babel import lazy_gettext as _l

CERTIFICATE_STATUS_LABELS = {"valid": _l("Valid"), "revoked": _l("Revoked")}
RESULT_LABELS = {
    "competent": _l("Competent"),
    "not_yet_competent": _l("Not yet competent"),
}
