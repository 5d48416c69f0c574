"""Certificate pages for staff: the list, one certificate, issuing and revoking."""

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _

from prog_tracker.auth.names import display_names
from prog_tracker.certification import catalogue, certificates, services
from prog_tracker.certification.documents import verify_url
from prog_tracker.certification.labels import CERTIFICATE_STATUS_LABELS
from prog_tracker.certification.models import Certificate
from prog_tracker.certification.schemas import CertificateCreateSchema, CertificateListQuerySchema
from prog_tracker.certification.views import bp, qualification_parts
from prog_tracker.core import policy
from prog_tracker.core.errors import ApiError, validation_error
from prog_tracker.core.forms import form_data, form_id, keep_form_errors, load_form, render_form
from prog_tracker.core.pagination import decode_cursor, page_at


@bp.route("/certificates")
def list_certificates():
    """Certificates of the people the user sees, newest first (the ids read are audited)."""
    shown = {"status": request.args.get("status", "").strip()}
    try:
        filters = load_form(CertificateListQuerySchema(), {"status": shown["status"] or None})
        offset = decode_cursor(request.args.get("cursor"))
    except ApiError as err:
        return _list_page(shown, [], None, None, err)
    query = certificates.list_certificates(g.user, status=filters.get("status"))
    records, cursor = page_at(query, offset)
    certificates.audit_certificate_list(g.user, records)
    kept = {k: v for k, v in shown.items() if v}
    next_url = url_for(".list_certificates", cursor=cursor, **kept) if cursor else None
    first_url = url_for(".list_certificates", **kept) if offset else None
    return _list_page(shown, records, next_url, first_url)


def _list_page(shown: dict, records: list, next_url, first_url, err=None):
    """Render the status filter and one page of certificates."""
    return render_form(
        "certification/list.html",
        shown,
        err,
        records=records,
        next_url=next_url,
        first_url=first_url,
        status_options=list(CERTIFICATE_STATUS_LABELS.items()),
    )


@bp.route("/certificates/<certificate_id>")
def show_certificate(certificate_id):
    """One certificate with its code and public link (the read is audited)."""
    return _detail_page(certificates.read_certificate(g.user, certificate_id), {})


def _detail_page(certificate: Certificate, values: dict, err=None):
    """Render a certificate, with the revoke form for those who may revoke."""
    names = display_names((certificate.issued_by_id, certificate.revoked_by_id))
    return render_form(
        "certification/show.html",
        values,
        err,
        certificate=certificate,
        issued_by=names.get(certificate.issued_by_id),
        revoked_by=names.get(certificate.revoked_by_id),
        public_url=verify_url(certificate.code),
        may_revoke=certificate.status == "valid"
        and policy.may(g.user, "certificate.revoke", certificate.participant),
    )


@bp.route("/certificates/<certificate_id>/revoke", methods=["POST"])
def revoke_certificate(certificate_id):
    """Revoke a certificate; a reason is required (kept, never shown publicly)."""
    certificate = policy.get_certificate(g.user, certificate_id, "certificate.revoke")
    policy.require(g.user, "certificate.revoke", certificate.participant)
    submitted = form_data(("reason",))
    try:
        if not submitted.get("reason"):
            raise validation_error({"reason": [_("Give the reason for revoking.")]})
        certificates.revoke_certificate(g.user, certificate, submitted["reason"])
    except ApiError as err:
        keep_form_errors(err)
        return _detail_page(certificate, submitted, err)
    flash(_("The certificate is revoked."), "success")
    return redirect(url_for(".show_certificate", certificate_id=certificate.id))


@bp.route("/participants/<participant_id>/certificates/new", methods=["GET", "POST"])
def issue_certificate(participant_id):
    """Issue a certificate to a participant (supervisor, admin; four eyes)."""
    participant = policy.get_participant(g.user, participant_id, "certificate.issue")
    policy.require(g.user, "certificate.issue", participant)
    if request.method == "GET":
        services.record_person_read(g.user, participant)  # the page names the person
        return _issue_page(participant, {})
    submitted = form_data(("qualification_id",))
    try:
        if not submitted.get("qualification_id"):
            raise validation_error({"qualification_id": [_("Choose a qualification.")]})
        body = {**submitted, "participant_id": participant.id, "id": form_id()}
        data = load_form(CertificateCreateSchema(), body)
        certificate = certificates.issue_certificate(g.user, data)
    except ApiError as err:
        keep_form_errors(err)
        return _issue_page(participant, submitted, err)
    # No names in flash messages: they travel in a cookie.
    flash(_("The certificate is issued."), "success")
    return redirect(url_for(".show_certificate", certificate_id=certificate.id))


def _issue_page(participant, values: dict, err=None):
    """Render the issue form; after a refused rule, name the skills concerned."""
    extra = err.extra if err is not None else {}
    return render_form(
        "certification/issue.html",
        values,
        err,
        participant=participant,
        refusal=err.code if err is not None else None,
        missing_skills=catalogue.skills_by_code(extra.get("missing_skill_ids", [])),
        own_skills=catalogue.skills_by_code(extra.get("own_assessed_skill_ids", [])),
        qualification_options=[
            (q.id, _("%(title)s (level %(level)s, %(trade)s)", **qualification_parts(q)))
            for q in catalogue.all_qualifications()
        ],
    )
