"""Signing in (with a code for two-step sign-in) and signing out."""

from flask import g, redirect, request, url_for

from prog_tracker.auth import services
from prog_tracker.auth.schemas import LoginSchema
from prog_tracker.auth.sessions import clear_session_cookie, set_session_cookie
from prog_tracker.auth.throttle import login_limits, remember_device
from prog_tracker.auth.views import bp
from prog_tracker.core.errors import ApiError
from prog_tracker.core.forms import form_data, load_form, render_form
from prog_tracker.core.navigation import safe_next
from prog_tracker.core.security import public


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """The sign-in form, with a code field for two-step sign-in."""
    if request.method == "GET":
        return render_form("auth/login.html", {"next": request.args.get("next")})
    return _login_submit()


@login_limits
def _login_submit():
    """Check the submitted credentials and open a session."""
    values = form_data(("username", "password", "totp", "next"))
    shown = {"username": values.get("username"), "next": values.get("next")}
    try:
        data = load_form(
            LoginSchema(), {k: values.get(k) for k in ("username", "password", "totp")}
        )
        result = services.sign_in(data["username"], data["password"], data.get("totp"))
    except ApiError as err:
        shown["ask_totp"] = err.code == "mfa_required"
        return render_form("auth/login.html", shown, err)
    response = redirect(safe_next(values.get("next")))
    set_session_cookie(response, result.token)
    remember_device(response, result.user.username)
    return response


@bp.route("/logout", methods=["POST"])
def logout():
    """End the session and go back to the sign-in page."""
    if g.get("auth_session") is not None:
        services.sign_out(g.auth_session)
    response = redirect(url_for("auth.login"))
    clear_session_cookie(response)
    return response
