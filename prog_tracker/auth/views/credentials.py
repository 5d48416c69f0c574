"""One's own password and two-step sign-in (TOTP) set-up."""

import segno
from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import TooManyRequests

from prog_tracker.auth import services
from prog_tracker.auth.sessions import set_session_cookie
from prog_tracker.auth.throttle import password_check_limits
from prog_tracker.auth.views import bp
from prog_tracker.core.errors import ApiError, from_http_exception
from prog_tracker.core.forms import render_form


@bp.route("/settings/password", methods=["GET", "POST"])
def change_password():
    """Change one's own password (required after an admin reset)."""
    if request.method == "GET":
        return render_form("auth/change_password.html", {})
    try:
        _submit_password_change()
    except TooManyRequests as exc:
        err = from_http_exception(exc)
        page, status = render_form("auth/change_password.html", {}, err)
        return page, status, err.headers
    except ApiError as err:
        return render_form("auth/change_password.html", {}, err)
    flash(_("Your password is changed. Other sessions have been signed out."), "success")
    return redirect(url_for("home.home"))


@password_check_limits
def _submit_password_change() -> None:
    """Check the current password (throttled like sign-in) and set the new one."""
    current = request.form.get("current_password", "")
    new, repeat = request.form.get("new_password", ""), request.form.get("repeat_password", "")
    if new != repeat:
        raise ApiError(
            422,
            "validation_error",
            _("The passwords do not match."),
            fields={"repeat_password": [_("The passwords do not match.")]},
        )
    services.change_password(g.user, g.get("auth_session"), current, new)


@bp.route("/settings/mfa", methods=["GET", "POST"])
def mfa_setup():
    """Set up two-step sign-in: scan the code, then confirm with a first code."""
    if g.user.mfa_enabled:
        return render_template("auth/mfa_setup.html", enabled=True)
    if request.method == "POST" and "start" in request.form:
        return _mfa_page(services.begin_mfa_setup(g.user), None)
    if request.method == "GET":
        # Reloading the page must not replace a key the user may have scanned.
        return _mfa_page(services.pending_mfa_setup(g.user), None)
    try:
        token = services.confirm_mfa(g.user, g.get("auth_session"), request.form.get("code", ""))
    except ApiError as err:
        if not g.user.totp_secret:
            return redirect(url_for("auth.mfa_setup"))
        return _mfa_page(services.pending_mfa_setup(g.user), err)
    flash(_("Two-step sign-in is on."), "success")
    response = redirect(url_for("home.home"))
    if token:
        set_session_cookie(response, token)
    return response


def _mfa_page(setup: dict, err):
    """Render the set-up page with a QR code of the otpauth URI."""
    qr = segno.make(setup["otpauth_uri"], error="m").svg_data_uri(scale=5)
    return render_form("auth/mfa_setup.html", {}, err, enabled=False, qr=qr, secret=setup["secret"])
