"""The notifications part of the settings page: the device switch and the kinds of reminder."""

from flask import Blueprint, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from prog_tracker.core.errors import ApiError
from prog_tracker.notifications.preferences import reminder_choices, set_reminder_kinds

bp = Blueprint("notifications", __name__)


@bp.route("/settings/notifications", methods=["POST"])
def save_reminder_kinds():
    """Keep the kinds of reminder ticked on the settings page."""
    try:
        set_reminder_kinds(g.user, set(request.form.getlist("kinds")))
    except ApiError:
        flash(_("Those reminders cannot be chosen."), "error")
        return redirect(url_for("auth.settings"))
    flash(_("Your reminder choices are saved."), "success")
    return redirect(url_for("auth.settings") + "#notifications")


@bp.app_context_processor
def reminder_settings():
    """What the settings page shows about reminders (only where a user is signed in)."""
    return {"reminder_choices": reminder_choices}
