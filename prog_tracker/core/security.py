"""Request guards and response headers: sign-in, CSRF, MFA gate, CSP.

Every route needs a signed-in user unless its view is marked @public, so a
new route is closed until someone opens it on purpose.
"""

import hmac
import secrets

from flask import current_app, g, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from prog_tracker.core.errors import ApiError, wants_json
from prog_tracker.core.input import check_api_input, check_request_text

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# What a half-signed-in session may still reach: an MFA role without MFA
# set up gets the MFA endpoints (SPEC §4), a user who owes a new password the
# password ones; both may see who they are and sign out.
_ALWAYS = {
    "auth_api.me",
    "auth_api.logout",
    "auth.logout",
    "static",
    "core.healthz",
    "core.readyz",
    "core.manifest",
}
MFA_SETUP_ENDPOINTS = _ALWAYS | {"auth_api.mfa_setup", "auth_api.mfa_confirm", "auth.mfa_setup"}
PASSWORD_CHANGE_ENDPOINTS = _ALWAYS | {"auth_api.change_password", "auth.change_password"}

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


# Views we do not write ourselves (flask-smorest's OpenAPI document).
PUBLIC_ENDPOINTS = {"api-docs.openapi_json"}


# Served to anyone without looking at the session at all (the field app's shell,
# worker and strings are the same for everyone and must load with the database down).
STATELESS_ENDPOINTS = {
    "core.healthz",
    "core.manifest",
    "static",
    "fieldapp.shell",
    "fieldapp.service_worker",
    "fieldapp.catalogue",
}


def public(view):
    """Mark a view as reachable without signing in."""
    view.is_public = True
    return view


def csrf_exempt_json(view):
    """Mark a view whose JSON requests need no CSRF token, because it does not act
    with the session a cookie carries (sign-in replaces it; a wipe receipt proves
    itself with its one-time token). A cross-site page cannot send a JSON body
    without a CORS preflight this server never grants."""
    view.csrf_exempt_json = True
    return view


def _view_flag(name: str) -> bool:
    """True when the matched view carries the marker name."""
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return bool(getattr(view, name, False))


# app.extensions key: blueprint name -> checks run before the caller is looked up.
PRE_SIGN_IN_CHECKS = "pre_sign_in_checks"


def check_before_sign_in(app, blueprint: str, check) -> None:
    """Run check (it may raise ApiError) on every request of blueprint before the caller
    is authenticated: a revoked field device must hear so although its session is gone."""
    app.extensions.setdefault(PRE_SIGN_IN_CHECKS, {}).setdefault(blueprint, []).append(check)


def _run_pre_sign_in_checks() -> None:
    """The checks the request's blueprint asked for before authentication."""
    checks = current_app.extensions.get(PRE_SIGN_IN_CHECKS, {})
    for check in checks.get(request.blueprint, ()):
        check()


def _is_public_endpoint() -> bool:
    """True when the matched view is marked @public (or nothing matched)."""
    if request.endpoint is None or request.endpoint in PUBLIC_ENDPOINTS | {"static"}:
        return True
    return _view_flag("is_public")


def guard_request():
    """Before every request: authenticate, check CSRF, the MFA gate, then API input."""
    if request.endpoint in STATELESS_ENDPOINTS:
        return None  # answered without a session lookup, so without the database
    check_request_text()
    _run_pre_sign_in_checks()
    # The user itself, not Flask-Login's proxy (which looks the user up on every read).
    user = current_user._get_current_object() if current_user.is_authenticated else None
    g.user = user
    check_csrf()
    if _is_public_endpoint():
        check_api_input()
        return None
    if user is None:
        if wants_json():
            raise ApiError(401, "unauthenticated", _l("Sign in first."))
        return redirect(url_for("auth.login", next=request.full_path))
    gate = _setup_gate(user)
    if gate is None:
        check_api_input()
    return gate


def _setup_gate(user):
    """Hold half-signed-in sessions to the setup endpoints."""
    auth_session = g.get("auth_session")
    mfa_pending = auth_session is not None and not auth_session.fully_signed_in
    if mfa_pending and request.endpoint not in MFA_SETUP_ENDPOINTS:
        if wants_json():
            raise ApiError(403, "mfa_setup_required", _l("Set up two-step sign-in first."))
        return redirect(url_for("auth.mfa_setup"))
    owes_password = user.must_change_password and g.get("api_token") is None
    if not mfa_pending and owes_password and request.endpoint not in PASSWORD_CHANGE_ENDPOINTS:
        if wants_json():
            raise ApiError(403, "password_change_required", _l("Choose a new password first."))
        return redirect(url_for("auth.change_password"))
    return None


def expected_csrf_token() -> str | None:
    """The token this request must echo: the session's, else the pre-sign-in one."""
    auth_session = g.get("auth_session")
    if auth_session is not None:
        return auth_session.csrf_token
    if not wants_json():
        return session.get("csrf")
    return None


def csrf_token() -> str:
    """The CSRF token to embed in forms and pages."""
    token = expected_csrf_token()
    if token is None:
        token = session.setdefault("csrf", secrets.token_urlsafe(32))
    return token


def check_csrf() -> None:
    """Refuse unsafe requests made with a cookie that do not echo the token."""
    if request.method not in UNSAFE_METHODS or g.get("api_token") is not None:
        return
    if request.is_json and _view_flag("csrf_exempt_json"):
        # E.g. a browser still signed in on the website (a shared tablet) can sign in
        # to the field app, which has no token yet (csrf_exempt_json says why it is safe).
        return
    expected = expected_csrf_token()
    if expected is None:
        if wants_json():
            return  # no session cookie: nothing a forged request could ride on
        expected = ""
    sent = request.headers.get("X-CSRF-Token") or (
        request.form.get("csrf_token", "") if not wants_json() else ""
    )
    if not expected or not sent or not hmac.compare_digest(sent, expected):
        raise ApiError(
            400, "csrf_failed", _l("The form has expired; reload the page and try again.")
        )


def set_security_headers(response):
    """After every request: CSP and friends; no-store on JSON and signed-in pages."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if current_app.config["ENV"] == "production":
        headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    personal = response.mimetype == "application/json" or g.get("user") is not None
    if personal and request.endpoint != "static":
        headers["Cache-Control"] = "no-store"
    return response


def init_security(app) -> None:
    """Attach the guards to an app."""
    app.before_request(guard_request)
    app.after_request(set_security_headers)
    app.jinja_env.globals["csrf_token"] = csrf_token
