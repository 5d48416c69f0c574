"""Signing in and signing out.

The page asks for the username and password; only an account with two-step
sign-in is then asked for its code, on a second step that remembers nothing but
the account and a deadline (auth/pending.py). The JSON API keeps one request.
"""

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _

from prog_tracker.auth import pending, services
from prog_tracker.auth.schemas import LoginSchema
from prog_tracker.auth.sessions import CLEAR_SITE_DATA, clear_session_cookie, set_session_cookie
from prog_tracker.auth.throttle import login_limits, remember_device
from prog_tracker.auth.views import bp
from prog_tracker.core.errors import ApiError
from prog_tracker.core.forms import form_data, load_form, render_form
from prog_tracker.core.navigation import safe_next
from prog_tracker.core.security import public


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """The sign-in form: username and password, then the code for two-step accounts only."""
    if request.method == "GET":
        pending.release()  # opening the page afresh starts again
        return render_form("auth/login.html", {"next": request.args.get("next")})
    return _login_submit()


@login_limits
def _login_submit():
    """One step of signing in: the password, or (second step) the code alone."""
    values = form_data(("username", "password", "totp", "next", "step"))
    if values.get("step") == "code":
        return _code_step(values)
    return _password_step(values)


def _password_step(values: dict):
    """Check the password; a two-step account is asked for its code next (the code may
    come with the password too, as older forms and the field app send it)."""
    shown = {"username": values.get("username"), "next": values.get("next")}
    try:
        data = load_form(
            LoginSchema(), {k: values.get(k) for k in ("username", "password", "totp")}
        )
        user = services.check_password(data["username"], data["password"])
    except ApiError as err:
        return render_form("auth/login.html", shown, err)
    if user.mfa_enabled:
        pending.hold(user.id)
        if not data.get("totp"):
            return render_form("auth/login.html", {"next": values.get("next")}, step="code")
    return _finish(user, data.get("totp"), values)


def _code_step(values: dict):
    """Check the code of the account whose password was right; start again once expired."""
    user_id = pending.held_user_id()
    if user_id is None:
        flash(_("Signing in took too long. Enter your username and password again."), "error")
        return redirect(url_for("auth.login", next=values.get("next") or None))
    try:
        user = services.pending_user(user_id)
    except ApiError as err:
        pending.release()
        return render_form("auth/login.html", {"next": values.get("next")}, err)
    return _finish(user, values.get("totp"), values)


def _finish(user, totp: str | None, values: dict):
    """Open the session once the code (if the account has two-step sign-in) is right;
    a wrong code shows the code step again, a 401 the throttle counts."""
    try:
        result = services.finish_sign_in(user, totp)
    except ApiError as err:
        return render_form("auth/login.html", {"next": values.get("next")}, err, step="code")
    return _signed_in(result, values)


def _signed_in(result, values: dict):
    """Set the session cookie and go where the user was heading."""
    pending.release()
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
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response
