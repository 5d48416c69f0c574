"""The admin's subject access export page: confirm, then download the person's ZIP."""

from flask import Blueprint, Response, g, render_template

from prog_tracker.core import policy
from prog_tracker.core.i18n import LANGUAGE_NAMES
from prog_tracker.privacy import services, subject_export

bp = Blueprint("privacy", __name__)

ACTION = subject_export.ACTION


@bp.app_context_processor
def privacy_actions() -> dict:
    """Whether the signed-in user may export a person's record (the participant page's link)."""
    return {"may_export_subject": lambda: policy.may(g.user, ACTION)}


@bp.route("/participants/<participant_id>/subject-export")
def confirm_subject_export(participant_id):
    """What the export holds, and the button that makes it (the read is audited)."""
    participant = services.open_subject(g.user, participant_id)
    # Opening this page reads the person's name for the subject access request.
    services.record_confirmation_read(g.user, participant)
    language = subject_export.subject_locale(participant)
    return render_template(
        "privacy/subject_export.html",
        participant=participant,
        language_name=LANGUAGE_NAMES.get(language, language),
        file_name=subject_export.export_file_name(participant),
    )


@bp.route("/participants/<participant_id>/subject-export", methods=["POST"])
def download_subject_export(participant_id):
    """The person's ZIP (JSON, PDF, README), as an attachment; audited."""
    participant = services.open_subject(g.user, participant_id)
    archive = subject_export.export_subject(participant, g.user.id)
    response = Response(archive, mimetype="application/zip")
    name = subject_export.export_file_name(participant)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response
