"""HTML pages for certification: catalogue admin, certificates, public verification.

One blueprint; its routes live beside this module: verify.py (public),
certificates.py (issue, list, read, revoke) and catalogue.py (trades, skills,
qualifications).
"""

from flask import Blueprint, g
from flask_babel import lazy_gettext as _l

from prog_tracker.certification.models import Certificate
from prog_tracker.core import policy
from prog_tracker.extensions import db

bp = Blueprint("certification", __name__)

CERTIFICATE_STATUS_LABELS = {"valid": _l("Valid"), "revoked": _l("Revoked")}


def certificates_of(participant) -> list[Certificate]:
    """The certificates of one participant that the signed-in user may see, newest first."""
    query = (
        policy.visible_certificates(g.user)
        .where(Certificate.participant_id == participant.id)
        .order_by(Certificate.issued_on.desc(), Certificate.created_at.desc())
    )
    return list(db.session.scalars(query))


def may_issue_certificate(participant) -> bool:
    """True when the signed-in user may issue certificates to participant."""
    return g.get("user") is not None and policy.may(g.user, "certificate.issue", participant)


@bp.app_context_processor
def certification_helpers() -> dict:
    """Template helpers for the participant page's certificate list."""
    return {
        "certificates_of": certificates_of,
        "may_issue_certificate": may_issue_certificate,
        "certificate_status_labels": CERTIFICATE_STATUS_LABELS,
    }


# The routes register themselves on bp when imported.
from prog_tracker.certification.views import catalogue, certificates, verify  # noqa: E402, F401
