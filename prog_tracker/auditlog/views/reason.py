"""The reason picker: why one person's record is opened, asked before their pages."""

from flask import g, redirect, request, url_for
from flask_babel import gettext as _

from prog_tracker.auditlog import services
from prog_tracker.auditlog.views import bp
from prog_tracker.auditlog.views.labels import REASON_LABELS
from prog_tracker.core import policy
from prog_tracker.core.audit import REASON_CODES
from prog_tracker.core.errors import (
    ApiError,
    error_response,
    not_found,
    validation_error,
    wants_json,
)
from prog_tracker.core.forms import render_form
from prog_tracker.core.input import parse_uuid
from prog_tracker.core.navigation import safe_next
from prog_tracker.core.policy.reasons import ReasonRequired


@bp.app_errorhandler(ReasonRequired)
def ask_for_reason(err: ReasonRequired):
    """Pages answer a missing reason with the picker, keeping where the user was going."""
    if wants_json() or not err.participant_id or g.get("auth_session") is None:
        from prog_tracker.core.pages import render_error_page

        return error_response(err) if wants_json() else render_error_page(err)
    here = request.full_path.rstrip("?")
    return redirect(url_for("auditlog.access_reason", participant_id=err.participant_id, next=here))


@bp.route("/access-reason/<participant_id>", methods=["GET", "POST"])
def access_reason(participant_id):
    """Ask why the record is opened; keep the reason code for this person's pages."""
    canonical = parse_uuid(participant_id)
    if canonical is None or g.get("auth_session") is None:
        raise not_found()
    # Only the roles that are asked; the form names nobody, so it needs no scope check.
    if not policy.reasons.gives_reasons(g.user):
        return redirect(safe_next(request.values.get("next")))
    values = {"next": request.values.get("next") or _person_page(canonical), "reason_code": None}
    if request.method == "GET":
        return _reason_page(canonical, values)
    values["reason_code"] = request.form.get("reason_code")
    if values["reason_code"] not in REASON_CODES:
        err = validation_error({"reason_code": [_("Choose a reason.")]})
        return _reason_page(canonical, values, err)
    services.give_reason(g.user, g.auth_session, canonical, values["reason_code"])
    return redirect(safe_next(values["next"]))


def _person_page(participant_id: str) -> str:
    """Where a reason leads by default: the person's page."""
    return url_for("participants.show_participant", participant_id=participant_id)


def _reason_page(participant_id: str, values: dict, err: ApiError | None = None):
    """The reason picker (a radio group with a legend), again with its error."""
    return render_form(
        "auditlog/reason.html",
        values,
        err,
        participant_id=participant_id,
        reasons=list(REASON_LABELS.items()),
        minutes=policy.reasons.grant_minutes(),
    )
