"""HTML pages for signing in, signing out and one's own settings."""

import segno
from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import TooManyRequests

from prog_tracker.auth import scopes, services
from prog_tracker.auth.schemas import LoginSchema, SettingsSchema, TokenCreateSchema
from prog_tracker.auth.sessions import clear_session_cookie, set_session_cookie
from prog_tracker.auth.throttle import login_limits, password_check_limits, remember_device
from prog_tracker.core import policy
from prog_tracker.core.errors import ApiError, from_http_exception
from prog_tracker.core.forms import form_data, keep_form_errors, load_form, render_form
from prog_tracker.core.i18n import LOCALES, forget_locale, remember_locale
from prog_tracker.core.navigation import safe_next
from prog_tracker.core.security import public
from prog_tracker.extensions import db

bp = Blueprint("auth", __name__)


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


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    """Language and display name; links to password and MFA; API tokens."""
    values = {"locale": g.user.locale, "display_name": g.user.display_name}
    if request.method == "GET":
        return _settings_page(values)
    submitted = form_data(("locale", "display_name"))
    try:
        data = load_form(SettingsSchema(), submitted)
    except ApiError as err:
        return _settings_page(submitted, err)
    data.setdefault("locale", None)
    services.update_own_settings(g.user, data)
    flash(_("Your settings are saved."), "success")
    response = redirect(url_for("auth.settings"))
    # The settings page and the switcher say the same thing: the latest choice holds.
    if g.user.locale:
        remember_locale(response, g.user.locale)
    else:
        forget_locale(response)  # "Same as my browser"
    return response


def _settings_page(values: dict, err: ApiError | None = None, token_values=None):
    """The settings page: profile form, security links and the API token section."""
    new_token = {"scope": scopes.DEFAULT_SCOPE, "expires_in_days": scopes.DEFAULT_DAYS}
    return render_form(
        "auth/settings.html",
        {**values, **(token_values or new_token)},
        err,
        locales=LOCALES,
        tokens=db.session.scalars(policy.visible_tokens(g.user)).all(),
        scope_options=scopes.scope_choices(g.user),
        scope_labels=scopes.SCOPE_LABELS,
        max_days=scopes.MAX_DAYS,
    )


@bp.route("/settings/tokens", methods=["POST"])
def create_token():
    """Create an API token from the settings page; its secret is shown this once."""
    submitted = form_data(("name", "scope", "expires_in_days"))
    days = submitted.get("expires_in_days")
    if days is not None and days.strip().isdigit():
        submitted["expires_in_days"] = int(days)
    try:
        data = load_form(TokenCreateSchema(), submitted)
        via_token = g.get("api_token") is not None
        row, raw = services.create_api_token(
            g.user, data["name"], data["scope"], data["expires_in_days"], via_token
        )
    except ApiError as err:
        keep_form_errors(err)
        profile = {"locale": g.user.locale, "display_name": g.user.display_name}
        return _settings_page(profile, err, submitted)
    label = scopes.SCOPE_LABELS[row.scope]
    return render_template("auth/token_created.html", token=row, secret=raw, scope_label=label)


@bp.route("/settings/tokens/<token_id>/revoke", methods=["POST"])
def revoke_token(token_id):
    """Revoke one of one's own API tokens."""
    services.revoke_api_token(g.user, token_id)
    flash(_("The token is revoked: it no longer works."), "success")
    return redirect(url_for("auth.settings", _anchor="api-tokens"))


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
