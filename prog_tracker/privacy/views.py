"""The admin's subject access export page: confirm, then download the person's ZIP."""

from flask import Blueprint, Response, g, render_template

from prog_tracker.core import audit, policy
from prog_tracker.core.i18n import LANGUAGE_NAMES
from prog_tracker.extensions import db
from prog_tracker.privacy import subject_export

bp = Blueprint("privacy", __name__)

ACTION = subject_export.ACTION


@bp.app_context_processor
def privacy_actions() -> dict:
    """Whether the signed-in user may export a person's record (the participant page's link)."""
    return {"may_export_subject": lambda: policy.may(g.user, ACTION)}


def _subject(participant_id: str):
    """The person, for an admin only: others are refused before anything is read."""
    policy.require(g.user, ACTION)
    # This route is itself the reason (SPEC §3): every event of the request carries it.
    audit.use_reason(subject_export.REASON)
    return policy.get_participant(g.user, participant_id, ACTION)


@bp.route("/participants/<participant_id>/subject-export")
def confirm_subject_export(participant_id):
    """What the export holds, and the button that makes it (the read is audited)."""
    participant = _subject(participant_id)
    # Opening this page reads the person's name for the subject access request.
    audit.record(
        "participant.read",
        "participant",
        [participant.id],
        actor_id=g.user.id,
        reason_code=subject_export.REASON,
    )
    db.session.commit()
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
    participant = _subject(participant_id)
    archive = subject_export.export_subject(participant, g.user.id)
    response = Response(archive, mimetype="application/zip")
    name = subject_export.export_file_name(participant)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response
