"""HTML pages for certification: catalogue admin, certificates, skills, public verification.

One blueprint; its routes live beside this module: verify.py (public),
certificates.py (issue, list, read, revoke), catalogue.py (trades, skills,
qualifications) and checklist.py (a person's skills checklist in a cohort,
where instructors record assessments). This module holds the labels they share
and the helpers other domains' pages use: the participant page's certificates,
and the cohort pages' qualification (workshops may not import certification).
"""

from flask import Blueprint, g
from flask_babel import gettext as _

from prog_tracker.certification.catalogue import qualifications_by_title
from prog_tracker.certification.certificates import certificates_held
from prog_tracker.certification.labels import CERTIFICATE_STATUS_LABELS
from prog_tracker.certification.models import Certificate, Qualification
from prog_tracker.certification.services import qualification_of
from prog_tracker.core import policy
from prog_tracker.core.localised import display_name

bp = Blueprint("certification", __name__)


def certificates_of(participant) -> list[Certificate]:
    """The certificates of one participant that the signed-in user may see, newest first."""
    return certificates_held(g.user, participant)


def may_issue_certificate(participant) -> bool:
    """True when the signed-in user may issue certificates to participant."""
    return g.get("user") is not None and policy.may(g.user, "certificate.issue", participant)


def cohort_qualification_options() -> list[tuple[str, str]]:
    """The qualifications a new cohort may prepare for, as (id, label), by title."""
    return [
        (q.id, _("%(title)s (level %(level)s) — %(trade)s", **qualification_parts(q)))
        for q in qualifications_by_title()
    ]


def qualification_parts(qualification: Qualification) -> dict:
    """The parts of a qualification's label in a select."""
    return {
        "title": display_name(qualification),
        "level": qualification.level,
        "trade": display_name(qualification.trade),
    }


@bp.app_context_processor
def certification_helpers() -> dict:
    """Template helpers for other domains' pages: certificates, a cohort's qualification."""
    return {
        "certificates_of": certificates_of,
        "may_issue_certificate": may_issue_certificate,
        "certificate_status_labels": CERTIFICATE_STATUS_LABELS,
        "cohort_qualification": qualification_of,
        "cohort_qualification_options": cohort_qualification_options,
    }
