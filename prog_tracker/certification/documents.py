"""The certificate PDF of a stored certificate, in its holder's language."""

from contextlib import nullcontext

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from prog_tracker.certification.models import Certificate
from prog_tracker.certification.pdf import render_certificate_pdf
from prog_tracker.core.localised import display_name

LABELS = {
    "title": _l("Certificate of competence"),
    "awarded_to": _l("This certifies that"),
    "completed": _l("has met every requirement of"),
    "level": _l("Level"),
    "issued_on": _l("Issued on"),
    "issuer": _l("Issued by"),
    "code": _l("Verification code"),
    "verify": _l("Check this certificate at"),
    "revoked": _l("REVOKED"),
}


def verify_url(code: str) -> str:
    """The public page where anyone can check a certificate."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + "/verify/" + code


def certificate_pdf_bytes(certificate: Certificate) -> bytes:
    """Render a certificate; captions in the holder's language where we have it."""
    language = certificate.participant.preferred_language
    if language not in current_app.config["TRANSLATED_LOCALES"]:
        language = None
    with force_locale(language) if language else nullcontext():
        labels = {key: str(text) for key, text in LABELS.items()}
    qualification = certificate.qualification
    return render_certificate_pdf(
        holder_name=certificate.holder_name,
        # The titles in the captions' language, as the holder reads the certificate.
        qualification_title=display_name(qualification, language),
        level=qualification.level,
        trade_name=display_name(qualification.trade, language),
        issuer=certificate.issuer_facility.public_name,
        issued_on=certificate.issued_on,
        code=certificate.code,
        verify_url=verify_url(certificate.code),
        status=certificate.status,
        labels=labels,
    )
