"""What referral statuses and consent methods, purposes and states are called on screen."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

REFERRAL_STATUS_LABELS = {
    "pending": _l("Waiting for an answer"),
    "accepted": _l("Accepted"),
    "declined": _l("Declined"),
    "closed": lazy_pgettext("referral", "Closed"),
}
CONSENT_METHOD_LABELS = {
    "signed": _l("Signed"),
    "thumbprint": _l("Thumbprint"),
    "verbal_witnessed": _l("Spoken, with a witness"),
}
CONSENT_PURPOSE_LABELS = {"post_release_support": _l("Support after release")}
CONSENT_STATE_LABELS = {
    "active": _l("Active"),
    "expired": _l("Expired"),
    "withdrawn": lazy_pgettext("consent", "Withdrawn"),
}
